package io.leasehold.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leasehold.core.ObjectStore;
import io.leasehold.core.UpdateResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The manual's everyday examples, on the memory store and on a file store. */
class EverydayApiSampleTest {
    @TempDir
    Path dir;

    private ObjectStore open(String kind) {
        return ObjectStore.open(kind.equals("mem") ? "mem://everyday-" + java.util.UUID.randomUUID() : "file://" + dir.toAbsolutePath());
    }

    @ParameterizedTest
    @ValueSource(strings = {"mem", "file"})
    void typedSettingsAreReadModifiedAndWritten(String kind) {
        try (ObjectStore store = open(kind)) {
            assertEquals(new EverydayApiSample.Settings("light", 14), EverydayApiSample.typedSettings(store));
            String json = new String(store.get("settings.json").content(), StandardCharsets.UTF_8);
            assertTrue(json.contains("\"fontSize\":14"), json);
            assertEquals("application/json", store.head("settings.json").info().contentType().orElseThrow());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mem", "file"})
    void aSecondClaimWritesNothing(String kind) {
        try (ObjectStore store = open(kind)) {
            UpdateResult first = EverydayApiSample.claimOnce(store, "leader", "a");
            UpdateResult second = EverydayApiSample.claimOnce(store, "leader", "b");
            assertTrue(first.changed());
            assertFalse(second.changed());
            assertEquals(first.version(), second.version(), "no new version");
            assertEquals("a", new String(store.get("leader").content(), StandardCharsets.UTF_8));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mem", "file"})
    void removingWhatIsGoneIsAnAnswer(String kind) {
        try (ObjectStore store = open(kind)) {
            store.put("x", new byte[] {1});
            assertTrue(EverydayApiSample.removeIfThere(store, "x"));
            assertFalse(EverydayApiSample.removeIfThere(store, "x"));
            assertFalse(store.exists("x"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mem", "file"})
    void concurrentAsyncIncrementsAreAllCounted(String kind) {
        try (ObjectStore store = open(kind)) {
            assertEquals(4 * 250, EverydayApiSample.countConcurrently(store, 4, 250));
        }
    }

    @Test
    void mainRuns() {
        EverydayApiSample.main(new String[0]);
    }
}
