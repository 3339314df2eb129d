package io.leasehold.core.lease;

import java.time.Duration;

/**
 * Leases on objects: the pessimistic half of Leasehold. Obtain it from {@link io.leasehold.core.ObjectStore#leases()}.
 *
 * <h2>Model (Azure Blob leases, on every store that declares {@link io.leasehold.core.Capability#LEASES})</h2>
 * <ul>
 *   <li>A lease is held on one existing object, for 15 to 60 s or infinitely, under a lease id.
 *       While it is held (state {@link LeaseState#LEASED} or {@link LeaseState#BREAKING}), writes and
 *       deletes must carry the id ({@link io.leasehold.core.PutOptions.Builder#leaseId(String)},
 *       {@link io.leasehold.core.DeleteOptions.Builder#leaseId(String)}): without it they fail with
 *       {@link io.leasehold.core.LeaseHeldException}, with another id with {@link io.leasehold.core.LeaseMismatchException}.</li>
 *   <li>{@link #acquire} on a held lease fails with {@link io.leasehold.core.LeaseHeldException} unless the id is the
 *       holder's own (then it renews). {@link #renew}, {@link #release} and {@link #change} need the
 *       current id.</li>
 *   <li>{@link #breakLease} ends a lease without its id: after the break period nobody holds it;
 *       meanwhile nobody can acquire it, the holder can no longer renew but may still write and
 *       release.</li>
 *   <li>A finite lease that is not renewed expires; its holder may renew it as long as nobody else
 *       acquired it or wrote the object in between.</li>
 * </ul>
 * For work that outlives one lease period use {@link #keep}: a {@link LeaseKeeper} renews in the
 * background and tells you when the lease is lost.
 *
 * <h2>Native and emulated leases</h2>
 * Azure, memory and file enforce leases in the store ({@link io.leasehold.core.Capability#NATIVE_LEASES}). S3 and
 * Tigris cannot check a lease id, so their drivers emulate leases with a lease record written by
 * conditional requests ({@link io.leasehold.core.Capability#EMULATED_LEASES}, {@link io.leasehold.core.internal.lease.EmulatedLeases}):
 * the same operations and refusals, with three differences. A write that does not carry the lease
 * id cannot be refused (the holder's next overwrite then fails with
 * {@link io.leasehold.core.PreconditionFailedException}); a lease held by another process is known to have expired only
 * after this process has watched it unchanged for its duration (so {@link #acquire} needs a wait to
 * take over an abandoned lease, and {@link #status} reports it {@link LeaseState#LEASED} until then);
 * and a guarded delete needs {@link io.leasehold.core.Capability#DELETE_IF_MATCH}. Every lease carries a fencing token
 * ({@link Lease#fencingToken()}) where the store declares {@link io.leasehold.core.Capability#FENCING_TOKENS}.
 *
 * <h2>Retries and ambiguity</h2>
 * Each operation goes through the store's single retry layer ({@link io.leasehold.core.ObjectStore#operationRetry()}),
 * which re-sends only failures that by contract did not apply. Lease operations are idempotent under
 * a fixed id (a re-sent acquire renews, a re-sent change finds the new id in place), so a call whose
 * outcome is unknown is sent once more; a re-sent release that finds the lease gone counts as done.
 * Emulated leases settle a lost response themselves by reading the record back, and a call repeated
 * after {@link io.leasehold.core.OutcomeUnknownException} decides again on the record as it is then, never blindly.
 *
 * <p>Thread-safety: safe for concurrent use; share the instance of a store.
 */
public interface Leases {
    /**
     * Acquires a lease with the {@link LeaseOptions#defaults() defaults} (30 s, random id, no wait).
     *
     * @param key the key of an existing object
     * @return the lease
     * @throws io.leasehold.core.LeaseHeldException if someone else holds the lease or it is breaking
     * @throws io.leasehold.core.ObjectNotFoundException if the object does not exist
     * @throws io.leasehold.core.InvalidArgumentException if the key is invalid (nothing was sent)
     */
    Lease acquire(String key);

