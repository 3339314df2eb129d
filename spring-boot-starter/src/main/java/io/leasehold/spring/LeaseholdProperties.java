package io.leasehold.spring;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration under {@code leasehold.*}:
 *
 * <pre>
 * leasehold.store.uri=azure://orders?createContainer=true      # or s3://bucket/prefix, file:///var/data, mem://name
 * leasehold.store.options.region=eu-west-1                      # driver options, appended to the URI's query
 * leasehold.store.retry.max-attempts=3                          # the single-operation retry
 * leasehold.metrics.enabled=true                                # meters in the application's MeterRegistry
 * leasehold.metrics.tags.store=orders                           # extra tags on every meter
 * leasehold.health.key=health/probe                             # the key the health indicator reads
 * </pre>
 *
 * <p>Thread-safety: a mutable bean bound once at startup; read-only afterwards.
 */
@ConfigurationProperties("leasehold")
public class LeaseholdProperties {
    private final Store store = new Store();
    private final Metrics metrics = new Metrics();
    private final Health health = new Health();

    /**
     * Creates the default configuration.
     */
    public LeaseholdProperties() {
    }

    /**
     * The store settings.
     *
     * @return the store settings
     */
    public Store getStore() {
        return store;
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

    /** {@code leasehold.store.*}. Thread-safety: as the enclosing class. */
    public static class Store {
        private String uri;
        private final Map<String, String> options = new LinkedHashMap<>();
        private final Retry retry = new Retry();

        /** Creates empty store settings. */
        public Store() {
        }

        /**
         * The store URI; without it no store is configured.
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
         * Driver options appended to the URI's query (e.g. {@code region}, {@code endpoint},
         * {@code profile}, {@code createContainer}, {@code timeout}); see the README's URI sections.
         *
         * @return the options, by name
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
    }

    /** {@code leasehold.store.retry.*}: attempts and full-jitter backoff. Thread-safety: as the enclosing class. */
    public static class Retry {
        private int maxAttempts = 3;
        private Duration initialBackoff = Duration.ofMillis(50);
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
         * @param initialBackoff the duration
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
         * @param maxBackoff the duration
         */
        public void setMaxBackoff(Duration maxBackoff) {
            this.maxBackoff = maxBackoff;
        }
    }

    /** {@code leasehold.metrics.*}. Thread-safety: as the enclosing class. */
    public static class Metrics {
        private boolean enabled = true;
        private boolean keyInObservations;
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
         * @return the tags, by name
         */
        public Map<String, String> getTags() {
            return tags;
        }
    }

    /** {@code leasehold.health.*}. Thread-safety: as the enclosing class. */
    public static class Health {
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
