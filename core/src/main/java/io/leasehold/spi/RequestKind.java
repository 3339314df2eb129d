package io.leasehold.spi;


/**
 * What a failed request was, which decides what a failure without a clear answer means: a read
 * changes nothing, so it can always be sent again; a write or a lease operation may have been
 * applied before the answer was lost. Drivers translate their wire failures with {@link io.leasehold.spi.kit.Failures}
 * and never decide this themselves.
 *
 * <p>Thread-safety: enum constants are immutable.
 */
public enum RequestKind {
    /** Get, head, lease status, listing: never changes the store. */
    READ(false),
    /** Put or delete. */
    WRITE(true),
    /** Lease acquire, renew, release, break or change. */
    LEASE(true),
    /**
     * Starting a staged upload, or uploading one of its parts or blocks: invisible until committed,
     * and replaced when sent again, so a failure without an answer is transient.
     */
    STAGE(false);

    private final boolean mayChangeState;

    RequestKind(boolean mayChangeState) {
        this.mayChangeState = mayChangeState;
    }

    /**
     * Whether a request of this kind changes the store when applied.
     *
     * @return true for writes and lease operations
     */
    public boolean mayChangeState() {
        return mayChangeState;
    }
}
