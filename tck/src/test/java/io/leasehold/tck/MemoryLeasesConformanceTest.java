package io.leasehold.tck;

import io.leasehold.core.ObjectStore;
import io.leasehold.driver.memory.MemoryDriver;

/** The lease suite on the memory driver. */
class MemoryLeasesConformanceTest implements LeasesContract {
    private static final ObjectStore STORE = ObjectStore.of(MemoryDriver.create());

    @Override
    public ObjectStore store() {
        return STORE;
    }
}
