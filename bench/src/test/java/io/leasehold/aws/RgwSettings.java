package io.leasehold.aws;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/** What the bench tests need from aws-adapter's {@link CephRgw} harness (package-private there). */
public final class RgwSettings {
    private RgwSettings() {
    }

    /** The gateway's endpoint. */
    public static URI endpoint(CephRgw rgw) {
        return rgw.endpoint();
    }

    /** Its credentials. */
    public static AwsCredentialsProvider credentials(CephRgw rgw) {
        return rgw.credentials();
    }

    /** The bucket {@link CephRgw} creates. */
    public static String bucket() {
        return CephRgw.BUCKET;
    }

    /** Whether a driver attaches its single-attempt plugin to every request. */
    public static boolean usesPerRequestPlugin(S3Driver driver) {
        return driver.usesPerRequestPlugin();
    }
}
