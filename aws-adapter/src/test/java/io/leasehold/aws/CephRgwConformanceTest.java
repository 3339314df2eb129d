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

/**
 * The whole TCK on a real Ceph RADOS Gateway (single-node memstore cluster on loopback) with the
 * {@link S3Profile#CEPH_RGW} profile and a client the driver builds, including the race and counter
 * cases: RGW evaluates conditional writes atomically. Skipped with a message when Ceph is not
 * installed, failed when CI requires it ({@link CephRgw}).
 */
@ExtendWith(CephRgw.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CephRgwConformanceTest implements ObjectsContract, ConditionsContract, ConcurrencyContract, UpdatesContract,
        LeasesContract, ListingContract, CopyContract {
    private ObjectStore store;

    @BeforeAll
    void open(CephRgw rgw) {
        store = ObjectStore.of(rgw.driverBuilder().build());
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

    @Override
    public int raceRounds() {
        return 10;
    }
}
