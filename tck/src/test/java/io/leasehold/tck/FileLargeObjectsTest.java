package io.leasehold.tck;

import io.leasehold.core.ObjectStore;
import io.leasehold.driver.file.FileDriver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Large objects on the file driver: parts streamed into a temporary file under {@code uploads/},
 * renamed over the object at commit; no upload file may be left behind.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FileLargeObjectsTest implements LargeObjectsContract {
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

    /** Upload files of every key (the cases run one at a time, so any file is the key's). */
    @Override
    public OptionalInt stagedLeft(String key) {
        Path uploads = dir.resolve("uploads");
        if (!Files.isDirectory(uploads)) {
            return OptionalInt.of(0);
        }
        try (Stream<Path> files = Files.list(uploads)) {
            return OptionalInt.of((int) files.count());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    void close() {
        store.close();
    }
}
