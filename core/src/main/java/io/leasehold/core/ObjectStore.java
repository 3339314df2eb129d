package io.leasehold.core;

import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;

import io.leasehold.spi.StoreDriver;
import io.leasehold.spi.StoreDriverProvider;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The portable object store: conditional put, get, head and delete, and conflict-aware
 * read-modify-write, on any driver (memory, file, S3, Azure Blob, Tigris).
 *
 * <h2>Opening</h2>
 * {@link #open(String)} finds a driver by URI scheme through {@link ServiceLoader}: {@code mem://name}
 * (in-process, shared by name), {@code file:///path}, and with the adapters on the class path
 * {@code s3://bucket}, {@code tigris://bucket}, {@code azure://container}. {@link #of(StoreDriver)}
 * wraps a driver you built yourself (e.g. around an existing SDK client).
 *
 * <h2>What the facade does for every driver</h2>
 * <ul>
 *   <li>Validates keys and options before anything is sent ({@link InvalidArgumentException}).</li>
 *   <li>Refuses options the driver cannot honour ({@link NotSupportedException}), never
 *       degrading a conditional request to an unconditional one.</li>
 *   <li>Retries, in this one place, failures that by contract did not apply the request
 *       ({@link Conflicts#isRetryable}); drivers never retry conditional mutations themselves.</li>
 *   <li>Wraps anything unexpected from a driver in an {@link ObjectStoreException} with code
 *       {@link ErrorCode#UNKNOWN}, keeping the original as cause.</li>
 * </ul>
 *
 * <h2>Write ids and ambiguous outcomes</h2>
 * Every put is tagged with a fresh write id, and with the tokens of the versions it replaced as far
 * as the library knows them, in reserved metadata (names starting with {@code leasehold_}: refused
 * in your metadata, hidden from {@link ObjectInfo#userMetadata()}, and budgeted: your metadata may
 * use {@value #MAX_USER_METADATA_BYTES} of the {@value Validation#MAX_METADATA_BYTES} bytes stores
 * allow). When a write's response is lost, or a timeout, reset or 5xx follows it, one read settles
 * it: found (its write id is current, or named in the current version's history) &rarr; the put
 * succeeded; proven not applied (the version it was conditioned on is still current) &rarr; the same
 * request is sent again; neither &rarr; {@link OutcomeUnknownException}. Nothing is ever re-sent
 * that may have landed, whatever retry configuration you pass. The evidence rules, and why an ETag
 * equal to the base's proves nothing on stores whose ETags are content hashes (S3), are in the
 * README's error model.
 *
 * <h2>Large objects</h2>
 * {@link #put(String, InputStream, long, PutOptions, TransferOptions)} streams content of any
 * length (known or not) with bounded memory: up to one part it is one ordinary put; beyond, the
 * parts are staged in the store and committed under the same mode, conditions, write id and lease
 * guard as a single put, or the upload is aborted. {@link #openStream} and {@link #getToFile} read
 * in ranges pinned to the first response's version, resume dropped connections and verify the
 * store's checksum. See {@link TransferOptions} and the README's "Large objects".
 *
 * <h2>Read-modify-write</h2>
 * {@link #update(String, UpdateFunction, UpdateOptions)} reads, applies your function, writes with
 * If-Match (or create-if-absent), and on a lost race re-reads and tries again with full-jitter
 * backoff. A write whose outcome is unknown is settled from the next read before the function runs
 * again, so a change is never applied twice; when the evidence cannot tell, the update ends with
 * {@link OutcomeUnknownException}.
 *
 * <p>Thread-safety: safe for concurrent use by any number of threads; share one instance.
 */
public final class ObjectStore implements AutoCloseable {
    /** Prefix of the metadata names the library reserves for its bookkeeping. */
    public static final String RESERVED_METADATA_PREFIX = WriteTag.RESERVED_PREFIX;
    /**
     * Bytes (names plus values) of user metadata a caller may set: what every store allows, less
     * what the library reserves for its bookkeeping on each object.
     */
    public static final int MAX_USER_METADATA_BYTES = Validation.MAX_METADATA_BYTES - WriteTag.RESERVED_BYTES;
    /** The length to pass to a streaming put whose length is not known in advance. */
    public static final long UNKNOWN_LENGTH = -1;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final StoreDriver driver;
    private final Capabilities capabilities;
    private final Retry operationRetry;
    /** The retry of a staged upload's commit: like {@link #operationRetry}, but never for a conflict (the upload is gone). */
    private final Retry commitRetry;
    private final Leases leases;
    private final boolean uniqueEtags;
    private final Observing observing;
    private final UpdateCoalescer coalescer;

    private ObjectStore(StoreDriver driver, RetryConfig operationRetryConfig, StoreObserver observer) {
        this.driver = Objects.requireNonNull(driver, "driver");
        this.capabilities = driver.capabilities();
        this.uniqueEtags = capabilities.supports(Capability.ETAG_CHANGES_ON_IDENTICAL_REWRITE);
        this.operationRetry = Retry.of("leasehold-" + driver.name(), onlySafeResends(operationRetryConfig));
        this.commitRetry = Retry.of("leasehold-" + driver.name() + "-commit", commitsOnly(operationRetry.getRetryConfig()));
        this.observing = new Observing(driver.name(), Objects.requireNonNull(observer, "observer"), operationRetry);
        observing.warnIfUnsafe(capabilities);
        this.coalescer = new UpdateCoalescer(this, driver);
        this.leases = capabilities.supports(Capability.LEASES)
                ? driver.leases().map(leaseDriver -> new Leases(this, leaseDriver)).orElse(null)
                : null;
    }

    /**
     * Wraps a driver with the default operation retry ({@link Conflicts#operationRetryConfig()}).
     *
     * @param driver the driver; closing the store closes it
     * @return the store
     */
    public static ObjectStore of(StoreDriver driver) {
        return new ObjectStore(driver, Conflicts.operationRetryConfig(), StoreObserver.NONE);
    }

    /**
     * Wraps a driver with a custom retry for single operations.
     *
     * @param driver the driver; closing the store closes it
     * @param operationRetryConfig how often and when to retry; whatever its predicate says, only
     *     failures that by contract did not apply the request ({@link Conflicts#isRetryable}) are
     *     ever re-sent, so a mutation that may have landed is never sent twice
     * @return the store
     */
    public static ObjectStore of(StoreDriver driver, RetryConfig operationRetryConfig) {
        return new ObjectStore(driver, Objects.requireNonNull(operationRetryConfig, "operationRetryConfig"),
                StoreObserver.NONE);
    }

    /**
     * Opens a store by URI.
     *
     * @param uri e.g. {@code mem://demo}, {@code file:///var/data/leasehold}, {@code s3://bucket/prefix?region=eu-west-1}
     * @return the store; close it when done
     * @throws InvalidArgumentException if the URI is malformed or no driver serves its scheme
     */
    public static ObjectStore open(String uri) {
        return of(openDriver(uri));
    }

    /**
     * Starts a builder: a driver or URI, the operation retry, an observer.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Finds the driver for a store URI ({@link #open(String)}). */
    static StoreDriver openDriver(String uri) {
        if (uri == null || uri.isBlank()) {
            throw new InvalidArgumentException("uri", "must not be empty");
        }
        URI parsed;
        try {
            parsed = new URI(uri.trim());
        } catch (URISyntaxException e) {
            throw new InvalidArgumentException("uri", "malformed store URI: " + e.getReason());
        }
        if (parsed.getScheme() == null) {
            throw new InvalidArgumentException("uri", "needs a scheme such as mem://, file://, s3://, azure://, tigris://");
        }
        String scheme = parsed.getScheme().toLowerCase(Locale.ROOT);
        Set<String> known = new HashSet<>();
        for (StoreDriverProvider provider : ServiceLoader.load(StoreDriverProvider.class, ObjectStore.class.getClassLoader())) {
            if (provider.schemes().contains(scheme)) {
                return provider.open(parsed);
            }
            known.addAll(provider.schemes());
        }
        throw new InvalidArgumentException("uri", "no driver for scheme '" + scheme + "' on the class path (known: "
                + known + "); add the matching leasehold adapter module");
    }

    /**
     * What the underlying driver supports.
     *
     * @return the capabilities
     */
    public Capabilities capabilities() {
        return capabilities;
    }

    /**
     * The driver's short name, e.g. {@code memory}, {@code s3}.
     *
     * @return the name
     */
    public String driverName() {
        return driver.name();
    }

    /**
     * The Resilience4j retry used for single operations; subscribe to its events or read its metrics.
     *
     * @return the retry
     */
    public Retry operationRetry() {
        return operationRetry;
    }

    /**
     * Reaches the underlying client (escape hatch), e.g. the S3 or Azure SDK client. Each adapter
     * documents what it exposes.
     *
     * @param type the wanted type
     * @param <T> the type
     * @return the instance, or empty
     */
    public <T> Optional<T> unwrap(Class<T> type) {
        return driver.unwrap(type);
    }

    /**
     * The lease operations: acquire, renew, release, break, change, status, and background keepers.
     *
     * @return the leases of this store; the same instance on every call
     * @throws NotSupportedException if the driver has no leases ({@link Capability#LEASES})
     */
    public Leases leases() {
        if (leases == null) {
            throw new NotSupportedException(null, driver.name() + " driver does not support leases (capability "
                    + Capability.LEASES + ")", null);
        }
        return leases;
    }

    // ---------------------------------------------------------------- put

    /**
     * Writes bytes unconditionally.
     *
     * @param key the key
     * @param content the bytes
     * @return the new version
     * @throws InvalidArgumentException if the key or content is invalid
     */
    public PutResult put(String key, byte[] content) {
        return put(key, content, PutOptions.defaults());
    }

    /**
     * Writes bytes with a mode and conditions.
     *
     * @param key the key
     * @param content the bytes (copied; later changes to the array do not affect the write)
     * @param options mode, conditions, content type, metadata, lease
     * @return the new version
     * @throws ObjectAlreadyExistsException a create found the key
     * @throws PreconditionFailedException an update, replace or date condition failed
     * @throws LeaseException the object is leased and the write did not carry that lease
     * @throws NotSupportedException the driver cannot honour an option (nothing was sent)
     * @throws InvalidArgumentException an argument is invalid (nothing was sent)
     * @throws TransientException retries were exhausted on failures that did not apply the write
     * @throws OutcomeUnknownException the write may or may not have been applied
     */
    public PutResult put(String key, byte[] content, PutOptions options) {
        Observing.Op scope = observing.start(StoreObserver.Operation.PUT, key);
        try {
            return scope.succeeded(putUnobserved(key, content, options));
        } catch (RuntimeException e) {
            throw scope.failed(e);
        }
    }

    private PutResult putUnobserved(String key, byte[] content, PutOptions options) {
        Validation.key(key);
        if (content == null) {
            throw new InvalidArgumentException("content", "must not be null");
        }
        checkPut(options);
        return send(key, content.clone(), options);
    }

    /**
     * Writes a stream with the default {@link TransferOptions}: see
     * {@link #put(String, InputStream, long, PutOptions, TransferOptions)}.
     *
     * @param key the key
     * @param content the stream; read to its end (or to {@code length}), not closed
     * @param length the number of bytes, or {@link #UNKNOWN_LENGTH}
     * @param options mode, conditions, content type, metadata, lease
     * @return the new version
     * @throws ObjectStoreException as {@link #put(String, InputStream, long, PutOptions, TransferOptions)}
     */
    public PutResult put(String key, InputStream content, long length, PutOptions options) {
        return put(key, content, length, options, TransferOptions.defaults());
    }

    /**
     * Writes a stream of known or unknown length with bounded memory.
     *
     * <p>Content of at most one part ({@link TransferOptions#partSize()}, raised to the store's
     * minimum) is read into memory and sent as one ordinary put. Larger content is uploaded in
     * parts, at most {@link TransferOptions#buffers()} of them in memory and in flight at once, and
     * committed as one object under the options' mode and conditions, evaluated atomically at commit
     * (S3 CompleteMultipartUpload, Azure Put Block List, the file store's rename under its lock). The
     * write carries its write id and the lease guard like a single put, and a commit whose outcome is
     * unknown is settled the same way (see the class documentation). If anything fails after the
     * first part was sent — the stream, a part, a lost race at commit — the upload is aborted and its
     * parts discarded where the store can (S3); nothing becomes visible. A conditional put larger than
     * one part needs {@link Capability#CONDITIONAL_MULTIPART_COMMIT} and is refused before anything is
     * sent without it.
     *
     * @param key the key
     * @param content the stream; read to its end (or to {@code length}), not closed
     * @param length the number of bytes, or {@link #UNKNOWN_LENGTH} to read to the end
     * @param options mode, conditions, content type, metadata, lease
     * @param transfer part size, buffers, progress listener
     * @return the new version
     * @throws InvalidArgumentException if the length is invalid or the stream is shorter or longer
     *     than it (nothing was written), or the object exceeds the store's limits
     * @throws NotSupportedException a conditional put larger than one part on a store whose commit
     *     cannot carry the condition (nothing was sent), or an option the store cannot honour
     * @throws TransientException with {@link ErrorCode#CONFLICT} if a concurrent operation
     *     invalidated the staged upload (S3 409, Azure InvalidBlockList): nothing was written; put again
     * @throws ObjectStoreException as {@link #put(String, byte[], PutOptions)}; an
     *     {@link ErrorCode#UNKNOWN} failure whose cause is an {@link IOException} if reading the stream failed
     */
    public PutResult put(String key, InputStream content, long length, PutOptions options, TransferOptions transfer) {
        Observing.Op scope = observing.start(StoreObserver.Operation.PUT, key);
        try {
            return scope.succeeded(putUnobserved(key, content, length, options, transfer));
        } catch (RuntimeException e) {
            throw scope.failed(e);
        }
    }

    private PutResult putUnobserved(String key, InputStream content, long length, PutOptions options,
                                    TransferOptions transfer) {
        Validation.key(key);
        if (content == null) {
            throw new InvalidArgumentException("content", "must not be null");
        }
        if (length < UNKNOWN_LENGTH) {
            throw new InvalidArgumentException("length", "must be 0 or more, or UNKNOWN_LENGTH (-1); was " + length);
        }
        if (transfer == null) {
            throw new InvalidArgumentException("transfer", "must not be null");
        }
        checkPut(options);
        return new StreamingPut(this, driver, key, options, transfer).run(content, length);
    }

    // ---------------------------------------------------------------- get / head

    /**
     * Reads an object.
     *
     * @param key the key
     * @return the object
     * @throws ObjectNotFoundException if the key does not exist
     */
    public GetResult get(String key) {
        return get(key, GetOptions.defaults());
    }

    /**
     * Reads an object under conditions (RFC 9110 precedence, see {@link GetOptions}).
     *
     * @param key the key
     * @param options conditions and consistency
     * @return the object, or a not-modified result
     * @throws ObjectNotFoundException if the key does not exist
     * @throws PreconditionFailedException if If-Match or If-Unmodified-Since is false
     * @throws NotSupportedException if the driver cannot honour an option
     */
    public GetResult get(String key, GetOptions options) {
        Observing.Op scope = observing.start(StoreObserver.Operation.GET, key);
        try {
            return scope.succeeded(getUnobserved(key, options));
        } catch (RuntimeException e) {
            throw scope.failed(e);
        }
    }

    private GetResult getUnobserved(String key, GetOptions options) {
        Validation.key(key);
        checkGet(options);
        return read(key, options, true);
    }

    /**
     * Opens an object for streaming with the default {@link TransferOptions}.
     *
     * @param key the key
     * @return the open stream; close it
     * @throws ObjectStoreException as {@link #openStream(String, GetOptions, TransferOptions)}
     */
    public ObjectStream openStream(String key) {
        return openStream(key, GetOptions.defaults(), TransferOptions.defaults());
    }

    /**
     * Opens an object for streaming: the first range is requested now under the options'
     * conditions; the rest as you read, each range pinned to the first response's version
     * ({@code If-Match} on its ETag, and its version id where the store has them). A replacement of
     * the object during the read ends it with {@link ObjectChangedException} (or starts over while
     * nothing was read yet, under {@link TransferOptions.OnReplace#RESTART}); a dropped connection is
     * resumed from the last byte received; at the end the bytes are checked against the store's
     * checksum where it keeps one. Memory stays bounded by the HTTP client's buffers on stores with
     * {@link Capability#RANGED_READS}; elsewhere the object is read in one request into memory.
     *
     * @param key the key
     * @param options conditions and consistency of the first request
     * @param transfer range size, what to do when the object is replaced, resume attempts, checksums
     * @return the open stream, or a not-modified result; close it
     * @throws ObjectNotFoundException if the key does not exist
     * @throws PreconditionFailedException if If-Match or If-Unmodified-Since is false
     * @throws NotSupportedException if the driver cannot honour an option
     */
    public ObjectStream openStream(String key, GetOptions options, TransferOptions transfer) {
        // Observed as a get up to the first response; the reads that follow belong to the caller.
        Observing.Op scope = observing.start(StoreObserver.Operation.GET, key);
        try {
            return scope.succeeded(ObjectStream.of(openReader(key, options, transfer, false)));
        } catch (RuntimeException e) {
            throw scope.failed(e);
        }
    }

    /**
     * Reads an object into a file with the default {@link TransferOptions}.
     *
     * @param key the key
     * @param target the file to create or replace
     * @param options conditions and consistency
     * @return the object's information (no content), or a not-modified result
     * @throws ObjectStoreException as {@link #getToFile(String, Path, GetOptions, TransferOptions)}
     */
    public GetResult getToFile(String key, Path target, GetOptions options) {
        return getToFile(key, target, options, TransferOptions.defaults());
    }

    /**
     * Reads an object into a file, streaming as {@link #openStream} does, and replaces the target
     * atomically: the bytes go to a temporary file in the target's directory, are flushed to disk,
     * and the temporary file is renamed over the target only when every byte arrived and matched the
     * store's checksum. On any failure the target is untouched and the temporary file removed. Under
     * {@link TransferOptions.OnReplace#RESTART} a replacement of the object during the download starts
     * it over on the new version (the temporary file is truncated).
     *
     * @param key the key
     * @param target the file to create or replace; its directory must exist
     * @param options conditions and consistency
     * @param transfer range size, what to do when the object is replaced, resume attempts, checksums
     * @return the information of the version written to the file (a head-like result without
     *     content), or a not-modified result (the target untouched)
     * @throws ObjectNotFoundException if the key does not exist
     * @throws ObjectChangedException if the object was replaced during the download (and not restarted)
     * @throws ChecksumMismatchException if the bytes do not match the store's checksum
     * @throws InvalidArgumentException if the target's directory does not exist or the target is a directory
     * @throws ObjectStoreException with {@link ErrorCode#UNKNOWN} if writing the file failed
     */
    public GetResult getToFile(String key, Path target, GetOptions options, TransferOptions transfer) {
        Observing.Op scope = observing.start(StoreObserver.Operation.GET, key);
        try {
            return scope.succeeded(getToFileUnobserved(key, target, options, transfer));
        } catch (RuntimeException e) {
            throw scope.failed(e);
        }
    }

    private GetResult getToFileUnobserved(String key, Path target, GetOptions options, TransferOptions transfer) {
        if (target == null) {
            throw new InvalidArgumentException("target", "must not be null");
        }
        Path file = target.toAbsolutePath().normalize();
        Path dir = file.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new InvalidArgumentException("target", "its directory does not exist: " + dir);
        }
        if (Files.isDirectory(file)) {
            throw new InvalidArgumentException("target", "is a directory: " + file);
        }
        Object opened = openReader(key, options, transfer, true);
        if (!(opened instanceof RangedReader)) {
            return (GetResult) opened;
        }
        Path tmp = dir.resolve("." + file.getFileName() + "." + Long.toHexString(RANDOM.nextLong() & Long.MAX_VALUE)
                + ".part");
        boolean moved = false;
        try (RangedReader reader = (RangedReader) opened;
             FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            reader.onRestart(() -> {
                out.truncate(0);
                out.position(0);
            });
            byte[] buffer = new byte[64 * 1024];
            for (int n = reader.read(buffer); n >= 0; n = reader.read(buffer)) {
                ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
                while (chunk.hasRemaining()) {
                    out.write(chunk);
                }
            }
            out.force(true);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
            try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
                directory.force(true); // the rename itself survives a crash
            } catch (IOException bestEffort) {
                // Not every platform opens directories for sync; the rename is atomic regardless.
            }
            return GetResult.found(reader.info(), null);
        } catch (IOException e) {
            throw new ObjectStoreException(ErrorCode.UNKNOWN, key, "writing the download to " + file + " failed: "
                    + e.getClass().getSimpleName(), e);
        } finally {
            if (!moved) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a leftover temporary file is harmless
                }
            }
        }
    }

    /** Validates a streaming get and sends its first range request; a reader, or a not-modified result. */
    private Object openReader(String key, GetOptions options, TransferOptions transfer, boolean restartAnyTime) {
        Validation.key(key);
        checkGet(options);
        if (transfer == null) {
            throw new InvalidArgumentException("transfer", "must not be null");
        }
        if (options.ifMatch().filter(ETag::isWeak).isPresent()) {
            // If-Match compares strongly (RFC 9110 8.8.3): a weak tag never matches an object.
            headOrNotFound(key);
            throw new PreconditionFailedException(key, "If-Match with a weak ETag never matches", null);
        }
        return RangedReader.open(this, driver, key, guardedRead(key, options), transfer, restartAnyTime,
                capabilities.supports(Capability.RANGED_READS));
    }

    /**
     * Reads an object's metadata.
     *
     * @param key the key
     * @return the metadata
     * @throws ObjectNotFoundException if the key does not exist
     */
    public GetResult head(String key) {
        return head(key, GetOptions.defaults());
    }

    /**
     * Reads an object's metadata under conditions; same verdicts as {@link #get(String, GetOptions)}.
     *
     * @param key the key
     * @param options conditions and consistency
     * @return the metadata (no content), or a not-modified result
     * @throws ObjectNotFoundException if the key does not exist
     * @throws PreconditionFailedException if If-Match or If-Unmodified-Since is false
     * @throws NotSupportedException if the driver cannot honour an option
     */
    public GetResult head(String key, GetOptions options) {
        Observing.Op scope = observing.start(StoreObserver.Operation.HEAD, key);
        try {
            return scope.succeeded(headUnobserved(key, options));
        } catch (RuntimeException e) {
            throw scope.failed(e);
        }
    }

    private GetResult headUnobserved(String key, GetOptions options) {
        Validation.key(key);
        checkGet(options);
        return read(key, options, false);
    }

    // ---------------------------------------------------------------- delete

    /**
     * Deletes an object unconditionally.
     *
     * @param key the key
     * @throws ObjectNotFoundException if the key does not exist
     */
    public void delete(String key) {
        delete(key, DeleteOptions.defaults());
    }

    /**
     * Deletes an object under conditions.
     *
     * @param key the key
     * @param options If-Match and lease
     * @throws ObjectNotFoundException if the key does not exist
     * @throws PreconditionFailedException if If-Match does not hold (the object survives)
     * @throws LeaseException if the object is leased and the delete did not carry that lease
     * @throws NotSupportedException if the driver cannot evaluate If-Match on delete atomically
     */
    public void delete(String key, DeleteOptions options) {
        Observing.Op scope = observing.start(StoreObserver.Operation.DELETE, key);
        try {
            deleteUnobserved(key, options);
            scope.succeeded(null);
        } catch (RuntimeException e) {
            throw scope.failed(e);
        }
    }

    private void deleteUnobserved(String key, DeleteOptions options) {
        Validation.key(key);
        if (options == null) {
            throw new InvalidArgumentException("options", "must not be null");
        }
        if (options.ifMatch().isPresent()) {
            require(Capability.DELETE_IF_MATCH, "If-Match on delete");
        }
        options.leaseId().ifPresent(id -> {
            Validation.leaseId("leaseId", id);
            require(Capability.LEASES, "lease-guarded delete");
        });
        if (options.ifMatch().filter(ETag::isWeak).isPresent()) {
            // If-Match compares strongly (RFC 9110 8.8.3): a weak tag never matches; a missing key is still missing.
            headOrNotFound(key);
            throw new PreconditionFailedException(key, "If-Match with a weak ETag never matches", null);
        }
        Settlement.SentWrite sent = options.ifMatchVersion() == null ? null
                : Settlement.SentWrite.deleteOf(options.ifMatchVersion());
        call(key, () -> {
            try {
                driver.delete(key, Leases.guard(leases, key, options));
            } catch (OutcomeUnknownException unknown) {
                settleDelete(key, sent, unknown);
            }
            return null;
        });
    }

    // ---------------------------------------------------------------- update

    /**
     * Read-modify-write with the default retry (see {@link UpdateOptions}).
     *
     * @param key the key; created when absent
     * @param fn the change; may run several times, so keep it free of side effects
     * @return what was written
     * @throws ObjectStoreException as {@link #update(String, UpdateFunction, UpdateOptions)}
     */
    public UpdateResult update(String key, UpdateFunction fn) {
        return update(key, fn, UpdateOptions.defaults());
    }

    /**
     * Read-modify-write: read the current content (strongly), apply {@code fn}, write it back with
     * If-Match on the version read (create-if-absent when there was none); on a lost race or a
     * transient failure, re-read and try again under the configured retry.
     *
     * <p>A write whose outcome is unknown (lost response, timeout, reset, 5xx) is settled from the
     * next read before {@code fn} runs again: found (its write id is current or in the current
     * version's history), it is the result and {@code fn} is not applied again; proven absent (the
     * version it was conditioned on is still current, or on stores with unique ETags was followed by
     * another write), the loop goes on; otherwise the update ends with
     * {@link OutcomeUnknownException}. If a write that landed has since been replaced, the result
     * says so ({@link PutResult#isSuperseded()}) and its content is what this call wrote.
     *
     * <p><b>Coalescing.</b> Concurrent calls on the same key through this store are combined: one
     * thread reads once, applies the waiting calls' functions in arrival order (each sees the
     * previous one's output) and writes once, so a process's own writers never race each other.
     * Each call still gets its own result (its own output; all but the last call of a batch are
     * {@linkplain PutResult#isSuperseded() superseded} by the calls after them); a function that
     * throws fails only its caller; calls with different metadata, content type, lease or retry
     * configuration go in different batches. Functions run on whichever thread leads the batch, so
     * keep them fast and free of side effects. Turn it off per call with
     * {@link UpdateOptions.Builder#coalesce(boolean)}; a call with its own {@link Retry} instance
     * or a held version always runs alone.
     *
     * <p><b>One request.</b> A caller that already holds the object (a {@link #get} result) passes
     * it with {@link UpdateOptions.Builder#startingFrom(GetResult)}: the first attempt skips the read
     * and writes If-Match on the held version, so an update of an unchanged object is one request; a
     * stale copy costs one refused write, then the loop reads as usual.
     *
     * @param key the key; created when absent
     * @param fn the change; may run several times, so keep it free of side effects
     * @param options retry, listener, content type, metadata, lease
     * @return what was written, with attempt and conflict counts
     * @throws ObjectStoreException when retries are exhausted (the last failure, typically
     *     {@link PreconditionFailedException}) or on a failure that is not retried
     * @throws OutcomeUnknownException if a write whose outcome is unknown can be neither found nor
     *     ruled out, also when the retries end before it could be settled; the change may or may not
     *     be in the store, so read before acting again
     * @throws NotSupportedException if the driver lacks create-if-absent or If-Match puts, or a
     *     lease was given and the driver has no leases
     * @throws InvalidArgumentException if the key, metadata (including its size budget), content
     *     type or lease id is invalid, or the held version is another key's (nothing was sent)
     */
    public UpdateResult update(String key, UpdateFunction fn, UpdateOptions options) {
        Observing.Op scope = observing.start(StoreObserver.Operation.UPDATE, key);
        try {
            return scope.succeeded(updateUnobserved(key, fn, options, scope));
        } catch (RuntimeException e) {
            throw scope.failed(e);
        }
    }

    private UpdateResult updateUnobserved(String key, UpdateFunction fn, UpdateOptions options, Observing.Op scope) {
        Validation.key(key);
        if (fn == null) {
            throw new InvalidArgumentException("fn", "must not be null");
        }
        if (options == null) {
            throw new InvalidArgumentException("options", "must not be null");
        }
        require(Capability.PUT_IF_ABSENT, "read-modify-write (create-if-absent)");
        require(Capability.PUT_IF_MATCH, "read-modify-write (If-Match)");
        checkUserMetadata(options.userMetadata());
        options.contentType().ifPresent(Validation::contentType);
        options.leaseId().ifPresent(id -> {
            Validation.leaseId("leaseId", id);
            require(Capability.LEASES, "lease-guarded read-modify-write");
        });
        options.startingFrom().ifPresent(held -> {
            if (!held.info().key().equals(key)) {
                throw new InvalidArgumentException("startingFrom", "holds another key's object, not the key updated");
            }
        });
        UpdateOptions observed = observing.observed(options, scope);
        if (UpdateCoalescer.coalescible(observed)) {
            return coalescer.update(key, fn, observed);
        }
        return coalescer.runLoop(key, fn, observed);
    }

    // ---------------------------------------------------------------- writes and settlement

    /**
     * Sends a put under the single retry layer, tagged with a fresh write id; a failure whose outcome
     * is unknown is settled by one read before anything is sent again.
     */
    PutResult send(String key, byte[] content, PutOptions options) {
        PreparedPut prepared = preparePut(key, options);
        return sendSettled(operationRetry, key, content.length, prepared.sent,
                () -> sendOnce(key, content, prepared.tagged, prepared.sent));
    }

    /**
     * The attempts of one put (a single put, or a staged upload's commit) under {@code retry}, each
     * carrying the same write id. An unknown outcome is settled by one read; proven not applied, the
     * write is sent again. A refusal of such a re-send (412, already exists, conflict) may be the
     * earlier send landing after the read that cleared it (a timed-out request the server was still
     * working on): the write id decides, so our own write is never reported as someone else's.
     * (After failures that prove nothing was applied, such as 503 or 409, no earlier send can land.)
     */
    private PutResult sendSettled(Retry retry, String key, long size, Settlement.SentWrite sent, Supplier<PutResult> send) {
        boolean[] unknownBefore = {false};
        return Retry.decorateSupplier(retry, () -> wrap(key, () -> {
            try {
                return send.get();
            } catch (OutcomeUnknownException unknown) {
                unknownBefore[0] = true;
                return settlePut(key, size, sent, unknown);
            } catch (ObjectStoreException refused) {
                if (unknownBefore[0] && RESEND_REFUSALS.contains(refused.code())) {
                    return refusedResend(key, size, sent, refused);
                }
                throw refused;
            }
        })).get();
    }

    /** Refusals of a re-sent write that an earlier send of it landing would also explain. */
    private static final Set<ErrorCode> RESEND_REFUSALS =
            EnumSet.of(ErrorCode.PRECONDITION_FAILED, ErrorCode.ALREADY_EXISTS, ErrorCode.CONFLICT);

    private PutResult refusedResend(String key, long size, Settlement.SentWrite sent, ObjectStoreException refused) {
        GetResult current;
        try {
            current = readBack(key);
        } catch (ObjectStoreException readFailed) {
            refused.addSuppressed(readFailed);
            throw new OutcomeUnknownException(key, "a re-sent write was refused (" + refused.code() + ") and reading"
                    + " back to see whether its earlier send landed failed; it was not sent again", refused);
        }
        Settlement.Current now = Settlement.Current.of(current == null ? null : current.info());
        if (!now.absent()) {
            Settlement.Verdict verdict = Settlement.ofPut(sent, now, uniqueEtags);
            if (verdict == Settlement.Verdict.LANDED || verdict == Settlement.Verdict.SUPERSEDED) {
                observing.settled(StoreObserver.Operation.PUT, key, verdict);
                return found(key, size, sent, verdict, now);
            }
        }
        throw refused;
    }

    /** A put found in the store: the current version (landed), or replaced since (superseded). */
    private static PutResult found(String key, long size, Settlement.SentWrite sent, Settlement.Verdict verdict,
                                   Settlement.Current current) {
        return verdict == Settlement.Verdict.LANDED
                ? landedAs(current.info, sent.writeId) : PutResult.superseded(key, size, sent.writeId);
    }

    /** A put ready to send: its write as settlement knows it, and the options tagged with its write id. */
    static final class PreparedPut {
        final Settlement.SentWrite sent;
        final PutOptions tagged;

        PreparedPut(Settlement.SentWrite sent, PutOptions tagged) {
            this.sent = sent;
            this.tagged = tagged;
        }
    }

    /** Gives a put its write id and bookkeeping; answers a weak If-Match (which never matches) itself. */
    PreparedPut preparePut(String key, PutOptions options) {
        if (options.mode().kind() == PutMode.Kind.UPDATE && options.mode().expected().orElseThrow().etag().isWeak()) {
            // If-Match compares strongly (RFC 9110 8.8.3): a weak tag, or a version whose ETag is
            // unknown, never matches, whether or not the key exists.
            throw new PreconditionFailedException(key, "If-Match with a weak ETag never matches", null);
        }
        String writeId = WriteTag.newWriteId();
        Settlement.SentWrite sent = options.mode().kind() == PutMode.Kind.UPDATE
                ? Settlement.SentWrite.onBase(writeId, options.mode().expected().orElseThrow())
                : Settlement.SentWrite.unconditioned(writeId);
        return new PreparedPut(sent, tagged(options, sent));
    }

    /** Sends one tagged put; resolves a store's acknowledgement that named no version. */
    PutResult sendOnce(String key, byte[] content, PutOptions tagged, Settlement.SentWrite sent) {
        PutOptions sendable = guardedPut(key, tagged);
        return acknowledged(key, content.length, sent, wrap(key, () -> driver.put(key, content, sendable)));
    }

    /**
     * The seam through which every put is sent: the options a put goes out with. Lease-guarded
     * writes on stores without native leases are made conditional here (the single place single
     * puts and staged uploads share).
     */
    PutOptions guardedPut(String key, PutOptions tagged) {
        return Leases.guard(leases, key, tagged);
    }

    /** The seam through which every read of a streaming get is sent, as {@link #guardedPut} for puts. */
    GetOptions guardedRead(String key, GetOptions options) {
        return Leases.guard(leases, key, options);
    }

    /**
     * Commits a staged upload under the commit retry, settling an unknown outcome from the write id
     * exactly as a single put is settled; proven not applied, the commit is sent again.
     */
    PutResult commitStaged(String key, long size, Settlement.SentWrite sent, Supplier<PutResult> commit) {
        return sendSettled(commitRetry, key, size, sent, () -> acknowledged(key, size, sent, wrap(key, commit)));
    }

    /** A driver's answer to a write as callers get it; an answer that named no version is resolved by the write id. */
    private PutResult acknowledged(String key, long size, Settlement.SentWrite sent, PutResult written) {
        if (!written.versionMissing()) {
            return written.tagged(sent.writeId);
        }
        // The store acknowledged the write without naming its version: credit the current version
        // only if it carries this write's id, never someone else's.
        GetResult current;
        try {
            current = readBack(key);
        } catch (ObjectStoreException readFailed) {
            return PutResult.superseded(key, size, sent.writeId);
        }
        if (current != null && sent.writeId.equals(WriteTag.of(current.info().userMetadata()).writeId())) {
            return landedAs(current.info(), sent.writeId);
        }
        return PutResult.superseded(key, size, sent.writeId);
    }

    /** Adds the write id and what the library knows of the replaced version's history. */
    private PutOptions tagged(PutOptions options, Settlement.SentWrite sent) {
        if (!capabilities.supports(Capability.USER_METADATA)) {
            return options;
        }
        PutOptions.Builder b = options.toBuilder().metadata(WriteTag.WRITE_ID, sent.writeId);
        if (options.mode().kind() == PutMode.Kind.CREATE) {
            b.metadata(WriteTag.HISTORY, WriteTag.CREATED);
        } else if (sent.baseToken != null) {
            b.metadata(WriteTag.HISTORY, sent.baseToken);
        }
        return b.build();
    }

    private PutResult settlePut(String key, long size, Settlement.SentWrite sent, OutcomeUnknownException unknown) {
        Settlement.Current current = settlementRead(StoreObserver.Operation.PUT, key, unknown);
        Settlement.Verdict verdict = Settlement.ofPut(sent, current, uniqueEtags);
        observing.settled(StoreObserver.Operation.PUT, key, verdict);
        switch (verdict) {
            case LANDED:
            case SUPERSEDED:
                return found(key, size, sent, verdict, current);
            case NOT_LANDED:
                // Proven not applied: the retry layer may send the very same request again.
                throw new TransientException(ErrorCode.TRANSIENT, key, "the write's outcome was unknown and"
                        + " reading back proved it was not applied; safe to send again", unknown);
            default:
                throw new OutcomeUnknownException(key, "the write's outcome is unknown and reading back could"
                        + " neither find it nor rule it out (see the README's error model); it was not sent again",
                        unknown);
        }
    }

    private void settleDelete(String key, Settlement.SentWrite sent, OutcomeUnknownException unknown) {
        if (sent == null) {
            // An unconditional delete leaves nothing to recognise: gone may be this delete or another.
            observing.settled(StoreObserver.Operation.DELETE, key, StoreObserver.Verdict.UNKNOWN);
            throw unknown;
        }
        Settlement.Current current = settlementRead(StoreObserver.Operation.DELETE, key, unknown);
        Settlement.Verdict verdict = Settlement.ofDelete(sent, current, uniqueEtags);
        observing.settled(StoreObserver.Operation.DELETE, key, verdict);
        if (verdict == Settlement.Verdict.NOT_LANDED) {
            throw new TransientException(ErrorCode.TRANSIENT, key, "the delete's outcome was unknown and reading"
                    + " back proved it was not applied; safe to send again", unknown);
        }
        throw unknown;
    }

    /** Reads for settlement at most this often: a throttled or reset read says nothing about the write. */
    private static final int SETTLEMENT_READS = 3;

    /**
     * A strong read of the current object for settlement, repeated (after 10 and 40 ms) while it fails
     * in a way that did not read anything; if no read succeeds, the outcome stays unknown.
     */
    private Settlement.Current settlementRead(StoreObserver.Operation operation, String key,
                                              OutcomeUnknownException unknown) {
        for (int read = 1; ; read++) {
            try {
                GetResult current = readBack(key);
                return Settlement.Current.of(current == null ? null : current.info());
            } catch (ObjectStoreException readFailed) {
                unknown.addSuppressed(readFailed);
                if (!Conflicts.isRetryable(readFailed) || read == SETTLEMENT_READS) {
                    observing.settled(operation, key, StoreObserver.Verdict.UNKNOWN);
                    throw new OutcomeUnknownException(key, "the write's outcome is unknown and reading back failed ("
                            + readFailed.code() + ", " + read + " reads); it was not sent again", unknown);
                }
                try {
                    Thread.sleep(10L << (2 * (read - 1)));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    observing.settled(operation, key, StoreObserver.Verdict.UNKNOWN);
                    throw new OutcomeUnknownException(key, "the write's outcome is unknown; interrupted while"
                            + " reading back; it was not sent again", unknown);
                }
            }
        }
    }

    /** The current object's metadata with the library's bookkeeping, or null if absent. */
    private GetResult readBack(String key) {
        try {
            return wrap(key, () -> driver.get(key, GetOptions.builder().consistency(strongest()).build(), false));
        } catch (ObjectNotFoundException absent) {
            return null;
        }
    }

    /** The result of a put found to be the current version. */
    static PutResult landedAs(ObjectInfo rawInfo, String writeId) {
        return new PutResult(rawInfo.key(), rawInfo.version(), rawInfo.size(), rawInfo.lastModified()).tagged(writeId);
    }

    // ---------------------------------------------------------------- reads

    private GetResult read(String key, GetOptions options, boolean withContent) {
        if (options.ifMatch().filter(ETag::isWeak).isPresent()) {
            // If-Match compares strongly (RFC 9110 8.8.3): a weak tag never matches an object.
            headOrNotFound(key);
            throw new PreconditionFailedException(key, "If-Match with a weak ETag never matches", null);
        }
        return published(call(key, () -> driver.get(key, Leases.guard(leases, key, options), withContent)));
    }

    /** Throws not found if the key is absent (answers a condition that can only fail otherwise). */
    private void headOrNotFound(String key) {
        GetOptions strong = GetOptions.builder().consistency(strongest()).build();
        call(key, () -> driver.get(key, strong, false));
    }

    /** A driver's result as callers see it: bookkeeping hidden, the version tagged with its write id. */
    static GetResult published(GetResult raw) {
        if (raw.isNotModified()) {
            return raw;
        }
        ObjectInfo info = raw.info();
        Map<String, String> user = WriteTag.userMetadata(info.userMetadata());
        String writeId = WriteTag.writeIdOf(info.userMetadata()); // the history is not needed here
        if (user == info.userMetadata() && writeId == null) {
            return raw;
        }
        ObjectInfo visible = new ObjectInfo(info.key(), info.version().withWriteId(writeId), info.size(),
                info.lastModified(), info.contentType().orElse(null), user);
        return raw.publishedAs(visible);
    }

    // ---------------------------------------------------------------- helpers

    /** Strong reads where the store has them (settlement and read-modify-write need the latest version). */
    ReadConsistency strongest() {
        return capabilities.supports(Capability.STRONG_READS) ? ReadConsistency.STRONG : ReadConsistency.EVENTUAL;
    }

    private void checkPut(PutOptions options) {
        if (options == null) {
            throw new InvalidArgumentException("options", "must not be null");
        }
        switch (options.mode().kind()) {
            case CREATE:
                require(Capability.PUT_IF_ABSENT, "create-if-absent put");
                break;
            case REPLACE:
                require(Capability.PUT_IF_PRESENT, "replace-if-present put");
                break;
            case UPDATE:
                require(Capability.PUT_IF_MATCH, "If-Match put");
                break;
            default:
                break;
        }
        if (options.ifModifiedSince().isPresent()) {
            require(Capability.PUT_IF_MODIFIED_SINCE, "If-Modified-Since on put");
        }
        if (options.ifUnmodifiedSince().isPresent()) {
            require(Capability.PUT_IF_UNMODIFIED_SINCE, "If-Unmodified-Since on put");
        }
        if (!options.userMetadata().isEmpty()) {
            require(Capability.USER_METADATA, "user metadata");
            checkUserMetadata(options.userMetadata());
        }
        options.contentType().ifPresent(Validation::contentType);
        options.leaseId().ifPresent(id -> {
            Validation.leaseId("leaseId", id);
            require(Capability.LEASES, "lease-guarded put");
        });
        if (options.consistency() == ReadConsistency.STRONG && options.isConditional()) {
            require(Capability.STRONG_READS, "strongly evaluated conditions");
        }
    }

    private void checkGet(GetOptions options) {
        if (options == null) {
            throw new InvalidArgumentException("options", "must not be null");
        }
        if (options.ifMatch().isPresent()) {
            require(Capability.GET_IF_MATCH, "If-Match on get/head");
        }
        if (options.ifNoneMatch().isPresent()) {
            require(Capability.GET_IF_NONE_MATCH, "If-None-Match on get/head");
        }
        if (options.ifModifiedSince().isPresent()) {
            require(Capability.GET_IF_MODIFIED_SINCE, "If-Modified-Since on get/head");
        }
        if (options.ifUnmodifiedSince().isPresent()) {
            require(Capability.GET_IF_UNMODIFIED_SINCE, "If-Unmodified-Since on get/head");
        }
        if (options.consistency() == ReadConsistency.STRONG) {
            require(Capability.STRONG_READS, "strong reads");
        }
        options.leaseId().ifPresent(id -> {
            Validation.leaseId("leaseId", id);
            require(Capability.LEASES, "lease-guarded read");
        });
    }

    /** Callers' metadata: portable names, none reserved, within the budget the bookkeeping leaves. */
    private static void checkUserMetadata(Map<String, String> metadata) {
        for (String name : metadata.keySet()) {
            if (WriteTag.isReserved(name)) {
                throw new InvalidArgumentException("userMetadata", "name '" + name + "' is reserved: names starting"
                        + " with '" + WriteTag.RESERVED_PREFIX + "' hold the library's bookkeeping");
            }
        }
        Validation.metadata(metadata, MAX_USER_METADATA_BYTES);
    }

    /**
     * The caller's retry configuration, narrowed so that only failures that by contract did not apply
     * the request are ever re-sent: a mutation that may have landed is never sent twice.
     */
    static RetryConfig onlySafeResends(RetryConfig config) {
        Predicate<Throwable> callers = config.getExceptionPredicate();
        return RetryConfig.from(config)
                .retryExceptions()
                .ignoreExceptions()
                .retryOnException(t -> Conflicts.isRetryable(t) && callers.test(t))
                .build();
    }

    /**
     * The retry of a staged upload's commit: the operation retry, except for a conflict, which means
     * the staged parts are gone (S3 409 on CompleteMultipartUpload, Azure InvalidBlockList) and only
     * a new upload can succeed.
     */
    static RetryConfig commitsOnly(RetryConfig config) {
        Predicate<Throwable> operations = config.getExceptionPredicate();
        return RetryConfig.from(config)
                .retryOnException(t -> operations.test(t) && Conflicts.codeOf(t) != ErrorCode.CONFLICT)
                .build();
    }

    void require(Capability capability, String what) {
        if (!capabilities.supports(capability)) {
            throw new NotSupportedException(null, driver.name() + " driver does not support " + what
                    + " (capability " + capability + ")", null);
        }
    }

    /** Scopes, retry and settlement reports, log lines (also used by {@link Leases}, {@link LeaseKeeper}, {@link ReadModifyWrite}). */
    Observing observing() {
        return observing;
    }

    /** The driver, for {@link StoreProbe} (not exposed to users). */
    StoreDriver driver() {
        return driver;
    }

    /** Runs one driver call under the single retry layer (also used by {@link Leases}). */
    <T> T call(String key, Supplier<T> op) {
        return Retry.decorateSupplier(operationRetry, () -> wrap(key, op)).get();
    }

    /** Runs one driver call, wrapping anything unexpected in an {@link ObjectStoreException}. */
    <T> T wrap(String key, Supplier<T> op) {
        try {
            return op.get();
        } catch (ObjectStoreException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ObjectStoreException(ErrorCode.UNKNOWN, key,
                    driver.name() + " driver failed with " + e.getClass().getSimpleName(), e);
        }
    }

    /** Closes the driver and whatever it owns. */
    @Override
    public void close() {
        driver.close();
    }

    @Override
    public String toString() {
        return "ObjectStore{" + driver.name() + "}";
    }

    /**
     * Builds a store from a driver or a URI, with an operation retry and an observer:
     *
     * <pre>{@code
     * ObjectStore store = ObjectStore.builder()
     *         .uri("s3://bucket/prefix?region=eu-west-1")
     *         .observer(LeaseholdMetrics.builder(meterRegistry).build())   // leasehold-micrometer
     *         .build();
     * }</pre>
     *
     * <p>Thread-safety: not thread-safe; build on one thread.
     */
    public static final class Builder {
        private StoreDriver driver;
        private String uri;
        private RetryConfig operationRetryConfig = Conflicts.operationRetryConfig();
        private StoreObserver observer = StoreObserver.NONE;

        private Builder() {
        }

        /**
         * The driver to wrap (instead of a URI); closing the store closes it.
         *
         * @param driver the driver
         * @return this builder
         */
        public Builder driver(StoreDriver driver) {
            this.driver = driver;
            return this;
        }

        /**
         * The store URI to open (instead of a driver), as {@link ObjectStore#open(String)}.
         *
         * @param uri e.g. {@code mem://demo}, {@code azure://container?endpoint=...}
         * @return this builder
         */
        public Builder uri(String uri) {
            this.uri = uri;
            return this;
        }

        /**
         * The retry for single operations (default {@link Conflicts#operationRetryConfig()}); as with
         * {@link ObjectStore#of(StoreDriver, RetryConfig)}, only failures that by contract did not
         * apply the request are ever re-sent.
         *
         * @param config the retry configuration
         * @return this builder
         */
        public Builder operationRetryConfig(RetryConfig config) {
            this.operationRetryConfig = config;
            return this;
        }

        /**
         * Who hears operations, retries, settlements and lease events (default
         * {@link StoreObserver#NONE}); combine several with {@link StoreObserver#composite}.
         *
         * @param observer the observer
         * @return this builder
         */
        public Builder observer(StoreObserver observer) {
            this.observer = observer;
            return this;
        }

        /**
         * Opens the store.
         *
         * @return the store; close it when done
         * @throws InvalidArgumentException if neither or both of driver and URI are set, an argument
         *     is null, or the URI is malformed or has no driver on the class path
         */
        public ObjectStore build() {
            if ((driver == null) == (uri == null)) {
                throw new InvalidArgumentException("driver", "set exactly one of driver(...) and uri(...)");
            }
            if (operationRetryConfig == null) {
                throw new InvalidArgumentException("operationRetryConfig", "must not be null");
            }
            if (observer == null) {
                throw new InvalidArgumentException("observer", "must not be null; use StoreObserver.NONE");
            }
            return new ObjectStore(driver != null ? driver : openDriver(uri), operationRetryConfig, observer);
        }
    }
}
