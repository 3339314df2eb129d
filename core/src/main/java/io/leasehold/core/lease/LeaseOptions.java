package io.leasehold.core.lease;


import io.leasehold.core.InvalidArgumentException;
import io.leasehold.core.internal.Validation;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * How to acquire (and, for a {@link LeaseKeeper}, keep) a lease: its duration, an optional proposed
 * id, whether to wait while someone else holds it, whether to create the object first, and the
 * keeper's safety margin.
 *
 * <h2>Defaults</h2>
 * A 30 s lease under a random UUID id, no waiting (a held lease fails at once with
 * {@link io.leasehold.core.LeaseHeldException}), no creation (a missing object fails with
 * {@link io.leasehold.core.ObjectNotFoundException}), and a keeper safety margin of a fifth of the duration but at
 * least 2 s.
 *
 * <p>Setters validate at once and throw {@link InvalidArgumentException} naming the option, so a
 * bad value never reaches a store.
 *
 * <p>Thread-safety: immutable; the builder is not thread-safe.
 */
public final class LeaseOptions {
    /** The duration used when none is set. */
    public static final Duration DEFAULT_DURATION = Duration.ofSeconds(30);
    private static final Duration MIN_SAFETY_MARGIN = Duration.ofSeconds(2);
    private static final LeaseOptions DEFAULTS = builder().build();

    private final Duration duration;
    private final String proposedId;
    private final Duration waitTimeout;
    private final boolean createIfAbsent;
    private final Duration safetyMargin;

    private LeaseOptions(Builder b) {
        this.duration = b.duration;
        this.proposedId = b.proposedId;
        this.waitTimeout = b.waitTimeout;
        this.createIfAbsent = b.createIfAbsent;
        this.safetyMargin = b.safetyMargin;
    }

    /**
     * The defaults: 30 s, random id, no waiting, no creation.
     *
     * @return the defaults
     */
    public static LeaseOptions defaults() {
        return DEFAULTS;
    }

    /**
     * A lease of a given duration with every other option at its default.
     *
     * @param duration 15 to 60 whole seconds
     * @return the options
     * @throws InvalidArgumentException naming {@code duration} if out of range
     */
    public static LeaseOptions ofDuration(Duration duration) {
        return builder().duration(duration).build();
    }

    /**
     * An infinite lease with every other option at its default.
     *
     * @return the options
     */
    public static LeaseOptions infinite() {
        return builder().infinite().build();
    }

    /**
     * A new builder.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding these options.
     *
     * @return the builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.duration = duration;
        b.proposedId = proposedId;
        b.waitTimeout = waitTimeout;
        b.createIfAbsent = createIfAbsent;
        b.safetyMargin = safetyMargin;
        return b;
    }

    /**
     * The lease duration.
     *
     * @return 15 to 60 s, or empty for an infinite lease
     */
    public Optional<Duration> duration() {
        return Optional.ofNullable(duration);
    }

    /**
     * Whether the lease is infinite (held until released or broken).
     *
     * @return true if infinite
     */
    public boolean isInfinite() {
        return duration == null;
    }

    /**
     * The lease id to propose. Acquiring with the id of the current holder renews that lease.
     *
     * @return the id, or empty to use a random UUID
     */
    public Optional<String> proposedId() {
        return Optional.ofNullable(proposedId);
    }

    /**
     * How long {@link Leases#acquire(String, LeaseOptions)} keeps trying while the lease is held by
     * someone else or breaking.
     *
     * @return the timeout; zero means one attempt only
     */
    public Duration waitTimeout() {
        return waitTimeout;
    }

    /**
     * Whether acquiring on a missing object first creates it empty (create-if-absent, so an
     * existing object is never overwritten).
     *
     * @return true to create
     */
    public boolean createIfAbsent() {
        return createIfAbsent;
    }

