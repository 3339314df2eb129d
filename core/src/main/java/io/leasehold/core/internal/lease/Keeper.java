package io.leasehold.core.internal.lease;

import io.leasehold.core.lease.Lease;
import io.leasehold.core.lease.LeaseKeeper;
import io.leasehold.core.lease.LeaseListener;
import io.leasehold.core.ErrorCode;
import io.leasehold.core.LeaseException;
import io.leasehold.core.LeaseLostException;
import io.leasehold.core.LeaseMismatchException;
import io.leasehold.core.ObjectNotFoundException;
import io.leasehold.core.ObjectStoreException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A held lease that renews itself in the background until {@link #close()}. Obtain one from
 * {@link io.leasehold.core.lease.Leases#keep(String, LeaseOptions, LeaseListener)}; use it with try-with-resources.
 *
 * <h2>Renewal</h2>
 * A finite lease is renewed at about a third of its duration (with jitter, so keepers started
 * together do not renew in lockstep); an infinite lease is checked with a renewal every
 * {@value #INFINITE_CHECK_SECONDS} s so that a break is noticed. Renewals run on shared daemon
 * threads and never block the caller.
 *
 * <h2>Failures</h2>
 * <ul>
 *   <li>Transient (throttling, 5xx, timeouts, unknown outcomes): reported through
 *       {@link LeaseListener#onRenewalFailed} with the remaining safe time, and retried with jittered
 *       backoff while time remains. The lease is still held.</li>
 *   <li>Definitive ({@link LeaseLostException}, {@link LeaseMismatchException},
 *       {@link io.leasehold.core.LeaseHeldException}, the object deleted) or time running out: the lease is lost.
 *       {@link LeaseListener#onLost} is called once, and {@link #isHeld()} turns false. Time runs out
 *       at the <em>safety margin</em> before the lease could expire by the local clock, measured from
 *       just before the last successful renewal was sent, so the loss is reported before anyone else
 *       can acquire the lease.</li>
 * </ul>
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
public final class Keeper implements LeaseKeeper {
    private static final long RETRY_BASE_MILLIS = 200;
    private static final long RETRY_CAP_MILLIS = 2_000;

    private static final ScheduledThreadPoolExecutor TIMER = timer();
    private static final ExecutorService WORKERS = Executors.newCachedThreadPool(daemon("leasehold-keeper-"));

    private enum State { HELD, LOST, CLOSED }

    private final LeaseService leases;
    private final LeaseListener listener;
    private final long marginNanos;
    /** How often an infinite lease is checked (and two of these without success end it). */
    private final long infiniteCheckNanos;
    private final Object lock = new Object();
    private final Object listenerLock = new Object();

    // Guarded by lock.
    private Lease lease;
    private long safeUntilNanos;
    /** Until a first renewal confirms a lease of unknown age, the time renewals are retried until. */
    private long unconfirmedUntilNanos;
    private boolean unconfirmed;
    private State state = State.HELD;
    private ScheduledFuture<?> renewTask;
    private ScheduledFuture<?> deadlineTask;
    private int failedAttempts;
    private long renewals;
    private ObjectStoreException lossCause;
    private ObjectStoreException lastFailure;

    private Keeper(LeaseService leases, Lease lease, long sentNanos, Duration margin, long infiniteCheckNanos,
                   LeaseListener listener) {
        this.leases = leases;
        this.listener = listener;
        this.marginNanos = margin.toNanos();
        this.infiniteCheckNanos = infiniteCheckNanos;
        this.lease = lease;
        this.safeUntilNanos = safeUntil(lease, sentNanos);
    }

    /**
     * Starts a keeper of a lease whose age is unknown (built by the caller, so without a monotonic
     * stamp): it is not held until a renewal, sent at once, succeeds; transient failures are retried
     * for up to the lease's duration (a lease not renewed for that long from now has certainly
     * expired), then it is lost.
     */
    static Keeper startUnconfirmed(LeaseService leases, Lease lease, Duration margin, LeaseListener listener) {
        long now = System.nanoTime();
        Keeper keeper = new Keeper(leases, lease, now, margin, TimeUnit.SECONDS.toNanos(INFINITE_CHECK_SECONDS), listener);
        synchronized (keeper.lock) {
            keeper.unconfirmed = true;
            keeper.safeUntilNanos = now;
            keeper.unconfirmedUntilNanos = now + lease.duration().orElse(Duration.ofSeconds(3L * INFINITE_CHECK_SECONDS))
                    .toNanos();
            keeper.scheduleRenewal(0);
        }
        return keeper;
    }

    static Keeper start(LeaseService leases, Lease lease, long sentNanos, Duration margin, LeaseListener listener) {
        return start(leases, lease, sentNanos, margin, TimeUnit.SECONDS.toNanos(INFINITE_CHECK_SECONDS), listener);
    }

    /** As {@link #start(LeaseService, Lease, long, Duration, LeaseListener)}, checking an infinite lease this often (tests). */
    static Keeper start(LeaseService leases, Lease lease, long sentNanos, Duration margin, long infiniteCheckNanos,
                        LeaseListener listener) {
        Keeper keeper = new Keeper(leases, lease, sentNanos, margin, infiniteCheckNanos, listener);
        synchronized (keeper.lock) {
            long sinceSent = System.nanoTime() - sentNanos;
            keeper.scheduleRenewal(Math.max(0, keeper.renewalDelayNanos() - sinceSent));
            keeper.scheduleDeadline();
        }
        return keeper;
    }

    // ---------------------------------------------------------------- public view

    @Override
    public boolean isHeld() {
        synchronized (lock) {
            return state == State.HELD && System.nanoTime() - safeUntilNanos < 0;
        }
    }

    @Override
    public Lease lease() {
        synchronized (lock) {
            return lease;
        }
    }

    @Override
    public String leaseId() {
        return lease().id();
    }

    @Override
    public String key() {
        return lease().key();
    }

    @Override
    public long renewals() {
        synchronized (lock) {
            return renewals;
        }
    }

    @Override
    public Optional<ObjectStoreException> lossCause() {
        synchronized (lock) {
            return Optional.ofNullable(lossCause);
        }
    }

    /**
     * Stops renewing and releases the lease. Idempotent. Never throws: a failed release is reported
     * through {@link LeaseListener#onReleaseFailed} on the calling thread.
     */
    @Override
    public void close() {
        Lease toRelease;
        State before;
        synchronized (lock) {
            if (state == State.CLOSED) {
                return;
            }
            before = state;
            state = State.CLOSED;
            cancelTasks();
            toRelease = lease;
        }
        try {
            leases.release(toRelease);
        } catch (LeaseMismatchException | LeaseLostException | ObjectNotFoundException gone) {
            if (before == State.HELD) {
                // Lost without the keeper noticing yet: worth telling the holder.
                notifySafely(() -> listener.onReleaseFailed(toRelease, gone));
            }
        } catch (ObjectStoreException failed) {
            notifySafely(() -> listener.onReleaseFailed(toRelease, failed));
        } catch (RuntimeException unexpected) {
            ObjectStoreException wrapped = new ObjectStoreException(ErrorCode.UNKNOWN, toRelease.key(),
                    "release failed with " + unexpected.getClass().getSimpleName(), unexpected);
            notifySafely(() -> listener.onReleaseFailed(toRelease, wrapped));
        }
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "LeaseKeeper{" + lease + ", state=" + state + ", renewals=" + renewals + "}";
        }
    }

    // ---------------------------------------------------------------- renewal

    private void renewNow() {
        Lease current;
        synchronized (lock) {
            if (state != State.HELD) {
                return;
            }
            current = lease;
        }
        long sentNanos = System.nanoTime();
        Lease renewed;
        try {
            renewed = leases.renew(current);
        } catch (LeaseException | ObjectNotFoundException definitive) {
            leases.observing().leaseRenewalFailed(current, definitive, true, Duration.ZERO);
            lose(definitive);
            return;
        } catch (ObjectStoreException failure) {
            retryLater(failure);
            return;
        } catch (RuntimeException unexpected) {
            retryLater(new ObjectStoreException(ErrorCode.UNKNOWN, current.key(),
                    "renewal failed with " + unexpected.getClass().getSimpleName(), unexpected));
            return;
        }
        Duration timeLeft;
        synchronized (lock) {
            if (state != State.HELD) {
                return;
            }
            timeLeft = lease.duration().isEmpty() ? null : Duration.ofNanos(safeUntilNanos + marginNanos - sentNanos);
            lease = renewed;
            unconfirmed = false;
            safeUntilNanos = safeUntil(renewed, sentNanos);
            failedAttempts = 0;
            lastFailure = null;
            renewals++;
            scheduleRenewal(Math.max(0, renewalDelayNanos() - (System.nanoTime() - sentNanos)));
            scheduleDeadline();
        }
        leases.observing().leaseRenewed(renewed, timeLeft);
        notifyIfHeld(() -> listener.onRenewed(renewed));
    }

    private void retryLater(ObjectStoreException failure) {
        Lease current;
        long remainingNanos;
        synchronized (lock) {
            if (state != State.HELD) {
                return;
            }
            current = lease;
            lastFailure = failure;
            remainingNanos = (unconfirmed ? unconfirmedUntilNanos : safeUntilNanos) - System.nanoTime();
            if (remainingNanos <= 0) {
                // The deadline task may be late; loss is decided here as well.
                remainingNanos = 0;
            } else {
                int attempt = ++failedAttempts;
                long ceiling = Math.min(RETRY_CAP_MILLIS, RETRY_BASE_MILLIS << Math.min(20, attempt - 1));
                long pause = TimeUnit.MILLISECONDS.toNanos(1 + ThreadLocalRandom.current().nextLong(ceiling));
                scheduleRenewal(Math.min(pause, Math.max(0, remainingNanos / 2)));
            }
        }
        if (remainingNanos == 0) {
            lose(new LeaseLostException(current.key(),
                    "renewals kept failing until the safety margin before expiry; treat the lease as lost", failure));
            return;
        }
        Duration remaining = Duration.ofNanos(remainingNanos);
        leases.observing().leaseRenewalFailed(current, failure, false, remaining);
        notifyIfHeld(() -> listener.onRenewalFailed(current, failure, remaining));
    }

    private void deadlineReached() {
        Lease current;
        ObjectStoreException cause;
        synchronized (lock) {
            if (state != State.HELD) {
                return;
            }
            long early = safeUntilNanos - System.nanoTime();
            if (early > 0) {
                // A renewal moved the deadline after this task was scheduled.
                scheduleDeadline();
                return;
            }
            current = lease;
            cause = lastFailure;
        }
        lose(new LeaseLostException(current.key(),
                "not renewed before the safety margin before expiry; treat the lease as lost", cause));
    }

    private void lose(ObjectStoreException cause) {
        Lease current;
        synchronized (lock) {
            if (state != State.HELD) {
                return;
            }
            state = State.LOST;
            lossCause = cause;
            cancelTasks();
            current = lease;
        }
        leases.observing().leaseLost(current, cause);
        notifySafely(() -> listener.onLost(current, cause));
    }

    // ---------------------------------------------------------------- scheduling (callers hold lock)

    /**
     * Until when the lease is certainly held: a finite one until the margin before it can expire; an
     * infinite one never expires but can be broken at any time, and the keeper learns of a break only
     * by checking, so it counts as held until two check intervals pass without a successful check.
     */
    private long safeUntil(Lease l, long sentNanos) {
        return l.duration().map(d -> sentNanos + d.toNanos() - marginNanos).orElse(sentNanos + 2 * infiniteCheckNanos);
    }

    private long renewalDelayNanos() {
        long third = lease.duration().map(d -> d.toNanos() / 3).orElse(infiniteCheckNanos);
        // Between 85% and 100% of a third: jitter without ever renewing later than planned.
        return (long) (third * (0.85 + 0.15 * ThreadLocalRandom.current().nextDouble()));
    }

    private void scheduleRenewal(long delayNanos) {
        if (renewTask != null) {
            renewTask.cancel(false);
        }
        renewTask = TIMER.schedule(() -> WORKERS.execute(this::renewNow), delayNanos, TimeUnit.NANOSECONDS);
    }

    private void scheduleDeadline() {
        if (deadlineTask != null) {
            deadlineTask.cancel(false);
            deadlineTask = null;
        }
        if (safeUntilNanos == Long.MAX_VALUE) {
            return;
        }
        long delay = Math.max(0, safeUntilNanos - System.nanoTime());
        deadlineTask = TIMER.schedule(() -> WORKERS.execute(this::deadlineReached), delay, TimeUnit.NANOSECONDS);
    }

    private void cancelTasks() {
        if (renewTask != null) {
            renewTask.cancel(false);
        }
        if (deadlineTask != null) {
            deadlineTask.cancel(false);
        }
    }

    // ---------------------------------------------------------------- listener calls

    private void notifyIfHeld(Runnable call) {
        synchronized (listenerLock) {
            synchronized (lock) {
                if (state != State.HELD) {
                    return;
                }
            }
            invoke(call);
        }
    }

    private void notifySafely(Runnable call) {
        synchronized (listenerLock) {
            invoke(call);
        }
    }

    private static void invoke(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException ignored) {
            // A listener's failure must not stop the keeper (documented on LeaseListener).
        }
    }

    // ---------------------------------------------------------------- threads

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, daemon("leasehold-keeper-timer-"));
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread t = new Thread(runnable, prefix + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
