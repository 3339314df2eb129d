package io.leasehold.aws;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * The whole TCK through the asynchronous API ({@code ObjectStore#async()}) on Ceph RGW, whose object
 * requests then go through the driver's non-blocking requests (S3AsyncClient over Netty), not through
 * threads of the blocking pool.
 */
class CephRgwAsyncConformanceTest extends CephRgwConformanceTest {
    @Override
    public boolean throughAsyncApi() {
        return true;
    }

    @Test
    void theDriverHasNonBlockingRequests() {
        assertTrue(objectStore().unwrap(S3AsyncClient.class).isPresent(),
                "netty-nio-client is on the test class path, so the driver builds its asynchronous client");
    }
}
