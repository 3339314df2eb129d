package io.leasehold.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The error line a new user reads for each kind of mistake: exactly {@code error: CODE: message}
 * with no doubled prefix ({@code error: INVALID_ARGUMENT: Error: …}), the option named the way it is
 * typed, and a hint where the fix is another option.
 */
class ErrorLineTest {
    @TempDir
    static Path tmp;

    private String store;

    @BeforeEach
    void freshStore() {
        store = Cli.memStore();
    }

    private Cli.Run cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--store=" + store);
        return Cli.run(all.toArray(String[]::new));
    }

    /** Arguments, the exit code, and what the message after {@code error: CODE: } must contain. */
    static Stream<Arguments> mistakes() throws IOException {
        Path directory = Files.createDirectories(tmp.resolve("a-directory"));
        return Stream.of(
                Arguments.of(List.of("put", "k"), 2, List.of("--data", "--file")),
                Arguments.of(List.of("put", "k", "--data", "x", "--file", "f"), 2, List.of("--data", "--file")),
                Arguments.of(List.of("put"), 2, List.of("KEY")),
                Arguments.of(List.of("put", "k", "--data", "x", "--meta", "novalue"), 2, List.of("--meta", "NAME=VALUE")),
                Arguments.of(List.of("put", "k", "--data", "x", "--part-size", "0"), 2, List.of("--part-size:")),
                Arguments.of(List.of("put", "k", "--data", "x", "--part-size", "big"), 2, List.of("--part-size: 'big' is not a whole number")),
                Arguments.of(List.of("put", "k", "--file", directory.toString()), 2, List.of("--file:", "is a directory")),
                Arguments.of(List.of("put", "k", "--file", tmp.resolve("absent").toString()), 2, List.of("--file:", "no such file")),
                Arguments.of(List.of("put", "k", "--data", "x", "--if-matches", "a"), 2, List.of("unknown option '--if-matches'", "--if-match")),
                Arguments.of(List.of("bogus"), 2, List.of("unknown command 'bogus'", "put", "lease")),
                Arguments.of(List.of("lease", "bogus"), 2, List.of("unknown command 'bogus'", "acquire")),
                Arguments.of(List.of("help", "bogus"), 2, List.of("unknown command 'bogus'")),
                Arguments.of(List.of("get", "a", "b"), 2, List.of("unexpected argument 'b'")),
                Arguments.of(List.of("get", "k", "--consistency", "sometimes"), 2, List.of("--consistency: 'sometimes'", "strong or eventual")),
                Arguments.of(List.of("get", "k", "--if-modified-since", "yesterday"), 2, List.of("--if-modified-since: 'yesterday' is not a date")),
                Arguments.of(List.of("get", "k", "--out", directory.toString()), 2, List.of("--out:", "is a directory")),
                Arguments.of(List.of("get", "k", "--out", tmp.resolve("no/such/dir/f").toString()), 2, List.of("--out:", "does not exist")),
                Arguments.of(List.of("demo", "--writers", "many"), 2, List.of("--writers: 'many' is not a whole number")),
                Arguments.of(List.of("probe", "--rounds", "0"), 2, List.of("--rounds: must be at least 1")),
                Arguments.of(List.of("lease", "acquire", "k"), 2, List.of("--duration")),
                Arguments.of(List.of("lease", "change", "k", "--id", "a"), 2, List.of("--to")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void oneCleanLineNamingWhatToFix(List<String> args, int exit, List<String> contains) {
        Cli.Run run = cli(args.toArray(String[]::new));
        assertEquals(exit, run.exit(), run.stderr());
        assertCleanErrorLine(run);
        for (String text : contains) {
            assertTrue(run.stderr().contains(text), "'" + text + "' in " + run.stderr());
        }
    }

    /** {@code error: CODE: message}, one line, and the message repeats neither "error" nor a code. */
    static void assertCleanErrorLine(Cli.Run run) {
        String line = run.stderr();
        assertEquals(1, line.lines().count(), "one line: " + line);
        assertTrue(line.matches("error: [A-Z_]+: \\S.*\\R?"), "error: CODE: message: " + line);
        String message = line.replaceFirst("error: [A-Z_]+: ", "");
        assertFalse(message.toLowerCase(Locale.ROOT).startsWith("error"), "doubled prefix: " + line);
        assertFalse(message.matches("^[A-Z_]{4,}: .*"), "doubled code: " + line);
        assertFalse(message.contains("option option"), line);
        assertFalse(message.contains("Invalid value for option"), "the option leads, as everywhere: " + line);
        assertFalse(message.contains(". (see"), line);
        assertFalse(message.contains("\tat "), "no stack trace: " + line);
    }

    @Test
    void acquireOnAMissingKeyHintsAtCreate() {
        Cli.Run run = cli("lease", "acquire", "new", "--duration", "15s");
        assertEquals(5, run.exit(), run.stderr());
        assertCleanErrorLine(run);
        assertTrue(run.stderr().startsWith("error: NOT_FOUND: "), run.stderr());
        assertTrue(run.stderr().contains("--create"), "hint: " + run.stderr());
    }

    @Test
    void writesToALeasedObjectHintAtLease() {
        assertEquals(0, cli("put", "job", "--data", "v").exit());
        assertEquals(0, cli("lease", "acquire", "job", "--duration", "infinite").exit());
        for (Cli.Run run : List.of(cli("put", "job", "--data", "w"), cli("delete", "job"))) {
            assertEquals(6, run.exit(), run.stderr());
            assertCleanErrorLine(run);
            assertTrue(run.stderr().startsWith("error: LEASE_HELD: "), run.stderr());
            assertTrue(run.stderr().contains("--lease ID"), "hint: " + run.stderr());
        }
        Cli.Run acquire = cli("lease", "acquire", "job", "--duration", "15s");
        assertEquals(6, acquire.exit());
        assertTrue(acquire.stderr().contains("--wait"), "hint: " + acquire.stderr());
    }

    @Test
    void otherFailuresAreCleanToo() {
        for (String mode : List.of("lease_held", "transient", "access_denied", "runtime", "unknown", "nocaps")) {
            Cli.Run run = Cli.run("put", "k", "--data", "x", "--if-none-match", "*", "--store=faulty://" + mode);
            assertCleanErrorLine(run);
        }
    }
}
