package io.leasehold.core;

import java.util.Optional;

/**
 * Options of a copy ({@link ObjectStore#copy}) or rename ({@link ObjectStore#rename}): the
 * target's {@link PutMode} and an optional If-Match on the source.
 *
 * <ul>
 *   <li>{@link PutMode#overwrite()} (the default for copy): the target is replaced whatever it holds.</li>
 *   <li>{@link PutMode#create()}: copy-if-absent; a present target fails with
 *       {@link ObjectAlreadyExistsException}.</li>
 *   <li>{@link PutMode#update(ObjectVersion)}: copy-if-match; a target that is not that version
 *       (or is missing) fails with {@link PreconditionFailedException}.</li>
 *   <li>{@link PutMode#replace()}: only if the target exists.</li>
 * </ul>
 * With {@link Builder#sourceIfMatch(ObjectVersion)} the copy is made only if the source is that
 * version, else {@link PreconditionFailedException} whose {@link ObjectStoreException#key()} is the
 * source's key. Either way the target receives exactly one version of the source: its bytes, content
 * type and user metadata.
 *
 * <p>Thread-safety: immutable; the builder is not thread-safe.
 */
public final class CopyOptions {
    private static final CopyOptions DEFAULTS = builder().build();

    private final PutMode mode;
    private final ETag sourceIfMatch;
    private final ObjectVersion sourceVersion;

    private CopyOptions(Builder b) {
        this.mode = b.mode;
        this.sourceIfMatch = b.sourceIfMatch;
        this.sourceVersion = b.sourceVersion;
    }

    /**
     * An unconditional copy: the target is overwritten, any version of the source is copied.
     *
     * @return the defaults
     */
    public static CopyOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Options with just the target's mode.
     *
     * @param mode the target's mode
     * @return the options
     * @throws InvalidArgumentException if the mode is null
     */
    public static CopyOptions of(PutMode mode) {
        return builder().mode(mode).build();
    }

    /**
     * A new builder with the defaults.
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
        Builder b = builder().mode(mode);
        b.sourceIfMatch = sourceIfMatch;
        b.sourceVersion = sourceVersion;
        return b;
    }

    /**
     * The target's mode.
     *
     * @return never null
     */
    public PutMode mode() {
        return mode;
    }

    /**
     * If-Match on the source.
     *
     * @return the tag, or empty to copy whatever version the source has
     */
    public Optional<ETag> sourceIfMatch() {
        return Optional.ofNullable(sourceIfMatch);
    }

    /**
     * The source version If-Match was given as, when given as one.
     *
     * @return the version, or empty
     */
    public Optional<ObjectVersion> sourceVersion() {
        return Optional.ofNullable(sourceVersion);
    }

    @Override
    public String toString() {
        return "CopyOptions{mode=" + mode + ", sourceIfMatch=" + sourceIfMatch + "}";
    }

    /**
     * Builds {@link CopyOptions}. Not thread-safe.
     */
    public static final class Builder {
        private PutMode mode = PutMode.overwrite();
        private ETag sourceIfMatch;
        private ObjectVersion sourceVersion;

        private Builder() {
        }

        /**
         * Sets the target's mode.
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
         * Copies only if the source is this version.
         *
         * @param version the version read earlier, or null to clear
         * @return this builder
         */
        public Builder sourceIfMatch(ObjectVersion version) {
            this.sourceIfMatch = version == null ? null : version.etag();
            this.sourceVersion = version;
            return this;
        }

        /**
         * Copies only if the source's ETag is this one.
         *
         * @param etag the tag, or null to clear
         * @return this builder
         */
        public Builder sourceIfMatch(ETag etag) {
            this.sourceIfMatch = etag;
            this.sourceVersion = null;
            return this;
        }

        /**
         * Copies only if the source's ETag is this one, in any textual form.
         *
         * @param etag quoted, unquoted or weak
         * @return this builder
         * @throws InvalidArgumentException if invalid
         */
        public Builder sourceIfMatch(String etag) {
            return sourceIfMatch(ETag.parse("sourceIfMatch", etag));
        }

        /**
         * Builds the options.
         *
         * @return immutable options
         */
        public CopyOptions build() {
            return new CopyOptions(this);
        }
    }
}