    /**
     * How long before the lease could expire, by the local clock, a {@link LeaseKeeper} that has not
     * managed to renew declares the lease lost. It covers the request latency and clock-rate
     * differences between this host and the store.
     *
     * @return the margin; never null
     */
    public Duration safetyMargin() {
        if (safetyMargin != null) {
            return safetyMargin;
        }
        if (duration == null) {
            return MIN_SAFETY_MARGIN;
        }
        Duration fifth = duration.dividedBy(5);
        return fifth.compareTo(MIN_SAFETY_MARGIN) < 0 ? MIN_SAFETY_MARGIN : fifth;
    }

    @Override
    public String toString() {
        return "LeaseOptions{duration=" + (duration == null ? "infinite" : duration)
                + ", proposedId=" + (proposedId == null ? "random" : "present")
                + ", wait=" + waitTimeout + ", createIfAbsent=" + createIfAbsent
                + ", safetyMargin=" + safetyMargin() + "}";
    }

    /**
     * Builds {@link LeaseOptions}. Not thread-safe.
     */
    public static final class Builder {
        private Duration duration = DEFAULT_DURATION;
        private String proposedId;
        private Duration waitTimeout = Duration.ZERO;
        private boolean createIfAbsent;
        private Duration safetyMargin;

        private Builder() {
        }

        /**
         * Sets a finite duration.
         *
         * @param duration 15 to 60 whole seconds (Azure's limits, applied on every store)
         * @return this builder
         * @throws InvalidArgumentException naming {@code duration} if null or out of range
         */
        public Builder duration(Duration duration) {
            if (duration == null) {
                throw new InvalidArgumentException("duration", "must not be null; use infinite() for an infinite lease");
            }
            this.duration = Validation.leaseDuration(duration);
            return this;
        }

        /**
         * Makes the lease infinite: held until released or broken.
         *
         * @return this builder
         */
        public Builder infinite() {
            this.duration = null;
            return this;
        }

        /**
         * Proposes the lease id.
         *
         * @param proposedId 1 to 128 printable ASCII characters without spaces (Azure expects a
         *     GUID string), or null for a random UUID
         * @return this builder
         * @throws InvalidArgumentException naming {@code proposedId} if invalid
         */
        public Builder proposedId(@Nullable String proposedId) {
            this.proposedId = proposedId == null ? null : Validation.leaseId("proposedId", proposedId);
            return this;
        }

        /**
         * Waits up to a timeout while the lease is held by someone else or breaking, polling with
         * jittered backoff.
         *
         * @param timeout zero or more; zero means one attempt only
         * @return this builder
         * @throws InvalidArgumentException naming {@code waitTimeout} if null or negative
         */
        public Builder waitUpTo(Duration timeout) {
            if (timeout == null || timeout.isNegative()) {
                throw new InvalidArgumentException("waitTimeout", "must be zero or positive");
            }
            this.waitTimeout = timeout;
            return this;
        }

        /**
         * Creates the object, empty, when it does not exist (create-if-absent; an object that
         * already exists is left as it is).
         *
         * @param createIfAbsent true to create
         * @return this builder
         */
        public Builder createIfAbsent(boolean createIfAbsent) {
            this.createIfAbsent = createIfAbsent;
            return this;
        }

        /**
         * Sets the keeper's safety margin (see {@link LeaseOptions#safetyMargin()}).
         *
         * @param margin at least 1 s and less than a third of a finite duration, or null for the default
         * @return this builder
         * @throws InvalidArgumentException naming {@code safetyMargin} if out of range (checked
         *     against the duration in {@link #build()})
         */
        public Builder safetyMargin(@Nullable Duration margin) {
            if (margin != null && margin.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new InvalidArgumentException("safetyMargin", "must be at least 1 s; was " + margin);
            }
            this.safetyMargin = margin;
            return this;
        }

        /**
         * Builds the options.
         *
         * @return immutable options
         * @throws InvalidArgumentException naming {@code safetyMargin} if it leaves no room to renew
         */
        public LeaseOptions build() {
            if (safetyMargin != null && duration != null
                    && safetyMargin.multipliedBy(3).compareTo(duration) >= 0) {
                throw new InvalidArgumentException("safetyMargin",
                        "must be less than a third of the duration (" + duration + "); was " + safetyMargin);
            }
            return new LeaseOptions(this);
        }
    }
}
