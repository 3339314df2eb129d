package io.leasehold.tck;

import io.leasehold.core.ObjectStore;
import io.leasehold.driver.file.FileDriver;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The whole TCK, leases included, on the file driver, in a fresh directory (fsync on, as in production). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FileStoreConformanceTest
        implements ObjectsContract, ConditionsContract, ConcurrencyContract, UpdatesContract, LeasesContract,
        ListingContract, CopyContract {
    @TempDir
    static Path dir;
    private ObjectStore store;

    @BeforeAll
    void open() {
        store = ObjectStore.of(FileDriver.open(dir));
    }

    @Override
    public ObjectStore objectStore() {
        return store;
    }

    @AfterAll
    void close() {
        store.close();
    }
}
