package io.leasehold.aws;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * <p>Thread-safety: stateless (per-request state lives in execution attributes).
 */
final class ErrorBodyInterceptor implements ExecutionInterceptor {
    /** Response header recording the status before the rewrite. */
    static final String ORIGINAL_STATUS_HEADER = "x-leasehold-original-status";
    private static final ExecutionAttribute<byte[]> BODY = new ExecutionAttribute<>("leasehold.errorBody");
    private static final Pattern CODE = Pattern.compile("<Error>.*?<Code>([A-Za-z0-9.]+)</Code>", Pattern.DOTALL);
    private static final int MAX_BODY = 64 * 1024;

    @Override
    public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
        SdkHttpResponse response = context.httpResponse();
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        if (!response.isSuccessful() || !("PutObject".equals(operation) || "DeleteObject".equals(operation)
                || "CompleteMultipartUpload".equals(operation))) {
            return response;
        }
        Optional<InputStream> body = context.responseBody();
        if (body.isEmpty()) {
            return response;
        }
        byte[] bytes;
        try {
            bytes = body.get().readNBytes(MAX_BODY);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the " + operation + " response body failed", e);
        }
        attributes.putAttribute(BODY, bytes);
        Matcher m = CODE.matcher(new String(bytes, StandardCharsets.UTF_8));
        if (!m.find()) {
            return response;
        }
        int status = S3Failures.statusForErrorCode(m.group(1));
        return response.toBuilder().statusCode(status)
                .putHeader(ORIGINAL_STATUS_HEADER, Integer.toString(response.statusCode())).build();
    }

    @Override
    public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context,
                                                           ExecutionAttributes attributes) {
        byte[] buffered = attributes.getAttribute(BODY);
        return buffered == null ? context.responseBody() : Optional.of(new ByteArrayInputStream(buffered));
    }
}
