package io.leasehold.core.lease;

import io.leasehold.core.DeleteOptions;
import io.leasehold.core.PutOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * A lease the caller holds: the key, the lease id to pass to guarded writes, its duration and,
 * where the driver provides them, a fencing token.
 *
 * <p>{@link #toString()} shows only a prefix of the id: lease ids are credentials.
 *
 * <p>Thread-safety: immutable.
 */
public final class Lease {
    private final String key;
    private final String id;
    private final Duration duration;
    private final Instant acquiredAt;
    private final Long fencingToken;

    /**
     * Creates a lease value.
     *
     * @param key the leased key
     * @param id the lease id
     * @param duration the duration, or null for infinite
     * @param acquiredAt when the lease was (re)acquired or renewed, by the local clock
     * @param fencingToken a token that strictly increases across holders, or null if unsupported
     */
    public Lease(String key, String id, @Nullable Duration duration, Instant acquiredAt, @Nullable Long fencingToken) {
        this.key = Objects.requireNonNull(key, "key");
        this.id = Objects.requireNonNull(id, "id");
        this.duration = duration;
        this.acquiredAt = Objects.requireNonNull(acquiredAt, "acquiredAt");
        this.fencingToken = fencingToken;
    }

    /**
     * The leased key.
     *
     * @return never null
     */
    public String key() {
        return key;
    }

    /**
     * The lease id; pass it to {@link PutOptions.Builder#leaseId(String)} and
     * {@link DeleteOptions.Builder#leaseId(String)}. Treat it as a secret.
     *
     * @return never null
     */
    public String id() {
        return id;
    }

    /**
     * The lease duration.
     *
     * @return the duration, or empty for an infinite lease
     */
    public Optional<Duration> duration() {
        return Optional.ofNullable(duration);
    }

    /**
     * When this lease was last acquired or renewed, by the local clock.
     *
     * @return never null
     */
    public Instant acquiredAt() {
        return acquiredAt;
    }

    /**
     * A latest time by which the lease is certainly expired if not renewed, by the local clock
     * (acquiredAt + duration; the store's own clock may end it earlier by its skew).
     *
     * @return the instant, or empty for an infinite lease
     */
    public Optional<Instant> expiresBy() {
        return duration == null ? Optional.empty() : Optional.of(acquiredAt.plus(duration));
    }

    /**
     * A fencing token that strictly increases each time a new holder acquires the lease.
     *
     * @return the token, or empty where the driver has none
     */
    public OptionalLong fencingToken() {
        return fencingToken == null ? OptionalLong.empty() : OptionalLong.of(fencingToken);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Lease && ((Lease) o).key.equals(key) && ((Lease) o).id.equals(id)
                && Objects.equals(((Lease) o).duration, duration) && ((Lease) o).acquiredAt.equals(acquiredAt)
                && Objects.equals(((Lease) o).fencingToken, fencingToken);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, id, duration, acquiredAt, fencingToken);
    }

    @Override
    public String toString() {
        return "Lease{key=" + key + ", id=" + io.leasehold.spi.kit.Redact.leaseId(id) + ", duration="
                + (duration == null ? "infinite" : duration) + ", fencingToken=" + fencingToken + "}";
    }
}
