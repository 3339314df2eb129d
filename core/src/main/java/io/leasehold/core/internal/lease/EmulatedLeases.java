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
import io.github.resilience4j.retry.Retry;
import io.leasehold.core.Capability;
import io.leasehold.core.DeleteOptions;
import io.leasehold.core.ErrorCode;
import io.leasehold.core.GetOptions;
import io.leasehold.core.InvalidArgumentException;
import io.leasehold.core.LeaseException;
import io.leasehold.core.LeaseHeldException;
import io.leasehold.core.LeaseLostException;
import io.leasehold.core.LeaseMismatchException;
import io.leasehold.core.NotSupportedException;
import io.leasehold.core.ObjectAlreadyExistsException;
import io.leasehold.core.ObjectInfo;
import io.leasehold.core.ObjectNotFoundException;
import io.leasehold.core.ObjectStoreException;
import io.leasehold.core.OutcomeUnknownException;
import io.leasehold.core.PreconditionFailedException;
import io.leasehold.core.PutMode;
import io.leasehold.core.PutOptions;
import io.leasehold.core.ReadConsistency;
import io.leasehold.core.StaleWriteException;
import io.leasehold.core.StoreObserver;
import io.leasehold.core.TransientException;
import io.leasehold.core.internal.Attempts;
import io.leasehold.core.internal.Futures;
import io.leasehold.core.internal.Observing;
import io.leasehold.core.internal.io.StoreIo;
import io.leasehold.core.internal.update.Transition;
import io.leasehold.core.internal.update.UpdateLoop;
import io.leasehold.core.internal.write.WriteEngine;
import io.leasehold.core.internal.write.WriteTag;
import io.leasehold.core.lease.Lease;
import io.leasehold.core.lease.LeaseState;
import io.leasehold.core.lease.LeaseStatus;
import io.leasehold.spi.GetResponse;
import io.leasehold.spi.LeaseDriver;
import io.leasehold.spi.LeaseGrant;
import io.leasehold.spi.StoreDriver;
import io.leasehold.spi.kit.LeaseRecord;
import io.leasehold.spi.kit.Preconditions;
import io.leasehold.spi.kit.Redact;
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
 * Leases emulated on any store with atomic create-if-absent and If-Match puts (S3, Tigris, Ceph
 * RGW), with the same semantics as Azure Blob leases ({@link LeaseRecord}'s state machine) and a
 * fencing token. The store core builds one for every driver that declares
 * {@link Capability#EMULATED_LEASES} (with {@link Capability#LEASES} and
 * {@link Capability#FENCING_TOKENS}, never {@link Capability#NATIVE_LEASES}).
 *
 * <h2>The lease record</h2>
 * One small JSON object per leased key, at {@value #RECORD_PREFIX}{@code <key>} (the key with that
 * prefix must fit the store's 1024-byte key limit; checked before anything is sent):
 * <pre>
 * {"format":1,"state":"LEASED|BREAKING|BROKEN|RELEASED","lease":SHA-256(lease id),"durationSeconds":N|null,
 *  "breakMillis":N,"generation":N,"tenure":"8 hex","seen":"…","accepted":"…","nonce":"…"}
 * </pre>
 * The lease id itself is never stored (the record is readable by anyone with bucket access), only
 * its SHA-256. {@code generation} is the fencing token; {@code tenure} a random tag of the holder's
 * tenure (a new one for every new holder, also under the same id); {@code seen} the data object's
 * version (write id, or ETag) when the tenure began, {@code accepted} the version the tenure takes
 * as legitimate (the same, unless a stale holder had written it, see below); {@code nonce} 128
 * random bits, so that every record write has unique bytes and the record's ETag (a content hash on
 * S3) never repeats. Records are never deleted (Ceph RGW has no conditional delete, and the
 * generation must survive for fencing): a release writes {@code RELEASED}.
 *
 * <h2>Every step is one read-modify-write through the write engine</h2>
 * Each lease operation is an {@link UpdateLoop} on the record: read it (or start from the version
 * this instance last wrote or read), apply the Azure transition, and write the result with
 * create-if-absent or If-Match on the version read, carrying a write id. Two contenders can never
 * both succeed from the same version; a loser reads again and decides again. A write whose outcome
 * is unknown is settled by the engine from the next read (the write id found, or proven absent);
 * where it can be neither, the step ends with {@link OutcomeUnknownException} and never with a
 * "did not apply" answer. Nothing is sent outside the engine.
 *
 * <h2>Expiry without synchronised clocks</h2>
 * A record holds no timestamps: a writer's clock is never compared with a reader's. As in the
 * DynamoDB Lock Client, a process may treat a {@code LEASED} record version as expired only after it
 * has itself observed that same version (ETag) unchanged for at least the lease duration on its own
 * monotonic clock ({@link System#nanoTime()}), counted from when the read that first returned the
 * version <em>came back</em>; a {@code BREAKING} version becomes {@code BROKEN} for an observer after
 * its break period, counted the same way. A version this instance wrote for its own lease (acquire,
 * renew, change) counts from <em>before</em> the write was sent, as the holder's own deadline does
 * ({@link io.leasehold.core.lease.LeaseKeeper} stops earlier still, by its safety margin), so
 * {@link #status} never overstates the holder's remaining time.
 * <p><b>Clock assumption:</b> clocks need not agree on the time, but their <em>rates</em> must agree
 * within a small bound (NTP-disciplined clocks: well under 0.1%); the keeper's safety margin absorbs
 * that and request latency. A paused observer only waits longer, which is safe; a holder paused past
 * its lease is what fencing and stale-write detection are for.
 * <p>Consequences: {@link #acquire} without a wait on a lease held by another process fails with
 * {@link LeaseHeldException}, and {@link #status} reports such a lease {@code LEASED} until this
 * process has watched it unchanged for a full duration. Observations are kept per instance, for the
 * {@value #REMEMBERED_RECORDS} most recently used records.
 *
 * <h2>Fencing tokens</h2>
 * A new holder's token is one more than the larger of the record's generation and the token the
 * data object was last written under, so tokens strictly increase per tenure even after the record
 * was deleted out of band, as long as the last tenure's token survives in the record or in the
 * object. If both are gone (the record deleted and the last holder never wrote), the next token may
 * equal that holder's; its writes still carry its tenure tag, so the guard below tells them apart.
 * Renewals, changes and breaks keep the token and the tenure.
 *
 * <h2>Guarded writes and stale holders</h2>
 * The store cannot check a lease id on a PUT, so {@link #guardPut} and {@link #guardDelete} turn a
 * lease-guarded write into a conditional one: read the record and check that the lease id holds it
 * (else the same {@link LeaseException} Azure would give), HEAD the data object, judge its version,
 * and send the write with If-Match on the version just read, carrying this lease's token and tenure
 * ({@value #FENCING_TOKEN_METADATA}). The version is judged against the record:
 * <ul>
 *   <li>written under this tenure, or the version the tenure accepted: fine;</li>
 *   <li>written under a newer token: {@link LeaseLostException};</li>
 *   <li>written without any lease (advisory on emulated leases): an overwrite fails with
 *       {@link PreconditionFailedException}; a write with {@link PutMode#update} on that version
 *       goes through;</li>
 *   <li>written under an older (or the same, other tenure's) token after this tenure began: a stale
 *       holder passed its own check, paused, and its write landed. Guarded gets, updates, puts and
 *       deletes refuse with {@link StaleWriteException} and a renewal refuses too (the tenure's
 *       exclusivity was broken), unless the caller writes with {@link PutMode#update} (or deletes
 *       with If-Match) on exactly that version, which acknowledges it. A stale write that lands
 *       between two tenures is carried into the next record as not accepted.</li>
 * </ul>
 * The remaining window is the stale holder's: from the store serving its record read to its write
 * being applied (a HEAD round trip, the upload, any pause). S3 cannot close it; the detection above
 * makes sure nobody builds on such a write silently. A guarded delete needs
 * {@link Capability#DELETE_IF_MATCH}; elsewhere (Ceph RGW) it is refused with
 * {@link NotSupportedException}. One exception is inherent to content-hash ETags: a newer holder's
 * write of exactly the bytes already stored keeps the ETag, so a stale write prepared before it can
 * still replace it (and is then detected).
 *
 * <h2>Enforced leases</h2>
 * {@link #refuseIfLeased} is the check the store runs before a write or delete without a lease id
 * when the driver declares {@link Capability#ENFORCED_LEASES}: one record read, and
 * {@link LeaseHeldException} while the lease is held or breaking (as this process sees it) and its
 * object exists (one HEAD more, only then).
 *
 * <h2>Request cost</h2>
 * acquire: record read + data HEAD + record write (3; the read is skipped when this instance wrote
 * the record last); renew: data HEAD + record write (2, 3 from another instance); release, break,
 * change: 1-2; status: 2; a guarded put or delete: record read + data HEAD + the write (3); a guarded
 * get: record read + the get (2); a waiting acquire polls with one read per attempt.
 *
 * <p>Thread-safety: safe for concurrent use; share one instance per store.
 */
public final class EmulatedLeases implements LeaseDriver {
    /** The key prefix under which lease records are stored. */
    public static final String RECORD_PREFIX = ".leasehold/lease/";
    /** User metadata carrying the fencing token (and tenure) of the lease a data object was last written under. */
    public static final String FENCING_TOKEN_METADATA = "leasehold_f";
    /** How many records' observations and last versions an instance remembers. */
    public static final int REMEMBERED_RECORDS = 4096;
    private static final int FORMAT = 1;
    /** S3's key limit, in UTF-8 bytes. */
    private static final int MAX_KEY_BYTES = 1024;
    private static final String RECORD_CONTENT_TYPE = "application/json";
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * The monotonic clock observations are timed on, if a driver supplies one through
     * {@link StoreDriver#unwrap} (tests that move time); otherwise {@link System#nanoTime()}.
     */
    public interface ObservationClock {
        /**
         * Now, in nanoseconds; only differences matter.
         *
         * @return the time
         */
        long nanoTime();
    }

    private final StoreDriver driver;
    private final WriteEngine engine;
    private final StoreIo io;
    private final Observing observing;
    private final Retry operationRetry;
    private final LongSupplier nanoClock;
    private final long anchorNanos;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, Known> observed = new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Known> eldest) {
            return size() > REMEMBERED_RECORDS;
        }
    };

    /**
     * Emulated leases over a store's objects, sending every record write through the store's write
     * engine.
     *
     * @param driver the driver; it must declare {@link Capability#PUT_IF_ABSENT},
     *     {@link Capability#PUT_IF_MATCH}, {@link Capability#STRONG_READS} and
     *     {@link Capability#USER_METADATA}, and evaluate those conditions atomically
     * @param engine the store's write engine
     * @param io the store's blocking requests
     * @param observing the store's observation
     * @param operationRetry the store's operation retry (for failures that applied nothing)
     * @throws IllegalArgumentException if a capability is missing
     */
    public EmulatedLeases(StoreDriver driver, WriteEngine engine, StoreIo io, Observing observing, Retry operationRetry) {
        this.driver = Objects.requireNonNull(driver, "driver");
        this.engine = engine;
        this.io = io;
        this.observing = observing;
        this.operationRetry = operationRetry;
        ObservationClock clock = driver.unwrap(ObservationClock.class).orElse(null);
        this.nanoClock = clock == null ? System::nanoTime : clock::nanoTime;
        this.anchorNanos = nanoClock.getAsLong();
        for (Capability needed : new Capability[] {Capability.PUT_IF_ABSENT, Capability.PUT_IF_MATCH,
                Capability.STRONG_READS, Capability.USER_METADATA}) {
            if (!driver.capabilities().supports(needed)) {
                throw new IllegalArgumentException("emulated leases need " + needed + "; " + driver.name() + " lacks it");
            }
        }
    }

    // ---------------------------------------------------------------- lease operations

    @Override
    public LeaseGrant acquire(String key, Duration duration, String proposedId) {
        String hash = LeaseRecord.idDigest(proposedId);
        return run(key, StoreObserver.Operation.LEASE_ACQUIRE, true, (current, now) -> {
            LeaseRecord view = view(current, now);
            try {
                LeaseRecord.acquire(key, view, duration, hash, mono(now), () -> 0L); // refusals before any HEAD
            } catch (LeaseHeldException held) {
                if (LeaseRecord.stateOf(view, mono(now)) == LeaseState.LEASED) {
                    throw new LeaseHeldException(key, "the lease is held by someone else; an emulated lease's expiry"
                            + " is known only after watching it unchanged for its duration, so acquire with a wait"
                            + " (LeaseOptions.waitUpTo) to take over an abandoned lease", null);
                }
                throw held;
            }
            DataObject data = data(key);
            if (data == null) {
                throw new ObjectNotFoundException(key, "no such key", null);
            }
            Stored previous = current == null ? null : current.stored;
            boolean sameHolder = view != null && hash.equals(view.id())
                    && LeaseRecord.stateOf(view, mono(now)) == LeaseState.LEASED;
            long nextToken = Math.max(generation(current), data.fence.token) + 1;
            LeaseRecord next = LeaseRecord.acquire(key, view, duration, hash, mono(now), () -> nextToken);
            Stored write;
            if (sameHolder) {
                checkTenure(key, previous, data, false);
                write = Stored.of(next, mono(now), previous);
            } else {
                boolean staleBefore = previous != null && judge(data, previous) == Judgement.STALE;
                write = Stored.newTenure(next, tenureTag(), data.identity(),
                        staleBefore ? previous.accepted : data.identity());
            }
            return new Step<>(write, LeaseGrant.of(proposedId, duration, next.fencingToken()));
        });
    }

    @Override
    public LeaseGrant renew(String key, String leaseId) {
        String hash = LeaseRecord.idDigest(leaseId);
        return relabel(leaseId, hash, () -> run(key, StoreObserver.Operation.LEASE_RENEW, true, (current, now) -> {
            DataObject data = data(key);
            if (data == null) {
                throw new ObjectNotFoundException(key, "the object was deleted; a lease lives only as long as its object",
                        null);
            }
            LeaseRecord view = view(current, now);
            LeaseRecord next = LeaseRecord.renew(key, view, hash, mono(now));
            checkTenure(key, current.stored, data, LeaseRecord.stateOf(view, mono(now)) == LeaseState.EXPIRED);
            return new Step<>(Stored.of(next, mono(now), current.stored),
                    LeaseGrant.of(leaseId, next.duration().orElse(null), next.fencingToken()));
        }));
    }

    @Override
    public void release(String key, String leaseId) {
        String hash = LeaseRecord.idDigest(leaseId);
        relabel(leaseId, hash, () -> run(key, StoreObserver.Operation.LEASE_RELEASE, false, (current, now) -> {
            if (current == null) {
                requireData(key);
            }
            LeaseRecord.release(key, view(current, now), hash, mono(now));
            return new Step<>(Stored.released(current.stored), Boolean.TRUE);
        }));
    }

    @Override
    public Duration breakLease(String key, Duration breakPeriod) {
        return run(key, StoreObserver.Operation.LEASE_BREAK, false, (current, now) -> {
            if (current == null) {
                requireData(key);
            }
            LeaseRecord next = LeaseRecord.breakLease(key, view(current, now), breakPeriod, mono(now));
            Duration remaining = LeaseRecord.breakRemaining(next, mono(now));
            Stored write = Stored.of(next, mono(now), current.stored);
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
        return relabel(leaseId, hash, () -> run(key, StoreObserver.Operation.LEASE_CHANGE, true, (current, now) -> {
            if (current == null) {
                requireData(key);
            }
            LeaseRecord next = LeaseRecord.change(key, view(current, now), hash, proposedHash, mono(now));
            return new Step<>(Stored.of(next, mono(now), current.stored),
                    LeaseGrant.of(proposedId, next.duration().orElse(null), next.fencingToken()));
        }));
    }

    /**
     * {@inheritDoc}
     *
     * <p>A lease held by another process reads {@code LEASED} until this process has watched its
     * record unchanged for a full duration; {@link LeaseStatus#remaining()} is the time until then
     * (for the holder's own lease: counted from before its last write was sent).
     */
    @Override
    public LeaseStatus status(String key) {
        String recordKey = recordKey(key);
        requireData(key);
        Observed current = readRecord(key, recordKey, true);
        long now = nanoClock.getAsLong();
        return LeaseRecord.status(view(current, now), mono(now));
    }

    // ---------------------------------------------------------------- guarded writes

    /**
     * Prepares a put that carries a lease id for sending (the store runs it before every send).
     *
     * <p>Reads the lease record and the object's version (2 requests), judges the version (see the
     * class documentation), then returns options that make the put conditional on that version
     * (If-Match), carry this lease's token and tenure in {@value #FENCING_TOKEN_METADATA} and no lease
     * id. Date conditions are evaluated here against the version read.
     *
     * @param key the key
     * @param options the validated options, with a lease id
     * @return the options to send
     * @throws LeaseLostException if no lease is held, a newer lease wrote the object, or the object
     *     does not exist (a lease lives only as long as its object)
     * @throws LeaseMismatchException if another lease is current
     * @throws StaleWriteException if a stale holder wrote the object since this tenure began and the
     *     put does not name that version ({@link PutMode#update})
     * @throws PreconditionFailedException if an overwrite finds the object changed since the lease was
     *     acquired by a write without this lease; or the caller's own condition fails
     * @throws ObjectAlreadyExistsException for a create (a leased object exists)
     */
    public PutOptions guardPut(String key, PutOptions options) {
        String leaseId = options.leaseId().orElseThrow();
        Guard guard = guard(key, leaseId);
        if (guard.data == null) {
            throw new LeaseLostException(key, guard.record.seen != null
                    ? "the object was deleted since this lease was acquired (by an older holder or a write without the"
                            + " lease); a lease lives only as long as its object"
                    : "the object does not exist, so no lease is held on it", null);
        }
        ObjectInfo data = guard.data.info;
        Preconditions.write(key, options, data.version().etag(), data.lastModified());
        guard.judgeWrite(key, options.mode().kind() == PutMode.Kind.UPDATE);
        return options.toBuilder()
                .mode(PutMode.update(data.version()))
                .ifModifiedSince(null)
                .ifUnmodifiedSince(null)
                .metadata(FENCING_TOKEN_METADATA, guard.record.fenceValue())
                .leaseId(null)
                .consistency(ReadConsistency.STRONG)
                .build();
    }

    /**
     * Prepares a delete that carries a lease id for sending (the store runs it before every send).
     *
     * <p>Needs atomic conditional delete: reads the lease record and the object's version, judges the
     * version, then returns If-Match on that version and no lease id.
     *
     * @param key the key
     * @param options the validated options, with a lease id
     * @return the options to send
     * @throws NotSupportedException if the store has no atomic conditional delete (nothing is sent)
     * @throws ObjectNotFoundException if the object does not exist
     * @throws LeaseLostException if no lease is held or a newer lease wrote the object
     * @throws LeaseMismatchException if another lease is current
     * @throws StaleWriteException if a stale holder wrote the object since this tenure began and the
     *     delete does not name that version (If-Match)
     * @throws PreconditionFailedException if the object changed without this lease since it was
     *     acquired, or the caller's If-Match fails
     */
    public DeleteOptions guardDelete(String key, DeleteOptions options) {
        String leaseId = options.leaseId().orElseThrow();
        if (!driver.capabilities().supports(Capability.DELETE_IF_MATCH)) {
            throw new NotSupportedException(key, driver.name() + " has no atomic conditional delete (capability "
                    + Capability.DELETE_IF_MATCH + "), so a delete under an emulated lease cannot be fenced", null);
        }
        Guard guard = guard(key, leaseId);
        if (guard.data == null) {
            throw new ObjectNotFoundException(key, "no such key", null);
        }
        io.leasehold.core.ETag current = guard.data.info.version().etag();
        Preconditions.delete(key, options, current);
        guard.judgeWrite(key, options.ifMatch().isPresent());
        return DeleteOptions.builder().ifMatch(current).build();
    }

    /**
     * Prepares a get or head that carries a lease id: reads the lease record (1 request) and checks
     * that the id holds the lease. The object that comes back must then pass
     * {@link ReadGuard#check}.
     *
     * @param key the key
     * @param options the validated options, with a lease id
     * @return the options to send and the check of the answer
     * @throws LeaseLostException if no lease is held
     * @throws LeaseMismatchException if another lease is current
     */
    public ReadGuard guardGet(String key, GetOptions options) {
        String leaseId = options.leaseId().orElseThrow();
        String hash = LeaseRecord.idDigest(leaseId);
        return relabel(leaseId, hash, () -> {
            Observed current = readRecord(key, recordKey(key), false);
            long now = nanoClock.getAsLong();
            LeaseRecord.checkRead(key, view(current, now), hash, mono(now));
            return new ReadGuard(key, options.toBuilder().leaseId(null).build(), current.stored);
        });
    }

    /**
     * Refuses a write or delete without a lease id while another process holds the key's lease, for
     * a store with {@link Capability#ENFORCED_LEASES} (1 record read; 1 more, a HEAD, when the record
     * says leased). A lease lives only as long as its object: a record left by a lease whose object
     * was deleted refuses nothing (as on Azure, where deleting a blob ends its lease). The race left:
     * a lease acquired between this read and the write landing (the holder's next guarded overwrite
     * then fails with {@link PreconditionFailedException}).
     *
     * @param key the key
     * @throws LeaseHeldException if the lease is held or breaking, as this process sees it
     */
    public void refuseIfLeased(String key) {
        String recordKey = recordKey(key);
        Observed current = readRecord(key, recordKey, false);
        long now = nanoClock.getAsLong();
        LeaseState state = LeaseRecord.stateOf(view(current, now), mono(now));
        if ((state == LeaseState.LEASED || state == LeaseState.BREAKING) && data(key) != null) {
            throw new LeaseHeldException(key, "the object is leased and no lease id was given (leases are enforced on"
                    + " this store)", null);
        }
    }

    @Override
    public String toString() {
        return "EmulatedLeases{" + driver.name() + "}";
    }

    /**
     * What a guarded read needs: the options to send, and the check of the object that comes back.
     *
     * <p>Thread-safety: immutable.
     */
    public static final class ReadGuard {
        private final String key;
        private final GetOptions options;
        private final Stored record;

        ReadGuard(String key, GetOptions options, Stored record) {
            this.key = key;
            this.options = options;
            this.record = record;
        }

        /**
         * The options to send (without the lease id).
         *
         * @return the options
         */
        public GetOptions options() {
            return options;
        }

        /**
         * Checks the object read under the lease.
         *
         * @param read the driver's answer (not modified answers pass)
         * @return the answer
         * @throws StaleWriteException if a stale holder wrote the version read since this tenure began
         * @throws LeaseLostException if a newer lease wrote it
         */
        public GetResponse check(GetResponse read) {
            if (read == null || read.isNotModified()) {
                return read;
            }
            DataObject data = new DataObject(read.info());
            Judgement j = judge(data, record);
            if (j == Judgement.NEWER) {
                throw newer(key, data, record);
            }
            if (j == Judgement.STALE) {
                throw stale(key, data, record, "read it without the lease id and write with PutMode.update on the"
                        + " version read to accept or repair it");
            }
            return read;
        }
    }

    // ---------------------------------------------------------------- judging the data object

    /** How a data object's version stands with a tenure. */
    private enum Judgement { OURS, ACCEPTED, UNLEASED, STALE, NEWER }

    private static Judgement judge(DataObject data, Stored record) {
        Fence f = data.fence;
        if (f.token > record.generation) {
            return Judgement.NEWER;
        }
        if (f.token > 0 && f.token == record.generation
                && (f.tag == null || record.tenure == null || f.tag.equals(record.tenure))) {
            return Judgement.OURS;
        }
        if (data.is(record.accepted)) {
            return Judgement.ACCEPTED;
        }
        return f.token == 0 ? Judgement.UNLEASED : Judgement.STALE;
    }

    /** A renewal (or a same-holder acquire) on a tenure: refused where the tenure's ground was taken. */
    private static void checkTenure(String key, Stored record, DataObject data, boolean expired) {
        Judgement j = judge(data, record);
        if (j == Judgement.NEWER) {
            throw newer(key, data, record);
        }
        if (j == Judgement.STALE && !data.is(record.seen)) {
            throw stale(key, data, record, "this tenure's exclusivity was broken; stop, then read the object without"
                    + " the lease id and decide");
        }
        if (expired && j == Judgement.UNLEASED) {
            throw new LeaseMismatchException(key, "the lease expired and the object was written since without it, so"
                    + " it cannot be renewed", null);
        }
    }

    private static LeaseLostException newer(String key, DataObject data, Stored record) {
        return new LeaseLostException(key, "a newer lease (fencing token " + data.fence.token + ") wrote the object;"
                + " this lease's token is " + record.generation, null);
    }

    private static StaleWriteException stale(String key, DataObject data, Stored record, String advice) {
        return new StaleWriteException(key, "a holder whose lease had ended (fencing token " + data.fence.token
                + ") wrote the object after this lease (token " + record.generation + ") was acquired; " + advice, null);
    }

    /** What a guarded write checked: the record holding the lease, and the object (null if absent). */
    private static final class Guard {
        final Stored record;
        final DataObject data;

        Guard(Stored record, DataObject data) {
            this.record = record;
            this.data = data;
        }

        /** Judges the object before a write; {@code namesVersion}: the caller conditioned on exactly it. */
        void judgeWrite(String key, boolean namesVersion) {
            Judgement j = judge(data, record);
            if (j == Judgement.NEWER) {
                throw newer(key, data, record);
            }
            if (j == Judgement.STALE && !namesVersion) {
                throw stale(key, data, record, "read it without the lease id and write with PutMode.update on the"
                        + " version read to accept or repair it");
            }
            if (j == Judgement.UNLEASED && !namesVersion) {
                throw new PreconditionFailedException(key, "the object was written without this lease since the"
                        + " lease was acquired (emulated leases cannot block such writes); re-read it and write"
                        + " with PutMode.update on the version read", null);
            }
        }
    }

    private Guard guard(String key, String leaseId) {
        String hash = LeaseRecord.idDigest(leaseId);
        return relabel(leaseId, hash, () -> {
            Observed current = readRecord(key, recordKey(key), false);
            long now = nanoClock.getAsLong();
            LeaseRecord.checkWrite(key, view(current, now), hash, mono(now));
            return new Guard(current.stored, head(key, false));
        });
    }

    /** The data object as the driver returns it (bookkeeping included). */
    private static final class DataObject {
        final ObjectInfo info;
        final Fence fence;
        final String writeId;
        final String etag;

        DataObject(ObjectInfo info) {
            this.info = info;
            this.fence = Fence.of(info.userMetadata().get(FENCING_TOKEN_METADATA));
            this.writeId = WriteTag.writeIdOf(info.userMetadata());
            this.etag = info.version().etag().value();
        }

        /** How a record names this version: its write id where the library wrote it, else its ETag. */
        String identity() {
            return writeId != null ? "w:" + writeId : "e:" + etag;
        }

        boolean is(String identity) {
            return identity != null && (identity.equals("e:" + etag) || writeId != null && identity.equals("w:" + writeId));
        }
    }

    /** The token (and tenure tag) a data object was written under; 0 without one. */
    private static final class Fence {
        static final Fence NONE = new Fence(0, null);
        final long token;
        final String tag;

        Fence(long token, String tag) {
            this.token = token;
            this.tag = tag;
        }

        static Fence of(String value) {
            if (value == null) {
                return NONE;
            }
            String v = value.trim();
            int dot = v.indexOf('.');
            try {
                long token = Long.parseLong(dot < 0 ? v : v.substring(0, dot));
                return token < 0 ? NONE : new Fence(token, dot < 0 ? null : v.substring(dot + 1));
            } catch (NumberFormatException notOurs) {
                return NONE; // not written by a guard; like a write without a lease
            }
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

    /** Internal signal: a decision taken on a remembered version needs the store's version. */
    private static final class Unverified extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unverified() {
            super(null, null, false, false);
        }
    }

    /**
     * Runs one lease operation as a read-modify-write of its record through the write engine,
     * starting from the version this instance last wrote or read (a decision that refuses or keeps
     * on that version is taken again on the store's).
     *
     * @param ownLease whether the write is the holder's own lease (its version then counts from
     *     before it was sent)
     */
    private <T> T run(String key, StoreObserver.Operation operation, boolean ownLease, Planner<T> planner) {
        String recordKey = recordKey(key);
        Known held = remembered(recordKey);
        if (held != null) {
            try {
                return runLoop(key, recordKey, operation, ownLease, planner, held);
            } catch (Unverified stale) {
                // fall through: decide on the store's version
            }
        }
        return runLoop(key, recordKey, operation, ownLease, planner, null);
    }

    private <T> T runLoop(String key, String recordKey, StoreObserver.Operation operation, boolean ownLease,
                          Planner<T> planner, Known held) {
        Timing timing = new Timing(recordKey);
        GetResponse start = held == null ? null : held.raw;
        Transition<Step<T>> transition = current -> {
            boolean verified = start == null || current != start;
            long now = nanoClock.getAsLong();
            Step<T> step;
            try {
                step = planner.plan(current == null ? null : observedAs(key, recordKey, current, now), now);
            } catch (LeaseException | ObjectNotFoundException refused) {
                if (!verified) {
                    throw new Unverified();
                }
                throw refused;
            }
            if (step.write == null) {
                if (!verified) {
                    throw new Unverified();
                }
                return Transition.Decision.keep(step);
            }
            return Transition.Decision.write(step.write.toJson(json), step);
        };
        UpdateLoop<Step<T>> loop = UpdateLoop.builder(engine, io, recordKey, transition)
                .writeOptions(PutOptions.builder().contentType(RECORD_CONTENT_TYPE).consistency(engine.strongest()).build())
                .everyVersionUnique()
                .budget(new LeaseAttempts(Attempts.of(operationRetry)))
                .progress(timing)
                .observed(observing, operation)
                .startingFrom(start)
                .build();
        UpdateLoop.Outcome<Step<T>> outcome;
        try {
            outcome = Futures.join(loop.run());
        } catch (Unverified again) {
            throw again;
        } catch (PreconditionFailedException | ObjectAlreadyExistsException raced) {
            throw new TransientException(ErrorCode.CONFLICT, key, "the lease record kept changing during "
                    + LeaseAttempts.MAX_RACES + " attempts", raced);
        } catch (ObjectStoreException e) {
            throw relocate(key, e);
        }
        if (outcome.write != null) {
            if (outcome.write.superseded || outcome.write.version == null) {
                forget(recordKey);
            } else {
                Long sent = timing.sentAt.get(outcome.write.writeId);
                long firstSeen = ownLease && sent != null ? sent : nanoClock.getAsLong();
                GetResponse raw = GetResponse.found(new ObjectInfo(recordKey, outcome.write.version, outcome.content.length,
                        outcome.write.lastModified == null ? Instant.EPOCH : outcome.write.lastModified,
                        RECORD_CONTENT_TYPE, outcome.sent.userMetadata()), outcome.content);
                remember(recordKey, new Known(raw, outcome.write.version.etag().value(), firstSeen));
            }
        }
        return outcome.result.result;
    }

    /** Times the loop's writes (for the holder's own versions) and records each read's observation. */
    private final class Timing implements UpdateLoop.Progress {
        final String recordKey;
        final Map<String, Long> sentAt = new HashMap<>();

        Timing(String recordKey) {
            this.recordKey = recordKey;
        }

        @Override
        public void writeSent(int attempt, String writeId) {
            sentAt.put(writeId, nanoClock.getAsLong());
        }

        @Override
        public void read(GetResponse current, long receivedNanos) {
            observe(recordKey, current, nanoClock.getAsLong());
        }
    }

    /** The record version as this process has observed it. */
    private Observed observedAs(String key, String recordKey, GetResponse current, long now) {
        String etag = current.info().version().etag().value();
        long firstSeen = now;
        synchronized (observed) {
            Known known = observed.get(recordKey);
            if (known != null && known.etag.equals(etag)) {
                firstSeen = known.firstSeenNanos;
            }
        }
        return new Observed(Stored.parse(json, key, current.content()), etag, firstSeen);
    }

    /** Notes a version read at {@code receivedNanos}: a version seen before keeps its first sighting. */
    private void observe(String recordKey, GetResponse current, long receivedNanos) {
        synchronized (observed) {
            if (current == null) {
                observed.remove(recordKey);
                return;
            }
            String etag = current.info().version().etag().value();
            Known known = observed.get(recordKey);
            if (known != null && known.etag.equals(etag)) {
                observed.put(recordKey, new Known(current, etag, known.firstSeenNanos));
            } else {
                observed.put(recordKey, new Known(current, etag, receivedNanos));
            }
        }
    }

    /** Reads the record strongly (one request, or under the operation retry); null if there is none. */
    private Observed readRecord(String key, String recordKey, boolean retried) {
        GetOptions strong = GetOptions.builder().consistency(engine.strongest()).build();
        GetResponse result;
        try {
            result = Futures.join(retried
                    ? engine.read(io, recordKey, strong, true, java.util.concurrent.CompletableFuture::completedFuture,
                            Attempts.of(operationRetry))
                    : io.get(recordKey, strong, true));
        } catch (ObjectNotFoundException absent) {
            observe(recordKey, null, 0);
            return null;
        } catch (ObjectStoreException e) {
            throw relocate(key, e);
        }
        long received = nanoClock.getAsLong();
        observe(recordKey, result, received);
        return observedAs(key, recordKey, result, received);
    }

    private Known remembered(String recordKey) {
        synchronized (observed) {
            return observed.get(recordKey);
        }
    }

    private void remember(String recordKey, Known version) {
        synchronized (observed) {
            observed.put(recordKey, version);
        }
    }

    private void forget(String recordKey) {
        synchronized (observed) {
            observed.remove(recordKey);
        }
    }

    /** The data object, strongly, under the operation retry (lease steps); null if absent. */
    private DataObject data(String key) {
        return head(key, true);
    }

    private void requireData(String key) {
        if (data(key) == null) {
            throw new ObjectNotFoundException(key, "no such key", null);
        }
    }

    private DataObject head(String key, boolean retried) {
        GetOptions strong = GetOptions.builder().consistency(engine.strongest()).build();
        try {
            GetResponse r = Futures.join(retried
                    ? engine.read(io, key, strong, false, java.util.concurrent.CompletableFuture::completedFuture,
                            Attempts.of(operationRetry))
                    : io.get(key, strong, false));
            return new DataObject(r.info());
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

    /** A store failure on the record, reported for the caller's key (keeping the write id of an unknown outcome). */
    private static ObjectStoreException relocate(String key, ObjectStoreException e) {
        if (key.equals(e.key().orElse(null))) {
            return e;
        }
        if (e instanceof OutcomeUnknownException) {
            OutcomeUnknownException u = (OutcomeUnknownException) e;
            return new OutcomeUnknownException(key, "lease record: " + e.getMessage(), e, u.writeId().orElse(null),
                    u.leaseId().orElse(null));
        }
        if (e instanceof TransientException) {
            return new TransientException(e.code(), key, "lease record: " + e.getMessage(), e);
        }
        if (e instanceof LeaseException || e instanceof ObjectNotFoundException) {
            return e;
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

    private static String tenureTag() {
        return String.format("%08x", RANDOM.nextInt());
    }

    // ---------------------------------------------------------------- record values

    /** The stored states; a released lease keeps its record (and generation). */
    private enum RecordState { LEASED, BREAKING, BROKEN, RELEASED }

    /** A record version, and when this process first saw it (monotonic nanos). */
    private static final class Observed {
        final Stored stored;
        final String etag;
        final long firstSeenNanos;

        Observed(Stored stored, String etag, long firstSeenNanos) {
            this.stored = stored;
            this.etag = etag;
            this.firstSeenNanos = firstSeenNanos;
        }
    }

    /** The last version of a record this instance read or wrote, as the store holds it, and its first sighting. */
    private static final class Known {
        final GetResponse raw;
        final String etag;
        final long firstSeenNanos;

        Known(GetResponse raw, String etag, long firstSeenNanos) {
            this.raw = raw;
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
        final String tenure;
        final String seen;
        final String accepted;
        final String nonce;

        Stored(RecordState state, String leaseHash, Long durationSeconds, long breakMillis, long generation,
               String tenure, String seen, String accepted, String nonce) {
            this.state = state;
            this.leaseHash = leaseHash;
            this.durationSeconds = durationSeconds;
            this.breakMillis = breakMillis;
            this.generation = generation;
            this.tenure = tenure;
            this.seen = seen;
            this.accepted = accepted;
            this.nonce = nonce;
        }

        /** A release: the generation and the tenure's versions stay, for fencing and stale-write detection. */
        static Stored released(Stored previous) {
            return new Stored(RecordState.RELEASED, null, null, 0, previous.generation, previous.tenure, previous.seen,
                    previous.accepted, nonce());
        }

        /** A new holder's record. */
        static Stored newTenure(LeaseRecord next, String tenure, String seen, String accepted) {
            return new Stored(RecordState.LEASED, next.id(), next.duration().map(Duration::getSeconds).orElse(null), 0,
                    next.fencingToken(), tenure, seen, accepted, nonce());
        }

        /** The record for a state-machine result of the same tenure (null: released), with a fresh nonce. */
        static Stored of(LeaseRecord next, Instant now, Stored previous) {
            if (next == null) {
                return released(previous);
            }
            switch (next.storedState()) {
                case LEASED:
                    return new Stored(RecordState.LEASED, next.id(), next.duration().map(Duration::getSeconds).orElse(null),
                            0, next.fencingToken(), previous.tenure, previous.seen, previous.accepted, nonce());
                case BREAKING:
                    // Rounded up: an observer never treats the break as over earlier than the breaker did.
                    long millis = (Duration.between(now, next.breakAt().orElseThrow()).toNanos() + 999_999) / 1_000_000;
                    return new Stored(RecordState.BREAKING, next.id(), null, millis, next.fencingToken(), previous.tenure,
                            previous.seen, previous.accepted, nonce());
                default:
                    return new Stored(RecordState.BROKEN, next.id(), null, 0, next.fencingToken(), previous.tenure,
                            previous.seen, previous.accepted, nonce());
            }
        }

        Duration duration() {
            return durationSeconds == null ? null : Duration.ofSeconds(durationSeconds);
        }

        /** What a guarded write stamps on the object: the token, and the tenure where known. */
        String fenceValue() {
            return tenure == null ? Long.toString(generation) : generation + "." + tenure;
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
            if (tenure != null) {
                node.put("tenure", tenure);
            }
            if (seen != null) {
                node.put("seen", seen);
            }
            if (accepted != null) {
                node.put("accepted", accepted);
            }
            node.put("nonce", nonce);
            try {
                return json.writeValueAsBytes(node);
            } catch (IOException e) {
                throw new IllegalStateException("cannot serialise a lease record", e);
            }
        }

        /**
         * Parses a record; an unreadable one is refused rather than treated as available. Records
         * written before tenures existed name the object's version by its ETag ({@code dataETag}).
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
                String legacy = node.hasNonNull("dataETag") ? "e:" + node.get("dataETag").asText() : null;
                String seen = node.hasNonNull("seen") ? node.get("seen").asText() : legacy;
                String accepted = node.hasNonNull("accepted") ? node.get("accepted").asText() : seen;
                return new Stored(state, hash, duration, node.path("breakMillis").asLong(0), generation,
                        node.hasNonNull("tenure") ? node.get("tenure").asText() : null, seen, accepted, nonce);
            } catch (IOException | RuntimeException e) {
                throw new ObjectStoreException(ErrorCode.UNKNOWN, key, "the lease record " + RECORD_PREFIX
                        + "… is unreadable; it is not treated as released (repair or overwrite it)", e);
            }
        }
    }
}
