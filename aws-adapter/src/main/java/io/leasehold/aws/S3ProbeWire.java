package io.leasehold.aws;

import io.leasehold.aws.ProbeRequestPlugin.Transfer;
import io.leasehold.core.ErrorCode;
import io.leasehold.core.ObjectStoreException;
import io.leasehold.core.probe.ProbeBudget;
import io.leasehold.spi.ProbeWire;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * The probe's wire to an S3 endpoint: raw PutObject, GetObject, HeadObject and DeleteObject (and,
 * for the S3 checks, a single-part multipart upload) over the driver's client, with the condition
 * headers exactly as the engine gives them, so forms a profile would refuse are sent too. Every
 * request carries a {@link ProbeRequestPlugin} (no SDK retries, 200-with-error bodies mapped, the
 * transfer setting under test), so the client's own settings are never changed.
 *
 * <p>Thread-safety: safe for concurrent requests; the transfer setting is switched only between them.
 */
final class S3ProbeWire implements ProbeWire {
    private final S3Client client;
    private final String bucket;
    private final String prefix;
    private final String target;
    private final ProbeBudget budget;
    private volatile Transfer transfer = Transfer.WHEN_REQUIRED_WHOLE;

    S3ProbeWire(S3Client client, String bucket, String prefix, String target, ProbeBudget budget) {
        this.client = client;
        this.bucket = bucket;
        this.prefix = prefix;
        this.target = target;
        this.budget = budget;
    }

    /** The transfer setting in use: after the bytes check, the first that kept the bytes. */
    Transfer transfer() {
        return transfer;
    }

    @Override
    public String target() {
        return target;
    }

    @Override
    public List<String> transferSettings() {
        return Arrays.stream(Transfer.values()).map(t -> t.label).collect(Collectors.toList());
    }

    @Override
    public void useTransferSetting(int index) {
        transfer = Transfer.values()[index];
    }

    @Override
    public String explainAltered(byte[] read) {
        return new String(read, StandardCharsets.ISO_8859_1).contains("x-amz-checksum")
                ? " (aws-chunked framing and checksum trailer stored)" : "";
    }

    @Override
    public Answer put(String key, byte[] content, Conditions conditions, Map<String, String> metadata) {
        return send(() -> {
            PutObjectResponse r = client.putObject(b -> {
                b.bucket(bucket).key(prefix + key).ifMatch(conditions.ifMatch().orElse(null))
                        .ifNoneMatch(conditions.ifNoneMatch().orElse(null)).overrideConfiguration(override(conditions));
                if (!metadata.isEmpty()) {
                    b.metadata(metadata);
                }
            }, RequestBody.fromBytes(content));
            return Answer.of(200).withEtag(r.eTag()).withVersionId(r.versionId());
        });
    }

    @Override
    public Answer get(String key, Conditions conditions) {
        return send(() -> {
            ResponseBytes<GetObjectResponse> r = client.getObjectAsBytes(b -> b.bucket(bucket).key(prefix + key)
                    .ifMatch(conditions.ifMatch().orElse(null)).ifNoneMatch(conditions.ifNoneMatch().orElse(null))
                    .overrideConfiguration(override(conditions)));
            return Answer.of(200).withEtag(r.response().eTag()).withLastModified(r.response().lastModified())
                    .withMetadata(r.response().metadata()).withBody(r.asByteArray());
        });
    }

    @Override
    public Answer head(String key, Conditions conditions) {
        return send(() -> {
            HeadObjectResponse r = client.headObject(b -> b.bucket(bucket).key(prefix + key)
                    .ifMatch(conditions.ifMatch().orElse(null)).ifNoneMatch(conditions.ifNoneMatch().orElse(null))
                    .overrideConfiguration(override(conditions)));
            return Answer.of(200).withEtag(r.eTag()).withLastModified(r.lastModified()).withMetadata(r.metadata());
        });
    }

    @Override
    public Answer delete(String key, Conditions conditions) {
        return send(() -> Answer.of(client.deleteObject(b -> b.bucket(bucket).key(prefix + key)
                .ifMatch(conditions.ifMatch().orElse(null)).overrideConfiguration(override(Conditions.NONE)))
                .sdkHttpResponse().statusCode()));
    }

