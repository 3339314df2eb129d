package io.leasehold.aws;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Every case of {@link S3EvidenceWireTest} through the driver's non-blocking requests: the same answers
 * prove the same things about a mutation, whichever client sent it.
 */
class S3AsyncEvidenceWireTest extends S3EvidenceWireTest {
    @BeforeAll
    static void throughTheNonBlockingRequests() {
        viaAsync = true;
    }

    @AfterAll
    static void backToBlocking() {
        viaAsync = false;
    }
}
