package io.leasehold.core.lease;

import io.leasehold.core.ObjectStoreException;
import java.util.Optional;

/**
 * A held lease that renews itself in the background until {@link #close()}. Obtain one from
 * {@link Leases#keep(String, LeaseOptions, LeaseListener)}; use it with try-with-resources.
 *
 * <h2>Renewal</h2>
 * A finite lease is renewed at about a third of its duration (with jitter, so keepers started
 * together do not renew in lockstep); an infinite lease is checked with a renewal every
 * {@value #INFINITE_CHECK_SECONDS} s so that a break is noticed. Renewals run on shared daemon
 * threads and never block the caller. All timing is on the monotonic clock ({@link System#nanoTime()}),
 * so wall-clock steps change nothing.
 *
 * <h2>Failures</h2>
 * <ul>
 *   <li>Transient (throttling, 5xx, timeouts, unknown outcomes): reported through
 *       {@link LeaseListener#onRenewalFailed} with the remaining safe time, and retried with jittered
 *       backoff while time remains. The lease is still held.</li>
 *   <li>Definitive ({@link io.leasehold.core.LeaseLostException}, {@link io.leasehold.core.LeaseMismatchException},
 *       {@link io.leasehold.core.LeaseHeldException}, {@link io.leasehold.core.StaleWriteException}, the object deleted)
 *       or time running out: the lease is lost. {@link LeaseListener#onLost} is called once, and
 *       {@link #isHeld()} turns false. Time runs out at the <em>safety margin</em> before the lease
 *       could expire by the local clock, measured from just before the last successful renewal was
 *       sent, so the loss is reported before anyone else can acquire the lease. An infinite lease
 *       cannot expire, but it can be broken at any moment and the keeper learns of that only by
 *       checking: it is lost once two check intervals ({@value #INFINITE_CHECK_SECONDS} s each) pass
 *       without a successful check (a network partition, for example).</li>
 * </ul>
 * What {@link #isHeld()} cannot see: a break or a takeover between two renewals. It turns false at
 * the next renewal, at most about a third of the duration later (an infinite lease: one check
 * interval) plus a round trip; until then it stays true. Pass the lease id to every write, so the
 * store (or an emulated lease's guard) refuses a write under a lease that is gone.
 * A local clock cannot see a store whose clock runs fast by more than the margin, nor a process
 * paused for longer than the margin; for writes that must never overlap, pass the lease id to every
 * write (the store, or on emulated leases the guarded write's fencing, refuses a stale one) and hand
 * {@link Lease#fencingToken()} to anything downstream that can check it.
 *
 * <h2>Closing</h2>
 * {@link #close()} stops renewing and releases the lease (even after a loss was reported, in case
 * the store still holds it), so another contender can acquire it at once. A failed release is
 * reported through {@link LeaseListener#onReleaseFailed} and never thrown.
 *
 * <p>Thread-safety: safe for concurrent use; listener calls for one keeper never overlap.
 */
public interface LeaseKeeper extends AutoCloseable {
    /** How often an infinite lease is renewed to notice that it was broken, in seconds. */
    int INFINITE_CHECK_SECONDS = 20;

    /**
     * Whether the lease is held as far as the keeper can know: not lost, not closed, not past the
     * safety margin before its expiry by the local monotonic clock (for an infinite lease: checked
     * within the last two check intervals), and not refused at the last renewal. A break or a
     * takeover since the last renewal shows only at the next one (see the class documentation), so
     * this is no substitute for passing the lease id to writes.
     *
     * @return true if work under the lease may go on
     */
    boolean isHeld();

    /**
     * The lease as last acquired or renewed.
     *
     * @return the current lease
     */
    Lease lease();

    /**
     * The lease id, to pass to guarded writes ({@link io.leasehold.core.PutOptions.Builder#leaseId(String)}).
     *
     * @return the id; treat it as a secret
     */
    String leaseId();

    /**
     * The leased key.
     *
     * @return the key
     */
    String key();

    /**
     * How many renewals succeeded so far.
     *
     * @return the count
     */
    long renewals();

    /**
     * Why the lease was lost, once it was.
     *
     * @return the cause, or empty while held (or closed without a loss)
     */
    Optional<ObjectStoreException> lossCause();

    /**
     * Stops renewing and releases the lease. Idempotent. Never throws: a failed release is reported
     * through {@link LeaseListener#onReleaseFailed} on the calling thread.
     */
    @Override
    void close();
}
