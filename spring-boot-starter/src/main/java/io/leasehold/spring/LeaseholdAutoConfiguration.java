package io.leasehold.spring;

import com.azure.storage.blob.BlobServiceClient;
import io.github.resilience4j.retry.RetryConfig;
import io.leasehold.core.Conflicts;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.StoreObserver;
import io.leasehold.micrometer.LeaseholdMetrics;
import io.leasehold.spi.StoreDriver;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.observation.ObservationRegistry;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Spring Boot auto-configuration: with {@code leasehold.store.uri} set, an {@link ObjectStore} bean
 * (closed with the context), observed by {@link LeaseholdMetrics} in the application's
 * {@link MeterRegistry} and {@link ObservationRegistry} when it has them, plus every
 * {@link StoreObserver} bean; an {@code s3://} store uses the application's {@code S3Client} bean and
 * an {@code azure://} store its {@code BlobServiceClient} bean when present; a health indicator
 * ({@code leasehold}) when Actuator is on the class path ({@code management.health.leasehold.enabled}),
 * on Spring Boot 3 and 4.
 *
 * <p>Thread-safety: configuration runs once at startup.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.observation.ObservationAutoConfiguration"})
@ConditionalOnClass(ObjectStore.class)
@ConditionalOnProperty(prefix = "leasehold.store", name = "uri")
@EnableConfigurationProperties(LeaseholdProperties.class)
public class LeaseholdAutoConfiguration {

    /** Created by Spring. */
    public LeaseholdAutoConfiguration() {
    }

    /**
     * The store.
     *
     * @param properties {@code leasehold.*}
     * @param factories driver factories (application clients)
     * @param observers the application's observers
     * @param meters the meter registry, if any
     * @param observations the observation registry, if any
     * @return the store
     */
    @Bean
    @ConditionalOnMissingBean
    public ObjectStore leaseholdObjectStore(LeaseholdProperties properties,
                                            ObjectProvider<LeaseholdDriverFactory> factories,
                                            ObjectProvider<StoreObserver> observers,
                                            ObjectProvider<MeterRegistry> meters,
                                            ObjectProvider<ObservationRegistry> observations) {
        LeaseholdProperties.Store store = properties.getStore();
        URI uri = StoreUris.withOptions(store.getUri(), store.getOptions());
        StoreDriver driver = factories.orderedStream().map(f -> f.driverFor(uri)).filter(Objects::nonNull)
                .findFirst().orElse(null);
        List<StoreObserver> all = new ArrayList<>();
        observers.orderedStream().forEach(all::add);
        MeterRegistry registry = meters.getIfAvailable();
        if (properties.getMetrics().isEnabled() && registry != null) {
            List<Tag> tags = new ArrayList<>();
            for (Map.Entry<String, String> t : properties.getMetrics().getTags().entrySet()) {
                tags.add(Tag.of(t.getKey(), t.getValue()));
            }
            all.add(LeaseholdMetrics.builder(registry).observationRegistry(observations.getIfAvailable())
                    .tags(tags).keyInObservations(properties.getMetrics().isKeyInObservations()).build());
        }
        LeaseholdProperties.Retry retry = store.getRetry();
        RetryConfig retryConfig = RetryConfig.from(Conflicts.operationRetryConfig())
                .maxAttempts(retry.getMaxAttempts())
                .intervalFunction(Conflicts.fullJitter(retry.getInitialBackoff(), retry.getMaxBackoff()))
                .build();
        ObjectStore.Builder builder = ObjectStore.builder().operationRetryConfig(retryConfig)
                .observer(StoreObserver.composite(all.toArray(new StoreObserver[0])));
        return (driver != null ? builder.driver(driver) : builder.uri(uri.toString())).build();
    }

    /** The application's {@code S3Client} for {@code s3://} stores. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"io.leasehold.aws.S3Driver", "software.amazon.awssdk.services.s3.S3Client"})
    static class S3ClientConfiguration {
        @Bean
        LeaseholdDriverFactory leaseholdS3ClientDrivers(ObjectProvider<S3Client> clients) {
            // Asked when the store is created, so a client defined by any configuration is seen.
            return uri -> {
                S3Client client = clients.getIfUnique();
                return client == null ? null : new S3ClientDrivers(client).driverFor(uri);
            };
        }
    }

    /** The application's {@code BlobServiceClient} for {@code azure://} stores. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"io.leasehold.azure.AzureBlobDriver", "com.azure.storage.blob.BlobServiceClient"})
    static class AzureClientConfiguration {
        @Bean
        LeaseholdDriverFactory leaseholdAzureClientDrivers(ObjectProvider<BlobServiceClient> services) {
            return uri -> {
                BlobServiceClient service = services.getIfUnique();
                return service == null ? null : new AzureClientDrivers(service).driverFor(uri);
            };
        }
    }

    /** The health indicator, with Actuator on Spring Boot 4 (health API in its own package). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.AbstractHealthIndicator")
    @ConditionalOnMissingClass("org.springframework.boot.actuate.health.AbstractHealthIndicator")
    @ConditionalOnProperty(prefix = "management.health.leasehold", name = "enabled", matchIfMissing = true)
    static class Boot4HealthConfiguration {
        @Bean
        @ConditionalOnMissingBean(name = "leaseholdHealthIndicator")
        LeaseholdBoot4HealthIndicator leaseholdHealthIndicator(ObjectStore store, LeaseholdProperties properties) {
            return new LeaseholdBoot4HealthIndicator(store, properties.getHealth().getKey());
        }
    }

    /** The health indicator, with Actuator on Spring Boot 3. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.health.AbstractHealthIndicator")
    @ConditionalOnProperty(prefix = "management.health.leasehold", name = "enabled", matchIfMissing = true)
    static class HealthConfiguration {
        @Bean
        @ConditionalOnMissingBean(name = "leaseholdHealthIndicator")
        LeaseholdHealthIndicator leaseholdHealthIndicator(ObjectStore store, LeaseholdProperties properties) {
            return new LeaseholdHealthIndicator(store, properties.getHealth().getKey());
        }
    }
}
