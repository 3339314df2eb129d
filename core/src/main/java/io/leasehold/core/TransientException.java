package io.leasehold.core;

import org.jspecify.annotations.Nullable;

/**
 * A failure that did not apply the request and may succeed if the same request is sent again:
 * throttling, 5xx on a read, or a concurrent conditional request the store refused (S3 409
 * {@code ConditionalRequestConflict}).
 *
 * <p>Codes: {@link ErrorCode#TRANSIENT}, {@link ErrorCode#THROTTLED} or {@link ErrorCode#CONFLICT}.
 * Thread-safety: immutable once thrown.
 */
public class TransientException extends ObjectStoreException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param code one of {@code TRANSIENT}, {@code THROTTLED}, {@code CONFLICT}
     * @param key the key involved, or null
     * @param message a message without secrets
     * @param cause the provider exception, or null
     */
    public TransientException(ErrorCode code, @Nullable String key, String message, @Nullable Throwable cause) {
        super(checked(code), key, message, cause);
    }

    private static ErrorCode checked(ErrorCode code) {
        if (code == null || !code.retryable()) {
            throw new IllegalArgumentException("not a transient code: " + code);
        }
        return code;
    }
}
