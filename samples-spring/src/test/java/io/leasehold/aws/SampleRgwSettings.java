package io.leasehold.aws;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/** What the sample's tests need from {@link CephRgw} (package-private there): endpoint, bucket, test user. */
public final class SampleRgwSettings {
    private SampleRgwSettings() {
    }

    public static URI endpoint(CephRgw rgw) {
        return rgw.endpoint();
    }

    public static AwsCredentialsProvider credentials(CephRgw rgw) {
        return rgw.credentials();
    }

    public static String bucket() {
        return CephRgw.BUCKET;
    }
}
