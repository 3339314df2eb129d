package io.leasehold.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leasehold.driver.memory.MemoryDriver;
import io.leasehold.spi.GetResponse;
import io.leasehold.spi.PutResponse;
import io.leasehold.spi.kit.ForwardingStoreDriver;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The asynchronous API on the embedded stores: same semantics, bounded, cancellation never hides a write. */
class AsyncApiTest {

    private static byte[] increment(byte[] current) {
        long n = current == null ? 0 : Long.parseLong(new String(current, StandardCharsets.UTF_8));
        return Long.toString(n + 1).getBytes(StandardCharsets.UTF_8);
    }

    private static long value(byte[] b) {
        return Long.parseLong(new String(b, StandardCharsets.UTF_8));
    }

    /** Records the threads that send requests, and can hold puts until released. */
    static final class Watched extends ForwardingStoreDriver {
        final Set<String> threads = ConcurrentHashMap.newKeySet();
        volatile CountDownLatch hold = new CountDownLatch(0);
        final AtomicInteger puts = new AtomicInteger();
        volatile boolean loseNextAnswer;

        Watched() {
            super(MemoryDriver.create());
        }

        @Override
        public PutResponse put(String key, byte[] content, PutOptions options) {
            threads.add(Thread.currentThread().getName());
            try {
                hold.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            puts.incrementAndGet();
            PutResponse landed = super.put(key, content, options);
            if (loseNextAnswer) {
                loseNextAnswer = false;
                throw new OutcomeUnknownException(key, "injected: the answer was lost after the write landed", null);
            }
            return landed;
        }

        @Override
        public GetResponse get(String key, GetOptions options, boolean withContent) {
            threads.add(Thread.currentThread().getName());
            return super.get(key, options, withContent);
        }
    }

