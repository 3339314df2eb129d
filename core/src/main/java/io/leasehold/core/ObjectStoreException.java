package io.leasehold.core;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Root of every exception Leasehold throws: unchecked, with a portable {@link ErrorCode}, the key
 * involved and the provider's exception as {@link #getCause()}.
 *
 * <p>Messages never contain credentials, SAS tokens or full lease ids.
 *
 * <p>Thread-safety: immutable once thrown.
 */
public class ObjectStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final String key;

    /**
     * Creates an exception.
     *
     * @param code  the portable code; never null
     * @param key   the key involved, or null when none
     * @param message a message without secrets
     * @param cause the provider exception, or null
     */
    public ObjectStoreException(ErrorCode code, @Nullable String key, String message, @Nullable Throwable cause) {
        super(format(code, key, message), cause);
        if (code == null) {
            throw new NullPointerException("code");
        }
        this.code = code;
        this.key = key;
    }

    private static String format(ErrorCode code, String key, String message) {
        String m = message == null ? String.valueOf(code) : message;
        return key == null ? m : m + " (key '" + key + "')";
    }

    /**
     * The portable error code.
     *
     * @return never null
     */
    public ErrorCode code() {
        return code;
    }

    /**
     * The key the failed operation addressed.
     *
     * @return the key, empty when the failure concerned no single key
     */
    public Optional<String> key() {
        return Optional.ofNullable(key);
    }

    /**
     * Whether re-sending the very same request is safe and may succeed.
     *
     * @return {@code code().retryable()}
     */
    public boolean retryable() {
        return code.retryable();
    }
}
