package io.leasehold.test.lease;

import java.util.List;
import java.util.Locale;

/**
 * What {@link LeaseChecker} found: the violations, each with the events that show it, and notes on
 * checks that could not run.
 *
 * <p>Thread-safety: immutable.
 */
public final class LeaseCheckResult {
    private static final int SHOWN = 10;

    /** A broken lease guarantee, with the events that show it. */
    public static final class Violation {
        /** Which guarantee broke. */
        public enum Kind {
            /** Two tenures' believed-held intervals overlap: two holders at once. */
            OVERLAPPING_HOLDERS,
            /** A new tenure's fencing token is not larger than the previous tenure's (reused or lower). */
            TOKEN_NOT_INCREASING,
            /** A renewal reported a token other than the tenure's. */
            TOKEN_CHANGED_ON_RENEWAL,
            /** The store accepted a write with a lower token after one with a higher token, undetected. */
            STALE_WRITE_ACCEPTED,
            /** A write recorded as accepted is not in the store's order of accepted writes. */
            ACCEPTED_WRITE_MISSING,
            /** A write recorded as refused is in the store's order of accepted writes. */
            REFUSED_WRITE_APPLIED,
            /** After every holder released or stopped, no acquire succeeded in time. */
            STUCK
        }

        private final Kind kind;
        private final String key;
        private final String message;
        private final List<LeaseEvent> events;

        Violation(Kind kind, String key, String message, List<LeaseEvent> events) {
            this.kind = kind;
            this.key = key;
            this.message = message;
            this.events = List.copyOf(events);
        }

        /**
         * Which guarantee broke.
         *
         * @return never null
         */
        public Kind kind() {
            return kind;
        }

        /**
         * The key.
         *
         * @return never null
         */
        public String key() {
            return key;
        }

        /**
         * What broke, in a sentence.
         *
         * @return never null
         */
        public String message() {
            return message;
        }

        /**
         * The events that show it, by time.
         *
         * @return an immutable list
         */
        public List<LeaseEvent> events() {
            return events;
        }

        /**
         * The kind, key and message.
         *
         * @return never null
         */
        @Override
        public String toString() {
            return kind + " on \"" + key + "\": " + message;
        }
    }

    private final List<Violation> violations;
    private final List<String> notes;
    private final int tenures;
    private final int writes;
    private final long origin;

    LeaseCheckResult(List<Violation> violations, List<String> notes, int tenures, int writes, long origin) {
        this.violations = List.copyOf(violations);
        this.notes = List.copyOf(notes);
        this.tenures = tenures;
        this.writes = writes;
        this.origin = origin;
    }

    /**
     * Whether no guarantee broke (checks that could not run are listed in {@link #notes()}).
     *
     * @return true if there are no violations
     */
    public boolean isOk() {
        return violations.isEmpty();
    }

    /**
     * The violations found, grouped by check.
     *
     * @return an immutable list, empty if none
     */
    public List<Violation> violations() {
        return violations;
    }

    /**
     * Checks that could not run, and why (e.g. no final acquire was recorded).
     *
     * @return an immutable list
     */
    public List<String> notes() {
        return notes;
    }

    /**
     * Throws unless there are no violations, with the {@link #report()} as message.
     *
     * @throws AssertionError if a guarantee broke
     */
    public void assertOk() {
        if (!isOk()) {
            throw new AssertionError(report());
        }
    }

    /**
     * A short readable report: the verdict and figures, then each violation (the first few) with its
     * events, times in milliseconds since the history's first event.
     *
     * @return never null
     */
    public String report() {
        StringBuilder out = new StringBuilder();
        out.append(isOk() ? "lease history OK" : "lease history VIOLATES " + violations.size() + (violations.size() == 1 ? " guarantee" : " guarantees"))
                .append(": ").append(tenures).append(" tenures, ").append(writes).append(" guarded writes");
        int shown = 0;
        for (Violation v : violations) {
            if (shown++ == SHOWN) {
                out.append("\n… and ").append(violations.size() - SHOWN).append(" more");
                break;
            }
            out.append('\n').append(v);
            for (LeaseEvent e : v.events) {
                out.append('\n').append(String.format(Locale.ROOT, "    %10.3f ms  ", (e.time() - origin) / 1e6)).append(e.describe(origin));
            }
        }
        for (String note : notes) {
            out.append("\nnote: ").append(note);
        }
        return out.toString();
    }

    /**
     * The {@link #report()}.
     *
     * @return never null
     */
    @Override
    public String toString() {
        return report();
    }
}
