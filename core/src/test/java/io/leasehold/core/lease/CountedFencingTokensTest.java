package io.leasehold.core.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leasehold.core.ObjectStore;
import io.leasehold.core.OutcomeUnknownException;
import io.leasehold.core.PutOptions;
import io.leasehold.driver.memory.MemoryDriver;
import io.leasehold.spi.LeaseDriver;
import io.leasehold.spi.LeaseGrant;
import io.leasehold.spi.PutResponse;
import io.leasehold.spi.StoreDriver;
import io.leasehold.spi.kit.ForwardingStoreDriver;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The library's fencing counter for native lease drivers that issue no tokens (Azure), on a memory
 * store whose driver hides its own tokens: every new tenure gets a larger token, also under the same
 * id (issue 16, item 4); a renewal-by-acquire within the tenure keeps it; counter writes go through
 * the write engine, so a lost answer is settled by its write id instead of being sent again.
 */
class CountedFencingTokensTest {
    private static final Duration D15 = Duration.ofSeconds(15);

    private final TokenlessDriver driver = new TokenlessDriver(MemoryDriver.create());
    private final ObjectStore store = ObjectStore.of(driver);

    private static LeaseOptions as(String id) {
        return LeaseOptions.builder().duration(D15).proposedId(id).build();
    }

    private String object() {
        String key = "jobs/" + UUID.randomUUID();
        store.put(key, "v0".getBytes(StandardCharsets.UTF_8));
        return key;
    }

    @Test
    void everyNewTenureGetsALargerTokenAlsoUnderTheSameId() {
        String key = object();
        Lease first = store.leases().acquire(key, as("worker-1"));
        store.leases().release(first);
        Lease second = store.leases().acquire(key, as("worker-1"));
        store.leases().breakLease(key, Duration.ZERO);
        Lease third = store.leases().acquire(key, as("worker-1"));
        assertEquals(1L, first.fencingToken().getAsLong());
        assertEquals(2L, second.fencingToken().getAsLong());
        assertEquals(3L, third.fencingToken().getAsLong());
        Lease fourth = ObjectStore.of(driver).leases().acquire(key, as("worker-1"));
        assertEquals(4L, fourth.fencingToken().getAsLong(), "another store instance cannot prove continuity: new token");
    }

    @Test
    void aRenewalAndAnAcquireThatRenewsKeepTheToken() {
        String key = object();
        Lease lease = store.leases().acquire(key, as("worker-2"));
        assertEquals(lease.fencingToken(), store.leases().renew(lease).fencingToken());
        assertEquals(lease.fencingToken(), store.leases().acquire(key, as("worker-2")).fencingToken());
        Lease changed = store.leases().change(lease, "worker-2b");
        assertEquals(lease.fencingToken(), changed.fencingToken());
        assertEquals(lease.fencingToken(), ObjectStore.of(driver).leases().renew(changed).fencingToken(),
                "another instance reads the token from the counter");
    }

    @Test
    void aCounterWriteWhoseAnswerWasLostIsSettledNotSentAgain() {
        String key = object();
        driver.loseCounterAnswers.set(1);
        Lease lease = store.leases().acquire(key, as("worker-3"));
        assertEquals(1L, lease.fencingToken().getAsLong());
        assertEquals(1, driver.counterWrites.get(), "found by its write id");
        store.put(key, "mine".getBytes(StandardCharsets.UTF_8), PutOptions.builder().leaseId(lease.id()).build());
    }

    @Test
    void anUnknownCounterOutcomeReleasesTheLeaseBeforeReporting() {
        String key = object();
        driver.loseCounterAnswers.set(1);
        driver.counterWritesLand = false;
        driver.breakReadsAfterLoss = true;
        io.leasehold.core.TransientException e = org.junit.jupiter.api.Assertions.assertThrows(
                io.leasehold.core.TransientException.class,
                () -> store.leases().acquire(key, LeaseOptions.builder().duration(D15).build()));
        assertTrue(e.getMessage().contains("released"), e.getMessage());
        driver.breakReadsAfterLoss = false;
        assertEquals(LeaseState.AVAILABLE, store.leases().status(key).state(), "released before reporting");
        assertTrue(store.leases().acquire(key, as("worker-4")).fencingToken().getAsLong() >= 1, "and can be acquired again");
    }

    /** A memory store that hides its own tokens and leaves them to the library, as Azure's driver does. */
    static final class TokenlessDriver extends ForwardingStoreDriver {
        final AtomicInteger loseCounterAnswers = new AtomicInteger();
        final AtomicInteger counterWrites = new AtomicInteger();
        volatile boolean counterWritesLand = true;
        volatile boolean breakReadsAfterLoss;
        private volatile boolean lost;

        TokenlessDriver(StoreDriver target) {
            super(target);
        }

        private static boolean counter(String key) {
            return key.startsWith(".leasehold/fence/");
        }

        @Override
        public PutResponse put(String key, byte[] content, PutOptions options) {
            if (!counter(key)) {
                return super.put(key, content, options);
            }
            counterWrites.incrementAndGet();
            boolean lose = loseCounterAnswers.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
            if (lose && !counterWritesLand) {
                lost = true;
                throw new OutcomeUnknownException(key, "injected: timed out", null);
            }
            PutResponse r = super.put(key, content, options);
            if (lose) {
                lost = true;
                throw new OutcomeUnknownException(key, "injected: the answer was lost", null);
            }
            return r;
        }

        @Override
        public io.leasehold.spi.GetResponse get(String key, io.leasehold.core.GetOptions options, boolean withContent) {
            if (counter(key) && lost && breakReadsAfterLoss) {
                throw new io.leasehold.core.TransientException(io.leasehold.core.ErrorCode.TRANSIENT, key,
                        "injected: unreachable", null);
            }
            return super.get(key, options, withContent);
        }

        @Override
        public Optional<LeaseDriver> leases() {
            LeaseDriver real = delegate().leases().orElseThrow();
            return Optional.of(new LeaseDriver() {
                @Override
                public LeaseGrant acquire(String key, Duration duration, String proposedId) {
                    LeaseGrant g = real.acquire(key, duration, proposedId);
                    return LeaseGrant.of(g.id(), g.duration().orElse(null), null);
                }

                @Override
                public LeaseGrant renew(String key, String leaseId) {
                    LeaseGrant g = real.renew(key, leaseId);
                    return LeaseGrant.of(g.id(), g.duration().orElse(null), null);
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
                    LeaseGrant g = real.change(key, leaseId, proposedId);
                    return LeaseGrant.of(g.id(), g.duration().orElse(null), null);
                }

                @Override
                public LeaseStatus status(String key) {
                    return real.status(key);
                }

                @Override
                public boolean issuesFencingTokens() {
                    return false;
                }
            });
        }
    }
}
