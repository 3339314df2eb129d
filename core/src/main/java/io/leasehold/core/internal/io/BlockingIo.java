package io.leasehold.core.internal.io;

import io.leasehold.core.DeleteOptions;
import io.leasehold.core.ErrorCode;
import io.leasehold.core.GetOptions;
import io.leasehold.core.ObjectStoreException;
import io.leasehold.core.PutOptions;
import io.leasehold.core.internal.Futures;
import io.leasehold.spi.GetResponse;
import io.leasehold.spi.PutResponse;
import io.leasehold.spi.StoreDriver;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The blocking flavour of {@link StoreIo}: every request is sent on the calling thread through the
 * driver's blocking methods and the returned future is already complete.
 *
 * <p>Thread-safety: safe for concurrent use (the driver is).
 */
public final class BlockingIo implements StoreIo {
    private final StoreDriver driver;
    private final Pauses pauses;

    /**
     * Requests through a driver, waiting with the given pauses.
     *
     * @param driver the driver
     * @param pauses how to wait
     */
    public BlockingIo(StoreDriver driver, Pauses pauses) {
        this.driver = driver;
        this.pauses = pauses;
    }

    @Override
    public String name() {
        return driver.name();
    }

    @Override
    public CompletableFuture<PutResponse> put(String key, byte[] content, PutOptions options) {
        return call(key, () -> driver.put(key, content, options));
    }

    @Override
    public CompletableFuture<GetResponse> get(String key, GetOptions options, boolean withContent) {
        return call(key, () -> driver.get(key, options, withContent));
    }

    @Override
    public CompletableFuture<Void> delete(String key, DeleteOptions options) {
        return call(key, () -> {
            driver.delete(key, options);
            return null;
        });
    }

    @Override
    public <T> CompletableFuture<T> call(String key, Supplier<T> call) {
        if (Futures.onCallbackThread()) {
            // A blocking request on one of the asynchronous API's threads would stall all of its work.
            return Futures.failed(new IllegalStateException("a blocking request of the library on one of its"
                    + " asynchronous callback threads (e.g. the blocking API used from an update function of the"
                    + " asynchronous API); use the asynchronous API there"));
        }
        try {
            return CompletableFuture.completedFuture(call.get());
        } catch (ObjectStoreException e) {
            return Futures.failed(e);
        } catch (RuntimeException e) {
            return Futures.failed(unexpected(driver.name(), key, e));
        }
    }

    @Override
    public Pauses pauses() {
        return pauses;
    }

    @Override
    public StoreIo withPauses(Pauses other) {
        return other == pauses ? this : new BlockingIo(driver, other);
    }

    /**
     * What a driver's unexpected exception is reported as: {@link ErrorCode#UNKNOWN}, the original as
     * cause (a driver breaking its contract; nothing is concluded about the request).
     *
     * @param driver the driver's name
     * @param key the key, or null
     * @param e the exception
     * @return the wrapped exception
     */
    public static ObjectStoreException unexpected(String driver, String key, RuntimeException e) {
        return new ObjectStoreException(ErrorCode.UNKNOWN, key, driver + " driver failed with " + e.getClass().getSimpleName(), e);
    }
}
