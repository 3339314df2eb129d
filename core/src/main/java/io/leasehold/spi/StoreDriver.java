package io.leasehold.spi;

import io.leasehold.core.Capabilities;
import io.leasehold.core.DeleteOptions;
import io.leasehold.core.ETag;
import io.leasehold.core.GetOptions;
import io.leasehold.core.ListOptions;
import io.leasehold.core.ObjectVersion;
import io.leasehold.core.PreconditionFailedException;
import io.leasehold.core.probe.ProbeOptions;
import io.leasehold.core.probe.ProbeReport;
import io.leasehold.core.PutOptions;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The provider SPI: what a store adapter implements so that {@link io.leasehold.core.ObjectStore}
 * works on it. Kept small on purpose; the facade does the shared work once (key and option
 * validation, capability checks, error wrapping, retries, read-modify-write), so a driver only
 * translates one request into its store's terms.
 *
 * <h2>Obligations</h2>
 * <ul>
 *   <li>Arguments arrive validated: keys are valid, options only use capabilities the driver
 *       declared in {@link #capabilities()}. A driver MUST NOT silently drop a condition.</li>
 *   <li>Failures MUST be thrown as {@link io.leasehold.core.ObjectStoreException} subclasses, with
 *       the provider's exception as cause and no secrets in the message.</li>
 *   <li>Conditional mutations MUST be atomic in the store, and the driver MUST NOT re-send them on
 *       its own (no SDK retries): a failure after the request may have been applied is reported as
 *       {@link io.leasehold.core.ErrorCode#OUTCOME_UNKNOWN} or a transient code, and the facade
 *       decides.</li>
 * </ul>
 *
 * <p>Thread-safety: implementations MUST be safe for concurrent use by many threads.
 */
public interface StoreDriver extends AutoCloseable {

    /**
     * A short name for messages and metrics, e.g. {@code "memory"}, {@code "s3"}.
     *
     * @return the name
     */
    String name();

    /**
     * What this driver supports. MUST be constant for the driver's lifetime.
     *
     * @return the capabilities
     */
    Capabilities capabilities();

    /**
     * Writes an object.
     *
     * <p>MUST throw {@link io.leasehold.core.ObjectAlreadyExistsException} when a create finds the
     * key present (including a store's 409 or 412 for that case);
     * {@link io.leasehold.core.PreconditionFailedException} when an update's ETag does not match,
     * the key is missing for update or replace, or a date condition is false;
     * {@link io.leasehold.core.LeaseHeldException} when the object is leased and no lease id was
     * given; {@link io.leasehold.core.LeaseMismatchException} when a wrong lease id was given.
     *
     * @param key the key
     * @param content the bytes; the driver MUST NOT modify or keep the array
     * @param options the validated options
     * @return the new version, or {@link PutResponse#withoutVersion} if the store did not name it
     */
    PutResponse put(String key, byte[] content, PutOptions options);

    /**
     * Reads an object or its metadata, evaluating the conditions as {@link GetOptions} describes.
     *
     * <p>MUST throw {@link io.leasehold.core.ObjectNotFoundException} for a missing key,
     * {@link io.leasehold.core.PreconditionFailedException} for a false If-Match or
     * If-Unmodified-Since, and return {@link GetResponse#notModified} for a false If-None-Match or
     * If-Modified-Since.
     *
     * @param key the key
     * @param options the validated options
     * @param withContent true for get, false for head
     * @return the result
     */
    GetResponse get(String key, GetOptions options, boolean withContent);

    /**
     * Deletes an object.
     *
     * <p>MUST throw {@link io.leasehold.core.ObjectNotFoundException} if the key does not exist
     * (never a silent success that deleted nothing) and
     * {@link io.leasehold.core.PreconditionFailedException} if If-Match does not hold.
     *
     * @param key the key
     * @param options the validated options
     */
    void delete(String key, DeleteOptions options);

    /**
     * The limits on parts of this driver's staged uploads ({@link #startUpload}). Drivers that
     * stage natively MUST override it together with {@link #startUpload}.
     *
     * @return the limits; by default those of an upload buffered in memory
     */
    default UploadLimits uploadLimits() {
        return UploadLimits.BUFFERED;
    }

    /**
     * Starts a streaming put of an object too large for one request: parts are staged, then
     * committed under the options' mode and conditions (see {@link StagedUpload} for the
     * obligations). The facade calls this only for content larger than one part, with options that
     * already carry the write id and lease guard, and only for a conditional put where the driver
     * declares {@link io.leasehold.core.Capability#CONDITIONAL_MULTIPART_COMMIT}.
     *
     * <p>MUST throw {@link io.leasehold.core.NotSupportedException} before sending anything when the
     * store cannot evaluate one of the options at commit (e.g. a date condition), never commit
     * unconditionally instead. A failure starting the upload is transient ({@link RequestKind#STAGE}):
     * an upload it may have created is invisible and abandoned.
     *
     * <p>The default returns null: the facade then buffers the parts in memory and sends one
     * {@link #put} at commit (at most about 2 GiB); bounded memory needs a native implementation
     * ({@link io.leasehold.core.Capability#STREAMING_PUT}).
     *
     * @param key the key
     * @param options the validated options, with the library's bookkeeping metadata
     * @param size the total size, or -1 if not known in advance
     * @param partSize the size of every part but the last, within {@link #uploadLimits()}
     * @return the upload, or null if this driver does not stage uploads (the facade buffers them)
     */
    default @Nullable StagedUpload startUpload(String key, PutOptions options, long size, long partSize) {
        return null;
    }

    /**
     * Reads a byte range of an object, for streaming gets.
     *
     * <p>With {@code pinned} null this is the first request of a download: the options' conditions
     * apply as for {@link #get}, and a false If-None-Match / If-Modified-Since is answered with
     * {@link RangeRead#notModified}. With {@code pinned} given, the driver MUST serve the range only
     * from that version: it sends If-Match on its ETag (and reads its version id where it has one)
     * and throws {@link io.leasehold.core.PreconditionFailedException} (or
     * {@link io.leasehold.core.ObjectNotFoundException}) when the object now is another version.
     *
     * <p>For an empty object a request at offset 0 serves 0 bytes. A failure of the returned stream
     * (a dropped connection) surfaces as an {@link java.io.IOException} from its {@code read}; the
     * facade then asks for the rest of the range again, pinned.
     *
     * <p>The default reads the whole object with {@link #get} and serves the slice (no bounded
     * memory: {@link io.leasehold.core.Capability#RANGED_READS} needs a native implementation).
     *
     * @param key the key
     * @param options the validated options of the download (conditions only on the first request)
     * @param pinned the version every byte must come from, or null for the first request
     * @param offset the first byte, below the object's size (0 for an empty object)
     * @param length how many bytes at most, at least 1
     * @return the range
     */
    default RangeRead getRange(String key, GetOptions options, @Nullable ObjectVersion pinned, long offset, long length) {
        GetOptions effective = pinned == null ? options
                : options.toBuilder().ifMatch(pinned.etag()).ifNoneMatch((ETag) null)
                        .ifModifiedSince(null).ifUnmodifiedSince(null).build();
        GetResponse whole = get(key, effective, true);
        if (whole.isNotModified()) {
            return RangeRead.notModified(whole.version().orElse(null));
        }
        if (pinned != null && !pinned.etag().value().equals(whole.info().version().etag().value())) {
            throw new PreconditionFailedException(key, "the object is no longer the version read first",
                    null);
        }
        return RangeRead.slice(whole.info(), whole.content(), offset, length);
    }

    /**
     * Lists one page of keys under a prefix, when {@link io.leasehold.core.Capability#LIST} is
     * declared.
     *
     * <p>MUST return keys as callers name them (without the driver's own prefix), in ascending order
     * of their UTF-8 bytes, at most {@link io.leasehold.core.ListOptions#pageSize()} entries
     * (objects plus common prefixes), each object's {@link io.leasehold.core.ObjectInfo} with its
     * version, size and last-modified time as listed (no content type or metadata needed). With a
     * delimiter, every key whose rest after {@code prefix} contains it MUST be rolled up into the
     * common prefix ending at its first occurrence, listed once across all pages. The continuation
     * token is the driver's own (opaque to callers); a token it cannot read MUST fail with
     * {@link io.leasehold.core.InvalidArgumentException}. Entries under {@code .leasehold/} may be
     * returned: the facade leaves them out. A key that exists unchanged throughout a listing MUST
     * appear in exactly one page; one written or deleted meanwhile may or may not appear, but never
     * an entry that did not exist when the store read it.
     *
     * <p>The default throws {@link io.leasehold.core.NotSupportedException}.
     *
     * @param prefix the key prefix (validated; may be empty)
     * @param options page size, delimiter and continuation token (validated)
     * @return the page
     */
    default ListResponse list(String prefix, ListOptions options) {
        throw new io.leasehold.core.NotSupportedException(null, name() + " driver does not list keys", null);
    }

    /**
     * Copies one version of an object onto another key without the bytes passing through the client,
     * when {@link io.leasehold.core.Capability#SERVER_SIDE_COPY} is declared. The facade calls it
     * only with options whose mode the driver declares a copy capability for
     * ({@link io.leasehold.core.Capability#COPY_IF_ABSENT}, {@link io.leasehold.core.Capability#COPY_IF_MATCH},
     * {@link io.leasehold.core.Capability#COPY_IF_PRESENT}), and always pinned to the source version
     * it read first ({@link io.leasehold.core.Capability#COPY_SOURCE_IF_MATCH}); the options carry
     * the target's content type and complete metadata (the source's user metadata plus the library's
     * bookkeeping), which the copy MUST set instead of the source's.
     *
     * <p>The target's mode is evaluated atomically with the write, as for {@link #put}, with the
     * same exceptions ({@link io.leasehold.core.ObjectAlreadyExistsException} for a create that
     * found the target, {@link io.leasehold.core.PreconditionFailedException} for an update or
     * replace whose target condition failed, the lease exceptions). The source MUST be read only if
     * it still is {@code sourceVersion}: a source that is another version now MUST fail with
     * {@link io.leasehold.core.ObjectChangedException} and a missing source with
     * {@link io.leasehold.core.ObjectNotFoundException}, both naming the source's key, so that the
     * facade can tell them from a failed target condition. Failures after the request was sent are
     * reported as for a put ({@link io.leasehold.core.ErrorCode#OUTCOME_UNKNOWN}: the facade settles
     * them by reading the target's write id back).
     *
     * <p>A driver that cannot copy this particular object server-side (e.g. larger than one copy
     * request allows) MUST throw {@link io.leasehold.core.NotSupportedException} before sending
     * anything; the facade then copies through the client. The default does so always.
     *
     * @param sourceKey the source's key (validated)
     * @param sourceVersion the version of the source to copy; never null
     * @param sourceSize the source version's size in bytes, as read
     * @param targetKey the target's key (validated, not the source's)
     * @param targetOptions the target's mode, content type and metadata (validated)
     * @return the target's new version, or {@link PutResponse#withoutVersion} if the store did not name it
     */
    default PutResponse copy(String sourceKey, ObjectVersion sourceVersion, long sourceSize, String targetKey,
                             PutOptions targetOptions) {
        throw new io.leasehold.core.NotSupportedException(targetKey, name() + " driver does not copy server-side", null);
    }

    /**
     * The non-blocking form of this driver's object requests, where its SDK has one. Without it the
     * asynchronous API runs this driver's blocking methods on a bounded pool.
     *
     * @return the asynchronous requests, or empty (the default)
     */
    default Optional<AsyncStoreDriver> async() {
        return Optional.empty();
    }

    /**
     * The lease operations, when {@link io.leasehold.core.Capability#LEASES} is declared.
     *
     * @return the lease driver, or empty
     */
    default Optional<LeaseDriver> leases() {
        return Optional.empty();
    }

    /**
     * Measures what this driver's endpoint really does with conditions at the wire, for drivers whose
     * store speaks a protocol with known deviations: typically {@link io.leasehold.core.probe.ProbeEngine}
     * run over the driver's own {@link ProbeWire} and {@link ProbePlugin}, instead of the portable
     * wire through this driver.
     *
     * @param options scratch prefix, racers, rounds and request budget; MUST be respected
     * @return the report, or null (the default) to have the portable probe run through this driver
     */
    default @Nullable ProbeReport probe(ProbeOptions options) {
        return null;
    }

    /**
     * Exposes an underlying client (escape hatch). Each driver documents what it exposes.
     *
     * @param type the wanted type
     * @param <T> the type
     * @return the instance, or empty if this driver has nothing of that type
     */
    default <T> Optional<T> unwrap(Class<T> type) {
        return type.isInstance(this) ? Optional.of(type.cast(this)) : Optional.empty();
    }

    /** Releases resources the driver owns (not caller-supplied clients). */
    @Override
    default void close() {
    }
}
