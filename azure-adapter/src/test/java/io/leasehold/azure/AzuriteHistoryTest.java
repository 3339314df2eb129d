package io.leasehold.azure;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leasehold.core.ObjectStore;
import io.leasehold.tck.faults.ErrorDialect;
import io.leasehold.tck.history.HistoryReport;
import io.leasehold.tck.history.HistoryWorkload;
import io.leasehold.tck.history.ProxiedHistoryRun;
import java.net.URI;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The history checker on Azurite through the fault proxy: ±1 counters through {@code update}
 * (coalesced, alone and mixed), an A→B→A register through conditional puts, creates, overwrites and
 * conditional deletes (Azure has If-Match on delete), every fault kind of the proxy on writes,
 * deletes and reads, the intermediary's plain-text 502/503/504 after forwarding included. Zero
 * anomalies, the wire audit clean, the counters equal to the acknowledged changes plus the unknown
 * ones that landed. {@code -Dleasehold.history.big=true} runs 10^5 operations.
 */
@ExtendWith(AzuriteExtension.class)
@Timeout(value = 3, unit = TimeUnit.HOURS)
class AzuriteHistoryTest {

    @Test
    void historyThroughTheFaultProxyIsLinearizable() {
        int operations = HistoryWorkload.operationsFromSystem();
        HistoryWorkload workload = HistoryWorkload.builder("azurite").processes(8)
                .operationsPerProcess(-Math.floorDiv(-operations, 8)).expectedTotal(operations).seed(19).build();
        String container = "history-" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        URI azurite = URI.create(AzuriteExtension.endpoint());
        try (ObjectStore clean = ObjectStore.open("azure://" + container + "?endpoint=" + azurite + "&createContainer=true")) {
            HistoryReport report = ProxiedHistoryRun.against(azurite, ErrorDialect.AZURE, "azurite")
                    .workload(workload)
                    .uniqueEtags(true)
                    .storeThrough(proxy -> ObjectStore.open("azure://" + container + "?endpoint=" + proxy + "/"
                            + AzureConnection.DEV_ACCOUNT))
                    .run(clean);
            System.out.println(report.summary());
            report.assertClean();
            assertTrue(report.operations() >= operations, report::figures);
            assertTrue(report.coalescedWrites() > 0, "some updates were coalesced");
        }
    }
}
