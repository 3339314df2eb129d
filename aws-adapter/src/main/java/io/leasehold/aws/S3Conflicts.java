package io.leasehold.aws;

import io.github.resilience4j.retry.RetryConfig;
import io.leasehold.core.Conflicts;
import io.leasehold.core.ErrorCode;
import io.leasehold.core.ObjectStoreException;
import io.leasehold.spi.RequestKind;
import software.amazon.awssdk.core.SdkPlugin;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Leasehold's failure classification for your own raw {@code S3Client} calls: the same translation
 * the S3 driver uses ({@link S3FailureClassifier}), and ready Resilience4j retry configurations that
 * retry throttling and transient failures but never re-send a mutation whose outcome is unknown.
 * The methods are {@link Conflicts}' classification and retry configuration, fed by that translation.
 *
 * <pre>{@code
 * Retry retry = Retry.of("save-config", S3Conflicts.mutationRetryConfig());
 * retry.executeRunnable(() -> s3.putObject(b -> b.bucket(bucket).key(key).ifMatch(etag)
 *         .overrideConfiguration(o -> o.addPlugin(S3Conflicts.singleAttempt())), RequestBody.fromBytes(next)));
 * // Conflicts.isLostRace(e): re-read and apply again; Conflicts.codeOf(e) == OUTCOME_UNKNOWN: read back and look
 * }</pre>
 *
 * <h2>What is retried</h2>
 * <ul>
 *   <li>{@link #mutationRetryConfig()} (PutObject, DeleteObject, CopyObject...): only what S3 said in
 *       its own words it did not apply: 503 {@code SlowDown}, 409 {@code ConditionalRequestConflict},
 *       400 {@code RequestTimeout}, and connections that were never established. Never a timeout or
 *       reset after the request was sent, a 500 {@code InternalError}, nor a 408, 409, 429 or 5xx
 *       without an S3 error code in an XML body (a proxy, load balancer or gateway answers like that,
 *       also after forwarding the request): it may have been applied, and a re-sent If-Match or
 *       If-None-Match would then fail with 412 against your own write (or an unconditional one apply
 *       twice).</li>
 *   <li>{@link #readRetryConfig()} (GetObject, HeadObject, listings): the above plus every
 *       throttling code, 5xx, timeout and reset.</li>
 * </ul>
 * A lost race (412, or 404 on an If-Match) is never retried as is: re-read first
 * ({@link Conflicts#isLostRace}). The SDK must not retry underneath: send mutations with
 * {@link #singleAttempt()} (or build the client with {@code AwsRetryStrategy.doNotRetry()}).
 *
 * <p>The same classification is registered for {@link Conflicts}: with this module on the class path,
 * {@code Conflicts.isRetryable(s3Exception)} and {@code Conflicts.isLostRace(s3Exception)} work,
 * classifying as if the request were a mutation.
 *
 * <p>Thread-safety: stateless; the returned configurations and plugin are immutable.
 */
public final class S3Conflicts {
    private S3Conflicts() {
    }

    /**
     * Translates a raw SDK failure.
     *
     * @param failure what the SDK threw (the cause chain is searched for an {@link SdkException})
     * @param kind what the request was: {@link RequestKind#READ} or a mutation
     * @return the portable exception, with the SDK exception as cause; {@code null} if there is no
     *     {@link SdkException} in the chain (or the failure already is an {@link ObjectStoreException}:
     *     then that one)
     */
    public static ObjectStoreException classify(Throwable failure, RequestKind kind) {
        return Conflicts.classify(failure, S3FailureClassifier.INSTANCE, kind);
    }

    /**
     * The portable code of a raw SDK failure.
     *
     * @param failure what the SDK threw
     * @param kind what the request was
     * @return the code; {@link ErrorCode#UNKNOWN} if the failure is not from the SDK
     */
    public static ErrorCode codeOf(Throwable failure, RequestKind kind) {
        return Conflicts.codeOf(failure, S3FailureClassifier.INSTANCE, kind);
    }

    /**
     * Whether the very same request may be sent again: it was certainly not applied (mutations) or
     * changes nothing (reads), and the failure may pass.
     *
     * @param failure what the SDK threw
     * @param kind what the request was
     * @return true for {@link ErrorCode#THROTTLED}, {@link ErrorCode#CONFLICT}, {@link ErrorCode#TRANSIENT}
     */
    public static boolean isRetryable(Throwable failure, RequestKind kind) {
        return Conflicts.isRetryable(failure, S3FailureClassifier.INSTANCE, kind);
    }

    /**
     * Retries for raw mutations ({@link Conflicts#retryConfig(io.leasehold.spi.FailureClassifier, RequestKind)}):
     * up to 4 attempts, full jitter from 50 ms to 2 s, only failures that did not apply the request.
     *
     * @return a new configuration; copy it with {@code RetryConfig.from(...)} to adjust
     */
    public static RetryConfig mutationRetryConfig() {
        return Conflicts.retryConfig(S3FailureClassifier.INSTANCE, RequestKind.WRITE);
    }

    /**
     * Retries for raw reads: up to 4 attempts, full jitter from 50 ms to 2 s, throttling and every
     * transient failure.
     *
     * @return a new configuration; copy it with {@code RetryConfig.from(...)} to adjust
     */
    public static RetryConfig readRetryConfig() {
        return Conflicts.retryConfig(S3FailureClassifier.INSTANCE, RequestKind.READ);
    }

    /**
     * A per-request plugin that turns the SDK's own retries off for one request, whatever the client
     * was built with (add it with {@code overrideConfiguration(o -> o.addPlugin(...))}), and turns
     * S3's "200 with an error document" into the error it names. Use it on every conditional
     * mutation retried by {@link #mutationRetryConfig()}, so that one layer decides.
     *
     * @return the plugin
     */
    public static SdkPlugin singleAttempt() {
        return new SingleAttemptPlugin(S3Profile.AWS);
    }
}
