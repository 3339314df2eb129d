package io.leasehold.bench;

import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * An in-process azure-core {@link HttpClient} that answers every request with a canned Blob Storage
 * response: PUT with 201 and a new ETag, GET with the blob (bookkeeping metadata included), HEAD with
 * its properties, and a read whose {@code If-None-Match} names the current ETag with 304. Request
 * bodies are taken as the SDK hands them over (a real transport writes them to a socket).
 *
 * <p>Thread-safety: safe for concurrent use; the canned headers are never modified.
 */
public final class StubAzureHttp implements HttpClient {
    private final AtomicLong requests = new AtomicLong();
    private final HttpHeaders putHeaders;
    private final HttpHeaders getHeaders;
    private final HttpHeaders notModifiedHeaders;
    private final byte[] body;
    private final String quotedEtag;

    /**
     * A stub serving one blob.
     *
     * @param object the blob every GET returns
     */
    public StubAzureHttp(Fixture object) {
        this.body = object.content();
        this.quotedEtag = "\"" + object.etag() + "\"";
        this.putHeaders = common()
                .set(HttpHeaderName.ETAG, "\"" + object.nextEtag() + "\"")
                .set(HttpHeaderName.LAST_MODIFIED, "Wed, 21 Oct 2026 07:28:00 GMT")
                .set(HttpHeaderName.CONTENT_LENGTH, "0")
                .set(HttpHeaderName.fromString("Content-MD5"), "1B2M2Y8AsgTpgAmY7PhCfg==")
                .set(HttpHeaderName.fromString("x-ms-request-server-encrypted"), "true");
        HttpHeaders get = common()
                .set(HttpHeaderName.ETAG, quotedEtag)
                .set(HttpHeaderName.LAST_MODIFIED, "Wed, 21 Oct 2026 07:28:00 GMT")
                .set(HttpHeaderName.CONTENT_TYPE, "application/json")
                .set(HttpHeaderName.CONTENT_LENGTH, Integer.toString(body.length))
                .set(HttpHeaderName.fromString("x-ms-blob-type"), "BlockBlob")
                .set(HttpHeaderName.fromString("x-ms-lease-state"), "available")
                .set(HttpHeaderName.fromString("x-ms-lease-status"), "unlocked")
                .set(HttpHeaderName.fromString("x-ms-server-encrypted"), "true")
                .set(HttpHeaderName.fromString("x-ms-creation-time"), "Wed, 21 Oct 2026 07:28:00 GMT")
                .set(HttpHeaderName.ACCEPT_RANGES, "bytes");
        object.metadata().forEach((name, value) -> get.set(HttpHeaderName.fromString("x-ms-meta-" + name), value));
        this.getHeaders = get;
        this.notModifiedHeaders = common().set(HttpHeaderName.ETAG, quotedEtag);
    }

    private static HttpHeaders common() {
        return new HttpHeaders()
                .set(HttpHeaderName.fromString("x-ms-request-id"), "00000000-0000-0000-0000-000000000000")
                .set(HttpHeaderName.fromString("x-ms-version"), "2025-01-05")
                .set(HttpHeaderName.DATE, "Wed, 21 Oct 2026 07:28:00 GMT")
                .set(HttpHeaderName.SERVER, "Windows-Azure-Blob/1.0");
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
    public Mono<HttpResponse> send(HttpRequest request) {
        return Mono.fromSupplier(() -> sendSync(request, Context.NONE));
    }

    @Override
    public HttpResponse sendSync(HttpRequest request, Context context) {
        requests.incrementAndGet();
        BinaryData sent = request.getBodyAsBinaryData();
        if (sent != null) {
            sent.toByteBuffer(); // what a transport reads to write; a view for byte-array bodies
        }
        HttpMethod method = request.getHttpMethod();
        if (method == HttpMethod.PUT) {
            return new Canned(request, 201, putHeaders, new byte[0]);
        }
        String ifNoneMatch = request.getHeaders().getValue(HttpHeaderName.IF_NONE_MATCH);
        if (quotedEtag.equals(ifNoneMatch)) {
            return new Canned(request, 304, notModifiedHeaders, new byte[0]);
        }
        return new Canned(request, 200, getHeaders, method == HttpMethod.HEAD ? new byte[0] : body);
    }

    /** One canned response. */
    private static final class Canned extends HttpResponse {
        private final int status;
        private final HttpHeaders headers;
        private final byte[] content;

        Canned(HttpRequest request, int status, HttpHeaders headers, byte[] content) {
            super(request);
            this.status = status;
            this.headers = headers;
            this.content = content;
        }

        @Override
        public int getStatusCode() {
            return status;
        }

        @Override
        @Deprecated
        public String getHeaderValue(String name) {
            return headers.getValue(HttpHeaderName.fromString(name));
        }

        @Override
        public String getHeaderValue(HttpHeaderName name) {
            return headers.getValue(name);
        }

        @Override
        public HttpHeaders getHeaders() {
            return headers;
        }

        @Override
        public Flux<ByteBuffer> getBody() {
            return Flux.just(ByteBuffer.wrap(content).asReadOnlyBuffer());
        }

        @Override
        public BinaryData getBodyAsBinaryData() {
            return BinaryData.fromBytes(content);
        }

        @Override
        public Mono<byte[]> getBodyAsByteArray() {
            return Mono.just(content);
        }

        @Override
        public Mono<String> getBodyAsString() {
            return getBodyAsString(StandardCharsets.UTF_8);
        }

        @Override
        public Mono<String> getBodyAsString(Charset charset) {
            return Mono.just(new String(content, charset));
        }
    }
}
