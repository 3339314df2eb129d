package io.leasehold.core.probe;

import io.leasehold.core.InvalidArgumentException;
import java.util.Objects;

/**
 * Options of an endpoint probe ({@link StoreProbe}): where it writes its scratch objects, how many
 * writers race in each atomicity test and how often, and how many requests it may send in all.
 *
 * <p>The defaults (scratch prefix {@value #DEFAULT_SCRATCH_PREFIX}, 16 racers, 3 rounds, a budget
 * of 200 requests) fit every probe in this project; a check that would exceed the budget is
 * reported as {@link ProbeFinding.Verdict#SKIPPED} and its capability is not declared.
 *
 * <p>Thread-safety: immutable; the builder is not thread-safe.
 */
public final class ProbeOptions {
    /** The default scratch prefix, under the store's own prefix; each run uses a fresh folder below it. */
    public static final String DEFAULT_SCRATCH_PREFIX = "leasehold-probe/";
    /** The fewest concurrent writers an atomicity test uses. */
    public static final int MIN_RACERS = 16;
    /** The largest request budget accepted. */
    public static final int MAX_REQUEST_BUDGET = 200;
    private static final ProbeOptions DEFAULTS = builder().build();

    private final String scratchPrefix;
    private final int racers;
    private final int rounds;
    private final int requestBudget;

    private ProbeOptions(Builder b) {
        this.scratchPrefix = b.scratchPrefix;
        this.racers = b.racers;
        this.rounds = b.rounds;
        this.requestBudget = b.requestBudget;
    }

    /**
     * The defaults: scratch prefix {@value #DEFAULT_SCRATCH_PREFIX}, 16 racers, 3 rounds, 200 requests.
     *
     * @return the defaults
     */
    public static ProbeOptions defaults() {
        return DEFAULTS;
    }

    /**
     * A builder with the defaults.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder initialised from these options.
     *
     * @return the builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.scratchPrefix = scratchPrefix;
        b.racers = racers;
        b.rounds = rounds;
        b.requestBudget = requestBudget;
        return b;
    }

    /**
     * The key prefix under which the probe writes (and afterwards deletes) its objects; it ends with {@code /}.
     *
     * @return the prefix
     */
    public String scratchPrefix() {
        return scratchPrefix;
    }

    /**
     * How many writers race in each atomicity test.
     *
     * @return at least {@value #MIN_RACERS}
     */
    public int racers() {
        return racers;
    }

    /**
     * How many rounds each atomicity test runs.
     *
     * @return at least 1
     */
    public int rounds() {
        return rounds;
    }

    /**
     * The most requests (driver calls, for probes that work through a driver) a probe may send,
     * cleanup included.
     *
     * @return at most {@value #MAX_REQUEST_BUDGET}
     */
    public int requestBudget() {
        return requestBudget;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ProbeOptions)) {
            return false;
        }
        ProbeOptions p = (ProbeOptions) o;
        return scratchPrefix.equals(p.scratchPrefix) && racers == p.racers && rounds == p.rounds
                && requestBudget == p.requestBudget;
    }

    @Override
    public int hashCode() {
        return Objects.hash(scratchPrefix, racers, rounds, requestBudget);
    }

    @Override
    public String toString() {
        return "ProbeOptions{scratchPrefix=" + scratchPrefix + ", racers=" + racers + ", rounds=" + rounds
                + ", requestBudget=" + requestBudget + "}";
    }

    /**
     * Builds {@link ProbeOptions}. Not thread-safe.
     */
    public static final class Builder {
        private String scratchPrefix = DEFAULT_SCRATCH_PREFIX;
        private int racers = MIN_RACERS;
        private int rounds = 3;
        private int requestBudget = MAX_REQUEST_BUDGET;

        private Builder() {
        }

        /**
         * Sets the scratch prefix; a trailing {@code /} is added if missing.
         *
         * @param prefix a non-empty key prefix
         * @return this builder
         * @throws InvalidArgumentException if the prefix is empty or starts with {@code /}
         */
        public Builder scratchPrefix(String prefix) {
            if (prefix == null || prefix.isBlank() || prefix.startsWith("/")) {
                throw new InvalidArgumentException("scratchPrefix", "must be a non-empty key prefix not starting with '/'");
            }
            this.scratchPrefix = prefix.endsWith("/") ? prefix : prefix + "/";
            return this;
        }

        /**
         * Sets how many writers race in each atomicity test.
         *
         * @param racers at least {@value #MIN_RACERS}
         * @return this builder
         * @throws InvalidArgumentException if fewer
         */
        public Builder racers(int racers) {
            if (racers < MIN_RACERS) {
                throw new InvalidArgumentException("racers", "must be at least " + MIN_RACERS);
            }
            this.racers = racers;
            return this;
        }

        /**
         * Sets how many rounds each atomicity test runs.
         *
         * @param rounds at least 1
         * @return this builder
         * @throws InvalidArgumentException if less than 1
         */
        public Builder rounds(int rounds) {
            if (rounds < 1) {
                throw new InvalidArgumentException("rounds", "must be at least 1");
            }
            this.rounds = rounds;
            return this;
        }

        /**
         * Sets the request budget.
         *
         * @param budget between 1 and {@value #MAX_REQUEST_BUDGET}
         * @return this builder
         * @throws InvalidArgumentException if out of range
         */
        public Builder requestBudget(int budget) {
            if (budget < 1 || budget > MAX_REQUEST_BUDGET) {
                throw new InvalidArgumentException("requestBudget", "must be between 1 and " + MAX_REQUEST_BUDGET);
            }
            this.requestBudget = budget;
            return this;
        }

        /**
         * Builds the options.
         *
         * @return the immutable options
         */
        public ProbeOptions build() {
            return new ProbeOptions(this);
        }
    }
}
