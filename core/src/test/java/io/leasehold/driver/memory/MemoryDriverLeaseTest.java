package io.leasehold.driver.memory;

import io.leasehold.spi.LeaseGrant;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import io.leasehold.core.PutMode;
import io.leasehold.core.PutOptions;
import io.leasehold.spi.LeaseDriver;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Azure lease semantics of the memory driver, on a clock the test moves. */
class MemoryDriverLeaseTest {
    private static final Duration D15 = Duration.ofSeconds(15);
    private static final String KEY = "k";

    private final MutableClock clock = new MutableClock();
    private MemoryDriver driver;
    private LeaseDriver leases;

    @BeforeEach
    void setUp() {
        driver = MemoryDriver.create(clock);
        leases = driver.leases().orElseThrow();
        driver.put(KEY, bytes("v0"), PutOptions.defaults());
    }

    @Test
    void acquireOnMissingKeyIsNotFound() {
        assertThrows(ObjectNotFoundException.class, () -> leases.acquire("missing", D15, "a"));
        assertThrows(ObjectNotFoundException.class, () -> leases.status("missing"));
    }

    @Test
    void availableToLeasedToExpiredToReacquired() {
        assertEquals(LeaseState.AVAILABLE, leases.status(KEY).state());
        LeaseGrant a = leases.acquire(KEY, D15, "a");
        LeaseStatus s = leases.status(KEY);
        assertEquals(LeaseState.LEASED, s.state());
        assertEquals(D15, s.remaining().orElseThrow());
        assertThrows(LeaseHeldException.class, () -> leases.acquire(KEY, D15, "b"));
        clock.advance(D15);
        assertEquals(LeaseState.EXPIRED, leases.status(KEY).state());
        LeaseGrant b = leases.acquire(KEY, D15, "b");
        assertTrue(b.fencingToken().getAsLong() > a.fencingToken().getAsLong());
        assertThrows(LeaseMismatchException.class, () -> leases.renew(KEY, "a"));
    }

    @Test
    void sameIdAcquireRenewsWithTheNewDurationAndKeepsTheToken() {
        LeaseGrant a = leases.acquire(KEY, D15, "a");
        clock.advance(Duration.ofSeconds(10));
        LeaseGrant again = leases.acquire(KEY, Duration.ofSeconds(60), "a");
        assertEquals(a.fencingToken(), again.fencingToken());
        assertEquals(Duration.ofSeconds(60), leases.status(KEY).remaining().orElseThrow());
    }

    @Test
    void expiredLeaseIsRenewableByItsHolderUntilSomeoneWrites() {
        LeaseGrant a = leases.acquire(KEY, D15, "a");
        clock.advance(Duration.ofSeconds(20));
        LeaseGrant renewed = leases.renew(KEY, "a");
        assertEquals(a.fencingToken(), renewed.fencingToken());
        assertEquals(LeaseState.LEASED, leases.status(KEY).state());

        clock.advance(Duration.ofSeconds(20));
        assertThrows(LeaseLostException.class,
                () -> driver.put(KEY, bytes("x"), PutOptions.builder().leaseId("a").build()),
                "a write under an expired lease fails (LeaseNotPresentWithBlobOperation)");
        driver.put(KEY, bytes("v1"), PutOptions.defaults());
        assertEquals(LeaseState.AVAILABLE, leases.status(KEY).state(), "a write clears an expired lease");
        assertThrows(LeaseMismatchException.class, () -> leases.renew(KEY, "a"));
    }

    @Test
    void infiniteLeaseNeverExpiresAndBreaksAtOnceByDefault() {
        leases.acquire(KEY, null, "a");
        clock.advance(Duration.ofDays(1));
        LeaseStatus s = leases.status(KEY);
        assertEquals(LeaseState.LEASED, s.state());
        assertTrue(s.isInfinite());
        assertEquals(Duration.ZERO, leases.breakLease(KEY, null));
        assertEquals(LeaseState.BROKEN, leases.status(KEY).state());
    }

