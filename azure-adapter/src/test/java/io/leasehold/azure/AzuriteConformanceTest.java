package io.leasehold.azure;

import io.leasehold.core.ObjectStore;
import io.leasehold.tck.ConcurrencyContract;
import io.leasehold.tck.ConditionsContract;
import io.leasehold.tck.CopyContract;
import io.leasehold.tck.LeasesContract;
import io.leasehold.tck.ListingContract;
import io.leasehold.tck.ObjectsContract;
import io.leasehold.tck.UpdatesContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The whole TCK on Azurite, native leases included (Azurite is atomic under races: 30/30 rounds
 * with one winner, see SERVERS.md).
 */
@ExtendWith(AzuriteExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AzuriteConformanceTest implements ObjectsContract, ConditionsContract, ConcurrencyContract, UpdatesContract,
        LeasesContract, ListingContract, CopyContract {
    private ObjectStore store;

    @Override
    public synchronized ObjectStore objectStore() {
        if (store == null) {
            store = AzuriteExtension.uniqueStore("tck");
        }
        return store;
    }

    @AfterAll
    void close() {
        if (store != null) {
            store.close();
        }
    }
}
