package io.leasehold.azure;

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
 * End to end on Azurite behind a proxy that forwards a request, lets Azurite apply it, and then
 * answers the client itself with a plain-text 502, 503 or 504 (as a load balancer, service-mesh
 * sidecar or API gateway does). Such an answer carries no {@code x-ms-error-code}, so it proves
 * nothing: a create returns its own success (never "already exists"), a conditional put its own
 * success, an update is applied exactly once, a lease acquire holds the lease; under many such
 * answers the update workloads and a user's loop following {@code Conflicts} apply every change at
 * most once.
 */
@ExtendWith(AzuriteExtension.class)
class AzuriteForwardedErrorsTest {
    private FaultPlan plan;
    private WireRecorder recorder;
    private FaultProxy proxy;
    private ObjectStore store;

    @BeforeEach
    void start() {
        plan = FaultPlan.builder(0).build();
        recorder = new WireRecorder();
        proxy = FaultProxy.builder(URI.create(AzuriteExtension.endpoint())).dialect(ErrorDialect.PLAIN).plan(plan)
                .recorder(recorder).start();
        store = ObjectStore.open(storeUri(proxy.endpoint()));
    }

    @AfterEach
    void stop() {
        store.close();
        proxy.close();
    }

    private static String storeUri(URI proxyEndpoint) {
        String container = "forwarded-" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        return "azure://" + container + "?endpoint=" + proxyEndpoint + "/" + AzureConnection.DEV_ACCOUNT
                + "&createContainer=true";
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Whole-blob writes to one key that reached Azurite and were applied. */
    private List<WireRecord> landedOn(String key) {
        return recorder.records(r -> r.landed() && r.path().endsWith("/" + key));
    }

    private void answerNextWritePlain(int status) {
        plan.enqueue(RequestMatch.objectWrites(), Fault.errorAfterApply(status));
    }

    @ParameterizedTest(name = "plain {0} after the create landed")
    @ValueSource(ints = {502, 503, 504})
    void aCreateAnsweredWithAPlainErrorAfterItLandedIsTheCallersOwnSuccess(int status) {
        String key = "create-" + status;
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
        String key = "cas-" + status;
        ObjectVersion base = store.put(key, bytes("v1")).version();
        answerNextWritePlain(status);
        store.put(key, bytes("v2"), PutOptions.of(PutMode.update(base)));
        assertArrayEquals(bytes("v2"), store.get(key).content());
        assertEquals(2, landedOn(key).size(), "the seed and one update");
    }

    @ParameterizedTest(name = "plain {0} after the update landed")
    @ValueSource(ints = {502, 503, 504})
    void anUpdateAnsweredWithAPlainErrorAfterItLandedIsAppliedOnce(int status) {
        String key = "counter-" + status;
        store.put(key, bytes("0"));
        answerNextWritePlain(status);
        UpdateResult result = store.update(key, current -> bytes(Integer.toString(
                Integer.parseInt(new String(current, StandardCharsets.US_ASCII)) + 1)));
        assertEquals(1, result.attempts());
        assertArrayEquals(bytes("1"), store.get(key).content(), "applied exactly once");
        assertEquals(2, landedOn(key).size(), "the seed and one update");
    }

    @Test
    void aLeaseAcquireAnsweredWithAPlain503AfterItWasAppliedIsHeld() {
        String key = "leased";
        store.put(key, bytes("x"));
        plan.enqueue(RequestMatch.query("comp=lease"), Fault.errorAfterApply(503));
        Lease lease = store.leases().acquire(key);
        assertEquals(LeaseState.LEASED, store.leases().status(key).state());
        store.leases().renew(lease); // held under this id
        store.leases().release(lease);
        assertTrue(recorder.records(r -> r.clientStatus() == 503).size() == 1, "the acquire was answered 503");
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

    private static FaultWorkloads workloads() {
        URI azurite = URI.create(AzuriteExtension.endpoint());
        FaultTarget target = new FaultTarget() {
            @Override
            public String name() {
                return "azurite behind a proxy answering plain 5xx";
            }

            @Override
            public URI upstream() {
                return azurite;
            }

            @Override
            public ErrorDialect dialect() {
                return ErrorDialect.PLAIN;
            }

            @Override
            public ObjectStore openThrough(URI proxyEndpoint) {
                return ObjectStore.open(storeUri(proxyEndpoint));
            }
        };
        return new FaultWorkloads(target, WorkloadSize.fromSystem(), AzuriteForwardedErrorsTest::plainErrorsAfterApply);
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
