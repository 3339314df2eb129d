package io.leasehold.spi;

import org.jspecify.annotations.Nullable;


/**
 * One streaming put in progress, as a driver stages it: parts uploaded one by one (possibly several
 * at once), then committed as one object under the put's mode and conditions, or aborted. Nothing
 * is visible to readers before the commit. Made by {@link StoreDriver#startUpload}; the facade
 * calls it, retries and settles it.
 *
 * <h2>Obligations</h2>
 * <ul>
 *   <li>{@link #uploadPart} MAY be called concurrently for different part numbers. Sending a part
 *       again with the same number replaces it, so a part whose answer was lost is transient
 *       ({@link RequestKind#STAGE}), never outcome-unknown.</li>
 *   <li>{@link #commit} evaluates the mode and conditions of the options the upload was started
 *       with, atomically, like a single put, and throws the same exceptions for a lost race
 *       ({@link io.leasehold.core.ObjectAlreadyExistsException},
 *       {@link io.leasehold.core.PreconditionFailedException}). A failure after the commit was
 *       sent is {@link io.leasehold.core.OutcomeUnknownException}; the facade settles it from the
 *       write id and may send the commit again only if it proved the first did not land. When the
 *       staged parts are gone because a concurrent operation invalidated the upload (S3 409
 *       {@code ConditionalRequestConflict}, Azure {@code InvalidBlockList}), it throws
 *       {@link io.leasehold.core.TransientException} with
 *       {@link io.leasehold.core.ErrorCode#CONFLICT}: nothing was written, and only a new upload
 *       can succeed (the facade never re-sends the commit for it).</li>
 *   <li>{@link #abort} discards staged parts where the store can (best effort, idempotent, also
 *       after a commit whose outcome is unknown: it MUST NOT remove a committed object).</li>
 * </ul>
 *
 * <p>Thread-safety: {@link #uploadPart} is safe for concurrent calls; the other methods are called
 * by one thread after every part upload has returned.
 */
public interface StagedUpload {

    /**
     * Uploads one part.
     *
     * @param partNumber 1, 2, ... in content order
     * @param data the buffer; the driver MUST NOT keep or modify it after returning
     * @param length bytes of {@code data} to send, from index 0
     */
    void uploadPart(int partNumber, byte[] data, int length);

    /**
     * Whether {@link #commit} wants the MD5 of the whole content (e.g. to store it as Azure's
     * {@code Content-MD5}); the facade then computes it while reading.
     *
     * @return true to receive it
     */
    default boolean wantsContentMd5() {
        return false;
    }

    /**
     * Commits parts 1 to {@code parts} as the object.
     *
     * @param parts the number of parts uploaded
     * @param size the total number of bytes
     * @param contentMd5 the MD5 of the whole content if {@link #wantsContentMd5()}, else null
     * @return the new version, or {@link PutResponse#withoutVersion} if the store did not name it
     */
    PutResponse commit(int parts, long size, byte @Nullable [] contentMd5);

    /** Discards the staged parts where the store can; never removes a committed object. */
    void abort();
}
