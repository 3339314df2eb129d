package io.leasehold.spi;

import io.leasehold.core.DeleteOptions;
import io.leasehold.core.GetOptions;
import io.leasehold.core.Lease;
import io.leasehold.core.LeaseStatus;
import io.leasehold.core.PutOptions;
import java.time.Duration;

/**
 * Lease operations of a driver, with Azure Blob lease semantics as the reference. Arguments arrive
 * validated by the facade (durations 15-60 s or infinite, break periods 0-60 s, ids non-empty).
 * Native drivers (memory, file, Azure) have the store check lease ids; {@link EmulatedLeases} builds
 * the same semantics from conditional writes for stores that cannot (S3, Tigris).
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
 *   <li>A driver that declares {@link io.leasehold.core.Capability#FENCING_TOKENS} MUST return a token
 *       from acquire, renew and change that strictly increases each time a new holder acquires the
 *       lease on a key, and stays the same for renewals and changes of one holder.</li>
 *   <li>The facade passes every put, delete and read that carries a lease id through
 *       {@link #guardPut}, {@link #guardDelete} or {@link #guardGet} before sending it. A driver whose
 *       store cannot check a lease id on a write MUST override them so that the guarded request is
 *       refused or made conditional: a lease-guarded write MUST never become an unconditional one.</li>
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
    Lease acquire(String key, Duration duration, String proposedId);

    /**
     * Renews a lease, restarting its duration.
     *
     * @param key the key
     * @param leaseId the current lease id
     * @return the renewed lease
     */
    Lease renew(String key, String leaseId);

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
    Duration breakLease(String key, Duration breakPeriod);

    /**
     * Changes the lease id; the old id is rejected afterwards.
     *
     * @param key the key
     * @param leaseId the current lease id
     * @param proposedId the new id
     * @return the lease under its new id
     */
    Lease change(String key, String leaseId, String proposedId);

    /**
     * The lease state of an object.
     *
     * @param key the key
     * @return the status
     */
    LeaseStatus status(String key);

    /**
     * Prepares a put that carries a lease id ({@link PutOptions#leaseId()} present) for sending; the
     * facade calls it before every such put, inside its retry layer. Native drivers return the
     * options unchanged: the store checks the lease id.
     *
     * @param key the key
     * @param options the validated options, with a lease id
     * @return the options to send
     * @throws io.leasehold.core.LeaseException if the lease does not allow the write
     */
    default PutOptions guardPut(String key, PutOptions options) {
        return options;
    }

    /**
     * Prepares a delete that carries a lease id for sending, as {@link #guardPut} does for puts.
     *
     * @param key the key
     * @param options the validated options, with a lease id
     * @return the options to send
     * @throws io.leasehold.core.LeaseException if the lease does not allow the delete
     */
    default DeleteOptions guardDelete(String key, DeleteOptions options) {
        return options;
    }

    /**
     * Prepares a get or head that carries a lease id for sending, as {@link #guardPut} does for puts.
     *
     * @param key the key
     * @param options the validated options, with a lease id
     * @return the options to send
     * @throws io.leasehold.core.LeaseException if the lease id is not the current lease's
     */
    default GetOptions guardGet(String key, GetOptions options) {
        return options;
    }
}
