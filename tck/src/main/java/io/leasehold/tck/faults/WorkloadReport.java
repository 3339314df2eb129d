package io.leasehold.tck.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The outcome of one {@link FaultWorkloads} run: the {@link AuditReport} of its writes plus the
 * workload's own checks of the final content, with figures for the README.
 *
 * <p>Thread-safety: immutable.
 */
public final class WorkloadReport {
    private final String name;
    private final AuditReport audit;
    private final List<String> contentViolations;
    private final List<String> notes;
    private final Duration elapsed;

    WorkloadReport(String name, AuditReport audit, List<String> contentViolations, List<String> notes, Duration elapsed) {
        this.name = name;
        this.audit = audit;
        this.contentViolations = List.copyOf(contentViolations);
        this.notes = List.copyOf(notes);
        this.elapsed = elapsed;
    }

    /**
     * What was run, e.g. {@code toggle-updates on ceph-rgw}.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * The write audit.
     *
     * @return never null
     */
    public AuditReport audit() {
        return audit;
    }

    /**
     * Violations of the final-content checks (e.g. the final value is not what the acknowledged calls add up to).
     *
     * @return an unmodifiable list
     */
    public List<String> contentViolations() {
        return contentViolations;
    }

    /**
     * Every violation: the audit's, then the content checks'.
     *
     * @return an unmodifiable list, empty when clean
     */
    public List<String> violations() {
        List<String> all = new ArrayList<>(audit.violations());
        all.addAll(contentViolations);
        return Collections.unmodifiableList(all);
    }

    /**
     * Whether there is no violation.
     *
     * @return true when clean
     */
    public boolean isClean() {
        return violations().isEmpty();
    }

    /**
     * How long the calls took (without setup and audit).
     *
     * @return the duration; zero for scenarios
     */
    public Duration elapsed() {
        return elapsed;
    }

    /**
     * The audit summary, the content checks and notes, and the elapsed time.
     *
     * @return several lines
     */
    public String summary() {
        StringBuilder b = new StringBuilder(audit.summary());
        for (String n : notes) {
            b.append("  ").append(n).append('\n');
        }
        for (String v : contentViolations) {
            b.append("  VIOLATION: ").append(v).append('\n');
        }
        if (!elapsed.isZero()) {
            b.append("  elapsed ").append(elapsed.toMillis()).append(" ms\n");
        }
        return b.toString();
    }

    /**
     * Throws unless clean.
     *
     * @throws AssertionError with {@link #summary()} as message
     */
    public void assertClean() {
        if (!isClean()) {
            throw new AssertionError(summary());
        }
    }

    @Override
    public String toString() {
        return summary();
    }
}
