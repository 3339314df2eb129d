package io.leasehold.samples;

import io.leasehold.core.ObjectStore;
import io.leasehold.micrometer.LeaseholdMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.observation.ObservationRegistry;

/**
 * The README's "Observing a store": a store whose operations, retries, settlements and leases are
 * recorded as Micrometer meters and observations.
 *
 * <p>Thread-safety: stateless.
 */
public final class ObservedStoreSample {
    private ObservedStoreSample() {
    }

    /**
     * Opens an observed store.
     *
     * @param storeUri e.g. {@code azure://orders?createContainer=true}
     * @param meterRegistry where meters go
     * @param observationRegistry where observations go (timers through its meter handler, spans through a tracing bridge)
     * @return the store; close it when done
     */
    public static ObjectStore open(String storeUri, MeterRegistry meterRegistry, ObservationRegistry observationRegistry) {
        ObjectStore store = ObjectStore.builder()
                .uri(storeUri)
                .observer(LeaseholdMetrics.builder(meterRegistry)
                        .observationRegistry(observationRegistry)     // optional: operations become observations (spans)
                        .tags(Tags.of("store", "orders"))             // optional, bounded
                        .build())
                .build();
        return store;
    }
}
