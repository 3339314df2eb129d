package io.leasehold.bench;

import java.util.Map;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/** The same requests written directly against the AWS SDK, as an application would. */
final class RawS3Ops implements Ops {
    private final S3Client client;
    private final String bucket;
    private final byte[] content;
    private final String quotedEtag;
    private final Map<String, String> metadata;

    /**
     * @param metadata user metadata sent with every put (empty, or Leasehold's bookkeeping to price its
     *     headers apart from the library's code)
     */
    RawS3Ops(S3Client client, String bucket, Fixture fixture, Map<String, String> metadata) {
        this.client = client;
        this.bucket = bucket;
        this.content = fixture.content();
        this.quotedEtag = "\"" + fixture.etag() + "\"";
        this.metadata = metadata;
    }

    private PutObjectRequest.Builder putRequest() {
        PutObjectRequest.Builder b = PutObjectRequest.builder().bucket(bucket).key(LeaseholdOps.KEY);
        return metadata.isEmpty() ? b : b.metadata(metadata);
    }

    @Override
    public Object put() {
        return client.putObject(putRequest().build(), RequestBody.fromBytes(content));
    }

    @Override
    public Object putIfMatch() {
        return client.putObject(putRequest().ifMatch(quotedEtag).build(), RequestBody.fromBytes(content));
    }

    @Override
    public Object get() {
        return client.getObjectAsBytes(GetObjectRequest.builder().bucket(bucket).key(LeaseholdOps.KEY).build());
    }

    @Override
    public Object getIfNoneMatch() {
        try {
            return client.getObjectAsBytes(GetObjectRequest.builder().bucket(bucket).key(LeaseholdOps.KEY)
                    .ifNoneMatch(quotedEtag).build());
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            if (e.statusCode() == 304) {
                return e; // how the SDK reports "not modified"
            }
            throw e;
        }
    }

    @Override
    public Object update() {
        ResponseBytes<GetObjectResponse> current = client.getObjectAsBytes(
                GetObjectRequest.builder().bucket(bucket).key(LeaseholdOps.KEY).build());
        byte[] next = Fixture.bump(current.asByteArrayUnsafe());
        return client.putObject(putRequest().ifMatch(current.response().eTag()).build(), RequestBody.fromBytes(next));
    }

    @Override
    public void close() {
        client.close();
    }
}
