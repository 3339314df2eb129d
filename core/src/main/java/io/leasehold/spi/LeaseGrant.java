package io.leasehold.spi;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * A lease operation's answer from a driver: the lease id now in place, its duration and, where
 * the driver issues them, its fencing token. The facade adds the key and its own (monotonic)
 * timing to make the caller's {@link io.leasehold.core.lease.Lease}.
 *
 * <p>Thread-safety: immutable.
 */
public final class LeaseGrant {
    private final String id;
    private final Duration duration;
    private final Long fencingToken;

    private LeaseGrant(String id, Duration duration, Long fencingToken) {
        this.id = Objects.requireNonNull(id, "id");
        this.duration = duration;
        this.fencingToken = fencingToken;
    }

    /**
     * A lease in place.
     *
     * @param id the lease id
     * @param duration the duration, or null for infinite
     * @param fencingToken the fencing token, or null if the driver issues none
     * @return the grant
     */
    public static LeaseGrant of(String id, @Nullable Duration duration, @Nullable Long fencingToken) {
        return new LeaseGrant(id, duration, fencingToken);
    }

    /**
     * The lease id in place.
     *
     * @return the id
     */
    public String id() {
        return id;
    }

    /**
     * The lease's duration.
     *
     * @return the duration, or empty for infinite
     */
    public Optional<Duration> duration() {
        return Optional.ofNullable(duration);
    }

    /**
     * The fencing token.
     *
     * @return the token, or empty if the driver issues none
     */
    public OptionalLong fencingToken() {
        return fencingToken == null ? OptionalLong.empty() : OptionalLong.of(fencingToken);
    }

    /**
     * The same grant with another fencing token (the facade adds tokens drivers do not issue).
     *
     * @param token the token
     * @return the grant
     */
    public LeaseGrant withFencingToken(long token) {
        return new LeaseGrant(id, duration, token);
    }

    @Override
    public String toString() {
        return "LeaseGrant{duration=" + (duration == null ? "infinite" : duration) + ", fencingToken=" + fencingToken + "}";
    }
}
