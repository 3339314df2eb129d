package io.leasehold.core;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What a successful put wrote: the key, the new {@link ObjectVersion}, the size and, where the
 * store reports it, the last-modified time.
 *
 * <p>Thread-safety: immutable.
 */
public final class PutResult {
    private final String key;
    private final ObjectVersion version;
    private final long size;
    private final Instant lastModified;

    /**
     * Creates a result.
     *
     * @param key the key written
     * @param version the new version
     * @param size bytes written
     * @param lastModified the store's last-modified time, or null if it did not say
     */
    public PutResult(String key, ObjectVersion version, long size, Instant lastModified) {
        this.key = Objects.requireNonNull(key, "key");
        this.version = Objects.requireNonNull(version, "version");
        this.size = size;
        this.lastModified = lastModified;
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
     * The new version; feed it to the next {@link PutMode#update(ObjectVersion)}.
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
     * The last-modified time, when the store reports it on writes (S3 does not).
     *
     * @return the time, or empty
     */
    public Optional<Instant> lastModified() {
        return Optional.ofNullable(lastModified);
    }

    @Override
    public String toString() {
        return "PutResult{key=" + key + ", version=" + version + ", size=" + size + ", lastModified=" + lastModified + "}";
    }
}
