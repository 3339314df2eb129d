package io.leasehold.azure;

import io.leasehold.spi.LeaseGrant;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leasehold.core.DeleteOptions;
import io.leasehold.core.GetOptions;
import io.leasehold.core.lease.Lease;
import io.leasehold.core.LeaseHeldException;
import io.leasehold.core.LeaseLostException;
import io.leasehold.core.LeaseMismatchException;
import io.leasehold.core.lease.LeaseState;
import io.leasehold.core.lease.LeaseStatus;
import io.leasehold.core.ObjectNotFoundException;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.ObjectStoreException;
import io.leasehold.core.PutMode;
import io.leasehold.core.PutOptions;
import io.leasehold.spi.LeaseDriver;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The driver's native leases against Azurite, through the SPI ({@link LeaseDriver}) directly: the
 * portable lease facade and its contract suite run on top of this.
 */
@ExtendWith(AzuriteExtension.class)
class AzuriteLeaseDriverTest {
    private static final Duration SHORT = Duration.ofSeconds(15);
    private static ObjectStore store;
    private static LeaseDriver leases;

    @BeforeAll
    static void open() {
        store = AzuriteExtension.uniqueStore("leases");
        leases = store.unwrap(AzureBlobDriver.class).orElseThrow().leases().orElseThrow();
    }

    @AfterAll
    static void close() {
        store.close();
    }

    private static String object(String name) {
        String key = "lease/" + name + "/" + UUID.randomUUID();
        store.put(key, "v0".getBytes(StandardCharsets.UTF_8));
        return key;
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }

    @Test
    void acquireOnFreeKeyThenSecondAcquirerIsRefused() {
        String key = object("acquire");
        String a = id();
        LeaseGrant lease = leases.acquire(key, SHORT, a);
        assertEquals(a, lease.id());
        assertEquals(SHORT, lease.duration().orElseThrow());
        LeaseStatus status = leases.status(key);
        assertEquals(LeaseState.LEASED, status.state());
        assertFalse(status.isInfinite());
        assertThrows(LeaseHeldException.class, () -> leases.acquire(key, SHORT, id()));
    }

    @Test
    void acquireWithOwnIdActsAsRenew() {
        String key = object("reacquire");
        String a = id();
        leases.acquire(key, SHORT, a);
        LeaseGrant again = leases.acquire(key, Duration.ofSeconds(60), a);
        assertEquals(a, again.id());
        assertEquals(LeaseState.LEASED, leases.status(key).state());
        assertThrows(LeaseHeldException.class, () -> leases.acquire(key, SHORT, id()));
    }

    @Test
    void renewAndReleaseWithWrongIdAreRefusedAndReleaseFreesAtOnce() {
        String key = object("release");
        String a = id();
        leases.acquire(key, SHORT, a);
        assertThrows(LeaseMismatchException.class, () -> leases.renew(key, id()));
        assertThrows(LeaseMismatchException.class, () -> leases.release(key, id()));
        LeaseGrant renewed = leases.renew(key, a);
        assertEquals(SHORT, renewed.duration().orElseThrow(), "the driver remembers the duration it acquired");
        leases.release(key, a);
        assertEquals(LeaseState.AVAILABLE, leases.status(key).state());
        String b = id();
        assertEquals(b, leases.acquire(key, SHORT, b).id());
    }

    @Test
    void operationsAfterReleaseReportTheLeaseLost() {
        String key = object("after-release");
        String a = id();
        leases.acquire(key, SHORT, a);
        leases.release(key, a);
        ObjectStoreException renew = assertThrows(ObjectStoreException.class, () -> leases.renew(key, a));
        assertTrue(renew instanceof LeaseLostException || renew instanceof LeaseMismatchException, renew.toString());
        assertThrows(LeaseLostException.class, () -> store.put(key, new byte[] {1},
                PutOptions.builder().leaseId(a).build()), "a write with a lease id on an unleased object");
    }

    @Test
    void breakWithZeroPeriodFreesAtOnceAndHolderLosesIt() {
        String key = object("break0");
        String a = id();
        leases.acquire(key, SHORT, a);
        assertEquals(Duration.ZERO, leases.breakLease(key, Duration.ZERO));
        assertEquals(LeaseState.BROKEN, leases.status(key).state());
        assertThrows(LeaseLostException.class, () -> leases.renew(key, a));
        String b = id();
        assertEquals(b, leases.acquire(key, SHORT, b).id());
    }

