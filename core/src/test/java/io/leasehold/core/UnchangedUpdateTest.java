package io.leasehold.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leasehold.driver.memory.MemoryDriver;
import io.leasehold.spi.GetResponse;
import io.leasehold.spi.PutResponse;
import io.leasehold.spi.kit.ForwardingStoreDriver;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * An update function that answers {@link UpdateFunction#unchanged()} writes nothing, alone, on a held
 * copy, and in coalesced batches, where each caller still gets its own result.
 */
class UnchangedUpdateTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** Counts requests. */
    static final class Counting extends ForwardingStoreDriver {
        final AtomicInteger puts = new AtomicInteger();
        final AtomicInteger gets = new AtomicInteger();

        Counting() {
            super(MemoryDriver.create());
        }

        @Override
        public PutResponse put(String key, byte[] content, PutOptions options) {
            puts.incrementAndGet();
            return super.put(key, content, options);
        }

        @Override
        public GetResponse get(String key, GetOptions options, boolean withContent) {
            gets.incrementAndGet();
            return super.get(key, options, withContent);
        }
    }

    @Test
    void unchangedWritesNothingAndReportsTheVersionRead() {
        Counting driver = new Counting();
        try (ObjectStore store = ObjectStore.of(driver)) {
            PutResult stored = store.put("k", bytes("v"));
            List<UpdateResult> heard = new CopyOnWriteArrayList<>();
            UpdateResult r = store.update("k", current -> UpdateFunction.unchanged(),
                    UpdateOptions.builder().listener(new UpdateListener() {
                        @Override
                        public void onSuccess(UpdateResult result) {
                            heard.add(result);
                        }
                    }).build());
            assertFalse(r.changed());
            assertEquals("v", text(r.content()));
            assertTrue(r.version().sameAs(stored.version()));
            assertTrue(r.put().version().sameAs(stored.version()));
            assertEquals(stored.writeId(), r.version().writeId(), "the version read, tagged like any other");
            assertFalse(r.put().isSuperseded());
            assertFalse(r.created());
            assertEquals(1, r.attempts());
            assertEquals(0, r.conflicts());
            assertEquals(1, driver.puts.get(), "only the first put");
            assertEquals(1, driver.gets.get(), "one read");
            assertEquals(List.of(r), heard, "the listener hears the unchanged result");
        }
    }

    @Test
    void unchangedOnAnAbsentKeyCreatesNothing() {
        Counting driver = new Counting();
        try (ObjectStore store = ObjectStore.of(driver)) {
            UpdateResult r = store.update("k", current -> UpdateFunction.unchanged());
            assertFalse(r.changed());
            assertNull(r.content(), "nothing was read");
            assertFalse(r.created());
            IllegalStateException noVersion = assertThrows(IllegalStateException.class, r::version);
            assertTrue(noVersion.getMessage().contains("absent"), noVersion.getMessage());
            assertThrows(IllegalStateException.class, r::put);
            assertFalse(store.exists("k"));
            assertEquals(0, driver.puts.get());
        }
    }

    @Test
    void theSentinelIsSharedAndOnlyItMeansNoChange() {
        assertSame(UpdateFunction.unchanged(), UpdateFunction.unchanged());
        try (ObjectStore store = ObjectStore.of(MemoryDriver.create())) {
            store.put("k", bytes("v"));
            UpdateResult same = store.update("k", current -> current.clone());
            assertTrue(same.changed(), "the same bytes are a write (a new version), as before");
            UpdateResult empty = store.update("k", current -> new byte[0]);
            assertTrue(empty.changed(), "an empty array that is not the sentinel is content");
            assertEquals(0, store.get("k").content().length);
            InvalidArgumentException nul = assertThrows(InvalidArgumentException.class, () -> store.update("k", c -> null));
            assertTrue(nul.getMessage().contains("unchanged()"), nul.getMessage());
        }
    }

    @Test
    void unchangedAfterALostRaceEndsWithoutWriting() {
        Counting driver = new Counting();
        try (ObjectStore store = ObjectStore.of(driver)) {
            store.put("flag", bytes("off"));
            AtomicInteger runs = new AtomicInteger();
            UpdateResult r = store.update("flag", current -> {
                if (runs.incrementAndGet() == 1) {
                    store.put("flag", bytes("on")); // someone else switched it on first
                }
                return text(current).equals("on") ? UpdateFunction.unchanged() : bytes("on");
            });
            assertFalse(r.changed());
            assertEquals(2, r.attempts());
            assertEquals(1, r.conflicts());
            assertEquals("on", text(r.content()));
            assertTrue(r.version().sameAs(store.head("flag").info().version()));
            assertEquals(3, driver.puts.get(), "the first put, the other writer's, the lost one");
        }
    }

    @Test
    void unchangedOnAHeldCopyIsConfirmedOnTheStoresCopy() {
        Counting driver = new Counting();
        try (ObjectStore store = ObjectStore.of(driver)) {
            store.put("flag", bytes("on"));
            GetResult held = store.get("flag");
            store.put("flag", bytes("off")); // the held copy is stale now
            List<String> seen = new ArrayList<>();
            UpdateFunction ensureOn = current -> {
                seen.add(text(current));
                return text(current).equals("on") ? UpdateFunction.unchanged() : bytes("on");
            };
            int getsBefore = driver.gets.get();
            UpdateResult r = store.update("flag", ensureOn, UpdateOptions.builder().startingFrom(held).build());
            assertEquals(List.of("on", "off"), seen, "judged again on what the store holds");
            assertTrue(r.changed());
            assertEquals("on", text(store.get("flag").content()));
            assertEquals(getsBefore + 2, driver.gets.get(), "one confirming read (and the get above)");

            // Held and current: one read confirms, nothing is written.
            GetResult current = store.get("flag");
            int puts = driver.puts.get();
            seen.clear();
            UpdateResult kept = store.update("flag", ensureOn, UpdateOptions.builder().startingFrom(current).build());
            assertFalse(kept.changed());
            assertEquals(List.of("on", "on"), seen);
            assertEquals(puts, driver.puts.get());
            assertTrue(kept.version().sameAs(current.info().version()));
        }
    }

    /** Starts a blocking update on another thread and returns once it waits in the key's lane. */
    private static Future<UpdateResult> queued(ExecutorService pool, ObjectStore store, String key, UpdateFunction fn)
            throws InterruptedException {
        Thread[] runner = new Thread[1];
        CountDownLatch started = new CountDownLatch(1);
        Future<UpdateResult> f = pool.submit(() -> {
            runner[0] = Thread.currentThread();
            started.countDown();
            return store.update(key, fn);
        });
        assertTrue(started.await(10, TimeUnit.SECONDS));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (runner[0].getState() != Thread.State.WAITING) {
            assertTrue(System.nanoTime() < deadline, "the call never queued");
            Thread.sleep(1);
        }
        return f;
    }

    @Test
    void aBatchOfUnchangedCallsWritesNothing() throws Exception {
        Counting driver = new Counting();
        ExecutorService pool = Executors.newCachedThreadPool();
        try (ObjectStore store = ObjectStore.of(driver)) {
            PutResult stored = store.put("k", bytes("v"));
            CountDownLatch release = new CountDownLatch(1);
            Future<UpdateResult> first = pool.submit(() -> store.update("k", current -> {
                await(release);
                return UpdateFunction.unchanged();
            }));
            waitUntilRunning(driver);
            Future<UpdateResult> second = queued(pool, store, "k", current -> UpdateFunction.unchanged());
            Future<UpdateResult> third = queued(pool, store, "k", current -> UpdateFunction.unchanged());
            release.countDown();
            for (Future<UpdateResult> f : List.of(first, second, third)) {
                UpdateResult r = f.get(30, TimeUnit.SECONDS);
                assertFalse(r.changed());
                assertEquals("v", text(r.content()));
                assertTrue(r.version().sameAs(stored.version()));
            }
            assertEquals(1, driver.puts.get(), "no batch wrote");
            assertEquals(2, driver.gets.get(), "the first call's read and one read for the batch of two");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void inAMixedBatchUnchangedCallsPassTheValueThrough() throws Exception {
        Counting driver = new Counting();
        ExecutorService pool = Executors.newCachedThreadPool();
        try (ObjectStore store = ObjectStore.of(driver)) {
            PutResult stored = store.put("k", bytes("v"));
            CountDownLatch release = new CountDownLatch(1);
            Future<UpdateResult> first = pool.submit(() -> store.update("k", current -> {
                await(release);
                return UpdateFunction.unchanged();
            }));
            waitUntilRunning(driver);
            Future<UpdateResult> before = queued(pool, store, "k", current -> UpdateFunction.unchanged());
            Future<UpdateResult> changing = queued(pool, store, "k", current -> bytes(text(current) + "+x"));
            Future<UpdateResult> after = queued(pool, store, "k", current -> UpdateFunction.unchanged());
            release.countDown();
            assertFalse(first.get(30, TimeUnit.SECONDS).changed());

            UpdateResult b = before.get(30, TimeUnit.SECONDS);
            UpdateResult c = changing.get(30, TimeUnit.SECONDS);
            UpdateResult a = after.get(30, TimeUnit.SECONDS);
            assertEquals(2, driver.puts.get(), "the first put and one batch write");
            ObjectVersion now = store.head("k").info().version();

            assertFalse(b.changed());
            assertEquals("v", text(b.content()), "what it saw");
            // No earlier call of the batch changed the object: it reports the version it was given (the
            // object read), as a lone call would, not the batch's write, whose bytes it never saw.
            assertFalse(b.put().isSuperseded());
            assertTrue(b.version().sameAs(stored.version()));

            assertTrue(c.changed());
            assertEquals("v+x", text(c.content()));
            assertFalse(c.put().isSuperseded(), "only unchanged calls came after it: its write is current");
            assertTrue(c.version().sameAs(now));

            assertFalse(a.changed());
            assertEquals("v+x", text(a.content()));
            assertFalse(a.put().isSuperseded());
            assertTrue(a.version().sameAs(now));
            assertFalse(a.created() || b.created() || c.created());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void inABatchOnAnAbsentKeyTheFirstChangingCallCreates() throws Exception {
        Counting driver = new Counting();
        ExecutorService pool = Executors.newCachedThreadPool();
        try (ObjectStore store = ObjectStore.of(driver)) {
            CountDownLatch release = new CountDownLatch(1);
            Future<UpdateResult> first = pool.submit(() -> store.update("k", current -> {
                await(release);
                return UpdateFunction.unchanged();
            }));
            waitUntilRunning(driver);
            Future<UpdateResult> looking = queued(pool, store, "k", current -> UpdateFunction.unchanged());
            Future<UpdateResult> creating = queued(pool, store, "k", current -> bytes("new"));
            release.countDown();
            assertNull(first.get(30, TimeUnit.SECONDS).content());
            UpdateResult l = looking.get(30, TimeUnit.SECONDS);
            UpdateResult c = creating.get(30, TimeUnit.SECONDS);
            assertFalse(l.changed());
            assertNull(l.content(), "it saw no object");
            assertFalse(l.created());
            assertTrue(c.created(), "the call that created it");
            assertEquals("new", text(store.get("k").content()));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void unchangedThroughTheAsynchronousApi() {
        Counting driver = new Counting();
        try (ObjectStore store = ObjectStore.of(driver)) {
            store.put("k", bytes("v"));
            UpdateResult r = store.async().update("k", current -> UpdateFunction.unchanged()).join();
            assertFalse(r.changed());
            assertArrayEquals(bytes("v"), r.content());
            assertEquals(1, driver.puts.get());
            UpdateResult solo = store.async().update("k", current -> UpdateFunction.unchanged(),
                    UpdateOptions.builder().coalesce(false).build()).join();
            assertFalse(solo.changed());
            assertEquals(1, driver.puts.get());
        }
    }

    private static void waitUntilRunning(Counting driver) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (driver.gets.get() == 0) { // the first call has read and runs its function
            assertTrue(System.nanoTime() < deadline);
            Thread.sleep(1);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(30, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
