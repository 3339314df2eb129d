package io.leasehold.tck;

import io.leasehold.core.ObjectStore;
import io.leasehold.driver.memory.MemoryDriver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;

/** Large objects on the memory driver (parts buffered, committed as one put; ranged reads of the stored bytes). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MemoryLargeObjectsTest implements LargeObjectsContract {
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
