package io.leasehold.aws;

import io.leasehold.core.ObjectStore;
import io.leasehold.tck.ConcurrencyContract;
import io.leasehold.tck.ConditionsContract;
import io.leasehold.tck.CopyContract;
import io.leasehold.tck.LeasesContract;
import io.leasehold.tck.ListingContract;
import io.leasehold.tck.ObjectsContract;
import io.leasehold.tck.UpdatesContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The TCK on S3Mock with the AWS profile, over a caller-supplied client (the driver adds its
 * per-request "no SDK retries" plugin). S3Mock's conditional writes are check-then-act, so the
 * race and counter cases are not run here ({@link #atomicUnderConcurrency()} is false); they run
 * on Ceph RGW ({@link CephRgwConformanceTest}). For the same reason the profile here offers no
 * leases (emulated leases are only as safe as atomic conditional writes): the lease contract
 * asserts {@code NotSupportedException}. S3Mock honours a copy's source If-Match but ignores the
 * target's conditions on CopyObject, so the profile copies server-side only unconditionally
 * ({@code conditionalCopy(false)}); conditional copies go through the client.
 */
@ExtendWith(S3MockServer.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3MockConformanceTest implements ObjectsContract, ConditionsContract, ConcurrencyContract, UpdatesContract,
        LeasesContract, ListingContract, CopyContract {
    private S3Client client;
    private ObjectStore store;

    @BeforeAll
    void open(S3MockServer server) {
        client = server.newClient();
        store = ObjectStore.of(S3Driver.builder().client(client).bucket(S3MockServer.BUCKET)
                .profile(S3Profile.AWS.toBuilder().emulatedLeases(false).conditionalCopy(false).build()).build());
    }

    @AfterAll
    void close() {
        store.close();
        client.close();
    }

    @Override
    public ObjectStore objectStore() {
        return store;
    }

    @Override
    public boolean atomicUnderConcurrency() {
        return false;
    }
}
