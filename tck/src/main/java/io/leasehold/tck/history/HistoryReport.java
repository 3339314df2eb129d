package io.leasehold.tck.history;

import io.leasehold.tck.faults.AuditReport;
import io.leasehold.test.history.CheckResult;
import io.leasehold.test.history.Operation;
import io.leasehold.test.history.Response;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The outcome of a {@link HistoryCheck}: the checker's verdicts, the wire audit (when a fault proxy
 * was in front), every violation found, and the figures of the run.
 *
 * <p>Thread-safety: immutable.
 */
public final class HistoryReport {
    private final String store;
    private final CheckResult counters;
    private final CheckResult registers;
    private final AuditReport audit;
    private final Map<String, Long> faults;
    private final List<String> violations;
    private final Duration elapsed;
    private final Map<String, Integer> outcomes = new TreeMap<>();
    /** Per call name: count and total nanoseconds of completed operations. */
    private final Map<String, long[]> latency = new TreeMap<>();
    private final int operations;
    private final int unknown;
    private final int unclassified;
    private final List<String> unknownWithoutWrite;
    private final int sharedWrites;
    private final int coalescedCalls;

    HistoryReport(String store, HistoryPart part, CheckResult counters, CheckResult registers, AuditReport audit,
                  Map<String, Long> faults, List<String> violations, List<String> unknownWithoutWrite) {
        this.store = store;
        this.counters = counters;
        this.registers = registers;
        this.audit = audit;
        this.faults = Map.copyOf(faults);
        this.violations = List.copyOf(violations);
        this.unknownWithoutWrite = List.copyOf(unknownWithoutWrite);
        this.elapsed = part.elapsed();
        int ops = 0;
        int unknownOps = 0;
        int unclassifiedOps = 0;
        for (List<Operation> list : List.of(part.counters().operations(), part.registers().operations())) {
            for (Operation op : list) {
                if (op.process().equals(HistoryCheck.FINAL)) {
                    continue;
                }
                ops++;
                Response r = op.response();
                String kind = r.kind().name().toLowerCase(Locale.ROOT);
                outcomes.merge(op.call().name() + " " + (r.kind() == Response.Kind.REFUSED ? kind + " " + r.reason() : kind), 1,
                        Integer::sum);
                if (op.completedAt().isPresent()) {
                    long[] l = latency.computeIfAbsent(op.call().name(), k -> new long[2]);
                    l[0]++;
                    l[1] += op.completedAt().getAsLong() - op.invokedAt();
                }
                if (r.kind() == Response.Kind.UNKNOWN) {
                    unknownOps++;
                    if (r.reason().contains("(UNKNOWN)")) {
                        unclassifiedOps++;
                    }
                }
            }
        }
        Map<String, Integer> callsPerWrite = new java.util.HashMap<>();
        for (MutationCall c : part.calls()) {
            if (c.evidence == MutationCall.Evidence.WRITE_IDS) {
                c.values.forEach(id -> callsPerWrite.merge(id, 1, Integer::sum));
            }
        }
        int shared = 0;
        int carried = 0;
        for (int n : callsPerWrite.values()) {
            if (n > 1) {
                shared++;
                carried += n;
            }
        }
        this.sharedWrites = shared;
        this.coalescedCalls = carried;
        this.operations = ops;
        this.unknown = unknownOps;
        this.unclassified = unclassifiedOps;
    }

    /**
     * Whether every check passed: both histories proved linearizable, the audit clean, no violation.
     *
     * @return true if clean
     */
    public boolean isClean() {
        return violations.isEmpty();
    }

    /**
     * Throws unless clean, with the {@link #summary()} as message.
     *
     * @throws AssertionError listing every violation
     */
    public void assertClean() {
        if (!isClean()) {
            throw new AssertionError(summary());
        }
    }

    /**
     * Every violation found, each a readable paragraph (an anomaly comes with its minimal offending
     * sub-history).
     *
     * @return the violations; empty when clean
     */
    public List<String> violations() {
        return violations;
    }

    /**
     * The checker's verdict on the counter history.
     *
     * @return the result
     */
    public CheckResult counters() {
        return counters;
    }

