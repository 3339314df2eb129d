package io.leasehold.aws;

import io.leasehold.core.lease.Lease;
import io.leasehold.core.lease.LeaseOptions;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.PutOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * A separate JVM taking turns under one emulated lease on Ceph RGW, started by
 * {@link CephRgwLeaseMultiProcessTest}: N times, wait for the lease, claim the local marker file
 * {@code inside} (CREATE_NEW, so a second holder at the same time cannot), increment the counter
 * object without If-Match under the lease, give the marker up, release. Prints
 * {@code DONE turns overlaps}. The gateway comes from {@code LEASEHOLD_RGW_*} in the environment.
 *
 * <pre>
 * S3LeaseWorker PREFIX MARKER_DIR START_FILE N
 * </pre>
 * Exit code 0 on success, 1 on any unexpected failure.
 */
public final class S3LeaseWorker {
    private S3LeaseWorker() {
    }

    public static void main(String[] args) throws Exception {
        String prefix = args[0];
        Path inside = Path.of(args[1]).resolve("inside");
        Path start = Path.of(args[2]);
        int turns = Integer.parseInt(args[3]);
        S3Driver driver = S3Driver.builder().bucket(CephRgw.BUCKET).prefix(prefix).profile(S3Profile.CEPH_RGW)
                .endpoint(URI.create(System.getenv("LEASEHOLD_RGW_ENDPOINT")))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        System.getenv("LEASEHOLD_RGW_ACCESS_KEY"), System.getenv("LEASEHOLD_RGW_SECRET_KEY"))))
                .build();
        while (!Files.exists(start)) {
            Thread.sleep(2);
        }
        int overlaps = 0;
        try (ObjectStore store = ObjectStore.of(driver)) {
            LeaseOptions options = LeaseOptions.builder().duration(Duration.ofSeconds(15))
                    .waitUpTo(Duration.ofSeconds(120)).build();
            for (int t = 0; t < turns; t++) {
                Lease lease = store.leases().acquire("counter",
                        options.toBuilder().proposedId(UUID.randomUUID().toString()).build());
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
