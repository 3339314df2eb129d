package io.leasehold.tck.history;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leasehold.core.ObjectStore;
import io.leasehold.driver.memory.MemoryDriver;
import io.leasehold.test.FaultInjectingDriver;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The history checker on the memory store behind the test kit's fault-injecting driver: counters
 * through {@code update} (coalesced, alone and mixed), an A→B→A register through conditional puts,
 * creates, overwrites and conditional deletes, faults scripted before 15% of the operations. Zero
 * anomalies, and the final state agrees with the acknowledged and unknown changes.
 * {@code -Dleasehold.history.big=true} runs 10^5 operations.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class MemoryHistoryTest {

    @Test
    void historyUnderInjectedFaultsIsLinearizable() {
        int operations = HistoryWorkload.operationsFromSystem();
        FaultInjectingDriver faults = FaultInjectingDriver.wrap(MemoryDriver.create());
        HistoryWorkload workload = HistoryWorkload.builder("memory").processes(8).operationsPerProcess(operations / 8)
                .expectedTotal(operations).seed(11).faultHook(new InjectedFaults(faults, 0.15)).build();
        try (ObjectStore store = ObjectStore.of(faults)) {
            HistoryPart part = workload.run(store);
            HistoryReport report = HistoryCheck.of(part, workload, "memory").check(ObjectStore.of(faults.target()));
            System.out.println(report.summary());
            System.out.println("  fault-injecting driver: " + faults.injected() + " faults fired, " + faults.pending()
                    + " scripted but never matched");
            report.assertClean();
            assertTrue(report.operations() >= operations, report::figures);
            assertTrue(report.coalescedWrites() > 0, "some updates were coalesced");
        }
    }
}
