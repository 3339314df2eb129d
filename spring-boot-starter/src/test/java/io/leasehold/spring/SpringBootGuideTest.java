package io.leasehold.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.leasehold.core.ObjectStore;
import io.leasehold.micrometer.LeaseholdMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.env.PropertiesPropertySourceLoader;
import org.springframework.boot.env.PropertySourceLoader;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ByteArrayResource;

/**
 * The guide's configuration blocks ({@code docs/spring-boot.md}), read from the Markdown file and
 * loaded verbatim, start an application with the beans and settings the guide promises. A block
 * that does not load (say, a value with a trailing comment) fails here, not in a reader's application.
 */
class SpringBootGuideTest {
    private static final Path GUIDE = Path.of(System.getProperty("leasehold.docs.dir", "../docs"), "spring-boot.md");

    static List<String> blocks(String language) throws IOException {
        Matcher block = Pattern.compile("(?s)```" + language + "\\n(.*?)```").matcher(Files.readString(GUIDE));
        List<String> found = new ArrayList<>();
        while (block.find()) {
            found.add(block.group(1));
        }
        return found;
    }

    static ApplicationContextRunner runnerWith(String block, PropertySourceLoader loader) throws IOException {
        List<PropertySource<?>> sources = loader.load("docs/spring-boot.md",
                new ByteArrayResource(block.getBytes(StandardCharsets.UTF_8), "the guide's block"));
        return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(LeaseholdAutoConfiguration.class))
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withInitializer(context -> sources.forEach(s -> context.getEnvironment().getPropertySources().addFirst(s)));
    }

    @Test
    void thePropertiesBlockStartsTheDefaultStoreWithItsSettings() throws IOException {
        List<String> blocks = blocks("properties");
        assertThat(blocks).hasSize(1);
        assertThat(blocks.get(0)).doesNotContainPattern("\\S[ \\t]+#");
        runnerWith(blocks.get(0), new PropertiesPropertySourceLoader()).run(context -> {
            assertThat(context).hasNotFailed();
            ObjectStore store = context.getBean(ObjectStore.class);
            assertThat(store.driverName()).isEqualTo("memory");
            assertThat(store.operationRetry().getRetryConfig().getMaxAttempts()).isEqualTo(3);
            assertThat(context.getBean(Updates.class).options().retryConfig().orElseThrow().getMaxAttempts())
                    .isEqualTo(20);
            LeaseKeepers keepers = context.getBean(LeaseKeepers.class);
            assertThat(keepers.options().duration()).contains(Duration.ofSeconds(30));
            assertThat(keepers.options().safetyMargin()).isEqualTo(Duration.ofSeconds(6));
            assertThat(context).hasBean("leaseholdHealthIndicator");
            store.put("k", new byte[0]);
            assertThat(context.getBean(MeterRegistry.class).get(LeaseholdMetrics.OPERATION)
                    .tags("store", "default", "app", "shop").timer().count()).isEqualTo(1);
        });
    }

    @Test
    void theYamlBlockStartsSeveralStores() throws IOException {
        List<String> blocks = blocks("yaml");
        assertThat(blocks).hasSize(1);
        runnerWith(blocks.get(0), new YamlPropertySourceLoader()).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBeansOfType(ObjectStore.class)).hasSize(3);
            ObjectStore archive = context.getBean(NamedStores.storeBeanName("archive"), ObjectStore.class);
            assertThat(archive.driverName()).isEqualTo("s3");
            assertThat(archive.operationRetry().getRetryConfig().getMaxAttempts()).isEqualTo(5);
            assertThat(context.getBean("leaseholdLeaseKeepers.archive", LeaseKeepers.class).options().duration())
                    .contains(Duration.ofSeconds(60));
            assertThat(context.getBean(NamedStores.storeBeanName("audit"), ObjectStore.class).driverName())
                    .isEqualTo("memory");
            assertThat(context.getBean(ObjectStore.class).driverName()).isEqualTo("memory");
        });
    }
}
