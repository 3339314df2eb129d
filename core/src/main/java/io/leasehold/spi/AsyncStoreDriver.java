package io.leasehold.spi;

import io.leasehold.core.DeleteOptions;
import io.leasehold.core.GetOptions;
import io.leasehold.core.PutOptions;
import java.util.concurrent.CompletableFuture;

/**
 * The non-blocking form of a driver's object requests, for drivers whose SDK has one (S3's
 * {@code S3AsyncClient}, Azure's {@code BlobAsyncClient}). Returned by {@link StoreDriver#async()};
 * drivers without it are run by the asynchronous API on a bounded pool of the store instead.
 *
 * <h2>Obligations</h2>
 * The same as the blocking methods of {@link StoreDriver}, each answer delivered through the future:
 * the same exceptions for the same answers (failing the future, never thrown from the call itself), the
 * same translation of failures, no SDK retries of mutations. Additionally:
 * <ul>
 *   <li>A call MUST NOT block the calling thread (no waiting on a response, a lock held across I/O, a
 *       connection pool wait).</li>
 *   <li>Futures MAY complete on SDK threads; the library moves its own work off them at once and never
 *       blocks them.</li>
 *   <li>Cancelling a returned future need not stop the request; the library never cancels them.</li>
 * </ul>
 *
 * <p>Thread-safety: implementations MUST be safe for concurrent use.
 */
public interface AsyncStoreDriver {

    /**
     * Writes an object, as {@link StoreDriver#put}.
     *
     * @param key the key
     * @param content the bytes; the driver MUST NOT modify or keep the array after the future completes
     * @param options the validated options
     * @return the driver's answer
     */
    CompletableFuture<PutResponse> put(String key, byte[] content, PutOptions options);

    /**
     * Reads an object or its metadata, as {@link StoreDriver#get}.
     *
     * @param key the key
     * @param options the validated options
     * @param withContent true for get, false for head
     * @return the driver's answer
     */
    CompletableFuture<GetResponse> get(String key, GetOptions options, boolean withContent);

    /**
     * Deletes an object, as {@link StoreDriver#delete}.
     *
     * @param key the key
     * @param options the validated options
     * @return completes when the store answered
     */
    CompletableFuture<Void> delete(String key, DeleteOptions options);
}
