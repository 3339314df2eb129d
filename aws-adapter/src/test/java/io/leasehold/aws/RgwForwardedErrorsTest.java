package io.leasehold.aws;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leasehold.core.ObjectStore;
import io.leasehold.core.ObjectVersion;
import io.leasehold.core.PutMode;
import io.leasehold.core.PutOptions;
import io.leasehold.core.PutResult;
import io.leasehold.core.UpdateResult;
import io.leasehold.core.lease.Lease;
import io.leasehold.core.lease.LeaseState;
import io.leasehold.tck.faults.ErrorDialect;
import io.leasehold.tck.faults.Fault;
import io.leasehold.tck.faults.FaultPlan;
import io.leasehold.tck.faults.FaultProxy;
import io.leasehold.tck.faults.FaultTarget;
import io.leasehold.tck.faults.FaultWorkloads;
import io.leasehold.tck.faults.RequestMatch;
import io.leasehold.tck.faults.WireRecord;
import io.leasehold.tck.faults.WireRecorder;
import io.leasehold.tck.faults.WorkloadReport;
import io.leasehold.tck.faults.WorkloadSize;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * End to end on a real Ceph RGW behind a proxy that forwards a write, lets RGW apply it, and then
 * answers the client itself with a plain-text 502, 503 or 504 (as a load balancer, service-mesh
 * sidecar or API gateway does when the upstream's answer is late or its connection breaks). Such an
 * answer carries no S3 error code, so it proves nothing: a create returns its own success (never
 * "already exists"), a conditional put its own success (never "precondition failed"), an update is
 * applied exactly once, a lease acquire holds the lease; under many such answers the update
 * workloads and a user's loop following {@code Conflicts} apply every change at most once.
 *
 * <p>Before the S3 translation required the store's own error code, a codeless 503 counted as
 * throttling ("not applied") and was sent again: the create got 412 for its own write and was
 * reported {@code ALREADY_EXISTS}, and the loops applied changes twice (see the README's fault tests).
 */
@ExtendWith(CephRgw.class)
class RgwForwardedErrorsTest {
    private CephRgw rgw;
    private FaultPlan plan;
    private WireRecorder recorder;
    private FaultProxy proxy;
    private ObjectStore store;
    private final String prefix = "forwarded/" + UUID.randomUUID() + "/";

    @BeforeEach
    void start(CephRgw server) {
        rgw = server;
        plan = FaultPlan.builder(0).build();
        recorder = new WireRecorder();
        proxy = FaultProxy.builder(rgw.endpoint()).dialect(ErrorDialect.PLAIN).plan(plan).recorder(recorder).start();
        store = ObjectStore.of(rgw.driverBuilder().endpoint(proxy.endpoint()).build());
    }

    @AfterEach
    void stop() {
        store.close();
        proxy.close();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Object writes to one key that reached RGW and were applied. */
    private List<WireRecord> landedOn(String key) {
        return recorder.records(r -> r.landed() && r.path().endsWith("/" + key));
    }

    private void answerNextWritePlain(int status) {
        plan.enqueue(RequestMatch.objectWrites(), Fault.errorAfterApply(status));
    }

    @ParameterizedTest(name = "plain {0} after the create landed")
    @ValueSource(ints = {502, 503, 504})
    void aCreateAnsweredWithAPlainErrorAfterItLandedIsTheCallersOwnSuccess(int status) {
        String key = prefix + "create-" + status;
        answerNextWritePlain(status);
        PutResult created = store.put(key, bytes("mine"), PutOptions.of(PutMode.create()));
        assertArrayEquals(bytes("mine"), store.get(key).content());
        assertEquals(store.head(key).info().version().etag(), created.version().etag());
        assertEquals(1, landedOn(key).size(), "sent once");
        assertEquals(status, landedOn(key).get(0).clientStatus(), "and answered with the plain error");
    }

    @ParameterizedTest(name = "plain {0} after the conditional put landed")
    @ValueSource(ints = {502, 503, 504})
    void aConditionalPutAnsweredWithAPlainErrorAfterItLandedIsTheCallersOwnSuccess(int status) {
        String key = prefix + "cas-" + status;
        ObjectVersion base = store.put(key, bytes("v1")).version();
        answerNextWritePlain(status);
        store.put(key, bytes("v2"), PutOptions.of(PutMode.update(base)));
        assertArrayEquals(bytes("v2"), store.get(key).content());
        assertEquals(2, landedOn(key).size(), "the seed and one update");
    }

    @ParameterizedTest(name = "plain {0} after the update landed")
    @ValueSource(ints = {502, 503, 504})
    void anUpdateAnsweredWithAPlainErrorAfterItLandedIsAppliedOnce(int status) {
        String key = prefix + "counter-" + status;
        store.put(key, bytes("0"));
        answerNextWritePlain(status);
        UpdateResult result = store.update(key, current -> bytes(Integer.toString(
                Integer.parseInt(new String(current, StandardCharsets.US_ASCII)) + 1)));
        assertEquals(1, result.attempts());
        assertArrayEquals(bytes("1"), store.get(key).content(), "applied exactly once");
        assertEquals(2, landedOn(key).size(), "the seed and one update");
    }

    @Test
    void aLeaseAcquireWhoseRecordWriteWasAnsweredWithAPlain503IsHeld() {
        String key = prefix + "leased";
        store.put(key, bytes("x"));
        plan.enqueue(RequestMatch.objectWrites().and(RequestMatch.path("\\.leasehold/lease")), Fault.errorAfterApply(503));
        Lease lease = store.leases().acquire(key);
        assertEquals(1, recorder.records(r -> r.landed() && r.path().contains(".leasehold/lease")).size(),
                "the record was written once");
        assertEquals(LeaseState.LEASED, store.leases().status(key).state());
        store.leases().renew(lease); // held under this id
        store.leases().release(lease);
    }

    // ------------------------------------------------------------------ workloads

    /** Forwards every write; answers 12% of them, after they landed, with a plain-text 502, 503 or 504. */
    static FaultPlan plainErrorsAfterApply(long seed) {
        return FaultPlan.builder(seed)
                .random(RequestMatch.objectWrites(),
                        FaultPlan.weighted(0.04, Fault.errorAfterApply(502)),
                        FaultPlan.weighted(0.04, Fault.errorAfterApply(503)),
                        FaultPlan.weighted(0.04, Fault.errorAfterApply(504)))
                .build();
    }

    private FaultWorkloads workloads() {
        FaultTarget target = new FaultTarget() {
            @Override
            public String name() {
                return "ceph-rgw behind a proxy answering plain 5xx";
            }

            @Override
            public URI upstream() {
                return rgw.endpoint();
            }

            @Override
            public ErrorDialect dialect() {
                return ErrorDialect.PLAIN;
            }

            @Override
            public ObjectStore openThrough(URI proxyEndpoint) {
                return ObjectStore.of(rgw.driverBuilder().endpoint(proxyEndpoint).build());
            }
        };
        return new FaultWorkloads(target, WorkloadSize.fromSystem(), RgwForwardedErrorsTest::plainErrorsAfterApply);
    }

    @Test
    void updatesApplyEachChangeOnceUnderPlainErrors() {
        WorkloadReport report = workloads().toggleUpdates();
        assertTrue(report.audit().faults().getOrDefault(Fault.Kind.ERROR_AFTER_APPLY, 0) > 0, report.summary());
        report.assertClean();
    }

    @Test
    void aUsersConflictsLoopAppliesEachChangeOnceUnderPlainErrors() {
        WorkloadReport report = workloads().userRetryLoop();
        assertTrue(report.audit().faults().getOrDefault(Fault.Kind.ERROR_AFTER_APPLY, 0) > 0, report.summary());
        report.assertClean();
    }
}
