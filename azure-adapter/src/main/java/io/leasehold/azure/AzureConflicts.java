package io.leasehold.azure;

import com.azure.core.exception.AzureException;
import com.azure.storage.blob.BlobContainerClient;
import io.github.resilience4j.retry.RetryConfig;
import io.leasehold.core.Conflicts;
import io.leasehold.core.ErrorCode;
import io.leasehold.core.ObjectStoreException;
import io.leasehold.spi.FailureClassifier;
import io.leasehold.spi.RequestKind;

/**
 * Leasehold's failure classification for your own raw Azure Blob calls ({@code BlobClient},
 * {@code BlobLeaseClient}): the same translation the Azure driver uses ({@code AzureErrors}), and
 * ready Resilience4j retry configurations that retry throttled reads and transient failures but never
 * re-send a mutation whose outcome is unknown. The methods are {@link Conflicts}' classification and
 * retry configuration, fed by that translation.
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
 *   <li>{@link #mutationRetryConfig()} (uploads, deletes, lease operations): connections that were
 *       never established. Azure documents no error code as proof that a mutation was not applied:
 *       not 503 {@code ServerBusy}, not 500 {@code OperationTimedOut} or {@code InternalError}, and
 *       a 408, 409, 429 or 5xx without {@code x-ms-error-code} may come from a proxy, load balancer or
 *       gateway that forwarded the request. A re-sent If-Match or If-None-Match would then fail
 *       against your own write (or an unconditional one apply twice): read back instead
 *       ({@link ErrorCode#OUTCOME_UNKNOWN}).</li>
 *   <li>{@link #readRetryConfig()} (downloads, properties, listings): the above plus 503
 *       {@code ServerBusy}, every 5xx, timeout and reset.</li>
 * </ul>
 * Send mutations through a client without the SDK's own retry policy ({@link #withoutSdkRetries}), so
 * that one layer decides. With this module on the class path {@code Conflicts.isRetryable} and
 * {@code Conflicts.isLostRace} classify Azure SDK exceptions too (as if the request were a mutation).
 *
 * <p>Thread-safety: stateless; the returned configurations are immutable.
 */
public final class AzureConflicts {
    /** The driver's translation, for any failure of an Azure SDK call. */
    private static final FailureClassifier TRANSLATION = AzureFailureClassifier::translate;

    private AzureConflicts() {
    }

    /**
     * Translates a raw SDK failure. Any throwable is classified (connection failures have no Azure
     * exception type), so call it only on failures of Azure SDK calls.
     *
     * @param failure what the SDK threw
     * @param kind what the request was: {@link RequestKind#READ}, {@link RequestKind#WRITE},
     *     {@link RequestKind#LEASE} or {@link RequestKind#STAGE}
     * @return the portable exception, with the SDK's exception as cause (or the
     *     {@link ObjectStoreException} already on the cause chain)
     */
    public static ObjectStoreException classify(Throwable failure, RequestKind kind) {
        return Conflicts.classify(failure, TRANSLATION, kind);
    }

    /**
     * The portable code of a raw SDK failure.
     *
     * @param failure what the SDK threw
     * @param kind what the request was
     * @return the code
     */
    public static ErrorCode codeOf(Throwable failure, RequestKind kind) {
        return Conflicts.codeOf(failure, TRANSLATION, kind);
    }

    /**
     * Whether the very same request may be sent again.
     *
     * @param failure what the SDK threw
     * @param kind what the request was
     * @return true for {@link ErrorCode#THROTTLED}, {@link ErrorCode#CONFLICT}, {@link ErrorCode#TRANSIENT}
     */
    public static boolean isRetryable(Throwable failure, RequestKind kind) {
        return Conflicts.isRetryable(failure, TRANSLATION, kind);
    }

    /**
     * Retries for raw mutations and lease operations ({@link Conflicts#retryConfig(FailureClassifier, RequestKind)}):
     * up to 4 attempts, full jitter from 50 ms to 2 s, only failures that did not apply the request.
     *
     * @return a new configuration
     */
    public static RetryConfig mutationRetryConfig() {
        return Conflicts.retryConfig(TRANSLATION, RequestKind.WRITE);
    }

    /**
     * Retries for raw reads: up to 4 attempts, full jitter from 50 ms to 2 s, throttling and every
     * transient failure.
     *
     * @return a new configuration
     */
    public static RetryConfig readRetryConfig() {
        return Conflicts.retryConfig(TRANSLATION, RequestKind.READ);
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

    /**
     * Whether a failure comes from the Azure SDK (for the registered classifier): an
     * {@link AzureException} or another exception of the SDK's packages on the cause chain (the SDK
     * reports an error answer it cannot parse as a bare {@code RuntimeException} around its JSON
     * parser's exception, or as an {@code IllegalStateException} about a text Content-Type).
     */
    static boolean isAzure(Throwable failure) {
        if (AzureErrors.unreadableErrorBody(failure)) {
            return true;
        }
        for (int depth = 0; failure != null && depth < 16; depth++, failure = failure.getCause()) {
            if (failure instanceof AzureException || failure.getClass().getName().startsWith("com.azure.")) {
                return true;
            }
        }
        return false;
    }
}
