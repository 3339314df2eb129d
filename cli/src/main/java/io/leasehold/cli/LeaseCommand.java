package io.leasehold.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leasehold.core.ErrorCode;
import io.leasehold.core.InvalidArgumentException;
import io.leasehold.core.lease.Lease;
import io.leasehold.core.lease.LeaseOptions;
import io.leasehold.core.lease.LeaseStatus;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.ObjectStoreException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code lease acquire|renew|release|break|change|status}: the lease operations, each printing one
 * JSON line. A lease conflict (held by someone else, wrong id, lost) exits with 6.
 *
 * <p>A lease lives in the store, so it outlives the invocation on {@code file://}, {@code azure://},
 * {@code s3://} and {@code tigris://}; on {@code mem://} it lasts only as long as the process. The
 * lease id is printed in full because later invocations need it; treat it as a secret. On
 * {@code s3://} and {@code tigris://} leases are emulated: a lease held by another process (or an
 * earlier invocation) can only be taken over after watching it unchanged for its duration, so
 * {@code acquire} needs a {@code --wait} at least that long to take over an abandoned one, and
 * {@code status} shows such a lease as leased.
 *
 * <p>Thread-safety: one instance serves one invocation.
 */
@Command(name = "lease",
        description = {"Acquire, renew, release, break or change a lease, or show its status.",
            "Write under a lease with put --lease ID or delete --lease ID."},
        subcommands = {
            LeaseCommand.Acquire.class,
            LeaseCommand.Renew.class,
            LeaseCommand.Release.class,
            LeaseCommand.Break.class,
            LeaseCommand.Change.class,
            LeaseCommand.Status.class
        })
final class LeaseCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    /** Without a subcommand: usage on stderr, exit 2. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    /** Seconds, rounded up, as printed. */
    static long seconds(Duration d) {
        long s = d.getSeconds();
        return d.getNano() > 0 ? s + 1 : s;
    }

    /** The JSON line of a held lease. */
    static ObjectNode json(Lease lease) {
        ObjectNode node = Json.object();
        node.put("key", lease.key());
        node.put("leaseId", lease.id());
        node.put("durationSeconds", lease.duration().map(Duration::getSeconds).orElse(null));
        node.put("infinite", lease.duration().isEmpty());
        node.put("acquiredAt", Json.instant(lease.acquiredAt()));
        node.put("expiresBy", Json.instant(lease.expiresBy().orElse(null)));
        if (lease.fencingToken().isPresent()) {
            node.put("fencingToken", lease.fencingToken().getAsLong());
        } else {
            node.putNull("fencingToken");
        }
        return node;
    }

    /** {@code lease acquire KEY --duration 30s|infinite [--id ID] [--wait 20s] [--create]}. */
    @Command(name = "acquire", description = {
        "Acquire a lease on an object and print it as one JSON line.",
        "Fields: key, leaseId, durationSeconds, infinite, acquiredAt, expiresBy, fencingToken.",
        "Held by someone else (or breaking): exit 6. Acquiring with the holder's own id renews.",
        "A missing object is exit 5 unless --create is given.",
        "Leases on s3:// and tigris:// are emulated: taking over an abandoned lease needs a --wait of at"
            + " least its duration."})
    static final class Acquire extends StoreCommand {
        @Parameters(index = "0", paramLabel = "KEY", description = "The object key.")
        private String key;

        @Option(names = "--duration", required = true, paramLabel = "DURATION",
                description = "15s to 60s (whole seconds, e.g. 30s or 1m), or infinite.")
        private String duration;

        @Option(names = "--id", paramLabel = "ID", description = "Proposed lease id (Azure: a GUID). Default: a random UUID.")
        private String id;

        @Option(names = "--wait", paramLabel = "DURATION",
                description = "Keep trying this long (0s to 24h, e.g. 500ms or 30s) while the lease is held by"
                        + " someone else. Default: no waiting.")
        private String wait;

        @Option(names = "--create", description = "Create the object empty if it does not exist (never overwrites).")
        private boolean create;

        @Override
        public Integer call() {
            Duration lasting = Durations.parse("--duration", duration, Durations.LEASE);
            Duration waiting = wait == null ? null : Durations.parse("--wait", wait, Durations.WAIT);
            LeaseOptions.Builder options = LeaseOptions.builder().proposedId(id).createIfAbsent(create);
            if (lasting == null) {
                options.infinite();
            } else {
                options.duration(lasting);
            }
            if (waiting != null) {
                options.waitUpTo(waiting);
            }
            LeaseOptions built = options.build();
            try (ObjectStore store = openStore()) {
                printJson(json(store.leases().acquire(key, built)));
            }
            return ExitCodes.OK;
        }

        @Override
        protected String hint(ObjectStoreException failure) {
            if (failure.code() == ErrorCode.NOT_FOUND && failure.key().isPresent()) {
                return "add --create to create it empty and lease it";
            }
            if (failure.code() == ErrorCode.LEASE_HELD && wait == null) {
                return "add --wait DURATION to keep trying";
            }
            return super.hint(failure);
        }
    }

    /** {@code lease renew KEY --id ID}. */
    @Command(name = "renew", description = {
        "Renew a lease, restarting its duration; prints the lease like acquire.",
        "Wrong id, broken or lost lease: exit 6."})
    static final class Renew extends StoreCommand {
        @Parameters(index = "0", paramLabel = "KEY", description = "The object key.")
        private String key;

        @Option(names = "--id", required = true, paramLabel = "ID", description = "The current lease id.")
        private String id;

        @Override
        public Integer call() {
            try (ObjectStore store = openStore()) {
                printJson(json(store.leases().renew(key, id)));
            }
            return ExitCodes.OK;
        }
    }

    /** {@code lease release KEY --id ID}. */
    @Command(name = "release", description = {
        "Release a lease so that anyone can acquire it at once.",
        "Prints key and released. Wrong id or no lease: exit 6."})
    static final class Release extends StoreCommand {
        @Parameters(index = "0", paramLabel = "KEY", description = "The object key.")
        private String key;

        @Option(names = "--id", required = true, paramLabel = "ID", description = "The current lease id.")
        private String id;

        @Override
        public Integer call() {
            try (ObjectStore store = openStore()) {
                store.leases().release(key, id);
            }
            ObjectNode node = Json.object();
            node.put("key", key);
            node.put("released", true);
            printJson(node);
            return ExitCodes.OK;
        }
    }

    /** {@code lease break KEY [--period 10s]}. */
    @Command(name = "break", description = {
        "Break a lease without knowing its id.",
        "Prints key and breakSeconds, the time until the lease can be acquired again.",
        "Without --period a finite lease runs out and an infinite one breaks at once. No lease: exit 6."})
    static final class Break extends StoreCommand {
        @Parameters(index = "0", paramLabel = "KEY", description = "The object key.")
        private String key;

        @Option(names = "--period", paramLabel = "DURATION",
                description = "Break period: 0s to 60s (whole seconds, e.g. 10s).")
        private String period;

        @Override
        public Integer call() {
            Duration breakPeriod = period == null ? null : Durations.parse("--period", period, Durations.BREAK_PERIOD);
            Duration remaining;
            try (ObjectStore store = openStore()) {
                remaining = breakPeriod == null ? store.leases().breakLease(key) : store.leases().breakLease(key, breakPeriod);
            }
            ObjectNode node = Json.object();
            node.put("key", key);
            node.put("breakSeconds", seconds(remaining));
            printJson(node);
            return ExitCodes.OK;
        }
    }

    /** {@code lease change KEY --id ID --to NEW}. */
    @Command(name = "change", description = {
        "Change a lease's id; the old id is refused afterwards.",
        "Prints the lease like acquire. Neither id current, or lease breaking or gone: exit 6."})
    static final class Change extends StoreCommand {
        @Parameters(index = "0", paramLabel = "KEY", description = "The object key.")
        private String key;

        @Option(names = "--id", required = true, paramLabel = "ID", description = "The current lease id.")
        private String id;

        @Option(names = "--to", required = true, paramLabel = "NEW", description = "The new lease id (Azure: a GUID).")
        private String to;

        @Override
        public Integer call() {
            try (ObjectStore store = openStore()) {
                printJson(json(store.leases().change(key, id, to)));
            }
            return ExitCodes.OK;
        }
    }

    /** {@code lease status KEY}. */
    @Command(name = "status", description = {
        "Show an object's lease as one JSON line.",
        "Fields: key, state (available, leased, expired, breaking or broken), infinite, and remainingSeconds"
            + " where the store reports it (else null)."})
    static final class Status extends StoreCommand {
        @Parameters(index = "0", paramLabel = "KEY", description = "The object key.")
        private String key;

        @Override
        public Integer call() {
            LeaseStatus status;
            try (ObjectStore store = openStore()) {
                status = store.leases().status(key);
            }
            ObjectNode node = Json.object();
            node.put("key", key);
            node.put("state", status.state().name().toLowerCase(Locale.ROOT));
            node.put("infinite", status.isInfinite());
            node.put("remainingSeconds", status.remaining().map(LeaseCommand::seconds).orElse(null));
            printJson(node);
            return ExitCodes.OK;
        }
    }
}
