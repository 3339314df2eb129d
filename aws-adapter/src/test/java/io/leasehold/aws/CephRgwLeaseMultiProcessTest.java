package io.leasehold.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.leasehold.core.ObjectStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several JVMs take turns under one emulated lease on Ceph RGW: never two holders at once (a local
 * marker file created exclusively by each holder) and no update lost by unconditional writes made
 * under the lease (the exact counter), as {@code FileLeaseMultiProcessTest} does for the file store.
 */
@ExtendWith(CephRgw.class)
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class CephRgwLeaseMultiProcessTest {
    @TempDir
    Path tmp;

    @Test
    void processesNeverHoldTheLeaseTogether(CephRgw rgw) throws Exception {
        int processes = 4;
        int turns = 10;
        String prefix = "lease-processes/" + UUID.randomUUID();
        Path markers = Files.createDirectories(tmp.resolve("markers"));
        Path start = tmp.resolve("start");
        try (ObjectStore store = ObjectStore.of(rgw.driverBuilder().prefix(prefix).build())) {
            store.put("counter", "0".getBytes(StandardCharsets.UTF_8));
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> workers = new ArrayList<>();
        List<Path> outs = new ArrayList<>();
        long started = System.nanoTime();
        try {
            for (int i = 0; i < processes; i++) {
                Path out = tmp.resolve("w" + i + ".out");
                outs.add(out);
                ProcessBuilder pb = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx96m",
                        "-cp", System.getProperty("java.class.path"), S3LeaseWorker.class.getName(),
                        prefix, markers.toString(), start.toString(), Integer.toString(turns))
                        .redirectOutput(out.toFile()).redirectError(tmp.resolve("w" + i + ".err").toFile());
                pb.environment().put("LEASEHOLD_RGW_ENDPOINT", rgw.endpoint().toString());
                pb.environment().put("LEASEHOLD_RGW_ACCESS_KEY", rgw.credentials().resolveCredentials().accessKeyId());
                pb.environment().put("LEASEHOLD_RGW_SECRET_KEY", rgw.credentials().resolveCredentials().secretAccessKey());
                workers.add(pb.start());
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
            try (ObjectStore store = ObjectStore.of(rgw.driverBuilder().prefix(prefix).build())) {
                counter = Long.parseLong(new String(store.get("counter").content(), StandardCharsets.UTF_8));
            }
            System.out.printf("[leases] s3 (RGW), %d processes x %d turns under one lease: counter %d, overlaps %d,"
                    + " %d s%n", processes, turns, counter, overlaps,
                    TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
            assertEquals(0, overlaps, "two processes held the lease at once");
            assertEquals(processes * turns, counter, "an update made under the lease was lost");
        } finally {
            workers.forEach(Process::destroyForcibly);
        }
    }
}
