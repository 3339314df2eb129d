package io.leasehold.spring;

import io.github.resilience4j.retry.RetryConfig;
import io.leasehold.core.Conflicts;
import io.leasehold.core.InvalidArgumentException;
import io.leasehold.core.lease.LeaseOptions;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.StoreObserver;
import io.leasehold.core.UpdateOptions;
import io.leasehold.micrometer.LeaseholdMetrics;
import io.leasehold.spi.StoreDriver;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.observation.ObservationRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Opens the configured stores and builds their options: the default store ({@code leasehold.store},
 * named {@value #DEFAULT}) and the named ones ({@code leasehold.stores.<name>}). Every setting is
 * checked before a driver is opened, and every refusal names its property
 * ({@link InvalidConfigurationException}).
 *
 * <p>Thread-safety: safe for concurrent use after construction (reads bound properties only).
 */
final class ConfiguredStores {
    /** The name of the default store ({@code leasehold.store}) in meters and messages. */
    static final String DEFAULT = "default";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+");

    private final LeaseholdProperties properties;
    private final ObjectProvider<LeaseholdDriverFactory> factories;
    private final ObjectProvider<StoreObserver> observers;
    private final ObjectProvider<MeterRegistry> meters;
    private final ObjectProvider<ObservationRegistry> observations;

    ConfiguredStores(LeaseholdProperties properties, ObjectProvider<LeaseholdDriverFactory> factories,
                     ObjectProvider<StoreObserver> observers, ObjectProvider<MeterRegistry> meters,
                     ObjectProvider<ObservationRegistry> observations) {
        this.properties = properties;
        this.factories = factories;
        this.observers = observers;
        this.meters = meters;
        this.observations = observations;
    }

    /** The property prefix of a store. */
    static String prefix(String name) {
        return DEFAULT.equals(name) ? "leasehold.store" : "leasehold.stores." + name;
    }

    /** Refuses a store name that cannot be a bean qualifier and health contributor name. */
    static void checkName(String name) {
        if (!NAME.matcher(name).matches() || DEFAULT.equals(name)) {
            throw new InvalidConfigurationException("leasehold.stores." + name, "'" + name + "' cannot name a store",
                    "Name stores with letters, digits, '-' and '_' (not 'default', which is leasehold.store).");
        }
    }

    /** A store's settings. */
    LeaseholdProperties.Store settings(String name) {
        LeaseholdProperties.Store store = DEFAULT.equals(name) ? properties.getStore() : properties.getStores().get(name);
        if (store == null) {
            throw new InvalidConfigurationException(prefix(name) + ".uri", "is not set", "Configure the store " + name + ".");
        }
        return store;
    }

    /** Opens a store: its URI checked, its driver (from a factory bean or the URI), retry and observers. */
    ObjectStore open(String name) {
        String prefix = prefix(name);
        LeaseholdProperties.Store store = settings(name);
        URI uri = StoreUris.resolve(prefix, store.getUri(), store.getOptions());
        RetryConfig retry = operationRetry(prefix, store.getRetry());
        StoreObserver observer = HealthProbes.hiding(observer(name, store));
        try {
            StoreDriver driver = factories.orderedStream().map(f -> f.driverFor(uri)).filter(Objects::nonNull)
                    .findFirst().orElse(null);
            ObjectStore.Builder builder = ObjectStore.builder().operationRetryConfig(retry).observer(observer);
            return (driver != null ? builder.driver(driver) : builder.uri(uri.toString())).build();
        } catch (InvalidConfigurationException e) {
            throw e;
        } catch (InvalidArgumentException e) {
            throw StoreUris.attribute(prefix, store.getOptions(), e);
        }
    }

    /** The options of the store's {@link Updates}. */
    UpdateOptions updateOptions(String name) {
        String prefix = prefix(name) + ".update";
        LeaseholdProperties.UpdateRetry update = settings(name).getUpdate();
        if (!update.isCustomized()) {
            return UpdateOptions.defaults();
        }
        int attempts = update.getMaxAttempts() == null ? 100 : update.getMaxAttempts();
        Duration initial = update.getInitialBackoff() == null ? Duration.ofMillis(2) : update.getInitialBackoff();
        Duration max = update.getMaxBackoff() == null ? Duration.ofMillis(250) : update.getMaxBackoff();
        checkRetry(prefix, attempts, initial, max);
        return UpdateOptions.builder().retryConfig(RetryConfig.from(Conflicts.readModifyWriteRetryConfig())
                .maxAttempts(attempts).intervalFunction(Conflicts.fullJitter(initial, max)).build()).build();
    }

    /** The options of the store's {@link LeaseKeepers} and locked methods. */
    LeaseOptions leaseOptions(String name) {
        String prefix = prefix(name) + ".lease";
        LeaseholdProperties.LeaseDefaults lease = settings(name).getLease();
        try {
            return LeaseOptions.builder().duration(lease.getDuration()).safetyMargin(lease.getSafetyMargin())
                    .waitUpTo(lease.getWaitUpTo()).createIfAbsent(lease.isCreateIfAbsent()).build();
        } catch (InvalidArgumentException e) {
            String property = prefix + "." + leaseProperty(e.field());
            throw new InvalidConfigurationException(property, e.getMessage().substring(e.field().length() + 2),
                    "Correct " + property + ".");
        }
    }

    /** The property behind a {@link LeaseOptions} field. */
    static String leaseProperty(String field) {
        switch (field) {
            case "safetyMargin":
                return "safety-margin";
            case "waitTimeout":
                return "wait-up-to";
            default:
                return field;
        }
    }

    private static RetryConfig operationRetry(String prefix, LeaseholdProperties.Retry retry) {
        checkRetry(prefix + ".retry", retry.getMaxAttempts(), retry.getInitialBackoff(), retry.getMaxBackoff());
        return RetryConfig.from(Conflicts.operationRetryConfig()).maxAttempts(retry.getMaxAttempts())
                .intervalFunction(Conflicts.fullJitter(retry.getInitialBackoff(), retry.getMaxBackoff())).build();
    }

    private static void checkRetry(String prefix, int attempts, Duration initial, Duration max) {
        if (attempts < 1) {
            throw new InvalidConfigurationException(prefix + ".max-attempts", "must be at least 1 (the first attempt"
                    + " counts); was " + attempts, "Set " + prefix + ".max-attempts to 1 or more.");
        }
        if (initial == null || initial.toMillis() < 1) {
            throw new InvalidConfigurationException(prefix + ".initial-backoff", "must be at least 1ms",
                    "Set " + prefix + ".initial-backoff to 1ms or more.");
        }
        if (max == null || max.compareTo(initial) < 0) {
            throw new InvalidConfigurationException(prefix + ".max-backoff", "must be at least the initial backoff ("
                    + initial.toMillis() + "ms)", "Set " + prefix + ".max-backoff to " + initial.toMillis() + "ms or more.");
        }
    }

    /** The store's observers: the application's, then metrics with the store's tags. */
    private StoreObserver observer(String name, LeaseholdProperties.Store store) {
        List<StoreObserver> all = new ArrayList<>();
        observers.orderedStream().forEach(all::add);
        MeterRegistry registry = meters.getIfAvailable();
        LeaseholdProperties.Metrics metrics = properties.getMetrics();
        if (metrics.isEnabled() && registry != null) {
            // Every store's meters carry the same tag keys (registries such as Prometheus require it).
            Map<String, String> tags = new LinkedHashMap<>();
            tags.put("store", name);
            tags.putAll(metrics.getTags());
            tags.putAll(store.getMetricTags());
            List<Tag> list = new ArrayList<>();
            tags.forEach((k, v) -> list.add(Tag.of(k, v)));
            all.add(LeaseholdMetrics.builder(registry).observationRegistry(observations.getIfAvailable())
                    .tags(list).keyInObservations(metrics.isKeyInObservations()).build());
        }
        return StoreObserver.composite(all.toArray(new StoreObserver[0]));
    }
}
