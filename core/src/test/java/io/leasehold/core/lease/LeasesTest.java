package io.leasehold.core.lease;

import io.leasehold.spi.LeaseGrant;
import io.leasehold.spi.GetResponse;
import io.leasehold.spi.PutResponse;
import io.leasehold.core.internal.lease.Keepers;
import io.leasehold.core.Capabilities;
import io.leasehold.core.Capability;
import io.leasehold.core.DeleteOptions;
import io.leasehold.core.ErrorCode;
import io.leasehold.core.GetOptions;
import io.leasehold.core.GetResult;
import io.leasehold.core.InvalidArgumentException;
import io.leasehold.core.LeaseHeldException;
import io.leasehold.core.LeaseLostException;
import io.leasehold.core.LeaseMismatchException;
import io.leasehold.core.NotSupportedException;
import io.leasehold.core.ObjectNotFoundException;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.ObjectStoreException;
import io.leasehold.core.OutcomeUnknownException;
import io.leasehold.core.PutOptions;
import io.leasehold.core.PutResult;
import io.leasehold.core.TransientException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.resilience4j.retry.RetryConfig;
import io.leasehold.driver.memory.MemoryDriver;
import io.leasehold.spi.LeaseDriver;
import io.leasehold.spi.StoreDriver;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The lease facade: validation before sending, NotSupported, creation, waiting, ambiguity handling. */
class LeasesTest {

    @Test
    void storeWithoutLeasesSaysNotSupported() {
        FaultyDriver driver = new FaultyDriver(MemoryDriver.create(), false);
        ObjectStore store = ObjectStore.of(driver);
        assertThrows(NotSupportedException.class, store::leases);
        assertThrows(NotSupportedException.class,
                () -> store.put("k", new byte[0], PutOptions.builder().leaseId("abc").build()));
    }

    @Test
    void invalidInputIsRefusedBeforeAnythingIsSent() {
        FaultyDriver driver = new FaultyDriver(MemoryDriver.create(), true);
        Leases leases = ObjectStore.of(driver).leases();
        assertField("duration", () -> LeaseOptions.ofDuration(Duration.ofSeconds(14)));
        assertField("duration", () -> LeaseOptions.ofDuration(Duration.ofSeconds(61)));
        assertField("duration", () -> LeaseOptions.ofDuration(Duration.ofMillis(15_500)));
        assertField("duration", () -> LeaseOptions.builder().duration(null));
        assertField("proposedId", () -> LeaseOptions.builder().proposedId(""));
        assertField("proposedId", () -> LeaseOptions.builder().proposedId("has space"));
        assertField("proposedId", () -> LeaseOptions.builder().proposedId("x".repeat(129)));
        assertField("waitTimeout", () -> LeaseOptions.builder().waitUpTo(Duration.ofSeconds(-1)));
        assertField("safetyMargin", () -> LeaseOptions.builder().safetyMargin(Duration.ofMillis(500)));
        assertField("safetyMargin", () -> LeaseOptions.builder().duration(Duration.ofSeconds(15))
                .safetyMargin(Duration.ofSeconds(5)).build());
        assertField("key", () -> leases.acquire(""));
        assertField("key", () -> leases.acquire(null, LeaseOptions.defaults()));
        assertField("options", () -> leases.acquire("k", null));
        assertField("leaseId", () -> leases.renew("k", ""));
        assertField("leaseId", () -> leases.release("k", null));
        assertField("leaseId", () -> leases.change("k", "\u00e9", "b"));
        assertField("proposedId", () -> leases.change("k", "a", " "));
        assertField("breakPeriod", () -> leases.breakLease("k", Duration.ofSeconds(61)));
        assertField("breakPeriod", () -> leases.breakLease("k", Duration.ofSeconds(-1)));
        assertField("breakPeriod", () -> leases.breakLease("k", null));
        assertField("key", () -> leases.status("bad\u0001key"));
        assertField("listener", () -> leases.keep("k", LeaseOptions.defaults(), null));
        assertEquals(0, driver.leaseCalls.get(), "nothing reached the driver");
    }

    @Test
    void defaultsAreThirtySecondsRandomIdNoWait() {
        LeaseOptions d = LeaseOptions.defaults();
        assertEquals(Optional.of(Duration.ofSeconds(30)), d.duration());
        assertEquals(Duration.ZERO, d.waitTimeout());
        assertFalse(d.createIfAbsent());
        assertEquals(Duration.ofSeconds(6), d.safetyMargin());
        assertEquals(Duration.ofSeconds(3), LeaseOptions.ofDuration(Duration.ofSeconds(15)).safetyMargin());
        assertTrue(LeaseOptions.infinite().isInfinite());
        assertFalse(d.toString().contains("null"));
    }

