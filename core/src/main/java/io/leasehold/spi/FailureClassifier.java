package io.leasehold.spi;

import io.leasehold.core.ObjectStoreException;
import org.jspecify.annotations.Nullable;

/**
 * Translates a provider SDK's own exceptions (thrown by your raw SDK calls, not by Leasehold) into the
 * portable hierarchy, so that {@link io.leasehold.core.Conflicts#isRetryable},
 * {@link io.leasehold.core.Conflicts#isLostRace} and {@link io.leasehold.core.Conflicts#codeOf}
 * classify them too. Adapters register one through {@link java.util.ServiceLoader}
 * ({@code META-INF/services/io.leasehold.spi.FailureClassifier}); each reuses the translation its
 * driver uses, so a raw SDK failure and the same failure inside Leasehold get the same code.
 *
 * <p>Thread-safety: implementations MUST be stateless or thread-safe.
 */
public interface FailureClassifier {

    /**
     * Translates a failure this classifier knows.
     *
     * @param failure what the SDK threw (possibly wrapped: look along the cause chain)
     * @param kind what the failed request was; decides whether a failure without a clear answer (a
     *     5xx, a timeout, a reset) is transient (reads) or {@link io.leasehold.core.ErrorCode#OUTCOME_UNKNOWN}
     *     (writes and lease operations)
     * @return the portable exception (with {@code failure} as cause), or {@code null} if the failure
     *     does not come from this classifier's SDK
     */
    @Nullable ObjectStoreException classify(Throwable failure, RequestKind kind);
}
