package io.leasehold.tck;

import io.leasehold.core.DeleteOptions;
import io.leasehold.core.GetOptions;
import io.leasehold.core.PutOptions;
import io.leasehold.spi.AsyncStoreDriver;
import io.leasehold.spi.GetResponse;
import io.leasehold.spi.PutResponse;
import io.leasehold.spi.StoreDriver;
import io.leasehold.spi.kit.ForwardingStoreDriver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * A driver whose put, get and delete go through another driver's non-blocking requests
 * ({@link StoreDriver#async()}), each waited for, so that a driver's wire tests written against the
 * blocking methods check its non-blocking form with the same assertions (the same requests on the wire,
 * the same exceptions for the same answers). Everything else is forwarded.
 *
 * <p>It also checks the non-blocking contract: a call that throws instead of failing its future is an
 * {@link AssertionError}.
 *
 * <p>Thread-safety: as the wrapped driver.
 */
public final class ThroughAsyncRequests extends ForwardingStoreDriver {
    private final AsyncStoreDriver requests;

    private ThroughAsyncRequests(StoreDriver driver, AsyncStoreDriver requests) {
        super(driver);
        this.requests = requests;
    }

    /**
     * Wraps a driver that has non-blocking requests.
     *
     * @param driver the driver
     * @return the wrapper
     * @throws AssertionError if the driver has no non-blocking requests
     */
    public static ThroughAsyncRequests of(StoreDriver driver) {
        return new ThroughAsyncRequests(driver, driver.async()
                .orElseThrow(() -> new AssertionError(driver + " has no non-blocking requests")));
    }

    @Override
    public PutResponse put(String key, byte[] content, PutOptions options) {
        return await(() -> requests.put(key, content, options));
    }

    @Override
    public GetResponse get(String key, GetOptions options, boolean withContent) {
        return await(() -> requests.get(key, options, withContent));
    }

    @Override
    public void delete(String key, DeleteOptions options) {
        await(() -> requests.delete(key, options));
    }

    private static <T> T await(Supplier<CompletableFuture<T>> call) {
        CompletableFuture<T> future;
        try {
            future = call.get();
        } catch (RuntimeException thrown) {
            throw new AssertionError("a non-blocking request threw instead of failing its future", thrown);
        }
        if (future == null) {
            throw new AssertionError("a non-blocking request returned no future");
        }
        try {
            return future.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw e;
        }
    }
}
