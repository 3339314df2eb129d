package io.leasehold.azure;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Every case of {@link AzureEvidenceWireTest} with puts, gets and deletes through the driver's non-blocking requests
 * ({@link AzureBlobDriver#async()}, BlobAsyncClient on the same retry-free pipeline), waited for: the same
 * requests on the wire and the same exceptions for the same answers, since the protocols are the same code.
 */
class AzureAsyncEvidenceWireTest extends AzureEvidenceWireTest {
    @BeforeAll
    static void throughTheNonBlockingRequests() {
        viaAsync = true;
    }

    @AfterAll
    static void backToBlocking() {
        viaAsync = false;
    }
}
