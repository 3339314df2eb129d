package io.leasehold.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.leasehold.core.GetOptions;
import io.leasehold.core.GetResult;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.PutMode;
import io.leasehold.core.PutOptions;
import io.leasehold.core.PutResult;
import io.leasehold.core.UpdateOptions;
import io.leasehold.driver.file.FileDriver;
import io.leasehold.driver.memory.MemoryDriver;
import io.leasehold.spi.StoreDriver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The memory and file stores have no wire: the facade's calls into the driver stand for requests, and
 * are asserted with the same budget as on S3 and Azure.
 */
class EmbeddedRequestCountTest {
    @TempDir
    Path dir;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static void assertBudget(StoreDriver raw) {
        CountingDriver driver = new CountingDriver(raw);
        try (ObjectStore store = ObjectStore.of(driver)) {
            long before = driver.requests();
            PutResult created = store.put("k", bytes("1"), PutOptions.of(PutMode.create()));
            assertEquals(1, driver.requests() - before, "create");
            before = driver.requests();
            store.put("k", bytes("2"), PutOptions.of(PutMode.update(created.version())));
            assertEquals(1, driver.requests() - before, "conditional put");
            before = driver.requests();
            GetResult read = store.get("k");
            assertEquals(1, driver.requests() - before, "get");
            before = driver.requests();
            store.get("k", GetOptions.builder().ifNoneMatch(read.info().version().etag()).build());
            assertEquals(1, driver.requests() - before, "conditional get");
            before = driver.requests();
            store.update("k", c -> bytes("3"));
            assertEquals(2, driver.requests() - before, "uncontended update");
            UpdateOptions fromHeld = UpdateOptions.builder().startingFrom(store.get("k")).build();
            before = driver.requests();
            store.update("k", c -> bytes("4"), fromHeld);
            assertEquals(1, driver.requests() - before, "update from a held version");
        }
    }

    @Test
    void memory() {
        assertBudget(MemoryDriver.create());
    }

    @Test
    void file() {
        assertBudget(FileDriver.open(dir));
    }
}
