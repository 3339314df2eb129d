package io.leasehold.spi.kit;

import io.leasehold.spi.RequestKind;
import io.leasehold.core.ErrorCode;
import io.leasehold.core.ObjectStoreException;
import io.leasehold.core.OutcomeUnknownException;
import io.leasehold.core.TransientException;
import org.jspecify.annotations.Nullable;

/**
 * The one home of the ambiguity rule every driver applies to failures that carry no definite
 * answer: a request that never left is transient; a request that was sent and then got no answer
 * (timeout, reset, a 5xx that does not say "not applied") is transient for a read and
 * {@link OutcomeUnknownException} for a write or lease operation, which the facade then settles
 * from evidence. Drivers only decide which of the two situations they saw.
 *
 * <h2>Evidence, not classification</h2>
 * For a mutation, an answer proves "not applied" only in the store's own words: the error code the
 * store puts in its answer (S3's {@code <Code>} in the XML error body, Azure's
 * {@code x-ms-error-code} header), and only codes the store documents (or, for a server whose
 * source is known, is seen to send) for a request it refused before applying it. A driver keeps
 * that list, with the reason for each entry, next to its translation.
 *
 * <p>The HTTP status alone proves nothing for the statuses {@link #saysNothingWithoutCode} names:
 * 408, 409, 429 and every 5xx. Load balancers, service-mesh sidecars, API gateways and proxies answer
 * with those statuses too, with a plain-text, HTML or empty body, and they may do so after they
 * forwarded the request (the upstream answered slowly, the connection to it broke, a retry budget
 * ran out): the store may have applied it. Such an answer is {@link #unanswered} like a reset.
 * Refusals that no intermediary sends after forwarding keep their meaning without a code: 304, 404
 * and 412 (a condition or key the store checked), 401 and 403 (nothing reaches the store
 * unauthenticated).
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
    public static ObjectStoreException unanswered(RequestKind kind, @Nullable String key, String what, Throwable cause) {
        if (kind.mayChangeState()) {
            return new OutcomeUnknownException(key, what + "; the request may or may not have been applied", cause);
        }
        return new TransientException(ErrorCode.TRANSIENT, key, what, cause);
    }

    /**
     * Whether an error answer with this HTTP status says nothing about a mutation's outcome unless the
     * store named the error in its own words: 408, 409, 429 and 500–599 (see the class documentation).
     *
     * @param status the HTTP status of the answer
     * @return true if, without the store's error code, the answer is {@link #unanswered}
     */
    public static boolean saysNothingWithoutCode(int status) {
        return status == 408 || status == 409 || status == 429 || status >= 500 && status <= 599;
    }

    /**
     * An error answer that does not carry the store's error code, with a status that
     * {@link #saysNothingWithoutCode says nothing}: it may come from an intermediary that forwarded
     * the request, so it is {@link #unanswered}.
     *
     * @param kind what the request was
     * @param key the key, or null
     * @param what what happened, without secrets (e.g. "s3 PutObject failed: HTTP 503")
     * @param cause the provider's exception
     * @return {@link OutcomeUnknownException} for writes and lease operations, else a transient failure
     */
    public static ObjectStoreException withoutStoreCode(RequestKind kind, @Nullable String key, String what, Throwable cause) {
        return unanswered(kind, key, what + " without the store's error code (an answer a proxy, load balancer or"
                + " gateway gives as well, also after forwarding the request)", cause);
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
    public static TransientException notSent(@Nullable String key, String what, Throwable cause) {
        return new TransientException(ErrorCode.TRANSIENT, key, what + "; nothing was sent", cause);
    }
}
