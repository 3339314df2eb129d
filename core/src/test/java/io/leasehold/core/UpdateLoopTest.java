package io.leasehold.core;

import io.leasehold.core.internal.write.WriteTag;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.leasehold.testing.FaultyDriver;
import io.leasehold.testing.FaultyDriver.Fault;
import io.leasehold.testing.RecordingDriver;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The read-modify-write loop under injected faults: the function's effect lands exactly once. */
@Timeout(60)
class UpdateLoopTest {

    private static byte[] increment(byte[] current) {
        long n = current == null ? 0 : Long.parseLong(new String(current, StandardCharsets.UTF_8));
        return Long.toString(n + 1).getBytes(StandardCharsets.UTF_8);
    }

    private static long counter(ObjectStore store, String key) {
        return Long.parseLong(new String(store.get(key).content(), StandardCharsets.UTF_8));
    }

    /** Records listener callbacks. */
    static final class RecordingListener implements UpdateListener {
        final List<String> events = new CopyOnWriteArrayList<>();
        final List<RuntimeException> giveUps = new CopyOnWriteArrayList<>();

        @Override
        public void onConflict(String key, int attempt, ObjectStoreException cause) {
            events.add("conflict " + attempt + " " + cause.code());
        }

        @Override
        public void onAmbiguousWriteResolved(String key, int attempt) {
            events.add("resolved " + attempt);
        }

        @Override
        public void onSuccess(UpdateResult result) {
            events.add("success " + result.attempts());
        }

        @Override
        public void onGiveUp(String key, int attempts, RuntimeException cause) {
            events.add("giveUp " + attempts);
            giveUps.add(cause);
        }
    }

    @Test
    void aTransientFailureIsTrustedAsNotAppliedButALandedWriteIsStillRecognisedOnTheNextRead() {
        // TRANSIENT means "not applied" by the SPI contract; a driver that breaks it is caught when the
        // next read shows the write, as long as no other write buried it meanwhile.
        FaultyDriver driver = new FaultyDriver(Fault.APPLY_THEN_TRANSIENT, n -> n == 2);
        ObjectStore store = ObjectStore.of(driver);
        store.put("c", "41".getBytes(StandardCharsets.UTF_8));
        AtomicInteger applications = new AtomicInteger();
        UpdateResult result = store.update("c", b -> {
            applications.incrementAndGet();
            return increment(b);
        });
        assertEquals(1, applications.get());
        assertEquals(42, counter(store, "c"));
        assertEquals(2, driver.applied());
        assertEquals(2, result.attempts(), "recognised by the next attempt's read");
    }

    @Test
    void aWriteThatLandedBeforeItsResponseWasLostIsNotAppliedAgain() {
        FaultyDriver driver = new FaultyDriver(Fault.APPLY_THEN_OUTCOME_UNKNOWN, n -> n == 2); // the first update (put 2) loses its response
        ObjectStore store = ObjectStore.of(driver);
        store.put("c", "41".getBytes(StandardCharsets.UTF_8));
        AtomicInteger applications = new AtomicInteger();
        RecordingListener listener = new RecordingListener();

        UpdateResult result = store.update("c", b -> {
            applications.incrementAndGet();
            return increment(b);
        }, UpdateOptions.builder().listener(listener).build());

        assertEquals(1, applications.get(), "the function ran once");
        assertEquals(42, counter(store, "c"));
        assertEquals(2, driver.applied(), "the seed put and one update");
        assertEquals("42", new String(result.content(), StandardCharsets.UTF_8));
        assertEquals(1, result.attempts(), "settled by reading back at once");
        assertEquals(0, result.conflicts());
        assertFalse(result.created());
        assertEquals(store.head("c").info().version(), result.version());
        assertEquals(List.of("resolved 1", "success 1"), listener.events);
    }

    @Test
    void aWriteReportedAsLostThatLandedIsRecognisedOnTheNextRead() {
        // CONFORMANCE 15: "write landed, response lost, retry gets 412" is the caller's own success.
        FaultyDriver driver = new FaultyDriver(Fault.APPLY_THEN_PRECONDITION_FAILED, n -> n == 2);
        ObjectStore store = ObjectStore.of(driver);
        store.put("c", "7".getBytes(StandardCharsets.UTF_8));
        AtomicInteger applications = new AtomicInteger();
        RecordingListener listener = new RecordingListener();
        UpdateResult result = store.update("c", b -> {
            applications.incrementAndGet();
            return increment(b);
        }, UpdateOptions.builder().listener(listener).build());
        assertEquals(1, applications.get());
        assertEquals(8, counter(store, "c"));
        assertEquals(2, result.attempts());
        assertEquals(1, result.conflicts());
        assertEquals(List.of("conflict 1 PRECONDITION_FAILED", "resolved 2", "success 2"), listener.events);
    }

