package io.leasehold.core;

import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Options of {@link ObjectStore#update}: how to retry, whom to tell, and what to store with the
 * new content.
 *
 * <p>Retries: give either a Resilience4j {@link Retry} (to share its events and metrics), or a
 * {@link RetryConfig} (a fresh {@code Retry} is made per call), or neither for
 * the default: up to 100 attempts, retrying lost races, transient failures and unknown outcomes,
 * with a backoff sized to the contention observed on the key (about as many attempt-lengths as
 * writers seem to take turns there, with full jitter). Your configuration decides what is retried;
 * start from {@code RetryConfig.from(Conflicts.readModifyWriteRetryConfig())} to keep lost races
 * retried.
 *
 * <p>Thread-safety: immutable; the builder is not thread-safe.
 */
public final class UpdateOptions {
    private static final UpdateOptions DEFAULTS = builder().build();

    private final Retry retry;
    private final RetryConfig retryConfig;
    private final UpdateListener listener;
    private final String contentType;
    private final Map<String, String> userMetadata;
    private final String leaseId;
    private final boolean coalesce;
    private final GetResult startingFrom;

    private UpdateOptions(Builder b) {
        this.retry = b.retry;
        this.retryConfig = b.retryConfig;
        this.listener = b.listener;
        this.contentType = b.contentType;
        this.userMetadata = Collections.unmodifiableMap(new LinkedHashMap<>(b.userMetadata));
        this.leaseId = b.leaseId;
        this.coalesce = b.coalesce;
        this.startingFrom = b.startingFrom;
    }

    /**
     * Default options.
     *
     * @return the defaults
     */
    public static UpdateOptions defaults() {
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
     * A builder holding these options, to derive changed copies.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.retry = retry;
        b.retryConfig = retryConfig;
        b.listener = listener;
        b.contentType = contentType;
        b.userMetadata.putAll(userMetadata);
        b.leaseId = leaseId;
        b.coalesce = coalesce;
        b.startingFrom = startingFrom;
        return b;
    }

    /**
     * The Resilience4j retry to run attempts under.
     *
     * @return the retry, or empty
     */
    public Optional<Retry> retry() {
        return Optional.ofNullable(retry);
    }

    /**
     * The retry configuration, used when no {@link #retry()} is given.
     *
     * @return the configuration, or empty for the default
     */
    public Optional<RetryConfig> retryConfig() {
        return Optional.ofNullable(retryConfig);
    }

    /**
     * The listener.
     *
     * @return never null (a no-op by default)
     */
    public UpdateListener listener() {
        return listener;
    }

    /**
     * The content type for the written object.
     *
     * @return the type, or empty
     */
    public Optional<String> contentType() {
        return Optional.ofNullable(contentType);
    }

    /**
     * User metadata for the written object.
     *
     * @return an unmodifiable map
     */
    public Map<String, String> userMetadata() {
        return userMetadata;
    }

    /**
     * Whether this call may share one read and one conditional write with concurrent updates of the
     * same key through the same store (default true; see {@link ObjectStore#update}).
     *
     * @return true if the call may be coalesced
     */
    public boolean coalesce() {
        return coalesce;
    }

    /**
     * The lease to write under.
     *
     * @return the lease id, or empty
     */
    public Optional<String> leaseId() {
        return Optional.ofNullable(leaseId);
    }

    /**
     * The version the caller already holds, used instead of the first read (see
     * {@link Builder#startingFrom(GetResult)}).
     *
     * @return the held result, or empty to read first
     */
    public Optional<GetResult> startingFrom() {
        return Optional.ofNullable(startingFrom);
    }

    /**
     * Builds {@link UpdateOptions}. Not thread-safe.
     */
    public static final class Builder {
        private Retry retry;
        private RetryConfig retryConfig;
        private UpdateListener listener = new UpdateListener() { };
        private String contentType;
        private final Map<String, String> userMetadata = new LinkedHashMap<>();
        private String leaseId;
        private boolean coalesce = true;
        private GetResult startingFrom;

        private Builder() {
        }

        /**
         * Runs attempts under this Resilience4j retry (its events and metrics see every attempt).
         *
         * @param retry the retry, or null
         * @return this builder
         */
        public Builder retry(@Nullable Retry retry) {
            this.retry = retry;
            return this;
        }

        /**
         * Runs attempts under a fresh retry with this configuration.
         *
         * @param config the configuration, or null for the default
         * @return this builder
         */
        public Builder retryConfig(@Nullable RetryConfig config) {
            this.retryConfig = config;
            return this;
        }

        /**
         * Sets the listener.
         *
         * @param listener the listener; null for none
         * @return this builder
         */
        public Builder listener(@Nullable UpdateListener listener) {
            this.listener = listener == null ? new UpdateListener() { } : listener;
            return this;
        }

        /**
         * Sets the content type of the written object.
         *
         * @param contentType the type, or null
         * @return this builder
         */
        public Builder contentType(@Nullable String contentType) {
            this.contentType = contentType;
            return this;
        }

        /**
         * Adds user metadata to the written object.
         *
         * @param name portable name
         * @param value printable ASCII value
         * @return this builder
         */
        public Builder metadata(String name, String value) {
            this.userMetadata.put(name, value);
            return this;
        }

        /**
         * Writes under a lease.
         *
         * @param leaseId the lease id, or null
         * @return this builder
         */
        public Builder leaseId(@Nullable String leaseId) {
            this.leaseId = leaseId;
            return this;
        }

        /**
         * Replaces all user metadata.
         *
         * @param metadata the metadata, or null for none
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
         * Lets this call share a batch with concurrent updates of the same key through the same
         * store, or not. Coalesced calls are linearized in arrival order and each gets its own
         * result; turn it off to measure or to keep each call's own write (e.g. to get the stored
         * version in every result).
         *
         * @param coalesce false to run this call on its own
         * @return this builder
         */
        public Builder coalesce(boolean coalesce) {
            this.coalesce = coalesce;
            return this;
        }

        /**
         * Starts from a version the caller already holds instead of reading first: the function is
         * applied to {@code held}'s content and the result written with If-Match on its version, so
         * an update of an unchanged object costs one request instead of two. If the object has
         * changed since, that write is refused and the loop continues as usual (re-read, apply
         * again), so a stale or even made-up {@code held} costs one refused request, never a lost
         * update. Use the result of a {@link ObjectStore#get get} of the same key: it carries the
         * write history that lets later ambiguous writes be settled (a result built with
         * {@link GetResult#found} works, with less evidence for settling other writers' lost
         * answers). A call with a held version is not coalesced (a batch reads anyway).
         *
         * @param held a result of {@code get} on the key to update, with its content; null to read first
         * @return this builder
         * @throws InvalidArgumentException if {@code held} is a not-modified or head result (no content)
         */
        public Builder startingFrom(@Nullable GetResult held) {
            if (held != null && (held.isNotModified() || !held.hasContent())) {
                throw new InvalidArgumentException("startingFrom",
                        "needs a get result with content (not a head or not-modified result)");
            }
            this.startingFrom = held;
            return this;
        }

        /**
         * Builds the options.
         *
         * @return immutable options
         */
        public UpdateOptions build() {
            return new UpdateOptions(this);
        }
    }
}
