package io.leasehold.spring;

import io.leasehold.core.Capability;
import io.leasehold.core.ObjectStore;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * {@link LeaseholdHealthIndicator} for Spring Boot 4, whose health API moved to
 * {@code org.springframework.boot.health.contributor}: the same check and details.
 *
 * <p>Thread-safety: safe for concurrent use.
 */
public class LeaseholdBoot4HealthIndicator extends AbstractHealthIndicator {
    private final ObjectStore store;
    private final String key;

    /**
     * Creates the indicator.
     *
     * @param store the store
     * @param key the key to read
     */
    public LeaseholdBoot4HealthIndicator(ObjectStore store, String key) {
        super("Leasehold store health check failed");
        this.store = store;
        this.key = key;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        List<String> capabilities = store.capabilities().asSet().stream().map(Capability::name).sorted()
                .collect(Collectors.toList());
        builder.withDetail("driver", store.driverName()).withDetail("capabilities", capabilities);
        HealthProbes.probe(store, key).ifPresentOrElse(code -> builder.down().withDetail("error", code.name()),
                builder::up);
    }
}
