package io.leasehold.driver.memory;

import io.leasehold.core.Capabilities;
import io.leasehold.core.Capability;
import io.leasehold.core.DeleteOptions;
import io.leasehold.core.ETag;
import io.leasehold.core.GetOptions;
import io.leasehold.core.GetResult;
import io.leasehold.core.ObjectInfo;
import io.leasehold.core.ObjectNotFoundException;
import io.leasehold.core.ObjectVersion;
import io.leasehold.core.PutOptions;
import io.leasehold.core.PutResult;
import io.leasehold.spi.Preconditions;
import io.leasehold.spi.StoreDriver;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
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
            Capability.USER_METADATA, Capability.ETAG_CHANGES_ON_IDENTICAL_REWRITE);

    private final ConcurrentHashMap<String, Entry> objects = new ConcurrentHashMap<>();
    private final Clock clock;

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
     * A new, private, empty store on a given clock (for tests of time conditions).
     *
     * @param clock the clock for last-modified times
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
            Preconditions.write(k, options, current == null ? null : current.etag,
                    current == null ? null : current.lastModified);
            return new Entry(content.clone(), newETag(), clock.instant(), options.contentType().orElse(null),
                    options.userMetadata());
        });
        return new PutResult(key, ObjectVersion.of(written.etag, null), content.length, written.lastModified);
    }

    @Override
    public GetResult get(String key, GetOptions options, boolean withContent) {
        Entry e = objects.get(key);
        if (e == null) {
            throw new ObjectNotFoundException(key, "no such key", null);
        }
        if (Preconditions.read(key, options, e.etag, e.lastModified) == Preconditions.ReadVerdict.NOT_MODIFIED) {
            return GetResult.notModified(ObjectVersion.of(e.etag, null));
        }
        return GetResult.found(e.info(key), withContent ? e.content : null);
    }

    @Override
    public void delete(String key, DeleteOptions options) {
        boolean[] found = {false};
        objects.computeIfPresent(key, (k, current) -> {
            Preconditions.delete(k, options, current.etag);
            found[0] = true;
            return null;
        });
        if (!found[0]) {
            throw new ObjectNotFoundException(key, "no such key", null);
        }
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

        Entry(byte[] content, ETag etag, Instant lastModified, String contentType, Map<String, String> metadata) {
            this.content = content;
            this.etag = etag;
            this.lastModified = lastModified;
            this.contentType = contentType;
            this.metadata = Map.copyOf(metadata);
        }

        ObjectInfo info(String key) {
            return new ObjectInfo(key, ObjectVersion.of(etag, null), content.length, lastModified, contentType, metadata);
        }
    }
}
