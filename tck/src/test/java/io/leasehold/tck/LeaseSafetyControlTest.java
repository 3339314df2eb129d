package io.leasehold.tck;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leasehold.core.ObjectStore;
import io.leasehold.core.lease.LeaseStatus;
import io.leasehold.driver.memory.MemoryDriver;
import io.leasehold.spi.LeaseDriver;
import io.leasehold.spi.LeaseGrant;
import io.leasehold.spi.kit.ForwardingStoreDriver;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The control of the lease safety runs: the same workload on a lease driver that grants every
 * acquire (no exclusion) with a token that does not grow must fail the check, so a passing run means
 * something.
 */
class LeaseSafetyControlTest {
    @Test
    void aLeaseDriverWithoutExclusionFailsTheCheck() {
        MemoryDriver shared = MemoryDriver.create();
        AssertionError failed = assertThrows(AssertionError.class, () -> LeaseSafetyRuns.inThreads("broken",
                () -> ObjectStore.of(new Careless(shared)), "jobs/leader", 3, 5, 2, Duration.ofSeconds(5)));
        assertTrue(failed.getMessage().contains("VIOLATES"), failed.getMessage());
        assertTrue(failed.getMessage().contains("OVERLAPPING_HOLDERS") || failed.getMessage().contains("TOKEN_NOT_INCREASING"),
                failed.getMessage());
    }

    /** Grants every acquire and renewal, token always 1; guarded writes carry no real lease. */
    static final class Careless extends ForwardingStoreDriver {
        Careless(MemoryDriver shared) {
            super(shared);
        }

        @Override
        public io.leasehold.spi.PutResponse put(String key, byte[] content, io.leasehold.core.PutOptions options) {
            return super.put(key, content, options.toBuilder().leaseId(null).build());
        }

        @Override
        public io.leasehold.spi.GetResponse get(String key, io.leasehold.core.GetOptions options, boolean withContent) {
            return super.get(key, options.toBuilder().leaseId(null).build(), withContent);
        }

        @Override
        public void close() {
        }

        @Override
        public Optional<LeaseDriver> leases() {
            return Optional.of(new LeaseDriver() {
                @Override
                public LeaseGrant acquire(String key, Duration duration, String proposedId) {
                    return LeaseGrant.of(proposedId, duration, 1L);
                }

                @Override
                public LeaseGrant renew(String key, String leaseId) {
                    return LeaseGrant.of(leaseId, Duration.ofSeconds(15), 1L);
                }

                @Override
                public void release(String key, String leaseId) {
                }

                @Override
                public Duration breakLease(String key, Duration breakPeriod) {
                    return Duration.ZERO;
                }

                @Override
                public LeaseGrant change(String key, String leaseId, String proposedId) {
                    return LeaseGrant.of(proposedId, Duration.ofSeconds(15), 1L);
                }

                @Override
                public LeaseStatus status(String key) {
                    return new LeaseStatus(io.leasehold.core.lease.LeaseState.AVAILABLE, false, null);
                }
            });
        }
    }
}
