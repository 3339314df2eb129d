package io.leasehold.core;

import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.leasehold.core.internal.Futures;
import io.leasehold.core.internal.Observing;
import io.leasehold.core.internal.OptionChecks;
import io.leasehold.core.internal.StoreCore;
import io.leasehold.core.internal.Validation;
import io.leasehold.core.internal.copy.CopyProtocol;
import io.leasehold.core.internal.lease.LeaseService;
import io.leasehold.core.internal.transfer.Downloads;
import io.leasehold.core.internal.transfer.StreamingPut;
import io.leasehold.core.internal.update.CallOutcome;
import io.leasehold.core.internal.write.WriteOutcome;
import io.leasehold.core.internal.write.WriteTag;
import io.leasehold.core.lease.Leases;
import io.leasehold.core.transfer.ObjectStream;
import io.leasehold.core.transfer.TransferOptions;
import io.leasehold.spi.GetResponse;
import io.leasehold.spi.ListResponse;
import io.leasehold.spi.StoreDriver;
import io.leasehold.spi.StoreDriverProvider;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

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
    public static final int MAX_USER_METADATA_BYTES = OptionChecks.MAX_USER_METADATA_BYTES;
    /** The length to pass to a streaming put whose length is not known in advance. */
    public static final long UNKNOWN_LENGTH = -1;

    private final StoreCore core;
    private final Observing observing;
    private final OptionChecks checks;
    private final Leases leases;
    private final Downloads downloads;
    private final CopyProtocol copies;
    private final AsyncObjectStore async;
    private final UpdateOptions defaultUpdateOptions;

    private ObjectStore(StoreDriver driver, RetryConfig operationRetryConfig, StoreObserver observer,
                        AsyncOptions asyncOptions, UpdateOptions defaultUpdateOptions) {
        this.core = new StoreCore(Objects.requireNonNull(driver, "driver"), operationRetryConfig,
                Objects.requireNonNull(observer, "observer"));
        this.observing = core.observing();
        this.checks = core.checks();
        core.asyncOptions(asyncOptions);
        this.leases = core.leaseDriver() == null ? null : new LeaseService(core, this::createIfAbsent);
        this.downloads = new Downloads(core, ObjectStore::published);
        this.copies = new CopyProtocol(core, downloads, ObjectStore::published, (key, o) -> written(key, o).version());
        this.async = new AsyncObjectStore(this, core);
        this.defaultUpdateOptions = defaultUpdateOptions;
    }

    /**
     * Wraps a driver with the default operation retry ({@link Conflicts#operationRetryConfig()}).
     *
     * @param driver the driver; closing the store closes it
     * @return the store
     */
    public static ObjectStore of(StoreDriver driver) {
        return new ObjectStore(driver, Conflicts.operationRetryConfig(), StoreObserver.NONE, AsyncOptions.defaults(),
                UpdateOptions.defaults());
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
                StoreObserver.NONE, AsyncOptions.defaults(), UpdateOptions.defaults());
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
        return core.capabilities();
    }

    /**
     * The driver's short name, e.g. {@code memory}, {@code s3}.
     *
     * @return the name
     */
    public String driverName() {
        return core.driver().name();
    }

    /**
     * The Resilience4j retry used for single operations; subscribe to its events or read its metrics.
     *
     * @return the retry
     */
    public Retry operationRetry() {
        return core.operationRetry();
    }

    /**
     * Reaches the underlying client (escape hatch), e.g. the S3 or Azure SDK client. Each adapter
     * documents what it exposes. {@code unwrap(StoreDriver.class)} returns the store's driver itself.
     *
     * @param type the wanted type
     * @param <T> the type
     * @return the instance, or empty
     */
    public <T> Optional<T> unwrap(Class<T> type) {
        StoreDriver driver = core.driver();
        return type.isInstance(driver) ? Optional.of(type.cast(driver)) : driver.unwrap(type);
    }

    /**
     * The lease operations: acquire, renew, release, break, change, status, and background keepers.
     *
     * @return the leases of this store; the same instance on every call
     * @throws NotSupportedException if the driver has no leases ({@link Capability#LEASES})
     */
    public Leases leases() {
        if (leases == null) {
            throw new NotSupportedException(null, driverName() + " driver does not support leases (capability "
                    + Capability.LEASES + ")", null);
        }
        return leases;
    }

    /**
     * The non-blocking face of this store: the same operations and semantics, returning futures. Its
     * threads are created on first use and stopped when this store is closed.
     *
     * @return the asynchronous store; the same instance on every call
     */
    public AsyncObjectStore async() {
        return async;
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
        return observing.observe(StoreObserver.Operation.PUT, key, scope -> {
            Validation.key(key);
            if (content == null) {
                throw new InvalidArgumentException("content", "must not be null");
            }
            checks.put(options);
            return written(key, core.put(key, content.clone(), options));
        });
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
     *     {@link ErrorCode#UNKNOWN} failure whose cause is an {@link java.io.IOException} if reading the stream failed
     */
    public PutResult put(String key, InputStream content, long length, PutOptions options, TransferOptions transfer) {
        return observing.observe(StoreObserver.Operation.PUT, key, scope -> {
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
            checks.put(options);
            return written(key, new StreamingPut(core, key, options, transfer).run(content, length));
        });
    }

    /** The creation of an absent object a lease acquire asks for: an empty object, created if absent. */
    private void createIfAbsent(String key) {
        put(key, new byte[0], PutOptions.of(PutMode.create()));
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
        return read(StoreObserver.Operation.GET, key, options, true);
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
        return observing.observe(StoreObserver.Operation.GET, key, scope -> {
            Validation.key(key);
            checks.get(options);
            return downloads.openStream(key, options, transfer);
        });
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
        return observing.observe(StoreObserver.Operation.GET, key, scope -> {
            Validation.key(key);
            checks.get(options);
            Downloads.Result written = downloads.toFile(key, target, options, transfer);
            return written.info == null ? GetResult.notModified(written.notModifiedVersion)
                    : GetResult.found(written.info, null);
        });
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
        return read(StoreObserver.Operation.HEAD, key, options, false);
    }

    /**
     * Whether an object exists: one HEAD, observed as a head that succeeded either way.
     *
     * @param key the key
     * @return true if the store has the key, false if it answered "not found"
     * @throws ObjectNotFoundException naming no key if the store itself does not exist (a file store's
     *     directory): a typo in the store's location never reads as a missing key
     * @throws InvalidArgumentException if the key is invalid (nothing was sent)
     * @throws ObjectStoreException any other failure of the HEAD, as {@link #head(String)} (e.g.
     *     {@link AccessDeniedException}, or {@link TransientException} once retries are exhausted)
     */
    public boolean exists(String key) {
        return observing.observe(StoreObserver.Operation.HEAD, key, scope -> {
            Validation.key(key);
            try {
                core.get(key, GetOptions.defaults(), false);
                return true;
            } catch (ObjectNotFoundException absent) {
                if (absent.key().isEmpty()) {
                    throw absent; // the store itself does not exist: not an answer about the key
                }
                return false;
            }
        });
    }

    private GetResult read(StoreObserver.Operation operation, String key, GetOptions options, boolean withContent) {
        return observing.observe(operation, key, scope -> {
            Validation.key(key);
            checks.get(options);
            return published(core.get(key, options, withContent));
        });
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
        observing.observe(StoreObserver.Operation.DELETE, key, scope -> {
            Validation.key(key);
            checks.delete(options);
            core.delete(key, options);
            return null;
        });
    }

    // ---------------------------------------------------------------- list

    /**
     * Lists every object whose key starts with {@code prefix}, lazily, page by page, in ascending key
     * order (see {@link ListPage} for what each entry holds and what a listing sees of concurrent
     * writes). Nothing is sent until the stream is consumed; each page is one request, retried like
     * a read. The library's records (keys under a {@code .leasehold/} segment: this store's, and those
     * of stores under a key prefix, such as {@code team/.leasehold/lease/k}) are never listed.
     *
     * <pre>{@code
     * try (Stream<ObjectInfo> reports = store.list("reports/2026/")) {
     *     reports.forEach(info -> System.out.println(info.key() + " " + info.size()));
     * }
     * }</pre>
     *
     * @param prefix the prefix; empty lists everything
     * @return the entries; failures of a page surface from the stream's operations as the
     *     {@link ObjectStoreException}s of {@link #listPage}
     * @throws InvalidArgumentException if the prefix is invalid or under a {@code .leasehold/} segment
     *     (nothing was sent)
     * @throws NotSupportedException if the driver cannot list ({@link Capability#LIST})
     */
    public Stream<ObjectInfo> list(String prefix) {
        return list(prefix, ListOptions.defaults());
    }

    /**
     * Lists lazily as {@link #list(String)} does, with a page size and from a continuation token.
     *
     * @param prefix the prefix; empty lists everything
     * @param options page size and where to start; no delimiter (use {@link #listPage} to see common prefixes)
     * @return the entries
     * @throws InvalidArgumentException if the prefix or an option is invalid, or a delimiter is given
     * @throws NotSupportedException if the driver cannot list ({@link Capability#LIST})
     */
    public Stream<ObjectInfo> list(String prefix, ListOptions options) {
        checks.list(prefix, options);
        if (options.delimiter().isPresent()) {
            throw new InvalidArgumentException("delimiter", "a lazy listing yields objects only; read common prefixes"
                    + " with listPage");
        }
        String from = Validation.prefix(prefix);
        Iterator<ObjectInfo> entries = new Iterator<>() {
            private Iterator<ObjectInfo> page = java.util.Collections.emptyIterator();
            private String token = options.continuationToken().orElse(null);
            private boolean started;

            @Override
            public boolean hasNext() {
                while (!page.hasNext() && (!started || token != null)) {
                    ListPage next = listPage(from, options.toBuilder().continuationToken(token).build());
                    started = true;
                    token = next.continuationToken().orElse(null);
                    page = next.objects().iterator();
                }
                return page.hasNext();
            }

            @Override
            public ObjectInfo next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                return page.next();
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(entries,
                Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.DISTINCT), false);
    }

    /**
     * Reads one page of a listing, for callers that page themselves: pass the page's
     * {@link ListPage#continuationToken()} back in the options for the next one. With a delimiter
     * (e.g. {@code "/"}), keys whose rest after the prefix contains it are rolled up into
     * {@link ListPage#commonPrefixes()}, as a directory listing shows subdirectories.
     *
     * @param prefix the prefix; empty lists everything
     * @param options page size, delimiter, continuation token
     * @return the page; its entries carry no content type or metadata (see {@link ListPage})
     * @throws InvalidArgumentException if the prefix or an option is invalid, including a token the
     *     store did not issue (nothing was sent, or the store refused it)
     * @throws NotSupportedException if the driver cannot list ({@link Capability#LIST})
     * @throws TransientException if the store kept failing through the retries (a listing changes nothing)
     * @throws ObjectNotFoundException naming no key if the store itself does not exist (a file store's directory)
     */
    public ListPage listPage(String prefix, ListOptions options) {
        Observing.Op scope = observing.start(StoreObserver.Operation.LIST, prefix);
        try {
            checks.list(prefix, options);
            String from = Validation.prefix(prefix);
            ListResponse raw = core.list(from, options);
            List<ObjectInfo> objects = new ArrayList<>(raw.objects().size());
            // Records of this store, and of stores under a key prefix (team/.leasehold/...), are never listed.
            for (ObjectInfo info : raw.objects()) {
                if (!Validation.reserved(info.key())) {
                    objects.add(published(info));
                }
            }
            List<String> prefixes = new ArrayList<>(raw.commonPrefixes().size());
            for (String common : raw.commonPrefixes()) {
                if (!Validation.reserved(common) && (!Validation.mayHoldRecords(common) || holdsCallersKeys(common))) {
                    prefixes.add(common);
                }
            }
            return scope.succeeded(new ListPage(objects, prefixes, raw.continuationToken().orElse(null)));
        } catch (RuntimeException e) {
            throw scope.failed(e);
        }
    }

    /**
     * Whether a common prefix that the library's records also fall under (e.g. {@code .} with
     * delimiter {@code .}) holds any of the caller's keys: only then is it listed.
     */
    private boolean holdsCallersKeys(String common) {
        ListOptions scan = ListOptions.defaults();
        while (true) {
            ListResponse page = core.list(common, scan);
            for (ObjectInfo info : page.objects()) {
                if (!Validation.reserved(info.key())) {
                    return true;
                }
            }
            if (page.continuationToken().isEmpty()) {
                return false;
            }
            scan = scan.toBuilder().continuationToken(page.continuationToken().get()).build();
        }
    }

    // ---------------------------------------------------------------- copy and rename

    /**
     * Copies an object unconditionally: the target is overwritten with the source's current
     * version. See {@link #copy(String, String, CopyOptions)}.
     *
     * @param source the key to copy
     * @param target the key to write
     * @return the target's new version
     * @throws ObjectStoreException as {@link #copy(String, String, CopyOptions)}
     */
    public PutResult copy(String source, String target) {
        return copy(source, target, CopyOptions.defaults());
    }

    /**
     * Copies one version of an object onto another key, under the target's {@link PutMode} and an
     * optional If-Match on the source ({@link CopyOptions}). The target receives the version's
     * bytes, content type and user metadata, and its own write id.
     *
     * <p><b>Server-side or through the client.</b> Where the store copies by itself, pinned to a
     * source version, and honours the target's mode ({@link Capability#SERVER_SIDE_COPY},
     * {@link Capability#COPY_SOURCE_IF_MATCH} and {@link Capability#COPY_IF_ABSENT} /
     * {@link Capability#COPY_IF_MATCH} / {@link Capability#COPY_IF_PRESENT}), the copy is a HEAD of
     * the source and one copy request (S3 CopyObject, Azure Copy Blob From URL); objects beyond one
     * copy request (S3: 5 GiB, Azure: 256 MiB) are copied through the client. Elsewhere the source is
     * read with a streaming get pinned to one version and written with a streaming put under the mode
     * (Ceph RGW ignores the conditions of a copy, S3Mock the target's, so there it is always done this
     * way). A mode the store can honour neither way is refused before anything is sent; a conditional
     * copy larger than one part on a store without {@link Capability#CONDITIONAL_MULTIPART_COMMIT} is
     * refused after reading the source, before anything is written. Never an unconditional copy
     * instead.
     *
     * <p><b>Write ids.</b> The copy is a put of the target: a lost answer is settled by reading the
     * target's write id back and is sent again only when proven not applied, as for
     * {@link #put(String, byte[], PutOptions)}. The source is never changed.
     *
     * <p><b>Concurrent writers of the source.</b> With a source If-Match a source replaced meanwhile
     * fails the copy; without one the source is read again (a few times) so that the target gets one
     * whole version, never a mix.
     *
     * @param source the key to copy
     * @param target the key to write; not the source
     * @param options the target's mode and the source condition
     * @return the target's new version, tagged with its write id
     * @throws ObjectNotFoundException if the source does not exist ({@link ObjectStoreException#key()} is the source)
     * @throws PreconditionFailedException if the source is not the version its If-Match names (key: the
     *     source), or the target's update or replace condition failed (key: the target)
     * @throws ObjectAlreadyExistsException a copy-if-absent found the target
     * @throws LeaseException the target is leased (a copy carries no lease)
     * @throws NotSupportedException the store can honour the target's mode neither server-side nor
     *     through the client (nothing was sent), or a conditional copy needs parts the store's commit
     *     cannot condition (nothing was written)
     * @throws InvalidArgumentException a key is invalid or the target is the source (nothing was sent)
     * @throws TransientException retries were exhausted on failures that did not apply the copy, or
     *     (code {@link ErrorCode#CONFLICT}) the source kept changing
     * @throws OutcomeUnknownException the copy may or may not have been applied
     */
    public PutResult copy(String source, String target, CopyOptions options) {
        Observing.Op scope = observing.start(StoreObserver.Operation.COPY, target);
        try {
            checkCopy(source, target, options);
            return scope.succeeded(written(target, copies.copy(source, target, options).outcome));
        } catch (RuntimeException e) {
            throw scope.failed(e);
        }
    }

    /**
     * Renames if the target does not exist: a copy-if-absent, then a delete of the source with
     * If-Match on the version copied. See {@link #rename(String, String, CopyOptions)}.
     *
     * @param source the key to rename
     * @param target the new key; must not exist
     * @return the target's version
     * @throws ObjectStoreException as {@link #rename(String, String, CopyOptions)}
     */
    public PutResult rename(String source, String target) {
        return rename(source, target, CopyOptions.of(PutMode.create()));
    }

    /**
     * Renames: copies as {@link #copy(String, String, CopyOptions)} does, then deletes the source
     * with If-Match on the version copied, so a source written or deleted meanwhile is never lost:
     * the rename then fails with {@link PreconditionFailedException} naming the source, and a
     * copy-if-absent's copy is deleted again (If-Match on its version), leaving both keys as they
     * were. With other target modes the target keeps the copy in that case (what it held before
     * cannot be restored). Object stores have no atomic rename: between the copy and the delete,
     * readers see both keys.
     *
     * @param source the key to rename
     * @param target the new key; not the source
     * @param options the target's mode and the source condition
     * @return the target's version
     * @throws NotSupportedException if the store has no conditional delete
     *     ({@link Capability#DELETE_IF_MATCH}: Ceph RGW) or cannot honour the copy (nothing was sent)
     * @throws PreconditionFailedException if a condition failed, or the source changed or vanished
     *     after it was copied (key: the source; the message says what became of the copy)
     * @throws OutcomeUnknownException if the copy's outcome, or after it the source delete's, is unknown
     * @throws ObjectStoreException otherwise as {@link #copy(String, String, CopyOptions)}
     */
    public PutResult rename(String source, String target, CopyOptions options) {
        Observing.Op scope = observing.start(StoreObserver.Operation.RENAME, target);
        try {
            checkCopy(source, target, options);
            checks.require(Capability.DELETE_IF_MATCH, "rename (deleting the source with If-Match on the version copied)");
            return scope.succeeded(written(target, copies.rename(source, target, options)));
        } catch (RuntimeException e) {
            throw scope.failed(e);
        }
    }

    private void checkCopy(String source, String target, CopyOptions options) {
        Validation.key("source", source);
        Validation.key("target", target);
        if (source.equals(target)) {
            throw new InvalidArgumentException("target", "is the source; a copy needs two keys");
        }
        checks.copy(options);
    }

    /**
     * Deletes an object if it exists: {@link #deleteIfPresent(String, DeleteOptions)} without conditions.
     *
     * @param key the key
     * @return true if this call deleted it, false if it did not exist
     * @throws ObjectStoreException as {@link #deleteIfPresent(String, DeleteOptions)}
     */
    public boolean deleteIfPresent(String key) {
        return deleteIfPresent(key, DeleteOptions.defaults());
    }

    /**
     * Deletes an object if it exists: as {@link #delete(String, DeleteOptions)}, except that the
     * store's own "not found" is an answer (false), not an exception — the idempotent delete S3 users
     * expect. When the delete's answer is lost (timeout, reset, 5xx), one read decides: the object
     * absent is true (this call may have deleted it, or another did in the meantime; either way the
     * goal, absent, holds), the object present is {@link OutcomeUnknownException}. The delete is never
     * sent again on a guess.
     *
     * @param key the key
     * @param options If-Match and lease; a condition is checked only if the object exists
     * @return true if this call deleted it (or, after a lost answer, the object is found absent),
     *     false if the store said it did not exist
     * @throws PreconditionFailedException if If-Match does not hold (the object survives)
     * @throws LeaseException if the object is leased and the delete did not carry that lease
     * @throws NotSupportedException if the driver cannot evaluate If-Match on delete atomically
     * @throws OutcomeUnknownException if the answer was lost and the object is still there (not
     *     deleted, or written again since), or reading back failed
     * @throws ObjectNotFoundException naming no key if the store itself does not exist (a file store's
     *     directory)
     * @throws InvalidArgumentException if the key or options are invalid (nothing was sent)
     */
    public boolean deleteIfPresent(String key, DeleteOptions options) {
        return observing.observe(StoreObserver.Operation.DELETE, key, scope -> {
            Validation.key(key);
            checks.delete(options);
            return Futures.join(core.deleteIfPresent(core.io(), key, options));
        });
    }

    // ---------------------------------------------------------------- update

    /**
     * Read-modify-write with the store's default update options ({@link #defaultUpdateOptions()}:
     * the library's default retry unless the builder set others).
     *
     * @param key the key; created when absent
     * @param fn the change; may run several times, so keep it free of side effects
     * @return what was written
     * @throws ObjectStoreException as {@link #update(String, UpdateFunction, UpdateOptions)}
     */
    public UpdateResult update(String key, UpdateFunction fn) {
        return update(key, fn, defaultUpdateOptions);
    }

    /**
     * The options of updates called without options ({@link Builder#defaultUpdateOptions}); a base for
     * per-call options: {@code store.defaultUpdateOptions().toBuilder().leaseId(id).build()}.
     *
     * @return the options; {@link UpdateOptions#defaults()} unless the builder set others
     */
    public UpdateOptions defaultUpdateOptions() {
        return defaultUpdateOptions;
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
     * <p><b>No change.</b> A function that returns {@link UpdateFunction#unchanged()} writes nothing
     * (an absent object is not created): the result's {@link UpdateResult#changed()} is false, its
     * content and version are those read (see {@link UpdateResult}). A "no change" answer given on a
     * held copy ({@code startingFrom}) is confirmed by one read, since the copy may be stale.
     *
     * <p><b>Coalescing.</b> Concurrent calls on the same key through this store are combined: one
     * thread reads once, applies the waiting calls' functions in arrival order (each sees the
     * previous one's output) and writes once, so a process's own writers never race each other.
     * Each call still gets its own result (its own output; a call whose value a later call of the
     * batch changed is {@linkplain PutResult#isSuperseded() superseded}); a function that
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
        return observing.observe(StoreObserver.Operation.UPDATE, key, scope -> {
            Validation.key(key);
            if (fn == null) {
                throw new InvalidArgumentException("fn", "must not be null");
            }
            checks.update(key, options == null ? null : options.startingFrom().map(r -> r.info().key()).orElse(null),
                    options);
            UpdateOptions observed = observing.observed(options, scope);
            GetResponse held = options.startingFrom().map(GetResult::raw).orElse(null);
            CallOutcome outcome = core.update(key, fn, observed, held);
            if (outcome.failure != null) {
                Throwable failure = outcome.failure;
                RuntimeException reported = failure instanceof RuntimeException ? (RuntimeException) failure
                        : new ObjectStoreException(ErrorCode.UNKNOWN, key, "the update function threw "
                                + failure.getClass().getName(), failure);
                observing.listenerCall(() -> observed.listener().onGiveUp(key, outcome.attempts, reported));
                if (failure instanceof RuntimeException) {
                    throw (RuntimeException) failure;
                }
                scope.failed(reported);
                throw Futures.sneaky(failure);
            }
            UpdateResult result = updated(key, outcome);
            observing.listenerCall(() -> observed.listener().onSuccess(result));
            return result;
        });
    }

    // ---------------------------------------------------------------- health

    /**
     * Checks that the store answers: one HEAD of {@code key} (under the store's operation retry), found
     * or not found alike. Unlike {@link #exists}, it is not observed: no observer (metrics, tracing)
     * hears of it, so frequent health checks add nothing to operation metrics.
     *
     * @param key the key to look up, e.g. {@code health/probe}; it need not exist
     * @return up if the store answered, else down with the failure's code
     * @throws InvalidArgumentException if the key is invalid (nothing was sent)
     */
    public StoreHealth checkHealth(String key) {
        Validation.key(key);
        return StoreHealth.of(() -> core.unobservedHead(core.io(), key));
    }

    // ---------------------------------------------------------------- conversions

    /** A caller's update outcome as it sees it: its write, or for a "no change" answer the version it was given. */
    static UpdateResult updated(String key, CallOutcome outcome) {
        if (!outcome.unchanged) {
            return new UpdateResult(written(key, outcome.write), outcome.content, outcome.attempts, outcome.conflicts,
                    outcome.created);
        }
        PutResult carried;
        if (outcome.write != null) {
            carried = written(key, outcome.write);
        } else if (outcome.read != null) {
            ObjectInfo read = published(outcome.read.info());
            carried = new PutResult(key, read.version(), read.size(), read.lastModified())
                    .tagged(read.version().writeId().orElse(null));
        } else {
            carried = null;
        }
        return UpdateResult.unchanged(key, carried, outcome.content, outcome.attempts, outcome.conflicts);
    }

    /** A settled write as callers see it: its version tagged with its write id, or superseded. */
    static PutResult written(String key, WriteOutcome outcome) {
        if (outcome.superseded) {
            return PutResult.superseded(key, outcome.size, outcome.writeId);
        }
        return new PutResult(key, outcome.version, outcome.size, outcome.lastModified).tagged(outcome.writeId);
    }

    /** A driver's answer as callers see it: bookkeeping hidden, the version tagged with its write id. */
    static GetResult published(GetResponse raw) {
        if (raw.isNotModified()) {
            return GetResult.notModified(raw.version().orElse(null));
        }
        ObjectInfo visible = published(raw.info());
        return GetResult.stored(visible, raw.content(), raw);
    }

    /** An object's information as callers see it: bookkeeping hidden, the version tagged with its write id. */
    static ObjectInfo published(ObjectInfo info) {
        Map<String, String> user = WriteTag.userMetadata(info.userMetadata());
        String writeId = WriteTag.writeIdOf(info.userMetadata()); // the history is not needed here
        if (user == info.userMetadata() && writeId == null) {
            return info;
        }
        return new ObjectInfo(info.key(), info.version().withWriteId(writeId), info.size(), info.lastModified(),
                info.contentType().orElse(null), user);
    }


    /** Closes the driver and whatever it owns. */
    @Override
    public void close() {
        core.close();
    }

    @Override
    public String toString() {
        return "ObjectStore{" + driverName() + "}";
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
        private AsyncOptions asyncOptions = AsyncOptions.defaults();
        private UpdateOptions defaultUpdateOptions = UpdateOptions.defaults();

        private Builder() {
        }

        /**
         * The options of {@link ObjectStore#update(String, UpdateFunction)} (and of the other updates
         * given no options): e.g. a retry configuration and a listener for the whole application.
         * Options passed to a call replace them; start from {@link ObjectStore#defaultUpdateOptions()}
         * to adjust them per call. Default {@link UpdateOptions#defaults()}.
         *
         * @param options the options; without a held version ({@code startingFrom} is per call)
         * @return this builder
         */
        public Builder defaultUpdateOptions(UpdateOptions options) {
            this.defaultUpdateOptions = options;
            return this;
        }

        /**
         * How the asynchronous API runs (default {@link AsyncOptions#defaults()}).
         *
         * @param options bounds and threads of {@link ObjectStore#async()}
         * @return this builder
         */
        public Builder asyncOptions(AsyncOptions options) {
            this.asyncOptions = options;
            return this;
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
         *     is null, the default update options hold a version, or the URI is malformed or has no
         *     driver on the class path
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
            if (asyncOptions == null) {
                throw new InvalidArgumentException("asyncOptions", "must not be null; use AsyncOptions.defaults()");
            }
            if (defaultUpdateOptions == null) {
                throw new InvalidArgumentException("defaultUpdateOptions", "must not be null; use UpdateOptions.defaults()");
            }
            if (defaultUpdateOptions.startingFrom().isPresent()) {
                throw new InvalidArgumentException("defaultUpdateOptions", "must not hold a version (startingFrom is"
                        + " per call)");
            }
            return new ObjectStore(driver != null ? driver : openDriver(uri), operationRetryConfig, observer, asyncOptions,
                    defaultUpdateOptions);
        }
    }
}
