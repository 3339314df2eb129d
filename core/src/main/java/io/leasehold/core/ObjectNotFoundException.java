package io.leasehold.core;

import org.jspecify.annotations.Nullable;

/**
 * The key does not exist (get, head, delete; update-in-place of a missing key is a {@link PreconditionFailedException}).
 *
 * <p>Code: {@link ErrorCode#NOT_FOUND}. Thread-safety: immutable once thrown.
 */
public class ObjectNotFoundException extends ObjectStoreException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param key the key involved, or null
     * @param message a message without secrets
     * @param cause the provider exception, or null
     */
    public ObjectNotFoundException(@Nullable String key, String message, @Nullable Throwable cause) {
        super(ErrorCode.NOT_FOUND, key, message, cause);
    }
}
