package io.leasehold.core.internal.update;

import io.leasehold.core.UpdateOptions;
import io.leasehold.core.internal.io.StoreIo;

/**
 * Builds the read-modify-write loop of one {@code update} call (or batch of calls) with the store's
 * engine, guards, budget and observation: the store's side of the coalescer.
 *
 * <p>Thread-safety: implementations are safe for concurrent use.
 */
public interface LoopFactory {

    /**
     * A loop for the options' shape (content type, metadata, lease, retry).
     *
     * @param io how the loop reaches the store (and waits)
     * @param key the key
     * @param transition what it writes
     * @param shape the options
     * @param held the raw object the caller holds (its first attempt skips the read), or null
     * @param progress hooks
     * @param <R> the result type
     * @return the loop, ready to run
     */
    <R> UpdateLoop<R> loop(StoreIo io, String key, Transition<R> transition, UpdateOptions shape,
                           io.leasehold.spi.GetResponse held, UpdateLoop.Progress progress);
}
