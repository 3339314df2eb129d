package io.leasehold.core;

import io.leasehold.core.lease.Lease;
import io.leasehold.core.lease.LeaseKeeper;
import io.leasehold.core.lease.LeaseListener;
import io.leasehold.core.lease.LeaseOptions;
import io.leasehold.core.lease.Leases;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leasehold.driver.memory.MemoryDriver;
import io.leasehold.testing.FaultyDriver;
import io.leasehold.testing.FaultyDriver.Fault;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The observation hook and the log lines: which events each operation produces, with exact counts,
 * and that logs never carry a full lease id. Logs are captured through java.util.logging, where
 * {@link System.Logger} goes when no other backend is installed.
 */
class ObserverTest {

    /** Records every event as one line. */
    static final class Recorder implements StoreObserver {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public Scope operationStarted(String driver, Operation operation, String key) {
            events.add("start " + operation.tagValue());
            return (outcome, attempts, failure) -> events.add("end " + operation.tagValue() + " "
                    + (outcome == null ? "OK" : outcome) + " attempts=" + attempts);
        }

        @Override
        public void retryScheduled(String driver, Operation operation, String key, ObjectStoreException cause,
                                   int attempt, Duration wait) {
            events.add("retry " + operation.tagValue() + " " + cause.code() + " attempt=" + attempt);
        }

        @Override
        public void writeSettled(String driver, Operation operation, String key, Verdict verdict) {
            events.add("settled " + operation.tagValue() + " " + verdict);
        }

        @Override
        public void updateConflict(String driver, String key, int attempt, ObjectStoreException cause) {
            events.add("conflict " + cause.code() + " attempt=" + attempt);
        }

        @Override
        public void leaseRenewed(String driver, Lease lease, Duration timeLeft) {
            events.add("renewed");
        }

        @Override
        public void leaseRenewalFailed(String driver, Lease lease, ObjectStoreException cause, boolean definitive,
                                       Duration safeTimeLeft) {
            events.add("renewal failed " + cause.code() + (definitive ? " definitive" : " transient"));
        }

        @Override
        public void leaseLost(String driver, Lease lease, ObjectStoreException cause) {
            events.add("lost " + cause.code());
        }

        @Override
        public void leaseReleased(String driver, Lease lease, Duration timeLeft) {
            events.add("released");
        }
    }

    private final List<LogRecord> logs = new CopyOnWriteArrayList<>();
    private final Logger julRoot = Logger.getLogger("io.leasehold");
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logs.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private Level levelBefore;

    @BeforeEach
    void captureLogs() {
        levelBefore = julRoot.getLevel();
        julRoot.setLevel(Level.ALL);
        julRoot.addHandler(capture);
    }

