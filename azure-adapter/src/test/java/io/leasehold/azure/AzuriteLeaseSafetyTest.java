package io.leasehold.azure;

import io.leasehold.core.ObjectStore;
import io.leasehold.tck.LeaseSafetyRuns;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The lease checker on Azurite: four holders (threads, each with its own store instance, so its own
 * view of tenures) take turns on one blob under fixed lease ids (the same id acquires again and
 * again: each tenure must get a larger fencing token, issue 16 item 4), with guarded writes and a
 * renewal per tenure; zero violations. {@code -Dleasehold.leaseSafety.tenures=1000} for the long run.
 */
@ExtendWith(AzuriteExtension.class)
@Timeout(value = 30, unit = java.util.concurrent.TimeUnit.MINUTES)
class AzuriteLeaseSafetyTest {
    @Test
    void fourHoldersTakingTurns() throws Exception {
        String uri = AzuriteExtension.uniqueStoreUri("lease-safety");
        int processes = 4;
        LeaseSafetyRuns.inThreads("azurite", () -> ObjectStore.open(uri), "jobs/leader", processes,
                LeaseSafetyRuns.tenuresPerProcess(processes, 10), 2, Duration.ofSeconds(5));
    }
}
