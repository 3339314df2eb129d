package io.leasehold.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * An in-process {@link SdkHttpClient} that answers every request with a canned S3 response, so that a
 * benchmark measures the SDK and the library, not a network or a server. It reads the whole request
 * body (the SDK signs and checksums streamed bodies while they are read), answers PUT with 200 and an
 * ETag, GET with the object (bookkeeping metadata included, as on an object Leasehold wrote), HEAD
 * with its headers, and a GET or HEAD whose {@code If-None-Match} names the current ETag with 304.
 *
 * <p>Thread-safety: safe for concurrent use; the responses are immutable.
 */
public final class StubS3Http implements SdkHttpClient {
    /** A per-thread buffer: the transport's own reading should not count as the caller's allocation. */
    private static final ThreadLocal<byte[]> DRAIN = ThreadLocal.withInitial(() -> new byte[8192]);
    private final AtomicLong requests = new AtomicLong();
    private final SdkHttpResponse putResponse;
    private final SdkHttpResponse getResponse;
    private final SdkHttpResponse notModified;
    private final byte[] body;
    private final String quotedEtag;

    /**
     * A stub serving one object.
     *
     * @param object the object every GET returns
     */
    public StubS3Http(Fixture object) {
        this.body = object.content();
        this.quotedEtag = "\"" + object.etag() + "\"";
        this.putResponse = common(SdkHttpResponse.builder().statusCode(200))
                .putHeader("ETag", "\"" + object.nextEtag() + "\"")
                .putHeader("Content-Length", "0")
                .build();
        SdkHttpResponse.Builder get = common(SdkHttpResponse.builder().statusCode(200))
                .putHeader("ETag", quotedEtag)
                .putHeader("Last-Modified", "Wed, 21 Oct 2026 07:28:00 GMT")
                .putHeader("Content-Type", "application/json")
                .putHeader("Content-Length", Integer.toString(body.length))
                .putHeader("Accept-Ranges", "bytes");
        object.metadata().forEach((name, value) -> get.putHeader("x-amz-meta-" + name, value));
        this.getResponse = get.build();
        this.notModified = common(SdkHttpResponse.builder().statusCode(304)).putHeader("ETag", quotedEtag).build();
    }

    private static SdkHttpResponse.Builder common(SdkHttpResponse.Builder b) {
        return b.putHeader("x-amz-request-id", "0123456789ABCDEF")
                .putHeader("x-amz-id-2", "stub/stub+stub=")
                .putHeader("Date", "Wed, 21 Oct 2026 07:28:00 GMT")
                .putHeader("Server", "AmazonS3");
    }

    /**
     * How many requests reached this transport.
     *
     * @return the count
     */
    public long requests() {
        return requests.get();
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() throws IOException {
                requests.incrementAndGet();
                if (request.contentStreamProvider().isPresent()) {
                    try (InputStream in = request.contentStreamProvider().get().newStream()) {
                        drain(in);
                    }
                }
                SdkHttpMethod method = request.httpRequest().method();
                if (method == SdkHttpMethod.PUT) {
                    return response(putResponse, new byte[0]);
                }
                Optional<String> ifNoneMatch = request.httpRequest().firstMatchingHeader("If-None-Match");
                if (ifNoneMatch.isPresent() && (ifNoneMatch.get().equals(quotedEtag) || ifNoneMatch.get().equals("*"))) {
                    return HttpExecuteResponse.builder().response(notModified).build();
                }
                if (method == SdkHttpMethod.HEAD) {
                    return HttpExecuteResponse.builder().response(getResponse).build();
                }
                return response(getResponse, body);
            }

            @Override
            public void abort() {
                // nothing in flight
            }
        };
    }

    private static HttpExecuteResponse response(SdkHttpResponse response, byte[] content) {
        return HttpExecuteResponse.builder().response(response)
                .responseBody(AbortableInputStream.create(new ByteArrayInputStream(content))).build();
    }

    private static void drain(InputStream in) throws IOException {
        byte[] buffer = DRAIN.get();
        while (in.read(buffer) >= 0) {
            // discard: a real transport writes these bytes to a socket
        }
    }

    @Override
    public String clientName() {
        return "LeaseholdStub";
    }

    @Override
    public void close() {
        // nothing to release
    }
}
