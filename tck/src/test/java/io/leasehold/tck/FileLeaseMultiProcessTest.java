package io.leasehold.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.leasehold.core.ObjectStore;
import io.leasehold.driver.file.FileDriver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several JVMs take turns under one lease on a file store: never two holders at once (a marker
 * file created exclusively by each holder) and no update lost by unconditional writes made under
 * the lease.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class FileLeaseMultiProcessTest {
    @TempDir
    Path tmp;

    @Test
    void processesNeverHoldTheLeaseTogether() throws Exception {
        int processes = 4;
        int turns = 10;
        Path storeDir = tmp.resolve("store");
        Path markers = Files.createDirectories(tmp.resolve("markers"));
        Path start = tmp.resolve("start");
        try (ObjectStore store = ObjectStore.of(FileDriver.open(storeDir))) {
            store.put("counter", "0".getBytes(StandardCharsets.UTF_8));
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> workers = new ArrayList<>();
        List<Path> outs = new ArrayList<>();
        try {
            for (int i = 0; i < processes; i++) {
                Path out = tmp.resolve("w" + i + ".out");
                outs.add(out);
                workers.add(new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx64m",
                        "-cp", System.getProperty("java.class.path"), FileLeaseWorker.class.getName(),
                        storeDir.toString(), markers.toString(), start.toString(), Integer.toString(turns))
                        .redirectOutput(out.toFile()).redirectError(tmp.resolve("w" + i + ".err").toFile()).start());
            }
            Files.createFile(start);
            int overlaps = 0;
            for (int i = 0; i < processes; i++) {
                Process p = workers.get(i);
                if (!p.waitFor(200, TimeUnit.SECONDS)) {
                    fail("worker " + i + " did not finish");
                }
                assertEquals(0, p.exitValue(), Files.readString(tmp.resolve("w" + i + ".err")));
                String[] done = Files.readString(outs.get(i)).trim().split(" ");
                assertEquals("DONE", done[0]);
                assertEquals(turns, Integer.parseInt(done[1]));
                overlaps += Integer.parseInt(done[2]);
            }
            long counter;
            try (ObjectStore store = ObjectStore.of(FileDriver.open(storeDir))) {
                counter = Long.parseLong(new String(store.get("counter").content(), StandardCharsets.UTF_8));
            }
            System.out.printf("[leases] file, %d processes x %d turns under one lease: counter %d, overlaps %d%n",
                    processes, turns, counter, overlaps);
            assertEquals(0, overlaps, "two processes held the lease at once");
            assertEquals(processes * turns, counter, "an update made under the lease was lost");
        } finally {
            workers.forEach(Process::destroyForcibly);
        }
    }
}
