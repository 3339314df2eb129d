package io.leasehold.test.history;

import java.time.Duration;
import java.util.Objects;

/**
 * Budgets of a {@link Checker} run. When a key's budget runs out the key is reported
 * {@link CheckResult.Verdict#INCONCLUSIVE}, never linearizable.
 *
 * <p>Thread-safety: immutable; the builder is not thread-safe.
 */
public final class CheckOptions {
    private static final CheckOptions DEFAULTS = builder().build();

    private final long maxStates;
    private final Duration timeLimit;
    private final boolean shrink;
    private final Duration shrinkTimeLimit;
    private final int parallelism;

    private CheckOptions(Builder b) {
        this.maxStates = b.maxStates;
        this.timeLimit = b.timeLimit;
        this.shrink = b.shrink;
        this.shrinkTimeLimit = b.shrinkTimeLimit;
        this.parallelism = b.parallelism;
    }

    /**
     * The defaults: 2,000,000 states and 2 minutes per key, shrinking anomalies for up to 30
     * seconds per key, keys checked on as many threads as there are processors.
     *
     * @return the defaults
     */
    public static CheckOptions defaults() {
        return DEFAULTS;
    }

    /**
     * A new builder, starting from the defaults.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding these options.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.maxStates = maxStates;
        b.timeLimit = timeLimit;
        b.shrink = shrink;
        b.shrinkTimeLimit = shrinkTimeLimit;
        b.parallelism = parallelism;
        return b;
    }

    /**
     * How many search states one key may explore (each costs some hundred bytes of memory).
     *
     * @return the budget, at least 1
     */
    public long maxStates() {
        return maxStates;
    }

    /**
     * How long the search of one key may take.
     *
     * @return the limit, positive
     */
    public Duration timeLimit() {
        return timeLimit;
    }

    /**
     * Whether an anomaly is shrunk to a minimal offending sub-history.
     *
     * @return true by default
     */
    public boolean shrink() {
        return shrink;
    }

    /**
     * How long shrinking one key's anomaly may take; when it runs out, the smallest offending
     * sub-history found so far is reported (and said not to be minimal). The same allowance again
     * goes to looking for a window that proves an anomaly in a key whose whole search ran out of
     * budget.
     *
     * @return the limit, positive
     */
    public Duration shrinkTimeLimit() {
        return shrinkTimeLimit;
    }

    /**
     * How many keys are checked at once.
     *
     * @return at least 1
     */
    public int parallelism() {
        return parallelism;
    }

    /**
     * Builds {@link CheckOptions}. Not thread-safe.
     */
    public static final class Builder {
        private long maxStates = 2_000_000;
        private Duration timeLimit = Duration.ofMinutes(2);
        private boolean shrink = true;
        private Duration shrinkTimeLimit = Duration.ofSeconds(30);
        private int parallelism = Runtime.getRuntime().availableProcessors();

        private Builder() {
        }

        /**
         * Sets how many search states one key may explore.
         *
         * @param maxStates at least 1
         * @return this builder
         * @throws IllegalArgumentException if less than 1
         */
        public Builder maxStates(long maxStates) {
            if (maxStates < 1) {
                throw new IllegalArgumentException("maxStates must be at least 1");
            }
            this.maxStates = maxStates;
            return this;
        }

        /**
         * Sets how long the search of one key may take.
         *
         * @param timeLimit positive
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder timeLimit(Duration timeLimit) {
            this.timeLimit = positive(timeLimit, "timeLimit");
            return this;
        }

        /**
         * Sets whether anomalies are shrunk.
         *
         * @param shrink false to report the whole key's history instead
         * @return this builder
         */
        public Builder shrink(boolean shrink) {
            this.shrink = shrink;
            return this;
        }

        /**
         * Sets how long shrinking one key's anomaly may take.
         *
         * @param limit positive
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder shrinkTimeLimit(Duration limit) {
            this.shrinkTimeLimit = positive(limit, "shrinkTimeLimit");
            return this;
        }

        /**
         * Sets how many keys are checked at once.
         *
         * @param parallelism at least 1
         * @return this builder
         * @throws IllegalArgumentException if less than 1
         */
        public Builder parallelism(int parallelism) {
            if (parallelism < 1) {
                throw new IllegalArgumentException("parallelism must be at least 1");
            }
            this.parallelism = parallelism;
            return this;
        }

        /**
         * Builds the options.
         *
         * @return the options
         */
        public CheckOptions build() {
            return new CheckOptions(this);
        }

        private static Duration positive(Duration d, String name) {
            if (Objects.requireNonNull(d, name).isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return d;
        }
    }
}
