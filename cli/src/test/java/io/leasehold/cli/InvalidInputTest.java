package io.leasehold.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.leasehold.core.ObjectNotFoundException;
import io.leasehold.core.ObjectStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad usage and invalid arguments exit 2 with one error line, and nothing reaches the store: the
 * memory store is untouched, and a counting store sees no call at all.
 */
class InvalidInputTest {

    static Stream<Arguments> invalid() {
        String longKey = "k".repeat(1025);
        return Stream.of(
                Arguments.of("control character in key", List.of("put", "a\u0001b", "--data", "x"), "a\u0001b"),
                Arguments.of("key too long", List.of("put", longKey, "--data", "x"), "k"),
                Arguments.of("lone surrogate in key", List.of("put", "a\uD800", "--data", "x"), "k"),
                Arguments.of("quote inside ETag", List.of("put", "k", "--data", "x", "--if-match", "ab\"c"), "k"),
                Arguments.of("unquoted weak ETag", List.of("put", "k", "--data", "x", "--if-match", "W/abc"), "k"),
                Arguments.of("CR/LF in ETag", List.of("put", "k", "--data", "x", "--if-match", "ab\r\nc"), "k"),
                Arguments.of("put If-None-Match other than *", List.of("put", "k", "--data", "x", "--if-none-match", "abc"), "k"),
                Arguments.of("If-Match with If-None-Match", List.of("put", "k", "--data", "x", "--if-match", "a", "--if-none-match", "*"), "k"),
                Arguments.of("both --data and --file", List.of("put", "k", "--data", "x", "--file", "pom.xml"), "k"),
                Arguments.of("neither --data nor --file", List.of("put", "k"), "k"),
                Arguments.of("unreadable --file", List.of("put", "k", "--file", "/nonexistent/leasehold/file"), "k"),
                Arguments.of("metadata name not portable", List.of("put", "k", "--data", "x", "--meta", "Bad-Name=v"), "k"),
                Arguments.of("metadata without =", List.of("put", "k", "--data", "x", "--meta", "novalue"), "k"),
                Arguments.of("content type with CR/LF", List.of("put", "k", "--data", "x", "--content-type", "text/plain\r\nX: y"), "k"),
                Arguments.of("missing key", List.of("put", "--data", "x"), "k"),
                Arguments.of("unknown option", List.of("put", "k", "--data", "x", "--if-matches", "a"), "k"),
                Arguments.of("bad date", List.of("get", "k", "--if-modified-since", "yesterday"), "k"),
                Arguments.of("date without zone", List.of("head", "k", "--if-unmodified-since", "2024-01-01T00:00:00"), "k"),
                Arguments.of("bad consistency", List.of("get", "k", "--consistency", "sometimes"), "k"),
                Arguments.of("bad get ETag", List.of("get", "k", "--if-none-match", "\"open"), "k"),
                Arguments.of("bad delete ETag", List.of("delete", "k", "--if-match", "a b"), "k"),
                Arguments.of("bad key on delete", List.of("delete", ""), "k"),
                Arguments.of("zero writers", List.of("demo", "--writers", "0", "--key", "k"), "k"),
                Arguments.of("too many increments", List.of("demo", "--increments", "1000001", "--key", "k"), "k"),
                Arguments.of("writers not a number", List.of("demo", "--writers", "many", "--key", "k"), "k"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void exits2AndLeavesTheMemoryStoreUntouched(String name, List<String> args, String key) {
        String store = Cli.memStore();
        try (ObjectStore direct = ObjectStore.open(store)) {
            direct.put("k", "before".getBytes(StandardCharsets.UTF_8));

            Cli.Run run = Cli.run(withStore(args, store));

            assertEquals(2, run.exit(), run.stderr());
            assertEquals(0, run.stdoutBytes().length, "nothing on stdout");
            CliCommandsTest.assertErrorLine(run, "INVALID_ARGUMENT");
            assertEquals("before", new String(direct.get("k").content(), StandardCharsets.UTF_8));
            if (!key.equals("k") && !key.isEmpty() && !key.contains("\u0001")) {
                assertThrows(ObjectNotFoundException.class, () -> direct.head(key));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void exits2BeforeAnyCallReachesTheDriver(String name, List<String> args, String key) {
        int before = TestDrivers.CALLS.get();
        Cli.Run run = Cli.run(withStore(args, "faulty://counting"));
        assertEquals(2, run.exit(), run.stderr());
        assertEquals(before, TestDrivers.CALLS.get(), "no call reached the driver");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unsupported")
    void optionsTheStoreCannotHonourExit2BeforeAnythingIsSent(String name, List<String> args) {
        int before = TestDrivers.CALLS.get();
        Cli.Run run = Cli.run(withStore(args, "faulty://nocaps"));
        assertEquals(2, run.exit(), run.stderr());
        CliCommandsTest.assertErrorLine(run, "NOT_SUPPORTED");
        assertEquals(before, TestDrivers.CALLS.get(), "no call reached the driver");
    }

    static Stream<Arguments> unsupported() {
        return Stream.of(
                Arguments.of("create-if-absent", List.of("put", "k", "--data", "x", "--if-none-match", "*")),
                Arguments.of("compare-and-swap", List.of("put", "k", "--data", "x", "--if-match", "abc")),
                Arguments.of("If-None-Match read", List.of("get", "k", "--if-none-match", "abc")),
                Arguments.of("strong read", List.of("head", "k", "--consistency", "strong")),
                Arguments.of("conditional delete", List.of("delete", "k", "--if-match", "abc")),
                Arguments.of("demo update loop", List.of("demo", "--writers", "1", "--increments", "1")));
    }

    @ParameterizedTest(name = "[{index}] '{0}'")
    @MethodSource("badStores")
    void badStoreUrisExit2(String uri) {
        Cli.Run run = Cli.run("get", "k", "--store", uri);
        assertEquals(2, run.exit(), run.stderr());
        CliCommandsTest.assertErrorLine(run, "INVALID_ARGUMENT");
    }

    static Stream<String> badStores() {
        return Stream.of("nope://bucket", "no-scheme-at-all", "mem://a b", " ");
    }

    private static String[] withStore(List<String> args, String store) {
        List<String> all = new ArrayList<>(args);
        all.add("--store=" + store);
        return all.toArray(String[]::new);
    }
}
