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
    private final GetResult bookkept;

    private GetResult(ObjectInfo info, byte[] content, boolean notModified, ObjectVersion notModifiedVersion,
                      GetResult bookkept) {
        this.info = info;
        this.content = content;
        this.notModified = notModified;
        this.notModifiedVersion = notModifiedVersion;
        this.bookkept = bookkept;
    }

    /**
     * A found object.
     *
     * @param info its metadata
     * @param content its bytes, or null for a head
     * @return the result
     */
    public static GetResult found(ObjectInfo info, byte[] content) {
        if (info == null) {
            throw new NullPointerException("info");
        }
        return new GetResult(info, content == null ? null : content.clone(), false, null, null);
    }

    /**
     * A not-modified outcome.
     *
     * @param version the current version if the store reported it, or null
     * @return the result
     */
    public static GetResult notModified(ObjectVersion version) {
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

    /** The same result with other object information (the content array is shared, not copied). */
    GetResult withInfo(ObjectInfo other) {
        return new GetResult(other, content, false, null, null);
    }

    /** This result as callers see it ({@code visible}), remembering this one's bookkeeping. */
    GetResult publishedAs(ObjectInfo visible) {
        return new GetResult(visible, content, false, null, this);
    }

    /** The result with the library's bookkeeping metadata (write id, history): itself if it has none hidden. */
    GetResult bookkept() {
        return bookkept == null ? this : bookkept;
    }

    /** The content without a copy, for the facade's own use; null for head results. */
    byte[] contentUnsafe() {
        return content;
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
