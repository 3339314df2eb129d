package io.leasehold.spring;

import com.azure.storage.blob.BlobServiceClient;
import io.leasehold.core.AsyncObjectStore;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.StoreObserver;
import io.leasehold.micrometer.LeaseholdMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Spring Boot auto-configuration for Leasehold stores.
 *
 * <h2>Beans</h2>
 * <ul>
 *   <li>With {@code leasehold.store.uri}: the default store, an {@link ObjectStore}
 *       ({@code leaseholdObjectStore}, primary, closed with the context), with its {@link Updates}
 *       (read-modify-write with {@code leasehold.store.update.*}) and {@link LeaseKeepers} (lease
 *       defaults from {@code leasehold.store.lease.*}), and its {@link AsyncObjectStore}
 *       ({@code leaseholdAsyncObjectStore}, the store's {@link ObjectStore#async()}, ended with it).</li>
 *   <li>For each {@code leasehold.stores.<name>.uri}: the same four beans, qualified by the name.</li>
 *   <li>Each store is observed by {@link LeaseholdMetrics} in the application's {@link MeterRegistry}
 *       and {@link ObservationRegistry} when it has them (tagged {@code store=<name>}), and by every
 *       {@link StoreObserver} bean; health checks are hidden from both.</li>
 *   <li>An {@code s3://} store uses the application's {@code S3Client} bean, an {@code azure://} store its
 *       {@code BlobServiceClient} bean, when it has exactly one ({@link LeaseholdDriverFactory}).</li>
 *   <li>With Actuator, a health indicator per store ({@code leasehold}, {@code leasehold-<name>};
 *       {@code management.health.leasehold.enabled}), on Spring Boot 3 and 4.</li>
 *   <li>{@link LeaseholdLocked} methods run under a lease.</li>
 * </ul>
 * Every setting is checked at startup; a wrong one fails it with a report naming the property
 * (see {@link LeaseholdProperties}), never later at the first request.
 *
 * <p>Thread-safety: configuration runs once at startup.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.observation.ObservationAutoConfiguration"})
@ConditionalOnClass(ObjectStore.class)
@EnableConfigurationProperties(LeaseholdProperties.class)
@Import(NamedStores.class)
public class LeaseholdAutoConfiguration {

    /** Created by Spring. */
    public LeaseholdAutoConfiguration() {
    }

    @Bean
    static LockedMethods leaseholdLockedMethods() {
        return new LockedMethods();
    }

    @Bean
    ConfiguredStores leaseholdConfiguredStores(LeaseholdProperties properties,
                                               ObjectProvider<LeaseholdDriverFactory> factories,
                                               ObjectProvider<StoreObserver> observers,
                                               ObjectProvider<MeterRegistry> meters,
                                               ObjectProvider<ObservationRegistry> observations) {
        return new ConfiguredStores(properties, factories, observers, meters, observations);
    }

    /** The default store, {@code leasehold.store.*}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(prefix = "leasehold.store", name = "uri")
    static class DefaultStoreConfiguration {
        @Bean
        @Primary
        @ConditionalOnMissingBean
        ObjectStore leaseholdObjectStore(ConfiguredStores stores) {
            return stores.open(ConfiguredStores.DEFAULT);
        }

        /** The store's asynchronous API; closing the store ends it, so Spring has nothing to destroy. */
        @Bean(destroyMethod = "")
        @Primary
        @ConditionalOnMissingBean
        AsyncObjectStore leaseholdAsyncObjectStore(ObjectStore store) {
            return store.async();
        }

        @Bean
        @Primary
        @ConditionalOnMissingBean(name = "leaseholdUpdates")
        Updates leaseholdUpdates(ObjectStore store, ConfiguredStores stores) {
            return new Updates(store, stores.updateOptions(ConfiguredStores.DEFAULT));
        }

        @Bean
        @Primary
        @ConditionalOnMissingBean(name = "leaseholdLeaseKeepers")
        LeaseKeepers leaseholdLeaseKeepers(ObjectStore store, ConfiguredStores stores) {
            return new LeaseKeepers(store, stores.leaseOptions(ConfiguredStores.DEFAULT));
        }
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

    /** The default store's health indicator, with Actuator on Spring Boot 4 (health API in its own package). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.AbstractHealthIndicator")
    @ConditionalOnMissingClass("org.springframework.boot.actuate.health.AbstractHealthIndicator")
    @ConditionalOnProperty(prefix = "management.health.leasehold", name = "enabled", matchIfMissing = true)
    static class Boot4HealthConfiguration {
        @Bean
        @ConditionalOnProperty(prefix = "leasehold.store", name = "uri")
        @ConditionalOnMissingBean(name = "leaseholdHealthIndicator")
        LeaseholdBoot4HealthIndicator leaseholdHealthIndicator(ObjectStore store, LeaseholdProperties properties) {
            return new LeaseholdBoot4HealthIndicator(store, properties.getHealth().getKey());
        }
    }

    /** The default store's health indicator, with Actuator on Spring Boot 3. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.health.AbstractHealthIndicator")
    @ConditionalOnProperty(prefix = "management.health.leasehold", name = "enabled", matchIfMissing = true)
    static class HealthConfiguration {
        @Bean
        @ConditionalOnProperty(prefix = "leasehold.store", name = "uri")
        @ConditionalOnMissingBean(name = "leaseholdHealthIndicator")
        LeaseholdHealthIndicator leaseholdHealthIndicator(ObjectStore store, LeaseholdProperties properties) {
            return new LeaseholdHealthIndicator(store, properties.getHealth().getKey());
        }
    }
}