    @Test
    void anAmbiguousCreateThatLandedIsReportedAsCreated() {
        FaultyDriver driver = new FaultyDriver(Fault.APPLY_THEN_OUTCOME_UNKNOWN, n -> n == 1);
        ObjectStore store = ObjectStore.of(driver);
        AtomicInteger applications = new AtomicInteger();
        UpdateResult result = store.update("fresh", b -> {
            applications.incrementAndGet();
            return increment(b);
        });
        assertEquals(1, applications.get());
        assertEquals(1, counter(store, "fresh"));
        assertEquals(1, driver.applied());
        assertTrue(result.created(), "the update's own create landed");
        assertEquals(1, result.attempts());
    }

    @Test
    void aFailureBeforeTheWriteLandedIsRetriedAndAppliedOnce() {
        FaultyDriver driver = new FaultyDriver(Fault.TRANSIENT_BEFORE_APPLY, n -> n <= 3);
        ObjectStore store = ObjectStore.of(driver);
        AtomicInteger applications = new AtomicInteger();
        UpdateResult result = store.update("c", b -> {
            applications.incrementAndGet();
            return increment(b);
        });
        assertEquals(1, counter(store, "c"));
        assertEquals(1, driver.applied());
        assertEquals(4, result.attempts());
        assertEquals(3, result.conflicts());
        assertEquals(4, applications.get(), "re-applied on fresh reads, but only one write landed");
        assertTrue(result.created());
    }

    @ParameterizedTest(name = "{0} other writes in between")
    @ValueSource(ints = {1, 5, WriteTag.HISTORY_DEPTH - 1})
    void aLandedWriteFollowedByOtherUpdatesIsStillRecognised(int others) {
        FaultyDriver driver = new FaultyDriver(Fault.APPLY_THEN_OUTCOME_UNKNOWN, n -> n == 2);
        ObjectStore store = ObjectStore.of(driver);
        ObjectStore other = ObjectStore.of(driver.target());
        driver.interleave(() -> {
            for (int i = 0; i < others; i++) {
                other.update("c", UpdateLoopTest::increment);
            }
        });
        store.put("c", "0".getBytes(StandardCharsets.UTF_8));
        AtomicInteger applications = new AtomicInteger();
        UpdateResult result = store.update("c", b -> {
            applications.incrementAndGet();
            return increment(b);
        });
        assertEquals(1, applications.get());
        assertEquals(1 + others, counter(store, "c"));
        assertEquals(1, result.attempts());
    }

    @Test
    void aLandedWriteBuriedUnderMoreWritesThanTheHistoryHoldsIsReportedAsUnknownNotReapplied() {
        FaultyDriver driver = new FaultyDriver(Fault.APPLY_THEN_OUTCOME_UNKNOWN, n -> n == 2);
        ObjectStore store = ObjectStore.of(driver);
        ObjectStore other = ObjectStore.of(driver.target());
        int others = WriteTag.HISTORY_DEPTH + 8;
        driver.interleave(() -> {
            for (int i = 0; i < others; i++) {
                other.update("c", UpdateLoopTest::increment);
            }
        });
        store.put("c", "0".getBytes(StandardCharsets.UTF_8));
        AtomicInteger applications = new AtomicInteger();
        RecordingListener listener = new RecordingListener();
        OutcomeUnknownException e = assertThrows(OutcomeUnknownException.class, () -> store.update("c", b -> {
            applications.incrementAndGet();
            return increment(b);
        }, UpdateOptions.builder().listener(listener).build()));
        assertEquals(ErrorCode.OUTCOME_UNKNOWN, e.code());
        assertEquals(1, applications.get(), "never guessed by applying again");
        assertEquals(1 + others, counter(store, "c"));
        assertEquals(List.of("giveUp 1"), listener.events);
        assertSame(e, listener.giveUps.get(0));
    }

    @Test
    void aLandedWriteOverwrittenOutsideUpdateIsReportedAsUnknown() {
        FaultyDriver driver = new FaultyDriver(Fault.APPLY_THEN_OUTCOME_UNKNOWN, n -> n == 2);
        ObjectStore store = ObjectStore.of(driver);
        driver.interleave(() -> ObjectStore.of(driver.target()).put("c", "100".getBytes(StandardCharsets.UTF_8)));
        store.put("c", "0".getBytes(StandardCharsets.UTF_8));
        AtomicInteger applications = new AtomicInteger();
        // A caller-supplied retry that retries everything still does not re-apply the function.
        RetryConfig everything = RetryConfig.custom().maxAttempts(5).waitDuration(Duration.ofMillis(1))
                .retryExceptions(RuntimeException.class).build();
        assertThrows(OutcomeUnknownException.class, () -> store.update("c", b -> {
            applications.incrementAndGet();
            return increment(b);
        }, UpdateOptions.builder().retryConfig(everything).build()));
        assertEquals(1, applications.get());
        assertEquals(100, counter(store, "c"));
    }

