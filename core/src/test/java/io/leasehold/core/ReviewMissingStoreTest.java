package io.leasehold.core;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leasehold.driver.file.FileDriver;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile review of exists and deleteIfPresent on a store that does not exist (a typo in a file
 * store's path): the store's "not found" names no key and is not an answer about a key, so it must
 * not read as "the key is absent" (issue 19: NOT_FOUND for the store, distinct from a missing key).
 */
class ReviewMissingStoreTest {

    @TempDir
    Path dir;

    @Test
    void existsOnAStoreThatDoesNotExistSaysSoInsteadOfFalse() {
        Path missing = dir.resolve("no/such/store");
        ObjectStore store = ObjectStore.of(FileDriver.open(missing));
        ObjectNotFoundException e = assertThrows(ObjectNotFoundException.class, () -> store.exists("k"));
        assertTrue(e.key().isEmpty(), "names the store, not a key: " + e.getMessage());
        assertFalse(Files.exists(missing), "a read never creates the store");
        ObjectNotFoundException async = assertThrows(ObjectNotFoundException.class,
                () -> io.leasehold.core.internal.Futures.join(store.async().exists("k")));
        assertTrue(async.key().isEmpty());
    }

    @Test
    void deleteIfPresentOnAStoreThatDoesNotExistSaysSoInsteadOfFalse() {
        Path missing = dir.resolve("no/such/store");
        ObjectStore store = ObjectStore.of(FileDriver.open(missing));
        ObjectNotFoundException e = assertThrows(ObjectNotFoundException.class, () -> store.deleteIfPresent("k"));
        assertTrue(e.key().isEmpty(), e.getMessage());
        assertFalse(Files.exists(missing));
    }

    @Test
    void inAStoreThatExistsAMissingKeyIsStillFalse() {
        ObjectStore store = ObjectStore.of(FileDriver.open(dir.resolve("store")));
        store.put("other", new byte[] {1});
        assertFalse(store.exists("k"));
        assertFalse(store.deleteIfPresent("k"));
    }
}
