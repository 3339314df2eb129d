package io.leasehold.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.leasehold.driver.memory.MemoryDriver;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Hostile review of {@link UpdateFunction#unchanged()}: inside coalesced batches mixed with writing
 * callers, and on a held copy.
 */
class ReviewUnchangedTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    /**
     * Runs a blocking leader, then queues {@code first} and {@code second} behind it (in that order)
     * so that they form one batch; returns their results.
     */
    private static UpdateResult[] batchOfTwo(ObjectStore store, String key, UpdateFunction first, UpdateFunction second,
                                             List<String> order) throws Exception {
        CountDownLatch leaderIn = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<UpdateResult> leader = CompletableFuture.supplyAsync(() -> store.update(key, b -> {
            leaderIn.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return bytes("leader");
        }));
        assertTrue(leaderIn.await(10, TimeUnit.SECONDS));
        CompletableFuture<UpdateResult> a = CompletableFuture.supplyAsync(() -> store.update(key, b -> {
            order.add("first");
            return first.apply(b);
        }));
        Thread.sleep(300);
        CompletableFuture<UpdateResult> c = CompletableFuture.supplyAsync(() -> store.update(key, b -> {
            order.add("second");
            return second.apply(b);
        }));
        Thread.sleep(300);
        release.countDown();
        leader.get(10, TimeUnit.SECONDS);
        return new UpdateResult[] {a.get(10, TimeUnit.SECONDS), c.get(10, TimeUnit.SECONDS), leader.get()};
    }

    @Test
    void anUnchangedCallBeforeTheBatchsChangeReportsTheVersionItWasGivenNotTheBatchsWrite() throws Exception {
        ObjectStore store = ObjectStore.of(MemoryDriver.create());
        store.put("k", bytes("v0"));
        List<String> order = new CopyOnWriteArrayList<>();
        UpdateResult[] r = batchOfTwo(store, "k", b -> UpdateFunction.unchanged(), b -> bytes("second"), order);
        assumeTrue(order.equals(List.of("first", "second")), "the two calls formed one batch in order: " + order);
        UpdateResult unchanged = r[0];
        UpdateResult leader = r[2];
        assertFalse(unchanged.changed());
        assertEquals("leader", text(unchanged.content()), "it was given the leader's write");
        // As documented (UpdateResult#put/#version): the version the function was given. That is the
        // leader's write, which held exactly the bytes it saw; not the batch's write, which it never saw.
        assertFalse(unchanged.put().isSuperseded(), "reported " + unchanged.put());
        assertEquals(leader.version().etag(), unchanged.version().etag());
        assertEquals("second", text(store.get("k").content()));
        assertTrue(r[1].changed());
    }

    @Test
    void anUnchangedCallAfterTheBatchsChangeReportsTheBatchsWrite() throws Exception {
        ObjectStore store = ObjectStore.of(MemoryDriver.create());
        store.put("k", bytes("v0"));
        List<String> order = new CopyOnWriteArrayList<>();
        UpdateResult[] r = batchOfTwo(store, "k", b -> bytes("first"), b -> UpdateFunction.unchanged(), order);
        assumeTrue(order.equals(List.of("first", "second")), "the two calls formed one batch in order: " + order);
        UpdateResult unchanged = r[1];
        assertFalse(unchanged.changed());
        assertEquals("first", text(unchanged.content()));
        assertEquals(r[0].version(), unchanged.version(), "the batch's write holds exactly what it was given");
        assertEquals("first", text(store.get("k").content()));
    }

    @Test
    void anUnchangedCallOnAnAbsentKeyBeforeACreatingCallSaysAbsent() throws Exception {
        ObjectStore store = ObjectStore.of(MemoryDriver.create());
        List<String> order = new CopyOnWriteArrayList<>();
        // The leader deletes nothing: start from an absent key whose leader answers unchanged too.
        CountDownLatch leaderIn = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<UpdateResult> leader = CompletableFuture.supplyAsync(() -> store.update("k", b -> {
            leaderIn.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return UpdateFunction.unchanged();
        }));
        assertTrue(leaderIn.await(10, TimeUnit.SECONDS));
        CompletableFuture<UpdateResult> a = CompletableFuture.supplyAsync(() -> store.update("k", b -> {
            order.add("first");
            return UpdateFunction.unchanged();
        }));
        Thread.sleep(300);
        CompletableFuture<UpdateResult> c = CompletableFuture.supplyAsync(() -> store.update("k", b -> {
            order.add("second");
            return bytes("created");
        }));
        Thread.sleep(300);
        release.countDown();
        assertFalse(leader.get(10, TimeUnit.SECONDS).changed());
        UpdateResult unchanged = a.get(10, TimeUnit.SECONDS);
        UpdateResult creator = c.get(10, TimeUnit.SECONDS);
        assumeTrue(order.equals(List.of("first", "second")), "one batch in order: " + order);
        assertTrue(creator.created());
        assertFalse(unchanged.changed());
        assertEquals(null, unchanged.content(), "it was given an absent object");
        // UpdateResult#put: "throws IllegalStateException if the function answered unchanged on an absent object".
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, unchanged::put,
                "an unchanged answer on an absent object has no version");
    }

    @Test
    void anUnchangedAnswerOnAStaleHeldCopyIsConfirmedAgainstTheStore() {
        ObjectStore store = ObjectStore.of(MemoryDriver.create());
        store.put("k", bytes("A"));
        GetResult held = store.get("k");
        store.put("k", bytes("B"));
        store.put("k", bytes("A")); // A -> B -> A: the same bytes, another version
        List<String> seen = new CopyOnWriteArrayList<>();
        UpdateResult r = store.update("k", b -> {
            seen.add(text(b));
            return "A".equals(text(b)) ? UpdateFunction.unchanged() : bytes("fixed");
        }, UpdateOptions.builder().startingFrom(held).build());
        assertFalse(r.changed());
        assertEquals(store.head("k").version().orElseThrow().etag(), r.version().etag(), "the version read, not the held one");
        assertArrayEquals(bytes("A"), r.content());
    }

    /** Memory, where the next put of a key can land with its answer lost and the reads after it fail. */
    static final class LostWrites extends io.leasehold.spi.kit.ForwardingStoreDriver {
        final java.util.concurrent.atomic.AtomicBoolean loseNextPut = new java.util.concurrent.atomic.AtomicBoolean();
        final java.util.concurrent.atomic.AtomicBoolean readsFail = new java.util.concurrent.atomic.AtomicBoolean();

        LostWrites() {
            super(MemoryDriver.create());
        }

        @Override
        public io.leasehold.spi.PutResponse put(String key, byte[] content, PutOptions options) {
            io.leasehold.spi.PutResponse r = super.put(key, content, options);
            if (loseNextPut.getAndSet(false)) {
                readsFail.set(true);
                throw new OutcomeUnknownException(key, "injected: landed, answer lost", null);
            }
            return r;
        }

        @Override
        public io.leasehold.spi.GetResponse get(String key, GetOptions options, boolean withContent) {
            if (readsFail.get()) {
                throw new ObjectStoreException(ErrorCode.UNKNOWN, key, "injected: read failed", null);
            }
            return super.get(key, options, withContent);
        }
    }

    @Test
    void anUnchangedCallIsNotFailedByAnotherCallersWriteWhoseOutcomeIsUnknown() throws Exception {
        LostWrites driver = new LostWrites();
        ObjectStore store = ObjectStore.of(driver);
        PutResult stored = store.put("k", bytes("v0"));
        List<String> order = new CopyOnWriteArrayList<>();
        CountDownLatch leaderIn = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<UpdateResult> leader = CompletableFuture.supplyAsync(() -> store.update("k", b -> {
            leaderIn.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return UpdateFunction.unchanged();
        }));
        assertTrue(leaderIn.await(10, TimeUnit.SECONDS));
        CompletableFuture<UpdateResult> unchanged = CompletableFuture.supplyAsync(() -> store.update("k", b -> {
            order.add("unchanged");
            return UpdateFunction.unchanged();
        }));
        Thread.sleep(300);
        CompletableFuture<UpdateResult> writer = CompletableFuture.supplyAsync(() -> store.update("k", b -> {
            order.add("writer");
            driver.loseNextPut.set(true);
            return bytes("changed");
        }));
        Thread.sleep(300);
        release.countDown();
        assertFalse(leader.get(10, TimeUnit.SECONDS).changed());
        java.util.concurrent.ExecutionException lost = org.junit.jupiter.api.Assertions.assertThrows(
                java.util.concurrent.ExecutionException.class, () -> writer.get(10, TimeUnit.SECONDS));
        assertTrue(lost.getCause() instanceof OutcomeUnknownException, String.valueOf(lost.getCause()));
        assumeTrue(order.equals(List.of("unchanged", "writer")), "one batch in order: " + order);
        // Alone, this call reads v0, answers "no change" and succeeds; in a batch, another caller's
        // unknown write must not turn its answer into a failure: it sent nothing.
        UpdateResult r = unchanged.get(10, TimeUnit.SECONDS);
        assertFalse(r.changed());
        assertEquals("v0", text(r.content()));
        assertTrue(r.version().sameAs(stored.version()));
    }
}
