package io.leasehold.core;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a successful {@link ObjectStore#update} did: the write that carried the change, or, when the
 * function answered {@link UpdateFunction#unchanged()}, the version it was given ({@link #changed()}
 * false).
 *
 * <p>Thread-safety: immutable.
 */
public final class UpdateResult {
    private final String key;
    private final PutResult put;
    private final byte[] content;
    private final int attempts;
    private final int conflicts;
    private final boolean created;
    private final boolean changed;

    /**
     * Creates a result of a change that was written.
     *
     * @param put the winning write
     * @param content the bytes written
     * @param attempts attempts made, from 1
     * @param conflicts attempts that lost a race or failed transiently
     * @param created whether the object was created
     */
    public UpdateResult(PutResult put, byte[] content, int attempts, int conflicts, boolean created) {
        this(Objects.requireNonNull(put, "put").key(), put, Objects.requireNonNull(content, "content").clone(),
                attempts, conflicts, created, true);
    }

    private UpdateResult(String key, PutResult put, byte[] content, int attempts, int conflicts, boolean created,
                         boolean changed) {
        this.key = key;
        this.put = put;
        this.content = content;
        this.attempts = attempts;
        this.conflicts = conflicts;
        this.created = created;
        this.changed = changed;
    }

    /**
     * The result of a call whose function answered "no change".
     *
     * @param key the key
     * @param put the version the call's function was given (read, or the write of its batch that
     *     carried the value it saw), or null if the object was absent
     * @param content the content the function was given (not copied), or null if absent
     */
    static UpdateResult unchanged(String key, @Nullable PutResult put, byte @Nullable [] content, int attempts, int conflicts) {
        return new UpdateResult(key, put, content, attempts, conflicts, false, false);
    }

    /**
     * Whether the call's function changed the content. False when it answered
     * {@link UpdateFunction#unchanged()}: this call wrote nothing.
     *
     * @return true if the call's change was written
     */
    public boolean changed() {
        return changed;
    }

    /**
     * The winning write; for an unchanged result, the version the function was given (in a coalesced
     * batch where an earlier call changed the object, the batch's write).
     *
     * @return never null
     * @throws IllegalStateException if the function answered unchanged on an absent object: there is no version
     */
    public PutResult put() {
        if (put == null) {
            throw new IllegalStateException("the update of '" + key + "' changed nothing and the object was absent,"
                    + " so there is no version; check changed() and content() != null first");
        }
        return put;
    }

    /**
     * The new version; for an unchanged result the version read.
     *
     * @return {@code put().version()}
     * @throws IllegalStateException if the function answered unchanged on an absent object: there is no version
     */
    public ObjectVersion version() {
        return put().version();
    }

    /**
     * The bytes written; for an unchanged result the bytes the function was given.
     *
     * @return a copy; null only for an unchanged result on an absent object
     */
    public byte @Nullable [] content() {
        return content == null ? null : content.clone();
    }

    /**
     * Attempts made (1 when there was no conflict).
     *
     * @return the count
     */
    public int attempts() {
        return attempts;
    }

    /**
     * Attempts that lost a race or failed transiently and were retried.
     *
     * @return the count
     */
    public int conflicts() {
        return conflicts;
    }

    /**
     * Whether the update created the object.
     *
     * @return true if it did not exist before and this call's change created it
     */
    public boolean created() {
        return created;
    }

    @Override
    public String toString() {
        return "UpdateResult{" + (put == null ? key + " absent" : put) + ", changed=" + changed + ", attempts="
                + attempts + ", conflicts=" + conflicts + ", created=" + created + "}";
    }
}
