package io.leasehold.spring;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration under {@code leasehold.*}: the default store ({@code leasehold.store.*}), any number of
 * named stores ({@code leasehold.stores.<name>.*}, the same settings), and metrics and health settings
 * shared by all of them. The guide ({@code docs/spring-boot.md}) shows every property.
 *
 * <p>Unknown keys under {@code leasehold.} fail startup with the key's name, so a misspelled property
 * is never silently ignored.
 *
 * <p>Thread-safety: a mutable bean bound once at startup; read-only afterwards.
 */
@ConfigurationProperties(prefix = "leasehold", ignoreUnknownFields = false)
public class LeaseholdProperties {
    /** The default store: an ObjectStore bean (primary when named stores exist too) once its URI is set. */
    private final Store store = new Store();
    /**
     * Named stores, with the settings of leasehold.store each; every one is an ObjectStore bean (with
     * its Updates and LeaseKeepers) qualified by its name, injected with @Qualifier("name"). Names are
     * letters, digits, '-' and '_'.
     */
    private final Map<String, Store> stores = new LinkedHashMap<>();
    /** Meters and observations of every store. */
    private final Metrics metrics = new Metrics();
    /** The health indicators of every store. */
    private final Health health = new Health();

    /**
     * Creates the default configuration.
     */
    public LeaseholdProperties() {
    }

    /**
     * The default store ({@code leasehold.store.*}).
     *
     * @return the store settings
     */
    public Store getStore() {
        return store;
    }

    /**
     * The named stores ({@code leasehold.stores.<name>.*}).
     *
     * @return the settings by store name; mutable while binding
     */
    public Map<String, Store> getStores() {
        return stores;
    }

    /**
     * The metrics settings.
     *
     * @return the metrics settings
     */
    public Metrics getMetrics() {
        return metrics;
    }

    /**
     * The health indicator settings.
     *
     * @return the health settings
     */
    public Health getHealth() {
        return health;
    }

    /** The settings of one store. Thread-safety: as the enclosing class. */
    public static class Store {
        /**
         * The store URI, e.g. mem://name, file:///var/lib/app/store, s3://bucket/prefix,
         * azure://container/prefix, tigris://bucket; without it this store is not created.
         */
        private String uri;
        /**
         * Driver options added to the URI's query, by the driver's parameter name (kebab-case accepted):
         * s3 takes endpoint, region, path-style, profile, versioned, credentials-profile; tigris those
         * but profile, plus consistent-reads, consistent-writes; azure takes connection-string, endpoint,
         * account, create-container, timeout; mem and file take none.
         */
        private final Map<String, String> options = new LinkedHashMap<>();
        /** The retry of single operations (put, get, head, delete, lease calls). */
        private final Retry retry = new Retry();
        /** The retry of read-modify-write (the Updates bean and its options). */
        private final UpdateRetry update = new UpdateRetry();
        /** Lease defaults of the LeaseKeepers bean and of @LeaseholdLocked methods on this store. */
        private final LeaseDefaults lease = new LeaseDefaults();
        /** Tags on this store's meters, added to (and overriding) leasehold.metrics.tags. */
        private final Map<String, String> metricTags = new LinkedHashMap<>();

        /** Creates empty store settings. */
        public Store() {
        }

        /**
         * The store URI; without it this store is not created.
         *
         * @return the URI, or null
         */
        public String getUri() {
            return uri;
        }

        /**
         * Sets the store URI.
         *
         * @param uri e.g. {@code s3://bucket/prefix?profile=ceph-rgw}
         */
        public void setUri(String uri) {
            this.uri = uri;
        }

        /**
         * Driver options added to the URI's query (options win over query parameters of the same
         * name); options the store does not take fail startup naming the option's property.
         *
         * @return the options, by name; mutable while binding
         */
        public Map<String, String> getOptions() {
            return options;
        }

        /**
         * The single-operation retry.
         *
         * @return the retry settings
         */
        public Retry getRetry() {
            return retry;
        }

        /**
         * The read-modify-write retry.
         *
         * @return the update settings
         */
        public UpdateRetry getUpdate() {
            return update;
        }

        /**
         * Lease defaults for keepers and locked methods.
         *
         * @return the lease settings
         */
        public LeaseDefaults getLease() {
            return lease;
        }

