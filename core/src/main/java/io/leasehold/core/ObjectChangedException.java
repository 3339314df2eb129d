package io.leasehold.core;

import org.jspecify.annotations.Nullable;

/**
 * The object was replaced or deleted while a streaming get was reading it: a range request after
 * the first found another version than the first response (its {@code If-Match} failed), so the
 * read stopped instead of mixing the bytes of two versions. Nothing more is returned; read again
 * (or use {@link io.leasehold.core.transfer.TransferOptions.OnReplace#RESTART}).
 *
 * <p>Drivers also throw it, naming the source's key, when a copy's source is no longer the version
 * the copy was pinned to ({@link io.leasehold.spi.StoreDriver#copy}); the facade then reads the
 * source again, or, where the caller asked for that version, reports the failed source condition.
 *
 * <p>Code: {@link ErrorCode#PRECONDITION_FAILED} (a read that lost a race), so
 * {@link Conflicts#isRetryableAfterReread} is true. Thread-safety: immutable once thrown.
 */
public class ObjectChangedException extends PreconditionFailedException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param key the key involved, or null
     * @param message a message without secrets
     * @param cause the failure of the range request that noticed the change, or null
     */
    public ObjectChangedException(@Nullable String key, String message, @Nullable Throwable cause) {
        super(key, message, cause);
    }
}
