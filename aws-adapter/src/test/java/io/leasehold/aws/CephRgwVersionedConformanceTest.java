package io.leasehold.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leasehold.core.Capability;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.PutResult;
import io.leasehold.tck.ConcurrencyContract;
import io.leasehold.tck.ConditionsContract;
import io.leasehold.tck.CopyContract;
import io.leasehold.tck.LeasesContract;
import io.leasehold.tck.ListingContract;
import io.leasehold.tck.ObjectsContract;
import io.leasehold.tck.UpdatesContract;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The whole TCK on a Ceph RGW bucket with versioning enabled ({@code versioned=true}, profile
 * {@code ceph-rgw}). RGW 16 evaluates PutObject conditions there against the version being
 * written, so create-if-absent, If-Match and replace-if-present puts (and {@code update}) are not
 * declared and the contracts assert {@link io.leasehold.core.NotSupportedException}; everything
 * else (plain puts, read conditions, deletes, version ids) must conform.
 */
@ExtendWith(CephRgw.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CephRgwVersionedConformanceTest implements ObjectsContract, ConditionsContract, ConcurrencyContract,
        UpdatesContract, LeasesContract,
        ListingContract, CopyContract {
    private ObjectStore store;

    @BeforeAll
    void open(CephRgw rgw) {
        rgw.ensureVersionedBucket();
        store = ObjectStore.of(S3Driver.builder().bucket(CephRgw.VERSIONED_BUCKET).profile(S3Profile.CEPH_RGW)
                .versionedBucket(true).endpoint(rgw.endpoint()).credentialsProvider(rgw.credentials()).build());
    }

    @AfterAll
    void close() {
        if (store != null) {
            store.close();
        }
    }

    @Override
    public ObjectStore objectStore() {
        return store;
    }

    /** Defect 9 at the wire: why the capabilities are withheld (if RGW ever fixes it, this fails first). */
    @Test
    void rgwEvaluatesPutConditionsAgainstTheNewVersionSoTheyAreNotDeclared(CephRgw rgw) {
        try (S3Client raw = rgw.rawClient()) {
            String key = "tck/versioned-conditions/" + UUID.randomUUID();
            String etag = raw.putObject(b -> b.bucket(CephRgw.VERSIONED_BUCKET).key(key).ifNoneMatch("*"),
                    RequestBody.fromString("first")).eTag();
            assertEquals(200, status(() -> raw.putObject(b -> b.bucket(CephRgw.VERSIONED_BUCKET).key(key).ifNoneMatch("*"),
                    RequestBody.fromString("second"))), "If-None-Match: * is not enforced: a second create succeeds");
            String quoted = raw.headObject(b -> b.bucket(CephRgw.VERSIONED_BUCKET).key(key)).eTag();
            assertTrue(!quoted.equals(etag), "the second create replaced the first");
            String bare = quoted.replace("\"", "");
            assertEquals(412, status(() -> raw.putObject(b -> b.bucket(CephRgw.VERSIONED_BUCKET).key(key).ifMatch(bare),
                    RequestBody.fromString("third"))), "If-Match with the current ETag (bare form) still fails");
            assertEquals(412, status(() -> raw.putObject(b -> b.bucket(CephRgw.VERSIONED_BUCKET).key(key).ifMatch(quoted),
                    RequestBody.fromString("third"))), "and in the quoted form");
        }
        assertTrue(store.capabilities().supports(Capability.VERSION_IDS));
        assertFalse(store.capabilities().supports(Capability.PUT_IF_ABSENT));
        assertFalse(store.capabilities().supports(Capability.PUT_IF_MATCH));
        PutResult put = store.put(UUID.randomUUID().toString(), "v".getBytes());
        assertTrue(put.version().versionId().isPresent(), "versions carry version ids");
    }

    private static int status(Runnable call) {
        try {
            call.run();
            return 200;
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            return e.statusCode();
        }
    }
}
