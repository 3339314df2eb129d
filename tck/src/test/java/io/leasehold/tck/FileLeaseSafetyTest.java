package io.leasehold.tck;

import io.leasehold.core.ObjectStore;
import io.leasehold.driver.file.FileDriver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lease checker on the file store with several JVMs on one directory: each child JVM takes
 * tenures on one key (fixed lease ids, guarded writes, a renewal per tenure) and records its own
 * history; the parts are merged (System.nanoTime() is CLOCK_MONOTONIC, shared by the JVMs of one
 * host) and checked; zero violations. {@code -Dleasehold.leaseSafety.tenures=1000} for the long run.
 */
@Timeout(value = 30, unit = java.util.concurrent.TimeUnit.MINUTES)
class FileLeaseSafetyTest {
    @TempDir
    Path tmp;

    @Test
    void threeJvmsTakingTurns() throws Exception {
        Path dir = tmp.resolve("store");
        int processes = 3;
        LeaseSafetyRuns.inJvms("file", dir.toUri().toString(), Map.of(), () -> ObjectStore.of(FileDriver.open(dir)),
                "jobs/leader", processes, LeaseSafetyRuns.tenuresPerProcess(processes, 20), 2, tmp, Duration.ofSeconds(5));
    }
}
