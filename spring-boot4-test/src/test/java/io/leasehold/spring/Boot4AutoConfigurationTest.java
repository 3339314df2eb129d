package io.leasehold.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.leasehold.core.ObjectStore;
import io.leasehold.micrometer.LeaseholdMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The starter (built against Boot 3) in a Spring Boot 4 context: store, metrics, Boot 4 health. */
class Boot4AutoConfigurationTest {

    @Test
    @SuppressWarnings("unchecked")
    void theStarterWorksOnBoot4() {
        assertThat(SpringBootVersion.getVersion()).startsWith("4.");
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(LeaseholdAutoConfiguration.class))
                .withPropertyValues("leasehold.store.uri=mem://boot4")
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .run(context -> {
                    ObjectStore store = context.getBean(ObjectStore.class);
                    store.put("k", new byte[] {1});
                    assertThat(context.getBean(MeterRegistry.class).get(LeaseholdMetrics.OPERATION)
                            .tags("operation", "put", "outcome", "OK").timer().count()).isEqualTo(1);
                    Health health = context.getBean(LeaseholdBoot4HealthIndicator.class).health();
                    assertThat(health.getStatus()).isEqualTo(Status.UP);
                    assertThat((List<Object>) health.getDetails().get("capabilities")).contains("PUT_IF_MATCH");
                    assertThat(context.getBean("leaseholdHealthIndicator")).isInstanceOf(LeaseholdBoot4HealthIndicator.class);
                });
    }
}
