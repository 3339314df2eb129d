package io.leasehold.tck.faults;

import io.leasehold.core.ErrorCode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The result of a {@link WriteAudit}: figures (calls by outcome, writes sent and landed, faults
 * applied) and violations, each with up to {@value #EXAMPLES} examples and their wire records.
 *
 * <p>Thread-safety: immutable.
 */
public final class AuditReport {
    /** How many examples a violation line shows. */
    public static final int EXAMPLES = 5;

    private final String label;
    private final int calls;
    private final Map<CallOutcome.Kind, Integer> outcomes;
    private final Map<ErrorCode, Integer> failures;
    private final int unknownLanded;
    private final int requestsInScope;
    private final int writesForwarded;
    private final int writesLanded;
    private final Map<Fault.Kind, Integer> faults;
    private final int doubled;
    private final int doubledAcknowledged;
    private final int acknowledgedNotLanded;
    private final int failedButLanded;
    private final int unclassified;
    private final int unattributed;
    private final int ambiguous;
    private final int uncertain;
    private final List<String> violations;
    private final Map<String, Integer> landedByCall;
    private final Map<String, Integer> unknownReasons;
    private final Map<String, Integer> unknownLastWrites;

    private AuditReport(Builder b) {
        this.landedByCall = Collections.unmodifiableMap(new HashMap<>(b.landedByCall));
        this.unknownReasons = Collections.unmodifiableMap(new LinkedHashMap<>(b.unknownReasonsOrdered));
        this.unknownLastWrites = Collections.unmodifiableMap(new TreeMap<>(b.unknownLastWrites));
        this.label = b.label;
        this.calls = b.calls;
        this.outcomes = Collections.unmodifiableMap(new EnumMap<>(b.outcomes));
        this.failures = Collections.unmodifiableMap(new TreeMap<>(b.failures));
        this.unknownLanded = b.unknownLanded;
        this.requestsInScope = b.requestsInScope;
        this.writesForwarded = b.writesForwarded;
        this.writesLanded = b.writesLanded;
        this.faults = Collections.unmodifiableMap(new EnumMap<>(b.faults));
        this.doubled = b.doubled.size();
        this.doubledAcknowledged = b.doubledAcknowledged;
        this.acknowledgedNotLanded = b.acknowledgedNotLanded.size();
        this.failedButLanded = b.failedButLanded.size();
        this.unclassified = b.unclassified.size();
        this.unattributed = b.unattributed.size();
        this.ambiguous = b.ambiguous.size();
        this.uncertain = b.uncertain.size();
        List<String> v = new ArrayList<>();
        line(v, "calls landed more than once", b.doubled, " (" + b.doubledAcknowledged + " of them acknowledged)");
        line(v, "acknowledged calls that did not land", b.acknowledgedNotLanded, "");
        line(v, "definitively failed calls that landed", b.failedButLanded, " " + b.failedButLandedByCode);
        line(v, "calls ended with an unclassified failure", b.unclassified, "");
        line(v, "landed writes that belong to no call", b.unattributed, "");
        line(v, "writes claimed by more than one call", b.ambiguous, "");
        line(v, "writes whose landing the proxy could not see", b.uncertain, "");
        this.violations = Collections.unmodifiableList(v);
    }

    private static void line(List<String> out, String what, List<String> examples, String extra) {
        if (examples.isEmpty()) {
            return;
        }
        StringBuilder b = new StringBuilder().append(String.format("%,d", examples.size())).append(' ').append(what)
                .append(extra).append(", e.g.:");
        for (String e : examples.subList(0, Math.min(EXAMPLES, examples.size()))) {
            b.append("\n      ").append(e);
        }
        out.add(b.toString());
    }

    static Builder builder(String label) {
        return new Builder(label);
    }

    /**
     * What was audited.
     *
     * @return the label
     */
    public String label() {
        return label;
    }

    /**
     * Calls audited.
     *
     * @return the count
     */
    public int calls() {
        return calls;
    }

    /**
     * How many times each call's write landed.
     *
     * @return call id to count; an unmodifiable map
     */
    public Map<String, Integer> landedByCall() {
        return landedByCall;
    }

    /**
     * Why calls ended with an unknown outcome: the failure's type and message (key removed), most
     * frequent first.
     *
     * @return reason to count; an unmodifiable map
     */
    public Map<String, Integer> unknownReasons() {
        return unknownReasons;
    }

    /**
     * What happened on the wire to the last write of each outcome-unknown call, e.g.
     * {@code "LOSE_RESPONSE, server 200"} or {@code "no fault, server 500"} (the server's own error).
     *
     * @return description to count; an unmodifiable map
     */
    public Map<String, Integer> unknownLastWrites() {
        return unknownLastWrites;
    }

    /**
     * Calls per outcome.
     *
     * @param kind the outcome
     * @return the count
     */
    public int outcomes(CallOutcome.Kind kind) {
        return outcomes.getOrDefault(kind, 0);
    }

    /**
     * Definitive failures by error code.
     *
     * @return an unmodifiable map
     */
    public Map<ErrorCode, Integer> failuresByCode() {
        return failures;
    }

    /**
     * Outcome-unknown calls whose write landed (once).
     *
     * @return the count
     */
    public int unknownLanded() {
        return unknownLanded;
    }

    /**
     * Whole-object writes in scope that reached the server.
     *
     * @return the count
     */
    public int writesForwarded() {
        return writesForwarded;
    }

    /**
     * Whole-object writes in scope that landed.
     *
     * @return the count
     */
    public int writesLanded() {
        return writesLanded;
    }

    /**
     * Faults applied to requests in scope, by kind (delays without another fault count as NONE and are
     * left out).
     *
     * @return an unmodifiable map
     */
    public Map<Fault.Kind, Integer> faults() {
        return faults;
    }

    /**
     * Calls that landed more than once.
     *
     * @return the count
     */
    public int doubled() {
        return doubled;
    }

    /**
     * Of {@link #doubled()}, the acknowledged ones.
     *
     * @return the count
     */
    public int doubledAcknowledged() {
        return doubledAcknowledged;
    }

    /**
     * Acknowledged calls that never landed (lost writes).
     *
     * @return the count
     */
    public int acknowledgedNotLanded() {
        return acknowledgedNotLanded;
    }

    /**
     * Calls that failed definitively but landed.
     *
     * @return the count
     */
    public int failedButLanded() {
        return failedButLanded;
    }

    /**
     * Calls whose failure was not classified.
     *
     * @return the count
     */
    public int unclassified() {
        return unclassified;
    }

    /**
     * Landed writes in scope that no call claims.
     *
     * @return the count
     */
    public int unattributed() {
        return unattributed;
    }

    /**
     * Writes claimed by more than one call.
     *
     * @return the count
     */
    public int ambiguous() {
        return ambiguous;
    }

    /**
     * Writes whose landing the proxy could not see.
     *
     * @return the count
     */
    public int uncertain() {
        return uncertain;
    }

    /**
     * One line per kind of violation, with examples.
     *
     * @return an unmodifiable list, empty when clean
     */
    public List<String> violations() {
        return violations;
    }

    /**
     * Whether there is no violation.
     *
     * @return true when clean
     */
    public boolean isClean() {
        return violations.isEmpty();
    }

    /**
     * A readable summary: figures, then violations.
     *
     * @return several lines
     */
    public String summary() {
        StringBuilder b = new StringBuilder();
        b.append(label).append(": ").append(String.format("%,d", calls)).append(" calls — ")
                .append(String.format("%,d", outcomes(CallOutcome.Kind.ACKNOWLEDGED))).append(" acknowledged, ")
                .append(String.format("%,d", outcomes(CallOutcome.Kind.FAILED))).append(" failed definitively")
                .append(failures.isEmpty() ? "" : " " + failures).append(", ")
                .append(String.format("%,d", outcomes(CallOutcome.Kind.OUTCOME_UNKNOWN))).append(" outcome unknown (")
                .append(unknownLanded).append(" of them landed), ")
                .append(outcomes(CallOutcome.Kind.UNCLASSIFIED)).append(" unclassified\n");
        b.append("  wire: ").append(String.format("%,d", requestsInScope)).append(" requests, ")
                .append(String.format("%,d", writesForwarded)).append(" object writes reached the server, ")
                .append(String.format("%,d", writesLanded)).append(" landed; faults ").append(faults).append('\n');
        b.append("  doubled ").append(doubled).append(" (").append(doubledAcknowledged).append(" acknowledged), lost acknowledged ")
                .append(acknowledgedNotLanded).append(", failed-but-landed ").append(failedButLanded)
                .append(", unattributed ").append(unattributed).append('\n');
        if (!unknownLastWrites.isEmpty()) {
            b.append("  outcome-unknown calls by their last write: ").append(unknownLastWrites).append('\n');
        }
        int shown = 0;
        for (Map.Entry<String, Integer> reason : unknownReasons.entrySet()) {
            if (shown++ == 3) {
                b.append("  … ").append(unknownReasons.size() - 3).append(" more reasons for unknown outcomes\n");
                break;
            }
            b.append("  outcome unknown ").append(reason.getValue()).append("x: ").append(reason.getKey()).append('\n');
        }
        if (violations.isEmpty()) {
            b.append("  no violations\n");
        } else {
            for (String v : violations) {
                b.append("  VIOLATION: ").append(v).append('\n');
            }
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return summary();
    }

    /** Accumulates the report; used by {@link WriteAudit} only. Not thread-safe. */
    static final class Builder {
        private final String label;
        private int calls;
        private final Map<CallOutcome.Kind, Integer> outcomes = new EnumMap<>(CallOutcome.Kind.class);
        private final Map<ErrorCode, Integer> failures = new EnumMap<>(ErrorCode.class);
        private int unknownLanded;
        private int requestsInScope;
        private int writesForwarded;
        private int writesLanded;
        private final Map<Fault.Kind, Integer> faults = new EnumMap<>(Fault.Kind.class);
        private final List<String> doubled = new ArrayList<>();
        private int doubledAcknowledged;
        private final List<String> acknowledgedNotLanded = new ArrayList<>();
        private final List<String> failedButLanded = new ArrayList<>();
        private final Map<ErrorCode, Integer> failedButLandedByCode = new EnumMap<>(ErrorCode.class);
        private final List<String> unclassified = new ArrayList<>();
        private final List<String> unattributed = new ArrayList<>();
        private final List<String> ambiguous = new ArrayList<>();
        private final List<String> uncertain = new ArrayList<>();
        private final Map<String, Integer> landedByCall = new HashMap<>();
        private final Map<String, Integer> unknownReasons = new HashMap<>();
        private Map<String, Integer> unknownReasonsOrdered = Map.of();
        private final Map<String, Integer> unknownLastWrites = new HashMap<>();

        private Builder(String label) {
            this.label = label;
        }

        void inScope(WireRecord r) {
            requestsInScope++;
            if (r.fault().kind() != Fault.Kind.NONE) {
                faults.merge(r.fault().kind(), 1, Integer::sum);
            }
            if (r.isObjectWrite() && r.forwarded()) {
                writesForwarded++;
            }
            if (r.landed()) {
                writesLanded++;
            }
        }

        void ambiguous(WireRecord r, List<String> callIds) {
            ambiguous.add(r + " claimed by " + callIds);
        }

        void unattributed(WireRecord r) {
            if (r.landed()) {
                unattributed.add(r.toString());
            } else if (r.landingUnknown()) {
                uncertain.add(r + " (no call)");
            }
        }

        void call(WriteAudit.Call call, List<WireRecord> writes) {
            calls++;
            CallOutcome outcome = call.outcome();
            outcomes.merge(outcome.kind(), 1, Integer::sum);
            int landed = 0;
            for (WireRecord w : writes) {
                if (w.landed()) {
                    landed++;
                }
                if (w.landingUnknown()) {
                    uncertain.add(w + " of " + call.id());
                }
            }
            landedByCall.put(call.id(), landed);
            String detail = describe(call, landed, writes);
            if (landed > 1) {
                doubled.add(detail);
                if (outcome.kind() == CallOutcome.Kind.ACKNOWLEDGED) {
                    doubledAcknowledged++;
                }
            }
            switch (outcome.kind()) {
                case ACKNOWLEDGED:
                    if (landed == 0) {
                        acknowledgedNotLanded.add(detail);
                    }
                    break;
                case FAILED:
                    failures.merge(outcome.code(), 1, Integer::sum);
                    if (landed > 0) {
                        failedButLanded.add(detail);
                        failedButLandedByCode.merge(outcome.code(), 1, Integer::sum);
                    }
                    break;
                case OUTCOME_UNKNOWN:
                    if (landed > 0) {
                        unknownLanded++;
                    }
                    unknownReasons.merge(reason(outcome.failure()), 1, Integer::sum);
                    unknownLastWrites.merge(lastWrite(writes), 1, Integer::sum);
                    break;
                default:
                    unclassified.add(detail);
                    break;
            }
        }

        private static String lastWrite(List<WireRecord> writes) {
            if (writes.isEmpty()) {
                return "no write sent";
            }
            WireRecord w = writes.get(writes.size() - 1);
            String fault = w.fault().kind() == Fault.Kind.NONE ? "no fault" : w.fault().kind().name();
            return fault + ", server " + (w.forwarded() ? Integer.toString(w.upstreamStatus()) : "not reached");
        }

        /** A failure text without the key, so that equal reasons group. */
        private static String reason(String failure) {
            String r = failure == null ? "" : failure.replaceAll(" \\(key '[^']*'\\)", "").replaceAll("key '[^']*'", "key");
            return r.length() > 200 ? r.substring(0, 200) + "…" : r;
        }

        private static String describe(WriteAudit.Call call, int landed, List<WireRecord> writes) {
            StringBuilder b = new StringBuilder(call.id()).append(' ').append(call.outcome()).append(" landed ")
                    .append(landed).append("x");
            if (call.outcome().failure() != null) {
                String f = call.outcome().failure();
                b.append(" [").append(f.length() > 300 ? f.substring(0, 300) + "…" : f).append(']');
            }
            for (WireRecord w : writes) {
                b.append("\n        ").append(w);
            }
            return b.toString();
        }

        AuditReport build() {
            List<Map.Entry<String, Integer>> sorted = new ArrayList<>(unknownReasons.entrySet());
            sorted.sort((x, y) -> y.getValue() - x.getValue());
            unknownReasons.clear();
            Map<String, Integer> ordered = new LinkedHashMap<>();
            for (Map.Entry<String, Integer> e : sorted) {
                ordered.put(e.getKey(), e.getValue());
            }
            unknownReasonsOrdered = ordered;
            return new AuditReport(this);
        }
    }
}
