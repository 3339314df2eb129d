package io.leasehold.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.leasehold.core.ObjectStore;
import io.leasehold.core.StoreObserver;
import io.leasehold.micrometer.LeaseholdMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The auto-configuration in a bare application context: beans, metrics, health, observers. */
class LeaseholdAutoConfigurationTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(LeaseholdAutoConfiguration.class));

    @Test
    void noUriNoStore() {
        runner.run(context -> assertThat(context).doesNotHaveBean(ObjectStore.class));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aStoreFromTheUriWithMetricsInTheApplicationsRegistry() {
        List<String> heard = new CopyOnWriteArrayList<>();
        runner.withPropertyValues("leasehold.store.uri=mem://starter-test", "leasehold.metrics.tags.store=orders")
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withBean(StoreObserver.class, () -> new StoreObserver() {
                    @Override
                    public Scope operationStarted(String driver, Operation operation, String key) {
                        heard.add(operation.tagValue());
                        return Scope.NONE;
                    }
                })
                .run(context -> {
                    ObjectStore store = context.getBean(ObjectStore.class);
                    store.put("k", "v".getBytes(StandardCharsets.UTF_8));
                    assertThat(store.driverName()).isEqualTo("memory");
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    assertThat(registry.get(LeaseholdMetrics.OPERATION).tags("store", "orders", "driver", "memory",
                            "operation", "put", "outcome", "OK").timer().count()).isEqualTo(1);
                    assertThat(heard).containsExactly("put");

                    Health health = context.getBean(LeaseholdHealthIndicator.class).health();
                    assertThat(health.getStatus()).isEqualTo(Status.UP);
                    assertThat(health.getDetails()).containsEntry("driver", "memory");
                    assertThat((List<Object>) health.getDetails().get("capabilities")).contains("PUT_IF_MATCH", "LEASES");
                });
    }

    @Test
    void metricsCanBeSwitchedOffAndHealthToo() {
        runner.withPropertyValues("leasehold.store.uri=mem://starter-test-2", "leasehold.metrics.enabled=false",
                        "management.health.leasehold.enabled=false")
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .run(context -> {
                    context.getBean(ObjectStore.class).put("k", new byte[0]);
                    assertThat(context.getBean(MeterRegistry.class).find(LeaseholdMetrics.OPERATION).meters()).isEmpty();
                    assertThat(context).doesNotHaveBean(LeaseholdHealthIndicator.class);
                });
    }

    @Test
    void aDriverFactoryBeanIsAskedFirst() {
        runner.withPropertyValues("leasehold.store.uri=s3://bucket?profile=aws", "leasehold.store.options.region=x y")
                .withBean(LeaseholdDriverFactory.class, () -> uri -> {
                    assertThat(uri).isEqualTo(URI.create("s3://bucket?profile=aws&region=x%20y"));
                    return io.leasehold.driver.memory.MemoryDriver.create();
                })
                .run(context -> assertThat(context.getBean(ObjectStore.class).driverName()).isEqualTo("memory"));
    }

    @Test
    void optionsAreMergedIntoTheQuery() {
        URI uri = StoreUris.resolve("leasehold.store", "s3://bucket/prefix?region=a&profile=aws",
                Map.of("region", "b", "path-style", "true"));
        assertThat(StoreUris.query(uri)).containsOnly(Map.entry("profile", "aws"), Map.entry("region", "b"),
                Map.entry("pathStyle", "true"));
        assertThat(StoreUris.prefix(uri)).isEqualTo("prefix");
    }
}
