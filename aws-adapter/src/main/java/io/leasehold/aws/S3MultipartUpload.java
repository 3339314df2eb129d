package io.leasehold.aws;

import io.leasehold.spi.PutResponse;
import io.leasehold.core.ETag;
import io.leasehold.core.ErrorCode;
import io.leasehold.core.ObjectStoreException;
import io.leasehold.core.ObjectVersion;
import io.leasehold.core.PutMode;
import io.leasehold.core.PutOptions;
import io.leasehold.core.PutResult;
import io.leasehold.core.TransientException;
import io.leasehold.spi.StagedUpload;
import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * A streaming put as an S3 multipart upload: each part is sent with its {@code Content-MD5} (S3
 * refuses a corrupted part with {@code BadDigest}), the commit is CompleteMultipartUpload carrying
 * the put's condition ({@code If-None-Match: *} or {@code If-Match}), and abort is
 * AbortMultipartUpload, which also discards the parts of a loser.
 *
 * <p>Thread-safety: {@link #uploadPart} is safe for concurrent calls.
 */
final class S3MultipartUpload implements StagedUpload {
    private final S3Driver driver;
    private final String key;
    private final String objectKey;
    private final String uploadId;
    private final PutOptions options;
    /** The commit's condition header values: at most one of the two. */
    private final String ifNoneMatch;
    private final String ifMatch;
    private final S3Failures.Request kind;
    private final ConcurrentHashMap<Integer, String> partETags = new ConcurrentHashMap<>();

    S3MultipartUpload(S3Driver driver, String key, String objectKey, String uploadId, PutOptions options,
                      String ifNoneMatch, String ifMatch) {
        this.driver = driver;
        this.key = key;
        this.objectKey = objectKey;
        this.uploadId = uploadId;
        this.options = options;
        this.ifNoneMatch = ifNoneMatch;
        this.ifMatch = ifMatch;
        this.kind = options.mode().kind() == PutMode.Kind.CREATE ? S3Failures.Request.PUT_CREATE
                : ifNoneMatch != null || ifMatch != null ? S3Failures.Request.PUT_CONDITIONAL : S3Failures.Request.PUT;
    }

    @Override
    public void uploadPart(int partNumber, byte[] data, int length) {
        UploadPartRequest request = UploadPartRequest.builder().bucket(driver.bucket()).key(objectKey)
                .uploadId(uploadId).partNumber(partNumber).contentLength((long) length)
                .contentMD5(Base64.getEncoder().encodeToString(md5(data, length)))
                .overrideConfiguration(driver.requestOverride(S3Operation.UPLOAD_PART, false, options.consistency(),
                        S3Driver.partTransferAllowance(length)))
                .build();
        UploadPartResponse response;
        try {
            // A content provider hands the SDK fresh views of the caller's buffer: no copy, and
            // whole-payload signing can read it twice.
            response = driver.client().uploadPart(request, RequestBody.fromContentProvider(
                    () -> new ByteArrayInputStream(data, 0, length), length, "application/octet-stream"));
        } catch (SdkException e) {
            throw failure(S3Operation.UPLOAD_PART, e);
        }
        if (response.eTag() == null || response.eTag().isBlank()) {
            throw new ObjectStoreException(ErrorCode.UNKNOWN, key, driver.name() + " UploadPart answered without an"
                    + " ETag; the part cannot be committed", null);
        }
        partETags.put(partNumber, response.eTag());
    }

    @Override
    public PutResponse commit(int parts, long size, byte[] contentMd5) {
        List<CompletedPart> completed = new ArrayList<>(parts);
        for (int n = 1; n <= parts; n++) {
            String etag = partETags.get(n);
            if (etag == null) {
                throw new IllegalStateException("part " + n + " of " + parts + " was not uploaded");
            }
            completed.add(CompletedPart.builder().partNumber(n).eTag(etag).build());
        }
        CompleteMultipartUploadRequest request = CompleteMultipartUploadRequest.builder().bucket(driver.bucket())
                .key(objectKey).uploadId(uploadId)
                .multipartUpload(CompletedMultipartUpload.builder().parts(completed).build())
                .ifNoneMatch(ifNoneMatch).ifMatch(ifMatch)
                .overrideConfiguration(driver.requestOverride(S3Operation.COMPLETE_MULTIPART_UPLOAD,
                        kind != S3Failures.Request.PUT, options.consistency(), S3Driver.commitAllowance(parts)))
                .build();
        CompleteMultipartUploadResponse response;
        try {
            response = driver.client().completeMultipartUpload(request);
        } catch (SdkException e) {
            if (e instanceof AwsServiceException && "NoSuchUpload".equals(S3Failures.errorCode((AwsServiceException) e))) {
                // The upload is gone: aborted by someone else or a lifecycle rule. (A commit of ours that
                // landed earlier is found by the facade's settlement, never by this answer.)
                throw new TransientException(ErrorCode.CONFLICT, key, driver.name() + " CompleteMultipartUpload: the"
                        + " multipart upload no longer exists; this request committed nothing; put again", e);
            }
            // Never a lost race, whatever the code: Ceph RGW evaluates no condition on this request, and its
            // 500 InternalError to a completion already in progress may be followed by that one landing.
            throw S3Failures.translate(driver.name(), S3Operation.COMPLETE_MULTIPART_UPLOAD, key, kind, e);
        }
        if (response.eTag() == null || response.eTag().isBlank()) {
            // Ceph RGW 16.2 answers with an empty <ETag/>: the facade identifies the version by the write id.
            return PutResponse.withoutVersion(size);
        }
        return PutResponse.of(ObjectVersion.of(ETag.parse(response.eTag()), response.versionId()), size, null);
    }

    @Override
    public void abort() {
        try {
            driver.client().abortMultipartUpload(b -> b.bucket(driver.bucket()).key(objectKey).uploadId(uploadId)
                    .overrideConfiguration(driver.requestOverride(S3Operation.ABORT_MULTIPART_UPLOAD, false,
                            options.consistency())));
        } catch (AwsServiceException e) {
            if (S3Failures.effectiveStatus(e) == 404) {
                return; // already completed or aborted: nothing staged is left
            }
            throw failure(S3Operation.ABORT_MULTIPART_UPLOAD, e);
        } catch (SdkException e) {
            throw failure(S3Operation.ABORT_MULTIPART_UPLOAD, e);
        }
    }

    /** The upload id (for messages and tests). */
    String uploadId() {
        return uploadId;
    }

    private ObjectStoreException failure(S3Operation operation, SdkException e) {
        if (e instanceof AwsServiceException && "NoSuchUpload".equals(S3Failures.errorCode((AwsServiceException) e))) {
            return new ObjectStoreException(ErrorCode.UNKNOWN, key, driver.name() + " " + operation + ": the multipart"
                    + " upload no longer exists (aborted by someone else or a lifecycle rule)", e);
        }
        return S3Failures.translate(driver.name(), operation, key, S3Failures.Request.STAGE, e);
    }

    private static byte[] md5(byte[] data, int length) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            md5.update(data, 0, length);
            return md5.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required of every JVM", e);
        }
    }
}
