package io.leasehold.core;

import io.leasehold.core.lease.Lease;

/**
 * The caller holds the lease, but since its lease was acquired the object was written (or found
 * written) under an older lease: a former holder whose tenure had ended, typically one paused
 * (GC, a suspended VM) between its lease check and its write, sent a write that the store applied.
 * The content did not come from the current holder, so the library refuses to build on it instead
 * of returning it or writing over it silently.
 *
 * <p>Only emulated leases ({@link Capability#EMULATED_LEASES}: S3, Tigris, Ceph RGW) can raise it:
 * a native lease store refuses the stale write itself. To go on, read the object without the lease
 * id, decide what to keep, and write it under the lease with {@link PutMode#update(ObjectVersion)}
 * on the version read (or delete it with If-Match on that version): that acknowledges the stale
 * version and the guard accepts the object again. A renewal refused this way means the holder's
 * exclusive tenure was broken; a {@link io.leasehold.core.lease.LeaseKeeper} reports it as lost.
 * {@link Lease#fencingToken()} of the stale writer is smaller than or equal to the caller's.
 *
 * <p>Code: {@link ErrorCode#STALE_WRITE}. Thread-safety: immutable once thrown.
 */
public class StaleWriteException extends LeaseException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param key the key involved, or null
     * @param message a message without secrets (lease ids shortened)
     * @param cause the cause, or null
     */
    public StaleWriteException(String key, String message, Throwable cause) {
        super(ErrorCode.STALE_WRITE, key, message, cause);
    }
}
