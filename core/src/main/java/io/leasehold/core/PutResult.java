package io.leasehold.core;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What a successful put wrote: the key, the new {@link ObjectVersion}, the size, the write id the
 * library tagged the write with and, where the store reports it, the last-modified time.
 *
 * <h2>Superseded writes</h2>
 * When a write's response was lost (or the store acknowledged it without naming its version) and
 * the library proved from the object's bookkeeping that the write landed, but a later write had
 * already replaced it by the time the library read the object back, the put still succeeded:
 * {@link #isSuperseded()} is true and {@link #version()} is {@linkplain ObjectVersion#isUnknown()
 * unknown}, so a compare-and-swap on it fails as it would on any stale version. Re-read the object
 * before acting on it again.
 *
 * <p>Thread-safety: immutable.
 */
public final class PutResult {
    private final String key;
    private final ObjectVersion version;
    private final long size;
    private final Instant lastModified;
    private final String writeId;
    private final boolean superseded;

    /**
     * Creates a result (for drivers: the store acknowledged the write and named its version).
     *
     * @param key the key written
     * @param version the new version
     * @param size bytes written
     * @param lastModified the store's last-modified time, or null if it did not say
     */
    public PutResult(String key, ObjectVersion version, long size, Instant lastModified) {
        this(key, Objects.requireNonNull(version, "version"), size, lastModified, null, false);
    }

    private PutResult(String key, ObjectVersion version, long size, Instant lastModified, String writeId,
                      boolean superseded) {
        this.key = Objects.requireNonNull(key, "key");
        this.version = version;
        this.size = size;
        this.lastModified = lastModified;
        this.writeId = writeId;
        this.superseded = superseded;
    }

    /**
     * For drivers: the store acknowledged the write (2xx) but its answer named no version (some
     * S3-compatible servers omit the ETag). The facade then reads the object back and credits the
     * write with the version only if that version carries the write's own write id.
     *
     * @param key the key written
     * @param size bytes written
     * @return a result without a version
     */
    public static PutResult withoutVersion(String key, long size) {
        return new PutResult(key, null, size, null, null, false);
    }

    /** A landed write whose version was replaced before the library could learn it. */
    static PutResult superseded(String key, long size, String writeId) {
        return new PutResult(key, ObjectVersion.unknown(writeId), size, null, writeId, true);
    }

    /** This result as the facade returns it: the version tagged with the write id. */
    PutResult tagged(String id) {
        return new PutResult(key, version.withWriteId(id), size, lastModified, id, superseded);
    }

    /** Whether a driver returned this without a version ({@link #withoutVersion}). */
    boolean versionMissing() {
        return version == null;
    }

    /**
     * Whether this result names a version: always true for results of {@link ObjectStore}; false for
     * a driver-level result made with {@link #withoutVersion} (for code that calls drivers directly).
     *
     * @return true if {@link #version()} may be called
     */
    public boolean hasVersion() {
        return version != null;
    }

    /**
     * The key written.
     *
     * @return never null
     */
    public String key() {
        return key;
    }

    /**
     * The version this put created: pass it to {@link PutMode#update(ObjectVersion)} for the next
     * compare-and-swap. {@linkplain ObjectVersion#isUnknown() Unknown} when {@link #isSuperseded()}.
     *
     * @return never null in results the store returns
     */
    public ObjectVersion version() {
        if (version == null) {
            throw new IllegalStateException("a driver-level result without a version; the facade resolves it");
        }
        return version;
    }

    /**
     * The number of bytes written.
     *
     * @return the size
     */
    public long size() {
        return size;
    }

    /**
     * The store's last-modified time of the new version, if it reported one.
     *
     * @return the time, or empty
     */
    public Optional<Instant> lastModified() {
        return Optional.ofNullable(lastModified);
    }

    /**
     * The write id the library tagged this write with (16 hexadecimal digits; stored in the
     * object's reserved bookkeeping metadata). Useful to correlate logs and audits.
     *
     * @return the write id, or empty for a result a driver built itself
     */
    public Optional<String> writeId() {
        return Optional.ofNullable(writeId);
    }

    /**
     * Whether the write landed but a later write had replaced it before the library learnt its
     * version (see the class documentation).
     *
     * @return true if superseded
     */
    public boolean isSuperseded() {
        return superseded;
    }

    @Override
    public String toString() {
        return "PutResult{key=" + key + ", version=" + version + ", size=" + size + ", lastModified=" + lastModified
                + (superseded ? ", superseded" : "") + "}";
    }
}
