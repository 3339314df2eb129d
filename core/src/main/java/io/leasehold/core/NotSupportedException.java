package io.leasehold.core;

import org.jspecify.annotations.Nullable;

/**
 * The store, or its configured compatibility profile, cannot honour the requested condition or operation. Thrown before anything is sent: there is never a silent unconditional fallback.
 *
 * <p>Code: {@link ErrorCode#NOT_SUPPORTED}. Thread-safety: immutable once thrown.
 */
public class NotSupportedException extends ObjectStoreException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param key the key involved, or null
     * @param message a message without secrets
     * @param cause the provider exception, or null
     */
    public NotSupportedException(@Nullable String key, String message, @Nullable Throwable cause) {
        super(ErrorCode.NOT_SUPPORTED, key, message, cause);
    }
}
