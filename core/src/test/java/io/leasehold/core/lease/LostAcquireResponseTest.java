package io.leasehold.core.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leasehold.core.ErrorCode;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.OutcomeUnknownException;
import io.leasehold.core.TransientException;
import io.leasehold.driver.file.FileDriver;
import io.leasehold.driver.memory.MemoryDriver;
import io.leasehold.spi.LeaseDriver;
import io.leasehold.spi.LeaseGrant;
import io.leasehold.spi.StoreDriver;
import io.leasehold.spi.kit.ForwardingStoreDriver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 16, item 1 on the native lease drivers: an acquire whose grant landed but whose answer was
 * lost, followed by sends that fail in a way that "did not apply", must end unknown and carry the
 * lease id chosen before sending, so the caller can release (or acquire again with it). Before the
 * fix it ended with an exception that carried no id, and an infinite lease stayed held under an id
 * the caller never saw.
 */
class LostAcquireResponseTest {
    @TempDir
    static Path dir;

    static Stream<Arguments> drivers() {
        return Stream.of(Arguments.of("memory", MemoryDriver.create()),
                Arguments.of("file", FileDriver.builder(dir.resolve("store")).fsync(false).build()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("drivers")
    void anInfiniteAcquireWhoseAnswerWasLostEndsUnknownWithItsIdAndCanBeReleased(String name, StoreDriver target) {
        LosingAcquires driver = new LosingAcquires(target);
        try (ObjectStore store = ObjectStore.of(driver)) {
            store.put("job", "v0".getBytes(StandardCharsets.UTF_8));
            driver.loseNextAcquire.set(1);
            driver.throttleAcquires.set(100);
            OutcomeUnknownException unknown = assertThrows(OutcomeUnknownException.class,
                    () -> store.leases().acquire("job", LeaseOptions.infinite()));
            assertEquals(ErrorCode.OUTCOME_UNKNOWN, unknown.code());
            String id = unknown.leaseId().orElseThrow(() -> new AssertionError("the exception must carry the lease id"));
            assertTrue(!unknown.getMessage().contains(id), "never in the message: " + unknown.getMessage());
            assertEquals(LeaseState.LEASED, store.leases().status("job").state(), "the grant did land");
            assertTrue(store.leases().status("job").isInfinite());

            driver.throttleAcquires.set(0);
            store.leases().release("job", id);
            assertEquals(LeaseState.AVAILABLE, store.leases().status("job").state());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("drivers")
    void aProposedIdIsCarriedToo(String name, StoreDriver target) {
        LosingAcquires driver = new LosingAcquires(target);
        try (ObjectStore store = ObjectStore.of(driver)) {
            store.put("job2", "v0".getBytes(StandardCharsets.UTF_8));
            driver.loseNextAcquire.set(1);
            driver.throttleAcquires.set(100);
            OutcomeUnknownException unknown = assertThrows(OutcomeUnknownException.class, () -> store.leases()
                    .acquire("job2", LeaseOptions.builder().proposedId("worker-7").duration(Duration.ofSeconds(15)).build()));
            assertEquals(Optional.of("worker-7"), unknown.leaseId());
            driver.throttleAcquires.set(0);
            Lease again = store.leases().acquire("job2", LeaseOptions.builder().proposedId("worker-7")
                    .duration(Duration.ofSeconds(15)).build());
            assertEquals("worker-7", again.id(), "acquiring again with the id is idempotent");
        }
    }

    /** Lease acquires that land and lose their answer, or are throttled before landing. */
    static final class LosingAcquires extends ForwardingStoreDriver {
        final AtomicInteger loseNextAcquire = new AtomicInteger();
        final AtomicInteger throttleAcquires = new AtomicInteger();

        LosingAcquires(StoreDriver target) {
            super(target);
        }

        @Override
        public Optional<LeaseDriver> leases() {
            LeaseDriver real = delegate().leases().orElseThrow();
            return Optional.of(new LeaseDriver() {
                @Override
                public LeaseGrant acquire(String key, Duration duration, String proposedId) {
                    if (loseNextAcquire.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                        real.acquire(key, duration, proposedId);
                        throw new OutcomeUnknownException(key, "injected: the answer was lost", null);
                    }
                    if (throttleAcquires.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                        throw new TransientException(ErrorCode.THROTTLED, key, "injected: SlowDown, not applied", null);
                    }
                    return real.acquire(key, duration, proposedId);
                }

                @Override
                public LeaseGrant renew(String key, String leaseId) {
                    return real.renew(key, leaseId);
                }

                @Override
                public void release(String key, String leaseId) {
                    real.release(key, leaseId);
                }

                @Override
                public Duration breakLease(String key, Duration breakPeriod) {
                    return real.breakLease(key, breakPeriod);
                }

                @Override
                public LeaseGrant change(String key, String leaseId, String proposedId) {
                    return real.change(key, leaseId, proposedId);
                }

                @Override
                public LeaseStatus status(String key) {
                    return real.status(key);
                }
            });
        }
    }
}
