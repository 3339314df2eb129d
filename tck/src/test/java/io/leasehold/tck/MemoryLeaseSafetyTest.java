package io.leasehold.tck;

import io.leasehold.core.ObjectStore;
import io.leasehold.driver.memory.MemoryDriver;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The lease checker on the memory store: four holders (threads, each with its own store instance
 * over one driver) take turns on one key, with fixed lease ids, guarded writes and a renewal per
 * tenure; zero violations. {@code -Dleasehold.leaseSafety.tenures=1000} for the long run.
 */
@Timeout(value = 30, unit = java.util.concurrent.TimeUnit.MINUTES)
class MemoryLeaseSafetyTest {
    @Test
    void fourHoldersTakingTurns() throws Exception {
        MemoryDriver shared = MemoryDriver.create();
        int processes = 4;
        LeaseSafetyRuns.inThreads("memory", () -> ObjectStore.of(new io.leasehold.spi.kit.ForwardingStoreDriver(shared) {
            @Override
            public void close() {
                // the driver is shared by the "processes"
            }
        }), "jobs/leader", processes, LeaseSafetyRuns.tenuresPerProcess(processes, 50), 2, Duration.ofSeconds(5));
    }
}
