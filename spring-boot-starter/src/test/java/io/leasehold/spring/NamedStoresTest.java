package io.leasehold.spring;

import static io.leasehold.spring.FirstContactTest.report;
import static io.leasehold.spring.FirstContactTest.startFails;
import static org.assertj.core.api.Assertions.assertThat;

import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.common.StorageSharedKeyCredential;
import io.leasehold.core.lease.LeaseOptions;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.UpdateOptions;
import io.leasehold.micrometer.LeaseholdMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Several stores from properties, each with its own beans, retry, lease defaults and meter tags. */
@ExtendWith(OutputCaptureExtension.class)
class NamedStoresTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(LeaseholdAutoConfiguration.class))
            .withBean(MeterRegistry.class, SimpleMeterRegistry::new);

    /** Injects stores the way applications do. */
    @Configuration(proxyBeanMethods = false)
    static class Users {
        @Bean
        String orders(@Qualifier("orders") ObjectStore orders, @Qualifier("orders") Updates updates) {
            assertThat(updates.store()).isSameAs(orders);
            return orders.driverName();
        }

        @Bean
        String plain(ObjectStore primary, Updates updates, LeaseKeepers keepers) {
            assertThat(updates.store()).isSameAs(primary);
            assertThat(keepers.store()).isSameAs(primary);
            return primary.driverName();
        }
    }

    @Test
    void namedStoresBesideTheDefaultOneEachWithItsOwnSettings() {
        runner.withUserConfiguration(Users.class)
                .withPropertyValues("leasehold.store.uri=mem://named-default",
                        "leasehold.stores.orders.uri=mem://named-orders",
                        "leasehold.stores.orders.retry.max-attempts=5",
                        "leasehold.stores.orders.update.max-attempts=7",
                        "leasehold.stores.orders.lease.duration=20s",
                        "leasehold.stores.orders.lease.safety-margin=3s",
                        "leasehold.stores.orders.metric-tags.team=payments",
                        "leasehold.stores.archive.uri=mem://named-archive",
                        "leasehold.metrics.tags.app=shop")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    ObjectStore primary = context.getBean(ObjectStore.class);
                    ObjectStore orders = context.getBean(NamedStores.storeBeanName("orders"), ObjectStore.class);
                    ObjectStore archive = context.getBean(NamedStores.storeBeanName("archive"), ObjectStore.class);
                    assertThat(context.getBeansOfType(ObjectStore.class)).hasSize(3);
                    assertThat(primary).isSameAs(context.getBean("leaseholdObjectStore"));
                    assertThat(context.getBean(io.leasehold.core.AsyncObjectStore.class)).isSameAs(primary.async());
                    assertThat(context.getBean("leaseholdAsyncObjectStore.orders")).isSameAs(orders.async());
                    assertThat(context.getBeansOfType(io.leasehold.core.AsyncObjectStore.class)).hasSize(3);

                    assertThat(orders.operationRetry().getRetryConfig().getMaxAttempts()).isEqualTo(5);
                    assertThat(archive.operationRetry().getRetryConfig().getMaxAttempts()).isEqualTo(3);
                    Updates orderUpdates = context.getBean("leaseholdUpdates.orders", Updates.class);
                    assertThat(orderUpdates.options().retryConfig().orElseThrow().getMaxAttempts()).isEqualTo(7);
                    // Unset: the library's contention-sized default.
                    assertThat(context.getBean("leaseholdUpdates.archive", Updates.class).options())
                            .isSameAs(UpdateOptions.defaults());
                    LeaseOptions lease = context.getBean("leaseholdLeaseKeepers.orders", LeaseKeepers.class).options();
                    assertThat(lease.duration()).contains(Duration.ofSeconds(20));
                    assertThat(lease.safetyMargin()).isEqualTo(Duration.ofSeconds(3));

                    orderUpdates.update("k", current -> "1".getBytes(StandardCharsets.US_ASCII));
                    primary.put("k", new byte[0]);
                    MeterRegistry meters = context.getBean(MeterRegistry.class);
                    assertThat(meters.get(LeaseholdMetrics.OPERATION).tags("store", "orders", "team", "payments",
                            "app", "shop", "operation", "update").timer().count()).isEqualTo(1);
                    assertThat(meters.get(LeaseholdMetrics.OPERATION).tags("store", "default", "app", "shop",
                            "operation", "put").timer().count()).isEqualTo(1);

                    assertThat(context.getBean("leasehold-ordersHealthIndicator", LeaseholdHealthIndicator.class)
                            .health().getStatus()).isEqualTo(Status.UP);
                    assertThat(context.getBean("leaseholdHealthIndicator", LeaseholdHealthIndicator.class)
                            .health().getStatus()).isEqualTo(Status.UP);
                });
    }

    @Test
    void namedStoresAloneServeQualifiedInjectionPoints() {
        runner.withPropertyValues("leasehold.stores.orders.uri=mem://only-orders")
                .withBean("orders", String.class, () -> "x")
                .run(context -> {
                    assertThat(context).hasNotFailed().doesNotHaveBean("leaseholdObjectStore");
                    assertThat(context.getBean(NamedStores.storeBeanName("orders"), ObjectStore.class).driverName())
                            .isEqualTo("memory");
                });
    }

    @Test
    void anUnqualifiedStoreAmongSeveralNamedOnesIsExplained(CapturedOutput output) {
        startFails("leasehold.stores.orders.uri=mem://a", "leasehold.stores.archive.uri=mem://b");
        assertThat(report(output)).contains("orders, archive").contains("@Qualifier(\"orders\")")
                .contains("leasehold.store.uri");
    }

    @Test
    void aNamedStoreWithoutUriNamesItsProperty(CapturedOutput output) {
        startFails("leasehold.store.uri=mem://x", "leasehold.stores.orders.retry.max-attempts=2");
        assertThat(report(output)).contains("leasehold.stores.orders.uri").contains("is empty");
    }

    @Test
    void aMisspelledPropertyFailsStartupByName(CapturedOutput output) {
        startFails("leasehold.store.uri=mem://x", "leasehold.store.retry.max-atempts=2",
                "leasehold.stores.orders.uri=mem://y", "leasehold.stores.orders.option.connection-string=s3cr3t");
        assertThat(report(output)).contains("leasehold.store.retry.max-atempts")
                .contains("Did you mean leasehold.store.retry.max-attempts instead of leasehold.store.retry.max-atempts?")
                .contains("Did you mean leasehold.stores.orders.options instead of leasehold.stores.orders.option.connection-string?")
                .doesNotContain("s3cr3t");
    }

    @Test
    void retryAndLeaseSettingsOutOfRangeNameTheirProperty(CapturedOutput output) {
        startFails("leasehold.store.uri=mem://x", "leasehold.store.retry.max-attempts=0");
        assertThat(report(output)).contains("leasehold.store.retry.max-attempts").contains("at least 1");
        startFails("leasehold.store.uri=mem://x", "leasehold.stores.orders.uri=mem://y",
                "leasehold.stores.orders.lease.duration=5s");
        String all = output.getAll();
        assertThat(all.substring(all.lastIndexOf("APPLICATION FAILED TO START")))
                .contains("leasehold.stores.orders.lease.duration").contains("15");
    }

    @Test
    void anOptionTheApplicationsBlobServiceClientCannotTakeIsNamed() {
        BlobServiceClient client = new BlobServiceClientBuilder().endpoint("http://127.0.0.1:9/devstoreaccount1")
                .credential(new StorageSharedKeyCredential("devstoreaccount1", "a2V5")).buildClient();
        runner.withBean(BlobServiceClient.class, () -> client)
                .withPropertyValues("leasehold.store.uri=azure://c", "leasehold.store.options.timeout=5s")
                .run(context -> {
                    assertThat(context).hasFailed();
                    InvalidConfigurationException e = (InvalidConfigurationException) Stream.iterate(
                            context.getStartupFailure(), t -> t != null, Throwable::getCause)
                            .filter(InvalidConfigurationException.class::isInstance).findFirst().orElseThrow();
                    assertThat(e.setting()).isEqualTo("leasehold.store.options.timeout");
                    assertThat(e.getMessage()).contains("BlobServiceClient");
                });
    }

    @Test
    void anOptionTheStoreTakesInKebabCaseReachesTheDriver(CapturedOutput output) {
        // azure takes create-container: accepted, and then refused by the driver for lack of a connection,
        // naming the URI rather than the option.
        startFails("leasehold.store.uri=azure://c", "leasehold.store.options.create-container=true",
                "leasehold.store.options.path-style=true");
        assertThat(report(output)).contains("leasehold.store.options.path-style")
                .contains("take only connectionString, endpoint, account, createContainer, timeout");
    }
}
