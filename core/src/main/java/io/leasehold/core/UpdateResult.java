package io.leasehold.core;

import java.util.Objects;

/**
 * What a successful {@link ObjectStore#update} did.
 *
 * <p>Thread-safety: immutable.
 */
public final class UpdateResult {
    private final PutResult put;
    private final byte[] content;
    private final int attempts;
    private final int conflicts;
    private final boolean created;

    /**
     * Creates a result.
     *
     * @param put the winning write
     * @param content the bytes written
     * @param attempts attempts made, from 1
     * @param conflicts attempts that lost a race or failed transiently
     * @param created whether the object was created
     */
    public UpdateResult(PutResult put, byte[] content, int attempts, int conflicts, boolean created) {
        this.put = Objects.requireNonNull(put, "put");
        this.content = content.clone();
        this.attempts = attempts;
        this.conflicts = conflicts;
        this.created = created;
    }

    /**
     * The winning write.
     *
     * @return never null
     */
    public PutResult put() {
        return put;
    }

    /**
     * The new version.
     *
     * @return {@code put().version()}
     */
    public ObjectVersion version() {
        return put.version();
    }

    /**
     * The bytes written.
     *
     * @return a copy
     */
    public byte[] content() {
        return content.clone();
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
     * @return true if it did not exist before
     */
    public boolean created() {
        return created;
    }

    @Override
    public String toString() {
        return "UpdateResult{" + put + ", attempts=" + attempts + ", conflicts=" + conflicts + ", created=" + created + "}";
    }
}
