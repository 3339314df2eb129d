package io.leasehold.driver.file;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leasehold.core.ErrorCode;
import io.leasehold.core.GetResult;
import io.leasehold.core.InvalidArgumentException;
import io.leasehold.core.ObjectAlreadyExistsException;
import io.leasehold.core.ObjectInfo;
import io.leasehold.core.ObjectNotFoundException;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.ObjectStoreException;
import io.leasehold.core.PutMode;
import io.leasehold.core.PutOptions;
import io.leasehold.core.PutResult;
import io.leasehold.driver.memory.MemoryDriver;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class FileDriverTest {
    @TempDir
    Path dir;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void dataSurvivesARestart() {
        PutResult written;
        try (ObjectStore store = ObjectStore.of(FileDriver.open(dir))) {
            written = store.put("a/b", bytes("persisted"), PutOptions.builder().contentType("text/plain")
                    .metadata("owner", "me").build());
        }
        try (ObjectStore reopened = ObjectStore.of(FileDriver.open(dir))) {
            GetResult got = reopened.get("a/b");
            assertEquals("persisted", new String(got.content(), StandardCharsets.UTF_8));
            ObjectInfo info = got.info();
            assertEquals(written.version(), info.version());
            assertEquals(written.lastModified().orElseThrow(), info.lastModified());
            assertEquals("text/plain", info.contentType().orElseThrow());
            assertEquals(Map.of("owner", "me"), info.userMetadata());
            assertThrows(ObjectAlreadyExistsException.class,
                    () -> reopened.put("a/b", bytes("x"), PutOptions.of(PutMode.create())));
        }
    }

    @Test
    void oneFilePerObjectNamedByKeyHash() throws IOException {
        FileDriver driver = FileDriver.open(dir);
        ObjectStore.of(driver).put("some key", bytes("x"));
        String hash = FileDriver.hash("some key");
        assertEquals(64, hash.length());
        Path file = dir.toRealPath().resolve("objects").resolve(hash.substring(0, 2)).resolve(hash.substring(2, 4))
                .resolve(hash + ".obj");
        assertTrue(Files.isRegularFile(file));
        try (Stream<Path> all = Files.walk(dir.resolve("objects"))) {
            assertEquals(1, all.filter(Files::isRegularFile).count());
        }
        assertTrue(Files.isRegularFile(dir.resolve(FileDriver.MARKER)));
        assertEquals(dir.toRealPath(), driver.unwrap(Path.class).orElseThrow());
        assertSame(driver, driver.unwrap(FileDriver.class).orElseThrow());
        assertTrue(driver.unwrap(MemoryDriver.class).isEmpty());
    }

    @Test
    void leftoverTemporaryFilesAreIgnoredAndCleanedByTheNextWrite() throws IOException {
        ObjectStore store = ObjectStore.of(FileDriver.open(dir));
        store.put("k", bytes("v1"));
        String hash = FileDriver.hash("k");
        Path shard = dir.resolve("objects").resolve(hash.substring(0, 2)).resolve(hash.substring(2, 4));
        Path leftover = shard.resolve("." + hash + ".deadbeef.tmp");
        Files.write(leftover, bytes("half a wri")); // a writer crashed before its rename
        Path otherKeys = shard.resolve(".0000.cafe.tmp");
        Files.write(otherKeys, bytes("not ours"));

        assertEquals("v1", new String(store.get("k").content(), StandardCharsets.UTF_8), "readers ignore temp files");
        store.put("k", bytes("v2"));
        assertFalse(Files.exists(leftover), "the next write of the key removes its leftovers");
        assertTrue(Files.exists(otherKeys), "other keys' files are left alone");
        assertEquals("v2", new String(store.get("k").content(), StandardCharsets.UTF_8));
    }

    @Test
    void aDamagedFileIsReportedNotServed() throws IOException {
        FileDriver driver = FileDriver.open(dir);
        ObjectStore store = ObjectStore.of(driver);
        store.put("k", bytes("0123456789"));
        Path file = driver.objectFile(FileDriver.hash("k"));
        byte[] whole = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(whole, whole.length - 3));
        ObjectStoreException e = assertThrows(ObjectStoreException.class, () -> store.get("k"));
        assertEquals(ErrorCode.UNKNOWN, e.code());
        assertTrue(e.getMessage().contains("header says"), e.getMessage());
        Files.write(file, bytes("garbage"));
        assertThrows(ObjectStoreException.class, () -> store.head("k"));
    }

    @Test
    void unknownHeaderFieldsAreToleratedAndCarriedOver() throws IOException {
        FileDriver driver = FileDriver.open(dir);
        ObjectStore store = ObjectStore.of(driver);
        store.put("k", bytes("v1"));
        String hash = FileDriver.hash("k");
        // Simulate a later version that keeps per-key state (e.g. a lease) in the header.
        driver.locked("k", hash, () -> {
            FileDriver.Stored s = driver.read("k", hash, true);
            ObjectNode lease = driver.json().createObjectNode().put("id", "abc").put("until", "2999-01-01T00:00:00Z");
            driver.write(hash, s.header.withExtra("lease", lease), s.content);
            return null;
        });
        assertEquals("v1", new String(store.get("k").content(), StandardCharsets.UTF_8));
        store.put("k", bytes("v2"));
        FileDriver.Stored after = driver.read("k", hash, true);
        assertEquals("abc", after.header.extra.get("lease").path("id").asText(), "per-key state survives a put");
        assertEquals("v2", new String(after.content, StandardCharsets.UTF_8));
        assertEquals(2, after.header.generation);
    }

    @Test
    void newerFormatsAreRefused() throws IOException {
        Files.writeString(dir.resolve(FileDriver.MARKER), "{\"format\":2}");
        ObjectStoreException e = assertThrows(ObjectStoreException.class, () -> FileDriver.open(dir));
        assertTrue(e.getMessage().contains("not supported"), e.getMessage());
    }

    @Test
    void aFileIsNotADirectory() throws IOException {
        Path file = Files.writeString(dir.resolve("plain"), "x");
        assertEquals("root", assertThrows(InvalidArgumentException.class, () -> FileDriver.open(file)).field());
    }

    @Test
    void everyWriteGetsANewETagEvenForIdenticalBytes() {
        ObjectStore store = ObjectStore.of(FileDriver.open(dir));
        PutResult a = store.put("k", bytes("same"));
        PutResult b = store.put("k", bytes("same"));
        assertFalse(a.version().sameAs(b.version()));
        store.delete("k");
        PutResult c = store.put("k", bytes("same"));
        assertFalse(a.version().sameAs(c.version()), "a re-created key does not reuse an ETag");
    }

    @Test
    void emptyAndBinaryContentRoundTrip() {
        ObjectStore store = ObjectStore.of(FileDriver.open(dir));
        byte[] binary = new byte[70_000];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) (i * 31);
        }
        store.put("bin", binary);
        store.put("empty", new byte[0]);
        assertArrayEquals(binary, store.get("bin").content());
        assertEquals(70_000, store.head("bin").info().size());
        assertArrayEquals(new byte[0], store.get("empty").content());
    }

    @Test
    void twoDriversInOneJvmShareTheLocks() throws Exception {
        List<FileDriver> drivers = List.of(FileDriver.open(dir), FileDriver.open(dir), FileDriver.builder(dir).fsync(false).build());
        for (int round = 0; round < 5; round++) {
            String key = "race-" + round;
            int n = 24;
            ExecutorService pool = Executors.newFixedThreadPool(n);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Boolean>> results = new ArrayList<>();
            try {
                for (int i = 0; i < n; i++) {
                    ObjectStore store = ObjectStore.of(drivers.get(i % drivers.size()));
                    results.add(pool.submit(() -> {
                        go.await();
                        try {
                            store.put(key, bytes("x"), PutOptions.of(PutMode.create()));
                            return true;
                        } catch (ObjectAlreadyExistsException e) {
                            return false;
                        }
                    }));
                }
                go.countDown();
                int winners = 0;
                for (Future<Boolean> f : results) {
                    winners += f.get(30, TimeUnit.SECONDS) ? 1 : 0;
                }
                assertEquals(1, winners, "round " + round);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void deleteRemovesTheFileAndMissingKeysAreNotFound() throws IOException {
        FileDriver driver = FileDriver.open(dir);
        ObjectStore store = ObjectStore.of(driver);
        store.put("k", bytes("x"));
        store.delete("k");
        assertFalse(Files.exists(driver.objectFile(FileDriver.hash("k"))));
        assertThrows(ObjectNotFoundException.class, () -> store.delete("k"));
        assertThrows(ObjectNotFoundException.class, () -> store.get("k"));
    }

    @Test
    void providerOpensFileUris() throws IOException {
        Path abs = dir.resolve("via uri");
        try (ObjectStore store = ObjectStore.open(abs.toUri().toString())) {
            assertEquals("file", store.driverName());
            store.put("k", bytes("x"));
        }
        assertTrue(Files.isDirectory(abs.resolve("objects")));
        try (ObjectStore store = ObjectStore.open("file://" + abs.toAbsolutePath().toString().replace(" ", "%20"))) {
            assertEquals("x", new String(store.get("k").content(), StandardCharsets.UTF_8));
        }
        assertEquals(Path.of("relative/dir"), FileDriverProvider.path(URI.create("file:relative/dir")));
        assertEquals(Path.of("/abs/dir"), FileDriverProvider.path(URI.create("file:///abs/dir")));
        assertEquals(Path.of("/abs/dir"), FileDriverProvider.path(URI.create("file://localhost/abs/dir")));
        for (String bad : List.of("file://server/share", "file:///x?y=1", "file:///x#frag")) {
            assertEquals("uri", assertThrows(InvalidArgumentException.class,
                    () -> FileDriverProvider.path(URI.create(bad))).field(), bad);
        }
    }

    @Test
    void aWriteIsOneAtomicRename() throws IOException {
        // The object file's bytes are: magic, header length, JSON header, content.
        FileDriver driver = FileDriver.open(dir);
        ObjectStore.of(driver).put("k", bytes("body"));
        byte[] raw = Files.readAllBytes(driver.objectFile(FileDriver.hash("k")));
        assertEquals("LHOB", new String(raw, 0, 4, StandardCharsets.US_ASCII));
        int headerLength = ByteBuffer.wrap(raw, 4, 4).getInt();
        String header = new String(raw, 8, headerLength, StandardCharsets.UTF_8);
        assertTrue(header.contains("\"key\":\"k\""), header);
        assertTrue(header.contains("\"format\":1"), header);
        assertEquals("body", new String(raw, 8 + headerLength, raw.length - 8 - headerLength, StandardCharsets.UTF_8));
    }
}
