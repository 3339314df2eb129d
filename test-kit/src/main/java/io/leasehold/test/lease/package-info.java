/**
 * Record what lease holders did and saw, and check the guarantees of leases with fencing: never
 * two holders at once, fencing tokens that only grow, no stale write accepted after a newer one,
 * and a lease that is never stuck. Record with {@link io.leasehold.test.lease.LeaseHistory}, check
 * with {@link io.leasehold.test.lease.LeaseChecker}.
 */
package io.leasehold.test.lease;
