package io.leasehold.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.leasehold.core.Capability;
import io.leasehold.core.DeleteOptions;
import io.leasehold.core.GetOptions;
import io.leasehold.core.GetResult;
import io.leasehold.core.lease.Lease;
import io.leasehold.core.LeaseException;
import io.leasehold.core.LeaseHeldException;
import io.leasehold.core.lease.LeaseKeeper;
import io.leasehold.core.lease.LeaseListener;
import io.leasehold.core.LeaseLostException;
import io.leasehold.core.LeaseMismatchException;
import io.leasehold.core.lease.LeaseOptions;
import io.leasehold.core.lease.LeaseState;
import io.leasehold.core.lease.LeaseStatus;
import io.leasehold.core.lease.Leases;
import io.leasehold.core.NotSupportedException;
import io.leasehold.core.ObjectNotFoundException;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.ObjectStoreException;
import io.leasehold.core.PreconditionFailedException;
import io.leasehold.core.PutMode;
import io.leasehold.core.PutOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The lease suite: CONFORMANCE.md cases 19 to 27 with Azure Blob lease semantics, measured
 * contention (exactly one holder, zero overlap) and the {@link LeaseKeeper}.
 *
 * <p>A store without {@link Capability#LEASES} must refuse {@link ObjectStore#leases()} and
 * lease-guarded writes with {@link NotSupportedException}; every case asserts that instead. Where
 * the flavours differ the cases branch on capabilities, never skip: {@link Capability#NATIVE_LEASES}
 * stores refuse writes without the lease; {@link Capability#EMULATED_LEASES} stores cannot, and the
 * suite asserts their documented behaviour instead (the holder's next overwrite notices the change;
 * a guarded delete needs {@link Capability#DELETE_IF_MATCH}, else it is refused as not supported;
 * the lease record outlives a deleted object). Race cases run only where
 * {@link #atomicUnderConcurrency()}.
 * Durations are at least 15 s (Azure's minimum) and lease ids are UUIDs (Azure's format); breaks
 * (0 s or a few seconds) stand in for waiting for expiry except in the two {@code slow}-tagged cases,
 * which stay in the default run. Figures are printed with a {@code [leases]} prefix.
 *
 * <p>Thread-safety: JUnit runs the cases; the harness's store must be safe for concurrent use.
 */
public interface LeasesContract extends ConformanceHarness {

    /** The lease duration the suite uses: Azure's minimum. */
    Duration D15 = Duration.ofSeconds(15);

    // ---------------------------------------------------------------- capability

    /** Leases are offered exactly when the capability is declared. */
    @Test
    @Timeout(60)
    default void leasesAreOfferedExactlyWhenDeclared() {
        Store store = store();
        String key = uniqueKey("lease-capability");
        store.put(key, bytes("x"));
        if (!store.capabilities().supports(Capability.LEASES)) {
            assertLeasesNotSupported(key);
            return;
        }
        Leases leases = store.leases();
        assertEquals(LeaseState.AVAILABLE, leases.status(key).state());
        assertTrue(store.capabilities().supports(Capability.NATIVE_LEASES)
                ^ store.capabilities().supports(Capability.EMULATED_LEASES), "exactly one flavour: native or emulated");
    }

    // ---------------------------------------------------------------- cases 19-25

    /** Case 19: acquire on a free key succeeds; a second acquirer is refused. */
    @Test
    @Timeout(60)
    default void case19_acquireFreeKeyThenSecondAcquirerRefused() {
        String key = leasedObject("case19");
        if (key == null) {
            return;
        }
        Leases leases = store().leases();
        String id = newId();
        Lease lease = leases.acquire(key, options(D15, id));
        assertEquals(id, lease.id());
        assertEquals(key, lease.key());
        assertEquals(D15, lease.duration().orElseThrow());
        assertEquals(LeaseState.LEASED, leases.status(key).state());
        assertThrows(LeaseHeldException.class, () -> leases.acquire(key, options(D15, newId())));
        assertThrows(LeaseHeldException.class, () -> leases.acquire(key, LeaseOptions.infinite()));
        assertEquals(LeaseState.LEASED, leases.status(key).state());
        leases.release(lease);
    }

    /** Case 20: acquiring with the holder's own id renews; a different id is refused. */
    @Test
    @Timeout(60)
    default void case20_acquireWithOwnIdRenewsOtherIdRefused() {
        String key = leasedObject("case20");
        if (key == null) {
            return;
        }
        Leases leases = store().leases();
        String id = newId();
        Lease first = leases.acquire(key, options(D15, id));
        Lease again = leases.acquire(key, options(D15, id));
        assertEquals(id, again.id());
        assertFalse(again.acquiredAt().isBefore(first.acquiredAt()));
        assertEquals(first.fencingToken(), again.fencingToken(), "the same holder keeps its fencing token");
        assertThrows(LeaseHeldException.class, () -> leases.acquire(key, options(D15, newId())));
        leases.renew(again);
        leases.release(again);
    }

    /** Case 21: renew or release with the wrong id is refused; after release a new acquire succeeds at once. */
    @Test
    @Timeout(60)
    default void case21_wrongIdRefusedAndReleaseFreesAtOnce() {
        String key = leasedObject("case21");
        if (key == null) {
            return;
        }
        Leases leases = store().leases();
        Lease lease = leases.acquire(key, options(D15, newId()));
        String wrong = newId();
        assertThrows(LeaseMismatchException.class, () -> leases.renew(key, wrong));
        assertThrows(LeaseMismatchException.class, () -> leases.release(key, wrong));
        assertEquals(LeaseState.LEASED, leases.status(key).state());

        leases.release(lease);
        assertEquals(LeaseState.AVAILABLE, leases.status(key).state());
        Lease next = leases.acquire(key, options(D15, newId()));
        assertNotEquals(lease.id(), next.id());
        assertLeaseRefusal(() -> leases.renew(lease), "renewing a released lease");
        assertLeaseRefusal(() -> leases.release(lease), "releasing a released lease");
        leases.release(next);
    }

    /** Case 22: a break with period p blocks new acquires until p elapses, and the holder can no longer renew. */
    @Test
    @Timeout(60)
    default void case22_breakPeriodBlocksAcquiresUntilItEnds() {
        String key = leasedObject("case22-period");
        if (key == null) {
            return;
        }
        Leases leases = store().leases();
        Lease lease = leases.acquire(key, options(D15, newId()));
        Duration period = Duration.ofSeconds(3);
        long start = System.nanoTime();
        Duration remaining = leases.breakLease(key, period);
        assertFalse(remaining.isNegative());
        assertTrue(remaining.compareTo(period) <= 0, "break returns at most the period: " + remaining);
        assertEquals(LeaseState.BREAKING, leases.status(key).state());
        assertThrows(LeaseHeldException.class, () -> leases.acquire(key, options(D15, newId())));
        assertThrows(LeaseHeldException.class, () -> leases.acquire(key, options(D15, lease.id())),
                "not even the holder can re-acquire a breaking lease");
        assertThrows(LeaseLostException.class, () -> leases.renew(lease));
        store().put(key, bytes("holder-still-writes"), PutOptions.builder().leaseId(lease.id()).build());

        Lease next = leases.acquire(key, options(D15, newId()).toBuilder().waitUpTo(Duration.ofSeconds(30)).build());
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        // The store counts the period in whole seconds from when it received the break: allow 1 s.
        assertTrue(elapsedMillis >= period.toMillis() - 1000, "acquired after " + elapsedMillis + " ms");
        assertThrows(LeaseMismatchException.class, () -> leases.renew(lease), "another holder has it now");
        leases.release(next);
    }

    /** Case 22: release during breaking is allowed and frees the lease at once. */
    @Test
    @Timeout(60)
    default void case22_releaseDuringBreakingIsAllowed() {
        String key = leasedObject("case22-release");
        if (key == null) {
            return;
        }
        Leases leases = store().leases();
        Lease lease = leases.acquire(key, options(D15, newId()));
        leases.breakLease(key, Duration.ofSeconds(10));
        assertEquals(LeaseState.BREAKING, leases.status(key).state());
        assertThrows(LeaseMismatchException.class, () -> leases.release(key, newId()));
        leases.release(lease);
        assertEquals(LeaseState.AVAILABLE, leases.status(key).state());
        leases.release(leases.acquire(key, options(D15, newId())));
    }

    /** Case 22: break at once (period 0), and the default break: a finite lease runs out, an infinite one breaks at once. */
    @Test
    @Timeout(60)
    default void case22_immediateAndDefaultBreaks() {
        String key = leasedObject("case22-default");
        if (key == null) {
            return;
        }
        Leases leases = store().leases();
        Lease finite = leases.acquire(key, options(D15, newId()));
        Duration runsOut = leases.breakLease(key);
        assertTrue(!runsOut.isNegative() && runsOut.compareTo(D15) <= 0, "finite lease breaks when it runs out: " + runsOut);
        if (runsOut.compareTo(Duration.ofSeconds(1)) > 0) {
            assertEquals(LeaseState.BREAKING, leases.status(key).state());
        }
        assertEquals(Duration.ZERO, leases.breakLease(key, Duration.ZERO), "a shorter break period wins");
        assertEquals(LeaseState.BROKEN, leases.status(key).state());
        assertThrows(LeaseLostException.class, () -> leases.renew(finite));
        assertLeaseRefusal(() -> store().put(key, bytes("x"), PutOptions.builder().leaseId(finite.id()).build()),
                "writing under a broken lease");

        Lease infinite = leases.acquire(key, LeaseOptions.builder().infinite().proposedId(newId()).build());
        LeaseStatus held = leases.status(key);
        assertEquals(LeaseState.LEASED, held.state());
        assertTrue(held.isInfinite());
        assertEquals(Duration.ZERO, leases.breakLease(key));
        assertEquals(LeaseState.BROKEN, leases.status(key).state());
        leases.release(infinite);
        assertEquals(LeaseState.AVAILABLE, leases.status(key).state());
    }

    /** Case 23: after a change of id the old id is rejected. */
    @Test
    @Timeout(60)
    default void case23_changeOfIdRejectsTheOldId() {
        String key = leasedObject("case23");
        if (key == null) {
            return;
        }
        Leases leases = store().leases();
        Lease old = leases.acquire(key, options(D15, newId()));
        String newId = newId();
        Lease changed = leases.change(old, newId);
        assertEquals(newId, changed.id());
        assertEquals(newId, leases.change(key, old.id(), newId).id(), "a repeated change finds its id in place");
        assertThrows(LeaseMismatchException.class, () -> leases.renew(old));
        assertThrows(LeaseMismatchException.class, () -> leases.release(old));
        assertThrows(LeaseMismatchException.class, () -> leases.change(key, newId(), newId()));
        assertThrows(LeaseMismatchException.class,
                () -> store().put(key, bytes("old"), PutOptions.builder().leaseId(old.id()).build()));
        store().put(key, bytes("new"), PutOptions.builder().leaseId(newId).build());
        leases.renew(changed);
        leases.release(changed);
    }

    /**
     * Case 24: a write or delete on a leased object with another lease is refused; without a lease it
     * is refused by native leases, and on emulated leases (which the store cannot enforce) it lands
     * but the holder's next overwrite notices it instead of silently replacing it.
     */
    @Test
    @Timeout(60)
    default void case24_writeOrDeleteWithoutTheLeaseIsRefused() {
        String key = leasedObject("case24");
        if (key == null) {
            return;
        }
        Store store = store();
        Leases leases = store.leases();
        boolean nativeLeases = store.capabilities().supports(Capability.NATIVE_LEASES);
        boolean guardedDelete = nativeLeases || store.capabilities().supports(Capability.DELETE_IF_MATCH);
        assertEquals(!nativeLeases, store.capabilities().supports(Capability.EMULATED_LEASES), "one flavour");
        assertThrows(LeaseLostException.class,
                () -> store.put(key, bytes("x"), PutOptions.builder().leaseId(newId()).build()),
                "a lease id on an unleased object");
        Lease lease = leases.acquire(key, options(D15, newId()));
        String other = newId();
        assertThrows(LeaseMismatchException.class,
                () -> store.put(key, bytes("intruder"), PutOptions.builder().leaseId(other).build()));
        Class<? extends ObjectStoreException> refusal = guardedDelete ? LeaseMismatchException.class
                : NotSupportedException.class;
        assertThrows(refusal, () -> store.delete(key, DeleteOptions.builder().leaseId(other).build()));
        if (nativeLeases) {
            assertThrows(LeaseHeldException.class, () -> store.put(key, bytes("intruder")));
            assertThrows(LeaseHeldException.class, () -> store.delete(key));
            assertArrayEquals(bytes("v0"), store.get(key).content(), "refused writes left the object alone");
            store.put(key, bytes("v1"), PutOptions.builder().leaseId(lease.id()).build());
        } else {
            // Emulated: the store cannot refuse a write that does not carry the lease (advisory)...
            store.put(key, bytes("intruder"));
            assertArrayEquals(bytes("intruder"), store.get(key).content());
            // ...but the holder's next overwrite under the lease fails because the data changed.
            assertThrows(PreconditionFailedException.class,
                    () -> store.put(key, bytes("v1"), PutOptions.builder().leaseId(lease.id()).build()));
            assertArrayEquals(bytes("intruder"), store.get(key).content(), "the holder did not overwrite blindly");
            GetResult seen = store.get(key, GetOptions.builder().leaseId(lease.id()).build());
            store.put(key, bytes("v1"), PutOptions.builder().mode(PutMode.update(seen.info().version()))
                    .leaseId(lease.id()).build());
        }
        assertArrayEquals(bytes("v1"), store.get(key).content());
        assertEquals(LeaseState.LEASED, leases.status(key).state(), "a guarded write keeps the lease");
        if (!guardedDelete) {
            // No atomic conditional delete (Ceph RGW): a guarded delete cannot be fenced, so it is refused.
            assertThrows(NotSupportedException.class,
                    () -> store.delete(key, DeleteOptions.builder().leaseId(lease.id()).build()));
            assertArrayEquals(bytes("v1"), store.get(key).content());
            leases.release(lease);
            return;
        }
        store.delete(key, DeleteOptions.builder().leaseId(lease.id()).build());
        assertThrows(ObjectNotFoundException.class, () -> store.get(key));
        store.put(key, bytes("v2"));
        if (nativeLeases) {
            assertEquals(LeaseState.AVAILABLE, leases.status(key).state(), "deleting the object dropped its lease");
        } else {
            // The lease record outlives the object (it carries the fencing token): the holder releases it.
            assertEquals(LeaseState.LEASED, leases.status(key).state());
            leases.release(lease);
            assertEquals(LeaseState.AVAILABLE, leases.status(key).state());
        }
        leases.release(leases.acquire(key, options(D15, newId())));
    }

    /** Case 25: fencing tokens strictly increase across holders; a write under a stale holder's lease is rejected. */
    @Test
    @Timeout(60)
    default void case25_fencingTokensIncreaseAcrossHolders() {
        String key = leasedObject("case25");
        if (key == null) {
            return;
        }
        Leases leases = store().leases();
        boolean fencing = store().capabilities().supports(Capability.FENCING_TOKENS);
        Lease a = leases.acquire(key, options(D15, newId()));
        Lease aRenewed = leases.renew(a);
        leases.breakLease(key, Duration.ZERO);
        Lease b = leases.acquire(key, options(D15, newId()));
        assertLeaseRefusal(() -> store().put(key, bytes("stale"), PutOptions.builder().leaseId(a.id()).build()),
                "a write fenced by the stale holder's lease");
        leases.release(b);
        Lease c = leases.acquire(key, options(D15, newId()));
        if (!fencing) {
            for (Lease l : List.of(a, aRenewed, b, c)) {
                assertEquals(OptionalLong.empty(), l.fencingToken(), "no FENCING_TOKENS capability, no token");
            }
        } else {
            long ta = a.fencingToken().orElseThrow();
            assertEquals(ta, aRenewed.fencingToken().orElseThrow(), "renewal keeps the holder's token");
            long tb = b.fencingToken().orElseThrow();
            long tc = c.fencingToken().orElseThrow();
            assertTrue(ta < tb && tb < tc, "tokens " + ta + " < " + tb + " < " + tc);
            System.out.printf("[leases] %s fencing tokens across three holders: %d < %d < %d%n",
                    store().driverName(), ta, tb, tc);
        }
        leases.release(c);
    }

    /**
     * Case 25, downstream: a resource that remembers the highest fencing token it has seen (as a
     * database or queue would) refuses a write fenced by an older holder's token.
     */
    @Test
    @Timeout(60)
    default void case25_aDownstreamResourceRefusesAStaleFencingToken() {
        String key = leasedObject("case25-downstream");
        if (key == null) {
            return;
        }
        Leases leases = store().leases();
        Lease a = leases.acquire(key, options(D15, newId()));
        if (!store().capabilities().supports(Capability.FENCING_TOKENS)) {
            assertEquals(OptionalLong.empty(), a.fencingToken(), "no FENCING_TOKENS capability, no token");
            leases.release(a);
            return;
        }
        FencedResource resource = new FencedResource();
        assertTrue(resource.write(a.fencingToken().getAsLong(), "a1"));
        leases.breakLease(key, Duration.ZERO);
        Lease b = leases.acquire(key, options(D15, newId()));
        assertTrue(resource.write(b.fencingToken().getAsLong(), "b1"));
        assertFalse(resource.write(a.fencingToken().getAsLong(), "a2"), "the stale holder is fenced off");
        assertEquals("b1", resource.value());
        leases.release(b);
    }

    // ---------------------------------------------------------------- case 26

    /**
     * Case 26, the pause test: a holder stops renewing and sleeps past its lease; a new holder acquires
     * and writes; the old holder wakes and writes under its old lease: refused, and the newer data
     * survives.
     *
     * @throws InterruptedException if the test is interrupted or a worker fails
     */
    @Test
    @Tag("slow")
    @Timeout(90)
    default void case26_holderPausedPastExpiryFailsItsNextGuardedWrite() throws InterruptedException {
        String key = leasedObject("case26-paused");
        if (key == null) {
            return;
        }
        Store store = store();
        Leases leases = store.leases();
        Lease paused = leases.acquire(key, options(D15, newId()));
        store.put(key, bytes("before the pause"), PutOptions.builder().leaseId(paused.id()).build());
        // "Pause" past the lease: nothing renews it. Poll rather than assume the store's clock.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        Thread.sleep(D15.toMillis());
        while (leases.status(key).state() == LeaseState.LEASED) {
            assertTrue(System.nanoTime() < deadline, "the 15 s lease never expired");
            Thread.sleep(250);
        }
        assertEquals(LeaseState.EXPIRED, leases.status(key).state());
        Lease next = leases.acquire(key, options(D15, newId()));
        store.put(key, bytes("newer"), PutOptions.builder().leaseId(next.id()).build());

        assertThrows(LeaseMismatchException.class,
                () -> store.put(key, bytes("late"), PutOptions.builder().leaseId(paused.id()).build()));
        assertThrows(LeaseMismatchException.class, () -> leases.renew(paused));
        assertArrayEquals(bytes("newer"), store.get(key).content(), "the newer holder's data survives");
        if (store.capabilities().supports(Capability.FENCING_TOKENS)) {
            assertTrue(next.fencingToken().getAsLong() > paused.fencingToken().getAsLong());
        }
        leases.release(next);
    }

    /**
     * Case 26: a keeper whose lease is broken reports the loss through its listener before the holder's next guarded write fails.
     *
     * @throws InterruptedException if the test is interrupted or a worker fails
     */
    @Test
    @Timeout(60)
    default void case26_keeperReportsABrokenLeaseBeforeTheNextWriteFails() throws InterruptedException {
        String key = leasedObject("case26-keeper");
        if (key == null) {
            return;
        }
        Leases leases = store().leases();
        RecordingListener listener = new RecordingListener();
        try (LeaseKeeper keeper = leases.keep(key, options(D15, newId()), listener)) {
            assertTrue(keeper.isHeld());
            leases.breakLease(key, Duration.ZERO);
            Lease thief = leases.acquire(key, options(D15, newId()));
            assertTrue(listener.lost.await(30, TimeUnit.SECONDS), "the keeper reported the loss");
            assertFalse(keeper.isHeld());
            ObjectStoreException cause = keeper.lossCause().orElseThrow();
            assertInstanceOf(LeaseException.class, cause, "a definitive loss: " + cause);
            assertEquals(1, listener.lostCount.get());
            long reportedAt = listener.lostAtNanos.get();
            ObjectStoreException refused = assertThrows(LeaseException.class,
                    () -> store().put(key, bytes("late"), PutOptions.builder().leaseId(keeper.leaseId()).build()));
            assertTrue(reportedAt - System.nanoTime() < 0, "loss reported before the refused write: " + refused);
            leases.release(thief);
        }
    }

    // ---------------------------------------------------------------- case 27: contention

    /**
     * Case 27: 20 contenders race for one free lease, in several rounds: exactly one holder each time.
     *
     * @throws Exception if the test is interrupted or a worker fails
     */
    @Test
    @Timeout(120)
    default void case27_twentyContendersExactlyOneHolderPerRound() throws Exception {
        String key = leasedObject("case27-race");
        if (key == null || !atomicUnderConcurrency()) {
            return;
        }
        Leases leases = store().leases();
        int contenders = 20;
        int rounds = 5;
        ExecutorService pool = Executors.newFixedThreadPool(contenders);
        try {
            for (int round = 1; round <= rounds; round++) {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Lease>> attempts = new ArrayList<>();
                AtomicInteger refused = new AtomicInteger();
                for (int i = 0; i < contenders; i++) {
                    attempts.add(pool.submit(() -> {
                        start.await();
                        try {
                            return leases.acquire(key, options(D15, newId()));
                        } catch (LeaseHeldException held) {
                            refused.incrementAndGet();
                            return null;
                        }
                    }));
                }
                start.countDown();
                List<Lease> winners = new ArrayList<>();
                for (Future<Lease> attempt : attempts) {
                    Lease won = attempt.get(60, TimeUnit.SECONDS);
                    if (won != null) {
                        winners.add(won);
                    }
                }
                assertEquals(1, winners.size(), "round " + round + ": holders " + winners);
                assertEquals(contenders - 1, refused.get(), "round " + round + ": the others were refused (lease held)");
                leases.release(winners.get(0));
            }
            System.out.printf("[leases] %s: %d rounds x %d contenders: exactly 1 holder per round%n",
                    store().driverName(), rounds, contenders);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Case 27: contenders repeatedly wait for the lease, work under it and release it; never two
     * holders at once (measured), and a counter incremented under the lease without If-Match
     * loses no update.
     *
     * @throws Exception if the test is interrupted or a worker fails
     */
    @Test
    @Timeout(180)
    default void case27_zeroOverlapBetweenHolders() throws Exception {
        String key = leasedObject("case27-overlap");
        if (key == null || !atomicUnderConcurrency()) {
            return;
        }
        Store store = store();
        Leases leases = store.leases();
        store.put(key, bytes("0"));
        int contenders = 6;
        int turns = 5;
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        AtomicInteger acquisitions = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(contenders);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> workers = new ArrayList<>();
            for (int i = 0; i < contenders; i++) {
                workers.add(pool.submit(() -> {
                    start.await();
                    for (int t = 0; t < turns; t++) {
                        Lease lease = leases.acquire(key, options(D15, newId()).toBuilder()
                                .waitUpTo(Duration.ofSeconds(120)).build());
                        acquisitions.incrementAndGet();
                        int now = inside.incrementAndGet();
                        maxInside.accumulateAndGet(now, Math::max);
                        // Unconditional read-modify-write: only the lease keeps it from losing updates.
                        int value = Integer.parseInt(new String(store.get(key).content(), StandardCharsets.UTF_8));
                        Thread.sleep(5);
                        store.put(key, bytes(Integer.toString(value + 1)), PutOptions.builder().leaseId(lease.id()).build());
                        inside.decrementAndGet();
                        leases.release(lease);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> worker : workers) {
                worker.get(170, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(contenders * turns, acquisitions.get());
        assertEquals(1, maxInside.get(), "never two holders at once");
        assertEquals(Integer.toString(contenders * turns), new String(store.get(key).content(), StandardCharsets.UTF_8),
                "no update lost under the lease");
        System.out.printf("[leases] %s: %d contenders x %d turns = %d acquisitions, max concurrent holders %d%n",
                store.driverName(), contenders, turns, acquisitions.get(), maxInside.get());
    }

    // ---------------------------------------------------------------- keeper

    /**
     * A keeper holds a 15 s lease past its duration without losing it (20 s; 60 s with
     * {@code -Dleasehold.tck.keeperHoldSeconds=60}); contenders are refused meanwhile.
     *
     * @throws InterruptedException if the test is interrupted or a worker fails
     */
    @Test
    @Tag("slow")
    @Timeout(120)
    default void keeperHoldsAFifteenSecondLeaseAcrossSeveralDurations() throws InterruptedException {
        // 20 s by default (past one duration, so renewals must work); -Dleasehold.tck.keeperHoldSeconds=60 for the long hold.
        int holdSeconds = Integer.getInteger("leasehold.tck.keeperHoldSeconds", 20);
        String key = leasedObject("keeper-hold");
        if (key == null) {
            return;
        }
        Leases leases = store().leases();
        RecordingListener listener = new RecordingListener();
        long renewals;
        try (LeaseKeeper keeper = leases.keep(key, options(D15, newId()), listener)) {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(holdSeconds);
            int checks = 0;
            while (System.nanoTime() - end < 0) {
                assertTrue(keeper.isHeld(), "held after " + checks + " s");
                Thread.sleep(1000);
                checks++;
            }
            assertThrows(LeaseHeldException.class, () -> leases.acquire(key, options(D15, newId())));
            store().put(key, bytes("still mine"), PutOptions.builder().leaseId(keeper.leaseId()).build());
            assertTrue(keeper.isHeld());
            assertEquals(0, listener.lostCount.get());
            renewals = keeper.renewals();
            // Holding a 15 s lease for 60 s needs a renewal before 15, 30, 45 and after 45 s: one per started 15 s.
            assertTrue(renewals >= (holdSeconds + 14) / 15, "renewals: " + renewals);
        }
        System.out.printf("[leases] %s: keeper held a 15 s lease for %d s with %d renewals (%d transient failures)%n",
                store().driverName(), holdSeconds, renewals, listener.transientFailures.get());
        leases.release(leases.acquire(key, options(D15, newId())));
    }

    /** Closing a keeper releases the lease: a new acquire succeeds at once. */
    @Test
    @Timeout(60)
    default void keeperCloseReleasesTheLease() {
        String key = leasedObject("keeper-close");
        if (key == null) {
            return;
        }
        Leases leases = store().leases();
        RecordingListener listener = new RecordingListener();
        LeaseKeeper keeper = leases.keep(key, options(D15, newId()), listener);
        assertTrue(keeper.isHeld());
        assertEquals(key, keeper.key());
        assertThrows(LeaseHeldException.class, () -> leases.acquire(key, options(D15, newId())));
        keeper.close();
        assertFalse(keeper.isHeld());
        Lease next = leases.acquire(key, options(D15, newId()));
        keeper.close();
        assertEquals(0, listener.releaseFailures.get());
        assertEquals(0, listener.lostCount.get());
        leases.release(next);
    }

    // ---------------------------------------------------------------- acquire options

    /** Acquire on a missing object: not found, unless create-if-absent (which never overwrites). */
    @Test
    @Timeout(60)
    default void acquireOnMissingObjectIsNotFoundUnlessCreated() {
        Store store = store();
        String key = uniqueKey("lease-missing");
        if (!store.capabilities().supports(Capability.LEASES)) {
            assertLeasesNotSupported(key);
            return;
        }
        Leases leases = store.leases();
        assertThrows(ObjectNotFoundException.class, () -> leases.acquire(key, options(D15, newId())));
        assertThrows(ObjectNotFoundException.class, () -> leases.status(key));
        Lease created = leases.acquire(key, options(D15, newId()).toBuilder().createIfAbsent(true).build());
        assertEquals(0, store.get(key).content().length);
        store.put(key, bytes("kept"), PutOptions.builder().leaseId(created.id()).build());
        leases.release(created);
        leases.release(leases.acquire(key, options(D15, newId()).toBuilder().createIfAbsent(true).build()));
        assertArrayEquals(bytes("kept"), store.get(key).content());
    }

    /**
     * A waiting acquire takes over as soon as the holder releases, and gives up with "lease held" at its timeout.
     *
     * @throws Exception if the test is interrupted or a worker fails
     */
    @Test
    @Timeout(60)
    default void waitingAcquireTakesOverAfterReleaseOrGivesUp() throws Exception {
        String key = leasedObject("lease-wait");
        if (key == null) {
            return;
        }
        Leases leases = store().leases();
        Lease holder = leases.acquire(key, options(D15, newId()));
        assertThrows(LeaseHeldException.class,
                () -> leases.acquire(key, options(D15, newId()).toBuilder().waitUpTo(Duration.ofMillis(500)).build()));
        AtomicReference<Object> result = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            try {
                result.set(leases.acquire(key, options(D15, newId()).toBuilder().waitUpTo(Duration.ofSeconds(30)).build()));
            } catch (RuntimeException e) {
                result.set(e);
            }
        });
        waiter.start();
        Thread.sleep(300);
        leases.release(holder);
        waiter.join(40_000);
        Lease next = assertInstanceOf(Lease.class, result.get());
        leases.release(next);
    }

    // ---------------------------------------------------------------- helpers

    /**
     * Creates an object with content {@code v0} for a lease case, or, where the store has no leases,
     * asserts {@link NotSupportedException} and returns null.
     *
     * @param name a readable part of the key
     * @return the key, or null if leases are not supported (the case is then done)
     */
    private String leasedObject(String name) {
        String key = uniqueKey(name);
        store().put(key, bytes("v0"));
        if (!store().capabilities().supports(Capability.LEASES)) {
            assertLeasesNotSupported(key);
            return null;
        }
        return key;
    }

    private void assertLeasesNotSupported(String key) {
        Store store = store();
        assertThrows(NotSupportedException.class, store::leases);
        assertThrows(NotSupportedException.class,
                () -> store.put(key, bytes("x"), PutOptions.builder().leaseId(newId()).build()));
        assertThrows(NotSupportedException.class,
                () -> store.delete(key, DeleteOptions.builder().leaseId(newId()).build()));
    }

    private static void assertLeaseRefusal(Runnable call, String what) {
        try {
            call.run();
            fail(what + " was not refused");
        } catch (LeaseMismatchException | LeaseLostException expected) {
            // Azure answers either, depending on the state; both mean "not your lease".
        }
    }

    private static LeaseOptions options(Duration duration, String id) {
        return LeaseOptions.builder().duration(duration).proposedId(id).build();
    }

    private static String newId() {
        return UUID.randomUUID().toString();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A downstream resource that accepts a write only with a fencing token at least as high as any seen. */
    final class FencedResource {
        private long highest = Long.MIN_VALUE;
        private String value;

        /** Creates an empty resource. */
        public FencedResource() {
        }

        /**
         * Writes unless fenced off.
         *
         * @param token the writer's fencing token
         * @param newValue the value
         * @return false if a higher token was seen before (the write is refused)
         */
        public synchronized boolean write(long token, String newValue) {
            if (token < highest) {
                return false;
            }
            highest = token;
            value = newValue;
            return true;
        }

        /**
         * The last accepted value.
         *
         * @return the value
         */
        public synchronized String value() {
            return value;
        }
    }

    /** Records keeper events for the assertions. */
    final class RecordingListener implements LeaseListener {
        final CountDownLatch lost = new CountDownLatch(1);
        final AtomicInteger lostCount = new AtomicInteger();
        final AtomicLong lostAtNanos = new AtomicLong();
        final AtomicInteger transientFailures = new AtomicInteger();
        final AtomicInteger releaseFailures = new AtomicInteger();

        /** Creates a listener with nothing recorded. */
        public RecordingListener() {
        }

        /** Counts a transient failure. */
        @Override
        public void onRenewalFailed(Lease lease, ObjectStoreException cause, Duration remainingSafeTime) {
            transientFailures.incrementAndGet();
        }

        /** Records the loss and when it was reported. */
        @Override
        public void onLost(Lease lease, ObjectStoreException cause) {
            lostAtNanos.set(System.nanoTime());
            lostCount.incrementAndGet();
            lost.countDown();
        }

        /** Counts a failed release. */
        @Override
        public void onReleaseFailed(Lease lease, ObjectStoreException cause) {
            releaseFailures.incrementAndGet();
        }
    }
}
