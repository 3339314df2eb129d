package io.leasehold.tck.faults;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Checks what reached the server against what each caller was told: given the proxy's
 * {@link WireRecord}s and, per logical call, its {@link CallOutcome} and how to recognise its writes
 * ({@link WriteEvidence}), counts how many times each call's write landed and reports every
 * violation of "no lost and no doubled write":
 * <ul>
 *   <li>an acknowledged call whose write did not land exactly once;</li>
 *   <li>any call whose write landed more than once;</li>
 *   <li>a call that failed definitively ({@link CallOutcome.Kind#FAILED}) but landed;</li>
 *   <li>a call whose failure the library left unclassified;</li>
 *   <li>a landed write in scope that belongs to no call, or a record that two calls claim (unless
 *       {@linkplain #sharedWrites() writes are shared});</li>
 *   <li>a write of a call (or in scope) whose landing even the proxy could not see
 *       ({@link WireRecord#landingUnknown()}).</li>
 * </ul>
 * Outcome-unknown calls are accounted for: how many there were and how many of them landed (once).
 *
 * <pre>{@code
 * WriteAudit audit = WriteAudit.of(recorder.records(), r -> r.path().endsWith("/" + key));
 * audit.call("c1", CallOutcome.acknowledged(), WriteEvidence.writeIds(ids));
 * AuditReport report = audit.report("toggle on RGW");
 * assertTrue(report.isClean(), report.summary());
 * }</pre>
 *
 * <p>Thread-safety: safe for concurrent use ({@link #call} may be called from worker threads).
 */
public final class WriteAudit {
    /** One logical call. */
    record Call(String id, CallOutcome outcome, WriteEvidence evidence) {
    }

    private final List<WireRecord> records;
    private final Predicate<WireRecord> scope;
    private final List<Call> calls = new ArrayList<>();
    private final Set<String> ids = new LinkedHashSet<>();
    private boolean sharedWrites;

    private WriteAudit(List<WireRecord> records, Predicate<WireRecord> scope) {
        this.records = List.copyOf(records);
        this.scope = scope;
    }

    /**
     * An audit of these records.
     *
     * @param records what the proxy recorded
     * @param scope which records belong to the workload (e.g. its key's path): landed writes in scope
     *     must each belong to a call; records out of scope are ignored
     * @return the audit
     */
    public static WriteAudit of(List<WireRecord> records, Predicate<WireRecord> scope) {
        return new WriteAudit(Objects.requireNonNull(records, "records"), Objects.requireNonNull(scope, "scope"));
    }

    /**
     * Lets one write belong to several calls: a coalesced {@code update} batch sends one write that
     * carries the changes of all its callers, and each caller reports that write's id. Each call is
     * still checked on its own (an acknowledged call's writes landed exactly once, and so on); only
     * "a record that two calls claim" is no longer a violation.
     *
     * @return this audit
     */
    public synchronized WriteAudit sharedWrites() {
        sharedWrites = true;
        return this;
    }

    /**
     * Adds a call.
     *
     * @param id a unique name for messages
     * @param outcome how it ended
     * @param evidence how to recognise its writes
     * @return this audit
     * @throws IllegalArgumentException if the id was used before
     */
    public synchronized WriteAudit call(String id, CallOutcome outcome, WriteEvidence evidence) {
        if (!ids.add(Objects.requireNonNull(id, "id"))) {
            throw new IllegalArgumentException("call id used twice: " + id);
        }
        calls.add(new Call(id, Objects.requireNonNull(outcome, "outcome"), Objects.requireNonNull(evidence, "evidence")));
        return this;
    }

    /**
     * Computes the report.
     *
     * @param label what was run, for the summary (e.g. {@code "toggle on ceph-rgw"})
     * @return the report
     */
    public synchronized AuditReport report(String label) {
        // Index every call's evidence: field -> value -> calls.
        Map<String, Map<String, List<Integer>>> index = new HashMap<>();
        for (int i = 0; i < calls.size(); i++) {
            for (WriteEvidence.Atom atom : calls.get(i).evidence().atoms()) {
                Map<String, List<Integer>> byValue = index.computeIfAbsent(atom.field(), f -> new HashMap<>());
                for (String v : atom.values()) {
                    List<Integer> owners = byValue.computeIfAbsent(v, k -> new ArrayList<>());
                    if (!owners.contains(i)) {
                        owners.add(i);
                    }
                }
            }
        }
        List<List<WireRecord>> writesOf = new ArrayList<>();
        for (int i = 0; i < calls.size(); i++) {
            writesOf.add(new ArrayList<>());
        }
        AuditReport.Builder report = AuditReport.builder(label);
        for (WireRecord r : records) {
            if (!scope.test(r)) {
                continue;
            }
            report.inScope(r);
            if (!r.isObjectWrite()) {
                continue;
            }
            Set<Integer> owners = new LinkedHashSet<>();
            for (Map.Entry<String, Map<String, List<Integer>>> field : index.entrySet()) {
                String value = WriteEvidence.valueOf(r, field.getKey());
                List<Integer> found = value == null ? null : field.getValue().get(value);
                if (found != null) {
                    owners.addAll(found);
                }
            }
            if (owners.size() > 1 && !sharedWrites) {
                List<String> names = new ArrayList<>();
                owners.forEach(i -> names.add(calls.get(i).id()));
                report.ambiguous(r, names);
            }
            if (owners.isEmpty()) {
                report.unattributed(r);
            }
            for (int i : owners) {
                writesOf.get(i).add(r);
            }
        }
        for (int i = 0; i < calls.size(); i++) {
            report.call(calls.get(i), writesOf.get(i));
        }
        return report.build();
    }
}
