package io.leasehold.core;

/**
 * Holds the sentinel of {@link UpdateFunction#unchanged()} (an interface cannot keep a private constant).
 *
 * <p>Thread-safety: immutable (an empty array has nothing to change).
 */
final class UnchangedContent {
    /** Recognised by identity only. */
    static final byte[] SENTINEL = new byte[0];

    private UnchangedContent() {
    }
}
