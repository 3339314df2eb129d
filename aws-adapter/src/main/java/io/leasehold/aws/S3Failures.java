package io.leasehold.aws;

import io.leasehold.core.AccessDeniedException;
import io.leasehold.core.ErrorCode;
import io.leasehold.core.NotSupportedException;
import io.leasehold.core.ObjectAlreadyExistsException;
import io.leasehold.core.ObjectNotFoundException;
import io.leasehold.core.ObjectStoreException;
import io.leasehold.core.OutcomeUnknownException;
import io.leasehold.core.PreconditionFailedException;
import io.leasehold.core.TransientException;
import io.leasehold.spi.kit.Failures;
import io.leasehold.spi.RequestKind;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Translates SDK failures into the portable exceptions, in one place. Every rule here is a fact
 * about S3 or a compatible server, not a guess: see the comments.
 *
 * <h2>What proves that a mutation was not applied</h2>
 * For a put, delete or multipart commit (and so for the emulated lease records, which are puts),
 * only the store's own words count ({@link Failures}): the {@code <Code>} of the XML error body S3
 * and compatible servers send, or a refusal by status that no intermediary makes after forwarding.
 * <table>
 *   <caption>Answers to a mutation that prove it was not applied</caption>
 *   <tr><th>Answer</th><th>Becomes</th><th>Why it proves "not applied"</th></tr>
 *   <tr><td>412 (any body), 304 on a dated put</td><td>already exists / precondition failed</td>
 *       <td>the condition was evaluated and failed; AWS documents the write as failed</td></tr>
 *   <tr><td>404 on an If-Match put</td><td>precondition failed</td><td>AWS: a concurrent delete won</td></tr>
 *   <tr><td>409 {@code ConditionalRequestConflict}</td><td>{@link ErrorCode#CONFLICT}</td>
 *       <td>AWS: a conflicting operation won; retry the upload (or, for a multipart commit,
 *       re-initiate it and upload every part again)</td></tr>
 *   <tr><td>503 {@code SlowDown}</td><td>{@link ErrorCode#THROTTLED}</td><td>request-rate protection
 *       refuses requests over the rate; Ceph RGW sends it from its scheduler and its notification
 *       reservation, both before the operation runs</td></tr>
 *   <tr><td>400 {@code RequestTimeout}</td><td>{@link ErrorCode#TRANSIENT}</td><td>the server gave
 *       up reading the request: a write without its whole body cannot be applied</td></tr>
 * </table>
 * Everything else that may follow a forwarded request is {@link Failures#unanswered unanswered}
 * (outcome unknown for a mutation, transient for a read or a part upload), notably:
 * <ul>
 *   <li>408, 409, 429 and 5xx <em>without</em> an S3 error code (plain text, HTML or no body): the
 *       answer of a proxy, load balancer or gateway as readily as the store's;</li>
 *   <li>500 {@code InternalError}: AWS says such a request "might not have processed" either way;</li>
 *   <li>503 {@code ServiceUnavailable}: documented only as "unable to handle request"; Ceph RGW
 *       sends it when a request it forwarded to another zone failed;</li>
 *   <li>409 {@code OperationAborted}: documented for no object operation, seen on bucket creation
 *       and copies, never said to leave the object unchanged;</li>
 *   <li>408 {@code RequestTimeout}: Ceph RGW's answer when a storage operation timed out
 *       ({@code ETIMEDOUT}), which may have completed;</li>
 *   <li>other throttling codes ({@code TooManyRequests}, {@code Throttling}...): no S3 server here
 *       documents when it sends them;</li>
 *   <li>any code inside a 200 answer (S3 reports errors of CompleteMultipartUpload that way): the
 *       request was being processed, so only a refusal still counts;</li>
 *   <li>500 {@code UnknownError}, except where the profile names it as a lost race
 *       ({@code S3Driver} decides that, see {@link S3Profile#lostRaceErrorCode()}).</li>
 * </ul>
 * Reads change nothing: for them every throttling code is {@link ErrorCode#THROTTLED} and every
 * other 408, 409, 429 or 5xx {@link ErrorCode#TRANSIENT}.
 *
 * <p>Thread-safety: stateless.
 */
final class S3Failures {
    /** What the failed request was, which decides how an ambiguous failure is reported. */
    enum Request {
        /** GetObject or HeadObject. */
        READ,
        /** PutObject with If-None-Match: * (create). */
        PUT_CREATE,
        /** PutObject with any other condition (If-Match, replace-if-present, dates). */
        PUT_CONDITIONAL,
        /** PutObject without conditions. */
        PUT,
        /** DeleteObject. */
        DELETE,
        /**
         * CreateMultipartUpload, UploadPart or AbortMultipartUpload: nothing visible changes, and a
         * part sent again replaces the first, so a failure without an answer is transient.
         */
        STAGE;

        /** What kind of request this is for the ambiguity rule ({@link Failures}). */
        RequestKind kind() {
            switch (this) {
                case READ:
                    return RequestKind.READ;
                case STAGE:
                    return RequestKind.STAGE;
                default:
                    return RequestKind.WRITE;
            }
        }
    }

    /** Codes with which servers ask the client to slow down: {@link ErrorCode#THROTTLED} for reads. */
    private static final Set<String> THROTTLING_CODES = Set.of("SlowDown", "Throttling", "ThrottlingException",
            "TooManyRequests", "TooManyRequestsException", "RequestLimitExceeded", "ServiceUnavailable",
            "RequestThrottled", "BandwidthLimitExceeded");

    /** The one throttling code that also proves a mutation was refused before it ran (see the class table). */
    private static final String SLOW_DOWN = "SlowDown";

    private S3Failures() {
    }

    /**
     * The HTTP status of a service error, with S3's "200 with an error body" folded onto the
     * status the error code stands for (S3 can answer a request with 200 and an {@code <Error>}
     * document; the SDK then throws with status 200).
     */
    static int effectiveStatus(AwsServiceException e) {
        int status = e.statusCode();
        String code = errorCode(e);
        if (status >= 200 && status < 300 && code != null) {
            return statusForErrorCode(code);
        }
        return status;
    }

    /**
     * The HTTP status an S3 error code stands for; used where S3 sent the error document with a
     * 2xx status (here and in {@link ErrorBodyInterceptor}), so both places classify alike.
     */
    static int statusForErrorCode(String code) {
        switch (code) {
            case "PreconditionFailed":
                return 412;
            case "ConditionalRequestConflict":
            case "OperationAborted":
                return 409;
            case "NoSuchKey":
            case "NoSuchBucket":
                return 404;
            case "AccessDenied":
                return 403;
            default:
                return THROTTLING_CODES.contains(code) ? 503 : 500;
        }
    }

    static String errorCode(AwsServiceException e) {
        AwsErrorDetails details = e.awsErrorDetails();
        String code = details == null ? null : details.errorCode();
        return code == null || code.isEmpty() ? null : code;
    }

    /**
     * Whether the error came inside a 2xx answer: the server had begun processing the request
     * (S3 sends 200 early on CompleteMultipartUpload, then reports a failure in the body).
     */
    static boolean insideOkAnswer(AwsServiceException e) {
        if (e.statusCode() >= 200 && e.statusCode() < 300) {
            return true;
        }
        return e.awsErrorDetails() != null && e.awsErrorDetails().sdkHttpResponse() != null
                && e.awsErrorDetails().sdkHttpResponse().firstMatchingHeader(ErrorBodyInterceptor.ORIGINAL_STATUS_HEADER)
                        .isPresent();
    }

    /**
     * Translates a failure of one request.
     *
     * @param driver the driver name for messages
     * @param operation the S3 operation name for messages
     * @param key the caller's key
     * @param request what the request was
     * @param e the SDK failure
     * @return the exception to throw
     */
    static ObjectStoreException translate(String driver, S3Operation operation, String key, Request request,
                                          SdkException e) {
        return translate(driver, operation, key, request, e, true);
    }

    /**
     * Translates a failure of one request, sent from the caller's thread or not.
     *
     * @param onCallersThread whether the request was sent on the caller's thread (the blocking client):
     *     only then does an interrupted request leave the thread interrupted (never an SDK thread)
     * @return the exception to throw
     */
    static ObjectStoreException translate(String driver, S3Operation operation, String key, Request request,
                                          SdkException e, boolean onCallersThread) {
        if (e instanceof AwsServiceException) {
            return service(driver, operation, key, request, (AwsServiceException) e);
        }
        return client(driver, operation, key, request, e, onCallersThread);
    }

    private static ObjectStoreException service(String driver, S3Operation operation, String key, Request request,
                                                AwsServiceException e) {
        int status = effectiveStatus(e);
        String code = errorCode(e);
        String what = describe(driver, operation, e, status, code);
        if ("NoSuchBucket".equals(code)) {
            return new ObjectStoreException(ErrorCode.UNKNOWN, key, what + ": the bucket does not exist", e);
        }
        if ("XAmzContentSHA256Mismatch".equals(code)) {
            return new ObjectStoreException(ErrorCode.UNKNOWN, key, what + ": the server rejected the SDK's request"
                    + " checksum; use a profile with checksumsWhenRequired (ceph-rgw, s3-compatible)", e);
        }
        // Refusals: the request was checked and turned down (no intermediary makes these after forwarding).
        switch (status) {
            case 304:
                // Only a put can get here (reads turn 304 into a not-modified result): Tigris answers
                // a false If-Modified-Since on PUT with 304. Nothing was written.
                return new PreconditionFailedException(key, what + ": a date condition did not hold", e);
            case 412:
                if (request == Request.PUT_CREATE) {
                    return new ObjectAlreadyExistsException(key, what + ": create-if-absent found the key present", e);
                }
                return new PreconditionFailedException(key, what + ": a condition did not hold", e);
            case 404:
                if (request == Request.PUT_CONDITIONAL) {
                    // AWS answers If-Match on a missing key with 404 NoSuchKey: the update lost.
                    return new PreconditionFailedException(key, what + ": the key does not exist", e);
                }
                return new ObjectNotFoundException(key, what + ": the key does not exist", e);
            case 401:
            case 403:
                return new AccessDeniedException(key, what + ": access denied (check credentials and permissions)", e);
            case 501:
                return new NotSupportedException(key, what + ": the server does not implement this request", e);
            case 400:
                if ("BadDigest".equals(code) && request == Request.STAGE) {
                    // The part arrived corrupted (its Content-MD5 did not match) and was not stored.
                    return new TransientException(ErrorCode.TRANSIENT, key, what + ": the part arrived corrupted", e);
                }
                if ("RequestTimeout".equals(code)) {
                    // S3 gave up waiting for the request body: it was not applied.
                    return new TransientException(ErrorCode.TRANSIENT, key, what + ": request timed out at the server", e);
                }
                return new ObjectStoreException(ErrorCode.UNKNOWN, key, what + ": rejected by the server", e);
            default:
                break;
        }
        if (!Failures.saysNothingWithoutCode(status) && (code == null || !THROTTLING_CODES.contains(code))) {
            return new ObjectStoreException(ErrorCode.UNKNOWN, key, what, e);
        }
        // 408, 409, 429, 5xx or a throttling code: proof of "not applied" only in the store's own words.
        if (code == null) {
            return Failures.withoutStoreCode(request.kind(), key, what, e);
        }
        if ("ConditionalRequestConflict".equals(code)) {
            // A concurrent conditional request on the key won; nothing was written and AWS says to
            // retry. Never "already exists".
            return new TransientException(ErrorCode.CONFLICT, key, what + ": concurrent conditional request", e);
        }
        boolean throttled = THROTTLING_CODES.contains(code);
        if (throttled && (SLOW_DOWN.equals(code) && !insideOkAnswer(e) || !request.kind().mayChangeState())) {
            return new TransientException(ErrorCode.THROTTLED, key, what + ": throttled", e);
        }
        return Failures.unanswered(request.kind(), key, what + (throttled ? ": throttled, which this code does not"
                + " prove happened before the request was applied" : ": server error"), e);
    }

    private static ObjectStoreException client(String driver, S3Operation operation, String key, Request request,
                                               SdkException e, boolean onCallersThread) {
        String what = driver + " " + name(operation) + " failed";
        if (e instanceof AbortedException || hasCause(e, InterruptedException.class)) {
            if (onCallersThread) {
                Thread.currentThread().interrupt();
            }
            if (request.kind().mayChangeState()) {
                return Failures.unanswered(request.kind(), key, what + ": interrupted", e);
            }
            return new ObjectStoreException(ErrorCode.UNKNOWN, key, what + ": interrupted", e);
        }
        if (notSent(e)) {
            return Failures.notSent(key, what + ": could not connect (" + rootCauseName(e) + ")", e);
        }
        boolean io = e instanceof ApiCallAttemptTimeoutException || e instanceof ApiCallTimeoutException
                || hasCause(e, IOException.class);
        if (io) {
            return Failures.unanswered(request.kind(), key, what + ": " + rootCauseName(e)
                    + " after the request was sent", e);
        }
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (message.startsWith("Unable to load credentials") || message.contains("credentials provider")) {
            return new AccessDeniedException(key, what + ": no credentials (configure the AWS provider chain)", e);
        }
        return new ObjectStoreException(ErrorCode.UNKNOWN, key, what + ": " + e.getClass().getSimpleName(), e);
    }

    /** Whether the failure happened before any byte of the request left (connect failures). */
    private static boolean notSent(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof NoRouteToHostException) {
                return true;
            }
            String n = t.getClass().getSimpleName();
            // Apache HttpClient: connect timeout, or no pooled connection within the acquire timeout.
            if (t instanceof InterruptedIOException && (n.equals("ConnectTimeoutException")
                    || n.equals("ConnectionPoolTimeoutException"))) {
                return true;
            }
            // Netty (the asynchronous client): no pooled connection within the acquire timeout, or too
            // many requests already waiting for one. Its connect timeout is a ConnectException.
            String message = t.getMessage();
            if (message != null && (t instanceof TimeoutException && message.contains("Acquire operation took longer")
                    || t instanceof IllegalStateException && message.contains("Too many outstanding acquire operations"))) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static String rootCauseName(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName();
    }

    private static String describe(String driver, S3Operation operation, AwsServiceException e, int status, String code) {
        StringBuilder b = new StringBuilder(driver).append(' ').append(name(operation)).append(" failed: HTTP ");
        Optional<String> original = e.awsErrorDetails() == null || e.awsErrorDetails().sdkHttpResponse() == null
                ? Optional.empty()
                : e.awsErrorDetails().sdkHttpResponse().firstMatchingHeader(ErrorBodyInterceptor.ORIGINAL_STATUS_HEADER);
        if (original.isPresent()) {
            b.append(original.get()).append(" with an error body");
        } else {
            b.append(e.statusCode());
        }
        if (status != e.statusCode()) {
            b.append(" (error body: treated as ").append(status).append(')');
        }
        if (code != null) {
            b.append(' ').append(code);
        }
        if (e.requestId() != null) {
            b.append(", request id ").append(e.requestId());
        }
        return b.toString();
    }

    private static String name(S3Operation operation) {
        switch (operation) {
            case PUT_OBJECT:
                return "PutObject";
            case GET_OBJECT:
                return "GetObject";
            case HEAD_OBJECT:
                return "HeadObject";
            case DELETE_OBJECT:
                return "DeleteObject";
            case CREATE_MULTIPART_UPLOAD:
                return "CreateMultipartUpload";
            case UPLOAD_PART:
                return "UploadPart";
            case COMPLETE_MULTIPART_UPLOAD:
                return "CompleteMultipartUpload";
            case ABORT_MULTIPART_UPLOAD:
                return "AbortMultipartUpload";
            case COPY_OBJECT:
                return "CopyObject";
            case LIST_OBJECTS:
                return "ListObjectsV2";
            default:
                return operation.name().toLowerCase(Locale.ROOT);
        }
    }
}
