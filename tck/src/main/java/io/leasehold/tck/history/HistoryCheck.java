package io.leasehold.tck.history;

import io.leasehold.core.ErrorCode;
import io.leasehold.core.GetResult;
import io.leasehold.core.ObjectNotFoundException;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.ObjectStoreException;
import io.leasehold.tck.faults.AuditReport;
import io.leasehold.tck.faults.CallOutcome;
import io.leasehold.tck.faults.Fault;
import io.leasehold.tck.faults.WireRecord;
import io.leasehold.tck.faults.WriteAudit;
import io.leasehold.test.history.CheckOptions;
import io.leasehold.test.history.CheckResult;
import io.leasehold.test.history.Checker;
import io.leasehold.test.history.Counter;
import io.leasehold.test.history.History;
import io.leasehold.test.history.Models;
import io.leasehold.test.history.Operation;
import io.leasehold.test.history.Register;
import io.leasehold.test.history.Response;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Checks a {@link HistoryWorkload}'s recorded {@link HistoryPart} after the run, with faults off:
 * <ol>
 *   <li>reads every key once more and records the reads in the histories (process {@code final}),
 *       so the checker also judges the state the run left;</li>
 *   <li>checks the counter history against {@link Models#counter()} and the register history
 *       against {@link Models#register(boolean)}; an anomaly and an inconclusive verdict both fail;</li>
 *   <li>what the checker cannot see: each counter's final value must lie between the acknowledged
 *       changes and the acknowledged changes plus any subset of the unknown ones; every write id a
 *       read returned must be the one the library reported for the put that wrote it;</li>
 *   <li>with the fault proxy's wire records: the {@link WriteAudit} (every acknowledged call landed
 *       exactly once, none landed twice, no failed call landed, every landed write belongs to a
 *       call; coalesced batches share their writes), each counter's final value equals the
 *       acknowledged changes plus exactly the unknown ones that landed, and each register holds the
 *       last write that landed on it.</li>
 * </ol>
 *
 * <p>Thread-safety: the builder is not thread-safe; {@link #check} may be called once per builder
 * state from any thread.
 */
public final class HistoryCheck {
    /** The process name of the reads made after the run. */
    public static final String FINAL = "final";

    private final HistoryPart part;
    private final HistoryWorkload workload;
    private final String store;
    private Boolean uniqueEtags;
    private List<WireRecord> records;
    private CheckOptions options = CheckOptions.defaults();

    private HistoryCheck(HistoryPart part, HistoryWorkload workload, String store) {
        this.part = part;
        this.workload = workload;
        this.store = store;
    }

    /**
     * A check of a run.
     *
     * @param part what the run recorded (merged over its JVMs)
     * @param workload the workload that ran (its keys)
     * @param store the store's name, for reports
     * @return the check; set options, then {@link #check}
     */
    public static HistoryCheck of(HistoryPart part, HistoryWorkload workload, String store) {
        return new HistoryCheck(Objects.requireNonNull(part, "part"), Objects.requireNonNull(workload, "workload"),
                Objects.requireNonNull(store, "store"));
    }

    /**
     * Whether the store gives every write its own ETag (Azure, memory, file) or hashes the content
     * (S3, Ceph RGW): picks the register model.
     *
     * @param unique true for unique ETags (by default, what the clean store's capabilities say:
     *     {@link io.leasehold.core.Capability#ETAG_CHANGES_ON_IDENTICAL_REWRITE})
     * @return this check
     */
    public HistoryCheck uniqueEtags(boolean unique) {
        this.uniqueEtags = unique;
        return this;
    }

    /**
     * The fault proxy's records of the run, for the wire audit.
     *
     * @param records every record of the run (records of other keys are ignored)
     * @return this check
     */
    public HistoryCheck wire(List<WireRecord> records) {
        this.records = List.copyOf(records);
        return this;
    }

    /**
     * The checker's budgets.
     *
     * @param options the options (default {@link CheckOptions#defaults()})
     * @return this check
     */
    public HistoryCheck checkOptions(CheckOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        return this;
    }

    /**
     * Reads the final state through {@code clean} (a store without faults), then runs every check.
     *
     * @param clean a store on the same data whose requests are not faulted
     * @return the report
     */
    public HistoryReport check(ObjectStore clean) {
        List<String> violations = new ArrayList<>(part.problems());
        Map<String, Long> finalCounters = new TreeMap<>();
        Map<String, String> finalTags = new TreeMap<>();
        for (String key : workload.counterKeys()) {
            History.Op op = part.counters().invoke(FINAL, key, Counter.get());
            GetResult r = readFinal(clean, key, violations);
            if (r == null) {
                op.refused(Response.NOT_FOUND);
                finalCounters.put(key, 0L);
            } else {
                long value = HistoryWorkload.number(r.content());
                op.ok(Counter.value(value));
                finalCounters.put(key, value);
            }
        }
        for (String key : workload.registerKeys()) {
            History.Op op = part.registers().invoke(FINAL, key, Register.get());
            GetResult r = readFinal(clean, key, violations);
            if (r == null) {
                op.refused(Response.NOT_FOUND);
            } else {
                String tag = r.info().userMetadata().getOrDefault(HistoryWorkload.WRITE_TAG, "untagged");
                op.ok(Register.found(new String(r.content(), StandardCharsets.UTF_8), tag));
                finalTags.put(key, tag);
            }
        }

        CheckResult counters = Checker.check(part.counters(), Models.counter(), options);
        boolean unique = uniqueEtags != null ? uniqueEtags
                : clean.capabilities().supports(io.leasehold.core.Capability.ETAG_CHANGES_ON_IDENTICAL_REWRITE);
        CheckResult registers = Checker.check(part.registers(), Models.register(unique), options);
        if (!counters.isOk()) {
            violations.add("counter history " + counters.verdict() + ":\n" + counters.report());
        }
        if (!registers.isOk()) {
            violations.add("register history " + registers.verdict() + ":\n" + registers.report());
        }

        checkCounterBounds(finalCounters, violations);
        checkWriteIds(violations);

        AuditReport audit = null;
        if (records != null) {
            audit = audit();
            if (!audit.isClean()) {
                violations.add("wire audit:\n" + audit.summary());
            }
            checkCountersAgainstWire(audit, finalCounters, violations);
            checkRegistersAgainstWire(finalTags, violations);
        }
        return new HistoryReport(store, part, counters, registers, audit, faults(), violations, unknownWithoutWrite());
    }

    private static GetResult readFinal(ObjectStore clean, String key, List<String> violations) {
        for (int attempt = 1; ; attempt++) {
            try {
                return clean.get(key);
            } catch (ObjectNotFoundException absent) {
                return null;
            } catch (ObjectStoreException e) {
                if (attempt >= 20 || !(e.retryable() || e.code() == ErrorCode.OUTCOME_UNKNOWN)) {
                    violations.add("the final read of " + key + " failed: " + e);
                    return null;
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    violations.add("interrupted reading " + key);
                    return null;
                }
            }
        }
    }

    /** Final value within [acknowledged − unknown decrements, acknowledged + unknown increments]. */
    private void checkCounterBounds(Map<String, Long> finalCounters, List<String> violations) {
        Map<String, long[]> sums = new HashMap<>(); // acknowledged, unknown +1s, unknown −1s
        for (Operation op : part.counters().operations()) {
            if (!op.call().name().equals("add")) {
                continue;
            }
            long delta = Long.parseLong(op.call().field("delta").orElseThrow());
            long[] s = sums.computeIfAbsent(op.key(), k -> new long[3]);
            if (op.response().kind() == Response.Kind.OK) {
                s[0] += delta;
            } else if (op.response().kind() == Response.Kind.UNKNOWN) {
                s[delta > 0 ? 1 : 2] += Math.abs(delta);
            }
        }
        for (Map.Entry<String, Long> e : finalCounters.entrySet()) {
            long[] s = sums.getOrDefault(e.getKey(), new long[3]);
            long value = e.getValue();
            if (value < s[0] - s[2] || value > s[0] + s[1]) {
                violations.add(e.getKey() + " holds " + value + ", but the acknowledged changes add up to " + s[0]
                        + " and the unknown ones could add at most +" + s[1] + " / -" + s[2]);
            }
        }
    }

    /** Every write id a read returned is the one the library reported for that put, and ids are unique. */
    private void checkWriteIds(List<String> violations) {
        Map<String, String> reported = part.reportedWriteIds();
        Map<String, String> tagOfId = new HashMap<>();
        for (Map.Entry<String, String> e : reported.entrySet()) {
            String other = tagOfId.put(e.getValue(), e.getKey());
            if (other != null) {
                violations.add("the puts tagged " + other + " and " + e.getKey() + " were reported with the same write id");
            }
        }
        int mismatched = 0;
        String example = null;
        for (String[] o : part.observedWriteIds()) {
            String expected = reported.get(o[0]);
            if (expected != null && !expected.equals(o[1])) {
                mismatched++;
                example = "tag " + o[0] + " reported " + expected + ", read back " + o[1];
            }
        }
        if (mismatched > 0) {
            violations.add(mismatched + " reads returned a write id other than the one reported for the put that wrote"
                    + " them, e.g. " + example);
        }
    }

    private Predicate<WireRecord> scope() {
        String marker = "/" + workload.keyPrefix();
        return r -> r.path().contains(marker);
    }

    private AuditReport audit() {
        WriteAudit audit = WriteAudit.of(records, scope()).sharedWrites();
        for (MutationCall c : part.calls()) {
            audit.call(c.id, c.outcome(), c.writeEvidence());
        }
        return audit.report("history on " + store + " (" + part.calls().size() + " mutating calls)");
    }

    /** With the wire known: final = acknowledged + the unknown changes that landed, exactly. */
    private void checkCountersAgainstWire(AuditReport audit, Map<String, Long> finalCounters, List<String> violations) {
        Map<String, Long> expected = new HashMap<>();
        for (MutationCall c : part.calls()) {
            if (c.evidence != MutationCall.Evidence.WRITE_IDS) {
                continue;
            }
            boolean counted = c.kind == CallOutcome.Kind.ACKNOWLEDGED
                    || (c.kind != CallOutcome.Kind.FAILED && audit.landedByCall().getOrDefault(c.id, 0) > 0);
            if (counted) {
                expected.merge(c.key, c.delta, Long::sum);
            }
        }
        for (Map.Entry<String, Long> e : finalCounters.entrySet()) {
            long want = expected.getOrDefault(e.getKey(), 0L);
            if (e.getValue() != want) {
                violations.add(e.getKey() + " holds " + e.getValue() + ", but the acknowledged changes and the unknown ones"
                        + " that landed on the wire add up to " + want);
            }
        }
    }

    /** A register that exists holds the last write that landed on it. */
    private void checkRegistersAgainstWire(Map<String, String> finalTags, List<String> violations) {
        for (Map.Entry<String, String> e : finalTags.entrySet()) {
            String suffix = "/" + e.getKey();
            WireRecord last = null;
            for (WireRecord r : records) {
                if (r.landed() && r.path().endsWith(suffix)) {
                    last = r;
                }
            }
            String lastTag = last == null ? null : last.userMetadata().get(HistoryWorkload.WRITE_TAG);
            if (!e.getValue().equals(lastTag)) {
                violations.add(e.getKey() + " holds the write tagged " + e.getValue() + ", but the last write that landed"
                        + " on it was " + last);
            }
        }
    }

    /**
     * Calls that ended outcome-unknown although none of their writes reached the proxy (a request
     * that failed before the proxy saw it, or an unknown outcome reported without a write): not
     * wrong, only imprecise; listed in the report with their failures.
     */
    private List<String> unknownWithoutWrite() {
        List<String> found = new ArrayList<>();
        if (records == null) {
            return found;
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (WireRecord r : records) {
            if (r.writeId() != null) {
                seen.add(r.writeId());
            }
            String tag = r.userMetadata().get(HistoryWorkload.WRITE_TAG);
            if (tag != null) {
                seen.add(tag);
            }
        }
        for (MutationCall c : part.calls()) {
            if (c.kind == CallOutcome.Kind.OUTCOME_UNKNOWN && c.values.stream().noneMatch(seen::contains)) {
                found.add(c.id + " on " + c.key + ": " + c.failure);
            }
        }
        return found;
    }

    /** Faults per kind and status: the proxy's records, or the fault hook's counts. */
    private Map<String, Long> faults() {
        Map<String, Long> counts = new TreeMap<>();
        if (records != null) {
            Predicate<WireRecord> inScope = scope();
            for (WireRecord r : records) {
                Fault f = r.fault();
                if (!inScope.test(r) || !f.isFault()) {
                    continue;
                }
                String name = f.kind() == Fault.Kind.NONE ? "DELAY" : f.kind().name() + (f.status() > 0 ? "(" + f.status() + ")" : "");
                counts.merge((r.isObjectWrite() ? "write " : r.method().equals("DELETE") ? "delete " : "read ") + name, 1L,
                        Long::sum);
            }
        }
        part.injectedFaults().forEach((k, v) -> counts.merge(k, v, Long::sum));
        return counts;
    }
}
