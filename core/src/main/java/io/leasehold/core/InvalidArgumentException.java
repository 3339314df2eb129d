package io.leasehold.core;

import org.jspecify.annotations.Nullable;

/**
 * The caller passed an invalid argument; nothing was sent to the store.
 *
 * <p>Code: {@link ErrorCode#INVALID_ARGUMENT}. Thread-safety: immutable once thrown.
 */
public class InvalidArgumentException extends ObjectStoreException {
    private static final long serialVersionUID = 1L;

    private final String field;

    /**
     * Creates the exception.
     *
     * @param field the name of the offending argument or option (e.g. {@code "key"}, {@code "ifMatch"})
     * @param message what is wrong, without echoing secrets
     */
    public InvalidArgumentException(String field, String message) {
        super(ErrorCode.INVALID_ARGUMENT, null, field + ": " + message, null);
        this.field = field;
    }

    /**
     * Creates the exception with the failure that revealed the problem (e.g. a codec's exception for a
     * value that cannot be encoded).
     *
     * @param field the name of the offending argument or option
     * @param message what is wrong, without echoing secrets or content
     * @param cause the underlying failure, or null
     */
    public InvalidArgumentException(String field, String message, @Nullable Throwable cause) {
        super(ErrorCode.INVALID_ARGUMENT, null, field + ": " + message, cause);
        this.field = field;
    }

    /**
     * The name of the offending argument or option.
     *
     * @return never null
     */
    public String field() {
        return field;
    }
}
