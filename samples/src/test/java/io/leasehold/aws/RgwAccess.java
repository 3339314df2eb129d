package io.leasehold.aws;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsCredentials;

/**
 * What the samples' tests need from aws-adapter's {@link CephRgw} harness (from its test-jar), which
 * exposes it only to its own package: endpoint, bucket and the local test user's credentials.
 */
public final class RgwAccess {
    private RgwAccess() {
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
    public static String bucket() {
        return CephRgw.BUCKET;
    }
}
