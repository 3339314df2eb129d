package io.leasehold.core.internal.update;

import io.leasehold.core.ObjectStore;
import io.leasehold.core.UpdateOptions;
import io.leasehold.core.UpdateResult;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leasehold.testing.ContentHashDriver;
import io.leasehold.testing.ContentHashDriver.Fault;
import io.leasehold.testing.RecordingDriver;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** In-process coalescing of concurrent updates on one key (issue 9): exact, linearized, fewer writes. */
class UpdateCoalescerTest {

    private static byte[] increment(byte[] current) {
        long n = current == null ? 0 : Long.parseLong(new String(current, StandardCharsets.UTF_8));
        return Long.toString(n + 1).getBytes(StandardCharsets.UTF_8);
    }

    private static long value(byte[] b) {
        return Long.parseLong(new String(b, StandardCharsets.UTF_8));
    }

    /** Runs {@code tasks} concurrently, released together; returns results or thrown exceptions. */
    private static List<Object> race(List<Callable<Object>> tasks) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Object>> futures = new ArrayList<>();
            for (Callable<Object> t : tasks) {
                futures.add(pool.submit(() -> {
                    go.await();
                    try {
                        return t.call();
                    } catch (RuntimeException e) {
                        return e;
                    }
                }));
            }
            go.countDown();
            List<Object> results = new ArrayList<>();
            for (Future<Object> f : futures) {
                try {
                    results.add(f.get(60, TimeUnit.SECONDS));
                } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                    throw new AssertionError(e);
                }
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentIncrementsAreExactLinearizedAndNeedFarFewerWrites() throws Exception {
        RecordingDriver driver = new RecordingDriver();
        ObjectStore store = ObjectStore.of(driver);
        int threads = 16;
        int each = 50;
        List<Callable<Object>> tasks = new ArrayList<>();
        List<Long> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger superseded = new AtomicInteger();
        for (int t = 0; t < threads; t++) {
            tasks.add(() -> {
                for (int i = 0; i < each; i++) {
                    UpdateResult r = store.update("c", UpdateCoalescerTest::increment);
                    seen.add(value(r.content()));
                    if (r.put().isSuperseded()) {
                        superseded.incrementAndGet();
                    }
                }
                return null;
            });
        }
        for (Object r : race(tasks)) {
            assertEquals(null, r);
        }
        int total = threads * each;
        assertEquals(total, value(store.get("c").content()));
        Set<Long> distinct = new HashSet<>(seen);
        assertEquals(total, distinct.size(), "every call saw its own value: 1.." + total + " each once");
        long puts = driver.calls().stream().filter(c -> c.startsWith("put")).count();
        assertTrue(puts < total, "coalesced: " + puts + " writes for " + total + " updates");
        assertEquals(total - puts, superseded.get(), "all but the last call of each batch are superseded");
    }

    @Test
    void withCoalescingOffEveryCallWritesItself() throws Exception {
        RecordingDriver driver = new RecordingDriver();
        ObjectStore store = ObjectStore.of(driver);
        UpdateOptions solo = UpdateOptions.builder().coalesce(false).build();
        List<Callable<Object>> tasks = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            tasks.add(() -> {
                for (int i = 0; i < 10; i++) {
                    UpdateResult r = store.update("c", UpdateCoalescerTest::increment, solo);
                    assertFalse(r.put().isSuperseded());
                }
                return null;
            });
        }
        race(tasks);
        assertEquals(80, value(store.get("c").content()));
        long puts = driver.calls().stream().filter(c -> c.startsWith("put")).count();
        assertTrue(puts >= 80, "each call its own (successful) write: " + puts);
    }

    @Test
    void aFunctionThatThrowsFailsOnlyItsCaller() throws Exception {
        ObjectStore store = ObjectStore.of(new RecordingDriver());
        store.put("c", "0".getBytes(StandardCharsets.UTF_8));
        IllegalStateException boom = new IllegalStateException("caller bug");
        List<Callable<Object>> tasks = new ArrayList<>();
        for (int t = 0; t < 12; t++) {
            boolean bad = t % 3 == 0;
            tasks.add(() -> store.update("c", current -> {
                if (bad) {
                    throw boom;
                }
                return increment(current);
            }));
        }
        List<Object> results = race(tasks);
        int failed = 0;
        for (Object r : results) {
            if (r instanceof IllegalStateException) {
                assertSame(boom, r);
                failed++;
            } else {
                assertTrue(r instanceof UpdateResult, String.valueOf(r));
            }
        }
        assertEquals(4, failed);
        assertEquals(8, value(store.get("c").content()));
    }

    @Test
    void callsWithDifferentMetadataDoNotShareAWrite() throws Exception {
        ObjectStore store = ObjectStore.of(new RecordingDriver());
        List<Callable<Object>> tasks = new ArrayList<>();
        for (int t = 0; t < 10; t++) {
            String owner = t % 2 == 0 ? "a" : "b";
            tasks.add(() -> store.update("c", UpdateCoalescerTest::increment,
                    UpdateOptions.builder().metadata("owner", owner).build()));
        }
        for (Object r : race(tasks)) {
            UpdateResult result = (UpdateResult) r;
            if (!result.put().isSuperseded()) {
                // the last call of its batch: the stored metadata (when it is current) is its own
                assertTrue(result.content().length > 0);
            }
        }
        assertEquals(10, value(store.get("c").content()));
    }

    @Test
    void anAmbiguousBatchWriteIsSettledOnceForEveryCaller() throws Exception {
        ContentHashDriver driver = new ContentHashDriver().script(n -> n % 4 == 2 ? Fault.APPLY_THEN_UNKNOWN : Fault.NONE);
        ObjectStore store = ObjectStore.of(driver);
        List<Callable<Object>> tasks = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            tasks.add(() -> {
                for (int i = 0; i < 20; i++) {
                    store.update("c", UpdateCoalescerTest::increment);
                }
                return null;
            });
        }
        for (Object r : race(tasks)) {
            assertEquals(null, r, "one process, one writer at a time: every lost response is found again");
        }
        assertEquals(160, value(store.get("c").content()));
        assertEquals(driver.applied(), new HashSet<>(driver.appliedWriteIds()).size(), "no write landed twice");
    }

    @Test
    void anUpdateFunctionThatUpdatesItsOwnKeyDoesNotWaitForItself() {
        ObjectStore store = ObjectStore.of(new RecordingDriver());
        store.put("c", "0".getBytes(StandardCharsets.UTF_8));
        AtomicInteger nested = new AtomicInteger();
        UpdateResult outer = store.update("c", current -> {
            if (nested.getAndIncrement() == 0) {
                store.update("c", UpdateCoalescerTest::increment);
            }
            return increment(current);
        });
        assertEquals(2, value(outer.content()), "the outer call lost its first race to the nested one and re-read");
        assertEquals(2, outer.attempts());
        assertEquals(2, value(store.get("c").content()));
    }
}
