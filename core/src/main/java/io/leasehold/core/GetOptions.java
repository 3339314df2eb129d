package io.leasehold.core;

import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Conditions and consistency for {@link ObjectStore#get} and {@link ObjectStore#head}.
 *
 * <p>Evaluation follows RFC 9110 section 13.2.2, on every store:
 * <ol>
 *   <li>If-Match present and false: {@link PreconditionFailedException}; if absent, If-Unmodified-Since false:
 *       {@link PreconditionFailedException} (a true If-Match makes If-Unmodified-Since irrelevant).</li>
 *   <li>If-None-Match present and false (the tag matches): a {@linkplain GetResult#isNotModified() not-modified}
 *       result; if absent, If-Modified-Since false: not modified (a present If-None-Match makes
 *       If-Modified-Since irrelevant).</li>
 * </ol>
 * A missing key gives {@link ObjectNotFoundException} whatever the conditions.
 *
 * <p>Thread-safety: immutable; the builder is not thread-safe.
 */
public final class GetOptions {
    private static final GetOptions DEFAULTS = builder().build();

    private final ETag ifMatch;
    private final ETag ifNoneMatch;
    private final Instant ifModifiedSince;
    private final Instant ifUnmodifiedSince;
    private final ReadConsistency consistency;
    private final String leaseId;

    private GetOptions(Builder b) {
        this.ifMatch = b.ifMatch;
        this.ifNoneMatch = b.ifNoneMatch;
        this.ifModifiedSince = b.ifModifiedSince;
        this.ifUnmodifiedSince = b.ifUnmodifiedSince;
        this.consistency = b.consistency;
        this.leaseId = b.leaseId;
    }

    /**
     * No conditions, eventual consistency.
     *
     * @return the defaults
     */
    public static GetOptions defaults() {
        return DEFAULTS;
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
     * A builder initialised from these options.
     *
     * @return the builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.ifMatch = ifMatch;
        b.ifNoneMatch = ifNoneMatch;
        b.ifModifiedSince = ifModifiedSince;
        b.ifUnmodifiedSince = ifUnmodifiedSince;
        b.consistency = consistency;
        b.leaseId = leaseId;
        return b;
    }

    /**
     * If-Match.
     *
     * @return the tag, or empty
     */
    public Optional<ETag> ifMatch() {
        return Optional.ofNullable(ifMatch);
    }

    /**
     * If-None-Match.
     *
     * @return the tag (possibly {@link ETag#ANY}), or empty
     */
    public Optional<ETag> ifNoneMatch() {
        return Optional.ofNullable(ifNoneMatch);
    }

    /**
     * If-Modified-Since (second precision).
     *
     * @return the instant, or empty
     */
    public Optional<Instant> ifModifiedSince() {
        return Optional.ofNullable(ifModifiedSince);
    }

    /**
     * If-Unmodified-Since (second precision).
     *
     * @return the instant, or empty
     */
    public Optional<Instant> ifUnmodifiedSince() {
        return Optional.ofNullable(ifUnmodifiedSince);
    }

    /**
     * The read consistency.
     *
     * @return never null; {@link ReadConsistency#EVENTUAL} by default
     */
    public ReadConsistency consistency() {
        return consistency;
    }

    /**
     * A lease the read must be made under (Azure rejects reads with a wrong lease id).
     *
     * @return the lease id, or empty
     */
    public Optional<String> leaseId() {
        return Optional.ofNullable(leaseId);
    }

    /**
     * Whether any of the four conditions is set.
     *
     * @return true if conditional
     */
    public boolean isConditional() {
        return ifMatch != null || ifNoneMatch != null || ifModifiedSince != null || ifUnmodifiedSince != null;
    }

    @Override
    public String toString() {
        return "GetOptions{ifMatch=" + ifMatch + ", ifNoneMatch=" + ifNoneMatch + ", ifModifiedSince=" + ifModifiedSince
                + ", ifUnmodifiedSince=" + ifUnmodifiedSince + ", consistency=" + consistency + "}";
    }

    /**
     * Builds {@link GetOptions}. Not thread-safe.
     */
    public static final class Builder {
        private ETag ifMatch;
        private ETag ifNoneMatch;
        private Instant ifModifiedSince;
        private Instant ifUnmodifiedSince;
        private ReadConsistency consistency = ReadConsistency.EVENTUAL;
        private String leaseId;

        private Builder() {
        }

        /**
         * Sets If-Match.
         *
         * @param etag the tag, or null to clear
         * @return this builder
         */
        public Builder ifMatch(@Nullable ETag etag) {
            this.ifMatch = etag;
            return this;
        }

        /**
         * Sets If-Match from any textual form.
         *
         * @param etag quoted, unquoted, weak or {@code *}
         * @return this builder
         * @throws InvalidArgumentException if the tag is invalid
         */
        public Builder ifMatch(String etag) {
            this.ifMatch = ETag.parse("ifMatch", etag);
            return this;
        }

        /**
         * Sets If-Match to a version's ETag.
         *
         * @param version the version
         * @return this builder
         */
        public Builder ifMatch(ObjectVersion version) {
            this.ifMatch = version == null ? null : version.etag();
            return this;
        }

        /**
         * Sets If-None-Match.
         *
         * @param etag the tag or {@link ETag#ANY}, or null to clear
         * @return this builder
         */
        public Builder ifNoneMatch(@Nullable ETag etag) {
            this.ifNoneMatch = etag;
            return this;
        }

        /**
         * Sets If-None-Match from any textual form.
         *
         * @param etag quoted, unquoted, weak or {@code *}
         * @return this builder
         * @throws InvalidArgumentException if the tag is invalid
         */
        public Builder ifNoneMatch(String etag) {
            this.ifNoneMatch = ETag.parse("ifNoneMatch", etag);
            return this;
        }

        /**
         * Sets If-None-Match to a version's ETag (a cache revalidation).
         *
         * @param version the version
         * @return this builder
         */
        public Builder ifNoneMatch(ObjectVersion version) {
            this.ifNoneMatch = version == null ? null : version.etag();
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
         * Sets the read consistency.
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
         * Reads under a lease.
         *
         * @param leaseId the lease id, or null for none
         * @return this builder
         */
        public Builder leaseId(@Nullable String leaseId) {
            this.leaseId = leaseId;
            return this;
        }

        /**
         * Builds the options.
         *
         * @return immutable options
         */
        public GetOptions build() {
            return new GetOptions(this);
        }
    }
}
