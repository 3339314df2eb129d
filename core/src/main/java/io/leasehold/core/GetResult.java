package io.leasehold.core;

import java.util.Optional;

/**
 * The outcome of a get or head: either the object (metadata, and content for a get), or
 * <em>not modified</em> when an If-None-Match / If-Modified-Since condition said the caller's copy
 * is current. Branch on {@link #isNotModified()}; no exception is thrown for that case.
 *
 * <p>Thread-safety: immutable (the content array is copied on the way in and out).
 */
public final class GetResult {
    private final ObjectInfo info;
    private final byte[] content;
    private final boolean notModified;
    private final ObjectVersion notModifiedVersion;
    /** The driver's result with the library's bookkeeping, when this one is what callers see. */
    /** The driver's answer behind it, bookkeeping included (for a later update starting from it). */
    private final io.leasehold.spi.GetResponse raw;

    private GetResult(ObjectInfo info, byte[] content, boolean notModified, ObjectVersion notModifiedVersion,
                      io.leasehold.spi.GetResponse raw) {
        this.info = info;
        this.content = content;
        this.notModified = notModified;
        this.notModifiedVersion = notModifiedVersion;
        this.raw = raw;
    }

    /** A found object (content not copied: callers get copies). */
    static GetResult found(ObjectInfo info, byte[] content) {
        return new GetResult(java.util.Objects.requireNonNull(info, "info"), content, false, null, null);
    }

    /** A found object as stored: what callers see, and the driver's answer behind it. */
    static GetResult stored(ObjectInfo visible, byte[] content, io.leasehold.spi.GetResponse raw) {
        return new GetResult(visible, content, false, null, raw);
    }

    /** Not modified. */
    static GetResult notModified(ObjectVersion version) {
        return new GetResult(null, null, true, version, null);
    }

    /**
     * Whether the conditions said the caller's copy is current (HTTP 304).
     *
     * @return true if not modified
     */
    public boolean isNotModified() {
        return notModified;
    }

    /**
     * The object's metadata.
     *
     * @return the metadata
     * @throws IllegalStateException if {@link #isNotModified()}
     */
    public ObjectInfo info() {
        if (notModified) {
            throw new IllegalStateException("not modified: there is no object in this result");
        }
        return info;
    }

    /**
     * The current version: the object's, or for not-modified the one the store reported.
     *
     * @return the version, empty only for a not-modified result whose store did not report it
     */
    public Optional<ObjectVersion> version() {
        return notModified ? Optional.ofNullable(notModifiedVersion) : Optional.of(info.version());
    }

    /**
     * The object's bytes.
     *
     * @return a copy of the content
     * @throws IllegalStateException if not modified, or if this is a head result
     */
    public byte[] content() {
        if (notModified) {
            throw new IllegalStateException("not modified: there is no content in this result");
        }
        if (content == null) {
            throw new IllegalStateException("a head result has no content");
        }
        return content.clone();
    }

    /** The driver's answer behind this result (bookkeeping included), or null if not from a driver. */
    io.leasehold.spi.GetResponse raw() {
        return raw != null ? raw : notModified ? null : io.leasehold.spi.GetResponse.found(info, content);
    }

    /**
     * Whether this result carries content (a get, not a head, that found the object).
     *
     * @return true if {@link #content()} has bytes to return
     */
    public boolean hasContent() {
        return content != null;
    }

    @Override
    public String toString() {
        return notModified ? "GetResult{notModified, version=" + notModifiedVersion + "}" : "GetResult{" + info + "}";
    }
}