    @Test
    void leasesInstanceIsShared() {
        ObjectStore store = ObjectStore.of(MemoryDriver.create());
        assertSame(store.leases(), store.leases());
    }

    @Test
    void acquireGeneratesAnIdAndStampsTheLocalSendTime() {
        ObjectStore store = ObjectStore.of(MemoryDriver.create());
        store.put("k", new byte[0]);
        long before = System.currentTimeMillis();
        Lease lease = store.leases().acquire("k", LeaseOptions.ofDuration(Duration.ofSeconds(15)));
        UUID.fromString(lease.id());
        assertTrue(lease.acquiredAt().toEpochMilli() >= before);
        assertEquals(Optional.of(Duration.ofSeconds(15)), lease.duration());
        assertTrue(lease.fencingToken().isPresent());
        assertFalse(lease.toString().contains(lease.id()), "lease ids are redacted");
    }

    @Test
    void createIfAbsentCreatesAnEmptyObjectButNeverOverwrites() {
        ObjectStore store = ObjectStore.of(MemoryDriver.create());
        assertThrows(ObjectNotFoundException.class, () -> store.leases().acquire("absent"));
        Lease lease = store.leases().acquire("absent", LeaseOptions.builder().createIfAbsent(true).build());
        assertEquals(0, store.get("absent").content().length);
        store.leases().release(lease);

        store.put("present", new byte[] {7});
        store.leases().acquire("present", LeaseOptions.builder().createIfAbsent(true).build());
        assertEquals(7, store.get("present").content()[0]);
    }

    @Test
    void waitingAcquireGivesUpWithLeaseHeld() {
        ObjectStore store = ObjectStore.of(MemoryDriver.create());
        store.put("k", new byte[0]);
        store.leases().acquire("k", LeaseOptions.infinite());
        assertThrows(LeaseHeldException.class, () -> store.leases().acquire("k",
                LeaseOptions.builder().waitUpTo(Duration.ofMillis(300)).build()));
    }

