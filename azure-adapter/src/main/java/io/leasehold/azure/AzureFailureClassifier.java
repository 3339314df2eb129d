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

    @Override
    public ObjectStoreException classify(Throwable failure, RequestKind kind) {
        return AzureConflicts.isAzure(failure) ? AzureConflicts.classify(failure, kind) : null;
    }
}
