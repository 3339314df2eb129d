package io.leasehold.spi;

/**
 * What a failed request was, which decides what a failure without a clear answer means: a read
 * changes nothing, so it can always be sent again; a write or a lease operation may have been
 * applied before the answer was lost. Drivers translate their wire failures with {@link Failures}
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
    LEASE(true);

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
