package io.leasehold.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leasehold.core.ObjectStore;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The demo: no lost updates under contention, and it does notice a store that loses them. */
class DemoCommandTest {

    private static long row(String table, String label) {
        Matcher m = Pattern.compile("(?m)^\\s+" + Pattern.quote(label) + "\\s+(-?\\d+)").matcher(table);
        assertTrue(m.find(), "row '" + label + "' in:\n" + table);
        return Long.parseLong(m.group(1));
    }

    @Test
    void thirtyTwoWritersTimesOneHundredIncrementsLoseNothing() {
        String store = Cli.memStore();
        Cli.Run run = Cli.run("demo", "--writers", "32", "--increments", "100", "--key", "counter", "--store", store);

        assertEquals(0, run.exit(), run.stdout() + run.stderr());
        try (ObjectStore direct = ObjectStore.open(store)) {
            assertEquals("3200", new String(direct.get("counter").content(), StandardCharsets.US_ASCII),
                    "the counter object itself holds every increment");
        }
        String table = run.stdout();
        assertEquals(32, row(table, "writers"));
        assertEquals(3200, row(table, "increments requested"));
        assertEquals(3200, row(table, "final counter value"));
        assertEquals(3200, row(table, "successful updates"));
        assertEquals(0, row(table, "lost updates"));
        assertEquals(0, row(table, "doubled updates"));
        assertTrue(row(table, "conflicts retried") >= 0);
        assertTrue(table.contains("writes per success"), table);
        assertTrue(table.contains("attempts per success") && table.contains("elapsed") && table.contains("updates/s"), table);
        assertEquals("", run.stderr());
    }

    @Test
    void coalescingCombinesTheWritersOfOneProcessAndCanBeTurnedOff() {
        String store = Cli.memStore();
        Cli.Run combined = Cli.run("demo", "--writers", "16", "--increments", "50", "--store", store);
        assertEquals(0, combined.exit(), combined.stdout() + combined.stderr());
        Cli.Run racing = Cli.run("demo", "--writers", "16", "--increments", "50", "--store", store, "--no-coalesce");
        assertEquals(0, racing.exit(), racing.stdout() + racing.stderr());
        assertEquals(800, row(racing.stdout(), "final counter value"));
        double coalesced = decimal(combined.stdout(), "writes per success");
        double alone = decimal(racing.stdout(), "writes per success");
        assertTrue(coalesced < 1.0, "one write carries several updates: " + coalesced);
        assertTrue(alone >= 1.0, "every update writes itself, lost races write again: " + alone);
    }

    private static double decimal(String table, String label) {
        Matcher m = Pattern.compile("(?m)^\\s+" + Pattern.quote(label) + "\\s+([0-9.]+)").matcher(table);
        assertTrue(m.find(), "row '" + label + "' in:\n" + table);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void defaultsAreEightWritersAndOneHundredIncrementsOnMemDemo() {
        Cli.Run run = Cli.run("demo");
        assertEquals(0, run.exit(), run.stdout() + run.stderr());
        assertEquals(8, row(run.stdout(), "writers"));
        assertEquals(800, row(run.stdout(), "final counter value"));
        assertTrue(run.stdout().contains("mem://demo"), run.stdout());
    }

    @Test
    void anExistingCounterIsContinuedAndOnlyTheIncrementsAreCounted() {
        String store = Cli.memStore();
        assertEquals(0, Cli.run("put", "c", "--data", "40", "--store", store).exit());
        Cli.Run run = Cli.run("demo", "--writers", "2", "--increments", "5", "--key", "c", "--store", store);
        assertEquals(0, run.exit(), run.stderr());
        assertEquals(0, row(run.stdout(), "lost updates"));
        assertEquals("50", Cli.run("get", "c", "--store", store).stdout());
    }

    @Test
    void aCounterKeyHoldingSomethingElseIsAnInvalidArgument() {
        String store = Cli.memStore();
        Cli.run("put", "page", "--data", "hello", "--store", store);
        Cli.Run run = Cli.run("demo", "--writers", "1", "--increments", "1", "--key", "page", "--store", store);
        assertEquals(2, run.exit(), run.stderr());
        assertEquals("hello", Cli.run("get", "page", "--store", store).stdout());
    }

    @Test
    void aStoreThatDropsWritesIsCaughtAsLostUpdates() {
        // The lossy store acknowledges every 10th put without writing it: 20 updates, 2 lost.
        Cli.Run run = Cli.run("demo", "--writers", "1", "--increments", "20", "--key", "c",
                "--store", "lossy://" + java.util.UUID.randomUUID().toString().substring(0, 8));
        assertEquals(1, run.exit(), run.stdout() + run.stderr());
        assertEquals(20, row(run.stdout(), "successful updates"));
        assertEquals(18, row(run.stdout(), "final counter value"));
        assertEquals(2, row(run.stdout(), "lost updates"));
        CliCommandsTest.assertErrorLine(run, "LOST_UPDATES");
    }
}
