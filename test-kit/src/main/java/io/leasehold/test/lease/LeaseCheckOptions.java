package io.leasehold.test.lease;

import java.time.Duration;
import java.util.Objects;

/**
 * Options of {@link LeaseChecker}.
 *
 * <p>Thread-safety: immutable; the builder is not thread-safe.
 */
public final class LeaseCheckOptions {
    private static final LeaseCheckOptions DEFAULTS = builder().build();

    private final Duration stuckMargin;

    private LeaseCheckOptions(Builder b) {
        this.stuckMargin = b.stuckMargin;
    }

    /**
     * The defaults: a 5 second margin for the "nothing is stuck" check.
     *
     * @return the defaults
     */
    public static LeaseCheckOptions defaults() {
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
     * How long after the last lease was certainly free (released, or expired after its holder
     * stopped) the final acquire may take to succeed: covers the acquirer's polling interval and the
     * store's own clock.
     *
     * @return the margin, not negative
     */
    public Duration stuckMargin() {
        return stuckMargin;
    }

    /**
     * Builds {@link LeaseCheckOptions}. Not thread-safe.
     */
    public static final class Builder {
        private Duration stuckMargin = Duration.ofSeconds(5);

        private Builder() {
        }

        /**
         * Sets the margin of the "nothing is stuck" check.
         *
         * @param margin not negative
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder stuckMargin(Duration margin) {
            if (Objects.requireNonNull(margin, "margin").isNegative()) {
                throw new IllegalArgumentException("stuckMargin must not be negative");
            }
            this.stuckMargin = margin;
            return this;
        }

        /**
         * Builds the options.
         *
         * @return the options
         */
        public LeaseCheckOptions build() {
            return new LeaseCheckOptions(this);
        }
    }
}
