package io.leasehold.spring;

import io.leasehold.core.lease.Lease;
import io.leasehold.core.lease.LeaseKeeper;
import io.leasehold.core.LeaseLostException;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.ObjectStoreException;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The lease a {@link LeaseholdLocked} method runs under, for the method to use: its fencing token,
 * its lease id for guarded writes, and whether it is still held.
 *
 * <pre>{@code
 * LeaseholdLock lock = LeaseholdLock.current().orElseThrow();
 * store.put("jobs/nightly", state, PutOptions.builder().leaseId(lock.leaseId()).build()); // guarded write
 * }</pre>
 *
 * <p>Thread-safety: safe for concurrent use; {@link #current()} is per thread (the method's thread).
 */
public final class LeaseholdLock {
    private static final ThreadLocal<LeaseholdLock> CURRENT = new ThreadLocal<>();

    private final ObjectStore store;
    private final LeaseKeeper keeper;

    LeaseholdLock(ObjectStore store, LeaseKeeper keeper) {
        this.store = store;
        this.keeper = keeper;
    }

    /**
     * The lock of the {@link LeaseholdLocked} method running on this thread.
     *
     * @return the lock, or empty outside such a method
     */
    public static Optional<LeaseholdLock> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    /** Makes {@code lock} this thread's current lock; returns the previous one (nested locked calls). */
    static LeaseholdLock enter(LeaseholdLock lock) {
        LeaseholdLock previous = CURRENT.get();
        CURRENT.set(lock);
        return previous;
    }

    /** Restores the lock that was current before {@link #enter}. */
    static void exit(LeaseholdLock previous) {
        if (previous == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(previous);
        }
    }

    /**
     * The locked key.
     *
     * @return the key
     */
    public String key() {
        return keeper.key();
    }

    /**
     * The lease as last acquired or renewed.
     *
     * @return the lease
     */
    public Lease lease() {
        return keeper.lease();
    }

    /**
     * The lease id, for writes guarded by the lease
     * ({@link io.leasehold.core.PutOptions.Builder#leaseId(String)}). Treat it as a secret: never log it.
     *
     * @return the id
     */
    public String leaseId() {
        return keeper.leaseId();
    }

    /**
     * The fencing token of this acquisition: larger than that of every earlier holder of the lease.
     *
     * @return the token, or empty where the store issues none
     */
    public OptionalLong fencingToken() {
        return keeper.lease().fencingToken();
    }

    /**
     * Whether the lease is still certainly held (not lost, not past the keeper's safety margin).
     *
     * @return true while work may go on
     */
    public boolean isHeld() {
        return keeper.isHeld();
    }

    /**
     * Throws if the lease is no longer certainly held: a check for loops.
     *
     * @throws LeaseLostException if the lease was lost (its cause says why) or is past the keeper's
     *     safety margin
     */
    public void checkHeld() {
        if (!keeper.isHeld()) {
            ObjectStoreException cause = keeper.lossCause().orElse(null);
            throw new LeaseLostException(keeper.key(), "the lease of this locked method is no longer held", cause);
        }
    }

    /**
     * The store the lease is held in.
     *
     * @return the store
     */
    public ObjectStore store() {
        return store;
    }

    @Override
    public String toString() {
        return "LeaseholdLock{" + keeper.lease() + ", held=" + keeper.isHeld() + "}";
    }
}
