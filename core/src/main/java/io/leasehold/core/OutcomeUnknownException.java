package io.leasehold.core;

/**
 * A mutation may or may not have been applied and the library could not resolve which. Read the object before acting on it again.
 *
 * <p>Code: {@link ErrorCode#OUTCOME_UNKNOWN}. Thread-safety: immutable once thrown.
 */
public class OutcomeUnknownException extends ObjectStoreException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param key the key involved, or null
     * @param message a message without secrets
     * @param cause the provider exception, or null
     */
    public OutcomeUnknownException(String key, String message, Throwable cause) {
        super(ErrorCode.OUTCOME_UNKNOWN, key, message, cause);
    }
}