    @Test
    void infiniteLeaseBreaksAfterAGivenPeriod() {
        leases.acquire(KEY, null, "a");
        assertEquals(Duration.ofSeconds(7), leases.breakLease(KEY, Duration.ofSeconds(7)));
        assertEquals(LeaseState.BREAKING, leases.status(KEY).state());
        clock.advance(Duration.ofSeconds(7));
        assertEquals(LeaseState.BROKEN, leases.status(KEY).state());
    }

    @Test
    void breakWithoutPeriodLetsAFiniteLeaseRunOut() {
        leases.acquire(KEY, D15, "a");
        clock.advance(Duration.ofSeconds(5));
        assertEquals(Duration.ofSeconds(10), leases.breakLease(KEY, null));
        assertEquals(LeaseState.BREAKING, leases.status(KEY).state());
        assertEquals(Duration.ofSeconds(10), leases.status(KEY).remaining().orElseThrow());
    }

    @Test
    void breakPeriodIsCutToTheRemainingLeaseAndCanOnlyShrink() {
        leases.acquire(KEY, D15, "a");
        assertEquals(D15, leases.breakLease(KEY, Duration.ofSeconds(60)));
        assertEquals(Duration.ofSeconds(5), leases.breakLease(KEY, Duration.ofSeconds(5)));
        assertEquals(Duration.ofSeconds(5), leases.breakLease(KEY, Duration.ofSeconds(30)), "a break never lengthens");
        assertEquals(Duration.ofSeconds(5), leases.breakLease(KEY, null));
        assertEquals(Duration.ZERO, leases.breakLease(KEY, Duration.ZERO));
        assertEquals(LeaseState.BROKEN, leases.status(KEY).state());
        assertEquals(Duration.ZERO, leases.breakLease(KEY, Duration.ofSeconds(10)), "breaking a broken lease is a no-op");
    }

    @Test
    void breakingLeaseRefusesAcquireRenewChangeButAllowsWritesAndRelease() {
        leases.acquire(KEY, D15, "a");
        leases.breakLease(KEY, Duration.ofSeconds(10));
        assertThrows(LeaseHeldException.class, () -> leases.acquire(KEY, D15, "a"));
        assertThrows(LeaseHeldException.class, () -> leases.acquire(KEY, D15, "b"));
        assertThrows(LeaseLostException.class, () -> leases.renew(KEY, "a"));
        assertThrows(LeaseMismatchException.class, () -> leases.renew(KEY, "b"));
        assertThrows(LeaseLostException.class, () -> leases.change(KEY, "a", "c"));
        assertThrows(LeaseMismatchException.class, () -> leases.change(KEY, "b", "c"));
        assertThrows(LeaseHeldException.class, () -> driver.put(KEY, bytes("x"), PutOptions.defaults()));
        driver.put(KEY, bytes("under-breaking"), PutOptions.builder().leaseId("a").build());
        assertThrows(LeaseMismatchException.class, () -> leases.release(KEY, "b"));
        leases.release(KEY, "a");
        assertEquals(LeaseState.AVAILABLE, leases.status(KEY).state());
        leases.acquire(KEY, D15, "b");
    }

    @Test
    void brokenLeaseCannotBeRenewedOrUsedButCanBeReleasedOrTakenOver() {
        LeaseGrant a = leases.acquire(KEY, D15, "a");
        leases.breakLease(KEY, Duration.ZERO);
        assertThrows(LeaseLostException.class, () -> leases.renew(KEY, "a"));
        assertThrows(LeaseLostException.class, () -> leases.change(KEY, "a", "c"));
        assertThrows(LeaseLostException.class,
                () -> driver.put(KEY, bytes("x"), PutOptions.builder().leaseId("a").build()));
        LeaseGrant b = leases.acquire(KEY, D15, "b");
        assertTrue(b.fencingToken().getAsLong() > a.fencingToken().getAsLong());
        assertThrows(LeaseMismatchException.class, () -> leases.release(KEY, "a"));
    }

