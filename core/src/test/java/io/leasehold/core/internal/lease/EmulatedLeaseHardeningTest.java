package io.leasehold.core.internal.lease;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leasehold.core.DeleteOptions;
import io.leasehold.core.ErrorCode;
import io.leasehold.core.GetOptions;
import io.leasehold.core.GetResult;
import io.leasehold.core.LeaseException;
import io.leasehold.core.LeaseLostException;
import io.leasehold.core.LeaseMismatchException;
import io.leasehold.core.ObjectNotFoundException;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.PutMode;
import io.leasehold.core.PutOptions;
import io.leasehold.core.StaleWriteException;
import io.leasehold.core.UpdateOptions;
import io.leasehold.core.internal.lease.EmulatedStoreDriver.Fault;
import io.leasehold.core.lease.Lease;
import io.leasehold.core.lease.LeaseOptions;
import io.leasehold.driver.memory.MemoryDriver;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Issue 16 on the emulated lease protocol (S3, Tigris, RGW), with "processes" as separate drivers
 * on a shared linearizable store and clocks the test moves: record loss (item 3), the holder's own
 * timing (7), renewal after expiry and after deletion (8, 9), stale holders (2). Each test failed
 * before its fix.
 */
class EmulatedLeaseHardeningTest {
    private static final Duration D15 = Duration.ofSeconds(15);
    private static final String KEY = "jobs/report";
    private static final String RECORD = EmulatedLeases.RECORD_PREFIX + KEY;

    private final MemoryDriver shared = MemoryDriver.create();
    private final EmulatedStoreDriver a = new EmulatedStoreDriver(shared, new AtomicLong(7_000_000_000_000L), true);
    private final EmulatedStoreDriver b = new EmulatedStoreDriver(shared, new AtomicLong(-123_456_789_000L), true);
    private final EmulatedStoreDriver c = new EmulatedStoreDriver(shared, new AtomicLong(42L), true);
    private final ObjectStore storeA = ObjectStore.of(a);
    private final ObjectStore storeB = ObjectStore.of(b);
    private final ObjectStore storeC = ObjectStore.of(c);

