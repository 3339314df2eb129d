package io.leasehold.core.internal.lease;


import io.leasehold.core.lease.Lease;
import io.leasehold.core.lease.LeaseKeeper;
import io.leasehold.core.lease.LeaseListener;
import io.leasehold.core.lease.LeaseOptions;
import io.leasehold.core.lease.LeaseStatus;
import io.leasehold.core.lease.Leases;
import io.leasehold.core.Capability;
import io.leasehold.core.ErrorCode;
import io.leasehold.core.InvalidArgumentException;
import io.leasehold.core.LeaseHeldException;
import io.leasehold.core.LeaseLostException;
import io.leasehold.core.LeaseMismatchException;
import io.leasehold.core.ObjectAlreadyExistsException;
import io.leasehold.core.ObjectNotFoundException;
import io.leasehold.core.ObjectStoreException;
import io.leasehold.core.OutcomeUnknownException;
import io.leasehold.core.StoreObserver;
import io.leasehold.core.TransientException;
import io.leasehold.core.internal.Futures;
import io.leasehold.core.internal.Observing;
import io.leasehold.core.internal.Validation;
import io.leasehold.spi.LeaseDriver;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import io.leasehold.core.internal.StoreCore;
import io.leasehold.spi.LeaseGrant;
import io.leasehold.spi.kit.LeaseRecord;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Leases on objects: the pessimistic half of Leasehold. Obtain it from {@code ObjectStore.leases()}.
 *
 * <h2>Model (Azure Blob leases, on every store that declares {@link io.leasehold.core.Capability#LEASES})</h2>
 * <ul>
 *   <li>A lease is held on one existing object, for 15 to 60 s or infinitely, under a lease id.
 *       While it is held (state {@link io.leasehold.core.lease.LeaseState#LEASED} or {@link io.leasehold.core.lease.LeaseState#BREAKING}), writes and
 *       deletes must carry the id ({@link io.leasehold.core.PutOptions.Builder#leaseId(String)},
 *       {@link io.leasehold.core.DeleteOptions.Builder#leaseId(String)}): without it they fail with
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
 * Azure, memory and file enforce leases in the store ({@link io.leasehold.core.Capability#NATIVE_LEASES}). S3 and
 * Tigris cannot check a lease id, so their drivers emulate leases with a lease record written by
 * conditional requests ({@link io.leasehold.core.Capability#EMULATED_LEASES}, {@link io.leasehold.core.internal.lease.EmulatedLeases}):
 * the same operations and refusals, with three differences. A write that does not carry the lease
 * id cannot be refused (the holder's next overwrite then fails with
 * {@link io.leasehold.core.PreconditionFailedException}); a lease held by another process is known to have expired only
 * after this process has watched it unchanged for its duration (so {@link #acquire} needs a wait to
 * take over an abandoned lease, and {@link #status} reports it {@link io.leasehold.core.lease.LeaseState#LEASED} until then);
 * and a guarded delete needs {@link io.leasehold.core.Capability#DELETE_IF_MATCH}. Every lease carries a fencing token
 * ({@link Lease#fencingToken()}) where the store declares {@link io.leasehold.core.Capability#FENCING_TOKENS}.
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

    /** Tenures remembered per store instance (the continuity proof of an acquire by the holder's own id). */
    private static final int REMEMBERED_TENURES = 4096;

    private final StoreCore store;
    private final LeaseDriver driver;
    private final Consumer<String> createIfAbsent;
    /** Issues tokens for native drivers that declare FENCING_TOKENS but grant none (Azure). */
    private final FencingCounter counter;
    /** For display values only (acquiredAt); every timing decision uses System.nanoTime(). */
    private volatile Clock clock;
    /** The tenures this instance holds, by key: the basis for telling a renewal-by-acquire from a new tenure. */
    private final Map<String, Tenure> tenures = new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Tenure> eldest) {
            return size() > REMEMBERED_TENURES;
        }
    };

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
        this.counter = !(driver instanceof EmulatedLeases) && store.capabilities().supports(Capability.FENCING_TOKENS)
                && !driver.issuesFencingTokens() ? new FencingCounter(store.engine(), store.io(), store.observing(), store.operationRetry()) : null;
    }

    /** For tests: the wall clock display values come from (a stepped clock must change no decision). */
    void wallClock(Clock wall) {
        this.clock = wall;
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
        if (counter != null) {
            FencingCounter.counterKey(key); // the counter's key must fit before anything is sent
        }
        for (int attempt = 1; ; attempt++) {
            boolean sameTenure = counter != null && continuesTenure(key, id, duration);
            long sentNanos = System.nanoTime();
            Instant sentAt = clock.instant();
            try {
                LeaseGrant won = idempotent(key, id, () -> driver.acquire(key, duration, id));
                won = fenced(key, id, won, sameTenure);
                remember(key, id, won, sentNanos);
                return new Timed(stamped(key, won, sentAt, duration, sentNanos), sentNanos);
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
        long sentNanos = System.nanoTime();
        Instant sentAt = clock.instant();
        LeaseGrant renewed = idempotent(key, leaseId, () -> driver.renew(key, leaseId));
        if (counter != null && renewed.fencingToken().isEmpty()) {
            Tenure known = tenure(key, leaseId);
            Long token = known != null ? known.token : counter.issuedTo(key, leaseId);
            if (token != null) {
                renewed = renewed.withFencingToken(token);
            }
        }
        remember(key, leaseId, renewed, sentNanos);
        return stamped(key, renewed, sentAt, renewed.duration().orElse(null), sentNanos);
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
            send(key, release);
        } catch (OutcomeUnknownException unknown) {
            try {
                send(key, release);
            } catch (LeaseMismatchException | LeaseLostException gone) {
                // The first release landed (or the lease is gone anyway): the caller no longer holds it.
            } catch (ObjectStoreException again) {
                if (again.retryable() || again.code() == ErrorCode.OUTCOME_UNKNOWN) {
                    // "Not applied" for the second send says nothing about the first, which may have landed.
                    unknown.addSuppressed(again);
                    throw unknown;
                }
                throw again;
            }
        } finally {
            forget(key); // whatever happened, the tenure this instance knew of is over or unknown
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
        forget(key); // a break ends a tenure: a later acquire under the same id is a new one
        return idempotent(key, null, () -> driver.breakLease(key, null));
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
        forget(key);
        return idempotent(key, null, () -> driver.breakLease(key, breakPeriod));
    }

    @Override
    public Lease change(String key, String leaseId, String proposedId) {
        return observed(StoreObserver.Operation.LEASE_CHANGE, key, () -> changeUnobserved(key, leaseId, proposedId));
    }

    private Lease changeUnobserved(String key, String leaseId, String proposedId) {
        Validation.key(key);
        Validation.leaseId("leaseId", leaseId);
        Validation.leaseId("proposedId", proposedId);
        long sentNanos = System.nanoTime();
        Instant sentAt = clock.instant();
        LeaseGrant changed = idempotent(key, proposedId, () -> driver.change(key, leaseId, proposedId));
        Tenure before = tenure(key, leaseId);
        if (counter != null && changed.fencingToken().isEmpty()) {
            Long token = counter.transfer(key, leaseId, proposedId);
            if (token == null && before != null) {
                token = before.token;
            }
            if (token != null) {
                changed = changed.withFencingToken(token);
            }
        }
        if (before != null) {
            // A change does not restart the lease: the tenure keeps its deadline, under the new id.
            synchronized (tenures) {
                tenures.put(key, new Tenure(LeaseRecord.idDigest(proposedId), before.token, before.sentNanos,
                        before.duration));
            }
        }
        // The driver does not say when the lease was last renewed: the time the change was sent is
        // the latest it can have been (callers holding the Lease keep theirs, see change(Lease, ...)).
        return stamped(key, changed, sentAt, changed.duration().orElse(null), sentNanos);
    }

    @Override
    public Lease change(Lease lease, String proposedId) {
        Objects.requireNonNull(lease, "lease");
        Lease changed = change(lease.key(), lease.id(), proposedId);
        Long token = changed.fencingToken().isPresent() ? changed.fencingToken().getAsLong() : null;
        OptionalLong sent = LeaseTimes.sentNanos(lease);
        return sent.isPresent()
                ? LeaseTimes.stamped(lease.key(), changed.id(), lease.duration().orElse(null), lease.acquiredAt(), token,
                        sent.getAsLong())
                : new Lease(lease.key(), changed.id(), lease.duration().orElse(null), lease.acquiredAt(), token);
    }

    @Override
    public LeaseStatus status(String key) {
        return observed(StoreObserver.Operation.LEASE_STATUS, key, () -> statusUnobserved(key));
    }

    private LeaseStatus statusUnobserved(String key) {
        Validation.key(key);
        return send(key, () -> driver.status(key));
    }

    /**
     * One lease operation under the single retry layer: the store's operation retry for a native
     * driver's call; none around emulated steps, whose requests the write engine already retries.
     */
    private <T> T send(String key, Supplier<T> op) {
        return driver instanceof EmulatedLeases ? Futures.join(store.io().call(key, op)) : store.call(key, op);
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
        OptionalLong sent = LeaseTimes.sentNanos(lease);
        if (sent.isPresent()) {
            return Keeper.start(this, lease, sent.getAsLong(), margin, listener);
        }
        // A lease built by the caller has no monotonic stamp, and its wall-clock time may be off by any
        // clock step: the keeper renews it at once and counts from before that renewal was sent.
        return Keeper.startUnconfirmed(this, lease, margin, listener);
    }

    // ---------------------------------------------------------------- helpers

    /** The lease driver in use (for tests in this package). */
    LeaseDriver leaseDriver() {
        return driver;
    }

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

    /**
     * Sends an idempotent lease operation, and once more if its outcome is unknown. An outcome that
     * stays unknown is reported with the lease id the operation would leave in place, so the caller
     * can repeat it idempotently or release.
     *
     * @param leaseId the id in place if the operation landed (acquire: the id chosen before sending;
     *     change: the proposed id), or null (break)
     */
    private <T> T idempotent(String key, String leaseId, Supplier<T> op) {
        if (driver instanceof EmulatedLeases) {
            // The emulated protocol runs each step through the write engine, which retries what applied
            // nothing and settles what may have landed; sending the step again would decide on a record
            // that may hold our lost write.
            try {
                return send(key, op);
            } catch (OutcomeUnknownException unknown) {
                throw withLeaseId(key, leaseId, unknown);
            }
        }
        try {
            return store.call(key, op);
        } catch (OutcomeUnknownException unknown) {
            try {
                return store.call(key, op);
            } catch (ObjectStoreException again) {
                if (again.retryable() || again.code() == ErrorCode.OUTCOME_UNKNOWN) {
                    // "Not applied" for the second send says nothing about the first, which may have landed.
                    OutcomeUnknownException reported = withLeaseId(key, leaseId, unknown);
                    reported.addSuppressed(again);
                    throw reported;
                }
                throw again;
            }
        }
    }

    /** The unknown outcome, carrying the lease id (never in the message: ids are credentials). */
    private static OutcomeUnknownException withLeaseId(String key, String leaseId, OutcomeUnknownException unknown) {
        if (leaseId == null || unknown.leaseId().isPresent()) {
            return unknown;
        }
        return new OutcomeUnknownException(key, "the lease operation may or may not have been applied: "
                + unknown.getMessage() + "; repeat it with the same lease id (idempotent) or release with it",
                unknown, unknown.writeId().orElse(null), leaseId);
    }

    /** The lease with the local send time as its acquisition time (never later than the store's), on both clocks. */
    private static Lease stamped(String key, LeaseGrant fromDriver, Instant sentAt, Duration duration, long sentNanos) {
        return LeaseTimes.stamped(key, fromDriver.id(), duration, sentAt,
                fromDriver.fencingToken().isPresent() ? fromDriver.fencingToken().getAsLong() : null, sentNanos);
    }

    // ---------------------------------------------------------------- fencing tokens for native drivers without them

    /** A tenure this instance holds: its id's digest, token, and when (monotonic) its last grant was sent. */
    private static final class Tenure {
        final String idHash;
        final Long token;
        final long sentNanos;
        final Duration duration;

        Tenure(String idHash, Long token, long sentNanos, Duration duration) {
            this.idHash = idHash;
            this.token = token;
            this.sentNanos = sentNanos;
            this.duration = duration;
        }
    }

    private Tenure tenure(String key, String leaseId) {
        synchronized (tenures) {
            Tenure t = tenures.get(key);
            return t != null && t.idHash.equals(LeaseRecord.idDigest(leaseId)) ? t : null;
        }
    }

    private void remember(String key, String leaseId, LeaseGrant grant, long sentNanos) {
        Long token = grant.fencingToken().isPresent() ? grant.fencingToken().getAsLong() : null;
        synchronized (tenures) {
            tenures.put(key, new Tenure(LeaseRecord.idDigest(leaseId), token, sentNanos, grant.duration().orElse(null)));
        }
    }

    private void forget(String key) {
        synchronized (tenures) {
            tenures.remove(key);
        }
    }

    /**
     * Whether an acquire by {@code leaseId} would continue this instance's own unbroken tenure (then it
     * renews and keeps the token) rather than start a new one: this instance holds a finite lease
     * under that id that cannot have expired yet, and a renewal, which a store refuses for a broken,
     * released or taken-over lease, succeeds now.
     */
    private boolean continuesTenure(String key, String leaseId, Duration duration) {
        Tenure t = tenure(key, leaseId);
        if (t == null || t.duration == null || System.nanoTime() - t.sentNanos >= t.duration.toNanos()) {
            return false;
        }
        long sentNanos = System.nanoTime();
        try {
            LeaseGrant renewed = store.call(key, () -> driver.renew(key, leaseId));
            remember(key, leaseId, renewed.fencingToken().isPresent() || t.token == null ? renewed
                    : renewed.withFencingToken(t.token), sentNanos);
            return true;
        } catch (ObjectStoreException notContinuing) {
            forget(key);
            return false;
        }
    }

    /**
     * The grant with its fencing token: the driver's, or for a native driver without tokens one from
     * the counter, which the lease must outlive (else the lease is released and the acquire fails).
     */
    private LeaseGrant fenced(String key, String leaseId, LeaseGrant won, boolean sameTenure) {
        if (counter == null || won.fencingToken().isPresent()) {
            return won;
        }
        try {
            FencingCounter.Issued issued = counter.issue(key, leaseId, sameTenure);
            if (issued.moved) {
                // Only a lease still held after the counter moved gets the token: every later holder
                // acquires after this renewal and takes a larger one.
                store.call(key, () -> driver.renew(key, leaseId));
            }
            return won.withFencingToken(issued.token);
        } catch (ObjectStoreException failed) {
            boolean released = releaseQuietly(key, leaseId, failed);
            if (failed instanceof io.leasehold.core.LeaseException) {
                throw new LeaseHeldException(key, "another holder took the lease while its fencing token was being"
                        + " issued", failed);
            }
            if (!released) {
                // The grant may still be in place under the id: say so, so the caller can release it.
                throw new OutcomeUnknownException(key, "the lease was granted but its fencing token could not be"
                        + " issued (" + failed.code() + "), and releasing it failed", failed, null, leaseId);
            }
            if (failed instanceof OutcomeUnknownException) {
                // Whether the counter moved does not matter (tokens may skip): the lease was released.
                throw new TransientException(ErrorCode.TRANSIENT, key, "the fencing token could not be issued (the"
                        + " counter write's outcome is unknown); the lease was released, acquire again", failed);
            }
            throw failed;
        }
    }

    /** Releases a grant whose token could not be issued; whether it is known to be released. */
    private boolean releaseQuietly(String key, String leaseId, ObjectStoreException failure) {
        forget(key);
        try {
            store.call(key, () -> {
                driver.release(key, leaseId);
                return null;
            });
            return true;
        } catch (LeaseMismatchException | LeaseLostException notOurs) {
            return true;
        } catch (RuntimeException alsoFailed) {
            failure.addSuppressed(alsoFailed);
            return false;
        }
    }

    @Override
    public String toString() {
        return "Leases{" + store.driver().name() + "}";
    }
}
