package io.leasehold.bench;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * Wraps a real {@link SdkHttpClient} and counts every request that goes on the wire, by method. For
 * fault tests it can also, for the next request of a method, let the server apply it and then lose the
 * response ({@link #loseNextResponse}), or answer it with a server error without sending it
 * ({@link #failNext}). Every SDK retry passes through here, so the counts include them.
 *
 * <p>Thread-safety: safe for concurrent use.
 */
public final class CountingS3Http implements SdkHttpClient {
    private final SdkHttpClient delegate;
    private final AtomicLong total = new AtomicLong();
    private final Map<SdkHttpMethod, AtomicLong> byMethod = new ConcurrentHashMap<>();
    private final Map<SdkHttpMethod, AtomicInteger> lose = new ConcurrentHashMap<>();
    private final Map<SdkHttpMethod, AtomicInteger> fail = new ConcurrentHashMap<>();

    /**
     * Counts the requests of a transport.
     *
     * @param delegate the real transport (closed with this one)
     */
    public CountingS3Http(SdkHttpClient delegate) {
        this.delegate = delegate;
    }

    /** @return requests sent so far */
    public long requests() {
        return total.get();
    }

    /**
     * @param method an HTTP method
     * @return requests of that method sent so far
     */
    public long requests(SdkHttpMethod method) {
        AtomicLong n = byMethod.get(method);
        return n == null ? 0 : n.get();
    }

    /** Sets every count back to zero. */
    public void reset() {
        total.set(0);
        byMethod.clear();
    }

    /**
     * The next {@code method} request is sent and applied by the server, and then its response is lost
     * (an {@link IOException}, as after a connection reset).
     *
     * @param method the method
     */
    public void loseNextResponse(SdkHttpMethod method) {
        lose.computeIfAbsent(method, m -> new AtomicInteger()).incrementAndGet();
    }

    /**
     * The next {@code method} request is answered with 500 without being sent (it is still counted:
     * the client sent it as far as it can tell).
     *
     * @param method the method
     */
    public void failNext(SdkHttpMethod method) {
        fail.computeIfAbsent(method, m -> new AtomicInteger()).incrementAndGet();
    }

    private static boolean take(Map<SdkHttpMethod, AtomicInteger> armed, SdkHttpMethod method) {
        AtomicInteger n = armed.get(method);
        return n != null && n.getAndUpdate(v -> v > 0 ? v - 1 : 0) > 0;
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        SdkHttpMethod method = request.httpRequest().method();
        ExecutableHttpRequest real = delegate.prepareRequest(request);
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() throws IOException {
                total.incrementAndGet();
                byMethod.computeIfAbsent(method, m -> new AtomicLong()).incrementAndGet();
                if (take(fail, method)) {
                    real.abort();
                    return HttpExecuteResponse.builder()
                            .response(SdkHttpResponse.builder().statusCode(500).putHeader("Content-Length", "0").build())
                            .responseBody(AbortableInputStream.create(InputStream.nullInputStream())).build();
                }
                HttpExecuteResponse response = real.call();
                if (take(lose, method)) {
                    response.responseBody().ifPresent(body -> {
                        try {
                            body.close();
                        } catch (IOException ignored) {
                            // the response is being thrown away anyway
                        }
                    });
                    throw new IOException("response lost (injected by CountingS3Http)");
                }
                return response;
            }

            @Override
            public void abort() {
                real.abort();
            }
        };
    }

    @Override
    public String clientName() {
        return delegate.clientName();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
