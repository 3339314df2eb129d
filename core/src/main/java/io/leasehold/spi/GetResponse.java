package io.leasehold.spi;

import io.leasehold.core.ObjectInfo;
import io.leasehold.core.ObjectVersion;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A driver's answer to a get or head: the object as stored (its information with every metadata
 * name, the library's bookkeeping included, and for a get its bytes), or <em>not modified</em>. The
 * facade hides the bookkeeping before callers see it.
 *
 * <p>Thread-safety: immutable once built; the content array is handed over, not copied (the driver
 * MUST NOT keep or change it).
 */
public final class GetResponse {
    private final ObjectInfo info;
    private final byte[] content;
    private final ObjectVersion notModifiedVersion;
    private final boolean notModified;

    private GetResponse(ObjectInfo info, byte[] content, boolean notModified, ObjectVersion notModifiedVersion) {
        this.info = info;
        this.content = content;
        this.notModified = notModified;
        this.notModifiedVersion = notModifiedVersion;
    }

    /**
     * The object was found.
     *
     * @param info its information as stored (all metadata names)
     * @param content its bytes for a get, null for a head
     * @return the response
     */
    public static GetResponse found(ObjectInfo info, byte @Nullable [] content) {
        return new GetResponse(Objects.requireNonNull(info, "info"), content, false, null);
    }

    /**
     * A false If-None-Match or If-Modified-Since: the caller's copy is current.
     *
     * @param version the current version if the store reported it, else null
     * @return the response
     */
    public static GetResponse notModified(@Nullable ObjectVersion version) {
        return new GetResponse(null, null, true, version);
    }

    /**
     * Whether the conditions said the caller's copy is current.
     *
     * @return true for not modified
     */
    public boolean isNotModified() {
        return notModified;
    }

    /**
     * The object's information, bookkeeping included.
     *
     * @return the information
     * @throws IllegalStateException if not modified
     */
    public ObjectInfo info() {
        if (notModified) {
            throw new IllegalStateException("not modified: there is no object in this response");
        }
        return info;
    }

    /**
     * The bytes (the array itself, not a copy).
     *
     * @return the content, or null for a head or not-modified response
     */
    public byte @Nullable [] content() {
        return content;
    }

    /**
     * The version: the object's, or for not-modified the one the store reported.
     *
     * @return the version, empty only for a not-modified response whose store did not report it
     */
    public Optional<ObjectVersion> version() {
        return notModified ? Optional.ofNullable(notModifiedVersion) : Optional.of(info.version());
    }

    @Override
    public String toString() {
        return notModified ? "GetResponse{notModified, version=" + notModifiedVersion + "}" : "GetResponse{" + info + "}";
    }
}
