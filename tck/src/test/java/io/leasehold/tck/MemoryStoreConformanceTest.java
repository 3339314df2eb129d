package io.leasehold.tck;

import io.leasehold.core.ObjectStore;
import io.leasehold.driver.memory.MemoryDriver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;

/** The whole TCK, leases included, on the reference memory driver. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MemoryStoreConformanceTest
        implements ObjectsContract, ConditionsContract, ConcurrencyContract, UpdatesContract, LeasesContract,
        ListingContract, CopyContract {
    private final ObjectStore store = ObjectStore.of(MemoryDriver.create());

    @Override
    public ObjectStore objectStore() {
        return store;
    }

    @AfterAll
    void close() {
        store.close();
    }
}
