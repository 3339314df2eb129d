package io.leasehold.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.leasehold.core.ObjectStore;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LargeObjectSampleTest {
    @TempDir
    Path dir;

    @Test
    void publishesOnceAndReadsBack() throws Exception {
        byte[] content = new byte[(40 << 20) + 7];
        new Random(3).nextBytes(content);
        Path file = dir.resolve("model.bin");
        Files.write(file, content);
        try (ObjectStore store = ObjectStore.open(dir.resolve("store").toUri().toString())) {
            assertNotNull(LargeObjectSample.publishOnce(store, "models/v1", file));
            assertNull(LargeObjectSample.publishOnce(store, "models/v1", file), "the second publish finds it taken");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertEquals("none", LargeObjectSample.copyTo(store, "models/v1", out), "the file store keeps no checksum");
            assertArrayEquals(content, out.toByteArray());
            Path copy = dir.resolve("copy.bin");
            assertEquals(content.length, LargeObjectSample.download(store, "models/v1", copy).info().size());
            assertArrayEquals(content, Files.readAllBytes(copy));
        }
        assertEquals(0, Files.list(dir.resolve("store").resolve("uploads")).count(), "the losing upload left nothing");
    }
}