    /**
     * Acquires a lease, optionally creating the object and waiting while someone else holds it.
     *
     * <p>Acquiring with the current holder's id renews that lease. With a wait timeout, a held or
     * breaking lease is polled with jittered backoff (25 ms growing to 1 s) until acquired or the
     * timeout passes.
     *
     * @param key the key
     * @param options duration, id, wait, create-if-absent
     * @return the lease; {@link Lease#acquiredAt()} is the local time just before the request that
     *     won it was sent, so {@link Lease#expiresBy()} errs on the early side
     * @throws io.leasehold.core.LeaseHeldException if the lease is still held by someone else or breaking when the
     *     wait ends; also when the waiting thread is interrupted (its interrupt status is restored and
     *     the cause is the {@link InterruptedException})
     * @throws io.leasehold.core.ObjectNotFoundException if the object does not exist and {@code createIfAbsent} is off
     * @throws io.leasehold.core.NotSupportedException if {@code createIfAbsent} is on and the store cannot create-if-absent
     * @throws io.leasehold.core.InvalidArgumentException if the key or options are invalid (nothing was sent)
     * @throws io.leasehold.core.ObjectStoreException on other failures, e.g. {@link io.leasehold.core.TransientException} once retries are exhausted
     */
    Lease acquire(String key, LeaseOptions options);

    /**
     * Renews a lease, restarting its duration. An expired lease can be renewed by its holder as long
     * as nobody else acquired it or wrote the object in between.
     *
     * @param key the key
     * @param leaseId the current lease id
     * @return the renewed lease; {@link Lease#acquiredAt()} is the local time just before the renewal
     *     was sent
     * @throws io.leasehold.core.LeaseMismatchException if another lease is current (or none, on stores that say so)
     * @throws io.leasehold.core.LeaseLostException if the lease was broken or is breaking, or no lease is present
     * @throws io.leasehold.core.ObjectNotFoundException if the object does not exist
     * @throws io.leasehold.core.InvalidArgumentException if the key or id is invalid (nothing was sent)
     */
    Lease renew(String key, String leaseId);

    /**
     * Renews a lease, restarting its duration.
     *
     * @param lease the lease
     * @return the renewed lease
     * @throws io.leasehold.core.ObjectStoreException as {@link #renew(String, String)}
     */
    Lease renew(Lease lease);

    /**
     * Releases a lease: anyone can acquire it at once.
     *
     * @param key the key
     * @param leaseId the current lease id
     * @throws io.leasehold.core.LeaseMismatchException if another lease is current (or none, on stores that say so)
     * @throws io.leasehold.core.LeaseLostException if no lease is present
     * @throws io.leasehold.core.ObjectNotFoundException if the object does not exist
     * @throws io.leasehold.core.InvalidArgumentException if the key or id is invalid (nothing was sent)
     * @throws io.leasehold.core.OutcomeUnknownException if the release's answer was lost and neither
     *     reading back nor sending it once more could tell whether it landed: check
     *     {@link #status(String)} before relying on the lease either way (a repeated release of a
     *     release that landed answers {@link io.leasehold.core.LeaseMismatchException} on some stores)
     */
    void release(String key, String leaseId);

    /**
     * Releases a lease.
     *
     * @param lease the lease
     * @throws io.leasehold.core.ObjectStoreException as {@link #release(String, String)}
     */
    void release(Lease lease);

    /**
     * Breaks a lease, letting a finite lease run out and breaking an infinite one at once (Azure's
     * default).
     *
     * @param key the key
     * @return the time until the lease is broken and can be acquired again
     * @throws io.leasehold.core.LeaseLostException if no lease is present
     * @throws io.leasehold.core.ObjectNotFoundException if the object does not exist
     * @throws io.leasehold.core.InvalidArgumentException if the key is invalid (nothing was sent)
     */
    Duration breakLease(String key);

