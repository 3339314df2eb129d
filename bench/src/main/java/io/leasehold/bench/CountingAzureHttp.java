package io.leasehold.bench;

import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.util.Context;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Wraps a real azure-core {@link HttpClient} and counts every request that goes on the wire, by method
 * (and lease operations by their action), with the same fault injection as {@link CountingS3Http}.
 *
 * <p>Thread-safety: safe for concurrent use.
 */
public final class CountingAzureHttp implements HttpClient {
    private static final HttpHeaderName LEASE_ACTION = HttpHeaderName.fromString("x-ms-lease-action");
    private final HttpClient delegate;
    private final AtomicLong total = new AtomicLong();
    private final Map<String, AtomicLong> byKind = new ConcurrentHashMap<>();
    private final Map<HttpMethod, AtomicInteger> lose = new ConcurrentHashMap<>();
    private final Map<HttpMethod, AtomicInteger> fail = new ConcurrentHashMap<>();

    /**
     * Counts the requests of a transport.
     *
     * @param delegate the real transport
     */
    public CountingAzureHttp(HttpClient delegate) {
        this.delegate = delegate;
    }

    /** @return requests sent so far */
    public long requests() {
        return total.get();
    }

    /**
     * @param kind an HTTP method name ({@code GET}, {@code PUT}, …), or {@code lease:acquire} etc.
     * @return requests of that kind sent so far
     */
    public long requests(String kind) {
        AtomicLong n = byKind.get(kind);
        return n == null ? 0 : n.get();
    }

    /** Sets every count back to zero. */
    public void reset() {
        total.set(0);
        byKind.clear();
    }

    /**
     * The next {@code method} request is sent and applied, and then its response is lost.
     *
     * @param method the method
     */
    public void loseNextResponse(HttpMethod method) {
        lose.computeIfAbsent(method, m -> new AtomicInteger()).incrementAndGet();
    }

    /**
     * The next {@code method} request is answered with 500 without being sent (still counted).
     *
     * @param method the method
     */
    public void failNext(HttpMethod method) {
        fail.computeIfAbsent(method, m -> new AtomicInteger()).incrementAndGet();
    }

    private static boolean take(Map<HttpMethod, AtomicInteger> armed, HttpMethod method) {
        AtomicInteger n = armed.get(method);
        return n != null && n.getAndUpdate(v -> v > 0 ? v - 1 : 0) > 0;
    }

    private void count(HttpRequest request) {
        total.incrementAndGet();
        byKind.computeIfAbsent(request.getHttpMethod().name(), k -> new AtomicLong()).incrementAndGet();
        String action = request.getHeaders().getValue(LEASE_ACTION);
        if (action != null) {
            byKind.computeIfAbsent("lease:" + action, k -> new AtomicLong()).incrementAndGet();
        }
    }

    @Override
    public Mono<HttpResponse> send(HttpRequest request) {
        return send(request, Context.NONE);
    }

    @Override
    public Mono<HttpResponse> send(HttpRequest request, Context context) {
        return Mono.defer(() -> {
            count(request);
            if (take(fail, request.getHttpMethod())) {
                return Mono.just(serverError(request));
            }
            boolean loseIt = take(lose, request.getHttpMethod());
            return delegate.send(request, context).flatMap(response -> {
                if (loseIt) {
                    response.close();
                    return Mono.error(lost());
                }
                return Mono.just(response);
            });
        });
    }

    @Override
    public HttpResponse sendSync(HttpRequest request, Context context) {
        count(request);
        if (take(fail, request.getHttpMethod())) {
            return serverError(request);
        }
        boolean loseIt = take(lose, request.getHttpMethod());
        HttpResponse response = delegate.sendSync(request, context);
        if (loseIt) {
            response.close();
            throw lost();
        }
        return response;
    }

    private static UncheckedIOException lost() {
        return new UncheckedIOException(new java.io.IOException("response lost (injected by CountingAzureHttp)"));
    }

    private static HttpResponse serverError(HttpRequest request) {
        return new HttpResponse(request) {
            @Override
            public int getStatusCode() {
                return 500;
            }

            @Override
            @Deprecated
            public String getHeaderValue(String name) {
                return null;
            }

            @Override
            public HttpHeaders getHeaders() {
                return new HttpHeaders().set(HttpHeaderName.fromString("x-ms-error-code"), "InternalError");
            }

            @Override
            public Flux<ByteBuffer> getBody() {
                return Flux.empty();
            }

            @Override
            public Mono<byte[]> getBodyAsByteArray() {
                return Mono.just(new byte[0]);
            }

            @Override
            public Mono<String> getBodyAsString() {
                return Mono.just("");
            }

            @Override
            public Mono<String> getBodyAsString(Charset charset) {
                return Mono.just("");
            }
        };
    }
}