    @Test
    void thousandsOfUpdatesInFlightOnAFewThreadsAreExact() throws Exception {
        Watched driver = new Watched();
        try (ObjectStore store = ObjectStore.builder().driver(driver)
                .asyncOptions(AsyncOptions.builder().callbackThreads(2).blockingThreads(4).build()).build()) {
            AsyncObjectStore async = store.async();
            int threadsBefore = Thread.activeCount();
            List<CompletableFuture<UpdateResult>> futures = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                futures.add(async.update("distinct/" + i, AsyncApiTest::increment));
            }
            for (int i = 0; i < 100; i++) {
                futures.add(async.update("one", AsyncApiTest::increment));
            }
            CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);
            Set<String> sending = Set.copyOf(driver.threads);
            assertTrue(Thread.activeCount() - threadsBefore <= 2 + 4 + 1,
                    "a fixed number of threads, whatever the number in flight: " + (Thread.activeCount() - threadsBefore));
            for (String t : sending) {
                assertTrue(t.startsWith("leasehold-blocking-"), "a blocking driver runs on the blocking pool only: " + t);
            }
            assertEquals(100, value(store.get("one").content()), "no lost or doubled update on the shared key");
            assertEquals(1, value(store.get("distinct/999").content()));
            long puts = driver.puts.get();
            assertTrue(puts < 1100, "the 100 updates of one key were coalesced: " + puts + " writes");
        }
    }

    @Test
    void pastTheBoundCallsAreRefusedAtOnceAndNothingIsSent() throws Exception {
        Watched driver = new Watched();
        driver.hold = new CountDownLatch(1);
        try (ObjectStore store = ObjectStore.builder().driver(driver)
                .asyncOptions(AsyncOptions.builder().maxInFlight(2).maxQueued(1).build()).build()) {
            AsyncObjectStore async = store.async();
            List<CompletableFuture<PutResult>> admitted = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                admitted.add(async.put("k" + i, new byte[] {1}));
            }
            CompletableFuture<PutResult> refused = async.put("k3", new byte[] {1});
            ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> refused.get(10, TimeUnit.SECONDS));
            TransientException throttled = assertInstanceOf(TransientException.class, e.getCause());
            assertEquals(ErrorCode.THROTTLED, throttled.code());
            driver.hold.countDown();
            for (CompletableFuture<PutResult> f : admitted) {
                assertNotNull(f.get(30, TimeUnit.SECONDS));
            }
            assertEquals(3, driver.puts.get(), "the refused call sent nothing");
        }
    }

    @Test
    void invalidArgumentsFailTheFutureAndThrowNothing() {
        try (ObjectStore store = ObjectStore.of(MemoryDriver.create())) {
            CompletableFuture<PutResult> f = store.async().put("", new byte[0]);
            ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, f::get);
            assertInstanceOf(InvalidArgumentException.class, e.getCause());
            CompletableFuture<GetResult> g = store.async().get("k", null);
            assertInstanceOf(InvalidArgumentException.class,
                    org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, g::get).getCause());
        }
    }

    @Test
    void aCancelledUpdateStillSettlesAndTellsItsListener() throws Exception {
        Watched driver = new Watched();
        driver.hold = new CountDownLatch(1);
        driver.loseNextAnswer = true;
        AtomicReference<UpdateResult> heard = new AtomicReference<>();
        CountDownLatch told = new CountDownLatch(1);
        UpdateListener listener = new UpdateListener() {
            @Override
            public void onSuccess(UpdateResult result) {
                heard.set(result);
                told.countDown();
            }
        };
        try (ObjectStore store = ObjectStore.of(driver)) {
            CompletableFuture<UpdateResult> f = store.async().update("c", AsyncApiTest::increment,
                    UpdateOptions.builder().listener(listener).build());
            assertTrue(f.cancel(true));
            driver.hold.countDown();
            assertTrue(told.await(30, TimeUnit.SECONDS), "the settlement reached the listener");
            assertEquals(1, value(heard.get().content()));
            assertEquals(1, value(store.get("c").content()), "the write landed once, and was found by its write id");
            assertEquals(1, driver.puts.get(), "settled by reading, not sent again");
        }
    }

    @Test
    void theBlockingApiIsRefusedOnACallbackThread() throws Exception {
        try (ObjectStore store = ObjectStore.of(MemoryDriver.create())) {
            store.put("other", "0".getBytes(StandardCharsets.UTF_8));
            CompletableFuture<UpdateResult> f = store.async().update("c", current -> {
                store.get("other"); // a blocking call from an update function of the asynchronous API
                return increment(current);
            });
            ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> f.get(30, TimeUnit.SECONDS));
            assertInstanceOf(IllegalStateException.class, e.getCause());
            assertFalse(store.async().update("c", AsyncApiTest::increment).get(30, TimeUnit.SECONDS).put().isSuperseded());
        }
    }

    @Test
    void listingCopyAndRenameFollowTheBlockingSemantics() throws Exception {
        try (ObjectStore store = ObjectStore.of(MemoryDriver.create())) {
            AsyncObjectStore async = store.async();
            async.put("docs/a", "A".getBytes(StandardCharsets.UTF_8)).get(30, TimeUnit.SECONDS);
            PutResult copied = async.copy("docs/a", "docs/b", CopyOptions.of(PutMode.create())).get(30, TimeUnit.SECONDS);
            assertEquals("A", new String(store.get("docs/b").content(), StandardCharsets.UTF_8));
            ExecutionException again = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> async.copy("docs/a", "docs/b", CopyOptions.of(PutMode.create())).get(30, TimeUnit.SECONDS));
            assertInstanceOf(ObjectAlreadyExistsException.class, again.getCause());
            async.rename("docs/b", "docs/c", CopyOptions.of(PutMode.create())).get(30, TimeUnit.SECONDS);
            assertFalse(store.exists("docs/b"));
            assertEquals(copied.version().etag().value().isEmpty(), false);
            ListPage page = async.listPage("docs/", ListOptions.defaults()).get(30, TimeUnit.SECONDS);
            assertEquals(List.of("docs/a", "docs/c"), page.objects().stream().map(ObjectInfo::key).toList());
            ExecutionException bad = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> async.copy("docs/a", "docs/a", CopyOptions.defaults()).get(30, TimeUnit.SECONDS));
            assertInstanceOf(InvalidArgumentException.class, bad.getCause());
        }
    }
}
