package io.leasehold.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leasehold.core.ObjectStore;
import io.leasehold.tck.faults.ErrorDialect;
import io.leasehold.tck.history.HistoryReport;
import io.leasehold.tck.history.HistoryWorkload;
import io.leasehold.tck.history.ProxiedHistoryRun;
import io.leasehold.test.history.CheckOptions;
import io.leasehold.test.history.CheckResult;
import io.leasehold.test.history.Checker;
import io.leasehold.test.history.History;
import io.leasehold.test.history.Models;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsCredentials;

/**
 * The history checker on a real Ceph RGW through the fault proxy, from three JVMs at once (this one
 * and two {@link CephRgwHistoryWorker}s, all through one proxy so the wire audit sees every write):
 * ±1 counters through {@code update} (coalesced, alone and mixed), an A→B→A register through
 * conditional puts (RGW's ETags hash the content, so a compare-and-swap on an old A matches a new
 * A), creates and overwrites; every fault kind of the proxy, the intermediary's plain-text
 * 502/503/504 after forwarding included. Zero anomalies, the wire audit clean, the counters equal
 * to the acknowledged changes plus the unknown ones that landed. {@code -Dleasehold.history.big=true}
 * runs 10^5 operations.
 *
 * <p>And the checker on a deliberately broken client: a read-then-put loop without conditions loses
 * updates on this real server, and the checker prints one.
 */
@ExtendWith(CephRgw.class)
@Timeout(value = 3, unit = TimeUnit.HOURS)
class CephRgwHistoryTest {
    private static final int JVMS = 3;
    private static final int PROCESSES_PER_JVM = 4;

    @TempDir
    Path tmp;

    @Test
    void historyFromThreeJvmsThroughTheFaultProxyIsLinearizable(CephRgw rgw) {
        int operations = HistoryWorkload.operationsFromSystem();
        HistoryWorkload workload = HistoryWorkload.builder("rgw-" + UUID.randomUUID().toString().substring(0, 8))
                .processPrefix("jvm0-").processes(PROCESSES_PER_JVM)
                .operationsPerProcess(-Math.floorDiv(-operations, JVMS * PROCESSES_PER_JVM)).expectedTotal(operations)
                .seed(17).build();
        AwsCredentials credentials = rgw.credentials().resolveCredentials();
        try (ObjectStore clean = ObjectStore.of(rgw.driverBuilder().build())) {
            HistoryReport report = ProxiedHistoryRun.against(rgw.endpoint(), ErrorDialect.S3, "ceph-rgw, " + JVMS + " JVMs")
                    .workload(workload)
                    .uniqueEtags(false)
                    .storeThrough(proxy -> ObjectStore.of(rgw.driverBuilder().endpoint(proxy).build()))
                    .children(CephRgwHistoryWorker.class, JVMS - 1, proxy -> Map.of(
                            "LEASEHOLD_RGW_ENDPOINT", proxy.toString(),
                            "LEASEHOLD_RGW_ACCESS_KEY", credentials.accessKeyId(),
                            "LEASEHOLD_RGW_SECRET_KEY", credentials.secretAccessKey()), tmp)
                    .run(clean);
            System.out.println(report.summary());
            report.assertClean();
            assertTrue(report.operations() >= operations, report::figures);
            assertTrue(report.coalescedWrites() > 0, "some updates were coalesced");
        }
    }

    @Test
    void aNaiveReadThenPutLoopLosesUpdatesOnRgwAndTheCheckerPrintsOne(CephRgw rgw) {
        String key = "history-naive-" + UUID.randomUUID();
        try (ObjectStore store = ObjectStore.of(rgw.driverBuilder().build())) {
            History history = HistoryWorkload.unconditionalIncrements(store, key, 4, 25);
            CheckResult result = Checker.check(history, Models.counter(),
                    CheckOptions.builder().shrinkTimeLimit(Duration.ofSeconds(10)).build());
            System.out.println("A read-then-put loop without conditions, 4 processes x 25 increments on Ceph RGW:\n"
                    + result.report());
            assertEquals(CheckResult.Verdict.ANOMALY, result.verdict(), result::report);
            long stored = Long.parseLong(new String(store.get(key).content(), java.nio.charset.StandardCharsets.US_ASCII));
            assertTrue(stored < 100, "100 increments acknowledged, " + stored + " stored: the lost updates the checker saw");
        }
    }
}