    @Test
    void breakPeriodBlocksAcquiresUntilItEndsAndReleaseIsAllowedWhileBreaking() throws Exception {
        String key = object("breaking");
        String a = id();
        leases.acquire(key, Duration.ofSeconds(60), a);
        Duration left = leases.breakLease(key, Duration.ofSeconds(2));
        assertTrue(left.compareTo(Duration.ZERO) > 0 && left.compareTo(Duration.ofSeconds(2)) <= 0, left.toString());
        assertEquals(LeaseState.BREAKING, leases.status(key).state());
        assertThrows(LeaseHeldException.class, () -> leases.acquire(key, SHORT, id()));
        assertThrows(LeaseLostException.class, () -> leases.renew(key, a));
        awaitState(key, LeaseState.BROKEN, Duration.ofSeconds(10));
        String b = id();
        assertEquals(b, leases.acquire(key, SHORT, b).id());

        String other = object("breaking-release");
        String c = id();
        leases.acquire(other, Duration.ofSeconds(60), c);
        leases.breakLease(other, Duration.ofSeconds(30));
        assertEquals(LeaseState.BREAKING, leases.status(other).state());
        leases.release(other, c);
        assertEquals(LeaseState.AVAILABLE, leases.status(other).state());
        leases.acquire(other, SHORT, id());
    }

    @Test
    void defaultBreakOfAFiniteLeaseRunsItOutAndAShorterBreakWins() {
        String key = object("break-default");
        String a = id();
        leases.acquire(key, SHORT, a);
        Duration runsOut = leases.breakLease(key, null);
        assertTrue(runsOut.compareTo(Duration.ZERO) > 0 && runsOut.compareTo(SHORT) <= 0, runsOut.toString());
        assertEquals(LeaseState.BREAKING, leases.status(key).state());
        assertThrows(LeaseHeldException.class, () -> leases.acquire(key, SHORT, a), "not even the holder re-acquires");
        store.put(key, new byte[] {1}, PutOptions.builder().leaseId(a).build()); // the holder still writes while breaking
        assertEquals(Duration.ZERO, leases.breakLease(key, Duration.ZERO));
        assertEquals(LeaseState.BROKEN, leases.status(key).state());
        ObjectStoreException write = assertThrows(ObjectStoreException.class,
                () -> store.put(key, new byte[] {2}, PutOptions.builder().leaseId(a).build()));
        assertTrue(write instanceof LeaseLostException || write instanceof LeaseMismatchException, write.toString());
        leases.release(key, a);
        assertEquals(LeaseState.AVAILABLE, leases.status(key).state(), "a broken lease can be released by its holder");
    }

    @Test
    void infiniteLeaseReportsInfiniteAndDefaultBreakIsImmediate() {
        String key = object("infinite");
        String a = id();
        LeaseGrant lease = leases.acquire(key, null, a);
        assertTrue(lease.duration().isEmpty());
        LeaseStatus status = leases.status(key);
        assertEquals(LeaseState.LEASED, status.state());
        assertTrue(status.isInfinite());
        assertTrue(leases.renew(key, a).duration().isEmpty());
        assertEquals(Duration.ZERO, leases.breakLease(key, null));
        assertEquals(LeaseState.BROKEN, leases.status(key).state());
    }

    @Test
    void changeOfIdRejectsTheOldId() {
        String key = object("change");
        String a = id();
        String b = id();
        leases.acquire(key, SHORT, a);
        LeaseGrant changed = leases.change(key, a, b);
        assertEquals(b, changed.id());
        assertEquals(SHORT, changed.duration().orElseThrow());
        LeaseGrant again = leases.change(key, a, b);
        assertEquals(b, again.id(), "a repeated change finds its id in place");
        assertEquals(changed.fencingToken(), again.fencingToken(), "a change keeps the holder's token");
        assertThrows(LeaseMismatchException.class, () -> leases.renew(key, a));
        assertThrows(LeaseMismatchException.class, () -> leases.change(key, a, id()));
        assertThrows(LeaseMismatchException.class, () -> store.put(key, new byte[] {1}, PutOptions.builder().leaseId(a).build()));
        store.put(key, new byte[] {2}, PutOptions.builder().leaseId(b).build());
        leases.renew(key, b);
        leases.release(key, b);
    }

