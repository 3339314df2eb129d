package io.leasehold.core;

import org.jspecify.annotations.Nullable;

/**
 * The bytes a download received do not match the whole-object checksum the store keeps for the
 * object (e.g. the MD5 in an S3 ETag, or Azure's {@code Content-MD5}): they were corrupted on the
 * way or in the store. The download failed; a {@link ObjectStore#getToFile} target was not touched.
 *
 * <p>Code: {@link ErrorCode#CHECKSUM_MISMATCH}. Thread-safety: immutable once thrown.
 */
public class ChecksumMismatchException extends ObjectStoreException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param key the key involved, or null
     * @param message which checksum differed, without secrets
     * @param cause the cause, or null
     */
    public ChecksumMismatchException(@Nullable String key, String message, @Nullable Throwable cause) {
        super(ErrorCode.CHECKSUM_MISMATCH, key, message, cause);
    }
}
