package io.leasehold.driver.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leasehold.core.GetOptions;
import io.leasehold.core.lease.LeaseOptions;
import io.leasehold.core.ObjectNotFoundException;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.PutOptions;
import io.leasehold.core.transfer.TransferOptions;
import io.leasehold.core.UpdateResult;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file store's directory is created by its first write, never by opening it or reading from it:
 * a mistyped path must not turn into a new empty store that answers "no such key". A read of a
 * store whose directory does not exist fails with a NOT_FOUND that names the store and no key.
 */
@Timeout(60)
class FileDriverMissingStoreTest {
    @TempDir
    Path dir;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Every operation that needs the object to exist, by name. */
    private static Map<String, Consumer<ObjectStore>> readsAndUpdates() {
        Map<String, Consumer<ObjectStore>> ops = new LinkedHashMap<>();
        ops.put("get", s -> s.get("k"));
        ops.put("head", s -> s.head("k"));
        ops.put("openStream", s -> s.openStream("k").close());
        ops.put("delete", s -> s.delete("k"));
        ops.put("lease status", s -> s.leases().status("k"));
        ops.put("lease acquire", s -> s.leases().acquire("k", LeaseOptions.ofDuration(Duration.ofSeconds(15))));
        ops.put("lease renew", s -> s.leases().renew("k", "id-1"));
        ops.put("lease release", s -> s.leases().release("k", "id-1"));
        ops.put("lease break", s -> s.leases().breakLease("k"));
        ops.put("lease change", s -> s.leases().change("k", "id-1", "id-2"));
        return ops;
    }

    @Test
    void openingAndReadingAMissingStoreCreatesNothingAndNamesTheStore() {
        Path missing = dir.resolve("no").resolve("such").resolve("store");
        try (ObjectStore store = ObjectStore.of(FileDriver.open(missing))) {
            for (Map.Entry<String, Consumer<ObjectStore>> op : readsAndUpdates().entrySet()) {
                ObjectNotFoundException e = assertThrows(ObjectNotFoundException.class, () -> op.getValue().accept(store),
                        op.getKey());
                assertTrue(e.key().isEmpty(), op.getKey() + ": the store is missing, not a key: " + e.getMessage());
                assertTrue(e.getMessage().contains(missing.toString()), op.getKey() + " names the store: " + e.getMessage());
                assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
            }
        }
        assertFalse(Files.exists(dir.resolve("no")), "no directory was created");
    }

    @Test
    void getToFileOfAMissingStoreCreatesNoTarget() {
        Path missing = dir.resolve("missing");
        Path target = dir.resolve("out.bin");
        try (ObjectStore store = ObjectStore.of(FileDriver.open(missing))) {
            ObjectNotFoundException e = assertThrows(ObjectNotFoundException.class,
                    () -> store.getToFile("k", target, GetOptions.defaults()));
            assertTrue(e.key().isEmpty(), e.getMessage());
        }
        assertFalse(Files.exists(missing));
        assertFalse(Files.exists(target));
    }

    @Test
    void readingAnEmptyDirectoryLeavesItEmptyAndMissingKeysAreKeys() throws IOException {
        try (ObjectStore store = ObjectStore.of(FileDriver.open(dir))) {
            for (Map.Entry<String, Consumer<ObjectStore>> op : readsAndUpdates().entrySet()) {
                ObjectNotFoundException e = assertThrows(ObjectNotFoundException.class, () -> op.getValue().accept(store),
                        op.getKey());
                assertEquals("k", e.key().orElse(null), op.getKey() + ": " + e.getMessage());
            }
        }
        try (Stream<Path> entries = Files.list(dir)) {
            assertEquals(List.of(), entries.toList(), "reads wrote nothing into the directory");
        }
    }

    @Test
    void theFirstWriteCreatesTheStore() {
        Path missing = dir.resolve("a").resolve("b");
        try (ObjectStore store = ObjectStore.of(FileDriver.open(missing))) {
            store.put("k", bytes("v"));
            assertTrue(Files.isRegularFile(missing.resolve(FileDriver.MARKER)));
            assertEquals("v", new String(store.get("k").content(), StandardCharsets.UTF_8));
            store.delete("k");
        }
        try (ObjectStore reopened = ObjectStore.of(FileDriver.open(missing))) {
            assertEquals("k", assertThrows(ObjectNotFoundException.class, () -> reopened.get("k")).key().orElse(null));
        }
    }

    @Test
    void aStreamingPutCreatesTheStore() throws IOException {
        Path missing = dir.resolve("streamed");
        byte[] content = new byte[3000];
        try (ObjectStore store = ObjectStore.of(FileDriver.open(missing))) {
            store.put("big", new ByteArrayInputStream(content), content.length, PutOptions.defaults(),
                    TransferOptions.builder().partSize(1024).build());
            assertEquals(content.length, store.head("big").info().size());
        }
    }

    @Test
    void anUpdateAndALeaseWithCreateCreateTheStore() {
        Path missing = dir.resolve("updated");
        try (ObjectStore store = ObjectStore.of(FileDriver.open(missing))) {
            UpdateResult r = store.update("counter", current -> bytes("1"));
            assertEquals(1, r.attempts());
        }
        Path leased = dir.resolve("leased");
        try (ObjectStore store = ObjectStore.of(FileDriver.open(leased))) {
            store.leases().acquire("k", LeaseOptions.builder().duration(Duration.ofSeconds(15)).createIfAbsent(true).build());
            assertTrue(Files.isDirectory(leased));
        }
    }

    @Test
    void driversOpenedBeforeAndAfterTheStoreExistedShareItsLocks() throws Exception {
        // The in-JVM lock stripes are keyed by the store's real path: a driver opened on the missing
        // directory (here through a symbolic link) must key them like one opened once it exists.
        Path real = Files.createDirectory(dir.resolve("real"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), real);
        FileDriver early = FileDriver.open(link.resolve("store"));
        early.put("seed", bytes("0"), PutOptions.defaults());
        FileDriver late = FileDriver.open(real.resolve("store"));
        assertEquals(late.root(), early.root());

        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                ObjectStore store = ObjectStore.of(i % 2 == 0 ? early : late);
                done.add(pool.submit(() -> {
                    for (int n = 0; n < 25; n++) {
                        store.update("counter", current -> bytes(Integer.toString(current == null ? 1
                                : Integer.parseInt(new String(current, StandardCharsets.UTF_8)) + 1)));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals("100", new String(ObjectStore.of(late).get("counter").content(), StandardCharsets.UTF_8));
    }
}
