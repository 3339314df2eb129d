package io.leasehold.core;

import org.jspecify.annotations.Nullable;

/**
 * The caller's lease expired, was broken or was released: the caller no longer holds it.
 *
 * <p>Code: {@link ErrorCode#LEASE_LOST}. Thread-safety: immutable once thrown.
 */
public class LeaseLostException extends LeaseException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param key the key involved, or null
     * @param message a message without secrets (lease ids shortened)
     * @param cause the provider exception, or null
     */
    public LeaseLostException(@Nullable String key, String message, @Nullable Throwable cause) {
        super(ErrorCode.LEASE_LOST, key, message, cause);
    }
}
