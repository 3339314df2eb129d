package io.leasehold.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leasehold.core.ObjectStore;
import io.leasehold.micrometer.LeaseholdMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What a new user hit on first contact with the starter, each reproduced: startup failures that
 * never named the property, no configuration metadata, health checks counted as operations.
 */
@ExtendWith(OutputCaptureExtension.class)
class FirstContactTest {

    /** An application with the starter and one component that needs the store. */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(LeaseholdAutoConfiguration.class)
    static class App {
        @Bean
        String needsTheStore(ObjectStore store) {
            return store.driverName();
        }
    }

    /** Starts {@link App} with the given properties; it must fail. */
    static void startFails(String... properties) {
        SpringApplication app = new SpringApplication(App.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        String[] args = new String[properties.length];
        for (int i = 0; i < properties.length; i++) {
            args[i] = "--" + properties[i];
        }
        assertThatThrownBy(() -> app.run(args).close()).isInstanceOf(RuntimeException.class);
    }

    /** The failure report Spring Boot printed, asserted to be a report and not a stack trace. */
    static String report(CapturedOutput output) {
        String all = output.getAll();
        assertThat(all).contains("APPLICATION FAILED TO START");
        String report = all.substring(all.lastIndexOf("APPLICATION FAILED TO START"));
        assertThat(report).doesNotContain("\tat ").contains("Description:").contains("Action:");
        return report;
    }

    @Test
    void aTimeoutOptionOnAFileStoreNamesTheOptionNotTheUriQuery(@TempDir Path dir, CapturedOutput output) {
        startFails("leasehold.store.uri=" + dir.toUri(), "leasehold.store.options.timeout=20s");
        assertThat(report(output)).contains("leasehold.store.options.timeout").contains("file")
                .doesNotContain("take no query");
    }

    @Test
    void aMissingUriNamesTheProperty(CapturedOutput output) {
        startFails();
        assertThat(report(output)).contains("leasehold.store.uri");
    }

    @Test
    void aMalformedUriNamesThePropertyWithoutEchoingIt(CapturedOutput output) {
        startFails("leasehold.store.uri=azure://orders?connectionString=AccountKey=s3cr3t|x");
        assertThat(report(output)).contains("leasehold.store.uri").doesNotContain("s3cr3t");
    }

    @Test
    void anUnknownSchemeNamesTheKnownOnes(CapturedOutput output) {
        startFails("leasehold.store.uri=gs://bucket");
        assertThat(report(output)).contains("leasehold.store.uri").contains("'gs'").contains("s3");
    }

    @Test
    void anAdapterMissingFromTheClassPathIsNamed(CapturedOutput output) {
        // leasehold-tigris is not on this module's class path.
        startFails("leasehold.store.uri=tigris://bucket");
        assertThat(report(output)).contains("leasehold.store.uri").contains("leasehold-tigris");
    }

    @Test
    void configurationMetadataDescribesEveryProperty() throws IOException {
        JsonNode metadata;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("generated configuration metadata").isNotNull();
            metadata = new ObjectMapper().readTree(in);
        }
        List<String> names = new ArrayList<>();
        List<String> undocumented = new ArrayList<>();
        for (JsonNode property : metadata.get("properties")) {
            String name = property.get("name").asText();
            names.add(name);
            String description = property.path("description").asText("");
            // Descriptions come from field Javadoc: plain sentences, no Javadoc tags leaking into IDEs.
            if (description.isBlank() || description.contains("{@") || description.contains("&lt;")) {
                undocumented.add(name);
            }
        }
        assertThat(undocumented).isEmpty();
        assertThat(names).contains("leasehold.store.uri", "leasehold.store.options", "leasehold.stores",
                "leasehold.store.retry.max-attempts", "leasehold.store.update.max-attempts",
                "leasehold.store.lease.duration", "leasehold.store.lease.safety-margin", "leasehold.store.metric-tags",
                "leasehold.metrics.enabled", "leasehold.metrics.tags", "leasehold.health.key",
                "management.health.leasehold.enabled");
        assertThat(names).allMatch(n -> n.startsWith("leasehold.") || n.equals("management.health.leasehold.enabled"));
    }

    @Test
    void healthChecksAreNotCountedAsOperations() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(LeaseholdAutoConfiguration.class))
                .withPropertyValues("leasehold.store.uri=mem://first-contact-health")
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .run(context -> {
                    LeaseholdHealthIndicator health = context.getBean(LeaseholdHealthIndicator.class);
                    for (int i = 0; i < 5; i++) {
                        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
                    }
                    context.getBean(ObjectStore.class).put("k", new byte[0]);
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    assertThat(registry.find(LeaseholdMetrics.OPERATION).tag("operation", "head").meters()).isEmpty();
                    assertThat(registry.get(LeaseholdMetrics.OPERATION).tag("operation", "put").timer().count())
                            .isEqualTo(1);
                });
    }
}