    private static LeaseOptions options() {
        return LeaseOptions.builder().duration(D15).proposedId(UUID.randomUUID().toString()).build();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static PutOptions under(Lease lease) {
        return PutOptions.builder().leaseId(lease.id()).build();
    }

    private static GetOptions readUnder(Lease lease) {
        return GetOptions.builder().leaseId(lease.id()).build();
    }

    private static void advance(EmulatedStoreDriver process, long millis) {
        process.nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    /** B takes the lease over from A at once (a break), as after watching it for a full duration. */
    private Lease takeOver(ObjectStore by) {
        by.leases().breakLease(KEY, Duration.ZERO);
        return by.leases().acquire(KEY, options());
    }

    // ---------------------------------------------------------------- item 3: the record deleted out of band

    @Test
    void afterTheRecordIsDeletedTheNextTokenIsLargerThanEveryEarlierOneAndItsGuardedPutLands() {
        storeA.put(KEY, bytes("v0"));
        Lease first = storeA.leases().acquire(KEY, options());
        storeA.put(KEY, bytes("v1"), under(first));
        storeA.leases().release(first);
        Lease second = storeB.leases().acquire(KEY, options());
        storeB.put(KEY, bytes("v2"), under(second));
        storeB.leases().release(second);
        assertEquals(2L, second.fencingToken().getAsLong());

        shared.delete(RECORD, DeleteOptions.defaults()); // a lifecycle rule, a cleanup script
        Lease third = storeC.leases().acquire(KEY, options());
        assertTrue(third.fencingToken().getAsLong() > 2, "token " + third.fencingToken());
        storeC.put(KEY, bytes("v3"), under(third));
        assertArrayEquals(bytes("v3"), storeC.get(KEY).content(), "the key is not wedged");
    }

    @Test
    void whenTheRecordAndEveryTraceOfTheLastTenureAreGoneItsStaleWriteIsStillDetected() {
        // The exact limit: the last holder never wrote, so only the record knew token 2. The next
        // token may repeat it, but writes are tagged with their tenure too.
        storeA.put(KEY, bytes("v0"));
        Lease first = storeA.leases().acquire(KEY, options());
        storeA.put(KEY, bytes("v1"), under(first));
        storeA.leases().release(first);
        Lease second = storeB.leases().acquire(KEY, options());
        PutOptions prepared = guardPut(b, second); // B passes its check, then pauses
        shared.delete(RECORD, DeleteOptions.defaults());
        Lease third = storeC.leases().acquire(KEY, options());
        assertTrue(third.fencingToken().getAsLong() >= second.fencingToken().getAsLong());
        b.put(KEY, bytes("stale"), prepared); // B resumes: its If-Match still holds
        assertThrows(StaleWriteException.class, () -> storeC.get(KEY, readUnder(third)));
    }

    // ---------------------------------------------------------------- item 7: the holder's status

    @Test
    void theHoldersStatusCountsFromBeforeItsRequestWasSent() {
        storeA.put(KEY, bytes("v0"));
        a.lateRecordAnswers(5_000);
        storeA.leases().acquire(KEY, options());
        a.lateRecordAnswers(0);
        Duration remaining = storeA.leases().status(KEY).remaining().orElseThrow();
        assertTrue(remaining.compareTo(Duration.ofSeconds(10)) <= 0,
                "the answer came 5 s after sending; at most 10 s may remain, not " + remaining);
    }

    // ---------------------------------------------------------------- items 8, 9: renewals

    @Test
    void aRenewalAfterExpiryIsRefusedWhenAnotherWriterChangedTheObjectMeanwhile() {
        storeA.put(KEY, bytes("v0"));
        Lease lease = storeA.leases().acquire(KEY, options());
        advance(a, 16_000);
        storeB.put(KEY, bytes("someone else")); // lands: the lease is advisory for writes without it
        assertThrows(LeaseMismatchException.class, () -> storeA.leases().renew(lease));
    }

    @Test
    void aRenewalAfterExpiryWithTheObjectUntouchedSucceeds() {
        storeA.put(KEY, bytes("v0"));
        Lease lease = storeA.leases().acquire(KEY, options());
        storeA.put(KEY, bytes("mine"), under(lease));
        advance(a, 16_000);
        assertEquals(lease.fencingToken(), storeA.leases().renew(lease).fencingToken());
    }

    @Test
    void aRenewalOfALeaseWhoseObjectWasDeletedFailsAsOnNativeLeases() {
        storeA.put(KEY, bytes("v0"));
        Lease lease = storeA.leases().acquire(KEY, options());
        storeB.delete(KEY);
        assertThrows(ObjectNotFoundException.class, () -> storeA.leases().renew(lease));
    }

    // ---------------------------------------------------------------- item 2: stale holders

    private PutOptions guardPut(EmulatedStoreDriver process, Lease lease) {
        return ((EmulatedLeases) ((LeaseService) (process == a ? storeA : process == b ? storeB : storeC).leases()).leaseDriver())
                .guardPut(KEY, under(lease));
    }

    @Test
    void theNewHoldersGuardedOperationsRefuseWhatAStaleHolderWrote() {
        storeA.put(KEY, bytes("v0"));
        Lease stale = storeA.leases().acquire(KEY, options());
        PutOptions prepared = guardPut(a, stale); // A's guard passed; A pauses past its lease
        Lease current = takeOver(storeB);
        a.put(KEY, bytes("from the stale holder"), prepared); // the If-Match still holds: S3 applies it

        StaleWriteException get = assertThrows(StaleWriteException.class, () -> storeB.get(KEY, readUnder(current)));
        assertEquals(ErrorCode.STALE_WRITE, get.code());
        assertThrows(StaleWriteException.class, () -> storeB.update(KEY, x -> bytes("built on it"),
                UpdateOptions.builder().leaseId(current.id()).build()));
        assertThrows(StaleWriteException.class, () -> storeB.put(KEY, bytes("over it"), under(current)));
        assertThrows(StaleWriteException.class, () -> storeB.delete(KEY, DeleteOptions.builder().leaseId(current.id()).build()));
        assertThrows(StaleWriteException.class, () -> storeB.leases().renew(current));
        assertArrayEquals(bytes("from the stale holder"), shared.get(KEY, GetOptions.defaults(), true).content(),
                "nothing was written over it");
    }

    @Test
    void theHolderAcknowledgesAStaleVersionByWritingOnTheVersionItRead() {
        storeA.put(KEY, bytes("v0"));
        Lease stale = storeA.leases().acquire(KEY, options());
        PutOptions prepared = guardPut(a, stale);
        Lease current = takeOver(storeB);
        a.put(KEY, bytes("stale"), prepared);
        GetResult seen = storeB.get(KEY); // without the lease: the caller looks at it knowingly
        storeB.put(KEY, bytes("repaired"), PutOptions.builder().mode(PutMode.update(seen.info().version()))
                .leaseId(current.id()).build());
        assertArrayEquals(bytes("repaired"), storeB.get(KEY, readUnder(current)).content());
        storeB.leases().renew(current);
    }

    @Test
    void aStaleWriteLandingBetweenTwoTenuresIsRefusedToTheNextHolder() {
        storeA.put(KEY, bytes("v0"));
        Lease stale = storeA.leases().acquire(KEY, options());
        PutOptions prepared = guardPut(a, stale);
        Lease between = takeOver(storeB);
        storeB.leases().release(between); // B never wrote
        a.put(KEY, bytes("stale"), prepared);
        Lease next = storeC.leases().acquire(KEY, options());
        assertThrows(StaleWriteException.class, () -> storeC.get(KEY, readUnder(next)));
        storeC.leases().renew(next); // the stale write predates this tenure: its lease is intact
    }

    @Test
    void aStaleHoldersDeleteEndsTheNewLeaseVisibly() {
        storeA.put(KEY, bytes("v0"));
        Lease stale = storeA.leases().acquire(KEY, options());
        DeleteOptions prepared = ((EmulatedLeases) ((LeaseService) storeA.leases()).leaseDriver())
                .guardDelete(KEY, DeleteOptions.builder().leaseId(stale.id()).build());
        Lease current = takeOver(storeB);
        a.delete(KEY, prepared);
        assertThrows(ObjectNotFoundException.class, () -> storeB.leases().renew(current));
        LeaseLostException put = assertThrows(LeaseLostException.class, () -> storeB.put(KEY, bytes("x"), under(current)));
        assertTrue(put.getMessage().contains("deleted"), put.getMessage());
    }

    @Test
    void aPutReSentAfterANotAppliedAnswerRunsTheGuardAgain() {
        storeA.put(KEY, bytes("v0"));
        Lease held = storeA.leases().acquire(KEY, options());
        AtomicReference<Lease> taken = new AtomicReference<>();
        a.onDataFault(() -> taken.set(takeOver(storeB)));
        a.failDataWrites(Fault.TRANSIENT_BEFORE_LANDING);
        assertThrows(LeaseException.class, () -> storeA.put(KEY, bytes("late"), under(held)));
        assertTrue(taken.get() != null);
        assertArrayEquals(bytes("v0"), storeB.get(KEY, readUnder(taken.get())).content());
    }
}
