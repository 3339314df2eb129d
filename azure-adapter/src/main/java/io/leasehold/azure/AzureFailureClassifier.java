package io.leasehold.azure;

import io.leasehold.core.ObjectStoreException;
import io.leasehold.spi.FailureClassifier;
import io.leasehold.spi.RequestKind;

/**
 * Registers the Azure driver's translation of Azure SDK exceptions ({@code AzureException} and its
 * subclasses such as {@code BlobStorageException}) for {@link io.leasehold.core.Conflicts}, through
 * {@link java.util.ServiceLoader}; see {@link AzureConflicts}.
 *
 * <p>Thread-safety: stateless.
 */
public final class AzureFailureClassifier implements FailureClassifier {
    /** For {@link java.util.ServiceLoader}. */
    public AzureFailureClassifier() {
    }

    /**
     * {@inheritDoc}
     *
     * <p>Only failures with an {@code AzureException} on their cause chain: other libraries' failures
     * are left to their own classifiers.
     */
    @Override
    public ObjectStoreException classify(Throwable failure, RequestKind kind) {
        return AzureConflicts.isAzure(failure) ? translate(failure, kind) : null;
    }

    /**
     * The driver's translation of any failure of an Azure SDK call (connection failures have no
     * Azure exception type), for a request of the given kind.
     */
    static ObjectStoreException translate(Throwable failure, RequestKind kind) {
        AzureErrors.Op op;
        switch (kind) {
            case READ:
                op = AzureErrors.Op.READ;
                break;
            case LEASE:
                op = AzureErrors.Op.LEASE;
                break;
            case STAGE:
                op = AzureErrors.Op.STAGE;
                break;
            default:
                op = AzureErrors.Op.OVERWRITE;
                break;
        }
        return AzureErrors.map(failure, op, null, "(your container)");
    }
}
