package io.leasehold.core.internal.lease;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leasehold.core.LeaseMismatchException;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.lease.Lease;
import io.leasehold.core.lease.LeaseKeeper;
import io.leasehold.core.lease.LeaseListener;
import io.leasehold.core.lease.LeaseOptions;
import io.leasehold.driver.memory.MemoryDriver;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 16, item 5: {@code Leases.keep(Lease, ...)} timed the lease by the wall clock, so a 60 s NTP
 * step back made the keeper grant a fresh 12 s while another process held the lease. Keepers now
 * count from the monotonic stamp the lease carries; wall-clock values are for display.
 */
class MonotonicLeaseTimingTest {
    private static final Duration D15 = Duration.ofSeconds(15);
    private final ObjectStore store = ObjectStore.of(MemoryDriver.create());
    private final LeaseService leases = (LeaseService) store.leases();
    private LeaseKeeper keeper;

    @AfterEach
    void close() {
        if (keeper != null) {
            keeper.close();
        }
        store.close();
    }

    private String object(String key) {
        store.put(key, "v0".getBytes(StandardCharsets.UTF_8));
        return key;
    }

    @Test
    void aWallClockStepForwardDoesNotEndAFreshLease() {
        Lease lease = leases.acquire(object("a"), LeaseOptions.ofDuration(D15));
        leases.wallClock(Clock.offset(Clock.systemUTC(), Duration.ofSeconds(60)));
        keeper = leases.keep(lease, LeaseListener.NONE);
        assertTrue(keeper.isHeld(), "acquired a moment ago by the monotonic clock");
    }

    @Test
    void aWallClockStepBackDoesNotRejuvenateAnOldLease() {
        Lease fresh = leases.acquire(object("b"), LeaseOptions.ofDuration(D15));
        // As if it had been won 14 s ago (past its safe time: 15 s less the 3 s margin).
        Lease old = LeaseTimes.stamped(fresh.key(), fresh.id(), D15, fresh.acquiredAt().minusSeconds(14),
                fresh.fencingToken().orElseThrow(), System.nanoTime() - TimeUnit.SECONDS.toNanos(14));
        leases.wallClock(Clock.offset(Clock.systemUTC(), Duration.ofSeconds(-60)));
        keeper = leases.keep(old, LeaseListener.NONE);
        // The keeper renews at once (its safe time is over) and a renewal that succeeds makes it held
        // again, rightly; what must never happen is "held" on the old stamp. Read isHeld first: a
        // renewal replaces the lease before it extends the safe time.
        boolean held = keeper.isHeld();
        assertFalse(held && keeper.lease().acquiredAt().equals(old.acquiredAt()),
                "14 s old by the monotonic clock, whatever the wall clock says");
    }

    @Test
    void aLeaseBuiltByTheCallerIsNotHeldUntilItsKeeperRenewedIt() throws InterruptedException {
        Lease held = leases.acquire(object("c"), LeaseOptions.ofDuration(D15));
        Lease rebuilt = new Lease(held.key(), held.id(), D15, held.acquiredAt().plusSeconds(3600), held.fencingToken().orElseThrow());
        CountDownLatch renewed = new CountDownLatch(1);
        keeper = leases.keep(rebuilt, new LeaseListener() {
            @Override
            public void onRenewed(Lease lease) {
                renewed.countDown();
            }
        });
        assertTrue(renewed.await(10, TimeUnit.SECONDS), "renewed at once: its age is unknown");
        assertTrue(keeper.isHeld());
        assertNotEquals(rebuilt.acquiredAt(), keeper.lease().acquiredAt(), "counted from the renewal it sent");

        Lease gone = new Lease(held.key(), "someone-else", D15, held.acquiredAt(), null);
        CountDownLatch lost = new CountDownLatch(1);
        try (LeaseKeeper other = leases.keep(gone, new LeaseListener() {
            @Override
            public void onLost(Lease lease, io.leasehold.core.ObjectStoreException cause) {
                lost.countDown();
            }
        })) {
            assertFalse(other.isHeld(), "never certainly held before a renewal");
            assertTrue(lost.await(10, TimeUnit.SECONDS));
            assertTrue(other.lossCause().orElseThrow() instanceof LeaseMismatchException);
        }
    }
}
