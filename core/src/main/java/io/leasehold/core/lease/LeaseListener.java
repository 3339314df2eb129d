package io.leasehold.core.lease;

import io.leasehold.core.ObjectStoreException;
import java.time.Duration;

/**
 * Hears what a {@link LeaseKeeper} does with its lease. Every method has an empty default, so
 * implement only what you need; {@link #onLost} is the one that matters: stop working under the
 * lease when it is called.
 *
 * <p>Methods run on the keeper's daemon threads (never on the caller's), one at a time per keeper.
 * They should return quickly; an exception thrown by a listener is caught and ignored.
 *
 * <p>Thread-safety: implementations are called from keeper threads and must be safe for that.
 */
public interface LeaseListener {
    /** A listener that ignores every event. */
    LeaseListener NONE = new LeaseListener() {
    };

    /**
     * The lease was renewed.
     *
     * @param lease the lease as renewed (its {@link Lease#acquiredAt()} is the renewal time)
     */
    default void onRenewed(Lease lease) {
    }

    /**
     * A renewal failed in a way that may pass (throttling, 5xx, timeout). The keeper keeps retrying
     * with jittered backoff while time remains; the lease is still held.
     *
     * @param lease the lease last renewed
     * @param cause the failure
     * @param remainingSafeTime how long, by the local clock, the lease is still certainly held (the
     *     time until its expiry minus the safety margin); when it reaches zero {@link #onLost} follows
     */
    default void onRenewalFailed(Lease lease, ObjectStoreException cause, Duration remainingSafeTime) {
    }

    /**
     * The lease is lost, definitively: it was broken, released or taken over
     * ({@link io.leasehold.core.LeaseLostException}, {@link io.leasehold.core.LeaseMismatchException}, {@link io.leasehold.core.LeaseHeldException}), the
     * object was deleted, or renewals kept failing until the safety margin before expiry was reached
     * (a {@link io.leasehold.core.LeaseLostException} whose cause is the last renewal failure). Called once, before the
     * lease can have expired by the local clock; stop writing under it.
     *
     * @param lease the lease last held
     * @param cause why
     */
    default void onLost(Lease lease, ObjectStoreException cause) {
    }

    /**
     * Releasing the lease on {@link LeaseKeeper#close()} failed; the lease will run out on its own
     * (or, if infinite, needs a break).
     *
     * @param lease the lease
     * @param cause the failure
     */
    default void onReleaseFailed(Lease lease, ObjectStoreException cause) {
    }
}