    @Test
    void availableLeaseRefusesRenewReleaseChangeAndBreak() {
        assertThrows(LeaseMismatchException.class, () -> leases.renew(KEY, "a"));
        assertThrows(LeaseMismatchException.class, () -> leases.release(KEY, "a"));
        assertThrows(LeaseLostException.class, () -> leases.change(KEY, "a", "b"));
        assertThrows(LeaseLostException.class, () -> leases.breakLease(KEY, Duration.ZERO));
    }

    @Test
    void changeSwapsTheIdAndIsIdempotent() {
        leases.acquire(KEY, D15, "a");
        clock.advance(Duration.ofSeconds(5));
        assertEquals("b", leases.change(KEY, "a", "b").id());
        assertEquals("b", leases.change(KEY, "a", "b").id(), "a repeated change finds its id in place");
        assertEquals(Duration.ofSeconds(10), leases.status(KEY).remaining().orElseThrow(), "change keeps the expiry");
        assertThrows(LeaseMismatchException.class, () -> leases.change(KEY, "x", "y"));
        assertThrows(LeaseMismatchException.class, () -> leases.renew(KEY, "a"));
        leases.renew(KEY, "b");
    }

    @Test
    void guardedWritesDeletesAndReads() {
        assertThrows(LeaseLostException.class,
                () -> driver.put(KEY, bytes("x"), PutOptions.builder().leaseId("a").build()));
        assertThrows(LeaseLostException.class,
                () -> driver.get(KEY, GetOptions.builder().leaseId("a").build(), true));
        assertThrows(LeaseLostException.class,
                () -> driver.put("absent", bytes("x"), PutOptions.builder().mode(PutMode.create()).leaseId("a").build()));
        leases.acquire(KEY, D15, "a");
        assertThrows(LeaseHeldException.class, () -> driver.put(KEY, bytes("x"), PutOptions.defaults()));
        assertThrows(LeaseMismatchException.class,
                () -> driver.put(KEY, bytes("x"), PutOptions.builder().leaseId("b").build()));
        assertThrows(LeaseHeldException.class, () -> driver.delete(KEY, DeleteOptions.defaults()));
        assertThrows(LeaseMismatchException.class, () -> driver.delete(KEY, DeleteOptions.builder().leaseId("b").build()));
        assertThrows(LeaseMismatchException.class,
                () -> driver.get(KEY, GetOptions.builder().leaseId("b").build(), true));
        assertArrayEquals(bytes("v0"), driver.get(KEY, GetOptions.defaults(), true).content(), "reads need no lease");
        assertArrayEquals(bytes("v0"), driver.get(KEY, GetOptions.builder().leaseId("a").build(), true).content());

        driver.put(KEY, bytes("v1"), PutOptions.builder().leaseId("a").build());
        assertEquals(LeaseState.LEASED, leases.status(KEY).state(), "a guarded write keeps the lease");
        driver.delete(KEY, DeleteOptions.builder().leaseId("a").build());
        driver.put(KEY, bytes("v2"), PutOptions.defaults());
        assertEquals(LeaseState.AVAILABLE, leases.status(KEY).state(), "deleting the object dropped its lease");
    }

    @Test
    void leaseOperationsDoNotChangeTheETag() {
        String etag = driver.get(KEY, GetOptions.defaults(), false).info().version().etag().toString();
        leases.acquire(KEY, D15, "a");
        leases.renew(KEY, "a");
        leases.change(KEY, "a", "b");
        leases.release(KEY, "b");
        assertEquals(etag, driver.get(KEY, GetOptions.defaults(), false).info().version().etag().toString());
    }

    @Test
    void fencingTokensIncreaseAcrossDeletionAndRecreation() {
        LeaseGrant a = leases.acquire(KEY, D15, "a");
        driver.delete(KEY, DeleteOptions.builder().leaseId("a").build());
        driver.put(KEY, bytes("again"), PutOptions.defaults());
        LeaseGrant b = leases.acquire(KEY, D15, "b");
        assertTrue(b.fencingToken().getAsLong() > a.fencingToken().getAsLong());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {
        private volatile Instant now = Instant.parse("2025-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
