package io.leasehold.core.lease;

/**
 * The state of an object's lease (Azure Blob's model, emulated elsewhere).
 *
 * <p>Thread-safety: enum constants are immutable.
 */
public enum LeaseState {
    /** No lease: anyone may acquire. */
    AVAILABLE,
    /** Held by someone. */
    LEASED,
    /** The holder's lease ran out; anyone may acquire. */
    EXPIRED,
    /** Broken by someone; the break period has not ended, no one may acquire yet. */
    BREAKING,
    /** Broken; anyone may acquire. */
    BROKEN
}
