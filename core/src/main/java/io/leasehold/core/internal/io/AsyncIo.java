package io.leasehold.core.internal.io;

import io.leasehold.core.DeleteOptions;
import io.leasehold.core.GetOptions;
import io.leasehold.core.ObjectStoreException;
import io.leasehold.core.PutOptions;
import io.leasehold.core.internal.Futures;
import io.leasehold.spi.AsyncStoreDriver;
import io.leasehold.spi.GetResponse;
import io.leasehold.spi.PutResponse;
import io.leasehold.spi.StoreDriver;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The asynchronous flavour of {@link StoreIo}: requests go through the driver's non-blocking requests
 * where it has them ({@link StoreDriver#async()}), else its blocking methods run on the runtime's blocking
 * threads; every answer continues on a callback thread, never on the thread that delivered it.
 *
 * <p>Thread-safety: safe for concurrent use.
 */
public final class AsyncIo implements StoreIo {
    private final StoreDriver driver;
    private final AsyncStoreDriver nonBlocking;
    private final AsyncRuntime runtime;
    private final Pauses pauses;

    /**
     * Requests through a driver.
     *
     * @param driver the driver
     * @param runtime the threads
     */
    public AsyncIo(StoreDriver driver, AsyncRuntime runtime) {
        this(driver, driver.async().orElse(null), runtime, runtime::after);
    }

    private AsyncIo(StoreDriver driver, AsyncStoreDriver nonBlocking, AsyncRuntime runtime, Pauses pauses) {
        this.driver = driver;
        this.nonBlocking = nonBlocking;
        this.runtime = runtime;
        this.pauses = pauses;
    }

    @Override
    public String name() {
        return driver.name();
    }

    /**
     * Whether requests are non-blocking (the driver has an asynchronous form).
     *
     * @return true if no blocking thread is used for object requests
     */
    public boolean nonBlocking() {
        return nonBlocking != null;
    }

    @Override
    public CompletableFuture<PutResponse> put(String key, byte[] content, PutOptions options) {
        if (nonBlocking == null) {
            return call(key, () -> driver.put(key, content, options));
        }
        return answered(key, () -> nonBlocking.put(key, content, options));
    }

    @Override
    public CompletableFuture<GetResponse> get(String key, GetOptions options, boolean withContent) {
        if (nonBlocking == null) {
            return call(key, () -> driver.get(key, options, withContent));
        }
        return answered(key, () -> nonBlocking.get(key, options, withContent));
    }

    @Override
    public CompletableFuture<Void> delete(String key, DeleteOptions options) {
        if (nonBlocking == null) {
            return call(key, () -> {
                driver.delete(key, options);
                return null;
            });
        }
        return answered(key, () -> nonBlocking.delete(key, options));
    }

    @Override
    public <T> CompletableFuture<T> call(String key, Supplier<T> call) {
        return runtime.offload(call).handle((v, e) -> {
            if (e != null) {
                throw Futures.sneaky(wrapped(key, Futures.unwrap(e)));
            }
            return v;
        });
    }

    /** A non-blocking request's answer, continued on a callback thread, failures in the library's terms. */
    private <T> CompletableFuture<T> answered(String key, Supplier<CompletableFuture<T>> request) {
        return runtime.hop(Futures.attempt(request)).handle((v, e) -> {
            if (e != null) {
                throw Futures.sneaky(wrapped(key, Futures.unwrap(e)));
            }
            return v;
        });
    }

    private Throwable wrapped(String key, Throwable e) {
        if (e instanceof ObjectStoreException || !(e instanceof RuntimeException)) {
            return e;
        }
        return BlockingIo.unexpected(driver.name(), key, (RuntimeException) e);
    }

    @Override
    public Pauses pauses() {
        return pauses;
    }

    @Override
    public StoreIo withPauses(Pauses other) {
        return other == pauses ? this : new AsyncIo(driver, nonBlocking, runtime, other);
    }
}
