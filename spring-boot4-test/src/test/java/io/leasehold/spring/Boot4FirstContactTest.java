package io.leasehold.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leasehold.core.ObjectStore;
import io.leasehold.micrometer.LeaseholdMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The first-contact fixes on Spring Boot 4: failure reports, named stores, health without metrics, locks. */
@ExtendWith(OutputCaptureExtension.class)
class Boot4FirstContactTest {

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(LeaseholdAutoConfiguration.class)
    static class App {
        @Bean
        String needsTheStore(ObjectStore store) {
            return store.driverName();
        }
    }

    static String report(CapturedOutput output, String... args) {
        SpringApplication app = new SpringApplication(App.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        assertThatThrownBy(() -> app.run(args).close()).isInstanceOf(RuntimeException.class);
        String all = output.getAll();
        assertThat(all).contains("APPLICATION FAILED TO START");
        String report = all.substring(all.lastIndexOf("APPLICATION FAILED TO START"));
        assertThat(report).doesNotContain("\tat ");
        return report;
    }

    @Test
    void startupFailuresNameTheProperty(CapturedOutput output) {
        assertThat(report(output)).contains("leasehold.store.uri is not set");
        assertThat(report(output, "--leasehold.store.uri=file:target/boot4-store", "--leasehold.store.options.timeout=20s"))
                .contains("leasehold.store.options.timeout").contains("file:// stores, which take no options");
        assertThat(report(output, "--leasehold.store.uri=mem://x", "--leasehold.store.retry.max-atempts=2"))
                .contains("Did you mean leasehold.store.retry.max-attempts");
    }

    /** A locked job. */
    static class Job {
        @LeaseholdLocked(key = "jobs/boot4", duration = "15s")
        public Long run() {
            return LeaseholdLock.current().orElseThrow().fencingToken().getAsLong();
        }
    }

    @Test
    void namedStoresHealthWithoutMetricsAndLocks() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(LeaseholdAutoConfiguration.class))
                .withPropertyValues("leasehold.store.uri=mem://boot4-default", "leasehold.stores.orders.uri=mem://boot4-orders")
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withBean(Job.class)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    LeaseholdBoot4HealthIndicator orders = context.getBean("leasehold-ordersHealthIndicator",
                            LeaseholdBoot4HealthIndicator.class);
                    assertThat(orders.health().getStatus()).isEqualTo(Status.UP);
                    assertThat(context.getBean("leaseholdHealthIndicator", LeaseholdBoot4HealthIndicator.class)
                            .health().getStatus()).isEqualTo(Status.UP);
                    MeterRegistry meters = context.getBean(MeterRegistry.class);
                    assertThat(meters.find(LeaseholdMetrics.OPERATION).meters()).isEmpty();

                    Job job = context.getBean(Job.class);
                    Callable<Long> run = job::run;
                    long first = run.call();
                    assertThat(run.call()).isGreaterThan(first);
                    assertThat(meters.get(LeaseholdMetrics.OPERATION).tags("store", "default", "operation",
                            "lease_acquire").timer().count()).isEqualTo(2);
                });
    }
}
