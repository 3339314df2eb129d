package io.leasehold.aws;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * S3 may answer a request with 200 and an {@code <Error>} document (seen with PutObject and a
 * failed precondition: aws-sdk-java-v2 #6023). The SDK parses such a PutObject answer as a success
 * without an ETag; CompleteMultipartUpload is documented to do the same. This interceptor reads the
 * (normally empty or short) body of PutObject, DeleteObject and CompleteMultipartUpload answers and, when it is an error document, rewrites the status to the one the error code stands
 * for, so the SDK raises its usual exception and the driver maps it like any other. The original
 * status is kept in the {@value #ORIGINAL_STATUS_HEADER} response header.
 *
 * <p>Cheap on the normal path, since it runs on every PutObject: an answer declaring
 * {@code Content-Length: 0} is not read at all, and a body is read into a buffer as small as the
 * body, and parsed only if it holds an {@code <Error>} element.
 *
 * <p>Thread-safety: stateless (per-request state lives in execution attributes).
 */
final class ErrorBodyInterceptor implements ExecutionInterceptor {
    /** Response header recording the status before the rewrite. */
    static final String ORIGINAL_STATUS_HEADER = "x-leasehold-original-status";
    private static final ExecutionAttribute<byte[]> BODY = new ExecutionAttribute<>("leasehold.errorBody");
    /** One shared instance: the interceptor keeps no state of its own. */
    static final ErrorBodyInterceptor INSTANCE = new ErrorBodyInterceptor();
    private static final int MAX_BODY = 64 * 1024;
    private static final int FIRST_READ = 512;

    @Override
    public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
        SdkHttpResponse response = context.httpResponse();
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        if (!response.isSuccessful() || !("PutObject".equals(operation) || "DeleteObject".equals(operation)
                || "CompleteMultipartUpload".equals(operation))) {
            return response;
        }
        Optional<InputStream> body = context.responseBody();
        if (body.isEmpty() || response.firstMatchingHeader("Content-Length").filter("0"::equals).isPresent()) {
            return response;
        }
        byte[] bytes;
        try {
            bytes = read(body.get());
        } catch (IOException e) {
            throw new UncheckedIOException("reading the " + operation + " response body failed", e);
        }
        attributes.putAttribute(BODY, bytes);
        String code = errorCode(bytes);
        if (code == null) {
            return response;
        }
        int status = S3Failures.statusForErrorCode(code);
        return response.toBuilder().statusCode(status)
                .putHeader(ORIGINAL_STATUS_HEADER, Integer.toString(response.statusCode())).build();
    }

    /** Reads at most {@value #MAX_BODY} bytes, in a buffer no larger than needed for small bodies. */
    private static byte[] read(InputStream in) throws IOException {
        byte[] buffer = new byte[FIRST_READ];
        int length = 0;
        while (true) {
            int n = in.read(buffer, length, buffer.length - length);
            if (n < 0) {
                return length == buffer.length ? buffer : Arrays.copyOf(buffer, length);
            }
            length += n;
            if (length == buffer.length) {
                if (length == MAX_BODY) {
                    return buffer;
                }
                buffer = Arrays.copyOf(buffer, Math.min(MAX_BODY, length * 4));
            }
        }
    }

    /** The {@code <Code>} of an {@code <Error>} document, or null if the body is not one. */
    static String errorCode(byte[] body) {
        if (indexOf(body, "<Error>", 0) < 0) {
            return null;
        }
        String text = new String(body, StandardCharsets.UTF_8);
        int start = text.indexOf("<Code>", text.indexOf("<Error>"));
        if (start < 0) {
            return null;
        }
        start += "<Code>".length();
        int end = text.indexOf("</Code>", start);
        if (end <= start) {
            return null;
        }
        String code = text.substring(start, end);
        for (int i = 0; i < code.length(); i++) {
            char c = code.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.')) {
                return null;
            }
        }
        return code;
    }

    /** Where the ASCII text occurs in the bytes, or -1. */
    private static int indexOf(byte[] bytes, String ascii, int from) {
        int last = bytes.length - ascii.length();
        outer:
        for (int i = from; i <= last; i++) {
            for (int j = 0; j < ascii.length(); j++) {
                if (bytes[i + j] != ascii.charAt(j)) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Override
    public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context,
                                                           ExecutionAttributes attributes) {
        byte[] buffered = attributes.getAttribute(BODY);
        return buffered == null ? context.responseBody() : Optional.of(new ByteArrayInputStream(buffered));
    }
}
