package io.leasehold.core.transfer;

import io.leasehold.core.ObjectInfo;
import io.leasehold.core.ObjectVersion;
import java.io.Closeable;
import java.io.InputStream;
import java.util.Optional;

/**
 * The result of {@link io.leasehold.core.ObjectStore#openStream}: the object's information and a stream of its
 * content, read from the store range by range as you read, never mixing two versions; or
 * <em>not modified</em>. Close it to release the connection.
 *
 * <h2>Reading</h2>
 * {@link #content()} is an ordinary {@link InputStream}. Besides {@link java.io.IOException} after
 * {@link #close()}, its {@code read} methods throw unchecked {@link io.leasehold.core.ObjectStoreException}s:
 * {@link io.leasehold.core.ObjectChangedException} when the object was replaced or deleted under the read,
 * {@link io.leasehold.core.ChecksumMismatchException} at the end when the bytes do not match the store's checksum,
 * {@link io.leasehold.core.TransientException} when a dropped connection could not be resumed, or whatever a range
 * request failed with. A failed stream has returned only bytes of one version, but not all of them.
 *
 * <p>Thread-safety: not thread-safe; one reader.
 */
public interface ObjectStream extends Closeable {

    /**
     * Whether the conditions said the caller's copy is current (HTTP 304); then there is no content.
     *
     * @return true if not modified
     */
    boolean isNotModified();

    /**
     * The object's information: the version being read (after a restart, the new one).
     *
     * @return the information
     * @throws IllegalStateException if not modified
     */
    ObjectInfo info();

    /**
     * The current version: the object's, or for not-modified the one the store reported.
     *
     * @return the version, empty only for a not-modified result whose store did not report it
     */
    Optional<ObjectVersion> version();

    /**
     * The content; read it to the end to have it verified.
     *
     * @return the stream (the same instance on every call)
     * @throws IllegalStateException if not modified
     */
    InputStream content();

    /**
     * The checksum the content was verified against, once every byte was read: e.g. {@code MD5}, or
     * {@code MD5 of 3 MD5s of 8388608-byte parts}. Empty before the end, where the store keeps no
     * checksum for the object, or when verification was turned off.
     *
     * @return a description of the checksum verified, or empty
     */
    Optional<String> verifiedChecksum();

    /** Releases the connection; reading afterwards fails. */
    @Override
    void close();
}