    /**
     * One single-part multipart upload of {@code key}, completed under the conditions ({@code If-Match}
     * and {@code If-None-Match} on CompleteMultipartUpload); aborted if the commit fails.
     */
    Answer multipart(String key, byte[] body, Conditions conditions) {
        String[] uploadId = new String[1];
        Answer created = send(() -> {
            uploadId[0] = client.createMultipartUpload(b -> b.bucket(bucket).key(prefix + key)
                    .overrideConfiguration(override(Conditions.NONE))).uploadId();
            return Answer.of(200);
        });
        if (created.status() != 200) {
            return created;
        }
        Answer part = send(() -> Answer.of(200).withEtag(client.uploadPart(b -> b.bucket(bucket).key(prefix + key)
                .uploadId(uploadId[0]).partNumber(1).overrideConfiguration(override(Conditions.NONE)),
                RequestBody.fromBytes(body)).eTag()));
        Answer completed = part.status() != 200 ? part : send(() -> Answer.of(200).withEtag(client.completeMultipartUpload(
                CompleteMultipartUploadRequest.builder().bucket(bucket).key(prefix + key).uploadId(uploadId[0])
                        .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(part.etag()).build()))
                        .ifMatch(conditions.ifMatch().orElse(null)).ifNoneMatch(conditions.ifNoneMatch().orElse(null))
                        .overrideConfiguration(override(Conditions.NONE)).build()).eTag()));
        if (completed.status() != 200) {
            send(() -> Answer.of(client.abortMultipartUpload(b -> b.bucket(bucket).key(prefix + key).uploadId(uploadId[0])
                    .overrideConfiguration(override(Conditions.NONE))).sdkHttpResponse().statusCode()));
        }
        return completed;
    }

    /** In a bucket that keeps versions, deletes every version and delete marker under the scratch folder. */
    @Override
    public void removeScratch(String folder, Collection<String> keys, boolean versionsSeen) {
        if (versionsSeen) {
            budget.spend();
            try {
                ListObjectVersionsResponse listed = client.listObjectVersions(b -> b.bucket(bucket).prefix(prefix + folder)
                        .overrideConfiguration(override(Conditions.NONE)));
                listed.versions().forEach(v -> deleteVersion(v.key(), v.versionId()));
                listed.deleteMarkers().forEach(m -> deleteVersion(m.key(), m.versionId()));
                return;
            } catch (SdkException e) {
                // fall back to deleting the keys themselves
            }
        }
        ProbeWire.super.removeScratch(folder, keys, versionsSeen);
    }

    private void deleteVersion(String bucketKey, String versionId) {
        send(() -> Answer.of(client.deleteObject(b -> b.bucket(bucket).key(bucketKey).versionId(versionId)
                .overrideConfiguration(override(Conditions.NONE))).sdkHttpResponse().statusCode()));
    }

    /** Also gives up on a redirect to another region and on an invalid bucket name. */
    @Override
    public ObjectStoreException unreachable(Answer first) {
        if (first.status() == 301 || first.status() == 400 && first.errorCode().filter("InvalidBucketName"::equals).isPresent()) {
            return new ObjectStoreException(ErrorCode.NOT_FOUND, null, "probe: PutObject in bucket " + bucket + " answered "
                    + first, null);
        }
        return ProbeWire.super.unreachable(first);
    }

    private Answer send(Supplier<Answer> call) {
        budget.spend();
        try {
            return call.get();
        } catch (AwsServiceException e) {
            return Answer.error(S3Failures.effectiveStatus(e), e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode());
        } catch (SdkException e) {
            return Answer.noAnswer(e.getClass().getSimpleName());
        }
    }

    /** The probe's plugin with the current transfer setting, and the date conditions as raw headers. */
    private AwsRequestOverrideConfiguration override(Conditions conditions) {
        AwsRequestOverrideConfiguration.Builder b = AwsRequestOverrideConfiguration.builder()
                .addPlugin(new ProbeRequestPlugin(transfer));
        conditions.ifModifiedSince().ifPresent(v -> b.putHeader("If-Modified-Since", v));
        conditions.ifUnmodifiedSince().ifPresent(v -> b.putHeader("If-Unmodified-Since", v));
        return b.build();
    }
}
