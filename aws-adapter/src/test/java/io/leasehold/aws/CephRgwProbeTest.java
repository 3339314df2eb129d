package io.leasehold.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leasehold.core.Capability;
import io.leasehold.core.NotSupportedException;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.PutMode;
import io.leasehold.core.PutOptions;
import io.leasehold.core.probe.ProbeFinding.Verdict;
import io.leasehold.core.probe.ProbeEngine;
import io.leasehold.core.probe.ProbeReport;
import io.leasehold.core.probe.StoreProbe;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The endpoint probe on a real Ceph RGW: it must rediscover every fact the hand-written
 * {@link S3Profile#CEPH_RGW} profile encodes, and {@code profile=auto} must then behave like it; on
 * a versioned bucket it must find that conditional puts are not enforced (defect 9) and refuse them.
 */
@ExtendWith(CephRgw.class)
class CephRgwProbeTest {

    @Test
    void theProbeRediscoversTheCephRgwProfile(CephRgw rgw) {
        String prefix = "probe-" + UUID.randomUUID();
        try (ObjectStore store = ObjectStore.of(rgw.driverBuilder().prefix(prefix).build())) {
            ProbeReport report = StoreProbe.run(store);
            System.out.print(report.toTable());
            assertEquals(Verdict.ALTERED, verdict(report, "bytes, SDK default checksums + aws-chunked"));
            assertEquals(Verdict.ALTERED, verdict(report, "bytes, checksums when required + aws-chunked"));
            assertEquals(Verdict.INTACT, verdict(report, "bytes, checksums when required, whole-payload signing"));
            assertEquals(Verdict.HONOURED, verdict(report, ProbeEngine.CREATE));
            assertEquals(Verdict.ATOMIC, verdict(report, "create race (16 racers)"));
            assertEquals(Verdict.REFUSED, verdict(report, ProbeEngine.IF_MATCH_QUOTED), "quoted If-Match always 412");
            assertEquals(Verdict.HONOURED, verdict(report, ProbeEngine.IF_MATCH_UNQUOTED));
            assertEquals(Verdict.HONOURED, verdict(report, ProbeEngine.IF_MATCH_MISSING));
            assertTrue(report.finding("status codes").orElseThrow().detail().contains("If-Match on a missing key 412"));
            assertEquals(Verdict.ATOMIC, verdict(report, "If-Match race (16 racers)"));
            assertEquals(Verdict.IGNORED, verdict(report, ProbeEngine.DELETE_STALE), "DeleteObject ignores If-Match");
            assertEquals(Verdict.MANGLED, verdict(report, ProbeEngine.METADATA));
            assertEquals(Verdict.UNCHANGED, verdict(report, "ETag on identical rewrite"));
            assertEquals(Verdict.HONOURED, verdict(report, "replace-if-present (If-Match: *)"));
            assertEquals("ceph-rgw", report.matchingProfile().orElseThrow());
            assertEquals(S3Profile.CEPH_RGW.capabilities(false), report.capabilities());
            assertTrue(report.readModifyWriteSafe());
            assertTrue(report.requests() <= 200, report.requests() + " requests");
            assertScratchRemoved(rgw, CephRgw.BUCKET, prefix + "/");
        }
    }

    @Test
    void autoProfileProbesOncePerEndpointAndBehavesLikeTheCephRgwProfile(CephRgw rgw) {
        int before = S3EndpointProbe.PROBES_RUN.get();
        // an endpoint other than AWS and no profile named: profile=auto is the default
        try (S3Driver first = S3Driver.builder().bucket(CephRgw.BUCKET).endpoint(rgw.endpoint())
                .credentialsProvider(rgw.credentials()).build();
             S3Driver second = S3Driver.builder().bucket(CephRgw.BUCKET).prefix("other").endpoint(rgw.endpoint())
                     .credentialsProvider(rgw.credentials()).build()) {
            assertTrue(S3EndpointProbe.PROBES_RUN.get() - before <= 1, "one probe per endpoint and bucket per JVM");
            S3Profile derived = first.profile();
            assertEquals("auto", derived.name());
            assertFalse(derived.quoteIfMatch());
            assertFalse(derived.conditionalDelete());
            assertTrue(derived.metadataUnderscoresAsHyphens());
            assertTrue(derived.checksumsWhenRequired());
            assertFalse(derived.chunkedEncoding());
            assertEquals(S3Profile.PutIfPresentForm.IF_MATCH_ANY, derived.putIfPresent());
            assertEquals("UnknownError", derived.lostRaceErrorCode(), "RGW's 500 for a lost If-Match race, observed or from the matched profile");
            assertEquals(S3Profile.CEPH_RGW.capabilities(false), first.capabilities());
            assertEquals(derived, second.profile());
            assertEquals("ceph-rgw", first.unwrap(ProbeReport.class).orElseThrow().matchingProfile().orElseThrow());
            try (ObjectStore store = ObjectStore.of(first)) {
                String key = "auto/" + UUID.randomUUID();
                for (int i = 0; i < 5; i++) {
                    store.update(key, b -> Integer.toString(b == null ? 1 : Integer.parseInt(new String(b)) + 1).getBytes());
                }
                assertEquals("5", new String(store.get(key).content()));
                store.put(key + "m", "m".getBytes(), PutOptions.builder().metadata("probe_x", "1").build());
                assertEquals("1", store.head(key + "m").info().userMetadata().get("probe_x"));
                store.delete(key);
                store.delete(key + "m");
            }
        }
    }

    @Test
    void onAVersionedBucketConditionalPutsAreFoundUnenforcedAndRefused(CephRgw rgw) {
        rgw.ensureVersionedBucket();
        String prefix = "probe-" + UUID.randomUUID();
        try (ObjectStore store = ObjectStore.of(S3Driver.builder().bucket(CephRgw.VERSIONED_BUCKET).prefix(prefix)
                .endpoint(rgw.endpoint()).credentialsProvider(rgw.credentials()).autoProfile().build())) {
            ProbeReport report = store.unwrap(ProbeReport.class).orElseThrow();
            System.out.print(report.toTable());
            assertEquals(Verdict.IGNORED, verdict(report, ProbeEngine.CREATE), "a second create succeeds");
            assertEquals(Verdict.REFUSED, verdict(report, ProbeEngine.IF_MATCH_QUOTED));
            assertEquals(Verdict.REFUSED, verdict(report, ProbeEngine.IF_MATCH_UNQUOTED), "If-Match always 412");
            assertTrue(report.capabilities().supports(Capability.VERSION_IDS));
            assertFalse(report.readModifyWriteSafe());
            assertEquals("ceph-rgw (versioned=true)", report.matchingProfile().orElseThrow());
            assertEquals(S3Profile.CEPH_RGW.capabilities(true), store.capabilities());
            assertThrows(NotSupportedException.class, () -> store.update("k", b -> b));
            assertThrows(NotSupportedException.class, () -> store.put("k", "x".getBytes(), PutOptions.of(PutMode.create())));
            assertTrue(report.requests() <= 200, report.requests() + " requests");
            assertScratchRemoved(rgw, CephRgw.VERSIONED_BUCKET, prefix + "/");
        }
    }

    static Verdict verdict(ProbeReport report, String check) {
        return report.finding(check).orElseThrow(() -> new AssertionError("no finding '" + check + "' in\n"
                + report.toTable())).verdict();
    }

    private static void assertScratchRemoved(CephRgw rgw, String bucket, String prefix) {
        try (S3Client s3 = rgw.rawClient()) {
            var listed = s3.listObjectVersions(b -> b.bucket(bucket).prefix(prefix));
            assertEquals(0, listed.versions().size() + listed.deleteMarkers().size(), "left behind: " + listed);
        }
    }
}