    /**
     * Breaks a lease; no id is needed. Until the period ends the lease is {@link LeaseState#BREAKING}:
     * nobody can acquire it and the holder cannot renew it, but may still write under it and release
     * it. A period longer than a finite lease's remaining time is cut to that time.
     *
     * @param key the key
     * @param breakPeriod 0 (break at once) to 60 whole seconds
     * @return the time until the lease is broken and can be acquired again
     * @throws io.leasehold.core.LeaseLostException if no lease is present
     * @throws io.leasehold.core.ObjectNotFoundException if the object does not exist
     * @throws io.leasehold.core.InvalidArgumentException if the key or period is invalid (nothing was sent)
     */
    Duration breakLease(String key, Duration breakPeriod);

    /**
     * Changes a held lease's id; the old id is rejected afterwards. The duration is not restarted.
     *
     * @param key the key
     * @param leaseId the current lease id
     * @param proposedId the new id
     * @return the lease under its new id
     * @throws io.leasehold.core.LeaseMismatchException if neither id is the current lease's
     * @throws io.leasehold.core.LeaseLostException if the lease is breaking, broken, expired or absent
     * @throws io.leasehold.core.ObjectNotFoundException if the object does not exist
     * @throws io.leasehold.core.InvalidArgumentException if the key or an id is invalid (nothing was sent)
     */
    Lease change(String key, String leaseId, String proposedId);

    /**
     * Changes a held lease's id, keeping what is known about its last renewal.
     *
     * @param lease the lease
     * @param proposedId the new id
     * @return the lease under its new id
     * @throws io.leasehold.core.ObjectStoreException as {@link #change(String, String, String)}
     */
    Lease change(Lease lease, String proposedId);

    /**
     * The lease status of an object.
     *
     * @param key the key
     * @return the state, and the remaining time where the store reports it
     * @throws io.leasehold.core.ObjectNotFoundException if the object does not exist
     * @throws io.leasehold.core.InvalidArgumentException if the key is invalid (nothing was sent)
     */
    LeaseStatus status(String key);

    /**
     * Acquires a lease (as {@link #acquire(String, LeaseOptions)}, waiting if the options say so) and
     * keeps it renewed in the background until {@link LeaseKeeper#close()}.
     *
     * <pre>{@code
     * try (LeaseKeeper keeper = store.leases().keep("jobs/nightly", LeaseOptions.ofDuration(Duration.ofSeconds(15)),
     *         new LeaseListener() {
     *             public void onLost(Lease lease, ObjectStoreException cause) { stopWork(); }
     *         })) {
     *     while (keeper.isHeld() && moreWork()) {
     *         store.put("jobs/nightly", step(), PutOptions.builder().leaseId(keeper.leaseId()).build());
     *     }
     * }
     * }</pre>
     *
     * @param key the key
     * @param options duration, id, wait, create-if-absent, safety margin
     * @param listener told about renewals, transient failures and loss
     * @return the running keeper
     * @throws io.leasehold.core.ObjectStoreException as {@link #acquire(String, LeaseOptions)}
     */
    LeaseKeeper keep(String key, LeaseOptions options, LeaseListener listener);

    /**
     * Keeps a lease you already hold renewed in the background, with the default safety margin.
     *
     * @param lease the lease; its {@link Lease#acquiredAt()} decides when it must be renewed
     * @param listener told about renewals, transient failures and loss
     * @return the running keeper
     * @throws io.leasehold.core.InvalidArgumentException if an argument is null
     */
    LeaseKeeper keep(Lease lease, LeaseListener listener);

    /**
     * Keeps a lease you already hold renewed in the background.
     *
     * @param lease the lease; its {@link Lease#acquiredAt()} decides when it must be renewed
     * @param safetyMargin see {@link LeaseOptions#safetyMargin()}; at least 1 s and less than a third
     *     of a finite duration
     * @param listener told about renewals, transient failures and loss
     * @return the running keeper
     * @throws io.leasehold.core.InvalidArgumentException if an argument is null or the margin out of range
     */
    LeaseKeeper keep(Lease lease, Duration safetyMargin, LeaseListener listener);
}
