package io.leasehold.spi.kit;

import io.leasehold.core.DeleteOptions;
import io.leasehold.core.ETag;
import io.leasehold.core.GetOptions;
import io.leasehold.core.ObjectAlreadyExistsException;
import io.leasehold.core.PreconditionFailedException;
import io.leasehold.core.PutMode;
import io.leasehold.core.PutOptions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.jspecify.annotations.Nullable;

/**
 * Evaluates conditions the way RFC 9110 section 13.2.2 orders them, for drivers that hold the
 * object themselves (memory, file) and for tests. Times are compared at whole seconds, as HTTP dates
 * carry them.
 *
 * <p>Thread-safety: stateless.
 */
public final class Preconditions {
    /** What a read's conditions decided. */
    public enum ReadVerdict {
        /** Serve the object. */
        PROCEED,
        /** Answer "not modified". */
        NOT_MODIFIED
    }

    private Preconditions() {
    }

    /**
     * Evaluates a read's conditions against the current representation.
     *
     * @param key the key (for the exception)
     * @param options the conditions
     * @param current the current ETag
     * @param lastModified the current last-modified time
     * @return whether to serve or answer not modified
     * @throws PreconditionFailedException if If-Match, or in its absence If-Unmodified-Since, is false
     */
    public static ReadVerdict read(String key, GetOptions options, ETag current, Instant lastModified) {
        if (options.ifMatch().isPresent()) {
            if (!options.ifMatch().get().strongMatch(current)) {
                throw new PreconditionFailedException(key, "If-Match " + options.ifMatch().get() + " does not match", null);
            }
        } else if (options.ifUnmodifiedSince().isPresent()
                && modifiedAfter(lastModified, options.ifUnmodifiedSince().get())) {
            throw new PreconditionFailedException(key, "modified after the If-Unmodified-Since date", null);
        }
        if (options.ifNoneMatch().isPresent()) {
            if (options.ifNoneMatch().get().weakMatch(current)) {
                return ReadVerdict.NOT_MODIFIED;
            }
        } else if (options.ifModifiedSince().isPresent()
                && !modifiedAfter(lastModified, options.ifModifiedSince().get())) {
            return ReadVerdict.NOT_MODIFIED;
        }
        return ReadVerdict.PROCEED;
    }

    /**
     * Evaluates a put's mode and date conditions.
     *
     * @param key the key
     * @param options the put options
     * @param current the current ETag, or null if the key is absent
     * @param lastModified the current last-modified time, or null if absent
     * @throws ObjectAlreadyExistsException if a create finds the key
     * @throws PreconditionFailedException if an update, replace or date condition fails (date
     *     conditions need the object to exist)
     */
    public static void write(String key, PutOptions options, @Nullable ETag current, @Nullable Instant lastModified) {
        PutMode mode = options.mode();
        switch (mode.kind()) {
            case CREATE:
                if (current != null) {
                    throw new ObjectAlreadyExistsException(key, "create-if-absent found the key present", null);
                }
                break;
            case REPLACE:
                if (current == null) {
                    throw new PreconditionFailedException(key, "replace-if-present found no object", null);
                }
                break;
            case UPDATE:
                ETag expected = mode.expected().orElseThrow().etag();
                if (current == null) {
                    throw new PreconditionFailedException(key, "update found no object", null);
                }
                if (!expected.strongMatch(current)) {
                    throw new PreconditionFailedException(key, "If-Match " + expected + " does not match", null);
                }
                break;
            default:
                break;
        }
        if (options.ifUnmodifiedSince().isPresent()
                && (current == null || modifiedAfter(lastModified, options.ifUnmodifiedSince().get()))) {
            throw new PreconditionFailedException(key, "If-Unmodified-Since does not hold", null);
        }
        if (options.ifModifiedSince().isPresent()
                && (current == null || !modifiedAfter(lastModified, options.ifModifiedSince().get()))) {
            throw new PreconditionFailedException(key, "If-Modified-Since does not hold", null);
        }
    }

    /**
     * Evaluates a delete's If-Match on an existing object.
     *
     * @param key the key
     * @param options the delete options
     * @param current the current ETag (the object exists)
     * @throws PreconditionFailedException if If-Match does not hold
     */
    public static void delete(String key, DeleteOptions options, ETag current) {
        if (options.ifMatch().isPresent() && !options.ifMatch().get().strongMatch(current)) {
            throw new PreconditionFailedException(key, "If-Match " + options.ifMatch().get() + " does not match", null);
        }
    }

    /**
     * Whether {@code lastModified} is after {@code since}, at whole-second precision.
     *
     * @param lastModified the object's time
     * @param since the condition's time
     * @return true if modified after
     */
    public static boolean modifiedAfter(Instant lastModified, Instant since) {
        return lastModified.truncatedTo(ChronoUnit.SECONDS).isAfter(since.truncatedTo(ChronoUnit.SECONDS));
    }
}
