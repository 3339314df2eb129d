package io.leasehold.core.internal.lease;

import io.leasehold.core.lease.Lease;
import io.leasehold.core.lease.LeaseKeeper;
import io.leasehold.core.lease.LeaseListener;
import io.leasehold.core.lease.Leases;
import java.time.Duration;

/** For tests: a keeper of a short view of a lease, without the public API's bounds on durations and margins. */
public final class Keepers {
    private Keepers() {
    }

    /** Starts a keeper as if {@code lease} had been won by a request sent at {@code sentNanos}. */
    public static LeaseKeeper start(Leases leases, Lease lease, long sentNanos, Duration margin, LeaseListener listener) {
        return Keeper.start((LeaseService) leases, lease, sentNanos, margin, listener);
    }
}
