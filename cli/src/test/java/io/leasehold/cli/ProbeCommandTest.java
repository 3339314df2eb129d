package io.leasehold.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leasehold.aws.CephRgw;
import io.leasehold.aws.ServerSettings;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsCredentials;

/**
 * {@code leasehold probe}: the table, the matching profile and the exit code (0 safe, 8 unsafe) on a
 * memory store, on RGW opened without a profile (so {@code profile=auto}), and on a versioned RGW
 * bucket, where conditional puts are not enforced.
 */
class ProbeCommandTest {

    @Test
    void memoryIsSafe() {
        Cli.Run run = Cli.run("probe", "--store=" + Cli.memStore());
        assertEquals(ExitCodes.OK, run.exit(), run.stderr());
        assertTrue(run.stdout().contains("matching profile: memory"), run.stdout());
        assertTrue(run.stdout().contains("read-modify-write: safe"), run.stdout());
    }

    @Test
    @ExtendWith(CephRgw.class)
    void rgwWithoutAProfileIsProbedAndAVersionedBucketIsUnsafe(CephRgw rgw) {
        AwsCredentials user = ServerSettings.credentials(rgw);
        AwsSystemCredentials credentials = AwsSystemCredentials.set(user.accessKeyId(), user.secretAccessKey());
        try {
            String endpoint = "?endpoint=" + ServerSettings.endpoint(rgw);
            Cli.Run plain = Cli.run("probe", "--store=s3://" + ServerSettings.rgwBucket() + "/cli-probe-" + UUID.randomUUID()
                    + endpoint);
            assertEquals(ExitCodes.OK, plain.exit(), plain.stderr());
            assertTrue(plain.stdout().contains("matching profile: ceph-rgw\n"), plain.stdout());
            Cli.Run versioned = Cli.run("probe", "--store=s3://" + ServerSettings.rgwVersionedBucket(rgw) + "/cli-probe-"
                    + UUID.randomUUID() + endpoint);
            assertEquals(ExitCodes.UNSAFE_STORE, versioned.exit(), versioned.stdout());
            assertTrue(versioned.stdout().contains("create-if-absent (If-None-Match: *)"), versioned.stdout());
            assertTrue(versioned.stdout().contains("read-modify-write: UNSAFE"), versioned.stdout());
        } finally {
            credentials.close();
        }
    }
}
