package io.leasehold.spi;

import io.leasehold.spi.kit.ContentDigest;
import io.leasehold.core.InvalidArgumentException;
import io.leasehold.core.ObjectInfo;
import io.leasehold.core.ObjectVersion;
import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a driver answers to a ranged read ({@link StoreDriver#getRange}): the whole object's
 * information (its full size, version and metadata as stored), the range actually served and a
 * stream of exactly its bytes, and the store's whole-object checksum if it keeps one; or "not
 * modified".
 *
 * <p>Thread-safety: the stream is for one reader; the rest is immutable.
 */
public final class RangeRead implements Closeable {
    private final ObjectInfo info;
    private final long offset;
    private final long length;
    private final InputStream content;
    private final ContentDigest digest;
    private final ObjectVersion notModifiedVersion;
    private final boolean notModified;

    private RangeRead(ObjectInfo info, long offset, long length, InputStream content, ContentDigest digest,
                      boolean notModified, ObjectVersion notModifiedVersion) {
        this.info = info;
        this.offset = offset;
        this.length = length;
        this.content = content;
        this.digest = digest;
        this.notModified = notModified;
        this.notModifiedVersion = notModifiedVersion;
    }

    /**
     * A served range.
     *
     * @param info the whole object's information; {@code size()} is the object's full size
     * @param offset the first byte served
     * @param length how many bytes {@code content} yields
     * @param content exactly {@code length} bytes; closed by the reader
     * @param digest the store's whole-object checksum, or null if it keeps none
     * @return the result
     * @throws InvalidArgumentException if the range does not lie within the object
     */
    public static RangeRead of(ObjectInfo info, long offset, long length, InputStream content, @Nullable ContentDigest digest) {
        Objects.requireNonNull(info, "info");
        Objects.requireNonNull(content, "content");
        if (offset < 0 || length < 0 || offset + length > info.size()) {
            throw new InvalidArgumentException("range", "bytes " + offset + "+" + length + " are not within an object of "
                    + info.size() + " bytes");
        }
        return new RangeRead(info, offset, length, content, digest, false, null);
    }

    /**
     * A served range from bytes in memory (drivers without native ranged reads, tests).
     *
     * @param info the whole object's information
     * @param whole the whole content
     * @param offset the first byte wanted
     * @param length how many bytes wanted; fewer are served at the end of the object
     * @return the result
     */
    public static RangeRead slice(ObjectInfo info, byte[] whole, long offset, long length) {
        long from = Math.min(offset, whole.length);
        int served = (int) Math.max(0, Math.min(length, whole.length - from));
        return of(info, from, served, new ByteArrayInputStream(whole, (int) from, served), null);
    }

    /**
     * A "not modified" answer to a first range request with If-None-Match or If-Modified-Since.
     *
     * @param version the current version if the store reported it, or null
     * @return the result
     */
    public static RangeRead notModified(@Nullable ObjectVersion version) {
        return new RangeRead(null, 0, 0, InputStream.nullInputStream(), null, true, version);
    }

    /**
     * Whether the conditions said the caller's copy is current.
     *
     * @return true if not modified
     */
    public boolean isNotModified() {
        return notModified;
    }

    /**
     * The current version of a not-modified answer.
     *
     * @return the version, or empty
     */
    public Optional<ObjectVersion> notModifiedVersion() {
        return Optional.ofNullable(notModifiedVersion);
    }

    /**
     * The whole object's information, metadata as stored (the library's bookkeeping included).
     *
     * @return the information
     * @throws IllegalStateException if not modified
     */
    public ObjectInfo info() {
        if (notModified) {
            throw new IllegalStateException("not modified: no object in this answer");
        }
        return info;
    }

    /**
     * The first byte served.
     *
     * @return the offset
     */
    public long offset() {
        return offset;
    }

    /**
     * How many bytes {@link #content()} yields.
     *
     * @return the length
     */
    public long length() {
        return length;
    }

    /**
     * The range's bytes.
     *
     * @return the stream
     */
    public InputStream content() {
        return content;
    }

    /**
     * The store's whole-object checksum.
     *
     * @return the checksum, or empty where the store keeps none for this object
     */
    public Optional<ContentDigest> digest() {
        return Optional.ofNullable(digest);
    }

    /** Closes the stream (and with it the connection, without reading the rest). */
    @Override
    public void close() throws IOException {
        content.close();
    }

    @Override
    public String toString() {
        return notModified ? "RangeRead{notModified}" : "RangeRead{" + info.key() + ", " + offset + "+" + length + "}";
    }
}