    @Test
    void aLostWriteFollowedByOtherUpdatesIsProvenAbsentAndRetried() {
        FaultyDriver driver = new FaultyDriver(Fault.TRANSIENT_BEFORE_APPLY, n -> n == 2);
        ObjectStore store = ObjectStore.of(driver);
        ObjectStore other = ObjectStore.of(driver.target());
        store.put("c", "0".getBytes(StandardCharsets.UTF_8));
        AtomicInteger applications = new AtomicInteger();
        UpdateResult result = store.update("c", b -> {
            if (applications.incrementAndGet() == 1) {
                // another writer wins twice while our first write is on its way (and fails)
                other.update("c", UpdateLoopTest::increment);
                other.update("c", UpdateLoopTest::increment);
            }
            return increment(b);
        });
        assertEquals(2, applications.get());
        assertEquals(3, counter(store, "c"));
        assertEquals(2, result.attempts());
    }

    @ParameterizedTest
    @EnumSource(Fault.class)
    void sequentialCounterStaysExactUnderFaultInjection(Fault fault) {
        FaultyDriver driver = new FaultyDriver(fault, n -> n % 3 == 0);
        ObjectStore store = ObjectStore.of(driver);
        int total = 60;
        int attempts = 0;
        int conflicts = 0;
        for (int i = 0; i < total; i++) {
            UpdateResult r = store.update("c", UpdateLoopTest::increment);
            attempts += r.attempts();
            conflicts += r.conflicts();
        }
        assertEquals(total, counter(store, "c"));
        assertTrue(driver.injected() > 0);
        assertEquals(attempts - total, conflicts, "every extra attempt followed a counted conflict");
        if (fault == Fault.APPLY_THEN_OUTCOME_UNKNOWN) {
            assertEquals(0, conflicts, "each lost response was settled by reading back at once");
        } else {
            assertEquals(driver.injected(), conflicts, "every injected fault cost exactly one extra attempt");
        }
        if (fault != Fault.TRANSIENT_BEFORE_APPLY) {
            assertEquals(total, driver.applied(), "no increment written twice");
        }
    }

