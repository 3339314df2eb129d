package io.leasehold.core;

import org.jspecify.annotations.Nullable;

/**
 * The change a read-modify-write applies: from the current content to the new content.
 *
 * <p>It may run several times (once per attempt, after each lost race), so it must be free of side
 * effects and depend only on its argument.
 *
 * <h2>No change</h2>
 * Returning {@link #unchanged()} writes nothing: the update ends without a write, and its result
 * says so ({@link UpdateResult#changed()} is false) and reports the version read. Returning the same
 * bytes is a write like any other (a new version); returning null is refused.
 *
 * <p>Thread-safety: called on the updating thread only.
 */
@FunctionalInterface
public interface UpdateFunction {
    /**
     * Computes the new content.
     *
     * @param current the current bytes, or null when the object does not exist yet (it will be created)
     * @return the new bytes, or {@link #unchanged()} to write nothing; not null
     */
    byte[] apply(byte @Nullable [] current);

    /**
     * The answer that means "no change": return it from {@link #apply} and nothing is written (an
     * absent object is not created). It is one shared empty array, recognised by identity: any other
     * array, even an empty one, is content to write.
     *
     * @return the shared sentinel; never modify or write it yourself
     */
    static byte[] unchanged() {
        return UnchangedContent.SENTINEL;
    }
}
