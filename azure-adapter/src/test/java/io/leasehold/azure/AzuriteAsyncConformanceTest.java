package io.leasehold.azure;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The whole TCK through the asynchronous API ({@code ObjectStore#async()}) on Azurite: object requests
 * go through the driver's non-blocking requests (BlobAsyncClient), native leases through the API's
 * blocking pool.
 */
class AzuriteAsyncConformanceTest extends AzuriteConformanceTest {
    @Override
    public boolean throughAsyncApi() {
        return true;
    }

    @Test
    void objectRequestsAreNonBlocking() {
        assertTrue(objectStore().async().nonBlocking());
    }
}
