package io.leasehold.core.internal.write;

import io.leasehold.core.ObjectVersion;
import java.time.Instant;

/**
 * What became of one settled put: landed as the current version, or landed and already replaced
 * (superseded). The facade turns it into the caller's {@link io.leasehold.core.PutResult}.
 *
 * <p>Thread-safety: immutable.
 */
public final class WriteOutcome {
    /** The write id the put carried. */
    public final String writeId;
    /** The version it created as the store named it (without the write id), or null if superseded. */
    public final ObjectVersion version;
    /** The bytes written. */
    public final long size;
    /** The store's time of the write, or null. */
    public final Instant lastModified;
    /** Whether a later write had already replaced it when it was confirmed. */
    public final boolean superseded;

    private WriteOutcome(String writeId, ObjectVersion version, long size, Instant lastModified, boolean superseded) {
        this.writeId = writeId;
        this.version = version;
        this.size = size;
        this.lastModified = lastModified;
        this.superseded = superseded;
    }

    /**
     * The put is the current version.
     *
     * @param writeId its write id
     * @param version the version as the store named it
     * @param size the bytes written
     * @param lastModified the store's time, or null
     * @return the outcome
     */
    public static WriteOutcome current(String writeId, ObjectVersion version, long size, Instant lastModified) {
        return new WriteOutcome(writeId, version, size, lastModified, false);
    }

    /**
     * The put landed and a later write replaced it.
     *
     * @param writeId its write id
     * @param size the bytes written
     * @return the outcome
     */
    public static WriteOutcome superseded(String writeId, long size) {
        return new WriteOutcome(writeId, null, size, null, true);
    }

    @Override
    public String toString() {
        return superseded ? "WriteOutcome{superseded}" : "WriteOutcome{" + version + "}";
    }
}
