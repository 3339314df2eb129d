package io.leasehold.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leasehold.core.Capability;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.TransientException;
import java.net.URI;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** When {@code profile=auto} applies, and how probe evidence is matched against the built-in profiles. */
class S3AutoProfileTest {
    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDAUTOTEST", "not-a-secret"));

    @Test
    void awsEndpointsKeepTheAwsProfileWithoutProbing() {
        int before = S3EndpointProbe.PROBES_RUN.get();
        assertTrue(S3EndpointProbe.isAwsEndpoint(URI.create("https://s3.eu-west-1.amazonaws.com")));
        assertTrue(S3EndpointProbe.isAwsEndpoint(URI.create("https://bucket.s3.cn-north-1.amazonaws.com.cn")));
        assertFalse(S3EndpointProbe.isAwsEndpoint(URI.create("http://127.0.0.1:9000")));
        try (S3Driver d = S3Driver.builder().bucket("bucket").endpoint(URI.create("https://s3.eu-west-1.amazonaws.com"))
                .region("eu-west-1").credentialsProvider(CREDENTIALS).build()) {
            assertEquals(S3Profile.AWS, d.profile());
        }
        try (S3Driver d = S3Driver.builder().bucket("bucket").region("eu-west-1").credentialsProvider(CREDENTIALS).build()) {
            assertEquals(S3Profile.AWS, d.profile(), "no endpoint: AWS");
        }
        try (S3Driver d = S3Driver.builder().bucket("bucket").endpoint(URI.create("http://127.0.0.1:1"))
                .profile(S3Profile.S3_COMPATIBLE).credentialsProvider(CREDENTIALS).build()) {
            assertEquals(S3Profile.S3_COMPATIBLE, d.profile(), "a named profile is used as is");
        }
        assertEquals(before, S3EndpointProbe.PROBES_RUN.get(), "nothing was probed");
    }

    @Test
    void anUnreachableEndpointFailsToOpenAndIsNotCachedAsSupportingNothing() throws Exception {
        int closedPort = S3MockServer.freePort();
        String uri = "s3://bucket?endpoint=http://127.0.0.1:" + closedPort;
        int before = S3EndpointProbe.PROBES_RUN.get();
        System.setProperty("aws.accessKeyId", "AKIDAUTOTEST");
        System.setProperty("aws.secretAccessKey", "not-a-secret");
        try {
            assertThrows(TransientException.class, () -> ObjectStore.open(uri));
            assertThrows(TransientException.class, () -> ObjectStore.open(uri + "&profile=auto"));
        } finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
        }
        assertEquals(before + 2, S3EndpointProbe.PROBES_RUN.get(), "each open probed again");
    }

    @Test
    void evidenceIsMatchedAgainstTheBuiltInProfiles() {
        assertEquals("ceph-rgw", S3EndpointProbe.matching(S3Profile.CEPH_RGW.toBuilder().build(), false));
        assertEquals("ceph-rgw (versioned=true)", S3EndpointProbe.matching(S3Profile.CEPH_RGW, true));
        assertEquals("aws", S3EndpointProbe.matching(S3Profile.AWS, false));
        assertEquals("s3-compatible", S3EndpointProbe.matching(S3Profile.S3_COMPATIBLE, false));
        S3Profile notAtomic = S3Profile.AWS.toBuilder().withhold(Capability.PUT_IF_ABSENT, Capability.PUT_IF_MATCH).build();
        assertNull(S3EndpointProbe.matching(notAtomic, false));
        assertFalse(notAtomic.capabilities(false).supports(Capability.PUT_IF_MATCH));
    }
}
