package io.leasehold.aws;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsCredentials;

/**
 * What the CLI tests need from aws-adapter's server harnesses ({@link CephRgw}, {@link S3MockServer},
 * from its test-jar) that those expose only to their own package: endpoint, bucket and the local
 * test user's credentials. Lives in the same package for that reason only.
 */
public final class ServerSettings {
    private ServerSettings() {
    }

    /** The gateway's endpoint, e.g. {@code http://127.0.0.1:PORT}. */
    public static URI endpoint(CephRgw rgw) {
        return rgw.endpoint();
    }

    /** The gateway's test user (a local throw-away user, not a real secret). */
    public static AwsCredentials credentials(CephRgw rgw) {
        return rgw.credentials().resolveCredentials();
    }

    /** The bucket {@link CephRgw} creates. */
    public static String rgwBucket() {
        return CephRgw.BUCKET;
    }

    /** A bucket with versioning enabled on the gateway (created if needed). */
    public static String rgwVersionedBucket(CephRgw rgw) {
        rgw.ensureVersionedBucket();
        return CephRgw.VERSIONED_BUCKET;
    }

    /** The bucket {@link S3MockServer} creates at start-up. */
    public static String s3MockBucket() {
        return S3MockServer.BUCKET;
    }
}
