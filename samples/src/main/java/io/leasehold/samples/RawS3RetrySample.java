package io.leasehold.samples;

import io.github.resilience4j.retry.Retry;
import io.leasehold.aws.S3Conflicts;
import io.leasehold.core.Conflicts;
import io.leasehold.core.ErrorCode;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The README's "Raw SDK code": a plain {@code S3Client} If-Match loop, before and after the drop-in
 * retry ({@link S3Conflicts}). The behaviour is tested in aws-adapter's {@code S3RawRetryTest}
 * against Ceph RGW with injected faults.
 *
 * <p>Thread-safety: as thread-safe as the client; holds no state of its own.
 */
public final class RawS3RetrySample {
    private final S3Client s3;
    private final String bucket;
    private final String key;
    private final UnaryOperator<byte[]> edit;

    /**
     * Creates the sample.
     *
     * @param s3 your client
     * @param bucket the bucket
     * @param key the object
     * @param edit the change to apply to its content
     */
    public RawS3RetrySample(S3Client s3, String bucket, String key, UnaryOperator<byte[]> edit) {
        this.s3 = s3;
        this.bucket = bucket;
        this.key = key;
        this.edit = edit;
    }

    private byte[] change(byte[] current) {
        return edit.apply(current);
    }

    /**
     * Before: a lost race is re-read, but the SDK re-sends a conditional put whose answer was lost
     * (and a 412 then hides the caller's own write).
     *
     * @throws S3Exception on a failure other than a lost race
     */
    public void saveBefore() {
        for (int attempt = 0; attempt < 5; attempt++) {
            ResponseBytes<GetObjectResponse> current = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key));
            try {
                s3.putObject(b -> b.bucket(bucket).key(key).ifMatch(current.response().eTag()),
                        RequestBody.fromBytes(change(current.asByteArray())));
                return;
            } catch (S3Exception e) {
                if (e.statusCode() != 412) throw e;   // lost race: re-read
            }
        }
        throw new IllegalStateException("still losing races after 5 attempts");
    }

    /**
     * After: one retry layer that re-sends only what did not apply, and an unknown outcome reported
     * as such.
     *
     * @throws RuntimeException on a failure that is neither retryable nor a lost race
     */
    public void saveAfter() {
        Retry retry = Retry.of("save", S3Conflicts.mutationRetryConfig());   // 503/throttling, 409, refused connections; never a 5xx or timeout after sending
        for (int attempt = 0; attempt < 5; attempt++) {
            ResponseBytes<GetObjectResponse> current = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key));
            try {
                retry.executeRunnable(() -> s3.putObject(b -> b.bucket(bucket).key(key)
                                .ifMatch(current.response().eTag())
                                .overrideConfiguration(o -> o.addPlugin(S3Conflicts.singleAttempt())),   // no SDK retries underneath
                        RequestBody.fromBytes(change(current.asByteArray()))));
                return;
            } catch (RuntimeException e) {
                if (Conflicts.isLostRace(e)) continue;                        // someone else wrote first: re-read
                if (Conflicts.codeOf(e) == ErrorCode.OUTCOME_UNKNOWN) {
                    // may have landed: re-read and check whether your change is there before applying it again
                }
                throw e;
            }
        }
        throw new IllegalStateException("still losing races after 5 attempts");
    }
}