    /**
     * The checker's verdict on the register history.
     *
     * @return the result
     */
    public CheckResult registers() {
        return registers;
    }

    /**
     * The wire audit, when the run went through a fault proxy.
     *
     * @return the audit, or empty
     */
    public Optional<AuditReport> audit() {
        return Optional.ofNullable(audit);
    }

    /**
     * Operations made by the workload (the final reads not counted).
     *
     * @return the count
     */
    public int operations() {
        return operations;
    }

    /**
     * Operations whose outcome was unknown.
     *
     * @return the count
     */
    public int unknownOutcomes() {
        return unknown;
    }

    /**
     * Writes that carried the changes of more than one {@code update} call (coalesced batches).
     *
     * @return the count of such writes sent
     */
    public int coalescedWrites() {
        return sharedWrites;
    }

    /**
     * Faults injected, by where (write, read, delete) and kind (the proxy's, with the status it
     * answered), or by the fault hook's names.
     *
     * @return a sorted map
     */
    public Map<String, Long> faults() {
        return new TreeMap<>(faults);
    }

    /**
     * The checker's time for both histories.
     *
     * @return the sum of both checks' wall times
     */
    public Duration checkerTime() {
        return counters.elapsed().plus(registers.elapsed());
    }

    /**
     * One line of figures for the docs: store, operations, unknown outcomes, faults, workload and
     * checker time.
     *
     * @return the line, starting with {@code FIGURE history}
     */
    public String figures() {
        long faultTotal = faults.values().stream().mapToLong(Long::longValue).sum();
        return String.format(Locale.ROOT, "FIGURE history %s: %,d operations (%,d counter, %,d register), %,d unknown"
                        + " (%d unclassified), %,d faults, workload %.1f s, checker %.1f s (%,d + %,d states)%s", store, operations,
                counters.operations() - finalReads(counters), registers.operations() - finalReads(registers), unknown,
                unclassified, faultTotal, elapsed.toMillis() / 1000.0, checkerTime().toMillis() / 1000.0,
                counters.statesExplored(), registers.statesExplored(), isClean() ? "" : ", " + violations.size() + " VIOLATIONS");
    }

    private static int finalReads(CheckResult r) {
        return r.keys().size();
    }

    /**
     * Figures, faults by kind, outcomes by call, the audit's figures, then every violation.
     *
     * @return a readable summary
     */
    public String summary() {
        StringBuilder b = new StringBuilder(figures()).append('\n');
        b.append("  faults:");
        faults.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> b.append("\n    ").append(e.getKey()).append(": ").append(e.getValue()));
        b.append("\n  outcomes:");
        outcomes.forEach((k, v) -> b.append("\n    ").append(k).append(": ").append(v));
        b.append(String.format(Locale.ROOT, "\n  coalescing: %,d writes sent carried the changes of %,d update calls",
                sharedWrites, coalescedCalls));
        b.append("\n  mean time per call:");
        latency.forEach((k, v) -> b.append(String.format(Locale.ROOT, " %s %.1f ms", k, v[1] / 1e6 / Math.max(1, v[0]))));
        b.append("\n  counters: ").append(firstLine(counters.report()));
        b.append("\n  registers: ").append(firstLine(registers.report()));
        if (audit != null) {
            b.append("\n  ").append(audit.summary().replace("\n", "\n  "));
        }
        if (!unknownWithoutWrite.isEmpty()) {
            b.append("\n  ").append(unknownWithoutWrite.size())
                    .append(" calls ended outcome-unknown although none of their writes reached the proxy, e.g.:");
            unknownWithoutWrite.stream().limit(3).forEach(u -> b.append("\n    ").append(u));
        }
        if (violations.isEmpty()) {
            b.append("\n  no violations");
        } else {
            b.append("\n  ").append(violations.size()).append(" VIOLATIONS:");
            for (String v : violations) {
                b.append("\n  - ").append(v.replace("\n", "\n    "));
            }
        }
        return b.toString();
    }

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }

    @Override
    public String toString() {
        return figures();
    }
}
