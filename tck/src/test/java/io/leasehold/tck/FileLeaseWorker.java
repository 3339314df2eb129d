package io.leasehold.tck;

import io.leasehold.core.lease.Lease;
import io.leasehold.core.lease.LeaseOptions;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.PutOptions;
import io.leasehold.driver.file.FileDriver;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

/**
 * A separate JVM taking turns under one lease on a file store, started by
 * {@link FileLeaseMultiProcessTest}: N times, wait for the lease, claim the marker file
 * {@code inside} (CREATE_NEW, so a second holder at the same time cannot), increment the counter
 * without If-Match under the lease, give the marker up, release. Prints {@code DONE turns overlaps}.
 *
 * <pre>
 * FileLeaseWorker STORE MARKER_DIR START_FILE N
 * </pre>
 * Exit code 0 on success, 1 on any unexpected failure.
 */
public final class FileLeaseWorker {
    private FileLeaseWorker() {
    }

    public static void main(String[] args) throws Exception {
        Path storeDir = Path.of(args[0]);
        Path inside = Path.of(args[1]).resolve("inside");
        Path start = Path.of(args[2]);
        int turns = Integer.parseInt(args[3]);
        while (!Files.exists(start)) {
            Thread.sleep(2);
        }
        int overlaps = 0;
        try (ObjectStore store = ObjectStore.of(FileDriver.builder(storeDir).build())) {
            LeaseOptions options = LeaseOptions.builder().duration(Duration.ofSeconds(15))
                    .waitUpTo(Duration.ofSeconds(120)).build();
            for (int t = 0; t < turns; t++) {
                Lease lease = store.leases().acquire("counter", options.toBuilder().proposedId(UUID.randomUUID().toString()).build());
                try {
                    Files.createFile(inside);
                } catch (FileAlreadyExistsException overlap) {
                    overlaps++;
                }
                long value = Long.parseLong(new String(store.get("counter").content(), StandardCharsets.UTF_8));
                store.put("counter", Long.toString(value + 1).getBytes(StandardCharsets.UTF_8),
                        PutOptions.builder().leaseId(lease.id()).build());
                Files.deleteIfExists(inside);
                store.leases().release(lease);
            }
        }
        System.out.println("DONE " + turns + " " + overlaps);
        System.exit(0);
    }
}
