package io.leasehold.spi;

import io.leasehold.core.lease.LeaseStatus;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Lease operations of a driver, with Azure Blob lease semantics as the reference. Arguments arrive
 * validated by the facade (durations 15-60 s or infinite, break periods 0-60 s, ids non-empty).
 * Only drivers whose store checks lease ids itself (memory, file, Azure:
 * {@link io.leasehold.core.Capability#NATIVE_LEASES}) implement it; for stores that cannot (S3,
 * Tigris) a driver declares {@link io.leasehold.core.Capability#EMULATED_LEASES} instead and the
 * library builds the same semantics from conditional writes of a lease record.
 *
 * <h2>Obligations</h2>
 * <ul>
 *   <li>{@link #acquire}: on an available, expired or broken lease succeed; when held by the same
 *       id, act as renew; when held by another id or breaking, throw
 *       {@link io.leasehold.core.LeaseHeldException}; missing key:
 *       {@link io.leasehold.core.ObjectNotFoundException}.</li>
 *   <li>{@link #renew}, {@link #release}, {@link #change}: a different current id gives
 *       {@link io.leasehold.core.LeaseMismatchException}; no lease, or one that expired after
 *       another holder took over, gives {@link io.leasehold.core.LeaseMismatchException} or
 *       {@link io.leasehold.core.LeaseLostException}; renewing a broken or breaking lease gives
 *       {@link io.leasehold.core.LeaseLostException}.</li>
 *   <li>While a lease is active, writes and deletes without its id MUST fail with
 *       {@link io.leasehold.core.LeaseHeldException}, with another id with
 *       {@link io.leasehold.core.LeaseMismatchException}.</li>
 *   <li>Lease operations MUST NOT be re-sent by an SDK retry.</li>
 *   <li>A driver that declares {@link io.leasehold.core.Capability#FENCING_TOKENS} MUST either return a
 *       token from acquire, renew and change that strictly increases each time a new holder acquires
 *       the lease on a key (also under the same id after a release or expiry: a new tenure), and stays
 *       the same for renewals and changes of one holder; or answer {@link #issuesFencingTokens()} with
 *       false and return none, and the library then issues them from a counter object per key
 *       ({@code .leasehold/fence/KEY}) written through its write engine (Azure does so).</li>
 * </ul>
 *
 * <p>Thread-safety: implementations MUST be safe for concurrent use.
 */
public interface LeaseDriver {

    /**
     * Acquires a lease.
     *
     * @param key the key; the object must exist
     * @param duration 15-60 s, or null for infinite
     * @param proposedId the lease id to use; never null (the facade generates one)
     * @return the lease held
     */
    LeaseGrant acquire(String key, @Nullable Duration duration, String proposedId);

    /**
     * Renews a lease, restarting its duration.
     *
     * @param key the key
     * @param leaseId the current lease id
     * @return the renewed lease
     */
    LeaseGrant renew(String key, String leaseId);

    /**
     * Releases a lease; the object is available at once.
     *
     * @param key the key
     * @param leaseId the current lease id
     */
    void release(String key, String leaseId);

    /**
     * Breaks the lease: no new lease can be acquired until the break period ends; the holder can no
     * longer renew, but may still release.
     *
     * @param key the key
     * @param breakPeriod 0-60 s, or null to let a finite lease run out and break an infinite one at once
     * @return the time until the lease is broken
     */
    Duration breakLease(String key, @Nullable Duration breakPeriod);

    /**
     * Changes the lease id; the old id is rejected afterwards.
     *
     * @param key the key
     * @param leaseId the current lease id
     * @param proposedId the new id
     * @return the lease under its new id
     */
    LeaseGrant change(String key, String leaseId, String proposedId);

    /**
     * Whether this driver issues fencing tokens itself. A driver that declares
     * {@link io.leasehold.core.Capability#FENCING_TOKENS} but answers false leaves them to the
     * library's counter protocol (see the class documentation).
     *
     * @return true by default
     */
    default boolean issuesFencingTokens() {
        return true;
    }

    /**
     * The lease state of an object.
     *
     * @param key the key
     * @return the status
     */
    LeaseStatus status(String key);
}
