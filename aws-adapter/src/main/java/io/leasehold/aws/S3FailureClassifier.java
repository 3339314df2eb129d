package io.leasehold.aws;

import io.leasehold.core.ObjectStoreException;
import io.leasehold.spi.FailureClassifier;
import io.leasehold.spi.RequestKind;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The S3 driver's translation of AWS SDK exceptions ({@code S3Failures}), for failures of your own
 * SDK calls: registered for {@link io.leasehold.core.Conflicts} through
 * {@link java.util.ServiceLoader}, and what {@link S3Conflicts} is built on.
 *
 * <p>Thread-safety: stateless.
 */
public final class S3FailureClassifier implements FailureClassifier {
    /** One shared instance: the classifier keeps no state. */
    static final S3FailureClassifier INSTANCE = new S3FailureClassifier();

    /** For {@link java.util.ServiceLoader}. */
    public S3FailureClassifier() {
    }

    /**
     * {@inheritDoc}
     *
     * <p>Translates the first {@link SdkException} on the cause chain as the driver translates a
     * failure of a GetObject ({@link RequestKind#READ}) or of an unconditional PutObject (any other
     * kind).
     */
    @Override
    public ObjectStoreException classify(Throwable failure, RequestKind kind) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SdkException) {
                boolean read = kind == RequestKind.READ;
                return S3Failures.translate("s3", read ? S3Operation.GET_OBJECT : S3Operation.PUT_OBJECT, null,
                        read ? S3Failures.Request.READ : kind == RequestKind.STAGE ? S3Failures.Request.STAGE
                                : S3Failures.Request.PUT, (SdkException) t);
            }
        }
        return null;
    }
}
