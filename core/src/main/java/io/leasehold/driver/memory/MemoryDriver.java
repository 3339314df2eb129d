package io.leasehold.driver.memory;

import io.leasehold.spi.LeaseGrant;
import io.leasehold.spi.GetResponse;
import io.leasehold.spi.PutResponse;
import io.leasehold.core.Capabilities;
import io.leasehold.core.Capability;
import io.leasehold.core.DeleteOptions;
import io.leasehold.core.ETag;
import io.leasehold.core.GetOptions;
import io.leasehold.core.lease.LeaseStatus;
import io.leasehold.core.ListOptions;
import io.leasehold.core.ObjectChangedException;
import io.leasehold.core.ObjectInfo;
import io.leasehold.core.ObjectNotFoundException;
import io.leasehold.core.ObjectVersion;
import io.leasehold.core.PreconditionFailedException;
import io.leasehold.core.PutOptions;
import io.leasehold.spi.LeaseDriver;
import io.leasehold.spi.ListResponse;
import io.leasehold.spi.kit.LeaseRecord;
import io.leasehold.spi.kit.ListPages;
import io.leasehold.spi.kit.Preconditions;
import io.leasehold.spi.RangeRead;
import io.leasehold.spi.StoreDriver;
import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;

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
 * interleave. States are timed on the monotonic clock ({@link System#nanoTime()}), so wall-clock
 * steps do not move them (on the given clock for {@link #create(Clock)}, for tests): a finite lease
 * past its expiry reads {@code EXPIRED}, a break past its period {@code BROKEN}.
 * A write without a lease id on an expired or broken lease clears it (its holder can no longer renew
 * it); deleting the object drops its lease. Fencing tokens come from one counter per driver, so
 * they strictly increase across holders of every key, also across deletion and re-creation.
 * The state machine and its refusals are {@link LeaseRecord}'s, shared with the file driver.
 *
 * <h2>Large objects</h2>
 * A streaming put larger than one part is collected in memory and committed as one put (the
 * default {@link StoreDriver#startUpload}), so its conditions hold as for any put; ranged reads
 * serve slices of the stored bytes, pinned to a version like every store's. Objects are limited to
 * what one array holds (about 2 GiB).
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
            Capability.LEASES, Capability.NATIVE_LEASES, Capability.FENCING_TOKENS, Capability.ENFORCED_LEASES,
            Capability.CONDITIONAL_MULTIPART_COMMIT, Capability.RANGED_READS, Capability.LIST,
            Capability.SERVER_SIDE_COPY, Capability.COPY_SOURCE_IF_MATCH, Capability.COPY_IF_ABSENT,
            Capability.COPY_IF_MATCH, Capability.COPY_IF_PRESENT);

    private final ConcurrentHashMap<String, Entry> objects = new ConcurrentHashMap<>();
    private final Clock clock;
    /** What lease states are timed on: monotonic (only differences matter), or a test's clock. */
    private final java.util.function.Supplier<Instant> leaseClock;
    private final AtomicLong fencingTokens = new AtomicLong();
    private final MemoryLeases leases = new MemoryLeases();

    private MemoryDriver(Clock clock, java.util.function.Supplier<Instant> leaseClock) {
        this.clock = clock;
        this.leaseClock = leaseClock;
    }

    /**
     * A new, private, empty store.
     *
     * @return the driver
     */
    public static MemoryDriver create() {
        return new MemoryDriver(Clock.systemUTC(), () -> Instant.EPOCH.plusNanos(System.nanoTime()));
    }

    /**
     * A new, private, empty store on a given clock (for tests of time conditions and lease expiry).
     *
     * @param clock the clock for last-modified times and lease expiry
     * @return the driver
     */
    public static MemoryDriver create(Clock clock) {
        return new MemoryDriver(clock, clock::instant);
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
    public PutResponse put(String key, byte[] content, PutOptions options) {
        return write(key, content.clone(), options);
    }

    /** Writes {@code content} (kept, never changed) under the options' lease and conditions, atomically on the key. */
    private PutResponse write(String key, byte[] content, PutOptions options) {
        Entry written = objects.compute(key, (k, current) -> {
            Instant now = clock.instant();
            LeaseRecord kept = LeaseRecord.checkWrite(k, current == null ? null : current.lease,
                    options.leaseId().orElse(null), leaseClock.get());
            Preconditions.write(k, options, current == null ? null : current.etag,
                    current == null ? null : current.lastModified);
            return new Entry(content, newETag(), now, options.contentType().orElse(null),
                    options.userMetadata(), kept);
        });
        return PutResponse.of(ObjectVersion.of(written.etag, null), content.length, written.lastModified);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Shares the source version's bytes (entries never change) and writes the target atomically
     * under its conditions, as a put does.
     */
    @Override
    public PutResponse copy(String sourceKey, ObjectVersion sourceVersion, long sourceSize, String targetKey,
                            PutOptions targetOptions) {
        Entry source = objects.get(sourceKey);
        if (source == null) {
            throw new ObjectNotFoundException(sourceKey, "no such key (the copy's source)", null);
        }
        if (!source.etag.value().equals(sourceVersion.etag().value())) {
            throw new ObjectChangedException(sourceKey, "the copy's source is no longer the version read", null);
        }
        return write(targetKey, source.content, targetOptions);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Each page looks at every key once (a snapshot of the key set at the time of the page), so a
     * page costs time proportional to the number of objects.
     */
    @Override
    public ListResponse list(String prefix, ListOptions options) {
        List<ObjectInfo> found = new ArrayList<>();
        objects.forEach((key, entry) -> {
            if (key.startsWith(prefix)) {
                found.add(new ObjectInfo(key, ObjectVersion.of(entry.etag, null), entry.content.length,
                        entry.lastModified, null, null));
            }
        });
        return ListPages.page(found, prefix, options);
    }

    @Override
    public GetResponse get(String key, GetOptions options, boolean withContent) {
        Entry e = objects.get(key);
        if (e == null) {
            throw new ObjectNotFoundException(key, "no such key", null);
        }
        options.leaseId().ifPresent(id -> LeaseRecord.checkRead(key, e.lease, id, leaseClock.get()));
        if (Preconditions.read(key, options, e.etag, e.lastModified) == Preconditions.ReadVerdict.NOT_MODIFIED) {
            return GetResponse.notModified(ObjectVersion.of(e.etag, null));
        }
        return GetResponse.found(e.info(key), withContent ? e.content : null);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Serves a slice of the stored bytes without copying them.
     */
    @Override
    public RangeRead getRange(String key, GetOptions options, ObjectVersion pinned, long offset, long length) {
        Entry e = objects.get(key);
        if (e == null) {
            throw new ObjectNotFoundException(key, "no such key", null);
        }
        options.leaseId().ifPresent(id -> LeaseRecord.checkRead(key, e.lease, id, leaseClock.get()));
        if (pinned != null) {
            if (!pinned.etag().value().equals(e.etag.value())) {
                throw new PreconditionFailedException(key, "the object is no longer the version read first", null);
            }
        } else if (Preconditions.read(key, options, e.etag, e.lastModified) == Preconditions.ReadVerdict.NOT_MODIFIED) {
            return RangeRead.notModified(ObjectVersion.of(e.etag, null));
        }
        int from = (int) Math.min(offset, e.content.length);
        int served = (int) Math.max(0, Math.min(length, e.content.length - from));
        return RangeRead.of(e.info(key), from, served, new ByteArrayInputStream(e.content, from, served), null);
    }

    @Override
    public void delete(String key, DeleteOptions options) {
        boolean[] found = {false};
        objects.computeIfPresent(key, (k, current) -> {
            LeaseRecord.checkWrite(k, current.lease, options.leaseId().orElse(null), leaseClock.get());
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

    /** Lease operations on the driver's objects, each one atomic with the object's state. */
    private final class MemoryLeases implements LeaseDriver {

        @Override
        public LeaseGrant acquire(String key, Duration duration, String proposedId) {
            return leaseOp(key, (current, now) -> LeaseRecord.acquire(key, current, duration, proposedId, now,
                    fencingTokens::incrementAndGet)).toGrant();
        }

        @Override
        public LeaseGrant renew(String key, String leaseId) {
            return leaseOp(key, (current, now) -> LeaseRecord.renew(key, current, leaseId, now)).toGrant();
        }

        @Override
        public void release(String key, String leaseId) {
            leaseOp(key, (current, now) -> LeaseRecord.release(key, current, leaseId, now));
        }

        @Override
        public Duration breakLease(String key, Duration breakPeriod) {
            Instant[] at = new Instant[1];
            LeaseRecord broken = leaseOp(key, (current, now) -> {
                at[0] = now;
                return LeaseRecord.breakLease(key, current, breakPeriod, now);
            });
            return LeaseRecord.breakRemaining(broken, at[0]);
        }

        @Override
        public LeaseGrant change(String key, String leaseId, String proposedId) {
            return leaseOp(key, (current, now) -> LeaseRecord.change(key, current, leaseId, proposedId, now)).toGrant();
        }

        @Override
        public LeaseStatus status(String key) {
            Entry e = objects.get(key);
            if (e == null) {
                throw new ObjectNotFoundException(key, "no such key", null);
            }
            return LeaseRecord.status(e.lease, leaseClock.get());
        }

        /** Applies a lease transition atomically on the key; returns the new record (null: available). */
        private LeaseRecord leaseOp(String key, BiFunction<LeaseRecord, Instant, LeaseRecord> transition) {
            LeaseRecord[] result = new LeaseRecord[1];
            boolean[] found = {false};
            objects.computeIfPresent(key, (k, current) -> {
                found[0] = true;
                LeaseRecord next = transition.apply(current.lease, leaseClock.get());
                result[0] = next;
                return current.withLease(next);
            });
            if (!found[0]) {
                throw new ObjectNotFoundException(key, "no such key", null);
            }
            return result[0];
        }
    }
}
