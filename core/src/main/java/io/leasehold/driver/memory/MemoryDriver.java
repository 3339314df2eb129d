package io.leasehold.driver.memory;

import io.leasehold.core.Capabilities;
import io.leasehold.core.Capability;
import io.leasehold.core.DeleteOptions;
import io.leasehold.core.ETag;
import io.leasehold.core.GetOptions;
import io.leasehold.core.GetResult;
import io.leasehold.core.Lease;
import io.leasehold.core.LeaseHeldException;
import io.leasehold.core.LeaseLostException;
import io.leasehold.core.LeaseMismatchException;
import io.leasehold.core.LeaseState;
import io.leasehold.core.LeaseStatus;
import io.leasehold.core.ObjectInfo;
import io.leasehold.core.ObjectNotFoundException;
import io.leasehold.core.ObjectVersion;
import io.leasehold.core.PutOptions;
import io.leasehold.core.PutResult;
import io.leasehold.internal.Redact;
import io.leasehold.spi.LeaseDriver;
import io.leasehold.spi.Preconditions;
import io.leasehold.spi.StoreDriver;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The reference driver: objects in a map, every conditional operation an atomic check-and-write on
 * its key (linearizable), conditions evaluated exactly as {@link Preconditions} specifies. Every
 * write gets a new ETag, even for identical bytes.
 *
 * <p>Use it in unit tests of code that uses Leasehold, and as the model other drivers are compared
 * with. {@code mem://name} URIs share one store per name within the JVM; {@link #create()} makes a
 * private one.
 *
 * <h2>Leases</h2>
 * Azure Blob lease semantics exactly (see {@link LeaseDriver}), held with the object and changed in
 * the same atomic step as its content, so a guarded write and a lease operation on one key never
 * interleave. States follow the driver's clock ({@link #create(Clock)} for tests): a finite lease
 * past its expiry reads {@link LeaseState#EXPIRED}, a break past its period {@link LeaseState#BROKEN}.
 * A write without a lease id on an expired or broken lease clears it (its holder can no longer renew
 * it); deleting the object drops its lease. Fencing tokens come from one counter per driver, so
 * they strictly increase across holders of every key, also across deletion and re-creation.
 * Refusals use Azure's mapping: {@code LeaseAlreadyPresent}/breaking &rarr; {@link LeaseHeldException},
 * {@code LeaseIdMismatchWith*Operation} &rarr; {@link LeaseMismatchException},
 * {@code LeaseIsBrokenAndCannotBeRenewed}, {@code LeaseNotPresentWith*Operation} &rarr;
 * {@link LeaseLostException}, {@code LeaseIdMissing} &rarr; {@link LeaseHeldException}.
 *
 * <p>Thread-safety: safe for concurrent use.
 */
public final class MemoryDriver implements StoreDriver {
    private static final Map<String, MemoryDriver> NAMED = new ConcurrentHashMap<>();
    private static final AtomicLong ETAG_SEQUENCE = new AtomicLong();

    private static final Capabilities CAPABILITIES = Capabilities.of(
            Capability.PUT_IF_ABSENT, Capability.PUT_IF_MATCH, Capability.PUT_IF_PRESENT,
            Capability.PUT_IF_MODIFIED_SINCE, Capability.PUT_IF_UNMODIFIED_SINCE,
            Capability.GET_IF_MATCH, Capability.GET_IF_NONE_MATCH, Capability.GET_IF_MODIFIED_SINCE,
            Capability.GET_IF_UNMODIFIED_SINCE, Capability.DELETE_IF_MATCH, Capability.STRONG_READS,
            Capability.USER_METADATA, Capability.ETAG_CHANGES_ON_IDENTICAL_REWRITE,
            Capability.LEASES, Capability.NATIVE_LEASES, Capability.FENCING_TOKENS);

    private final ConcurrentHashMap<String, Entry> objects = new ConcurrentHashMap<>();
    private final Clock clock;
    private final AtomicLong fencingTokens = new AtomicLong();
    private final MemoryLeases leases = new MemoryLeases();

    private MemoryDriver(Clock clock) {
        this.clock = clock;
    }

    /**
     * A new, private, empty store.
     *
     * @return the driver
     */
    public static MemoryDriver create() {
        return new MemoryDriver(Clock.systemUTC());
    }

    /**
     * A new, private, empty store on a given clock (for tests of time conditions and lease expiry).
     *
     * @param clock the clock for last-modified times and lease expiry
     * @return the driver
     */
    public static MemoryDriver create(Clock clock) {
        return new MemoryDriver(clock);
    }

    /**
     * The store shared by every {@code mem://name} in this JVM.
     *
     * @param name the store name
     * @return the driver
     */
    public static MemoryDriver named(String name) {
        return NAMED.computeIfAbsent(name, n -> create());
    }

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public Capabilities capabilities() {
        return CAPABILITIES;
    }

    @Override
    public PutResult put(String key, byte[] content, PutOptions options) {
        Entry written = objects.compute(key, (k, current) -> {
            Instant now = clock.instant();
            LeaseRecord kept = checkWriteLease(k, current, options.leaseId().orElse(null), now);
            Preconditions.write(k, options, current == null ? null : current.etag,
                    current == null ? null : current.lastModified);
            return new Entry(content.clone(), newETag(), now, options.contentType().orElse(null),
                    options.userMetadata(), kept);
        });
        return new PutResult(key, ObjectVersion.of(written.etag, null), content.length, written.lastModified);
    }

    @Override
    public GetResult get(String key, GetOptions options, boolean withContent) {
        Entry e = objects.get(key);
        if (e == null) {
            throw new ObjectNotFoundException(key, "no such key", null);
        }
        options.leaseId().ifPresent(id -> checkReadLease(key, e, id, clock.instant()));
        if (Preconditions.read(key, options, e.etag, e.lastModified) == Preconditions.ReadVerdict.NOT_MODIFIED) {
            return GetResult.notModified(ObjectVersion.of(e.etag, null));
        }
        return GetResult.found(e.info(key), withContent ? e.content : null);
    }

    @Override
    public void delete(String key, DeleteOptions options) {
        boolean[] found = {false};
        objects.computeIfPresent(key, (k, current) -> {
            checkWriteLease(k, current, options.leaseId().orElse(null), clock.instant());
            Preconditions.delete(k, options, current.etag);
            found[0] = true;
            return null;
        });
        if (!found[0]) {
            throw new ObjectNotFoundException(key, "no such key", null);
        }
    }

    /**
     * The lease operations, Azure semantics (see the class documentation).
     *
     * @return the lease driver
     */
    @Override
    public Optional<LeaseDriver> leases() {
        return Optional.of(leases);
    }

    // ---------------------------------------------------------------- lease checks on object operations

    /**
     * Azure's rules for a write or delete: a held (or breaking) lease needs its id; an id given where
     * no lease is held fails as LeaseNotPresentWithBlobOperation. Returns the lease the written
     * object keeps: the held one, or none (an expired or broken lease is cleared by the write).
     */
    private static LeaseRecord checkWriteLease(String key, Entry current, String leaseId, Instant now) {
        LeaseState state = current == null ? LeaseState.AVAILABLE : stateOf(current.lease, now);
        if (state == LeaseState.LEASED || state == LeaseState.BREAKING) {
            if (leaseId == null) {
                throw new LeaseHeldException(key, "the object is leased and no lease id was given", null);
            }
            if (!leaseId.equals(current.lease.id)) {
                throw new LeaseMismatchException(key, "lease id " + Redact.leaseId(leaseId)
                        + " is not the object's current lease", null);
            }
            return current.lease;
        }
        if (leaseId != null) {
            throw new LeaseLostException(key, "a lease id was given but no lease is held on the object (state "
                    + state + ")", null);
        }
        return null;
    }

    private static void checkReadLease(String key, Entry current, String leaseId, Instant now) {
        LeaseState state = stateOf(current.lease, now);
        if (state == LeaseState.LEASED || state == LeaseState.BREAKING) {
            if (!leaseId.equals(current.lease.id)) {
                throw new LeaseMismatchException(key, "lease id " + Redact.leaseId(leaseId)
                        + " is not the object's current lease", null);
            }
        } else {
            throw new LeaseLostException(key, "a lease id was given but no lease is held on the object (state "
                    + state + ")", null);
        }
    }

    private static LeaseState stateOf(LeaseRecord lease, Instant now) {
        return lease == null ? LeaseState.AVAILABLE : lease.state(now);
    }

    private static ETag newETag() {
        return ETag.strong("m" + Long.toHexString(System.nanoTime() & 0xffffffL) + "-" + ETAG_SEQUENCE.incrementAndGet());
    }

    /** One stored object; immutable. */
    private static final class Entry {
        final byte[] content;
        final ETag etag;
        final Instant lastModified;
        final String contentType;
        final Map<String, String> metadata;
        final LeaseRecord lease;

        Entry(byte[] content, ETag etag, Instant lastModified, String contentType, Map<String, String> metadata,
                LeaseRecord lease) {
            this.content = content;
            this.etag = etag;
            this.lastModified = lastModified;
            this.contentType = contentType;
            this.metadata = Map.copyOf(metadata);
            this.lease = lease;
        }

        /** The same object with another lease; lease changes do not change the ETag. */
        Entry withLease(LeaseRecord newLease) {
            return new Entry(content, etag, lastModified, contentType, metadata, newLease);
        }

        ObjectInfo info(String key) {
            return new ObjectInfo(key, ObjectVersion.of(etag, null), content.length, lastModified, contentType, metadata);
        }
    }

    /**
     * An object's lease as stored: LEASED (finite or infinite), BREAKING or BROKEN; EXPIRED and a
     * finished break are derived from the clock. Absent means AVAILABLE. Immutable.
     */
    private static final class LeaseRecord {
        final LeaseState stored;
        final String id;
        final Duration duration;
        final Instant acquiredAt;
        final Instant expiresAt;
        final Instant breakAt;
        final long fencingToken;

        private LeaseRecord(LeaseState stored, String id, Duration duration, Instant acquiredAt, Instant expiresAt,
                Instant breakAt, long fencingToken) {
            this.stored = stored;
            this.id = id;
            this.duration = duration;
            this.acquiredAt = acquiredAt;
            this.expiresAt = expiresAt;
            this.breakAt = breakAt;
            this.fencingToken = fencingToken;
        }

        static LeaseRecord leased(String id, Duration duration, Instant now, long fencingToken) {
            return new LeaseRecord(LeaseState.LEASED, id, duration, now, duration == null ? null : now.plus(duration),
                    null, fencingToken);
        }

        LeaseRecord renewed(Instant now) {
            return leased(id, duration, now, fencingToken);
        }

        LeaseRecord withId(String newId) {
            return new LeaseRecord(stored, newId, duration, acquiredAt, expiresAt, breakAt, fencingToken);
        }

        LeaseRecord breaking(Instant until) {
            return new LeaseRecord(LeaseState.BREAKING, id, null, acquiredAt, null, until, fencingToken);
        }

        LeaseRecord broken() {
            return new LeaseRecord(LeaseState.BROKEN, id, null, acquiredAt, null, null, fencingToken);
        }

        LeaseState state(Instant now) {
            if (stored == LeaseState.LEASED && expiresAt != null && !now.isBefore(expiresAt)) {
                return LeaseState.EXPIRED;
            }
            if (stored == LeaseState.BREAKING && !now.isBefore(breakAt)) {
                return LeaseState.BROKEN;
            }
            return stored;
        }

        Lease toLease(String key) {
            return new Lease(key, id, duration, acquiredAt, fencingToken);
        }
    }

    /** Lease operations on the driver's objects, each one atomic with the object's state. */
    private final class MemoryLeases implements LeaseDriver {

        @Override
        public Lease acquire(String key, Duration duration, String proposedId) {
            Objects.requireNonNull(proposedId, "proposedId");
            return leaseOp(key, (current, state, now) -> {
                switch (state) {
                    case LEASED:
                        if (!proposedId.equals(current.lease.id)) {
                            throw new LeaseHeldException(key, "the lease is held by someone else", null);
                        }
                        // The holder's own id: Azure renews, with the duration now requested.
                        return LeaseRecord.leased(proposedId, duration, now, current.lease.fencingToken);
                    case BREAKING:
                        throw new LeaseHeldException(key, "the lease is breaking and cannot be acquired", null);
                    default:
                        return LeaseRecord.leased(proposedId, duration, now, fencingTokens.incrementAndGet());
                }
            }).toLease(key);
        }

        @Override
        public Lease renew(String key, String leaseId) {
            return leaseOp(key, (current, state, now) -> {
                if (state == LeaseState.AVAILABLE || !leaseId.equals(current.lease.id)) {
                    throw mismatch(key, leaseId);
                }
                switch (state) {
                    case LEASED:
                    case EXPIRED:
                        // An expired lease is renewable by its holder until someone else acquires or writes.
                        return current.lease.renewed(now);
                    default:
                        throw new LeaseLostException(key, "the lease is " + state.name().toLowerCase(Locale.ROOT)
                                + " and cannot be renewed", null);
                }
            }).toLease(key);
        }

        @Override
        public void release(String key, String leaseId) {
            leaseOp(key, (current, state, now) -> {
                if (state == LeaseState.AVAILABLE || !leaseId.equals(current.lease.id)) {
                    throw mismatch(key, leaseId);
                }
                return null;
            });
        }

        @Override
        public Duration breakLease(String key, Duration breakPeriod) {
            Duration[] remaining = {Duration.ZERO};
            leaseOp(key, (current, state, now) -> {
                LeaseRecord lease = current.lease;
                switch (state) {
                    case AVAILABLE:
                        throw new LeaseLostException(key, "there is no lease to break", null);
                    case EXPIRED:
                    case BROKEN:
                        return lease.broken();
                    case BREAKING: {
                        Instant until = breakPeriod == null ? lease.breakAt : earlier(lease.breakAt, now.plus(breakPeriod));
                        return breakUntil(lease, until, now, remaining);
                    }
                    default: {
                        Instant until;
                        if (lease.expiresAt == null) {
                            until = breakPeriod == null ? now : now.plus(breakPeriod);
                        } else {
                            until = breakPeriod == null ? lease.expiresAt : earlier(lease.expiresAt, now.plus(breakPeriod));
                        }
                        return breakUntil(lease, until, now, remaining);
                    }
                }
            });
            return remaining[0];
        }

        @Override
        public Lease change(String key, String leaseId, String proposedId) {
            return leaseOp(key, (current, state, now) -> {
                switch (state) {
                    case LEASED:
                        // Azure accepts a repeated change whose new id is already in place.
                        if (!leaseId.equals(current.lease.id) && !proposedId.equals(current.lease.id)) {
                            throw mismatch(key, leaseId);
                        }
                        return current.lease.withId(proposedId);
                    case BREAKING:
                        if (!leaseId.equals(current.lease.id)) {
                            throw mismatch(key, leaseId);
                        }
                        throw new LeaseLostException(key, "the lease is breaking and cannot be changed", null);
                    default:
                        throw new LeaseLostException(key, "no lease is held (state " + state + ")", null);
                }
            }).toLease(key);
        }

        @Override
        public LeaseStatus status(String key) {
            Entry e = objects.get(key);
            if (e == null) {
                throw new ObjectNotFoundException(key, "no such key", null);
            }
            Instant now = clock.instant();
            LeaseState state = stateOf(e.lease, now);
            switch (state) {
                case LEASED:
                    return new LeaseStatus(state, e.lease.expiresAt == null,
                            e.lease.expiresAt == null ? null : Duration.between(now, e.lease.expiresAt));
                case BREAKING:
                    return new LeaseStatus(state, false, Duration.between(now, e.lease.breakAt));
                default:
                    return new LeaseStatus(state, false, null);
            }
        }

        private LeaseRecord breakUntil(LeaseRecord lease, Instant until, Instant now, Duration[] remaining) {
            if (!until.isAfter(now)) {
                remaining[0] = Duration.ZERO;
                return lease.broken();
            }
            remaining[0] = Duration.between(now, until);
            return lease.breaking(until);
        }

        private Instant earlier(Instant a, Instant b) {
            return a.isBefore(b) ? a : b;
        }

        private LeaseMismatchException mismatch(String key, String leaseId) {
            return new LeaseMismatchException(key, "lease id " + Redact.leaseId(leaseId)
                    + " is not the object's current lease", null);
        }

        /** Applies a lease transition atomically on the key; returns the new record (null: available). */
        private LeaseRecord leaseOp(String key, LeaseTransition transition) {
            LeaseRecord[] result = new LeaseRecord[1];
            boolean[] found = {false};
            objects.computeIfPresent(key, (k, current) -> {
                found[0] = true;
                Instant now = clock.instant();
                LeaseRecord next = transition.apply(current, stateOf(current.lease, now), now);
                result[0] = next;
                return current.withLease(next);
            });
            if (!found[0]) {
                throw new ObjectNotFoundException(key, "no such key", null);
            }
            return result[0];
        }
    }

    /** One lease transition: from the object and its lease state now, the next lease record. */
    @FunctionalInterface
    private interface LeaseTransition {
        LeaseRecord apply(Entry current, LeaseState state, Instant now);
    }
}
