package io.leasehold.core;

/**
 * Observes {@link ObjectStore#update} attempts. All methods default to doing nothing. For
 * Resilience4j events and metrics, pass your own {@code Retry} through
 * {@link UpdateOptions.Builder#retry(io.github.resilience4j.retry.Retry)} instead or as well.
 *
 * <p>Thread-safety: called on the updating thread; one listener may be shared by many threads, so
 * implementations must be thread-safe.
 */
public interface UpdateListener {
    /**
     * An attempt lost a race or hit a transient failure and will be retried after re-reading.
     *
     * @param key the key
     * @param attempt the attempt that failed, from 1
     * @param cause the failure
     */
    default void onConflict(String key, int attempt, ObjectStoreException cause) {
    }

    /**
     * A write is about to be sent: the function has been applied to the version read, and the result
     * goes out conditioned on that version, tagged with a fresh write id. Every write of one call has
     * its own id; at most one of them ever lands. Useful to correlate logs and to audit which writes
     * reached the store.
     *
     * @param key the key
     * @param attempt the attempt, from 1
     * @param writeId the write id (16 hexadecimal digits) stored in the object's reserved metadata
     */
    default void onWriteSent(String key, int attempt, String writeId) {
    }

    /**
     * A write whose outcome was unknown was found to have landed (recognised by its write id).
     *
     * @param key the key
     * @param attempt the attempt whose write landed
     */
    default void onAmbiguousWriteResolved(String key, int attempt) {
    }

    /**
     * The update succeeded.
     *
     * @param result the result
     */
    default void onSuccess(UpdateResult result) {
    }

    /**
     * The update gave up (attempts exhausted or a failure that is not retried).
     *
     * @param key the key
     * @param attempts attempts made
     * @param cause the last failure
     */
    default void onGiveUp(String key, int attempts, RuntimeException cause) {
    }
}
