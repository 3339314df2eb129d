package io.leasehold.core.internal.lease;

import io.leasehold.spi.GetResponse;
import io.leasehold.spi.LeaseGrant;
import io.leasehold.spi.PutResponse;
import io.leasehold.spi.kit.LeaseRecord;
import io.leasehold.spi.kit.Preconditions;
import io.leasehold.spi.kit.Redact;
import io.leasehold.spi.LeaseDriver;
import io.leasehold.spi.StoreDriver;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leasehold.core.Capability;
import io.leasehold.core.DeleteOptions;
import io.leasehold.core.ETag;
import io.leasehold.core.ErrorCode;
import io.leasehold.core.GetOptions;
import io.leasehold.core.InvalidArgumentException;
import io.leasehold.core.LeaseException;
import io.leasehold.core.LeaseHeldException;
import io.leasehold.core.LeaseLostException;
import io.leasehold.core.LeaseMismatchException;
import io.leasehold.core.lease.LeaseState;
import io.leasehold.core.lease.LeaseStatus;
import io.leasehold.core.NotSupportedException;
import io.leasehold.core.ObjectAlreadyExistsException;
import io.leasehold.core.ObjectInfo;
import io.leasehold.core.ObjectNotFoundException;
import io.leasehold.core.ObjectStoreException;
import io.leasehold.core.ObjectVersion;
import io.leasehold.core.OutcomeUnknownException;
import io.leasehold.core.PreconditionFailedException;
import io.leasehold.core.PutMode;
import io.leasehold.core.PutOptions;
import io.leasehold.core.ReadConsistency;
import io.leasehold.core.TransientException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Leases emulated on any {@link StoreDriver} with atomic create-if-absent and If-Match puts (S3,
 * Tigris, Ceph RGW), with the same semantics as Azure Blob leases ({@link LeaseRecord}'s state
 * machine) and a fencing token. Drivers return it from {@link StoreDriver#leases()} and declare
 * {@link Capability#LEASES}, {@link Capability#EMULATED_LEASES} and {@link Capability#FENCING_TOKENS}
 * (never {@link Capability#NATIVE_LEASES}).
 *
 * <h2>The lease record</h2>
 * One small JSON object per leased key, at {@value #RECORD_PREFIX}{@code <key>} (the key with that
 * prefix must fit the store's 1024-byte key limit; checked before anything is sent):
 * <pre>
 * {"format":1,"state":"LEASED|BREAKING|BROKEN|RELEASED","lease":SHA-256(lease id),"durationSeconds":N|null,
 *  "breakMillis":N,"generation":N,"dataETag":"…","nonce":"…"}
 * </pre>
 * The lease id itself is never stored (the record is readable by anyone with bucket access), only
 * its SHA-256. {@code generation} is the fencing token; {@code dataETag} the data object's ETag
 * when the lease was acquired; {@code nonce} 128 random bits, so that every record write has unique
 * bytes: the record's ETag (a content hash on S3) then never repeats and If-Match on it pins exactly
 * one version. Records are never deleted (Ceph RGW has no conditional delete, and the generation must
 * survive for fencing): a release writes {@code RELEASED}.
 *
 * <h2>Every step is one conditional request</h2>
 * Each lease operation reads the record (or starts from the version this driver last wrote or read),
 * applies the Azure transition, and writes the result with create-if-absent (no record yet) or
 * If-Match on the record's ETag. Two contenders can therefore never both succeed from the same
 * version. A write that loses (412, already exists, 409) means someone else's write landed: the
 * operation re-reads and decides again (a second acquirer then finds the lease held). A write whose
 * outcome is unknown (timeout, 5xx, reset after sending) is settled by reading the record back: our
 * nonce there &rarr; it landed; the record still at the ETag we conditioned on &rarr; it did not
 * (yet), so the step is sent again with the same condition, and at most one of the two can land;
 * anything else &rarr; {@link OutcomeUnknownException}, never a guess.
 *
 * <h2>Expiry without synchronised clocks</h2>
 * A record holds no timestamps: a writer's clock is never compared with a reader's. As in the
 * DynamoDB Lock Client, a process may treat a {@code LEASED} record version as expired only after it
 * has itself observed that same version (ETag) unchanged for at least the lease duration on its own
 * monotonic clock ({@link System#nanoTime()}), counted from when the read (or our own write) that
 * first returned the version <em>came back</em> (so never before the version existed); a
 * {@code BREAKING} version becomes {@code BROKEN} for an observer after its break period, counted the
 * same way. The holder counts its own lease from <em>before</em> sending its last successful acquire
 * or renewal ({@link io.leasehold.core.lease.LeaseKeeper} does, with a safety margin), so the holder's
 * deadline always comes first.
 * <p><b>Clock assumption:</b> clocks need not agree on the time, but their <em>rates</em> must agree
 * within a small bound (NTP-disciplined clocks: well under 0.1%, i.e. milliseconds per minute); the
 * keeper's safety margin absorbs that and request latency. A process that is paused (GC, a suspended
 * VM) only delays its own observations, which is safe for an observer; a holder paused past its
 * lease is what fencing tokens and guarded writes are for.
 * <p>Consequences: {@link #acquire} without a wait on a lease held by another process fails with
 * {@link LeaseHeldException} (its expiry cannot be known without watching it; use
 * {@link io.leasehold.core.lease.LeaseOptions.Builder#waitUpTo}), and {@link #status} reports such a lease
 * {@code LEASED} until this process has watched it unchanged for a full duration. Observations are
 * kept per driver instance, for the {@value #REMEMBERED_RECORDS} most recently used records; a
 * forgotten one is observed afresh (later, so still safe).
 *
 * <h2>Fencing tokens</h2>
 * {@code generation}: incremented by every acquire that makes a new holder (of an absent, released,
 * expired or broken lease), kept by renewals, changes and breaks, and kept across releases because
 * the record is never deleted. {@link io.leasehold.core.lease.Lease#fencingToken()} returns it.
 *
 * <h2>Guarded writes</h2>
 * The store cannot check a lease id on a PUT, so {@link #guardPut} and {@link #guardDelete} turn a
 * lease-guarded write into a conditional one: read the record and check that the lease id holds it
 * (else the same {@link LeaseException} Azure would give), read the data object's version and its
 * fencing token (user metadata {@value #FENCING_TOKEN_METADATA}), refuse with
 * {@link LeaseLostException} if a newer lease wrote it, and send the write with If-Match on the
 * version just read, carrying this lease's token. Guarantee: <em>a write made under a lease that has
 * since passed to someone else never overwrites a write made under the newer lease, and a guarded
 * put or delete never becomes an unconditional write.</em> One exception is inherent to stores whose
 * ETags are content hashes (no {@link Capability#ETAG_CHANGES_ON_IDENTICAL_REWRITE}): a newer
 * holder's write of exactly the bytes already stored keeps the ETag, so a stale write prepared
 * before it can still replace it.
 * <p>Writes <em>without</em> a lease id cannot be blocked by the store: on emulated leases the lease
 * is advisory for writers that do not use it. Such a write is detected, though: an overwrite under
 * the lease fails with {@link PreconditionFailedException} when the object was changed since the
 * lease was acquired (or since the holder's last guarded write) by a write that did not carry this
 * lease (re-read, then write with {@link PutMode#update} on the version read). A guarded delete needs
 * a store with atomic conditional delete ({@link Capability#DELETE_IF_MATCH}); elsewhere (Ceph RGW)
 * it is refused with {@link NotSupportedException}.
 *
 * <h2>Request cost</h2>
 * acquire: record read + data HEAD + record write (3); renew and release by the driver instance that
 * last wrote the record: 1 write (2 otherwise); break: 2; change: 1-2; status: 2; a guarded put or
 * delete: record read + data HEAD + the write (3); a waiting acquire polls with one read per attempt.
 *
 * <p>Thread-safety: safe for concurrent use; share one instance per driver.
 */
public final class EmulatedLeases implements LeaseDriver {
    /** The key prefix under which lease records are stored. */
    public static final String RECORD_PREFIX = ".leasehold/lease/";
    /** User metadata name carrying the fencing token of the lease a data object was last written under. */
    public static final String FENCING_TOKEN_METADATA = "leasehold_f";
    /** How many records' observations and last versions a driver remembers. */
    public static final int REMEMBERED_RECORDS = 4096;
    private static final int FORMAT = 1;
    /** S3's key limit, in UTF-8 bytes. */
    private static final int MAX_KEY_BYTES = 1024;
    private static final int MAX_ATTEMPTS = 8;
    private static final String RECORD_CONTENT_TYPE = "application/json";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final StoreDriver store;
    private final LongSupplier nanoClock;
    private final long anchorNanos;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, Observed> observed = new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Observed> eldest) {
            return size() > REMEMBERED_RECORDS;
        }
    };

    /**
     * Emulated leases over a driver's objects.
     *
     * @param store the driver; it must declare {@link Capability#PUT_IF_ABSENT},
     *     {@link Capability#PUT_IF_MATCH}, {@link Capability#STRONG_READS} and
     *     {@link Capability#USER_METADATA}, and evaluate those conditions atomically
     * @throws IllegalArgumentException if a capability is missing
     */
    public EmulatedLeases(StoreDriver store) {
        this(store, System::nanoTime);
    }

    /** For tests: observations on a given monotonic clock (nanoseconds). */
    EmulatedLeases(StoreDriver store, LongSupplier nanoClock) {
        this.store = Objects.requireNonNull(store, "store");
        this.nanoClock = nanoClock;
        this.anchorNanos = nanoClock.getAsLong();
        for (Capability needed : new Capability[] {Capability.PUT_IF_ABSENT, Capability.PUT_IF_MATCH,
                Capability.STRONG_READS, Capability.USER_METADATA}) {
            if (!store.capabilities().supports(needed)) {
                throw new IllegalArgumentException("emulated leases need " + needed + "; " + store.name() + " lacks it");
            }
        }
    }

    // ---------------------------------------------------------------- lease operations

    @Override
    public LeaseGrant acquire(String key, Duration duration, String proposedId) {
        String hash = LeaseRecord.idDigest(proposedId);
        return transact(key, (current, now) -> {
            LeaseRecord view = view(current, now);
            LeaseRecord next;
            try {
                next = LeaseRecord.acquire(key, view, duration, hash, mono(now), () -> generation(current) + 1);
            } catch (LeaseHeldException held) {
                if (LeaseRecord.stateOf(view, mono(now)) == LeaseState.LEASED) {
                    throw new LeaseHeldException(key, "the lease is held by someone else; an emulated lease's expiry"
                            + " is known only after watching it unchanged for its duration, so acquire with a wait"
                            + " (LeaseOptions.waitUpTo) to take over an abandoned lease", null);
                }
                throw held;
            }
            boolean sameHolder = view != null && next.fencingToken() == view.fencingToken()
                    && LeaseRecord.stateOf(view, mono(now)) == LeaseState.LEASED;
            String dataETag = sameHolder ? current.stored.dataETag : dataVersion(key).version().etag().value();
            Stored write = Stored.of(next, mono(now), dataETag, generation(current));
            return new Step<>(write, LeaseGrant.of(proposedId, duration, next.fencingToken()));
        });
    }

    @Override
    public LeaseGrant renew(String key, String leaseId) {
        String hash = LeaseRecord.idDigest(leaseId);
        return relabel(leaseId, hash, () -> transact(key, (current, now) -> {
            if (current == null) {
                dataVersion(key);
            }
            LeaseRecord next = LeaseRecord.renew(key, view(current, now), hash, mono(now));
            Stored write = Stored.of(next, mono(now), dataETag(current), generation(current));
            return new Step<>(write, LeaseGrant.of(leaseId, next.duration().orElse(null),
                    next.fencingToken()));
        }));
    }

    @Override
    public void release(String key, String leaseId) {
        String hash = LeaseRecord.idDigest(leaseId);
        relabel(leaseId, hash, () -> transact(key, (current, now) -> {
            if (current == null) {
                dataVersion(key);
            }
            LeaseRecord.release(key, view(current, now), hash, mono(now));
            return new Step<>(Stored.released(generation(current), dataETag(current)), Boolean.TRUE);
        }));
    }

    @Override
    public Duration breakLease(String key, Duration breakPeriod) {
        return transact(key, (current, now) -> {
            if (current == null) {
                dataVersion(key);
            }
            LeaseRecord view = view(current, now);
            LeaseRecord next = LeaseRecord.breakLease(key, view, breakPeriod, mono(now));
            Duration remaining = LeaseRecord.breakRemaining(next, mono(now));
            Stored write = Stored.of(next, mono(now), dataETag(current), generation(current));
            return new Step<>(write.sameAs(current.stored) ? null : write, remaining);
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>The change writes a new record version, which restarts every observer's count: the returned
     * lease's {@link io.leasehold.core.lease.Lease#acquiredAt()} is the time the change was sent, a safe start for the holder.
     */
    @Override
    public LeaseGrant change(String key, String leaseId, String proposedId) {
        String hash = LeaseRecord.idDigest(leaseId);
        String proposedHash = LeaseRecord.idDigest(proposedId);
        return relabel(leaseId, hash, () -> transact(key, (current, now) -> {
            if (current == null) {
                dataVersion(key);
            }
            LeaseRecord next = LeaseRecord.change(key, view(current, now), hash, proposedHash, mono(now));
            Stored write = Stored.of(next, mono(now), dataETag(current), generation(current));
            return new Step<>(write, LeaseGrant.of(proposedId, next.duration().orElse(null),
                    next.fencingToken()));
        }));
    }

    /**
     * {@inheritDoc}
     *
     * <p>A lease held by another process reads {@code LEASED} until this process has watched its
     * record unchanged for a full duration; {@link LeaseStatus#remaining()} is the time until then.
     */
    @Override
    public LeaseStatus status(String key) {
        String recordKey = recordKey(key);
        dataVersion(key);
        Observed current = read(key, recordKey);
        long now = nanoClock.getAsLong();
        return LeaseRecord.status(view(current, now), mono(now));
    }

    // ---------------------------------------------------------------- guarded writes

    /**
     * Prepares a put that carries a lease id for sending.
     *
     * <p>Reads the lease record and the object's version (2 requests), then returns options that
     * make the put conditional on that version (If-Match), carry this lease's fencing token in
     * {@value #FENCING_TOKEN_METADATA} and no lease id. Date conditions are evaluated here against the
     * version read.
     *
     * @throws LeaseLostException if no lease is held, a newer lease wrote the object, or the object
     *     does not exist (a lease lives only as long as its object)
     * @throws LeaseMismatchException if another lease is current
     * @throws PreconditionFailedException if an overwrite finds the object changed since the lease was
     *     acquired or last written under, by a write without this lease; or the caller's own condition
     *     fails
     * @throws ObjectAlreadyExistsException for a create (a leased object exists)
     *
     * @param key the key
     * @param options the validated options, with a lease id
     * @return the options to send
     */
    public PutOptions guardPut(String key, PutOptions options) {
        String leaseId = options.leaseId().orElseThrow();
        Guard guard = guard(key, leaseId);
        if (guard.data == null) {
            throw new LeaseLostException(key, "the object does not exist, so no lease is held on it", null);
        }
        ObjectInfo data = guard.data;
        Preconditions.write(key, options, data.version().etag(), data.lastModified());
        if (options.mode().kind() != PutMode.Kind.UPDATE) {
            guard.refuseUnleasedChange(key);
        }
        return options.toBuilder()
                .mode(PutMode.update(data.version()))
                .ifModifiedSince(null)
                .ifUnmodifiedSince(null)
                .metadata(FENCING_TOKEN_METADATA, Long.toString(guard.generation))
                .leaseId(null)
                .consistency(ReadConsistency.STRONG)
                .build();
    }

    /**
     * Prepares a delete that carries a lease id for sending.
     *
     * <p>Needs atomic conditional delete: reads the lease record and the object's version, then
     * returns If-Match on that version and no lease id.
     *
     * @throws NotSupportedException if the store has no atomic conditional delete (nothing is sent)
     * @throws ObjectNotFoundException if the object does not exist
     * @throws LeaseLostException if no lease is held or a newer lease wrote the object
     * @throws LeaseMismatchException if another lease is current
     * @throws PreconditionFailedException if the object changed without this lease since it was
     *     acquired or last written under, or the caller's If-Match fails
     *
     * @param key the key
     * @param options the validated options, with a lease id
     * @return the options to send
     */
    public DeleteOptions guardDelete(String key, DeleteOptions options) {
        String leaseId = options.leaseId().orElseThrow();
        if (!store.capabilities().supports(Capability.DELETE_IF_MATCH)) {
            throw new NotSupportedException(key, store.name() + " has no atomic conditional delete (capability "
                    + Capability.DELETE_IF_MATCH + "), so a delete under an emulated lease cannot be fenced", null);
        }
        Guard guard = guard(key, leaseId);
        if (guard.data == null) {
            throw new ObjectNotFoundException(key, "no such key", null);
        }
        ETag current = guard.data.version().etag();
        Preconditions.delete(key, options, current);
        if (options.ifMatch().isEmpty()) {
            guard.refuseUnleasedChange(key);
        }
        return DeleteOptions.builder().ifMatch(current).build();
    }

    /**
     * Prepares a get or head that carries a lease id for sending.
     *
     * <p>Reads the lease record (1 request) and returns the options without the lease id.
     *
     * @throws LeaseLostException if no lease is held
     * @throws LeaseMismatchException if another lease is current
     *
     * @param key the key
     * @param options the validated options, with a lease id
     * @return the options to send
     */
    public GetOptions guardGet(String key, GetOptions options) {
        String leaseId = options.leaseId().orElseThrow();
        String hash = LeaseRecord.idDigest(leaseId);
        relabel(leaseId, hash, () -> {
            Observed current = read(key, recordKey(key));
            long now = nanoClock.getAsLong();
            LeaseRecord.checkRead(key, view(current, now), hash, mono(now));
            return null;
        });
        return options.toBuilder().leaseId(null).build();
    }

    @Override
    public String toString() {
        return "EmulatedLeases{" + store.name() + "}";
    }

    // ---------------------------------------------------------------- the guard

    /** What a guarded write checked: the lease's generation, the object (null if absent) and the record. */
    private static final class Guard {
        final long generation;
        final ObjectInfo data;
        final String dataETagAtAcquire;
        final long fence;

        Guard(long generation, ObjectInfo data, String dataETagAtAcquire, long fence) {
            this.generation = generation;
            this.data = data;
            this.dataETagAtAcquire = dataETagAtAcquire;
            this.fence = fence;
        }

        /** A version not written under this lease, and not the one it was acquired on, was written without it. */
        void refuseUnleasedChange(String key) {
            if (fence != generation && !data.version().etag().value().equals(dataETagAtAcquire)) {
                throw new PreconditionFailedException(key, "the object was written without this lease since the"
                        + " lease was acquired (emulated leases cannot block such writes); re-read it and write"
                        + " with PutMode.update on the version read", null);
            }
        }
    }

    private Guard guard(String key, String leaseId) {
        String hash = LeaseRecord.idDigest(leaseId);
        return relabel(leaseId, hash, () -> {
            Observed current = read(key, recordKey(key));
            long now = nanoClock.getAsLong();
            LeaseRecord.checkWrite(key, view(current, now), hash, mono(now));
            long generation = current.stored.generation;
            ObjectInfo data = dataOrNull(key);
            long fence = data == null ? 0 : fence(data);
            if (fence > generation) {
                throw new LeaseLostException(key, "a newer lease (fencing token " + fence + ") wrote the object;"
                        + " this lease's token is " + generation, null);
            }
            return new Guard(generation, data, current.stored.dataETag, fence);
        });
    }

    private static long fence(ObjectInfo data) {
        String token = data.userMetadata().get(FENCING_TOKEN_METADATA);
        if (token == null) {
            return 0;
        }
        try {
            return Long.parseLong(token.trim());
        } catch (NumberFormatException notOurs) {
            return 0; // not written by a guard; like a write without a lease
        }
    }

    // ---------------------------------------------------------------- the protocol

    /** One planned step of an operation: the record to write (null: nothing to write) and the result once it is in place. */
    private static final class Step<T> {
        final Stored write;
        final T result;

        Step(Stored write, T result) {
            this.write = write;
            this.result = result;
        }
    }

    /** Plans a step from the current record version (null: no record) at a monotonic instant. */
    @FunctionalInterface
    private interface Planner<T> {
        Step<T> plan(Observed current, long nowNanos);
    }

    /**
     * Runs one lease operation: plan from the current version, write it with one conditional request,
     * and on a lost race re-read and plan again; settle ambiguous writes by reading back.
     */
    private <T> T transact(String key, Planner<T> planner) {
        String recordKey = recordKey(key);
        Attempts<T> attempts = new Attempts<>(key, recordKey);
        try {
            return attempts.run(planner);
        } catch (ObjectStoreException e) {
            if (attempts.unknown == null || e instanceof OutcomeUnknownException) {
                throw e;
            }
            // A write of ours may still land: whatever else went wrong, the outcome is unknown.
            OutcomeUnknownException unresolved = new OutcomeUnknownException(key, "a lease record write may or may"
                    + " not have landed, and settling it failed", attempts.unknown);
            unresolved.addSuppressed(e);
            throw unresolved;
        }
    }

    /** The state of one lease operation across its attempts. */
    private final class Attempts<T> {
        private final String key;
        private final String recordKey;
        /** Results of writes whose outcome is unknown, by nonce; all were conditioned on the same version. */
        private final Map<String, T> pending = new HashMap<>();
        private ETag pendingBase;
        private boolean pendingOnAbsent;
        private OutcomeUnknownException unknown;

        Attempts(String key, String recordKey) {
            this.key = key;
            this.recordKey = recordKey;
        }

        T run(Planner<T> planner) {
            Observed current = remembered(recordKey);
            boolean verified = current == null;
            if (current == null) {
                current = read(key, recordKey);
            }
            for (int attempt = 1; ; attempt++) {
                if (!pending.isEmpty()) {
                    if (current != null && pending.containsKey(current.stored.nonce)) {
                        return pending.get(current.stored.nonce); // an ambiguous write of ours landed
                    }
                    boolean unchanged = pendingOnAbsent ? current == null
                            : current != null && current.etag.value().equals(pendingBase.value());
                    if (!unchanged) {
                        throw new OutcomeUnknownException(key, "a lease record write whose response was lost may"
                                + " have landed and been replaced since; not applying it again", unknown);
                    }
                }
                Step<T> step;
                try {
                    step = planner.plan(current, nanoClock.getAsLong());
                } catch (LeaseException | ObjectNotFoundException refused) {
                    if (verified) {
                        throw refused;
                    }
                    // Planned on a remembered version that may be stale: decide on the store's.
                    current = read(key, recordKey);
                    verified = true;
                    continue;
                }
                if (step.write == null) {
                    if (verified) {
                        return step.result;
                    }
                    current = read(key, recordKey);
                    verified = true;
                    continue;
                }
                if (attempt > MAX_ATTEMPTS) {
                    if (unknown != null) {
                        throw unknown;
                    }
                    throw new TransientException(ErrorCode.CONFLICT, key, "the lease record kept changing during "
                            + MAX_ATTEMPTS + " attempts", null);
                }
                try {
                    write(key, recordKey, step.write, current);
                    return step.result;
                } catch (LostRace raced) {
                    // Someone else's write landed (or an earlier ambiguous one of ours: checked above).
                } catch (OutcomeUnknownException ambiguous) {
                    // Settle by reading back: our nonce, the same base (send again: at most one can
                    // land, both are conditioned on it), or anything else (unknown).
                    unknown = ambiguous;
                    pending.put(step.write.nonce, step.result);
                    pendingOnAbsent = current == null;
                    pendingBase = current == null ? null : current.etag;
                }
                current = read(key, recordKey);
                verified = true;
            }
        }
    }

    /** Signals that a conditional record write lost to another write; nothing of ours landed. */
    private static final class LostRace extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LostRace() {
            super(null, null, false, false);
        }
    }

    /** Writes a record version conditional on {@code base} (create-if-absent when null) and remembers it. */
    private void write(String key, String recordKey, Stored record, Observed base) {
        PutOptions options = PutOptions.builder()
                .mode(base == null ? PutMode.create() : PutMode.update(ObjectVersion.of(base.etag, null)))
                .contentType(RECORD_CONTENT_TYPE)
                .consistency(ReadConsistency.STRONG)
                .build();
        byte[] bytes = record.toJson(json);
        PutResponse written;
        try {
            written = store.put(recordKey, bytes, options);
        } catch (PreconditionFailedException | ObjectAlreadyExistsException lost) {
            throw new LostRace();
        } catch (TransientException e) {
            if (e.code() == ErrorCode.CONFLICT) {
                throw new LostRace(); // a concurrent conditional request won (S3 409); nothing of ours landed
            }
            throw relocate(key, e);
        } catch (OutcomeUnknownException e) {
            throw new OutcomeUnknownException(key, "the lease record write may or may not have landed", e);
        } catch (ObjectStoreException e) {
            throw relocate(key, e);
        }
        long received = nanoClock.getAsLong();
        if (written.version().isEmpty()) {
            // The store acknowledged the write without its ETag: it landed, but the next step reads.
            forget(recordKey);
            return;
        }
        remember(recordKey, new Observed(record, written.version().get().etag(), received));
    }

    /** Reads the record strongly; remembers when each version was first seen. Null if there is none. */
    private Observed read(String key, String recordKey) {
        GetResponse result;
        try {
            result = store.get(recordKey, GetOptions.builder().consistency(ReadConsistency.STRONG).build(), true);
        } catch (ObjectNotFoundException absent) {
            forget(recordKey);
            return null;
        } catch (ObjectStoreException e) {
            throw relocate(key, e);
        }
        long received = nanoClock.getAsLong();
        Stored stored = Stored.parse(json, key, result.content());
        ETag etag = result.info().version().etag();
        synchronized (observed) {
            Observed known = observed.get(recordKey);
            if (known != null && known.etag.value().equals(etag.value())) {
                return known;
            }
            Observed fresh = new Observed(stored, etag, received);
            observed.put(recordKey, fresh);
            return fresh;
        }
    }

    private Observed remembered(String recordKey) {
        synchronized (observed) {
            return observed.get(recordKey);
        }
    }

    private void remember(String recordKey, Observed version) {
        synchronized (observed) {
            observed.put(recordKey, version);
        }
    }

    private void forget(String recordKey) {
        synchronized (observed) {
            observed.remove(recordKey);
        }
    }

    /** The data object's version, strongly. */
    private ObjectInfo dataVersion(String key) {
        ObjectInfo info = dataOrNull(key);
        if (info == null) {
            throw new ObjectNotFoundException(key, "no such key", null);
        }
        return info;
    }

    private ObjectInfo dataOrNull(String key) {
        try {
            return store.get(key, GetOptions.builder().consistency(ReadConsistency.STRONG).build(), false).info();
        } catch (ObjectNotFoundException absent) {
            return null;
        }
    }

    /** The record as the Azure state machine sees it from this process, with local observation times. */
    private LeaseRecord view(Observed current, long nowNanos) {
        if (current == null || current.stored.state == RecordState.RELEASED) {
            return null;
        }
        Stored s = current.stored;
        Instant firstSeen = mono(current.firstSeenNanos);
        switch (s.state) {
            case LEASED:
                return LeaseRecord.of(LeaseState.LEASED, s.leaseHash, s.duration(), firstSeen, null, s.generation);
            case BREAKING:
                return LeaseRecord.of(LeaseState.BREAKING, s.leaseHash, null, firstSeen,
                        firstSeen.plusMillis(s.breakMillis), s.generation);
            default:
                return LeaseRecord.of(LeaseState.BROKEN, s.leaseHash, null, firstSeen, null, s.generation);
        }
    }

    private static long generation(Observed current) {
        return current == null ? 0 : current.stored.generation;
    }

    private static String dataETag(Observed current) {
        return current == null ? null : current.stored.dataETag;
    }

    /** A monotonic instant: only differences matter, so the state machine runs on the monotonic clock. */
    private Instant mono(long nanos) {
        return Instant.EPOCH.plusNanos(nanos - anchorNanos);
    }

    /**
     * The record's key; checked against the 1024-byte key limit before anything is sent.
     *
     * @throws InvalidArgumentException naming {@code key} if too long
     */
    static String recordKey(String key) {
        String recordKey = RECORD_PREFIX + key;
        int bytes = recordKey.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_KEY_BYTES) {
            throw new InvalidArgumentException("key", "is too long for a lease: its lease record key ("
                    + RECORD_PREFIX + "KEY) would be " + bytes + " UTF-8 bytes; at most " + MAX_KEY_BYTES);
        }
        return recordKey;
    }

    /** A store failure on the record, reported for the caller's key. */
    private static ObjectStoreException relocate(String key, ObjectStoreException e) {
        if (key.equals(e.key().orElse(null))) {
            return e;
        }
        if (e instanceof TransientException) {
            return new TransientException(e.code(), key, "lease record: " + e.getMessage(), e);
        }
        if (e instanceof OutcomeUnknownException) {
            return new OutcomeUnknownException(key, "lease record: " + e.getMessage(), e);
        }
        return new ObjectStoreException(e.code(), key, "lease record: " + e.getMessage(), e);
    }

    /** Lease exceptions from the state machine name a hash: show the caller's id (shortened) instead. */
    private static <T> T relabel(String leaseId, String hash, Supplier<T> op) {
        try {
            return op.get();
        } catch (LeaseMismatchException e) {
            String message = e.getMessage() == null ? null
                    : e.getMessage().replace(Redact.leaseId(hash), Redact.leaseId(leaseId));
            throw new LeaseMismatchException(e.key().orElse(null), message, e.getCause());
        }
    }

    private static String nonce() {
        return String.format("%016x%016x", RANDOM.nextLong(), RANDOM.nextLong());
    }

    // ---------------------------------------------------------------- record values

    /** The stored states; a released lease keeps its record (and generation). */
    private enum RecordState { LEASED, BREAKING, BROKEN, RELEASED }

    /** A record version as read or written, and when this process first saw it (monotonic nanos). */
    private static final class Observed {
        final Stored stored;
        final ETag etag;
        final long firstSeenNanos;

        Observed(Stored stored, ETag etag, long firstSeenNanos) {
            this.stored = stored;
            this.etag = etag;
            this.firstSeenNanos = firstSeenNanos;
        }
    }

    /** The content of a lease record. Immutable. */
    private static final class Stored {
        final RecordState state;
        final String leaseHash;
        final Long durationSeconds;
        final long breakMillis;
        final long generation;
        final String dataETag;
        final String nonce;

        Stored(RecordState state, String leaseHash, Long durationSeconds, long breakMillis, long generation,
                String dataETag, String nonce) {
            this.state = state;
            this.leaseHash = leaseHash;
            this.durationSeconds = durationSeconds;
            this.breakMillis = breakMillis;
            this.generation = generation;
            this.dataETag = dataETag;
            this.nonce = nonce;
        }

        static Stored released(long generation, String dataETag) {
            return new Stored(RecordState.RELEASED, null, null, 0, generation, dataETag, nonce());
        }

        /** The record to store for a state-machine result (null: released), with a fresh nonce. */
        static Stored of(LeaseRecord next, Instant now, String dataETag, long previousGeneration) {
            if (next == null) {
                return released(previousGeneration, dataETag);
            }
            switch (next.storedState()) {
                case LEASED:
                    return new Stored(RecordState.LEASED, next.id(), next.duration().map(Duration::getSeconds).orElse(null),
                            0, next.fencingToken(), dataETag, nonce());
                case BREAKING:
                    // Rounded up: an observer never treats the break as over earlier than the breaker did.
                    long millis = (Duration.between(now, next.breakAt().orElseThrow()).toNanos() + 999_999) / 1_000_000;
                    return new Stored(RecordState.BREAKING, next.id(), null, millis, next.fencingToken(), dataETag, nonce());
                default:
                    return new Stored(RecordState.BROKEN, next.id(), null, 0, next.fencingToken(), dataETag, nonce());
            }
        }

        Duration duration() {
            return durationSeconds == null ? null : Duration.ofSeconds(durationSeconds);
        }

        /** Same lease state (ignoring the nonce and a BREAKING record's exact remaining time). */
        boolean sameAs(Stored other) {
            return other != null && state == other.state && Objects.equals(leaseHash, other.leaseHash)
                    && Objects.equals(durationSeconds, other.durationSeconds) && generation == other.generation
                    && state != RecordState.BREAKING;
        }

        byte[] toJson(ObjectMapper json) {
            ObjectNode node = json.createObjectNode();
            node.put("format", FORMAT);
            node.put("state", state.name());
            if (leaseHash != null) {
                node.put("lease", leaseHash);
            }
            if (state == RecordState.LEASED) {
                node.put("durationSeconds", durationSeconds);
            }
            if (state == RecordState.BREAKING) {
                node.put("breakMillis", breakMillis);
            }
            node.put("generation", generation);
            if (dataETag != null) {
                node.put("dataETag", dataETag);
            }
            node.put("nonce", nonce);
            try {
                return json.writeValueAsBytes(node);
            } catch (IOException e) {
                throw new IllegalStateException("cannot serialise a lease record", e);
            }
        }

        /**
         * Parses a record; an unreadable one is refused rather than treated as available.
         *
         * @throws ObjectStoreException with {@link ErrorCode#UNKNOWN} if the record is damaged
         */
        static Stored parse(ObjectMapper json, String key, byte[] content) {
            try {
                JsonNode node = json.readTree(content);
                if (node == null || node.path("format").asInt() != FORMAT) {
                    throw new IllegalArgumentException("unknown record format");
                }
                RecordState state = RecordState.valueOf(node.path("state").asText().toUpperCase(Locale.ROOT));
                String hash = node.hasNonNull("lease") ? node.get("lease").asText() : null;
                Long duration = node.hasNonNull("durationSeconds") ? node.get("durationSeconds").asLong() : null;
                long generation = node.path("generation").asLong(-1);
                String nonce = node.path("nonce").asText("");
                if (generation < 0 || nonce.isEmpty() || (state != RecordState.RELEASED && hash == null)) {
                    throw new IllegalArgumentException("missing fields");
                }
                return new Stored(state, hash, duration, node.path("breakMillis").asLong(0), generation,
                        node.hasNonNull("dataETag") ? node.get("dataETag").asText() : null, nonce);
            } catch (IOException | RuntimeException e) {
                throw new ObjectStoreException(ErrorCode.UNKNOWN, key, "the lease record " + RECORD_PREFIX
                        + "… is unreadable; it is not treated as released (repair or overwrite it)", e);
            }
        }
    }
}
