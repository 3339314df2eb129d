package io.leasehold.core;

import org.jspecify.annotations.Nullable;

/**
 * The object is leased by someone else (or its lease is breaking) and the operation did not carry that lease.
 *
 * <p>Code: {@link ErrorCode#LEASE_HELD}. Thread-safety: immutable once thrown.
 */
public class LeaseHeldException extends LeaseException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param key the key involved, or null
     * @param message a message without secrets (lease ids shortened)
     * @param cause the provider exception, or null
     */
    public LeaseHeldException(@Nullable String key, String message, @Nullable Throwable cause) {
        super(ErrorCode.LEASE_HELD, key, message, cause);
    }
}
