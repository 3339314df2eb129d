package io.leasehold.core;

import org.jspecify.annotations.Nullable;

/**
 * The lease id given does not match the object's current lease.
 *
 * <p>Code: {@link ErrorCode#LEASE_MISMATCH}. Thread-safety: immutable once thrown.
 */
public class LeaseMismatchException extends LeaseException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param key the key involved, or null
     * @param message a message without secrets (lease ids shortened)
     * @param cause the provider exception, or null
     */
    public LeaseMismatchException(@Nullable String key, String message, @Nullable Throwable cause) {
        super(ErrorCode.LEASE_MISMATCH, key, message, cause);
    }
}
