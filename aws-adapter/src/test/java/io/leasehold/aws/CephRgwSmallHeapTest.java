package io.leasehold.aws;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leasehold.tck.SmallHeapRoundTrip;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsCredentials;

/**
 * A 1 GiB round trip through the API on Ceph RGW in a child JVM with {@code -Xmx64m} (multipart
 * upload, ranged download, MD5-of-parts verification). Only with {@code -Dleasehold.large.big=true}
 * (or {@code LEASEHOLD_LARGE_BIG=1}), and only against a gateway with room for it: the test
 * clusters keep data in a 1 GiB memstore, so point {@code LEASEHOLD_RGW_*} at one started with
 * {@code LEASEHOLD_RGW_MEMSTORE_BYTES} of several GiB (see {@code scripts/ceph-rgw.sh}).
 */
@ExtendWith(CephRgw.class)
class CephRgwSmallHeapTest {
    @Test
    void oneGibibyteRoundTripWithSixtyFourMegabytesOfHeap(CephRgw rgw) throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("leasehold.large.big") || "1".equals(System.getenv("LEASEHOLD_LARGE_BIG")),
                "a 1 GiB object: run with -Dleasehold.large.big=true against a gateway with room for it");
        AwsCredentials c = rgw.credentials().resolveCredentials();
        String uri = "s3://" + CephRgw.BUCKET + "?endpoint=" + rgw.endpoint() + "&profile=ceph-rgw";
        String out = SmallHeapRoundTrip.runInChild("64m", uri, 1L << 30, true,
                Map.of("AWS_ACCESS_KEY_ID", c.accessKeyId(), "AWS_SECRET_ACCESS_KEY", c.secretAccessKey(),
                        "AWS_REGION", "us-east-1"));
        System.out.print(out);
        assertTrue(out.contains("digests equal"), out);
    }
}
