package io.leasehold.core;


import io.leasehold.spi.LeaseDriver;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Leases on objects: the pessimistic half of Leasehold. Obtain it from {@link ObjectStore#leases()}.
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
 * conditional requests ({@link Capability#EMULATED_LEASES}, {@link io.leasehold.spi.EmulatedLeases}):
 * the same operations and refusals, with three differences. A write that does not carry the lease
 * id cannot be refused (the holder's next overwrite then fails with
 * {@link PreconditionFailedException}); a lease held by another process is known to have expired only
 * after this process has watched it unchanged for its duration (so {@link #acquire} needs a wait to
 * take over an abandoned lease, and {@link #status} reports it {@link LeaseState#LEASED} until then);
 * and a guarded delete needs {@link Capability#DELETE_IF_MATCH}. Every lease carries a fencing token
 * ({@link Lease#fencingToken()}) where the store declares {@link Capability#FENCING_TOKENS}.
 *
 * <h2>Retries and ambiguity</h2>
 * Each operation goes through the store's single retry layer ({@link ObjectStore#operationRetry()}),
 * which re-sends only failures that by contract did not apply. Lease operations are idempotent under
 * a fixed id (a re-sent acquire renews, a re-sent change finds the new id in place), so a call whose
 * outcome is unknown is sent once more; a re-sent release that finds the lease gone counts as done.
 * Emulated leases settle a lost response themselves by reading the record back, and a call repeated
 * after {@link OutcomeUnknownException} decides again on the record as it is then, never blindly.
 *
 * <p>Thread-safety: safe for concurrent use; share the instance of a store.
 */
public final class Leases {
    private static final int MAX_CREATE_ATTEMPTS = 3;
    private static final long WAIT_BASE_MILLIS = 25;
    private static final long WAIT_CAP_MILLIS = 1_000;

    private final ObjectStore store;
    private final LeaseDriver driver;
    private final Clock clock;

    Leases(ObjectStore store, LeaseDriver driver) {
        this.store = store;
        this.driver = driver;
        this.clock = Clock.systemUTC();
    }

    // ---------------------------------------------------------------- acquire

    /**
     * Acquires a lease with the {@link LeaseOptions#defaults() defaults} (30 s, random id, no wait).
     *
     * @param key the key of an existing object
     * @return the lease
     * @throws LeaseHeldException if someone else holds the lease or it is breaking
     * @throws ObjectNotFoundException if the object does not exist
     * @throws InvalidArgumentException if the key is invalid (nothing was sent)
     */
    public Lease acquire(String key) {
        return acquire(key, LeaseOptions.defaults());
    }

    /**
     * Acquires a lease, optionally creating the object and waiting while someone else holds it.
     *
     * <p>Acquiring with the current holder's id renews that lease. With a wait timeout, a held or
     * breaking lease is polled with jittered backoff (25 ms growing to 1 s) until acquired or the
     * timeout passes.
     *
     * @param key the key
     * @param options duration, id, wait, create-if-absent
     * @return the lease; {@link Lease#acquiredAt()} is the local time just before the request that
     *     won it was sent, so {@link Lease#expiresBy()} errs on the early side
     * @throws LeaseHeldException if the lease is still held by someone else or breaking when the
     *     wait ends; also when the waiting thread is interrupted (its interrupt status is restored and
     *     the cause is the {@link InterruptedException})
     * @throws ObjectNotFoundException if the object does not exist and {@code createIfAbsent} is off
     * @throws NotSupportedException if {@code createIfAbsent} is on and the store cannot create-if-absent
     * @throws InvalidArgumentException if the key or options are invalid (nothing was sent)
     * @throws ObjectStoreException on other failures, e.g. {@link TransientException} once retries are exhausted
     */
    public Lease acquire(String key, LeaseOptions options) {
        return acquireTimed(key, options).lease;
    }

    /** A lease and the {@link System#nanoTime()} just before the request that won it. */
    static final class Timed {
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
                Lease won = idempotent(key, () -> driver.acquire(key, duration, id));
                return new Timed(localTimes(won, sentAt, duration), sentNanos);
            } catch (ObjectNotFoundException absent) {
                if (!options.createIfAbsent() || ++createAttempts > MAX_CREATE_ATTEMPTS) {
                    throw absent;
                }
                try {
                    store.put(key, new byte[0], PutOptions.of(PutMode.create()));
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

    /**
     * Renews a lease, restarting its duration. An expired lease can be renewed by its holder as long
     * as nobody else acquired it or wrote the object in between.
     *
     * @param key the key
     * @param leaseId the current lease id
     * @return the renewed lease; {@link Lease#acquiredAt()} is the local time just before the renewal
     *     was sent
     * @throws LeaseMismatchException if another lease is current (or none, on stores that say so)
     * @throws LeaseLostException if the lease was broken or is breaking, or no lease is present
     * @throws ObjectNotFoundException if the object does not exist
     * @throws InvalidArgumentException if the key or id is invalid (nothing was sent)
     */
    public Lease renew(String key, String leaseId) {
        return observed(StoreObserver.Operation.LEASE_RENEW, key, () -> renewUnobserved(key, leaseId));
    }

    private Lease renewUnobserved(String key, String leaseId) {
        Validation.key(key);
        Validation.leaseId("leaseId", leaseId);
        Instant sentAt = clock.instant();
        Lease renewed = idempotent(key, () -> driver.renew(key, leaseId));
        return localTimes(renewed, sentAt, renewed.duration().orElse(null));
    }

    /**
     * Renews a lease, restarting its duration.
     *
     * @param lease the lease
     * @return the renewed lease
     * @throws ObjectStoreException as {@link #renew(String, String)}
     */
    public Lease renew(Lease lease) {
        Objects.requireNonNull(lease, "lease");
        return renew(lease.key(), lease.id());
    }

    /**
     * Releases a lease: anyone can acquire it at once.
     *
     * @param key the key
     * @param leaseId the current lease id
     * @throws LeaseMismatchException if another lease is current (or none, on stores that say so)
     * @throws LeaseLostException if no lease is present
     * @throws ObjectNotFoundException if the object does not exist
     * @throws InvalidArgumentException if the key or id is invalid (nothing was sent)
     */
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

    /**
     * Releases a lease.
     *
     * @param lease the lease
     * @throws ObjectStoreException as {@link #release(String, String)}
     */
    public void release(Lease lease) {
        Objects.requireNonNull(lease, "lease");
        release(lease.key(), lease.id());
        store.observing().leaseReleased(lease, clock.instant());
    }

    /**
     * Breaks a lease, letting a finite lease run out and breaking an infinite one at once (Azure's
     * default).
     *
     * @param key the key
     * @return the time until the lease is broken and can be acquired again
     * @throws LeaseLostException if no lease is present
     * @throws ObjectNotFoundException if the object does not exist
     * @throws InvalidArgumentException if the key is invalid (nothing was sent)
     */
    public Duration breakLease(String key) {
        return observed(StoreObserver.Operation.LEASE_BREAK, key, () -> breakLeaseUnobserved(key));
    }

    private Duration breakLeaseUnobserved(String key) {
        Validation.key(key);
        return idempotent(key, () -> driver.breakLease(key, null));
    }

    /**
     * Breaks a lease; no id is needed. Until the period ends the lease is {@link LeaseState#BREAKING}:
     * nobody can acquire it and the holder cannot renew it, but may still write under it and release
     * it. A period longer than a finite lease's remaining time is cut to that time.
     *
     * @param key the key
     * @param breakPeriod 0 (break at once) to 60 whole seconds
     * @return the time until the lease is broken and can be acquired again
     * @throws LeaseLostException if no lease is present
     * @throws ObjectNotFoundException if the object does not exist
     * @throws InvalidArgumentException if the key or period is invalid (nothing was sent)
     */
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

    /**
     * Changes a held lease's id; the old id is rejected afterwards. The duration is not restarted.
     *
     * @param key the key
     * @param leaseId the current lease id
     * @param proposedId the new id
     * @return the lease under its new id
     * @throws LeaseMismatchException if neither id is the current lease's
     * @throws LeaseLostException if the lease is breaking, broken, expired or absent
     * @throws ObjectNotFoundException if the object does not exist
     * @throws InvalidArgumentException if the key or an id is invalid (nothing was sent)
     */
    public Lease change(String key, String leaseId, String proposedId) {
        return observed(StoreObserver.Operation.LEASE_CHANGE, key, () -> changeUnobserved(key, leaseId, proposedId));
    }

    private Lease changeUnobserved(String key, String leaseId, String proposedId) {
        Validation.key(key);
        Validation.leaseId("leaseId", leaseId);
        Validation.leaseId("proposedId", proposedId);
        Instant sentAt = clock.instant();
        Lease changed = idempotent(key, () -> driver.change(key, leaseId, proposedId));
        // The driver may not know when the lease was last renewed; never claim a later time than now.
        Instant acquiredAt = changed.acquiredAt().isBefore(sentAt) ? changed.acquiredAt() : sentAt;
        return new Lease(key, changed.id(), changed.duration().orElse(null), acquiredAt,
                changed.fencingToken().isPresent() ? changed.fencingToken().getAsLong() : null);
    }

    /**
     * Changes a held lease's id, keeping what is known about its last renewal.
     *
     * @param lease the lease
     * @param proposedId the new id
     * @return the lease under its new id
     * @throws ObjectStoreException as {@link #change(String, String, String)}
     */
    public Lease change(Lease lease, String proposedId) {
        Objects.requireNonNull(lease, "lease");
        Lease changed = change(lease.key(), lease.id(), proposedId);
        return new Lease(lease.key(), changed.id(), lease.duration().orElse(null), lease.acquiredAt(),
                changed.fencingToken().isPresent() ? changed.fencingToken().getAsLong() : null);
    }

    /**
     * The lease status of an object.
     *
     * @param key the key
     * @return the state, and the remaining time where the store reports it
     * @throws ObjectNotFoundException if the object does not exist
     * @throws InvalidArgumentException if the key is invalid (nothing was sent)
     */
    public LeaseStatus status(String key) {
        return observed(StoreObserver.Operation.LEASE_STATUS, key, () -> statusUnobserved(key));
    }

    private LeaseStatus statusUnobserved(String key) {
        Validation.key(key);
        return store.call(key, () -> driver.status(key));
    }

    // ---------------------------------------------------------------- keepers

    /**
     * Acquires a lease (as {@link #acquire(String, LeaseOptions)}, waiting if the options say so) and
     * keeps it renewed in the background until {@link LeaseKeeper#close()}.
     *
     * <pre>{@code
     * try (LeaseKeeper keeper = store.leases().keep("jobs/nightly", LeaseOptions.ofDuration(Duration.ofSeconds(15)),
     *         new LeaseListener() {
     *             public void onLost(Lease lease, ObjectStoreException cause) { stopWork(); }
     *         })) {
     *     while (keeper.isHeld() && moreWork()) {
     *         store.put("jobs/nightly", step(), PutOptions.builder().leaseId(keeper.leaseId()).build());
     *     }
     * }
     * }</pre>
     *
     * @param key the key
     * @param options duration, id, wait, create-if-absent, safety margin
     * @param listener told about renewals, transient failures and loss
     * @return the running keeper
     * @throws ObjectStoreException as {@link #acquire(String, LeaseOptions)}
     */
    public LeaseKeeper keep(String key, LeaseOptions options, LeaseListener listener) {
        if (listener == null) {
            throw new InvalidArgumentException("listener", "must not be null; use LeaseListener.NONE");
        }
        Timed acquired = acquireTimed(key, options);
        return LeaseKeeper.start(this, acquired.lease, acquired.sentNanos, options.safetyMargin(), listener);
    }

    /**
     * Keeps a lease you already hold renewed in the background, with the default safety margin.
     *
     * @param lease the lease; its {@link Lease#acquiredAt()} decides when it must be renewed
     * @param listener told about renewals, transient failures and loss
     * @return the running keeper
     * @throws InvalidArgumentException if an argument is null
     */
    public LeaseKeeper keep(Lease lease, LeaseListener listener) {
        if (lease == null) {
            throw new InvalidArgumentException("lease", "must not be null");
        }
        LeaseOptions.Builder options = LeaseOptions.builder();
        lease.duration().ifPresentOrElse(options::duration, options::infinite);
        return keep(lease, options.build().safetyMargin(), listener);
    }

    /**
     * Keeps a lease you already hold renewed in the background.
     *
     * @param lease the lease; its {@link Lease#acquiredAt()} decides when it must be renewed
     * @param safetyMargin see {@link LeaseOptions#safetyMargin()}; at least 1 s and less than a third
     *     of a finite duration
     * @param listener told about renewals, transient failures and loss
     * @return the running keeper
     * @throws InvalidArgumentException if an argument is null or the margin out of range
     */
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
        return LeaseKeeper.start(this, lease, System.nanoTime() - Math.max(0, ageNanos), margin, listener);
    }

    // ---------------------------------------------------------------- guarded requests (ObjectStore)

    /**
     * The options a put is sent with: for a put carrying a lease id, the lease driver's guard
     * ({@link LeaseDriver#guardPut}, e.g. If-Match plus a fencing token on emulated leases).
     */
    static PutOptions guard(Leases leases, String key, PutOptions options) {
        return leases == null || options.leaseId().isEmpty() ? options : leases.driver.guardPut(key, options);
    }

    /** The options a delete is sent with ({@link LeaseDriver#guardDelete} when it carries a lease id). */
    static DeleteOptions guard(Leases leases, String key, DeleteOptions options) {
        return leases == null || options.leaseId().isEmpty() ? options : leases.driver.guardDelete(key, options);
    }

    /** The options a get or head is sent with ({@link LeaseDriver#guardGet} when it carries a lease id). */
    static GetOptions guard(Leases leases, String key, GetOptions options) {
        return leases == null || options.leaseId().isEmpty() ? options : leases.driver.guardGet(key, options);
    }

    // ---------------------------------------------------------------- helpers

    /** The store's observation (for {@link LeaseKeeper}). */
    Observing observing() {
        return store.observing();
    }

    /** Runs one lease operation as an observed scope ({@link StoreObserver}). */
    private <T> T observed(StoreObserver.Operation operation, String key, Supplier<T> body) {
        Observing.Op scope = store.observing().start(operation, key);
        try {
            return scope.succeeded(body.get());
        } catch (RuntimeException e) {
            throw scope.failed(e);
        }
    }

    /** Sends an idempotent lease operation, and once more if its outcome is unknown. */
    private <T> T idempotent(String key, Supplier<T> op) {
        try {
            return store.call(key, op);
        } catch (OutcomeUnknownException unknown) {
            return store.call(key, op);
        }
    }

    /** The lease with the local send time as its acquisition time (never later than the store's). */
    private static Lease localTimes(Lease fromDriver, Instant sentAt, Duration duration) {
        return new Lease(fromDriver.key(), fromDriver.id(), duration, sentAt,
                fromDriver.fencingToken().isPresent() ? fromDriver.fencingToken().getAsLong() : null);
    }

    @Override
    public String toString() {
        return "Leases{" + store.driverName() + "}";
    }
}
