package io.leasehold.spi.kit;

import io.leasehold.spi.RequestKind;
import io.leasehold.core.ErrorCode;
import io.leasehold.core.ObjectStoreException;
import io.leasehold.core.OutcomeUnknownException;
import io.leasehold.core.TransientException;

/**
 * The one home of the ambiguity rule every driver applies to failures that carry no definite
 * answer: a request that never left is transient; a request that was sent and then got no answer
 * (timeout, reset, a 5xx that does not say "not applied") is transient for a read and
 * {@link OutcomeUnknownException} for a write or lease operation, which the facade then settles
 * from evidence. Drivers only decide which of the two situations they saw.
 *
 * <p>Thread-safety: stateless.
 */
public final class Failures {
    private Failures() {
    }

    /**
     * The request was sent (or may have been) and no answer says whether it was applied.
     *
     * @param kind what the request was
     * @param key the key, or null
     * @param what what happened, without secrets (e.g. "s3 PutObject failed: HTTP 500 InternalError")
     * @param cause the provider's exception
     * @return {@link OutcomeUnknownException} for writes and lease operations, else a transient failure
     */
    public static ObjectStoreException unanswered(RequestKind kind, String key, String what, Throwable cause) {
        if (kind.mayChangeState()) {
            return new OutcomeUnknownException(key, what + "; the request may or may not have been applied", cause);
        }
        return new TransientException(ErrorCode.TRANSIENT, key, what, cause);
    }

    /**
     * The request never reached the store (connection refused, name not resolved, no connection
     * from the pool): nothing can have been applied, so sending it again is safe.
     *
     * @param key the key, or null
     * @param what what happened, without secrets
     * @param cause the provider's exception
     * @return a transient failure
     */
    public static TransientException notSent(String key, String what, Throwable cause) {
        return new TransientException(ErrorCode.TRANSIENT, key, what + "; nothing was sent", cause);
    }
}
