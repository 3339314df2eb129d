package io.leasehold.aws;

import io.leasehold.core.ObjectStoreException;
import io.leasehold.spi.FailureClassifier;
import io.leasehold.spi.RequestKind;

/**
 * Registers the S3 driver's translation of AWS SDK exceptions for {@link io.leasehold.core.Conflicts}
 * (through {@link java.util.ServiceLoader}); see {@link S3Conflicts}.
 *
 * <p>Thread-safety: stateless.
 */
public final class S3FailureClassifier implements FailureClassifier {
    /** For {@link java.util.ServiceLoader}. */
    public S3FailureClassifier() {
    }

    @Override
    public ObjectStoreException classify(Throwable failure, RequestKind kind) {
        return S3Conflicts.classify(failure, kind);
    }
}
