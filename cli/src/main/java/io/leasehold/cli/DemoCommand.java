package io.leasehold.cli;

import io.leasehold.core.InvalidArgumentException;
import io.leasehold.core.ObjectStore;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code demo}: concurrent writers increment one counter through {@code update} and the table shows
 * that none of their increments was lost.
 */
@Command(name = "demo", description = {
    "Race N writers incrementing one counter; shows that no update is lost.",
    "Each writer increments K times through ObjectStore.update (read, +1, conditional write; on a lost race"
        + " re-read and retry), then the table reports what happened.",
    "Exits non-zero unless lost and doubled updates are 0. Default store: mem://demo."})
final class DemoCommand extends StoreCommand {
    static final int MAX_WRITERS = 1024;
    static final int MAX_INCREMENTS = 1_000_000;

    @Option(names = "--writers", paramLabel = "N", defaultValue = "8", description = "Concurrent writers (default: ${DEFAULT-VALUE}).")
    private int writers;

    @Option(names = "--increments", paramLabel = "K", defaultValue = "100", description = "Increments per writer (default: ${DEFAULT-VALUE}).")
    private int increments;

    @Option(names = "--key", paramLabel = "KEY", description = "Counter key (default: a fresh demo/counter-<random>).")
    private String key;

    @Option(names = "--no-coalesce", description = "Let every writer race with its own conditional write instead of"
            + " combining concurrent updates of this process into one (to compare).")
    private boolean noCoalesce;

    @Override
    protected String defaultStoreUri() {
        return "mem://demo";
    }

    @Override
    public Integer call() throws InterruptedException {
        if (writers < 1 || writers > MAX_WRITERS) {
            throw new InvalidArgumentException("--writers", "must be 1 to " + MAX_WRITERS + "; was " + writers);
        }
        if (increments < 1 || increments > MAX_INCREMENTS) {
            throw new InvalidArgumentException("--increments", "must be 1 to " + MAX_INCREMENTS + "; was " + increments);
        }
        String counterKey = key != null ? key : "demo/counter-" + UUID.randomUUID().toString().substring(0, 8);
        CounterRace.Report report;
        try (ObjectStore store = openStore()) {
            out().printf("Leasehold demo: %d writers x %d increments on one counter%n", writers, increments);
            out().printf("store %s (%s driver), key %s%n%n", printableStoreUri(), store.driverName(), counterKey);
            out().flush();
            report = new CounterRace(store, counterKey, writers, increments, !noCoalesce).run();
        }
        print(out(), report);
        if (report.firstFailure() != null) {
            ExitCodes.printError(err(), report.firstFailure());
            return ExitCodes.of(report.firstFailure());
        }
        if (report.lostUpdates() != 0) {
            ExitCodes.printError(err(), "LOST_UPDATES", report.lostUpdates() + " of " + report.successes()
                    + " acknowledged increments are missing from the counter");
            return ExitCodes.OTHER;
        }
        if (report.doubledUpdates() != 0) {
            ExitCodes.printError(err(), "DOUBLED_UPDATES", "the counter holds " + report.doubledUpdates()
                    + " increments more than were acknowledged or left unknown");
            return ExitCodes.OTHER;
        }
        return ExitCodes.OK;
    }

    static void print(PrintWriter out, CounterRace.Report r) {
        row(out, "writers", Integer.toString(r.writers()));
        row(out, "increments requested", Long.toString(r.requested()));
        row(out, "final counter value", r.initial() == 0 ? Long.toString(r.finalValue())
                : r.finalValue() + " (started at " + r.initial() + ")");
        row(out, "successful updates", Long.toString(r.successes()));
        if (r.unknown() > 0) {
            row(out, "outcome unknown", r.unknown() + " (" + r.unknownLanded() + " of them landed)");
        }
        if (r.givenUp() > 0) {
            row(out, "updates given up", Long.toString(r.givenUp()));
        }
        row(out, "conflicts retried", Long.toString(r.conflicts()));
        row(out, "attempts per success", String.format(Locale.ROOT, "%.2f", r.attemptsPerSuccess()));
        row(out, "writes per success", String.format(Locale.ROOT, "%.2f", r.writesPerSuccess()));
        row(out, "lost updates", Long.toString(r.lostUpdates()));
        row(out, "doubled updates", Long.toString(r.doubledUpdates()));
        row(out, "elapsed", String.format(Locale.ROOT, "%.3f s", r.elapsedNanos() / 1e9));
        row(out, "updates/s", String.format(Locale.ROOT, "%.0f", r.updatesPerSecond()));
        out.flush();
    }

    private static void row(PrintWriter out, String label, String value) {
        out.printf(Locale.ROOT, "  %-22s %s%n", label, value);
    }
}
