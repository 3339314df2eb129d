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

    /** A result naming the version the store gave the write. */
    PutResult(String key, ObjectVersion version, long size, Instant lastModified) {
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

    /** A landed write whose version was replaced before the library could learn it. */
    static PutResult superseded(String key, long size, String writeId) {
        return new PutResult(key, ObjectVersion.unknown(writeId), size, null, writeId, true);
    }

    /** This result as the facade returns it: the version tagged with the write id. */
    PutResult tagged(String id) {
        return new PutResult(key, version.withWriteId(id), size, lastModified, id, superseded);
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
     * @return never null
     */
    public ObjectVersion version() {
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
