package io.leasehold.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.leasehold.core.ObjectStore;
import io.leasehold.micrometer.LeaseholdMetrics;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

/** The README's observed store records its operations through the observation registry's meter handler. */
class ObservedStoreSampleTest {

    @Test
    void operationsBecomeTimersThroughObservations() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ObservationRegistry observations = ObservationRegistry.create();
        observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
        try (ObjectStore store = ObservedStoreSample.open("mem://observed-sample", meters, observations)) {
            store.put("k", new byte[] {1});
            store.get("k");
        }
        assertEquals(1, meters.get(LeaseholdMetrics.OPERATION).tags("store", "orders", "driver", "memory",
                "operation", "get", "outcome", "OK").timer().count());
        assertEquals(2, meters.get(LeaseholdMetrics.ATTEMPTS).tags("store", "orders").summaries().stream()
                .mapToLong(s -> s.count()).sum());
    }
}
