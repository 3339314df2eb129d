package io.leasehold.core;

import org.jspecify.annotations.Nullable;

/**
 * A condition did not hold (stale ETag, missing key for an update, date condition false); nothing was changed. Re-read and decide again.
 *
 * <p>Code: {@link ErrorCode#PRECONDITION_FAILED}. Thread-safety: immutable once thrown.
 */
public class PreconditionFailedException extends ObjectStoreException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param key the key involved, or null
     * @param message a message without secrets
     * @param cause the provider exception, or null
     */
    public PreconditionFailedException(@Nullable String key, String message, @Nullable Throwable cause) {
        super(ErrorCode.PRECONDITION_FAILED, key, message, cause);
    }
}
