package io.leasehold.core;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Options of a put: the {@link PutMode}, optional date conditions, content type, user metadata,
 * a lease to write under and the read consistency used to evaluate conditions.
 *
 * <p>Which store honours what: see {@link Capability}. An option the store cannot honour makes
 * the put fail with {@link NotSupportedException} before anything is sent (e.g. date-conditioned
 * puts on AWS S3; they work on Tigris and the embedded stores).
 *
 * <p>Thread-safety: immutable; the builder is not thread-safe.
 */
public final class PutOptions {
    private static final PutOptions DEFAULTS = builder().build();

    private final PutMode mode;
    private final Instant ifModifiedSince;
    private final Instant ifUnmodifiedSince;
    private final String contentType;
    private final Map<String, String> userMetadata;
    private final String leaseId;
    private final ReadConsistency consistency;

    private PutOptions(Builder b) {
        this.mode = b.mode;
        this.ifModifiedSince = b.ifModifiedSince;
        this.ifUnmodifiedSince = b.ifUnmodifiedSince;
        this.contentType = b.contentType;
        this.userMetadata = Collections.unmodifiableMap(new LinkedHashMap<>(b.userMetadata));
        this.leaseId = b.leaseId;
        this.consistency = b.consistency;
    }

    /**
     * Unconditional overwrite, no metadata.
     *
     * @return the defaults
     */
    public static PutOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Options with just a mode.
     *
     * @param mode the put mode
     * @return the options
     */
    public static PutOptions of(PutMode mode) {
        return builder().mode(mode).build();
    }

    /**
     * A new builder with defaults.
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
        b.mode = mode;
        b.ifModifiedSince = ifModifiedSince;
        b.ifUnmodifiedSince = ifUnmodifiedSince;
        b.contentType = contentType;
        b.userMetadata.putAll(userMetadata);
        b.leaseId = leaseId;
        b.consistency = consistency;
        return b;
    }

    /**
     * The put mode.
     *
     * @return never null
     */
    public PutMode mode() {
        return mode;
    }

    /**
     * Write only if the object changed after this instant (second precision).
     *
     * @return the instant, or empty
     */
    public Optional<Instant> ifModifiedSince() {
        return Optional.ofNullable(ifModifiedSince);
    }

    /**
     * Write only if the object did not change after this instant (second precision).
     *
     * @return the instant, or empty
     */
    public Optional<Instant> ifUnmodifiedSince() {
        return Optional.ofNullable(ifUnmodifiedSince);
    }

    /**
     * The content type to store.
     *
     * @return the media type, or empty for the store's default
     */
    public Optional<String> contentType() {
        return Optional.ofNullable(contentType);
    }

    /**
     * User metadata to store with the object (replaces any existing metadata).
     *
     * @return an unmodifiable map, possibly empty
     */
    public Map<String, String> userMetadata() {
        return userMetadata;
    }

    /**
     * The lease the write is made under (required when the object is leased).
     *
     * @return the lease id, or empty
     */
    public Optional<String> leaseId() {
        return Optional.ofNullable(leaseId);
    }

    /**
     * The consistency with which the store must evaluate the put's conditions.
     *
     * @return never null; {@link ReadConsistency#STRONG} by default
     */
    public ReadConsistency consistency() {
        return consistency;
    }

    /**
     * Whether the put carries any condition (mode other than overwrite, or a date condition).
     *
     * @return true if conditional
     */
    public boolean isConditional() {
        return mode.kind() != PutMode.Kind.OVERWRITE || ifModifiedSince != null || ifUnmodifiedSince != null;
    }

    @Override
    public String toString() {
        return "PutOptions{mode=" + mode + ", ifModifiedSince=" + ifModifiedSince + ", ifUnmodifiedSince="
                + ifUnmodifiedSince + ", contentType=" + contentType + ", metadataKeys=" + userMetadata.keySet()
                + ", lease=" + (leaseId == null ? "none" : "present") + ", consistency=" + consistency + "}";
    }

    /**
     * Builds {@link PutOptions}. Not thread-safe.
     */
    public static final class Builder {
        private PutMode mode = PutMode.overwrite();
        private Instant ifModifiedSince;
        private Instant ifUnmodifiedSince;
        private String contentType;
        private final Map<String, String> userMetadata = new LinkedHashMap<>();
        private String leaseId;
        private ReadConsistency consistency = ReadConsistency.STRONG;

        private Builder() {
        }

        /**
         * Sets the mode.
         *
         * @param mode the mode; not null
         * @return this builder
         * @throws InvalidArgumentException if null
         */
        public Builder mode(PutMode mode) {
            if (mode == null) {
                throw new InvalidArgumentException("mode", "must not be null");
            }
            this.mode = mode;
            return this;
        }

        /**
         * Sets If-Modified-Since.
         *
         * @param instant the instant, or null to clear
         * @return this builder
         */
        public Builder ifModifiedSince(@Nullable Instant instant) {
            this.ifModifiedSince = instant;
            return this;
        }

        /**
         * Sets If-Unmodified-Since.
         *
         * @param instant the instant, or null to clear
         * @return this builder
         */
        public Builder ifUnmodifiedSince(@Nullable Instant instant) {
            this.ifUnmodifiedSince = instant;
            return this;
        }

        /**
         * Sets the content type.
         *
         * @param contentType a media type such as {@code text/plain}, or null for the default
         * @return this builder
         */
        public Builder contentType(@Nullable String contentType) {
            this.contentType = contentType;
            return this;
        }

        /**
         * Adds one user metadata entry. Portable names are lowercase ASCII letters, digits and
         * underscores, starting with a letter or underscore (what both S3 and Azure accept); values
         * are printable ASCII. Checked when the put is made.
         *
         * @param name the name
         * @param value the value
         * @return this builder
         */
        public Builder metadata(String name, String value) {
            this.userMetadata.put(name, value);
            return this;
        }

        /**
         * Replaces all user metadata.
         *
         * @param metadata the entries; null clears
         * @return this builder
         */
        public Builder userMetadata(@Nullable Map<String, String> metadata) {
            this.userMetadata.clear();
            if (metadata != null) {
                this.userMetadata.putAll(metadata);
            }
            return this;
        }

        /**
         * Writes under a lease.
         *
         * @param leaseId the lease id, or null for none
         * @return this builder
         */
        public Builder leaseId(@Nullable String leaseId) {
            this.leaseId = leaseId;
            return this;
        }

        /**
         * Sets the consistency with which conditions are evaluated.
         *
         * @param consistency not null
         * @return this builder
         * @throws InvalidArgumentException if null
         */
        public Builder consistency(ReadConsistency consistency) {
            if (consistency == null) {
                throw new InvalidArgumentException("consistency", "must not be null");
            }
            this.consistency = consistency;
            return this;
        }

        /**
         * Builds the options.
         *
         * @return immutable options
         */
        public PutOptions build() {
            return new PutOptions(this);
        }
    }
}
