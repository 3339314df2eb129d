package io.leasehold.tck.history;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leasehold.core.ObjectStore;
import io.leasehold.driver.file.FileDriver;
import io.leasehold.test.FaultInjectingDriver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The history checker on the file store from three JVMs at once (this one and two
 * {@link FileHistoryWorker}s), each behind its own fault-injecting driver: counters through
 * {@code update} (coalesced, alone and mixed), an A→B→A register through conditional puts, creates,
 * overwrites and conditional deletes, all on the same keys. The children write their parts; this
 * JVM merges them with its own and checks the whole. {@code -Dleasehold.history.big=true} runs
 * 10^5 operations.
 */
@Timeout(value = 1, unit = TimeUnit.HOURS)
class FileHistoryTest {
    static final double FAULT_RATE = 0.15;
    private static final int JVMS = 3;
    private static final int PROCESSES_PER_JVM = 4;

    @TempDir
    Path tmp;

    @Test
    void historyFromThreeJvmsUnderInjectedFaultsIsLinearizable() throws Exception {
        int operations = HistoryWorkload.operationsFromSystem();
        Path root = Files.createDirectories(tmp.resolve("store"));
        Path work = Files.createDirectories(tmp.resolve("work"));
        FileDriver.open(root).close(); // the store's format marker exists before the JVMs race
        HistoryWorkload workload = HistoryWorkload.builder("file").processPrefix("jvm0-").processes(PROCESSES_PER_JVM)
                .operationsPerProcess(-Math.floorDiv(-operations, JVMS * PROCESSES_PER_JVM)).expectedTotal(operations).seed(13)
                .build();
        FaultInjectingDriver faults = FaultInjectingDriver.wrap(FileDriver.open(root));
        List<HistoryPart> parts = new ArrayList<>();
        try (ObjectStore store = ObjectStore.of(faults);
             HistoryWorkers children = HistoryWorkers.start(work, FileHistoryWorker.class, workload, JVMS - 1,
                     Map.of("LEASEHOLD_HISTORY_FILE_ROOT", root.toString()))) {
            children.release();
            parts.add(workload.toBuilder().faultHook(new InjectedFaults(faults, FAULT_RATE)).build().run(store));
            parts.addAll(children.await(Duration.ofMinutes(50)));
        }
        HistoryPart merged = HistoryPart.merge(parts);
        try (ObjectStore clean = ObjectStore.of(FileDriver.open(root))) {
            HistoryReport report = HistoryCheck.of(merged, workload, "file, " + JVMS + " JVMs").check(clean);
            System.out.println(report.summary());
            report.assertClean();
            assertTrue(report.operations() >= operations, report::figures);
            assertTrue(report.coalescedWrites() > 0, "some updates were coalesced");
        }
    }
}
