package io.leasehold.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leasehold.core.Capability;
import io.leasehold.core.InvalidArgumentException;
import java.net.URI;
import org.junit.jupiter.api.Test;

/**
 * Issue 16, item 12: enforced emulated leases are opt-in, by builder or URI parameter; a profile
 * without emulated leases refuses the setting before anything is sent. (What enforcement does is
 * tested on the protocol and, through the CLI, on Ceph RGW.)
 */
class S3EnforceLeasesSettingTest {
    private static final String AT = "endpoint=http://127.0.0.1:9&region=us-east-1&pathStyle=true";

    @Test
    void theUriParameterDeclaresEnforcedLeases() {
        try (S3Driver d = S3Driver.open(URI.create("s3://bucket?" + AT + "&profile=ceph-rgw&enforceLeases=true"))) {
            assertTrue(d.capabilities().supports(Capability.ENFORCED_LEASES));
            assertTrue(d.capabilities().supports(Capability.EMULATED_LEASES));
        }
        try (S3Driver d = S3Driver.open(URI.create("s3://bucket?" + AT + "&profile=ceph-rgw"))) {
            assertFalse(d.capabilities().supports(Capability.ENFORCED_LEASES), "off by default: advisory");
        }
        try (S3Driver d = S3Driver.builder().bucket("bucket").profile(S3Profile.AWS).region("us-east-1")
                .enforceLeases(true).build()) {
            assertTrue(d.capabilities().supports(Capability.ENFORCED_LEASES));
        }
    }

    @Test
    void aProfileWithoutEmulatedLeasesRefusesTheSetting() {
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> S3Driver.open(
                URI.create("s3://bucket?" + AT + "&profile=s3-compatible&enforceLeases=true")));
        assertEquals("enforceLeases", e.field());
        assertThrows(InvalidArgumentException.class, () -> S3Driver.open(
                URI.create("s3://bucket?" + AT + "&profile=ceph-rgw&enforceLeases=maybe")));
    }
}
