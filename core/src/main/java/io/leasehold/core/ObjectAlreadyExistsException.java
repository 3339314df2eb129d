package io.leasehold.core;

import org.jspecify.annotations.Nullable;

/**
 * A create-if-absent lost: the key already exists and its content is unchanged.
 *
 * <p>Code: {@link ErrorCode#ALREADY_EXISTS}. Thread-safety: immutable once thrown.
 */
public class ObjectAlreadyExistsException extends ObjectStoreException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param key the key involved, or null
     * @param message a message without secrets
     * @param cause the provider exception, or null
     */
    public ObjectAlreadyExistsException(@Nullable String key, String message, @Nullable Throwable cause) {
        super(ErrorCode.ALREADY_EXISTS, key, message, cause);
    }
}
