package io.leasehold.tck.faults;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * How the upstream server words its errors, so that the error answers {@link FaultProxy} makes up
 * look like the server's own: the SDK must classify them exactly as it would a real one.
 *
 * <p>Thread-safety: stateless.
 */
public enum ErrorDialect {
    /** S3 (and RGW): an {@code <Error><Code>…</Code>…} XML body and {@code x-amz-request-id}. */
    S3,
    /** Azure Blob (and Azurite): the code in {@code x-ms-error-code} and an XML body. */
    AZURE,
    /** Anything else: a plain-text body. */
    PLAIN;

    /**
     * The error code a server of this dialect sends with {@code status} when none is given.
     *
     * @param status the HTTP status
     * @return e.g. {@code InternalError}, {@code SlowDown}, {@code ServerBusy}
     */
    public String defaultCode(int status) {
        switch (this) {
            case S3:
                return status == 503 || status == 429 ? "SlowDown" : status == 408 ? "RequestTimeout" : "InternalError";
            case AZURE:
                return status == 503 || status == 429 ? "ServerBusy" : status == 408 ? "OperationTimedOut" : "InternalError";
            default:
                return "Error" + status;
        }
    }

    /** The bytes of a complete HTTP/1.1 error response (no body for a HEAD request). */
    byte[] response(int status, String code, boolean head, long sequence) {
        String errorCode = code == null ? defaultCode(status) : code;
        String requestId = String.format("faultproxy%016x", sequence);
        String body;
        List<String> headers = new ArrayList<>();
        switch (this) {
            case S3:
                body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + errorCode + "</Code><Message>"
                        + s3Message(errorCode) + "</Message><RequestId>" + requestId + "</RequestId><HostId>"
                        + requestId + "</HostId></Error>";
                headers.add("Content-Type: application/xml");
                headers.add("x-amz-request-id: " + requestId);
                break;
            case AZURE:
                String id = UUID.nameUUIDFromBytes(requestId.getBytes(StandardCharsets.US_ASCII)).toString();
                body = "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>" + errorCode + "</Code><Message>"
                        + azureMessage(errorCode) + "\nRequestId:" + id + "\nTime:" + isoNow() + "</Message></Error>";
                headers.add("Content-Type: application/xml");
                headers.add("x-ms-error-code: " + errorCode);
                headers.add("x-ms-request-id: " + id);
                headers.add("x-ms-version: 2021-10-04");
                break;
            default:
                body = errorCode + "\n";
                headers.add("Content-Type: text/plain; charset=utf-8");
                break;
        }
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head0 = new StringBuilder();
        head0.append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
        head0.append("Date: ").append(DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC))).append("\r\n");
        for (String h : headers) {
            head0.append(h).append("\r\n");
        }
        head0.append("Content-Length: ").append(head ? 0 : content.length).append("\r\n\r\n");
        byte[] start = head0.toString().getBytes(StandardCharsets.ISO_8859_1);
        if (head) {
            return start;
        }
        byte[] all = new byte[start.length + content.length];
        System.arraycopy(start, 0, all, 0, start.length);
        System.arraycopy(content, 0, all, start.length, content.length);
        return all;
    }

    /**
     * The bytes of a complete error response as an intermediary in front of the store sends it: a
     * plain-text body, no store error code, no store request id (no body for a HEAD request).
     */
    static byte[] gatewayResponse(int status, boolean head) {
        String body;
        switch (status) {
            case 503:
                body = "no healthy upstream";
                break;
            case 504:
                body = "upstream request timeout";
                break;
            default:
                body = "upstream connect error or disconnect/reset before headers";
                break;
        }
        byte[] content = body.getBytes(StandardCharsets.US_ASCII);
        String start = "HTTP/1.1 " + status + ' ' + reason(status) + "\r\n"
                + "Date: " + DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)) + "\r\n"
                + "Content-Type: text/plain\r\n"
                + "Content-Length: " + (head ? 0 : content.length) + "\r\n\r\n";
        byte[] startBytes = start.getBytes(StandardCharsets.ISO_8859_1);
        if (head) {
            return startBytes;
        }
        byte[] all = new byte[startBytes.length + content.length];
        System.arraycopy(startBytes, 0, all, 0, startBytes.length);
        System.arraycopy(content, 0, all, startBytes.length, content.length);
        return all;
    }

    private static String s3Message(String code) {
        switch (code) {
            case "SlowDown":
                return "Please reduce your request rate.";
            case "InternalError":
                return "We encountered an internal error. Please try again.";
            default:
                return code;
        }
    }

    private static String azureMessage(String code) {
        switch (code) {
            case "ServerBusy":
                return "The server is currently unable to receive requests. Please retry your request.";
            case "InternalError":
                return "The server encountered an internal error. Please retry the request.";
            default:
                return code;
        }
    }

    private static String isoNow() {
        return DateTimeFormatter.ISO_INSTANT.format(ZonedDateTime.now(ZoneOffset.UTC));
    }

    static String reason(int status) {
        switch (status) {
            case 400:
                return "Bad Request";
            case 408:
                return "Request Timeout";
            case 409:
                return "Conflict";
            case 412:
                return "Precondition Failed";
            case 429:
                return "Too Many Requests";
            case 500:
                return "Internal Server Error";
            case 502:
                return "Bad Gateway";
            case 503:
                return "Service Unavailable";
            case 504:
                return "Gateway Timeout";
            default:
                return "Error " + status;
        }
    }
}
