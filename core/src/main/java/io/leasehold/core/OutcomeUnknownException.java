package io.leasehold.core;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A mutation may or may not have been applied and the library could not resolve which. Read the
 * object before acting on it again.
 *
 * <p>Where the library knows what identifies the mutation, the exception carries it, so the caller
 * can look for it later or retry idempotently: {@link #writeId()} for a put (the id stored in the
 * object's reserved metadata if it landed, also reported by {@link ObjectVersion#writeId()}), and
 * {@link #leaseId()} for a lease operation (the id the lease is held under if it landed; acquire it
 * again with the same id, or release it). Neither appears in the message.
 *
 * <p>Code: {@link ErrorCode#OUTCOME_UNKNOWN}. Thread-safety: immutable once thrown.
 */
public class OutcomeUnknownException extends ObjectStoreException {
    private static final long serialVersionUID = 1L;

    private final String writeId;
    private final transient String leaseId;

    /**
     * Creates the exception.
     *
     * @param key the key involved, or null
     * @param message a message without secrets
     * @param cause the provider exception, or null
     */
    public OutcomeUnknownException(@Nullable String key, String message, @Nullable Throwable cause) {
        this(key, message, cause, null, null);
    }

    /**
     * Creates the exception with what identifies the mutation.
     *
     * @param key the key involved, or null
     * @param message a message without secrets (never the lease id)
     * @param cause the provider exception, or null
     * @param writeId the write id of the put whose outcome is unknown, or null
     * @param leaseId the lease id of the lease operation whose outcome is unknown, or null
     */
    public OutcomeUnknownException(@Nullable String key, String message, @Nullable Throwable cause, @Nullable String writeId, @Nullable String leaseId) {
        super(ErrorCode.OUTCOME_UNKNOWN, key, message, cause);
        this.writeId = writeId;
        this.leaseId = leaseId;
    }

    /**
     * The write id of the put whose outcome is unknown: if the object (or a later version's history)
     * carries it, the put landed.
     *
     * @return the write id, or empty if the mutation was not a put of this library
     */
    public Optional<String> writeId() {
        return Optional.ofNullable(writeId);
    }

    /**
     * The lease id of the lease operation whose outcome is unknown (for an acquire: the id chosen
     * before sending). Acquiring again with it is idempotent; releasing with it frees a lease that
     * may have been granted.
     *
     * @return the lease id, or empty if the mutation was not a lease operation
     */
    public Optional<String> leaseId() {
        return Optional.ofNullable(leaseId);
    }
}
