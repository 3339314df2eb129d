package io.leasehold.micrometer;

import io.leasehold.spi.GetResponse;
import io.leasehold.spi.PutResponse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leasehold.core.Capabilities;
import io.leasehold.core.DeleteOptions;
import io.leasehold.core.ErrorCode;
import io.leasehold.core.GetOptions;
import io.leasehold.core.GetResult;
import io.leasehold.core.lease.Lease;
import io.leasehold.core.lease.LeaseListener;
import io.leasehold.core.lease.LeaseKeeper;
import io.leasehold.core.lease.LeaseOptions;
import io.leasehold.core.ObjectNotFoundException;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.OutcomeUnknownException;
import io.leasehold.core.PutOptions;
import io.leasehold.core.PutResult;
import io.leasehold.core.TransientException;
import io.leasehold.driver.memory.MemoryDriver;
import io.leasehold.spi.LeaseDriver;
import io.leasehold.spi.StoreDriver;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Meters and observations from real store calls, counted exactly on a SimpleMeterRegistry. */
class LeaseholdMetricsTest {

    /** Memory driver whose next puts fail as scripted: "lost" (lands, response lost) or "503" (not applied). */
    static final class ScriptedDriver implements StoreDriver {
        final MemoryDriver target = MemoryDriver.create();
        final List<String> script = new CopyOnWriteArrayList<>();

        @Override
        public String name() {
            return "memory";
        }

        @Override
        public Capabilities capabilities() {
            return target.capabilities();
        }

        @Override
        public PutResponse put(String key, byte[] content, PutOptions options) {
            String next = script.isEmpty() ? "" : script.remove(0);
            if (next.equals("503")) {
                throw new TransientException(ErrorCode.THROTTLED, key, "injected 503 SlowDown", null);
            }
            PutResponse written = target.put(key, content, options);
            if (next.equals("lost")) {
                throw new OutcomeUnknownException(key, "injected: response lost", null);
            }
            return written;
        }

        @Override
        public GetResponse get(String key, GetOptions options, boolean withContent) {
            return target.get(key, options, withContent);
        }

        @Override
        public void delete(String key, DeleteOptions options) {
            target.delete(key, options);
        }

        @Override
        public Optional<LeaseDriver> leases() {
            return target.leases();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void operationsRetriesSettlementsConflictsAndLeasesBecomeMeters() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ScriptedDriver driver = new ScriptedDriver();
        LeaseholdMetrics metrics = LeaseholdMetrics.builder(registry).tags(Tags.of("store", "orders")).build();
        try (ObjectStore store = ObjectStore.builder().driver(driver).observer(metrics).build();
             ObjectStore other = ObjectStore.of(driver.target)) {
            driver.script.addAll(List.of("503", "lost"));
            store.put("a", bytes("1"));                                   // 503, retried, then OK
            store.put("a", bytes("2"));                                   // lands, response lost: settled
            assertThrows(ObjectNotFoundException.class, () -> store.get("missing"));
            AtomicInteger calls = new AtomicInteger();
            store.update("a", current -> {
                if (calls.getAndIncrement() == 0) {
                    other.put("a", bytes("9"));                          // another writer in between
                }
                return bytes("10");
            });

            Lease held = store.leases().acquire("a", LeaseOptions.builder().duration(Duration.ofSeconds(15)).build());
            CountDownLatch renewed = new CountDownLatch(1);
            // The keeper renews the lease the store returned (its age is known on the monotonic clock) at
            // about a third of its duration, with about 10 s left.
            try (LeaseKeeper keeper = store.leases().keep(held, new LeaseListener() {
                @Override
                public void onRenewed(Lease lease) {
                    renewed.countDown();
                }
            })) {
                assertTrue(renewed.await(10, TimeUnit.SECONDS));
                assertTrue(keeper.isHeld());
            }
        }

        assertEquals(2, registry.get(LeaseholdMetrics.OPERATION).tags("store", "orders", "driver", "memory",
                "operation", "put", "outcome", "OK").timer().count());
        assertEquals(1, registry.get(LeaseholdMetrics.OPERATION).tags("operation", "get", "outcome", "NOT_FOUND")
                .timer().count());
        assertEquals(3, registry.get(LeaseholdMetrics.ATTEMPTS).tags("operation", "put", "outcome", "OK")
                .summary().totalAmount(), "1 + 2 attempts");
        assertEquals(1, registry.get(LeaseholdMetrics.ATTEMPTS).tags("operation", "update", "outcome", "OK")
                .summary().count());
        assertEquals(2, registry.get(LeaseholdMetrics.ATTEMPTS).tags("operation", "update", "outcome", "OK")
                .summary().totalAmount(), "one conflict, then success");
        assertEquals(1, registry.get(LeaseholdMetrics.RETRIES).tags("operation", "put", "cause", "THROTTLED")
                .counter().count());
        assertEquals(1, registry.get(LeaseholdMetrics.SETTLEMENTS).tags("operation", "put", "verdict", "LANDED")
                .counter().count());
        assertEquals(1, registry.get(LeaseholdMetrics.CONFLICTS).tags("cause", "PRECONDITION_FAILED")
                .counter().count());
        assertEquals(1, registry.get(LeaseholdMetrics.RENEWALS).counter().count());
        assertEquals(1, registry.get(LeaseholdMetrics.OPERATION).tags("operation", "lease_acquire", "outcome", "OK")
                .timer().count());
        double left = registry.get(LeaseholdMetrics.TIME_LEFT).tags("event", "renewal").summary().max();
        assertTrue(left > 5 && left <= 11, "about 10 s were left: " + left);
        assertEquals(1, registry.get(LeaseholdMetrics.TIME_LEFT).tags("event", "release").summary().count());
        assertTrue(registry.getMeters().stream().noneMatch(m -> m.getId().getTags().stream()
                .anyMatch(t -> t.getValue().equals("a") || t.getValue().equals("missing"))), "keys never become tags");
    }

    @Test
    void withAnObservationRegistryOperationsAreObservationsWithTheSameTimer() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ObservationRegistry observations = ObservationRegistry.create();
        observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(registry));
        List<Observation.Context> seen = new CopyOnWriteArrayList<>();
        observations.observationConfig().observationHandler(new ObservationHandler<>() {
            @Override
            public void onStop(Observation.Context context) {
                seen.add(context);
            }

            @Override
            public boolean supportsContext(Observation.Context context) {
                return true;
            }
        });
        LeaseholdMetrics metrics = LeaseholdMetrics.builder(registry).observationRegistry(observations).build();
        try (ObjectStore store = ObjectStore.builder().driver(MemoryDriver.create()).observer(metrics).build()) {
            store.put("k", bytes("v"));
            assertThrows(ObjectNotFoundException.class, () -> store.head("nope"));
            assertNull(observations.getCurrentObservation(), "scopes are closed");
        }
        assertEquals(2, seen.size());
        assertEquals("leasehold put", seen.get(0).getContextualName());
        assertEquals("OK", seen.get(0).getLowCardinalityKeyValue("outcome").getValue());
        assertEquals("NOT_FOUND", seen.get(1).getLowCardinalityKeyValue("outcome").getValue());
        assertTrue(seen.get(1).getError() instanceof ObjectNotFoundException);
        assertNull(seen.get(0).getHighCardinalityKeyValue("key"), "no key unless asked for");
        assertEquals(1, registry.get(LeaseholdMetrics.OPERATION).tags("operation", "put", "outcome", "OK")
                .timer().count());
    }
}
