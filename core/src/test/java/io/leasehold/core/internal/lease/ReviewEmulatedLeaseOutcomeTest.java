package io.leasehold.core.internal.lease;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leasehold.core.GetOptions;
import io.leasehold.core.LeaseException;
import io.leasehold.core.LeaseHeldException;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.OutcomeUnknownException;
import io.leasehold.core.PutOptions;
import io.leasehold.core.lease.Lease;
import io.leasehold.core.lease.LeaseOptions;
import io.leasehold.core.lease.LeaseState;
import io.leasehold.driver.memory.MemoryDriver;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Hostile review of emulated leases: release and renew whose outcome is unknown, and a holder that
 * pauses (its clock stands still) while another watches the record for a full duration and takes over.
 */
class ReviewEmulatedLeaseOutcomeTest {
    private static final Duration D15 = Duration.ofSeconds(15);
    private static final String KEY = "jobs/report";

    private final MemoryDriver shared = MemoryDriver.create();
    private final EmulatedStoreDriver a = new EmulatedStoreDriver(shared, new AtomicLong(7_000_000_000_000L), true);
    private final EmulatedStoreDriver b = new EmulatedStoreDriver(shared, new AtomicLong(-123_456_789_000L), true);
    private final ObjectStore storeA = ObjectStore.of(a);
    private final ObjectStore storeB = ObjectStore.of(b);

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static LeaseOptions options() {
        return LeaseOptions.builder().duration(D15).proposedId(UUID.randomUUID().toString()).build();
    }

    private static void advance(EmulatedStoreDriver process, long millis) {
        process.nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    @Test
    void aReleaseWhoseAnswerIsLostAndWhoseReadsAreThrottledIsUnknownNeverNotApplied() {
        storeA.put(KEY, bytes("v0"));
        Lease lease = storeA.leases().acquire(KEY, options());
        a.failRecordWrites(EmulatedStoreDriver.Fault.LANDS_RESPONSE_LOST_THEN_READS_THROTTLED);
        OutcomeUnknownException unknown = assertThrows(OutcomeUnknownException.class, () -> storeA.leases().release(lease));
        assertEquals(lease.id(), unknown.leaseId().orElse(lease.id()));
        a.throttleRecordReads(0);
        assertEquals(LeaseState.AVAILABLE, storeA.leases().status(KEY).state(), "it landed");
        try {
            storeA.leases().release(lease); // repeating it: done, or (Azure semantics) "not the current lease"
        } catch (io.leasehold.core.LeaseMismatchException released) {
            // the first release landed
        }
        assertEquals(LeaseState.AVAILABLE, storeA.leases().status(KEY).state());
        storeB.leases().acquire(KEY, options());
    }

    @Test
    void aLostReleaseAnswerIsSettledByItsNonce() {
        storeA.put(KEY, bytes("v0"));
        Lease lease = storeA.leases().acquire(KEY, options());
        a.failRecordWrites(EmulatedStoreDriver.Fault.LANDS_RESPONSE_LOST);
        storeA.leases().release(lease);
        assertEquals(LeaseState.AVAILABLE, storeB.leases().status(KEY).state());
    }

    @Test
    void aRenewalWhoseOutcomeIsUnknownLeavesTheLeaseUsableAndIsRepeatable() {
        storeA.put(KEY, bytes("v0"));
        Lease lease = storeA.leases().acquire(KEY, options());
        a.failRecordWrites(EmulatedStoreDriver.Fault.LANDS_RESPONSE_LOST_THEN_READS_THROTTLED);
        assertThrows(OutcomeUnknownException.class, () -> storeA.leases().renew(lease));
        a.throttleRecordReads(0);
        Lease renewed = storeA.leases().renew(lease);
        assertEquals(lease.fencingToken(), renewed.fencingToken(), "a renewal keeps the tenure's token");
        storeA.put(KEY, bytes("mine"), PutOptions.builder().leaseId(lease.id()).build());
        assertThrows(LeaseHeldException.class, () -> storeB.leases().acquire(KEY, options()));
    }

    @Test
    void aPausedHolderWhoseLeaseWasWatchedOutLosesEverythingAndCannotReleaseTheNewLease() {
        storeA.put(KEY, bytes("v0"));
        Lease old = storeA.leases().acquire(KEY, options());
        assertThrows(LeaseHeldException.class, () -> storeB.leases().acquire(KEY, options()));
        advance(b, 14_000);
        assertThrows(LeaseHeldException.class, () -> storeB.leases().acquire(KEY, options()),
                "not a full duration of B's own watching yet");
        advance(b, 1_500);
        Lease current = storeB.leases().acquire(KEY, options());
        assertTrue(current.fencingToken().getAsLong() > old.fencingToken().getAsLong());
        // A resumes: its clock says hardly any time passed.
        assertThrows(LeaseException.class, () -> storeA.put(KEY, bytes("stale"), PutOptions.builder().leaseId(old.id()).build()));
        assertThrows(LeaseException.class, () -> storeA.leases().renew(old));
        assertThrows(LeaseException.class, () -> storeA.leases().release(old));
        assertThrows(LeaseException.class, () -> storeA.get(KEY, GetOptions.builder().leaseId(old.id()).build()));
        assertEquals(LeaseState.LEASED, storeB.leases().status(KEY).state(), "B's lease survives A's attempts");
        storeB.put(KEY, bytes("B"), PutOptions.builder().leaseId(current.id()).build());
        assertArrayEquals(bytes("B"), storeB.get(KEY, GetOptions.builder().leaseId(current.id()).build()).content());
        storeB.leases().renew(current);
    }
}
