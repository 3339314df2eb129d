package io.leasehold.aws;

import io.leasehold.core.ObjectStore;
import io.leasehold.tck.LargeObjectsContract;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/**
 * Large objects on Ceph RGW 16.2 with the {@code ceph-rgw} profile: multipart uploads (5 MiB parts, objects of
 * two parts: a memstore RGW of 1 GiB frees overwritten bytes only after its garbage collection delay),
 * ranged reads pinned with If-Match, MD5-of-parts verification. RGW ignores conditions on
 * CompleteMultipartUpload, so the conditional cases assert the refusal before uploading; leftover
 * multipart uploads are counted with ListMultipartUploads.
 */
@ExtendWith(CephRgw.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CephRgwLargeObjectsTest implements LargeObjectsContract {
    private ObjectStore store;
    private S3Client raw;

    @BeforeAll
    void open(CephRgw rgw) {
        store = ObjectStore.of(rgw.driverBuilder().build());
        raw = rgw.rawClient();
    }

    @AfterAll
    void close() {
        if (store != null) {
            store.close();
        }
        if (raw != null) {
            raw.close();
        }
    }

    @Override
    public ObjectStore objectStore() {
        return store;
    }

    @Override
    public int partSize() {
        return 5 << 20;
    }

    /** Two parts: the shared memstore RGW reclaims overwritten bytes only hours later. */
    @Override
    public int largeSize() {
        return partSize() + partSize() / 2;
    }

    @Override
    public int tornReadObjectSize() {
        return 512 * 1024;
    }

    @Override
    public int overwriteRacers() {
        return 2;
    }

    @Override
    public OptionalInt stagedLeft(String key) {
        int uploads = 0;
        for (MultipartUpload u : raw.listMultipartUploads(b -> b.bucket(CephRgw.BUCKET).prefix(key)).uploads()) {
            if (u.key().equals(key)) {
                uploads++;
            }
        }
        return OptionalInt.of(uploads);
    }

    @Override
    public Optional<String> expectedChecksum(int parts) {
        return Optional.of("MD5 of " + parts + " MD5s");
    }

    @Override
    public int tornReadRounds() {
        return 3;
    }
}
