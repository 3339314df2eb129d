package io.leasehold.core.lease;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An object's lease status as the store reports it.
 *
 * <p>Thread-safety: immutable.
 */
public final class LeaseStatus {
    private final LeaseState state;
    private final boolean infinite;
    private final Duration remaining;

    /**
     * Creates a status.
     *
     * @param state the state
     * @param infinite whether a held lease is infinite
     * @param remaining the time left on a held or breaking lease where known, or null
     */
    public LeaseStatus(LeaseState state, boolean infinite, @Nullable Duration remaining) {
        this.state = Objects.requireNonNull(state, "state");
        this.infinite = infinite;
        this.remaining = remaining;
    }

    /**
     * The state.
     *
     * @return never null
     */
    public LeaseState state() {
        return state;
    }

    /**
     * Whether a held lease is infinite.
     *
     * @return true if {@link LeaseState#LEASED} with no expiry
     */
    public boolean isInfinite() {
        return infinite;
    }

    /**
     * The time left on a held lease or a break period, where the store reports it (Azure does not
     * report a held lease's remaining time).
     *
     * @return the remaining time, or empty
     */
    public Optional<Duration> remaining() {
        return Optional.ofNullable(remaining);
    }

    @Override
    public String toString() {
        return "LeaseStatus{state=" + state + ", infinite=" + infinite + ", remaining=" + remaining + "}";
    }
}
