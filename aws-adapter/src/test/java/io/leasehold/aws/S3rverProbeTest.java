package io.leasehold.aws;

import static io.leasehold.aws.CephRgwProbeTest.verdict;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leasehold.core.Capability;
import io.leasehold.core.NotSupportedException;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.probe.ProbeFinding.Verdict;
import io.leasehold.core.probe.ProbeEngine;
import io.leasehold.core.probe.ProbeReport;
import io.leasehold.core.PutMode;
import io.leasehold.core.PutOptions;
import io.leasehold.core.probe.StoreProbe;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The probe's negative case: s3rver accepts {@code If-None-Match} and {@code If-Match} and ignores
 * them, and stores the SDK's {@code aws-chunked} framing and checksum trailer as the object's bytes.
 * The probe must report both; under {@code profile=auto} (the default for this endpoint) a second
 * create and {@code update} are refused with {@link NotSupportedException} instead of losing data,
 * and the bytes written are the bytes read back.
 */
@ExtendWith(S3rverServer.class)
class S3rverProbeTest {

    @Test
    void ignoredConditionsAndAlteredBytesAreReported(S3rverServer server) {
        try (ObjectStore store = ObjectStore.of(S3Driver.builder().bucket(S3rverServer.BUCKET).endpoint(server.endpoint())
                .credentialsProvider(server.credentials()).profile(S3Profile.AWS).prefix("probe-" + UUID.randomUUID())
                .build())) {
            ProbeReport report = StoreProbe.run(store);
            System.out.print(report.toTable());
            assertEquals(Verdict.ALTERED, verdict(report, "bytes, SDK default checksums + aws-chunked"));
            assertEquals(Verdict.IGNORED, verdict(report, ProbeEngine.CREATE));
            assertEquals(Verdict.IGNORED, verdict(report, ProbeEngine.IF_MATCH_QUOTED));
            assertEquals(Verdict.IGNORED, verdict(report, ProbeEngine.IF_MATCH_UNQUOTED));
            assertFalse(report.readModifyWriteSafe());
            assertFalse(report.capabilities().supports(Capability.PUT_IF_ABSENT));
            assertFalse(report.capabilities().supports(Capability.PUT_IF_MATCH));
            assertTrue(report.matchingProfile().isEmpty());
            assertTrue(report.requests() <= 200, report.requests() + " requests");
        }
    }

    @Test
    void byDefaultTheEndpointIsProbedAndReadModifyWriteRefused(S3rverServer server) {
        try (ObjectStore store = ObjectStore.of(S3Driver.builder().bucket(S3rverServer.BUCKET).endpoint(server.endpoint())
                .credentialsProvider(server.credentials()).prefix("auto-" + UUID.randomUUID()).build())) {
            assertEquals("auto", store.unwrap(S3Profile.class).orElseThrow().name());
            assertThrows(NotSupportedException.class, () -> store.update("counter", b -> b));
            assertThrows(NotSupportedException.class, () -> store.put("k", "x".getBytes(), PutOptions.of(PutMode.create())));
            byte[] bytes = new byte[1000];
            new java.util.Random(7).nextBytes(bytes);
            store.put("k", bytes, PutOptions.defaults());
            assertTrue(java.util.Arrays.equals(bytes, store.get("k").content()), "no aws-chunked framing stored");
            store.delete("k");
        }
    }
}
