package io.leasehold.spi;

import io.leasehold.core.ObjectVersion;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A driver's answer to a write that the store accepted: the version it created, when the store
 * named it. The facade turns it into the caller's {@link io.leasehold.core.PutResult}, adding the
 * write id; a store that acknowledged without naming the version ({@link #withoutVersion}) is asked
 * once more, by the write id, which version is ours.
 *
 * <p>Thread-safety: immutable.
 */
public final class PutResponse {
    private final ObjectVersion version;
    private final long size;
    private final Instant lastModified;

    private PutResponse(ObjectVersion version, long size, Instant lastModified) {
        this.version = version;
        this.size = size;
        this.lastModified = lastModified;
    }

    /**
     * A write acknowledged with its version.
     *
     * @param version the new version; not null
     * @param size the bytes written
     * @param lastModified the store's time of the write, or null if it did not say
     * @return the response
     */
    public static PutResponse of(ObjectVersion version, long size, @Nullable Instant lastModified) {
        return new PutResponse(Objects.requireNonNull(version, "version"), size, lastModified);
    }

    /**
     * A write the store acknowledged without naming the version it created.
     *
     * @param size the bytes written
     * @return the response
     */
    public static PutResponse withoutVersion(long size) {
        return new PutResponse(null, size, null);
    }

    /**
     * The version created.
     *
     * @return the version, or empty if the store did not name it
     */
    public Optional<ObjectVersion> version() {
        return Optional.ofNullable(version);
    }

    /**
     * The bytes written.
     *
     * @return the size
     */
    public long size() {
        return size;
    }

    /**
     * The store's time of the write.
     *
     * @return the time, or empty if the store did not say
     */
    public Optional<Instant> lastModified() {
        return Optional.ofNullable(lastModified);
    }

    @Override
    public String toString() {
        return "PutResponse{version=" + version + ", size=" + size + "}";
    }
}
