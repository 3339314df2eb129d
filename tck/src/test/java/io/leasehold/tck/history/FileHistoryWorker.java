package io.leasehold.tck.history;

import io.leasehold.core.ObjectStore;
import io.leasehold.driver.file.FileDriver;
import io.leasehold.test.FaultInjectingDriver;
import java.nio.file.Path;

/**
 * A child JVM of {@link FileHistoryTest}: its share of the history workload on the file store in
 * {@code LEASEHOLD_HISTORY_FILE_ROOT}, behind its own fault-injecting driver.
 */
public final class FileHistoryWorker {
    private FileHistoryWorker() {
    }

    public static void main(String[] args) {
        HistoryWorkers.Child child = HistoryWorkers.child(args);
        FaultInjectingDriver faults = FaultInjectingDriver.wrap(FileDriver.open(Path.of(System.getenv("LEASEHOLD_HISTORY_FILE_ROOT"))));
        try (ObjectStore store = ObjectStore.of(faults)) {
            HistoryWorkload workload = child.workload().toBuilder().faultHook(new InjectedFaults(faults, FileHistoryTest.FAULT_RATE))
                    .build();
            child.awaitRelease();
            child.finish(workload.run(store));
        }
        System.exit(0);
    }
}