    // A 412 or a transient failure means "not applied" by the SPI contract (drivers never re-send and
    // report anything after sending as outcome unknown): recognising a landed write behind one is
    // best effort, so those faults are not part of the concurrent guarantee.
    @ParameterizedTest
    @EnumSource(value = Fault.class, names = {"APPLY_THEN_OUTCOME_UNKNOWN", "TRANSIENT_BEFORE_APPLY"})
    void concurrentCounterNeverAppliesAnUpdateTwiceUnderFaultInjection(Fault fault) throws Exception {
        FaultyDriver driver = new FaultyDriver(fault, n -> n % 5 == 0);
        ObjectStore store = ObjectStore.of(driver);
        int workers = 8;
        int increments = 25;
        AtomicInteger conflicts = new AtomicInteger();
        AtomicInteger attempts = new AtomicInteger();
        AtomicInteger listenerConflicts = new AtomicInteger();
        List<String> succeeded = new CopyOnWriteArrayList<>();
        List<String> unknown = new CopyOnWriteArrayList<>();
        UpdateListener listener = new UpdateListener() {
            @Override
            public void onConflict(String key, int attempt, ObjectStoreException cause) {
                listenerConflicts.incrementAndGet();
            }
        };
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                int worker = w;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < increments; i++) {
                        String caller = "w" + worker + "i" + i;
                        try {
                            UpdateResult r = store.update("c", UpdateLoopTest::increment,
                                    UpdateOptions.builder().listener(listener).metadata("caller", caller).build());
                            attempts.addAndGet(r.attempts());
                            conflicts.addAndGet(r.conflicts());
                            succeeded.add(caller);
                        } catch (OutcomeUnknownException e) {
                            unknown.add(caller);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(50, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(workers * increments, succeeded.size() + unknown.size());
        // The core property: no update call's change landed twice; every success landed exactly once.
        Map<String, Long> landed = driver.appliedCallers().stream()
                .collect(Collectors.groupingBy(c -> c, Collectors.counting()));
        landed.forEach((caller, times) -> assertEquals(1L, times, caller + " landed " + times + " times"));
        for (String caller : succeeded) {
            assertEquals(1L, landed.getOrDefault(caller, 0L), caller);
        }
        long landedUnknown = unknown.stream().filter(landed::containsKey).count();
        assertEquals(succeeded.size() + landedUnknown, counter(store, "c"));
        assertEquals(driver.applied(), counter(store, "c"));
        if (unknown.isEmpty()) {
            assertEquals(conflicts.get(), listenerConflicts.get(), "listener and results count the same conflicts");
        } else {
            assertTrue(listenerConflicts.get() >= conflicts.get());
        }
        System.out.printf("%s: %d successes, %d outcome-unknown (%d of them landed), %d injected faults, %d conflicts%n",
                fault, succeeded.size(), unknown.size(), landedUnknown, driver.injected(), conflicts.get());
        if (fault == Fault.TRANSIENT_BEFORE_APPLY) {
            assertEquals(List.of(), unknown.stream().filter(landed::containsKey).collect(Collectors.toList()));
        }
    }

    @Test
    void giveUpSurfacesTheLastFailureAndTellsTheListener() {
        FaultyDriver driver = new FaultyDriver(Fault.TRANSIENT_BEFORE_APPLY, n -> true);
        ObjectStore store = ObjectStore.of(driver);
        RecordingListener listener = new RecordingListener();
        RetryConfig three = RetryConfig.custom().maxAttempts(3).waitDuration(Duration.ofMillis(1))
                .retryOnException(Conflicts::isRetryableAfterReread).build();
        TransientException e = assertThrows(TransientException.class, () -> store.update("c", UpdateLoopTest::increment,
                UpdateOptions.builder().retryConfig(three).listener(listener).build()));
        assertEquals(ErrorCode.TRANSIENT, e.code());
        assertEquals(3, driver.puts());
        assertEquals(List.of("conflict 1 TRANSIENT", "conflict 2 TRANSIENT", "conflict 3 TRANSIENT", "giveUp 3"),
                listener.events);
        assertSame(e, listener.giveUps.get(0));
        assertThrows(ObjectNotFoundException.class, () -> store.get("c"));
    }

    @Test
    void callerSuppliedRetryReportsResilience4jEvents() {
        FaultyDriver driver = new FaultyDriver(Fault.TRANSIENT_BEFORE_APPLY, n -> n <= 2);
        ObjectStore store = ObjectStore.of(driver);
        Retry retry = Retry.of("mine", RetryConfig.custom().maxAttempts(5).waitDuration(Duration.ofMillis(1))
                .retryOnException(Conflicts::isRetryableAfterReread).build());
        List<String> events = new CopyOnWriteArrayList<>();
        retry.getEventPublisher().onRetry(ev -> events.add("retry " + ev.getNumberOfRetryAttempts()));
        retry.getEventPublisher().onSuccess(ev -> events.add("success " + ev.getNumberOfRetryAttempts()));
        UpdateResult r = store.update("c", UpdateLoopTest::increment, UpdateOptions.builder().retry(retry).build());
        assertEquals(3, r.attempts());
        assertEquals(List.of("retry 1", "retry 2", "success 2"), events);
        assertEquals(1, retry.getMetrics().getNumberOfSuccessfulCallsWithRetryAttempt());
    }

    @Test
    void aFailureThatIsNotARaceIsNotRetried() {
        RecordingDriver driver = new RecordingDriver();
        ObjectStore store = ObjectStore.of(driver);
        store.put("c", "1".getBytes(StandardCharsets.UTF_8));
        IllegalStateException boom = new IllegalStateException("caller bug");
        assertSame(boom, assertThrows(IllegalStateException.class, () -> store.update("c", b -> {
            throw boom;
        })));
        assertEquals(List.of("put c", "get c"), driver.calls());
    }

    @Test
    void updateCreatesWhenAbsentAndTagsItsWritesInHiddenBookkeeping() {
        RecordingDriver driver = new RecordingDriver();
        ObjectStore store = ObjectStore.of(driver);
        UpdateResult first = store.update("c", UpdateLoopTest::increment);
        assertTrue(first.created());
        assertEquals(1, first.attempts());
        assertEquals(0, first.conflicts());
        String firstId = first.put().writeId().orElseThrow();
        assertEquals(16, firstId.length());
        assertEquals(Map.of(), store.head("c").info().userMetadata(), "bookkeeping is hidden from callers");
        Map<String, String> raw = driver.get("c", GetOptions.defaults(), false).info().userMetadata();
        assertEquals(firstId, raw.get("leasehold_w"));
        assertEquals("-", raw.get("leasehold_h"));
        UpdateResult second = store.update("c", UpdateLoopTest::increment);
        assertFalse(second.created());
        assertFalse(first.version().sameAs(second.version()));
        raw = driver.get("c", GetOptions.defaults(), false).info().userMetadata();
        assertEquals(second.put().writeId().orElseThrow(), raw.get("leasehold_w"));
        assertEquals(firstId + " -", raw.get("leasehold_h"));
        assertEquals(2, counter(store, "c"));
    }
}
