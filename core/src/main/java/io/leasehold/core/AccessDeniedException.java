package io.leasehold.core;

import org.jspecify.annotations.Nullable;

/**
 * Credentials are missing or wrong, or lack permission for the operation.
 *
 * <p>Code: {@link ErrorCode#ACCESS_DENIED}. Thread-safety: immutable once thrown.
 */
public class AccessDeniedException extends ObjectStoreException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param key the key involved, or null
     * @param message a message without secrets
     * @param cause the provider exception, or null
     */
    public AccessDeniedException(@Nullable String key, String message, @Nullable Throwable cause) {
        super(ErrorCode.ACCESS_DENIED, key, message, cause);
    }
}