    @Test
    void writesAndDeletesOnALeasedObjectNeedTheLease() {
        String key = object("guarded");
        String a = id();
        leases.acquire(key, SHORT, a);
        byte[] v1 = "v1".getBytes(StandardCharsets.UTF_8);
        assertThrows(LeaseHeldException.class, () -> store.put(key, v1));
        assertThrows(LeaseMismatchException.class, () -> store.put(key, v1, PutOptions.builder().leaseId(id()).build()));
        assertThrows(LeaseHeldException.class, () -> store.delete(key));
        assertThrows(LeaseMismatchException.class, () -> store.delete(key, DeleteOptions.builder().leaseId(id()).build()));
        assertArrayEquals("v0".getBytes(StandardCharsets.UTF_8), store.get(key).content(), "refused writes changed nothing");

        var written = store.put(key, v1, PutOptions.builder().leaseId(a).build());
        assertArrayEquals(v1, store.get(key, GetOptions.builder().leaseId(a).build()).content());
        assertArrayEquals(v1, store.get(key).content(), "reads without the lease are allowed");
        assertThrows(LeaseMismatchException.class, () -> store.get(key, GetOptions.builder().leaseId(id()).build()));
        store.put(key, "v2".getBytes(StandardCharsets.UTF_8),
                PutOptions.builder().mode(PutMode.update(written.version())).leaseId(a).build());
        store.delete(key, DeleteOptions.builder().leaseId(a).build());
        assertThrows(ObjectNotFoundException.class, () -> store.get(key));
    }

    @Test
    void acquireOnMissingKeyIsNotFound() {
        assertThrows(ObjectNotFoundException.class, () -> leases.acquire("lease/missing/" + UUID.randomUUID(), SHORT, id()));
        assertThrows(ObjectNotFoundException.class, () -> leases.status("lease/missing/" + UUID.randomUUID()));
    }

    @Test
    void manyContendersNeverHoldTheLeaseTogether() throws Exception {
        int rounds = 10;
        int contenders = 20;
        ExecutorService pool = Executors.newFixedThreadPool(contenders);
        try {
            for (int round = 0; round < rounds; round++) {
                String key = object("contention");
                CountDownLatch start = new CountDownLatch(1);
                AtomicInteger winners = new AtomicInteger();
                AtomicInteger held = new AtomicInteger();
                List<Future<?>> futures = new ArrayList<>();
                for (int c = 0; c < contenders; c++) {
                    futures.add(pool.submit(() -> {
                        start.await();
                        try {
                            leases.acquire(key, SHORT, id());
                            winners.incrementAndGet();
                        } catch (LeaseHeldException expected) {
                            held.incrementAndGet();
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> f : futures) {
                    f.get(60, TimeUnit.SECONDS);
                }
                assertEquals(1, winners.get(), "round " + round + ": exactly one holder");
                assertEquals(contenders - 1, held.get(), "round " + round + ": everyone else refused with lease held");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anExpiredLeaseCanBeTakenAndTheOldHolderCannotRenewIt() throws Exception {
        String key = object("expiry");
        String a = id();
        leases.acquire(key, SHORT, a);
        awaitState(key, LeaseState.EXPIRED, Duration.ofSeconds(30));
        String b = id();
        leases.acquire(key, SHORT, b);
        ObjectStoreException late = assertThrows(ObjectStoreException.class, () -> leases.renew(key, a));
        assertTrue(late instanceof LeaseMismatchException || late instanceof LeaseLostException, late.toString());
        assertThrows(LeaseMismatchException.class, () -> store.put(key, new byte[] {1}, PutOptions.builder().leaseId(a).build()));
    }

    private static void awaitState(String key, LeaseState wanted, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        LeaseState state = leases.status(key).state();
        while (state != wanted && System.nanoTime() < deadline) {
            Thread.sleep(250);
            state = leases.status(key).state();
        }
        assertEquals(wanted, state);
    }
}
