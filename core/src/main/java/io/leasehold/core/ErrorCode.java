package io.leasehold.core;

/**
 * What went wrong, in portable terms: the value callers branch on instead of HTTP statuses or
 * provider error strings.
 *
 * <p>Thread-safety: enum constants are immutable and safe to share.
 */
public enum ErrorCode {
    /** The key does not exist. */
    NOT_FOUND(false),
    /** A create-if-absent lost: the key already exists. */
    ALREADY_EXISTS(false),
    /** A condition (If-Match, If-Unmodified-Since, replace-if-present...) did not hold: an update lost. */
    PRECONDITION_FAILED(false),
    /** The store reported a concurrent conditional request on the same key (e.g. S3 409 ConditionalRequestConflict); nothing was written. */
    CONFLICT(true),
    /**
     * The store asked the client to slow down, and nothing was applied: S3 503 SlowDown; on a read also
     * Azure 503 ServerBusy and the other throttling codes (which do not prove a mutation was not applied).
     */
    THROTTLED(true),
    /** A transient failure (5xx, connection reset) that is known not to have applied the request, or was a read. */
    TRANSIENT(true),
    /** A mutation may or may not have been applied (timeout, reset or 5xx after the request was sent), and it could not be resolved. */
    OUTCOME_UNKNOWN(false),
    /** The store (or its configured profile) cannot honour the requested condition or operation. Nothing was sent. */
    NOT_SUPPORTED(false),
    /** Credentials are missing, wrong or lack permission. */
    ACCESS_DENIED(false),
    /** The caller passed an invalid argument. Nothing was sent. */
    INVALID_ARGUMENT(false),
    /** The object is leased by someone else (or the lease is breaking) and the operation did not carry that lease. */
    LEASE_HELD(false),
    /** The lease id given does not match the object's current lease. */
    LEASE_MISMATCH(false),
    /** The caller's lease expired, was broken or released: the caller no longer holds it. */
    LEASE_LOST(false),
    /**
     * The caller holds the lease, but the object was written under an older lease (a holder whose
     * tenure had ended, e.g. paused past its lease) since the caller's lease was acquired: its
     * content did not come from the current holder. Nothing was changed by the refused operation.
     */
    STALE_WRITE(false),
    /** Downloaded bytes do not match the checksum the store keeps for the object. */
    CHECKSUM_MISMATCH(false),
    /** Anything the library could not classify; the cause carries the provider's exception. */
    UNKNOWN(false);

    private final boolean retryable;

    ErrorCode(boolean retryable) {
        this.retryable = retryable;
    }

    /**
     * Whether re-sending the very same request is safe and may succeed.
     *
     * @return true for {@link #CONFLICT}, {@link #THROTTLED} and {@link #TRANSIENT}
     */
    public boolean retryable() {
        return retryable;
    }
}
