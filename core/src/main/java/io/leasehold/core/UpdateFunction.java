package io.leasehold.core;

/**
 * The change a read-modify-write applies: from the current content to the new content.
 *
 * <p>It may run several times (once per attempt, after each lost race), so it must be free of side
 * effects and depend only on its argument.
 *
 * <p>Thread-safety: called on the updating thread only.
 */
@FunctionalInterface
public interface UpdateFunction {
    /**
     * Computes the new content.
     *
     * @param current the current bytes, or null when the object does not exist yet (it will be created)
     * @return the new bytes; not null
     */
    byte[] apply(byte[] current);
}
