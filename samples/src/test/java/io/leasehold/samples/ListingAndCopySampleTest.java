package io.leasehold.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.leasehold.core.ObjectNotFoundException;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.PutResult;
import io.leasehold.driver.memory.MemoryDriver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ListingAndCopySampleTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(ObjectStore store, String key) {
        return new String(store.get(key).content(), StandardCharsets.UTF_8);
    }

    private static void everything(ObjectStore store) {
        store.put("reports/2025/q4.csv", bytes("12345"));
        store.put("reports/2026/q1.csv", bytes("123"));
        store.put("reports/2026/q2.csv", bytes("1234"));
        store.put("reports/readme", bytes("x"));
        assertEquals(7, ListingAndCopySample.totalSize(store, "reports/2026/"));
        assertEquals(List.of("reports/2025/", "reports/2026/"), ListingAndCopySample.subdirectories(store, "reports/"));

        store.put("staging/model", bytes("v1"));
        assertNotNull(ListingAndCopySample.publishIfAbsent(store, "staging/model", "models/current"));
        store.put("staging/model", bytes("v2"));
        assertNull(ListingAndCopySample.publishIfAbsent(store, "staging/model", "models/current"), "taken");
        assertEquals("v1", text(store, "models/current"));

        PutResult reviewed = store.put("staging/page", bytes("reviewed"));
        PutResult liveBefore = store.put("live/page", bytes("old"));
        store.put("live/page", bytes("hotfix"));
        assertNull(ListingAndCopySample.promote(store, "staging/page", reviewed.version(), "live/page",
                liveBefore.version()), "the live page changed during the review");
        assertEquals("hotfix", text(store, "live/page"));
        PutResult liveNow = store.put("live/page", bytes("hotfix 2"));
        assertNotNull(ListingAndCopySample.promote(store, "staging/page", reviewed.version(), "live/page",
                liveNow.version()));
        assertEquals("reviewed", text(store, "live/page"));

        store.put("inbox/a", bytes("A"));
        store.put("inbox/b", bytes("B"));
        assertEquals(List.of("inbox/a", "inbox/b"), ListingAndCopySample.moveAll(store, "inbox/", "archive/"));
        assertEquals("B", text(store, "archive/b"));
        assertThrows(ObjectNotFoundException.class, () -> store.head("inbox/a"));
    }

    @Test
    void onTheMemoryStore() {
        try (ObjectStore store = ObjectStore.of(MemoryDriver.create())) {
            everything(store);
        }
    }

    @Test
    void onTheFileStore(@TempDir Path dir) {
        try (ObjectStore store = ObjectStore.open(dir.toUri().toString())) {
            everything(store);
        }
    }
}