        /**
         * Tags on this store's meters.
         *
         * @return the tags, by name; mutable while binding
         */
        public Map<String, String> getMetricTags() {
            return metricTags;
        }
    }

    /** The retry of single operations: attempts and full-jitter backoff. Thread-safety: as the enclosing class. */
    public static class Retry {
        /** Attempts per operation, the first included; only failures that did not apply the request are retried. */
        private int maxAttempts = 3;
        /** The first backoff ceiling (each wait is random up to the ceiling, which doubles per attempt). */
        private Duration initialBackoff = Duration.ofMillis(50);
        /** The largest backoff ceiling. */
        private Duration maxBackoff = Duration.ofSeconds(1);

        /** Creates the defaults (3 attempts, 50 ms to 1 s). */
        public Retry() {
        }

        /**
         * Attempts per operation, the first included.
         *
         * @return the attempts
         */
        public int getMaxAttempts() {
            return maxAttempts;
        }

        /**
         * Sets the attempts per operation.
         *
         * @param maxAttempts at least 1
         */
        public void setMaxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        /**
         * The first backoff ceiling.
         *
         * @return the duration
         */
        public Duration getInitialBackoff() {
            return initialBackoff;
        }

        /**
         * Sets the first backoff ceiling.
         *
         * @param initialBackoff at least 1 ms
         */
        public void setInitialBackoff(Duration initialBackoff) {
            this.initialBackoff = initialBackoff;
        }

        /**
         * The largest backoff ceiling.
         *
         * @return the duration
         */
        public Duration getMaxBackoff() {
            return maxBackoff;
        }

        /**
         * Sets the largest backoff ceiling.
         *
         * @param maxBackoff at least the initial backoff
         */
        public void setMaxBackoff(Duration maxBackoff) {
            this.maxBackoff = maxBackoff;
        }
    }

    /**
     * The retry of read-modify-write. Left unset, updates keep the library's default: up to 100
     * attempts with a backoff sized to the contention seen on the key. Setting any of these switches
     * to a fixed full-jitter backoff (defaults 100 attempts, 2 ms to 250 ms) that retries the same
     * failures: lost races, transient failures and unknown outcomes (settled by the next read).
     *
     * <p>Thread-safety: as the enclosing class.
     */
    public static class UpdateRetry {
        /** Read-modify-write attempts, the first included (default 100). */
        private Integer maxAttempts;
        /** The first backoff ceiling of a fixed full-jitter backoff (default 2ms once any update retry property is set). */
        private Duration initialBackoff;
        /** The largest backoff ceiling of a fixed full-jitter backoff (default 250ms once any update retry property is set). */
        private Duration maxBackoff;

        /** Creates the defaults (the library's contention-sized retry). */
        public UpdateRetry() {
        }

        /**
         * Read-modify-write attempts, the first included.
         *
         * @return the attempts, or null for the default
         */
        public Integer getMaxAttempts() {
            return maxAttempts;
        }

        /**
         * Sets the attempts.
         *
         * @param maxAttempts at least 1
         */
        public void setMaxAttempts(Integer maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        /**
         * The first backoff ceiling.
         *
         * @return the duration, or null for the default
         */
        public Duration getInitialBackoff() {
            return initialBackoff;
        }

        /**
         * Sets the first backoff ceiling.
         *
         * @param initialBackoff at least 1 ms
         */
        public void setInitialBackoff(Duration initialBackoff) {
            this.initialBackoff = initialBackoff;
        }

        /**
         * The largest backoff ceiling.
         *
         * @return the duration, or null for the default
         */
        public Duration getMaxBackoff() {
            return maxBackoff;
        }

        /**
         * Sets the largest backoff ceiling.
         *
         * @param maxBackoff at least the initial backoff
         */
        public void setMaxBackoff(Duration maxBackoff) {
            this.maxBackoff = maxBackoff;
        }

        /** Whether any property is set (else the library's default retry applies). */
        boolean isCustomized() {
            return maxAttempts != null || initialBackoff != null || maxBackoff != null;
        }
    }

