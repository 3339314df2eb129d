package io.leasehold.core;

import io.leasehold.core.internal.ProviderFailures;
import io.leasehold.spi.FailureClassifier;
import io.leasehold.spi.RequestKind;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * Classifies failures for retrying, so a Resilience4j {@code Retry} around your own code retries
 * exactly what is safe to retry:
 *
 * <pre>{@code
 * Retry retry = Retry.of("save", RetryConfig.custom()
 *         .retryOnException(Conflicts::isRetryable)        // resend the same request
 *         .intervalFunction(Conflicts.fullJitter(Duration.ofMillis(20), Duration.ofSeconds(2)))
 *         .build());
 * retry.executeSupplier(() -> store.put(key, bytes, PutOptions.of(PutMode.create())));
 * }</pre>
 *
 * <ul>
 *   <li>{@link #isRetryable}: the same request may simply be sent again: it changes nothing (a read),
 *       or the store said in its own words that it did not apply it (S3 503 SlowDown, S3 409
 *       ConditionalRequestConflict; see the adapters' translation for the full list). A lost race is
 *       <em>not</em> retryable this way: resending a stale If-Match can never succeed.</li>
 *   <li>{@link #isLostRace}: a condition failed because someone else wrote first; retry only after
 *       re-reading (what {@link ObjectStore#update} does).</li>
 *   <li>{@link #isRetryableAfterReread}: either; use it around a whole read-modify-write block.</li>
 * </ul>
 * All three walk the cause chain, so wrapped exceptions (e.g. {@code CompletionException}) are
 * classified too.
 *
 * <h2>Raw SDK exceptions</h2>
 * With an adapter on the class path, exceptions thrown by your own SDK calls (an {@code S3Exception},
 * a {@code BlobStorageException}) are classified as well, by the adapter's translation
 * ({@link io.leasehold.spi.FailureClassifier}). Not knowing what the request was, they are
 * classified as if it were a write: a timeout, a reset, or a 408, 409, 429 or 5xx that does not carry
 * the store's own error code (a proxy, load balancer or gateway may send those after forwarding the
 * request) is then {@link ErrorCode#OUTCOME_UNKNOWN}, which is never retryable. For reads, or precise
 * retry configurations, use the adapters' {@code S3Conflicts} and {@code AzureConflicts}, which are
 * built on {@link #retryConfig(FailureClassifier, RequestKind)}.
 *
 * <p>Thread-safety: stateless.
 */
public final class Conflicts {
    private Conflicts() {
    }

    /**
     * Whether sending the same request again is safe and may succeed.
     *
     * @param t any throwable
     * @return true for {@link ErrorCode#CONFLICT}, {@link ErrorCode#THROTTLED}, {@link ErrorCode#TRANSIENT}
     */
    public static boolean isRetryable(Throwable t) {
        ObjectStoreException e = find(t);
        return e != null && e.retryable();
    }

    /**
     * Whether a conditional write lost a race (someone else's write landed first).
     *
     * @param t any throwable
     * @return true for {@link ErrorCode#PRECONDITION_FAILED} and {@link ErrorCode#ALREADY_EXISTS}
     */
    public static boolean isLostRace(Throwable t) {
        ObjectStoreException e = find(t);
        return e != null && (e.code() == ErrorCode.PRECONDITION_FAILED || e.code() == ErrorCode.ALREADY_EXISTS);
    }

    /**
     * Whether a whole read-modify-write block should be run again (re-reading first).
     *
     * @param t any throwable
     * @return {@code isRetryable(t) || isLostRace(t)}
     */
    public static boolean isRetryableAfterReread(Throwable t) {
        return isRetryable(t) || isLostRace(t);
    }

    /**
     * The portable code of a throwable or of the first {@link ObjectStoreException} among its causes.
     *
     * @param t any throwable
     * @return the code, or {@link ErrorCode#UNKNOWN} if there is none
     */
    public static ErrorCode codeOf(Throwable t) {
        ObjectStoreException e = find(t);
        return e == null ? ErrorCode.UNKNOWN : e.code();
    }

    /**
     * "Full jitter" backoff: a uniformly random wait in [0, min(cap, base * 2^(attempt-1))]
     * (at least 1 ms, which Resilience4j requires). Under contention it spreads writers out and
     * minimises total work, where plain exponential backoff keeps them colliding in lockstep.
     *
     * @param base the first attempt's ceiling
     * @param cap the largest ceiling
     * @return the interval function
     */
    public static IntervalFunction fullJitter(Duration base, Duration cap) {
        long baseMs = Math.max(1, base.toMillis());
        long capMs = Math.max(baseMs, cap.toMillis());
        return attempt -> {
            int shift = Math.min(30, Math.max(0, attempt - 1));
            long ceiling = Math.min(capMs, baseMs << shift);
            return 1 + ThreadLocalRandom.current().nextLong(ceiling);
        };
    }

    /**
     * A fixed read-modify-write retry configuration for your own {@code Retry}: up to 100 attempts,
     * full jitter from 2 ms up to 250 ms, retrying lost races, transient failures and unknown
     * outcomes (the next read settles them). Without a configuration, {@link ObjectStore#update}
     * retries the same failures with a backoff sized to the contention it observes on the key.
     *
     * @return a new configuration; copy it with {@code RetryConfig.from(...)} to adjust
     */
    public static RetryConfig readModifyWriteRetryConfig() {
        return RetryConfig.custom()
                .maxAttempts(100)
                .intervalFunction(fullJitter(Duration.ofMillis(2), Duration.ofMillis(250)))
                .retryOnException(t -> isRetryableAfterReread(t) || codeOf(t) == ErrorCode.OUTCOME_UNKNOWN)
                .failAfterMaxAttempts(false)
                .build();
    }

    /**
     * The retry configuration single operations use by default: up to 3 attempts with full jitter
     * from 50 ms up to 1 s, retrying only {@link #isRetryable} failures (which by contract did not
     * apply the request).
     *
     * @return a new configuration
     */
    public static RetryConfig operationRetryConfig() {
        return RetryConfig.custom()
                .maxAttempts(3)
                .intervalFunction(fullJitter(Duration.ofMillis(50), Duration.ofSeconds(1)))
                .retryOnException(Conflicts::isRetryable)
                .build();
    }

    /**
     * Translates a failure of your own SDK call with one adapter's classifier, for a request whose
     * kind you know: the first {@link ObjectStoreException} on the cause chain if there is one (a
     * failure Leasehold already translated), else the classifier's translation.
     *
     * @param failure what the call threw
     * @param classifier the adapter's translation (e.g. {@code new S3FailureClassifier()})
     * @param kind what the request was: {@link RequestKind#READ} for reads and listings, a mutation's
     *     kind for anything that may change the store
     * @return the portable exception, or null if neither the chain nor the classifier has one
     */
    public static @Nullable ObjectStoreException classify(Throwable failure, FailureClassifier classifier, RequestKind kind) {
        Throwable c = failure;
        for (int depth = 0; c != null && depth < 16; depth++, c = c.getCause()) {
            if (c instanceof ObjectStoreException) {
                return (ObjectStoreException) c;
            }
        }
        return failure == null ? null : classifier.classify(failure, kind);
    }

    /**
     * The portable code of a failure of your own SDK call ({@link #classify(Throwable, FailureClassifier, RequestKind)}).
     *
     * @param failure what the call threw
     * @param classifier the adapter's translation
     * @param kind what the request was
     * @return the code, or {@link ErrorCode#UNKNOWN} if the failure is not one the classifier knows
     */
    public static ErrorCode codeOf(Throwable failure, FailureClassifier classifier, RequestKind kind) {
        ObjectStoreException e = classify(failure, classifier, kind);
        return e == null ? ErrorCode.UNKNOWN : e.code();
    }

    /**
     * Whether the very same request may be sent again: it changes nothing (a read), or the store
     * said in its own words that it did not apply it, and the failure may pass.
     *
     * @param failure what the call threw
     * @param classifier the adapter's translation
     * @param kind what the request was
     * @return true for {@link ErrorCode#THROTTLED}, {@link ErrorCode#CONFLICT}, {@link ErrorCode#TRANSIENT}
     */
    public static boolean isRetryable(Throwable failure, FailureClassifier classifier, RequestKind kind) {
        ObjectStoreException e = classify(failure, classifier, kind);
        return e != null && e.retryable();
    }

    /**
     * The retry configuration for your own SDK calls of one kind, fed by an adapter's translation: up
     * to 4 attempts, full jitter from 50 ms to 2 s, retrying exactly what
     * {@link #isRetryable(Throwable, FailureClassifier, RequestKind)} accepts. For a mutation that is
     * only what the store proved it did not apply (never an unknown outcome: a re-sent If-Match or
     * If-None-Match would then fail against your own write, and an unconditional one apply twice);
     * for a read every throttling, transient 5xx, timeout and reset. Send the requests without the
     * SDK's own retries, so that one layer decides.
     *
     * @param classifier the adapter's translation
     * @param kind what the requests are
     * @return a new configuration; copy it with {@code RetryConfig.from(...)} to adjust
     */
    public static RetryConfig retryConfig(FailureClassifier classifier, RequestKind kind) {
        return RetryConfig.custom()
                .maxAttempts(4)
                .intervalFunction(fullJitter(Duration.ofMillis(50), Duration.ofSeconds(2)))
                .retryOnException(t -> isRetryable(t, classifier, kind))
                .build();
    }

    private static ObjectStoreException find(Throwable t) {
        Throwable c = t;
        for (int depth = 0; c != null && depth < 16; depth++, c = c.getCause()) {
            if (c instanceof ObjectStoreException) {
                return (ObjectStoreException) c;
            }
        }
        return t == null ? null : ProviderFailures.classify(t);
    }
}
