package io.leasehold.core;

import org.jspecify.annotations.Nullable;

/**
 * A lease refused the operation. Subclasses say why: someone else holds it
 * ({@link LeaseHeldException}), the id given is not the current lease's
 * ({@link LeaseMismatchException}), or the caller's lease is gone ({@link LeaseLostException}).
 *
 * <p>Thread-safety: immutable once thrown.
 */
public class LeaseException extends ObjectStoreException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param code one of the {@code LEASE_*} codes
     * @param key the key involved, or null
     * @param message a message without secrets (lease ids shortened)
     * @param cause the provider exception, or null
     */
    public LeaseException(ErrorCode code, @Nullable String key, String message, @Nullable Throwable cause) {
        super(code, key, message, cause);
    }
}
