package io.leasehold.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One duration syntax for every duration option ({@code --duration}, {@code --wait},
 * {@code --period}): a whole number with a unit ({@code 500ms}, {@code 15s}, {@code 1m}, {@code 1h}),
 * or {@code infinite} where the option allows it. An error names the option, states its range and
 * offers {@code infinite} only where it is accepted; bare numbers and ISO-8601 are refused with the
 * form to write instead. Nothing is sent for a refused duration.
 */
class DurationOptionsTest {
    private String store;

    @BeforeEach
    void objectToLease() {
        store = Cli.memStore();
        assertEquals(0, cli("put", "k", "--data", "x").exit());
    }

    private Cli.Run cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--store=" + store);
        return Cli.run(all.toArray(String[]::new));
    }

    /** Arguments, then texts the error line must contain, then texts it must not contain. */
    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of(List.of("lease", "acquire", "k", "--duration", "forever"),
                        List.of("--duration: 'forever' is not a duration", "15s to 60s", "infinite"), List.of("500ms")),
                Arguments.of(List.of("lease", "acquire", "k", "--duration", "5s"),
                        List.of("--duration: 5s is out of range", "15s to 60s", "infinite"), List.of("PT5S", " duration:")),
                Arguments.of(List.of("lease", "acquire", "k", "--duration", "61s"),
                        List.of("--duration: 61s is out of range", "15s to 60s"), List.of("PT")),
                Arguments.of(List.of("lease", "acquire", "k", "--duration", "2m"),
                        List.of("--duration: 2m is out of range", "15s to 60s"), List.of("PT")),
                Arguments.of(List.of("lease", "acquire", "k", "--duration", "30"),
                        List.of("--duration: '30' has no unit", "30s"), List.of()),
                Arguments.of(List.of("lease", "acquire", "k", "--duration", "PT30S"),
                        List.of("--duration: 'PT30S'", "30s"), List.of()),
                Arguments.of(List.of("lease", "acquire", "k", "--duration", "15500ms"),
                        List.of("--duration: 15500ms", "whole seconds"), List.of()),
                Arguments.of(List.of("lease", "acquire", "k", "--duration", ""),
                        List.of("--duration: '' is not a duration"), List.of()),
                Arguments.of(List.of("lease", "acquire", "k", "--duration", "15s", "--wait", "-1s"),
                        List.of("--wait: -1s", "0s to 24h"), List.of("infinite")),
                Arguments.of(List.of("lease", "acquire", "k", "--duration", "15s", "--wait", "10"),
                        List.of("--wait: '10' has no unit", "10s"), List.of()),
                Arguments.of(List.of("lease", "acquire", "k", "--duration", "15s", "--wait", "infinite"),
                        List.of("--wait: 'infinite' is not allowed", "0s to 24h"), List.of()),
                Arguments.of(List.of("lease", "acquire", "k", "--duration", "15s", "--wait", "soon"),
                        List.of("--wait: 'soon' is not a duration", "0s to 24h"), List.of("infinite")),
                Arguments.of(List.of("lease", "acquire", "k", "--duration", "15s", "--wait", "25h"),
                        List.of("--wait: 25h is out of range", "0s to 24h"), List.of()),
                Arguments.of(List.of("lease", "break", "k", "--period", "90s"),
                        List.of("--period: 90s is out of range", "0s to 60s"), List.of("infinite", "PT", "breakPeriod")),
                Arguments.of(List.of("lease", "break", "k", "--period", "1.5s"),
                        List.of("--period: '1.5s' is not a duration", "0s to 60s"), List.of("infinite")),
                Arguments.of(List.of("lease", "break", "k", "--period", "infinite"),
                        List.of("--period: 'infinite' is not allowed", "0s to 60s"), List.of()),
                Arguments.of(List.of("lease", "break", "k", "--period", "1500ms"),
                        List.of("--period: 1500ms", "whole seconds"), List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refusedWithTheOptionItsRangeAndWhatToWrite(List<String> args, List<String> contains, List<String> absent) {
        Cli.Run run = cli(args.toArray(String[]::new));
        assertEquals(2, run.exit(), run.stderr());
        CliCommandsTest.assertErrorLine(run, "INVALID_ARGUMENT");
        for (String text : contains) {
            assertTrue(run.stderr().contains(text), "'" + text + "' in " + run.stderr());
        }
        for (String text : absent) {
            assertFalse(run.stderr().contains(text), "no '" + text + "' in " + run.stderr());
        }
        assertEquals("available", statusOf("k"), "nothing was sent");
    }

    private String statusOf(String key) {
        String line = cli("lease", "status", key).stdout();
        return line.replaceAll(".*\"state\":\"([a-z]+)\".*\\s*", "$1");
    }

    @Test
    void acceptedForms() {
        Cli.Run oneMinute = cli("lease", "acquire", "k", "--duration", "1m", "--id", "a-1");
        assertEquals(0, oneMinute.exit(), oneMinute.stderr());
        assertTrue(oneMinute.stdout().contains("\"durationSeconds\":60"), oneMinute.stdout());
        assertEquals(0, cli("lease", "break", "k", "--period", "0s").exit());
        assertEquals(0, cli("lease", "release", "k", "--id", "a-1").exit());

        Cli.Run infinite = cli("lease", "acquire", "k", "--duration", "INFINITE", "--id", "a-2", "--wait", "500ms");
        assertEquals(0, infinite.exit(), infinite.stderr());
        assertTrue(infinite.stdout().contains("\"infinite\":true"), infinite.stdout());
        Cli.Run waited = cli("lease", "acquire", "k", "--duration", " 15s ", "--wait", "0s");
        assertEquals(6, waited.exit(), "held; a zero wait gives up at once: " + waited.stderr());
        assertEquals(0, cli("lease", "break", "k", "--period", "1m").exit(), "1m is 60s, the longest break period");
    }

    @Test
    void theParserItself() {
        assertEquals(java.time.Duration.ofMillis(500), Durations.parse("--wait", "500ms", Durations.WAIT));
        assertEquals(java.time.Duration.ofSeconds(15), Durations.parse("--duration", "15s", Durations.LEASE));
        assertEquals(java.time.Duration.ofMinutes(1), Durations.parse("--duration", "1m", Durations.LEASE));
        assertEquals(java.time.Duration.ofHours(2), Durations.parse("--wait", "2h", Durations.WAIT));
        assertEquals(null, Durations.parse("--duration", "infinite", Durations.LEASE), "null stands for infinite");
        assertEquals(java.time.Duration.ZERO, Durations.parse("--period", "0s", Durations.BREAK_PERIOD));
        assertEquals("30s", Durations.format(java.time.Duration.ofSeconds(30)));
        assertEquals("2m", Durations.format(java.time.Duration.ofMinutes(2)));
        assertEquals("1500ms", Durations.format(java.time.Duration.ofMillis(1500)));
        assertEquals(2, LeaseCommand.seconds(java.time.Duration.ofMillis(1001)));
    }
}
