package io.leasehold.core;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Options of a delete: an optional If-Match and a lease.
 *
 * <p>A delete of a missing key always fails with {@link ObjectNotFoundException}, never a silent
 * success. A stale If-Match fails with {@link PreconditionFailedException} and the object survives.
 * Stores that cannot evaluate If-Match on delete atomically (Ceph RGW) refuse a conditional delete
 * with {@link NotSupportedException} rather than delete unconditionally.
 *
 * <p>Thread-safety: immutable; the builder is not thread-safe.
 */
public final class DeleteOptions {
    private static final DeleteOptions DEFAULTS = builder().build();

    private final ETag ifMatch;
    /** The version If-Match came from, when given as one (it may carry a write id for settlement). */
    private final ObjectVersion ifMatchVersion;
    private final String leaseId;

    private DeleteOptions(Builder b) {
        this.ifMatch = b.ifMatch;
        this.ifMatchVersion = b.ifMatchVersion;
        this.leaseId = b.leaseId;
    }

    /**
     * Unconditional delete.
     *
     * @return the defaults
     */
    public static DeleteOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Delete only if the current version matches.
     *
     * @param version the expected version
     * @return the options
     */
    public static DeleteOptions ifMatch(ObjectVersion version) {
        return builder().ifMatch(version).build();
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
     * The version the delete is conditioned on: the one If-Match was given as (with its write id, which
     * lets the library settle a lost answer on stores whose ETags are content hashes), else one made
     * from the tag.
     *
     * @return the version, or empty without a concrete, strong If-Match
     */
    public Optional<ObjectVersion> ifMatchVersion() {
        if (ifMatchVersion != null) {
            return Optional.of(ifMatchVersion);
        }
        return ifMatch == null || ifMatch.isAny() || ifMatch.isWeak() ? Optional.empty()
                : Optional.of(ObjectVersion.of(ifMatch, null));
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
     * The lease the delete is made under.
     *
     * @return the lease id, or empty
     */
    public Optional<String> leaseId() {
        return Optional.ofNullable(leaseId);
    }

    @Override
    public String toString() {
        return "DeleteOptions{ifMatch=" + ifMatch + ", lease=" + (leaseId == null ? "none" : "present") + "}";
    }

    /**
     * Builds {@link DeleteOptions}. Not thread-safe.
     */
    public static final class Builder {
        private ETag ifMatch;
        private ObjectVersion ifMatchVersion;
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
            this.ifMatchVersion = null;
            return this;
        }

        /**
         * Sets If-Match from any textual form.
         *
         * @param etag quoted, unquoted or weak
         * @return this builder
         * @throws InvalidArgumentException if invalid
         */
        public Builder ifMatch(String etag) {
            this.ifMatch = ETag.parse("ifMatch", etag);
            this.ifMatchVersion = null;
            return this;
        }

        /**
         * Sets If-Match to a version's ETag.
         *
         * @param version the version, or null to clear
         * @return this builder
         */
        public Builder ifMatch(@Nullable ObjectVersion version) {
            this.ifMatch = version == null ? null : version.etag();
            this.ifMatchVersion = version;
            return this;
        }

        /**
         * Deletes under a lease.
         *
         * @param leaseId the lease id, or null
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
        public DeleteOptions build() {
            return new DeleteOptions(this);
        }
    }
}
