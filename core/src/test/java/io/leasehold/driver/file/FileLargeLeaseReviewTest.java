package io.leasehold.driver.file;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.leasehold.core.lease.Lease;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.PutOptions;
import io.leasehold.spi.StagedUpload;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Review finding: a lease operation on the file store reads the whole object into memory and
 * rewrites it, so a large object (here a sparse one of 2 GiB + 1 byte, written by a streaming put)
 * can be neither leased nor, below 2 GiB, leased without holding all of it in the heap. (Even
 * fixed, each lease operation copies the object file: this test writes 2 GiB, about 5 s.)
 */
class FileLargeLeaseReviewTest {
    @TempDir
    Path dir;

    @Test
    void aLargeObjectCanBeLeased() {
        FileDriver driver = FileDriver.builder(dir).fsync(false).build();
        long gib = 1L << 30;
        long size = 2 * gib + 1;
        // A streaming put whose only written part is the last: the file is sparse, nothing large is written.
        StagedUpload upload = driver.startUpload("big", PutOptions.defaults(), size, gib);
        upload.uploadPart(3, new byte[] {42}, 1);
        upload.commit(3, size, null);
        try (ObjectStore store = ObjectStore.of(driver)) {
            assertEquals(size, store.head("big").info().size());
            Lease lease = store.leases().acquire("big", io.leasehold.core.lease.LeaseOptions.builder()
                    .duration(Duration.ofSeconds(15)).build());
            assertEquals("big", lease.key());
            assertEquals(size, store.head("big").info().size());
            assertEquals(io.leasehold.core.lease.LeaseState.LEASED, store.leases().status("big").state());
        }
    }
}
