package io.leasehold.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A mistyped file store path: reads never create the directory and exit 9 with an error naming the
 * store, which a script can tell from a missing key (exit 5); writes create the store.
 */
class MissingStoreCliTest {
    @TempDir
    Path dir;

    private static Cli.Run cli(Path store, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--store=" + store.toUri());
        return Cli.run(all.toArray(String[]::new));
    }

    static Stream<List<String>> reads() {
        return Stream.of(
                List.of("get", "k"),
                List.of("head", "k"),
                List.of("delete", "k"),
                List.of("lease", "status", "k"),
                List.of("lease", "acquire", "k", "--duration", "15s"),
                List.of("lease", "renew", "k", "--id", "id-1"),
                List.of("lease", "release", "k", "--id", "id-1"),
                List.of("lease", "break", "k"),
                List.of("lease", "change", "k", "--id", "id-1", "--to", "id-2"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("reads")
    void readsOfAMissingStoreExit9NameTheStoreAndCreateNothing(List<String> args) {
        Path missing = dir.resolve("no").resolve("such").resolve("store");
        Cli.Run run = cli(missing, args.toArray(String[]::new));
        assertEquals(9, run.exit(), run.stderr());
        CliCommandsTest.assertErrorLine(run, "NOT_FOUND");
        assertTrue(run.stderr().contains("file store " + missing + " does not exist"), run.stderr());
        assertFalse(run.stderr().contains("no such key"), run.stderr());
        assertEquals("", run.stdout());
        assertFalse(Files.exists(dir.resolve("no")), "nothing was created");
    }

    @Test
    void getToAFileFromAMissingStoreCreatesNeitherStoreNorFile() {
        Path missing = dir.resolve("typo");
        Path out = dir.resolve("out.bin");
        Cli.Run run = cli(missing, "get", "k", "--out", out.toString());
        assertEquals(9, run.exit(), run.stderr());
        assertFalse(Files.exists(missing));
        assertFalse(Files.exists(out));
    }

    @Test
    void readsOfAnExistingEmptyDirectoryAreMissingKeysAndWriteNothing() throws IOException {
        for (List<String> args : reads().toList()) {
            Cli.Run run = cli(dir, args.toArray(String[]::new));
            assertEquals(5, run.exit(), args + ": " + run.stderr());
            CliCommandsTest.assertErrorLine(run, "NOT_FOUND");
            assertTrue(run.stderr().contains("(key 'k')"), run.stderr());
        }
        try (Stream<Path> entries = Files.list(dir)) {
            assertEquals(List.of(), entries.toList());
        }
    }

    @Test
    void putCreatesTheStore() {
        Path store = dir.resolve("new").resolve("store");
        Cli.Run put = cli(store, "put", "k", "--data", "v");
        assertEquals(0, put.exit(), put.stderr());
        assertTrue(Files.isDirectory(store));
        assertEquals("v", cli(store, "get", "k").stdout());
    }

    @Test
    void streamingPutCreatesTheStore() throws IOException {
        Path store = dir.resolve("streamed");
        Path source = Files.write(dir.resolve("in.bin"), new byte[(1 << 20) + 10]);
        Cli.Run put = cli(store, "put", "big", "--file", source.toString(), "--part-size", "1");
        assertEquals(0, put.exit(), put.stderr());
        assertTrue(cli(store, "head", "big").stdout().contains("\"size\":1048586"));
    }

    @Test
    void leaseAcquireWithCreateAndTheDemoCreateTheStore() {
        Path leased = dir.resolve("leased");
        Cli.Run acquire = cli(leased, "lease", "acquire", "k", "--duration", "15s", "--create");
        assertEquals(0, acquire.exit(), acquire.stderr());
        assertTrue(Files.isDirectory(leased));

        Path counted = dir.resolve("counted");
        Cli.Run demo = cli(counted, "demo", "--writers", "2", "--increments", "3", "--key", "c");
        assertEquals(0, demo.exit(), demo.stdout() + demo.stderr());
        assertEquals("6", cli(counted, "get", "c").stdout());
    }
}
