package io.leasehold.aws;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

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
    private static final ExecutionAttribute<BodyCopy> ASYNC_BODY = new ExecutionAttribute<>("leasehold.asyncBody");
    /** One shared instance: the interceptor keeps no state of its own. */
    static final ErrorBodyInterceptor INSTANCE = new ErrorBodyInterceptor();
    private static final int MAX_BODY = 64 * 1024;
    private static final int FIRST_READ = 512;

    @Override
    public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
        SdkHttpResponse response = context.httpResponse();
        if (!watched(response, attributes)) {
            return response;
        }
        // Empty on the asynchronous client, whose body arrives later (see modifyAsyncHttpResponseContent).
        Optional<InputStream> body = context.responseBody();
        if (body.isEmpty()) {
            return response;
        }
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
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

    /** A 2xx answer with a body to an operation S3 may answer that way (Content-Length 0 is not read). */
    private static boolean watched(SdkHttpResponse response, ExecutionAttributes attributes) {
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        return response.isSuccessful() && ("PutObject".equals(operation) || "DeleteObject".equals(operation)
                || "CompleteMultipartUpload".equals(operation))
                && response.firstMatchingHeader("Content-Length").filter("0"::equals).isEmpty();
    }

    /**
     * The asynchronous client decides success on the status line, before the body arrives: its body is
     * copied as it passes (at most {@value #MAX_BODY} bytes) and judged in {@link #modifyResponse}.
     */
    @Override
    public Optional<Publisher<ByteBuffer>> modifyAsyncHttpResponseContent(Context.ModifyHttpResponse context,
                                                                          ExecutionAttributes attributes) {
        Optional<Publisher<ByteBuffer>> body = context.responsePublisher();
        if (body.isEmpty() || !watched(context.httpResponse(), attributes)) {
            return body;
        }
        BodyCopy copy = new BodyCopy();
        attributes.putAttribute(ASYNC_BODY, copy);
        Publisher<ByteBuffer> original = body.get();
        return Optional.of(subscriber -> original.subscribe(new Subscriber<ByteBuffer>() {
            @Override
            public void onSubscribe(Subscription subscription) {
                subscriber.onSubscribe(subscription);
            }

            @Override
            public void onNext(ByteBuffer buffer) {
                copy.add(buffer.duplicate());
                subscriber.onNext(buffer);
            }

            @Override
            public void onError(Throwable t) {
                subscriber.onError(t);
            }

            @Override
            public void onComplete() {
                subscriber.onComplete();
            }
        }));
    }

    /**
     * On the asynchronous client: a 2xx answer whose body was an error document fails as the blocking
     * client's rewritten answer does (the status the code stands for, the original status in
     * {@value #ORIGINAL_STATUS_HEADER}).
     */
    @Override
    public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
        BodyCopy copy = attributes.getAttribute(ASYNC_BODY);
        String code = copy == null ? null : errorCode(copy.bytes());
        if (code == null) {
            return context.response();
        }
        SdkHttpResponse original = context.httpResponse();
        int status = S3Failures.statusForErrorCode(code);
        SdkHttpResponse rewritten = original.toBuilder().statusCode(status)
                .putHeader(ORIGINAL_STATUS_HEADER, Integer.toString(original.statusCode())).build();
        String requestId = original.firstMatchingHeader("x-amz-request-id").orElse(null);
        throw S3Exception.builder().statusCode(status).requestId(requestId)
                .message(code + " in a " + original.statusCode() + " answer")
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).serviceName("S3").sdkHttpResponse(rewritten).build())
                .build();
    }

    /** The first {@value #MAX_BODY} bytes of a body, copied as they pass. */
    private static final class BodyCopy {
        private byte[] bytes = new byte[0];

        synchronized void add(ByteBuffer buffer) {
            int room = MAX_BODY - bytes.length;
            int n = Math.min(room, buffer.remaining());
            if (n <= 0) {
                return;
            }
            byte[] grown = Arrays.copyOf(bytes, bytes.length + n);
            buffer.get(grown, bytes.length, n);
            bytes = grown;
        }

        synchronized byte[] bytes() {
            return bytes;
        }
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
