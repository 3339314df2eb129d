package io.leasehold.core.lease;

import io.leasehold.core.DeleteOptions;
import io.leasehold.core.PutOptions;
import io.leasehold.core.internal.lease.LeaseTimes;
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
 * <p>{@link #acquiredAt()} and {@link #expiresBy()} are wall-clock values, for display and logs: a
 * clock step (NTP, a VM resumed) moves them. The library times leases on a monotonic clock: a lease
 * it returns also carries, invisibly, the {@link System#nanoTime()} just before the request that won
 * or renewed it was sent, and {@link Leases#keep(Lease, LeaseListener)} counts from that. A lease
 * built with the public constructor has no such stamp.
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
    private final long sentNanos;
    private final boolean stamped;

    static {
        LeaseTimes.install(new LeaseTimes.Access() {
            @Override
            public Lease stamped(String key, String id, Duration duration, Instant acquiredAt, Long fencingToken,
                                 long sentNanos) {
                return new Lease(key, id, duration, acquiredAt, fencingToken, sentNanos, true);
            }

            @Override
            public OptionalLong sentNanos(Lease lease) {
                return lease.stamped ? OptionalLong.of(lease.sentNanos) : OptionalLong.empty();
            }
        });
    }

    /**
     * Creates a lease value (without a monotonic stamp: a keeper of it renews it before trusting it).
     *
     * @param key the leased key
     * @param id the lease id
     * @param duration the duration, or null for infinite
     * @param acquiredAt when the lease was (re)acquired or renewed, by the local clock
     * @param fencingToken a token that strictly increases across holders, or null if unsupported
     */
    public Lease(String key, String id, @Nullable Duration duration, Instant acquiredAt, @Nullable Long fencingToken) {
        this(key, id, duration, acquiredAt, fencingToken, 0, false);
    }

    private Lease(String key, String id, Duration duration, Instant acquiredAt, Long fencingToken, long sentNanos,
                  boolean stamped) {
        this.sentNanos = sentNanos;
        this.stamped = stamped;
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
     * The lease id; pass it to {@link io.leasehold.core.PutOptions.Builder#leaseId(String)} and
     * {@link io.leasehold.core.DeleteOptions.Builder#leaseId(String)}. Treat it as a secret.
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
     * When this lease was last acquired or renewed, by the local wall clock (just before the request
     * was sent): for display; it moves with clock steps, so never time a lease by it.
     *
     * @return never null
     */
    public Instant acquiredAt() {
        return acquiredAt;
    }

    /**
     * A latest time by which the lease is certainly expired if not renewed, by the local wall clock
     * (acquiredAt + duration; the store's own clock may end it earlier by its skew): for display,
     * like {@link #acquiredAt()}.
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