    @AfterEach
    void stopCapturing() {
        julRoot.removeHandler(capture);
        julRoot.setLevel(levelBefore);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private List<String> messages() {
        List<String> out = new ArrayList<>();
        for (LogRecord r : logs) {
            out.add(r.getLevel() + " " + r.getLoggerName() + " " + r.getMessage());
        }
        return out;
    }

    @Test
    void eachOperationIsOneScopeWithItsOutcome() {
        Recorder recorder = new Recorder();
        try (ObjectStore store = ObjectStore.builder().driver(MemoryDriver.create()).observer(recorder).build()) {
            PutResult first = store.put("a", bytes("1"), PutOptions.of(PutMode.create()));
            assertThrows(ObjectAlreadyExistsException.class, () -> store.put("a", bytes("2"), PutOptions.of(PutMode.create())));
            store.get("a");
            assertThrows(ObjectNotFoundException.class, () -> store.head("missing"));
            store.update("a", current -> bytes("3"));
            assertThrows(InvalidArgumentException.class, () -> store.get(""));
            store.delete("a", DeleteOptions.ifMatch(store.head("a").info().version()));
            assertFalse(first.writeId().isEmpty());
        }
        assertEquals(List.of(
                "start put", "end put OK attempts=1",
                "start put", "end put ALREADY_EXISTS attempts=1",
                "start get", "end get OK attempts=1",
                "start head", "end head NOT_FOUND attempts=1",
                "start update", "end update OK attempts=1",
                "start get", "end get INVALID_ARGUMENT attempts=1",
                "start head", "end head OK attempts=1",
                "start delete", "end delete OK attempts=1"), recorder.events);
    }

    @Test
    void retriesAreReportedInsideTheirScopeAndCounted() {
        Recorder recorder = new Recorder();
        FaultyDriver driver = new FaultyDriver(Fault.TRANSIENT_BEFORE_APPLY, n -> n == 1);
        try (ObjectStore store = ObjectStore.builder().driver(driver).observer(recorder).build()) {
            store.put("k", bytes("x"));
        }
        assertEquals(List.of("start put", "retry put TRANSIENT attempt=1", "end put OK attempts=2"), recorder.events);
        assertEquals(2, driver.puts());
        assertTrue(messages().stream().anyMatch(m -> m.startsWith("FINE io.leasehold.store faulty put 'k': attempt 1"
                + " failed with TRANSIENT, retrying in ")), messages().toString());
    }

    @Test
    void aLostResponseIsSettledAndTheVerdictReported() {
        Recorder recorder = new Recorder();
        FaultyDriver driver = new FaultyDriver(Fault.APPLY_THEN_OUTCOME_UNKNOWN, n -> n == 1);
        try (ObjectStore store = ObjectStore.builder().driver(driver).observer(recorder).build()) {
            store.put("k", bytes("x"));
        }
        assertEquals(List.of("start put", "settled put LANDED", "end put OK attempts=1"), recorder.events);
        assertEquals(1, driver.applied());
        assertTrue(messages().contains("FINE io.leasehold.store faulty put 'k': the write's outcome was unknown;"
                + " reading back settled it as LANDED"), messages().toString());
    }

    @Test
    void updateConflictsAndAttemptsAreReported() {
        Recorder recorder = new Recorder();
        MemoryDriver driver = MemoryDriver.create();
        try (ObjectStore store = ObjectStore.builder().driver(driver).observer(recorder).build();
             ObjectStore other = ObjectStore.of(driver)) {
            store.put("n", bytes("0"));
            recorder.events.clear();
            int[] calls = {0};
            store.update("n", current -> {
                if (calls[0]++ == 0) {
                    other.put("n", bytes("10")); // another writer gets in between read and write
                }
                return bytes(Long.toString(Long.parseLong(new String(current, StandardCharsets.UTF_8)) + 1));
            });
            assertEquals("11", new String(store.get("n").content(), StandardCharsets.UTF_8));
        }
        assertEquals(List.of("start update", "conflict PRECONDITION_FAILED attempt=1", "end update OK attempts=2",
                "start get", "end get OK attempts=1"), recorder.events);
    }

    @Test
    void coalescedUpdatesEachEndTheirOwnScope() throws Exception {
        Recorder recorder = new Recorder();
        try (ObjectStore store = ObjectStore.builder().driver(MemoryDriver.create()).observer(recorder).build()) {
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 20; i++) {
                        store.update("n", c -> bytes(Long.toString(c == null ? 1
                                : Long.parseLong(new String(c, StandardCharsets.UTF_8)) + 1)));
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
            assertEquals("160", new String(store.get("n").content(), StandardCharsets.UTF_8));
        }
        assertEquals(160, recorder.events.stream().filter(e -> e.equals("start update")).count());
        assertEquals(160, recorder.events.stream().filter(e -> e.startsWith("end update OK attempts=")).count());
    }

    @Test
    void leaseKeeperEventsAndAWarningWithoutTheLeaseId() throws Exception {
        Recorder recorder = new Recorder();
        try (ObjectStore store = ObjectStore.builder().driver(MemoryDriver.create()).observer(recorder).build()) {
            Leases leases = store.leases();
            Lease held = leases.acquire("job", LeaseOptions.builder().duration(Duration.ofSeconds(15))
                    .createIfAbsent(true).build());
            // Pretend it was acquired 6 s ago, so the keeper renews at once.
            Lease aged = new Lease(held.key(), held.id(), Duration.ofSeconds(15),
                    Instant.now().minusSeconds(6), null);
            CountDownLatch renewed = new CountDownLatch(1);
            try (LeaseKeeper keeper = leases.keep(aged, new LeaseListener() {
                @Override
                public void onRenewed(Lease lease) {
                    renewed.countDown();
                }
            })) {
                assertTrue(renewed.await(10, TimeUnit.SECONDS));
                assertTrue(keeper.isHeld());
            }
            // A broken lease: the keeper's first renewal fails definitively and the loss is logged.
            Lease again = leases.acquire("job", LeaseOptions.builder().duration(Duration.ofSeconds(15)).build());
            leases.breakLease("job", Duration.ZERO);
            CountDownLatch lost = new CountDownLatch(1);
            try (LeaseKeeper keeper = leases.keep(new Lease(again.key(), again.id(), Duration.ofSeconds(15),
                    Instant.now().minusSeconds(6), null), new LeaseListener() {
                @Override
                public void onLost(Lease lease, ObjectStoreException cause) {
                    lost.countDown();
                }
            })) {
                assertTrue(lost.await(10, TimeUnit.SECONDS));
                assertFalse(keeper.isHeld());
            }
            List<String> lines = messages();
            for (String line : lines) {
                assertFalse(line.contains(held.id()) || line.contains(again.id()), "full lease id in log: " + line);
            }
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("WARNING io.leasehold.lease memory lease on 'job' lost (LEASE_LOST, "
                    + again.id().substring(0, 4) + "…)")), lines.toString());
        }
        assertEquals(List.of(
                "start lease_acquire", "start put", "end put OK attempts=1", "end lease_acquire OK attempts=1",
                "start lease_renew", "end lease_renew OK attempts=1", "renewed",
                "start lease_release", "end lease_release OK attempts=1", "released",
                "start lease_acquire", "end lease_acquire OK attempts=1",
                "start lease_break", "end lease_break OK attempts=1",
                "start lease_renew", "end lease_renew LEASE_LOST attempts=1",
                "renewal failed LEASE_LOST definitive", "lost LEASE_LOST",
                "start lease_release", "end lease_release OK attempts=1", "released"), recorder.events);
    }

    @Test
    void anObserverThatThrowsChangesNothing() {
        StoreObserver throwing = new StoreObserver() {
            @Override
            public Scope operationStarted(String driver, Operation operation, String key) {
                throw new IllegalStateException("observer bug");
            }
        };
        try (ObjectStore store = ObjectStore.builder().driver(MemoryDriver.create()).observer(throwing).build()) {
            store.put("k", bytes("v"));
            assertEquals("v", new String(store.get("k").content(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void builderNeedsExactlyOneOfDriverAndUri() {
        assertThrows(InvalidArgumentException.class, () -> ObjectStore.builder().build());
        assertThrows(InvalidArgumentException.class,
                () -> ObjectStore.builder().uri("mem://x").driver(MemoryDriver.create()).build());
        try (ObjectStore store = ObjectStore.builder().uri("mem://observer-test").build()) {
            assertEquals("memory", store.driverName());
        }
    }
}
