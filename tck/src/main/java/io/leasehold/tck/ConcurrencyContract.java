package io.leasehold.tck;

import static io.leasehold.tck.Support.assertNotSupported;
import static io.leasehold.tck.Support.bytes;
import static io.leasehold.tck.Support.mode;
import static io.leasehold.tck.Support.race;
import static io.leasehold.tck.Support.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.leasehold.core.Capability;
import io.leasehold.core.GetResult;
import io.leasehold.core.ObjectAlreadyExistsException;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.ObjectStoreException;
import io.leasehold.core.ObjectVersion;
import io.leasehold.core.OutcomeUnknownException;
import io.leasehold.core.PreconditionFailedException;
import io.leasehold.core.PutMode;
import io.leasehold.core.PutResult;
import io.leasehold.core.UpdateListener;
import io.leasehold.core.UpdateOptions;
import io.leasehold.core.UpdateResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Races with exact counts (CONFORMANCE.md cases 2, 5, 6). Run only where the server is atomic under
 * concurrency ({@link ConformanceHarness#atomicUnderConcurrency()}); otherwise reported as aborted by
 * an assumption, never passed silently. Bounded thread pools and timeouts; no timing assertions.
 *
 * <p>Thread-safety: a contract holds no state; JUnit runs its cases one at a time per instance.
 */
public interface ConcurrencyContract extends ConformanceHarness {

    /**
     * Contenders per create race (case 2).
     *
     * @return the number of concurrent creates
     */
    default int createContenders() {
        return 32;
    }

    /**
     * Rounds per race case, each on a fresh key.
     *
     * @return the number of rounds
     */
    default int raceRounds() {
        return 5;
    }

    /**
     * Contenders per update race (case 5).
     *
     * @return the number of concurrent updates
     */
    default int updateContenders() {
        return 16;
    }

    /**
     * Counter workers (case 6).
     *
     * @return the number of workers
     */
    default int counterWorkers() {
        return 16;
    }

    /**
     * Increments per counter worker (case 6).
     *
     * @return the increments each worker makes
     */
    default int incrementsPerWorker() {
        return 50;
    }

    /**
     * Upper bound for one race round or the whole counter run, in seconds.
     *
     * @return the timeout
     */
    default long raceTimeoutSeconds() {
        return 120;
    }

    /**
     * Case 2: N concurrent creates on one fresh key: exactly one wins, the rest get "already exists"; repeated.
     *
     * @throws Exception if a worker is interrupted
     */
    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    default void concurrentCreatesHaveExactlyOneWinner() throws Exception {
        Store store = store();
        if (!store.capabilities().supports(Capability.PUT_IF_ABSENT)) {
            assertNotSupported(() -> store.put(uniqueKey("race-create"), bytes("x"), mode(store, PutMode.create())));
            return;
        }
        Assumptions.assumeTrue(atomicUnderConcurrency(), "the server under test is not atomic under concurrent requests");
        int n = createContenders();
        for (int round = 1; round <= raceRounds(); round++) {
            String key = uniqueKey("race-create");
            List<Callable<Object>> tasks = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String body = "contender-" + i;
                tasks.add(() -> store.put(key, bytes(body), mode(store, PutMode.create())));
            }
            List<Object> results = race(tasks, raceTimeoutSeconds());
            int winner = -1;
            int alreadyExists = 0;
            int unknown = 0;
            for (int i = 0; i < n; i++) {
                Object r = results.get(i);
                if (r instanceof PutResult) {
                    assertEquals(-1, winner, "round " + round + ": contenders " + winner + " and " + i + " both won");
                    winner = i;
                } else if (r instanceof ObjectAlreadyExistsException) {
                    alreadyExists++;
                } else if (r instanceof OutcomeUnknownException && Support.mayLeaveUnknown(store)) {
                    unknown++;
                } else {
                    fail("round " + round + ": unexpected outcome " + r, r instanceof Throwable ? (Throwable) r : null);
                }
            }
            assertTrue(winner >= 0, "round " + round + ": nobody won");
            assertEquals(n - 1, alreadyExists + unknown, "round " + round);
            GetResult now = store.get(key);
            assertEquals("contender-" + winner, text(now.content()), "the winner's content is stored");
            assertTrue(now.info().version().sameAs(((PutResult) results.get(winner)).version()));
        }
    }

    /**
     * Case 5: N concurrent updates from the same version: exactly one wins, the rest get "precondition failed"; repeated.
     *
     * @throws Exception if a worker is interrupted
     */
    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    default void concurrentUpdatesFromOneVersionHaveExactlyOneWinner() throws Exception {
        Store store = store();
        if (!store.capabilities().supports(Capability.PUT_IF_MATCH)) {
            String key = uniqueKey("race-update");
            ObjectVersion v = store.put(key, bytes("base")).version();
            assertNotSupported(() -> store.put(key, bytes("x"), mode(store, PutMode.update(v))));
            return;
        }
        Assumptions.assumeTrue(atomicUnderConcurrency(), "the server under test is not atomic under concurrent requests");
        int n = updateContenders();
        int unknowns = 0;
        for (int round = 1; round <= raceRounds(); round++) {
            String key = uniqueKey("race-update");
            ObjectVersion base = store.put(key, bytes("base")).version();
            List<Callable<Object>> tasks = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String body = "updater-" + i;
                tasks.add(() -> store.put(key, bytes(body), mode(store, PutMode.update(base))));
            }
            List<Object> results = race(tasks, raceTimeoutSeconds());
            int winner = -1;
            int lost = 0;
            int unknown = 0;
            for (int i = 0; i < n; i++) {
                Object r = results.get(i);
                if (r instanceof PutResult) {
                    assertEquals(-1, winner, "round " + round + ": updaters " + winner + " and " + i + " both won");
                    winner = i;
                } else if (r instanceof PreconditionFailedException) {
                    lost++;
                } else if (r instanceof OutcomeUnknownException && Support.mayLeaveUnknown(store)) {
                    // e.g. Ceph RGW answers some lost races with 500: the base is gone, and on a store
                    // whose ETags are content hashes nothing proves the write did not land first.
                    unknown++;
                } else {
                    fail("round " + round + ": unexpected outcome " + r, r instanceof Throwable ? (Throwable) r : null);
                }
            }
            assertEquals(n - (winner >= 0 ? 1 : 0), lost + unknown, "round " + round);
            if (winner >= 0) {
                assertEquals("updater-" + winner, text(store.get(key).content()));
            } else {
                // Every If-Match was on the base: at most one can have landed, whatever was reported.
                assertTrue(unknown > 0, "round " + round + ": nobody won and nothing is unknown");
            }
            unknowns += unknown;
        }
        System.out.printf("[tck] %s update race: %d rounds x %d updaters, %d outcomes unknown%n",
                store.driverName(), raceRounds(), n, unknowns);
    }

    /**
     * Case 6: W workers x K increments through {@link ObjectStore#update} end at exactly W x K, and
     * the attempt/conflict accounting adds up (results, listener and give-ups agree).
     *
     * @throws Exception if a worker is interrupted
     */
    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    default void counterRaceEndsExact() throws Exception {
        counterRace(true, counterWorkers(), incrementsPerWorker());
    }

    /**
     * Case 6 with coalescing off: every writer races with its own conditional write, so lost races,
     * re-reads and (on stores that answer some lost races ambiguously) unknown outcomes all happen,
     * and the count must still be exact for every acknowledged increment.
     *
     * @throws Exception if a worker is interrupted
     */
    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    default void racingWritersCounterEndsExact() throws Exception {
        counterRace(false, counterWorkers(), Math.max(1, incrementsPerWorker() / 2));
    }

    /**
     * The counter race of case 6, with or without coalescing of the writers' updates.
     *
     * @param coalesce whether concurrent updates of this process may share writes
     * @param workers concurrent writers
     * @param increments increments per writer
     * @throws Exception if a worker is interrupted
     */
    private void counterRace(boolean coalesce, int workers, int increments) throws Exception {
        Store store = store();
        if (!store.capabilities().supports(Capability.PUT_IF_ABSENT) || !store.capabilities().supports(Capability.PUT_IF_MATCH)) {
            assertNotSupported(() -> store.update(uniqueKey("counter"), b -> b));
            return;
        }
        Assumptions.assumeTrue(atomicUnderConcurrency(), "the server under test is not atomic under concurrent requests");
        String key = uniqueKey("counter");
        AtomicInteger attempts = new AtomicInteger();
        AtomicInteger conflicts = new AtomicInteger();
        AtomicInteger created = new AtomicInteger();
        AtomicInteger listenerConflicts = new AtomicInteger();
        AtomicInteger listenerSuccesses = new AtomicInteger();
        AtomicInteger giveUps = new AtomicInteger();
        AtomicInteger unknown = new AtomicInteger();
        boolean unknownsAllowed = Support.mayLeaveUnknown(store);
        UpdateListener listener = new UpdateListener() {
            @Override
            public void onConflict(String k, int attempt, ObjectStoreException cause) {
                listenerConflicts.incrementAndGet();
            }

            @Override
            public void onSuccess(UpdateResult result) {
                listenerSuccesses.incrementAndGet();
            }

            @Override
            public void onGiveUp(String k, int attempt, RuntimeException cause) {
                giveUps.incrementAndGet();
            }
        };
        UpdateOptions options = UpdateOptions.builder().listener(listener).coalesce(coalesce).build();
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < increments; i++) {
                        UpdateResult r;
                        try {
                            r = store.update(key, ConcurrencyContract::increment, options);
                        } catch (OutcomeUnknownException e) {
                            if (!unknownsAllowed) {
                                throw e;
                            }
                            unknown.incrementAndGet();
                            continue;
                        }
                        assertTrue(r.attempts() >= 1 && r.conflicts() <= r.attempts() - 1, r.toString());
                        attempts.addAndGet(r.attempts());
                        conflicts.addAndGet(r.conflicts());
                        if (r.created()) {
                            created.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(raceTimeoutSeconds());
            for (Future<?> f : futures) {
                try {
                    f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (ExecutionException e) {
                    fail("a worker failed", e.getCause());
                } catch (TimeoutException e) {
                    fail("the counter race did not finish within " + raceTimeoutSeconds() + " s");
                }
            }
        } finally {
            pool.shutdownNow();
        }
        int total = workers * increments;
        int acknowledged = total - unknown.get();
        long value = Long.parseLong(text(store.get(key).content()));
        System.out.printf("[tck] %s counter (%s): %d workers x %d = %d, attempts %d, conflicts %d, outcomes unknown %d%n",
                store.driverName(), coalesce ? "coalesced" : "racing", workers, increments, value, attempts.get(), conflicts.get(), unknown.get());
        // Every acknowledged increment is in; an unknown one may or may not be, never twice.
        assertTrue(value >= acknowledged, "lost updates: " + value + " < " + acknowledged + " acknowledged");
        assertTrue(value <= total, "doubled updates: " + value + " > " + total);
        assertTrue(created.get() <= 1, "at most one update created the counter");
        assertEquals(acknowledged, listenerSuccesses.get());
        assertEquals(unknown.get(), giveUps.get());
        if (unknown.get() == 0) {
            assertEquals(conflicts.get(), listenerConflicts.get(), "listener and results count the same conflicts");
        } else {
            assertTrue(listenerConflicts.get() >= conflicts.get(), "the listener also saw the unsettled calls' conflicts");
        }
        assertEquals(acknowledged + conflicts.get(), attempts.get(), "every attempt but the last of each update was a conflict");
    }

    private static byte[] increment(byte[] current) {
        long n = current == null ? 0 : Long.parseLong(text(current));
        return bytes(Long.toString(n + 1));
    }
}