    /** Lease defaults of keepers and locked methods. Thread-safety: as the enclosing class. */
    public static class LeaseDefaults {
        /** Lease duration, 15s to 60s (a keeper renews at about a third of it). */
        private Duration duration = Duration.ofSeconds(30);
        /**
         * How long before the lease could expire a keeper that has not renewed reports it lost; at
         * least 1s and less than a third of the duration (default a fifth of the duration, at least 2s).
         */
        private Duration safetyMargin;
        /** How long to wait for a lease held elsewhere before giving up (0s: one attempt). */
        private Duration waitUpTo = Duration.ZERO;
        /**
         * Whether LeaseKeepers creates a missing object (empty) before leasing it; @LeaseholdLocked
         * always creates its lock object.
         */
        private boolean createIfAbsent;

        /** Creates the defaults (30 s, default margin, no wait, no creation). */
        public LeaseDefaults() {
        }

        /**
         * The lease duration.
         *
         * @return the duration
         */
        public Duration getDuration() {
            return duration;
        }

        /**
         * Sets the lease duration.
         *
         * @param duration 15 to 60 whole seconds
         */
        public void setDuration(Duration duration) {
            this.duration = duration;
        }

        /**
         * The keeper's safety margin.
         *
         * @return the margin, or null for the default
         */
        public Duration getSafetyMargin() {
            return safetyMargin;
        }

        /**
         * Sets the keeper's safety margin.
         *
         * @param safetyMargin at least 1 s and less than a third of the duration
         */
        public void setSafetyMargin(Duration safetyMargin) {
            this.safetyMargin = safetyMargin;
        }

        /**
         * How long to wait for a lease held elsewhere.
         *
         * @return the wait; zero for one attempt
         */
        public Duration getWaitUpTo() {
            return waitUpTo;
        }

        /**
         * Sets how long to wait for a lease held elsewhere.
         *
         * @param waitUpTo zero or more
         */
        public void setWaitUpTo(Duration waitUpTo) {
            this.waitUpTo = waitUpTo;
        }

        /**
         * Whether a missing object is created before leasing it.
         *
         * @return false by default
         */
        public boolean isCreateIfAbsent() {
            return createIfAbsent;
        }

        /**
         * Sets whether a missing object is created before leasing it.
         *
         * @param createIfAbsent true to create
         */
        public void setCreateIfAbsent(boolean createIfAbsent) {
            this.createIfAbsent = createIfAbsent;
        }
    }

    /** Meters and observations of every store. Thread-safety: as the enclosing class. */
    public static class Metrics {
        /** Whether to record meters (and observations) when the application has a MeterRegistry. */
        private boolean enabled = true;
        /** Whether observations (trace spans) carry the key as a high-cardinality value. */
        private boolean keyInObservations;
        /**
         * Tags on every store's meters. Each store's meters also carry a tag store (the store's name;
         * default for leasehold.store) unless a tag named store is set.
         */
        private final Map<String, String> tags = new LinkedHashMap<>();

        /** Creates the defaults (enabled, no key in observations). */
        public Metrics() {
        }

        /**
         * Whether to record meters (and observations) when the application has a MeterRegistry.
         *
         * @return true by default
         */
        public boolean isEnabled() {
            return enabled;
        }

        /**
         * Switches metrics on or off.
         *
         * @param enabled whether to record
         */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /**
         * Whether observations (trace spans) carry the key as a high-cardinality value.
         *
         * @return false by default
         */
        public boolean isKeyInObservations() {
            return keyInObservations;
        }

        /**
         * Adds or removes the key from observations.
         *
         * @param keyInObservations whether to add it
         */
        public void setKeyInObservations(boolean keyInObservations) {
            this.keyInObservations = keyInObservations;
        }

        /**
         * Extra tags on every meter.
         *
         * @return the tags, by name; mutable while binding
         */
        public Map<String, String> getTags() {
            return tags;
        }
    }

    /** The health indicators. Thread-safety: as the enclosing class. */
    public static class Health {
        /**
         * The key each store's health indicator reads (one HEAD per check; absent counts as healthy).
         * Health checks are not recorded as operations in metrics or by store observers.
         */
        private String key = "leasehold-health/probe";

        /** Creates the defaults. */
        public Health() {
        }

        /**
         * The key the health indicator reads (HEAD); absent counts as healthy.
         *
         * @return the key
         */
        public String getKey() {
            return key;
        }

        /**
         * Sets the key the health indicator reads.
         *
         * @param key the key
         */
        public void setKey(String key) {
            this.key = key;
        }
    }
}
