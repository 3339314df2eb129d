package io.leasehold.test.history;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of {@link Checker#check}: a verdict for the whole history and one per key, with a
 * readable {@link #report()}.
 *
 * <p>Thread-safety: immutable.
 */
public final class CheckResult {
    private static final int KEYS_SHOWN = 5;

    /** What the checker concluded. */
    public enum Verdict {
        /** Linearizable: some order of the operations explains every response. */
        OK,
        /** Not linearizable: no order explains the responses (an anomaly is shown). */
        ANOMALY,
        /** The search budget ran out before a conclusion: neither proved nor refuted. */
        INCONCLUSIVE
    }

    private final String model;
    private final List<KeyResult> keys;
    private final Verdict verdict;
    private final Duration elapsed;

    CheckResult(String model, List<KeyResult> keys, Duration elapsed) {
        this.model = model;
        this.keys = List.copyOf(keys);
        this.elapsed = elapsed;
        Verdict v = Verdict.OK;
        for (KeyResult k : keys) {
            if (k.verdict == Verdict.ANOMALY) {
                v = Verdict.ANOMALY;
            } else if (k.verdict == Verdict.INCONCLUSIVE && v == Verdict.OK) {
                v = Verdict.INCONCLUSIVE;
            }
        }
        this.verdict = v;
    }

    /**
     * The verdict for the whole history: an anomaly if any key has one, else inconclusive if any
     * key is, else OK.
     *
     * @return never null
     */
    public Verdict verdict() {
        return verdict;
    }

    /**
     * Whether every key's history is linearizable (proved, not merely not refuted).
     *
     * @return true only for {@link Verdict#OK}
     */
    public boolean isOk() {
        return verdict == Verdict.OK;
    }

    /**
     * The result of each key, in the order keys first appear in the history.
     *
     * @return an immutable list
     */
    public List<KeyResult> keys() {
        return keys;
    }

    /**
     * The keys whose history is not linearizable.
     *
     * @return an immutable list, empty if none
     */
    public List<KeyResult> anomalies() {
        return keys.stream().filter(k -> k.verdict == Verdict.ANOMALY).collect(java.util.stream.Collectors.toUnmodifiableList());
    }

    /**
     * The number of operations checked, over all keys.
     *
     * @return the count
     */
    public int operations() {
        return keys.stream().mapToInt(KeyResult::operations).sum();
    }

    /**
     * The number of search states explored, over all keys (shrinking not included).
     *
     * @return the count
     */
    public long statesExplored() {
        return keys.stream().mapToLong(KeyResult::statesExplored).sum();
    }

    /**
     * The wall-clock time of the whole check, shrinking included.
     *
     * @return never null
     */
    public Duration elapsed() {
        return elapsed;
    }

    /**
     * Throws unless the verdict is {@link Verdict#OK}, with the {@link #report()} as message.
     *
     * @throws AssertionError if the history is not proved linearizable
     */
    public void assertOk() {
        if (!isOk()) {
            throw new AssertionError(report());
        }
    }

    /**
     * A short readable report: the verdict and figures, then for each key that is not OK (the first
     * few) its minimal offending sub-history as a timeline, or why the search gave up.
     *
     * @return never null
     */
    public String report() {
        StringBuilder out = new StringBuilder();
        int unknown = keys.stream().mapToInt(KeyResult::unknownOperations).sum();
        out.append(verdict == Verdict.OK ? "linearizable" : verdict == Verdict.ANOMALY ? "NOT linearizable" : "INCONCLUSIVE")
                .append(" against the ").append(model).append(" model: ").append(keys.size())
                .append(keys.size() == 1 ? " key, " : " keys, ").append(operations()).append(" operations (")
                .append(unknown).append(" of unknown outcome), ").append(statesExplored()).append(" states explored in ")
                .append(Timeline.seconds(elapsed));
        int shown = 0;
        int notOk = 0;
        for (KeyResult k : keys) {
            if (k.verdict == Verdict.OK) {
                continue;
            }
            notOk++;
            if (shown++ < KEYS_SHOWN) {
                out.append('\n').append(k.report());
            }
        }
        if (notOk > KEYS_SHOWN) {
            out.append("\n… and ").append(notOk - KEYS_SHOWN).append(" more keys not OK");
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

    /**
     * The result for one key.
     *
     * <p>Thread-safety: immutable.
     */
    public static final class KeyResult {
        private final String key;
        private final Verdict verdict;
        private final int operations;
        private final int unknownOperations;
        private final long statesExplored;
        private final Duration elapsed;
        private final List<Operation> offending;
        private final String explanation;

        KeyResult(String key, Verdict verdict, int operations, int unknownOperations, long statesExplored,
                Duration elapsed, List<Operation> offending, String explanation) {
            this.key = key;
            this.verdict = verdict;
            this.operations = operations;
            this.unknownOperations = unknownOperations;
            this.statesExplored = statesExplored;
            this.elapsed = elapsed;
            this.offending = List.copyOf(offending);
            this.explanation = explanation;
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
         * The verdict for this key.
         *
         * @return never null
         */
        public Verdict verdict() {
            return verdict;
        }

        /**
         * The number of this key's operations.
         *
         * @return the count, failed ones included
         */
        public int operations() {
            return operations;
        }

        /**
         * The number of this key's operations of unknown outcome (never completed included).
         *
         * @return the count
         */
        public int unknownOperations() {
            return unknownOperations;
        }

        /**
         * The number of search states explored for this key.
         *
         * @return the count
         */
        public long statesExplored() {
            return statesExplored;
        }

        /**
         * How long this key's search took (shrinking not included).
         *
         * @return never null
         */
        public Duration elapsed() {
            return elapsed;
        }

        /**
         * For an anomaly, the offending sub-history: operations that together are not
         * linearizable, minimal unless shrinking ran out of time (the explanation says so).
         *
         * @return an immutable list ordered by invocation; empty unless {@link Verdict#ANOMALY}
         */
        public List<Operation> offending() {
            return offending;
        }

        /**
         * For an anomaly, the offending sub-history as a timeline; for an inconclusive key, why the
         * search gave up.
         *
         * @return the text, or empty for an OK key
         */
        public Optional<String> explanation() {
            return Optional.ofNullable(explanation);
        }

        String report() {
            StringBuilder out = new StringBuilder();
            out.append("key ").append(Timeline.quote(key)).append(": ")
                    .append(verdict == Verdict.ANOMALY ? "not linearizable" : verdict == Verdict.OK ? "linearizable" : "inconclusive")
                    .append(" (").append(operations).append(" operations, ").append(unknownOperations).append(" unknown, ")
                    .append(statesExplored).append(" states, ").append(Timeline.seconds(elapsed)).append(')');
            if (explanation != null) {
                out.append('\n').append(explanation);
            }
            return out.toString();
        }

        /**
         * A one-key report.
         *
         * @return never null
         */
        @Override
        public String toString() {
            return report();
        }
    }
}
