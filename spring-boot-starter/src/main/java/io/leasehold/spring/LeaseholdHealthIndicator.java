package io.leasehold.spring;

import io.leasehold.core.Capability;
import io.leasehold.core.ObjectStore;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/**
 * Health of the store ({@code /actuator/health/leasehold}): UP when one HEAD of
 * {@code leasehold.health.key} is answered (found or not found), DOWN with the portable error code
 * otherwise; details name the driver and its capabilities. Never reports messages or credentials. The
 * HEAD is not observed: it adds nothing to the store's metrics or to any {@code StoreObserver}.
 *
 * <p>Thread-safety: safe for concurrent use.
 */
public class LeaseholdHealthIndicator extends AbstractHealthIndicator {
    private final ObjectStore store;
    private final String key;

    /**
     * Creates the indicator.
     *
     * @param store the store
     * @param key the key to read
     */
    public LeaseholdHealthIndicator(ObjectStore store, String key) {
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