    @Test
    void waitingAcquireGetsTheLeaseOnceReleased() throws Exception {
        ObjectStore store = ObjectStore.of(MemoryDriver.create());
        store.put("k", new byte[0]);
        Lease holder = store.leases().acquire("k", LeaseOptions.infinite());
        AtomicReference<Object> result = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            try {
                result.set(store.leases().acquire("k", LeaseOptions.builder().waitUpTo(Duration.ofSeconds(30)).build()));
            } catch (RuntimeException e) {
                result.set(e);
            }
        });
        waiter.start();
        Thread.sleep(100);
        store.leases().release(holder);
        waiter.join(30_000);
        assertInstanceOf(Lease.class, result.get());
    }

    @Test
    void waitingAcquireHonoursInterruption() throws Exception {
        ObjectStore store = ObjectStore.of(MemoryDriver.create());
        store.put("k", new byte[0]);
        store.leases().acquire("k", LeaseOptions.infinite());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<Boolean> flag = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            try {
                store.leases().acquire("k", LeaseOptions.builder().waitUpTo(Duration.ofMinutes(5)).build());
            } catch (RuntimeException e) {
                failure.set(e);
                flag.set(Thread.currentThread().isInterrupted());
            }
        });
        waiter.start();
        Thread.sleep(100);
        waiter.interrupt();
        waiter.join(30_000);
        assertFalse(waiter.isAlive());
        assertInstanceOf(LeaseHeldException.class, failure.get());
        assertInstanceOf(InterruptedException.class, failure.get().getCause());
        assertTrue(flag.get(), "interrupt status restored");
    }

    @Test
    void releaseWhoseFirstResponseWasLostCountsAsDone() {
        FaultyDriver driver = new FaultyDriver(MemoryDriver.create(), true);
        ObjectStore store = ObjectStore.of(driver, RetryConfig.custom().maxAttempts(1).build());
        store.put("k", new byte[0]);
        Lease lease = store.leases().acquire("k");
        driver.loseNextReleaseResponse.set(true);
        store.leases().release(lease);
        assertEquals(LeaseState.AVAILABLE, store.leases().status("k").state());
        assertThrows(LeaseMismatchException.class, () -> store.leases().release(lease),
                "a plain second release is still refused");
    }

    @Test
    void renewWhoseFirstResponseWasLostIsSentAgain() {
        FaultyDriver driver = new FaultyDriver(MemoryDriver.create(), true);
        ObjectStore store = ObjectStore.of(driver, RetryConfig.custom().maxAttempts(1).build());
        store.put("k", new byte[0]);
        Lease lease = store.leases().acquire("k");
        driver.renewOutcomeUnknown.set(1);
        assertEquals(lease.id(), store.leases().renew(lease).id());
    }

    // ---------------------------------------------------------------- keeper

    @Test
    void keeperReportsTransientFailuresThenRecovers() throws Exception {
        FaultyDriver driver = new FaultyDriver(MemoryDriver.create(), true);
        ObjectStore store = ObjectStore.of(driver, RetryConfig.custom().maxAttempts(1).build());
        store.put("k", new byte[0]);
        Lease lease = store.leases().acquire("k", LeaseOptions.ofDuration(Duration.ofSeconds(15)));
        driver.renewTransient.set(2);
        Recorder recorder = new Recorder(1);
        // A 6 s view of the 15 s lease so the test renews every ~2 s; the store's lease stays 15 s.
        Lease shortView = new Lease("k", lease.id(), Duration.ofSeconds(6), lease.acquiredAt(), null);
        try (LeaseKeeper keeper = Keepers.start(store.leases(), shortView, System.nanoTime(), Duration.ofMillis(1900), recorder)) {
            assertTrue(recorder.renewed.await(30, TimeUnit.SECONDS));
            assertEquals(2, recorder.transientFailures.get());
            assertTrue(recorder.lastRemaining.get().compareTo(Duration.ZERO) > 0);
            assertEquals(1, recorder.lost.getCount(), "not lost");
            assertTrue(keeper.isHeld());
            assertTrue(keeper.renewals() >= 1);
        }
        assertEquals(LeaseState.AVAILABLE, store.leases().status("k").state(), "close released");
    }

    @Test
    void keeperDeclaresLossBeforeExpiryWhenRenewalsKeepFailing() throws Exception {
        FaultyDriver driver = new FaultyDriver(MemoryDriver.create(), true);
        ObjectStore store = ObjectStore.of(driver, RetryConfig.custom().maxAttempts(1).build());
        store.put("k", new byte[0]);
        Lease lease = store.leases().acquire("k", LeaseOptions.ofDuration(Duration.ofSeconds(15)));
        driver.renewTransient.set(Integer.MAX_VALUE);
        Recorder recorder = new Recorder(0);
        Lease shortView = new Lease("k", lease.id(), Duration.ofSeconds(6), lease.acquiredAt(), null);
        try (LeaseKeeper keeper = Keepers.start(store.leases(), shortView, System.nanoTime(), Duration.ofMillis(1900), recorder)) {
            assertTrue(recorder.lost.await(30, TimeUnit.SECONDS));
            assertTrue(recorder.lostAt.get() < shortView.expiresBy().orElseThrow().toEpochMilli(),
                    "loss reported before the lease could expire by the local clock");
            assertFalse(keeper.isHeld());
            ObjectStoreException cause = keeper.lossCause().orElseThrow();
            assertInstanceOf(LeaseLostException.class, cause);
            assertInstanceOf(TransientException.class, cause.getCause());
            assertTrue(recorder.transientFailures.get() >= 1);
        }
    }

    @Test
    void keeperReportsABrokenLeaseAsLost() throws Exception {
        ObjectStore store = ObjectStore.of(MemoryDriver.create());
        store.put("k", new byte[0]);
        Recorder recorder = new Recorder(0);
        Lease lease = store.leases().acquire("k", LeaseOptions.ofDuration(Duration.ofSeconds(15)));
        Lease shortView = new Lease("k", lease.id(), Duration.ofSeconds(6), lease.acquiredAt(), null);
        try (LeaseKeeper keeper = Keepers.start(store.leases(), shortView, System.nanoTime(), Duration.ofMillis(1900), recorder)) {
            store.leases().breakLease("k", Duration.ZERO);
            assertTrue(recorder.lost.await(30, TimeUnit.SECONDS));
            assertInstanceOf(LeaseLostException.class, keeper.lossCause().orElseThrow());
            assertEquals(0, recorder.transientFailures.get());
            assertFalse(keeper.isHeld());
        }
        assertEquals(0, recorder.releaseFailures.get(), "closing after a reported loss is quiet");
    }

    @Test
    void keeperCloseIsIdempotentAndReportsAnUnnoticedLoss() {
        ObjectStore store = ObjectStore.of(MemoryDriver.create());
        store.put("k", new byte[0]);
        Recorder recorder = new Recorder(0);
        LeaseKeeper keeper = store.leases().keep("k", LeaseOptions.ofDuration(Duration.ofSeconds(60)), recorder);
        store.leases().breakLease("k", Duration.ZERO);
        store.leases().acquire("k");
        keeper.close();
        keeper.close();
        assertEquals(1, recorder.releaseFailures.get());
        assertFalse(keeper.isHeld());
    }

    @Test
    void listenerExceptionsDoNotStopTheKeeper() throws Exception {
        ObjectStore store = ObjectStore.of(MemoryDriver.create());
        store.put("k", new byte[0]);
        CountDownLatch twice = new CountDownLatch(2);
        Lease lease = store.leases().acquire("k", LeaseOptions.ofDuration(Duration.ofSeconds(15)));
        Lease shortView = new Lease("k", lease.id(), Duration.ofSeconds(3), lease.acquiredAt(), null);
        try (LeaseKeeper keeper = Keepers.start(store.leases(), shortView, System.nanoTime(), Duration.ofMillis(900), new LeaseListener() {
                    @Override
                    public void onRenewed(Lease l) {
                        twice.countDown();
                        throw new IllegalStateException("listener bug");
                    }
                })) {
            assertTrue(twice.await(30, TimeUnit.SECONDS));
            assertTrue(keeper.isHeld());
        }
    }

    // ---------------------------------------------------------------- helpers

    private static void assertField(String field, Runnable call) {
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class, call::run);
        assertEquals(field, e.field());
    }

    /** Records listener events. */
    static final class Recorder implements LeaseListener {
        final CountDownLatch renewed;
        final CountDownLatch lost = new CountDownLatch(1);
        final AtomicInteger transientFailures = new AtomicInteger();
        final AtomicInteger releaseFailures = new AtomicInteger();
        final AtomicReference<Duration> lastRemaining = new AtomicReference<>();
        final AtomicReference<Long> lostAt = new AtomicReference<>();

        Recorder(int renewals) {
            this.renewed = new CountDownLatch(renewals);
        }

        @Override
        public void onRenewed(Lease lease) {
            renewed.countDown();
        }

        @Override
        public void onRenewalFailed(Lease lease, ObjectStoreException cause, Duration remainingSafeTime) {
            transientFailures.incrementAndGet();
            lastRemaining.set(remainingSafeTime);
        }

        @Override
        public void onLost(Lease lease, ObjectStoreException cause) {
            lostAt.set(System.currentTimeMillis());
            lost.countDown();
        }

        @Override
        public void onReleaseFailed(Lease lease, ObjectStoreException cause) {
            releaseFailures.incrementAndGet();
        }
    }

    /** A memory driver whose lease operations can fail on demand, counting the calls that reach it. */
    static final class FaultyDriver implements StoreDriver {
        final MemoryDriver target;
        final boolean withLeases;
        final AtomicInteger leaseCalls = new AtomicInteger();
        final AtomicInteger renewTransient = new AtomicInteger();
        final AtomicInteger renewOutcomeUnknown = new AtomicInteger();
        final AtomicReference<Boolean> loseNextReleaseResponse = new AtomicReference<>(false);

        FaultyDriver(MemoryDriver target, boolean withLeases) {
            this.target = target;
            this.withLeases = withLeases;
        }

        @Override
        public String name() {
            return "faulty-memory";
        }

        @Override
        public Capabilities capabilities() {
            return withLeases ? target.capabilities()
                    : target.capabilities().without(Capability.LEASES, Capability.NATIVE_LEASES, Capability.FENCING_TOKENS,
                            Capability.ENFORCED_LEASES);
        }

        @Override
        public PutResponse put(String key, byte[] content, PutOptions options) {
            return target.put(key, content, options);
        }

        @Override
        public GetResponse get(String key, GetOptions options, boolean withContent) {
            return target.get(key, options, withContent);
        }

        @Override
        public void delete(String key, DeleteOptions options) {
            target.delete(key, options);
        }

        @Override
        public Optional<LeaseDriver> leases() {
            if (!withLeases) {
                return Optional.empty();
            }
            LeaseDriver real = target.leases().orElseThrow();
            return Optional.of(new LeaseDriver() {
                @Override
                public LeaseGrant acquire(String key, Duration duration, String proposedId) {
                    leaseCalls.incrementAndGet();
                    return real.acquire(key, duration, proposedId);
                }

                @Override
                public LeaseGrant renew(String key, String leaseId) {
                    leaseCalls.incrementAndGet();
                    if (renewTransient.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
                        throw new TransientException(ErrorCode.THROTTLED, key, "injected throttling", null);
                    }
                    LeaseGrant renewed = real.renew(key, leaseId);
                    if (renewOutcomeUnknown.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
                        throw new OutcomeUnknownException(key, "injected lost response", null);
                    }
                    return renewed;
                }

                @Override
                public void release(String key, String leaseId) {
                    leaseCalls.incrementAndGet();
                    real.release(key, leaseId);
                    if (loseNextReleaseResponse.getAndSet(false)) {
                        throw new OutcomeUnknownException(key, "injected lost response", null);
                    }
                }

                @Override
                public Duration breakLease(String key, Duration breakPeriod) {
                    leaseCalls.incrementAndGet();
                    return real.breakLease(key, breakPeriod);
                }

                @Override
                public LeaseGrant change(String key, String leaseId, String proposedId) {
                    leaseCalls.incrementAndGet();
                    return real.change(key, leaseId, proposedId);
                }

                @Override
                public LeaseStatus status(String key) {
                    leaseCalls.incrementAndGet();
                    return real.status(key);
                }
            });
        }
    }
}
