package io.leasehold.core.internal.io;

import io.leasehold.core.DeleteOptions;
import io.leasehold.core.GetOptions;
import io.leasehold.core.PutOptions;
import io.leasehold.spi.GetResponse;
import io.leasehold.spi.PutResponse;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * How the protocols reach a store: one request per call, answered as a future. Failures are always
 * {@link io.leasehold.core.ObjectStoreException}s (anything else a driver throws is wrapped with
 * {@link io.leasehold.core.ErrorCode#UNKNOWN}). The blocking flavour sends on the calling thread and
 * returns a completed future; the asynchronous one does not block.
 *
 * <p>Thread-safety: implementations are safe for concurrent use.
 */
public interface StoreIo {

    /**
     * The driver's name, for messages.
     *
     * @return the name
     */
    String name();

    /**
     * Sends one put.
     *
     * @param key the key
     * @param content the bytes (not modified or kept)
     * @param options the options as sent
     * @return the driver's answer
     */
    CompletableFuture<PutResponse> put(String key, byte[] content, PutOptions options);

    /**
     * Sends one get or head.
     *
     * @param key the key
     * @param options the options as sent
     * @param withContent true for a get
     * @return the driver's answer
     */
    CompletableFuture<GetResponse> get(String key, GetOptions options, boolean withContent);

    /**
     * Sends one delete.
     *
     * @param key the key
     * @param options the options as sent
     * @return completes when the store answered
     */
    CompletableFuture<Void> delete(String key, DeleteOptions options);

    /**
     * Runs one blocking driver call that has no asynchronous form (a staged upload's commit, a
     * lease operation of a driver without an asynchronous lease API): inline on the blocking
     * flavour, on a bounded pool on the asynchronous one.
     *
     * @param key the key, for wrapping unexpected failures
     * @param call the call
     * @param <T> the result type
     * @return its answer
     */
    <T> CompletableFuture<T> call(String key, Supplier<T> call);

    /**
     * How this flavour waits between attempts.
     *
     * @return the pauses
     */
    Pauses pauses();

    /**
     * The same requests, waiting through other pauses (e.g. a coalescing lane's scheduler).
     *
     * @param pauses the pauses
     * @return the flavour
     */
    StoreIo withPauses(Pauses pauses);
}
