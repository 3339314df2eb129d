package io.leasehold.core.lease;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The lease operations of {@link Leases}, returning futures: obtain it from
 * {@link io.leasehold.core.AsyncObjectStore#leases()}. Each operation has the semantics, and its future
 * fails with the exceptions, that the blocking operation of the same name documents. Lease operations
 * are few and short (a handful of requests each), so they run on the store's bounded pool of blocking
 * threads ({@link io.leasehold.core.AsyncOptions#blockingThreads()}); a waiting acquire waits there too.
 *
 * <p>Thread-safety: safe for concurrent use.
 */
public interface AsyncLeases {

    /**
     * Acquires a lease with the defaults; see {@link Leases#acquire(String)}.
     *
     * @param key the key of an existing object
     * @return the lease
     */
    CompletableFuture<Lease> acquire(String key);

    /**
     * Acquires a lease; see {@link Leases#acquire(String, LeaseOptions)}.
     *
     * @param key the key
     * @param options duration, id, wait, create-if-absent
     * @return the lease
     */
    CompletableFuture<Lease> acquire(String key, LeaseOptions options);

    /**
     * Renews a lease; see {@link Leases#renew(String, String)}.
     *
     * @param key the key
     * @param leaseId the current lease id
     * @return the renewed lease
     */
    CompletableFuture<Lease> renew(String key, String leaseId);

    /**
     * Releases a lease; see {@link Leases#release(String, String)}.
     *
     * @param key the key
     * @param leaseId the current lease id
     * @return completes when released
     */
    CompletableFuture<Void> release(String key, String leaseId);

    /**
     * Breaks a lease; see {@link Leases#breakLease(String, Duration)}.
     *
     * @param key the key
     * @param breakPeriod 0 to 60 whole seconds
     * @return the time until the lease is broken
     */
    CompletableFuture<Duration> breakLease(String key, Duration breakPeriod);

    /**
     * Changes a lease's id; see {@link Leases#change(String, String, String)}.
     *
     * @param key the key
     * @param leaseId the current lease id
     * @param proposedId the new id
     * @return the lease under its new id
     */
    CompletableFuture<Lease> change(String key, String leaseId, String proposedId);

    /**
     * The lease status; see {@link Leases#status(String)}.
     *
     * @param key the key
     * @return the status
     */
    CompletableFuture<LeaseStatus> status(String key);

    /**
     * Acquires a lease and keeps it renewed in the background; see
     * {@link Leases#keep(String, LeaseOptions, LeaseListener)}.
     *
     * @param key the key
     * @param options duration, id, wait, create-if-absent, safety margin
     * @param listener told about renewals, transient failures and loss
     * @return the running keeper
     */
    CompletableFuture<LeaseKeeper> keep(String key, LeaseOptions options, LeaseListener listener);
}
