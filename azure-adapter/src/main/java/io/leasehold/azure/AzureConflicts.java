package io.leasehold.azure;

import com.azure.core.exception.AzureException;
import com.azure.storage.blob.BlobContainerClient;
import io.github.resilience4j.retry.RetryConfig;
import io.leasehold.core.Conflicts;
import io.leasehold.core.ErrorCode;
import io.leasehold.core.ObjectStoreException;
import io.leasehold.spi.RequestKind;
import java.time.Duration;

/**
 * Leasehold's failure classification for your own raw Azure Blob calls ({@code BlobClient},
 * {@code BlobLeaseClient}): the same translation the Azure driver uses ({@code AzureErrors}), and
 * ready Resilience4j retry configurations that retry throttling and transient failures but never
 * re-send a conditional mutation whose outcome is unknown.
 *
 * <pre>{@code
 * BlobContainerClient container = AzureConflicts.withoutSdkRetries(yourContainerClient);
 * Retry retry = Retry.of("save-config", AzureConflicts.mutationRetryConfig());
 * retry.executeSupplier(() -> container.getBlobClient(name).getBlockBlobClient().uploadWithResponse(
 *         new BlockBlobSimpleUploadOptions(BinaryData.fromBytes(next))
 *                 .setRequestConditions(new BlobRequestConditions().setIfMatch(etag)), null, Context.NONE));
 * }</pre>
 *
 * <h2>What is retried</h2>
 * <ul>
 *   <li>{@link #mutationRetryConfig()} (uploads, deletes, lease operations): 503 ServerBusy and
 *       connections that were never established. Never a 500, timeout or reset after the request was
 *       sent: it may have been applied, and a re-sent If-Match or If-None-Match would then fail
 *       against your own write.</li>
 *   <li>{@link #readRetryConfig()} (downloads, properties, listings): the above plus every 5xx,
 *       timeout and reset.</li>
 * </ul>
 * Send mutations through a client without the SDK's own retry policy ({@link #withoutSdkRetries}), so
 * that one layer decides. With this module on the class path {@code Conflicts.isRetryable} and
 * {@code Conflicts.isLostRace} classify Azure SDK exceptions too (as if the request were a mutation).
 *
 * <p>Thread-safety: stateless; the returned configurations are immutable.
 */
public final class AzureConflicts {
    private AzureConflicts() {
    }

    /**
     * Translates a raw SDK failure. Any throwable is classified (connection failures have no Azure
     * exception type), so call it only on failures of Azure SDK calls.
     *
     * @param failure what the SDK threw
     * @param kind what the request was: {@link RequestKind#READ}, {@link RequestKind#WRITE} or
     *     {@link RequestKind#LEASE}
     * @return the portable exception, with the SDK's exception as cause
     */
    public static ObjectStoreException classify(Throwable failure, RequestKind kind) {
        AzureErrors.Op op = kind == RequestKind.READ ? AzureErrors.Op.READ
                : kind == RequestKind.LEASE ? AzureErrors.Op.LEASE : AzureErrors.Op.OVERWRITE;
        return AzureErrors.map(failure, op, null, "(your container)");
    }

    /**
     * The portable code of a raw SDK failure.
     *
     * @param failure what the SDK threw
     * @param kind what the request was
     * @return the code
     */
    public static ErrorCode codeOf(Throwable failure, RequestKind kind) {
        return classify(failure, kind).code();
    }

    /**
     * Whether the very same request may be sent again.
     *
     * @param failure what the SDK threw
     * @param kind what the request was
     * @return true for {@link ErrorCode#THROTTLED}, {@link ErrorCode#CONFLICT}, {@link ErrorCode#TRANSIENT}
     */
    public static boolean isRetryable(Throwable failure, RequestKind kind) {
        return classify(failure, kind).retryable();
    }

    /**
     * Retries for raw mutations and lease operations: up to 4 attempts, full jitter from 50 ms to
     * 2 s, only failures that did not apply the request.
     *
     * @return a new configuration
     */
    public static RetryConfig mutationRetryConfig() {
        return config(RequestKind.WRITE);
    }

    /**
     * Retries for raw reads: up to 4 attempts, full jitter from 50 ms to 2 s, throttling and every
     * transient failure.
     *
     * @return a new configuration
     */
    public static RetryConfig readRetryConfig() {
        return config(RequestKind.READ);
    }

    private static RetryConfig config(RequestKind kind) {
        return RetryConfig.custom()
                .maxAttempts(4)
                .intervalFunction(Conflicts.fullJitter(Duration.ofMillis(50), Duration.ofSeconds(2)))
                .retryOnException(t -> isRetryable(t, kind))
                .build();
    }

    /**
     * A client that sends through a copy of yours without the SDK's retry policies (same HTTP client,
     * credential and other policies); yours is unchanged. Returns yours if it has no retry policy.
     *
     * @param client your container client
     * @return a client whose requests are sent once
     */
    public static BlobContainerClient withoutSdkRetries(BlobContainerClient client) {
        return AzureBlobDriver.withoutRetries(client);
    }

    /** Whether a failure comes from the Azure SDK (for the registered classifier). */
    static boolean isAzure(Throwable failure) {
        for (int depth = 0; failure != null && depth < 16; depth++, failure = failure.getCause()) {
            if (failure instanceof AzureException) {
                return true;
            }
        }
        return false;
    }
}
