package io.leasehold.core.internal.lease;


import io.leasehold.core.lease.Lease;
import io.leasehold.core.lease.LeaseKeeper;
import io.leasehold.core.lease.LeaseListener;
import io.leasehold.core.lease.LeaseOptions;
import io.leasehold.core.lease.LeaseState;
import io.leasehold.core.lease.LeaseStatus;
import io.leasehold.core.lease.Leases;
import io.leasehold.core.Capability;
import io.leasehold.core.DeleteOptions;
import io.leasehold.core.GetOptions;
import io.leasehold.core.ErrorCode;
import io.leasehold.core.InvalidArgumentException;
import io.leasehold.core.LeaseHeldException;
import io.leasehold.core.LeaseLostException;
import io.leasehold.core.LeaseMismatchException;
import io.leasehold.core.NotSupportedException;
import io.leasehold.core.ObjectAlreadyExistsException;
import io.leasehold.core.ObjectNotFoundException;
import io.leasehold.core.ObjectStoreException;
import io.leasehold.core.OutcomeUnknownException;
import io.leasehold.core.PreconditionFailedException;
import io.leasehold.core.PutMode;
import io.leasehold.core.PutOptions;
import io.leasehold.core.StoreObserver;
import io.leasehold.core.TransientException;
import io.leasehold.core.internal.Observing;
import io.leasehold.core.internal.Validation;
import io.leasehold.spi.LeaseDriver;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import io.leasehold.core.internal.StoreCore;
import io.leasehold.spi.LeaseGrant;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Leases on objects: the pessimistic half of Leasehold. Obtain it from {@code ObjectStore.leases()}.
 *
 * <h2>Model (Azure Blob leases, on every store that declares {@link Capability#LEASES})</h2>
 * <ul>
 *   <li>A lease is held on one existing object, for 15 to 60 s or infinitely, under a lease id.
 *       While it is held (state {@link LeaseState#LEASED} or {@link LeaseState#BREAKING}), writes and
 *       deletes must carry the id ({@link PutOptions.Builder#leaseId(String)},
 *       {@link DeleteOptions.Builder#leaseId(String)}): without it they fail with
 *       {@link LeaseHeldException}, with another id with {@link LeaseMismatchException}.</li>
 *   <li>{@link #acquire} on a held lease fails with {@link LeaseHeldException} unless the id is the
 *       holder's own (then it renews). {@link #renew}, {@link #release} and {@link #change} need the
 *       current id.</li>
 *   <li>{@link #breakLease} ends a lease without its id: after the break period nobody holds it;
 *       meanwhile nobody can acquire it, the holder can no longer renew but may still write and
 *       release.</li>
 *   <li>A finite lease that is not renewed expires; its holder may renew it as long as nobody else
 *       acquired it or wrote the object in between.</li>
 * </ul>
 * For work that outlives one lease period use {@link #keep}: a {@link LeaseKeeper} renews in the
 * background and tells you when the lease is lost.
 *
 * <h2>Native and emulated leases</h2>
 * Azure, memory and file enforce leases in the store ({@link Capability#NATIVE_LEASES}). S3 and
 * Tigris cannot check a lease id, so their drivers emulate leases with a lease record written by
 * conditional requests ({@link Capability#EMULATED_LEASES}, {@link io.leasehold.core.internal.lease.EmulatedLeases}):
 * the same operations and refusals, with three differences. A write that does not carry the lease
 * id cannot be refused (the holder's next overwrite then fails with
 * {@link PreconditionFailedException}); a lease held by another process is known to have expired only
 * after this process has watched it unchanged for its duration (so {@link #acquire} needs a wait to
 * take over an abandoned lease, and {@link #status} reports it {@link LeaseState#LEASED} until then);
 * and a guarded delete needs {@link Capability#DELETE_IF_MATCH}. Every lease carries a fencing token
 * ({@link Lease#fencingToken()}) where the store declares {@link Capability#FENCING_TOKENS}.
 *
 * <h2>Retries and ambiguity</h2>
 * Each operation goes through the store's single retry layer ({@code ObjectStore.operationRetry()}),
 * which re-sends only failures that by contract did not apply. Lease operations are idempotent under
 * a fixed id (a re-sent acquire renews, a re-sent change finds the new id in place), so a call whose
 * outcome is unknown is sent once more; a re-sent release that finds the lease gone counts as done.
 * Emulated leases settle a lost response themselves by reading the record back, and a call repeated
 * after {@link OutcomeUnknownException} decides again on the record as it is then, never blindly.
 *
 * <p>Thread-safety: safe for concurrent use; share the instance of a store.
 */
public final class LeaseService implements Leases {
    private static final int MAX_CREATE_ATTEMPTS = 3;
    private static final long WAIT_BASE_MILLIS = 25;
    private static final long WAIT_CAP_MILLIS = 1_000;

    private final StoreCore store;
    private final LeaseDriver driver;
    private final Consumer<String> createIfAbsent;
    private final Clock clock;

    /**
     * The leases of a store.
     *
     * @param store the store's core (its lease driver must not be null)
     * @param createIfAbsent creates an empty object if the key is absent (an acquire with
     *     {@link LeaseOptions#createIfAbsent()}); may throw {@link ObjectAlreadyExistsException}
     */
    public LeaseService(StoreCore store, Consumer<String> createIfAbsent) {
        this.store = store;
        this.driver = store.leaseDriver();
        this.createIfAbsent = createIfAbsent;
        this.clock = Clock.systemUTC();
    }

    // ---------------------------------------------------------------- acquire

    @Override
    public Lease acquire(String key) {
        return acquire(key, LeaseOptions.defaults());
    }

    @Override
    public Lease acquire(String key, LeaseOptions options) {
        return acquireTimed(key, options).lease;
    }

    /** A lease and the {@link System#nanoTime()} just before the request that won it. */
    public static final class Timed {
        final Lease lease;
        final long sentNanos;

        Timed(Lease lease, long sentNanos) {
            this.lease = lease;
            this.sentNanos = sentNanos;
        }
    }

    Timed acquireTimed(String key, LeaseOptions options) {
        return observed(StoreObserver.Operation.LEASE_ACQUIRE, key, () -> acquireTimedUnobserved(key, options));
    }

    private Timed acquireTimedUnobserved(String key, LeaseOptions options) {
        Validation.key(key);
        if (options == null) {
            throw new InvalidArgumentException("options", "must not be null");
        }
        Duration duration = Validation.leaseDuration(options.duration().orElse(null));
        String id = options.proposedId().map(p -> Validation.leaseId("proposedId", p))
                .orElseGet(() -> UUID.randomUUID().toString());
        long waitNanos = options.waitTimeout().toNanos();
        long startNanos = System.nanoTime();
        int createAttempts = 0;
        for (int attempt = 1; ; attempt++) {
            long sentNanos = System.nanoTime();
            Instant sentAt = clock.instant();
            try {
                LeaseGrant won = idempotent(key, () -> driver.acquire(key, duration, id));
                return new Timed(localTimes(key, won, sentAt, duration), sentNanos);
            } catch (ObjectNotFoundException absent) {
                if (!options.createIfAbsent() || ++createAttempts > MAX_CREATE_ATTEMPTS) {
                    throw absent;
                }
                try {
                    createIfAbsent.accept(key);
                } catch (ObjectAlreadyExistsException raced) {
                    // Someone else created it first: fine, the object exists now.
                }
            } catch (LeaseHeldException held) {
                long left = waitNanos - (System.nanoTime() - startNanos);
                if (left <= 0) {
                    throw held;
                }
                long ceiling = Math.min(WAIT_CAP_MILLIS, WAIT_BASE_MILLIS << Math.min(20, attempt - 1));
                long pauseNanos = Math.min(left, TimeUnit.MILLISECONDS.toNanos(1 + ThreadLocalRandom.current().nextLong(ceiling)));
                try {
                    TimeUnit.NANOSECONDS.sleep(pauseNanos);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new LeaseHeldException(key, "interrupted while waiting for the lease", interrupted);
                }
            }
        }
    }

    // ---------------------------------------------------------------- renew / release / change / break

    @Override
    public Lease renew(String key, String leaseId) {
        return observed(StoreObserver.Operation.LEASE_RENEW, key, () -> renewUnobserved(key, leaseId));
    }

    private Lease renewUnobserved(String key, String leaseId) {
        Validation.key(key);
        Validation.leaseId("leaseId", leaseId);
        Instant sentAt = clock.instant();
        LeaseGrant renewed = idempotent(key, () -> driver.renew(key, leaseId));
        return localTimes(key, renewed, sentAt, renewed.duration().orElse(null));
    }

    @Override
    public Lease renew(Lease lease) {
        Objects.requireNonNull(lease, "lease");
        return renew(lease.key(), lease.id());
    }

    @Override
    public void release(String key, String leaseId) {
        observed(StoreObserver.Operation.LEASE_RELEASE, key, () -> {
            releaseUnobserved(key, leaseId);
            return null;
        });
    }

    private void releaseUnobserved(String key, String leaseId) {
        Validation.key(key);
        Validation.leaseId("leaseId", leaseId);
        Supplier<Void> release = () -> {
            driver.release(key, leaseId);
            return null;
        };
        try {
            store.call(key, release);
        } catch (OutcomeUnknownException unknown) {
            try {
                store.call(key, release);
            } catch (LeaseMismatchException | LeaseLostException gone) {
                // The first release landed (or the lease is gone anyway): the caller no longer holds it.
            }
        }
    }

    @Override
    public void release(Lease lease) {
        Objects.requireNonNull(lease, "lease");
        release(lease.key(), lease.id());
        store.observing().leaseReleased(lease, clock.instant());
    }

    @Override
    public Duration breakLease(String key) {
        return observed(StoreObserver.Operation.LEASE_BREAK, key, () -> breakLeaseUnobserved(key));
    }

    private Duration breakLeaseUnobserved(String key) {
        Validation.key(key);
        return idempotent(key, () -> driver.breakLease(key, null));
    }

    @Override
    public Duration breakLease(String key, Duration breakPeriod) {
        return observed(StoreObserver.Operation.LEASE_BREAK, key, () -> breakLeaseUnobserved(key, breakPeriod));
    }

    private Duration breakLeaseUnobserved(String key, Duration breakPeriod) {
        Validation.key(key);
        if (breakPeriod == null) {
            throw new InvalidArgumentException("breakPeriod", "must not be null; use breakLease(key) for the default");
        }
        Validation.breakPeriod(breakPeriod);
        return idempotent(key, () -> driver.breakLease(key, breakPeriod));
    }

    @Override
    public Lease change(String key, String leaseId, String proposedId) {
        return observed(StoreObserver.Operation.LEASE_CHANGE, key, () -> changeUnobserved(key, leaseId, proposedId));
    }

    private Lease changeUnobserved(String key, String leaseId, String proposedId) {
        Validation.key(key);
        Validation.leaseId("leaseId", leaseId);
        Validation.leaseId("proposedId", proposedId);
        Instant sentAt = clock.instant();
        LeaseGrant changed = idempotent(key, () -> driver.change(key, leaseId, proposedId));
        // The driver does not say when the lease was last renewed: the time the change was sent is
        // the latest it can have been (callers holding the Lease keep theirs, see change(Lease, ...)).
        return new Lease(key, changed.id(), changed.duration().orElse(null), sentAt,
                changed.fencingToken().isPresent() ? changed.fencingToken().getAsLong() : null);
    }

    @Override
    public Lease change(Lease lease, String proposedId) {
        Objects.requireNonNull(lease, "lease");
        Lease changed = change(lease.key(), lease.id(), proposedId);
        return new Lease(lease.key(), changed.id(), lease.duration().orElse(null), lease.acquiredAt(),
                changed.fencingToken().isPresent() ? changed.fencingToken().getAsLong() : null);
    }

    @Override
    public LeaseStatus status(String key) {
        return observed(StoreObserver.Operation.LEASE_STATUS, key, () -> statusUnobserved(key));
    }

    private LeaseStatus statusUnobserved(String key) {
        Validation.key(key);
        return store.call(key, () -> driver.status(key));
    }

    // ---------------------------------------------------------------- keepers

    @Override
    public LeaseKeeper keep(String key, LeaseOptions options, LeaseListener listener) {
        if (listener == null) {
            throw new InvalidArgumentException("listener", "must not be null; use LeaseListener.NONE");
        }
        Timed acquired = acquireTimed(key, options);
        return Keeper.start(this, acquired.lease, acquired.sentNanos, options.safetyMargin(), listener);
    }

    @Override
    public LeaseKeeper keep(Lease lease, LeaseListener listener) {
        if (lease == null) {
            throw new InvalidArgumentException("lease", "must not be null");
        }
        LeaseOptions.Builder options = LeaseOptions.builder();
        lease.duration().ifPresentOrElse(options::duration, options::infinite);
        return keep(lease, options.build().safetyMargin(), listener);
    }

    @Override
    public LeaseKeeper keep(Lease lease, Duration safetyMargin, LeaseListener listener) {
        if (lease == null) {
            throw new InvalidArgumentException("lease", "must not be null");
        }
        if (listener == null) {
            throw new InvalidArgumentException("listener", "must not be null; use LeaseListener.NONE");
        }
        LeaseOptions.Builder check = LeaseOptions.builder().safetyMargin(safetyMargin);
        lease.duration().ifPresentOrElse(check::duration, check::infinite);
        Duration margin = check.build().safetyMargin();
        long ageNanos = Duration.between(lease.acquiredAt(), clock.instant()).toNanos();
        return Keeper.start(this, lease, System.nanoTime() - Math.max(0, ageNanos), margin, listener);
    }

    // ---------------------------------------------------------------- helpers

    /**
     * The store's observation (for the keepers).
     *
     * @return the observation
     */
    Observing observing() {
        return store.observing();
    }

    /** Runs one lease operation as an observed scope ({@link StoreObserver}). */
    private <T> T observed(StoreObserver.Operation operation, String key, Supplier<T> body) {
        return store.observing().observe(operation, key, scope -> body.get());
    }

    /** Sends an idempotent lease operation, and once more if its outcome is unknown. */
    private <T> T idempotent(String key, Supplier<T> op) {
        try {
            return store.call(key, op);
        } catch (OutcomeUnknownException unknown) {
            if (driver instanceof EmulatedLeases) {
                // The emulated protocol settled its record write itself and could not tell: sending the
                // step again would decide on a record that may hold our lost write.
                throw unknown;
            }
            try {
                return store.call(key, op);
            } catch (ObjectStoreException again) {
                if (again.retryable() || again.code() == ErrorCode.OUTCOME_UNKNOWN) {
                    // "Not applied" for the second send says nothing about the first, which may have landed.
                    unknown.addSuppressed(again);
                    throw unknown;
                }
                throw again;
            }
        }
    }

    /** The lease with the local send time as its acquisition time (never later than the store's). */
    private static Lease localTimes(String key, LeaseGrant fromDriver, Instant sentAt, Duration duration) {
        return new Lease(key, fromDriver.id(), duration, sentAt,
                fromDriver.fencingToken().isPresent() ? fromDriver.fencingToken().getAsLong() : null);
    }

    @Override
    public String toString() {
        return "Leases{" + store.driver().name() + "}";
    }
}
