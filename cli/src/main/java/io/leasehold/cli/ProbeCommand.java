package io.leasehold.cli;

import io.leasehold.core.InvalidArgumentException;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.probe.ProbeOptions;
import io.leasehold.core.probe.ProbeReport;
import io.leasehold.core.probe.StoreProbe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code probe}: measures what the store's endpoint really does with conditional requests and prints
 * the capability table and the matching profile. Exit 0 when read-modify-write is safe there,
 * {@link ExitCodes#UNSAFE_STORE} when it is not.
 */
@Command(name = "probe", description = {
    "Measure what the store's endpoint does with conditional requests.",
    "In a scratch prefix (deleted afterwards) and with at most 200 requests, it checks conditional headers on"
        + " put, get, head and delete (honoured, ignored or refused), the atomicity of create and If-Match under"
        + " 16 concurrent writers, that bytes read back equal bytes written, ETags on identical rewrites, metadata"
        + " names and status codes.",
    "Prints the table and the matching profile. Exit 0 if read-modify-write is safe there, 8 if it is not."})
final class ProbeCommand extends StoreCommand {
    @Option(names = "--rounds", paramLabel = "N", description = "Rounds of each race (default 3).")
    private Integer rounds;

    @Override
    public Integer call() {
        if (rounds != null && rounds < 1) {
            throw new InvalidArgumentException("--rounds", "must be at least 1; was " + rounds);
        }
        try (ObjectStore store = openStore()) {
            // Under profile=auto the driver already probed this endpoint to open it: show that report.
            ProbeReport report = rounds == null ? store.unwrap(ProbeReport.class).orElse(null) : null;
            if (report == null) {
                ProbeOptions.Builder options = ProbeOptions.builder();
                if (rounds != null) {
                    options.rounds(rounds);
                }
                report = StoreProbe.run(store, options.build());
            }
            out().print(report.toTable());
            out().flush();
            return report.readModifyWriteSafe() ? ExitCodes.OK : ExitCodes.UNSAFE_STORE;
        }
    }
}
