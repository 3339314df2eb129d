package io.leasehold.core;

import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.leasehold.internal.Validation;
import io.leasehold.spi.StoreDriver;
import io.leasehold.spi.StoreDriverProvider;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
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
 * <h2>Read-modify-write</h2>
 * {@link #update(String, UpdateFunction, UpdateOptions)} reads, applies your function, writes with
 * If-Match (or create-if-absent), and on a lost race re-reads and tries again with full-jitter
 * backoff. Each write is tagged in user metadata with a write id ({@value #WRITE_ID_METADATA}) and
 * the ids of the versions it replaced ({@value #PREVIOUS_WRITE_ID_METADATA}), so that a write whose
 * response was lost is recognised on the next read instead of being applied twice. When the next
 * read can neither find that write nor prove it did not land (more than
 * {@value #WRITE_HISTORY} writes came in between, or a write outside {@code update} replaced the
 * history), the update stops with {@link OutcomeUnknownException} rather than guess.
 *
 * <p>Thread-safety: safe for concurrent use by any number of threads; share one instance.
 */
public final class ObjectStore implements AutoCloseable {
    /** User metadata name carrying the id of the update attempt that wrote the object. */
    public static final String WRITE_ID_METADATA = "leasehold_write";
    /**
     * User metadata name carrying the write ids of the versions the update replaced, newest first,
     * space-separated, at most {@value #WRITE_HISTORY}; {@code -} marks the start of a history that
     * began with a create, and {@code ~} followed by hex digits stands for a version written
     * outside {@code update} (a digest of its ETag).
     */
    public static final String PREVIOUS_WRITE_ID_METADATA = "leasehold_prev";
    /** How many earlier write ids an update carries forward (fewer if user metadata leaves no room). */
    public static final int WRITE_HISTORY = 32;
    private static final String CREATED_MARK = "-";

    private final StoreDriver driver;
    private final Capabilities capabilities;
    private final Retry operationRetry;
    private final Leases leases;

    private ObjectStore(StoreDriver driver, RetryConfig operationRetryConfig) {
        this.driver = Objects.requireNonNull(driver, "driver");
        this.capabilities = driver.capabilities();
        this.operationRetry = Retry.of("leasehold-" + driver.name(), operationRetryConfig);
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
        return new ObjectStore(driver, Conflicts.operationRetryConfig());
    }

    /**
     * Wraps a driver with a custom retry for single operations.
     *
     * @param driver the driver; closing the store closes it
     * @param operationRetryConfig what to retry and how; its predicate should accept only
     *     {@link Conflicts#isRetryable} failures
     * @return the store
     */
    public static ObjectStore of(StoreDriver driver, RetryConfig operationRetryConfig) {
        return new ObjectStore(driver, Objects.requireNonNull(operationRetryConfig, "operationRetryConfig"));
    }

    /**
     * Opens a store by URI.
     *
     * @param uri e.g. {@code mem://demo}, {@code file:///var/data/leasehold}, {@code s3://bucket/prefix?region=eu-west-1}
     * @return the store; close it when done
     * @throws InvalidArgumentException if the URI is malformed or no driver serves its scheme
     */
    public static ObjectStore open(String uri) {
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
                return of(provider.open(parsed));
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
     * The driver, for the lease API and adapters in this library. Application code should not need it.
     *
     * @return the driver
     */
    public StoreDriver driver() {
        return driver;
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
        Validation.key(key);
        if (content == null) {
            throw new InvalidArgumentException("content", "must not be null");
        }
        checkPut(options);
        byte[] copy = content.clone();
        return call(key, () -> driver.put(key, copy, Leases.guard(leases, key, options)));
    }

    /**
     * Writes exactly {@code length} bytes from a stream. The bytes are buffered in memory first, so
     * that a retry or an ambiguity check can replay them and a short stream fails before anything is
     * sent.
     *
     * @param key the key
     * @param content the stream; read, not closed
     * @param length the number of bytes, at most {@code Integer.MAX_VALUE - 8}
     * @param options mode, conditions, content type, metadata, lease
     * @return the new version
     * @throws InvalidArgumentException if the length is negative or the stream is shorter or longer
     * @throws ObjectStoreException as {@link #put(String, byte[], PutOptions)}
     */
    public PutResult put(String key, InputStream content, long length, PutOptions options) {
        Validation.key(key);
        if (content == null) {
            throw new InvalidArgumentException("content", "must not be null");
        }
        if (length < 0 || length > Integer.MAX_VALUE - 8) {
            throw new InvalidArgumentException("length", "must be between 0 and " + (Integer.MAX_VALUE - 8) + "; was " + length);
        }
        checkPut(options);
        byte[] bytes;
        try {
            bytes = content.readNBytes((int) length);
            if (bytes.length < length) {
                throw new InvalidArgumentException("length", "stream ended after " + bytes.length + " of " + length + " bytes");
            }
            if (content.read() != -1) {
                throw new InvalidArgumentException("length", "stream has more than " + length + " bytes");
            }
        } catch (IOException e) {
            throw new ObjectStoreException(ErrorCode.UNKNOWN, key, "reading the content stream failed", e);
        }
        return call(key, () -> driver.put(key, bytes, Leases.guard(leases, key, options)));
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
        Validation.key(key);
        checkGet(options);
        return call(key, () -> driver.get(key, Leases.guard(leases, key, options), true));
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
        Validation.key(key);
        checkGet(options);
        return call(key, () -> driver.get(key, Leases.guard(leases, key, options), false));
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
        call(key, () -> {
            driver.delete(key, Leases.guard(leases, key, options));
            return null;
        });
    }

    // ---------------------------------------------------------------- update

    /**
     * Read-modify-write with the default retry ({@link Conflicts#readModifyWriteRetryConfig()}).
     *
     * @param key the key; created when absent
     * @param fn the change; may run several times, so keep it free of side effects
     * @return what was written
     * @throws ObjectStoreException when retries are exhausted (the last failure) or on a failure
     *     that is not retried
     */
    public UpdateResult update(String key, UpdateFunction fn) {
        return update(key, fn, UpdateOptions.defaults());
    }

    /**
     * Read-modify-write: read the current content (strongly), apply {@code fn}, write it back with
     * If-Match on the version read (create-if-absent when there was none); on a lost race or a
     * transient failure, re-read and try again under the configured retry.
     *
     * <p>A write whose response was lost (outcome unknown or transient failure after sending) is
     * settled by reading back at once: found in the version history, it is the result (the function
     * is not applied again); proven absent, the loop retries. When the write that landed has since
     * been replaced, the result describes the current version, including later writers' changes.
     *
     * @param key the key; created when absent
     * @param fn the change; may run several times, so keep it free of side effects
     * @param options retry, listener, content type, metadata, lease
     * @return what was written, with attempt and conflict counts
     * @throws ObjectStoreException when retries are exhausted (the last failure, typically
     *     {@link PreconditionFailedException}) or on a failure that is not retried
     * @throws OutcomeUnknownException if a write whose response was lost can neither be found nor
     *     ruled out (more than {@value #WRITE_HISTORY} later writes, or a write outside
     *     {@code update} replaced its history); the change may or may not be in the store
     * @throws NotSupportedException if the driver lacks create-if-absent or If-Match puts, or a
     *     lease was given and the driver has no leases
     */
    public UpdateResult update(String key, UpdateFunction fn, UpdateOptions options) {
        Validation.key(key);
        if (fn == null) {
            throw new InvalidArgumentException("fn", "must not be null");
        }
        if (options == null) {
            throw new InvalidArgumentException("options", "must not be null");
        }
        require(Capability.PUT_IF_ABSENT, "read-modify-write (create-if-absent)");
        require(Capability.PUT_IF_MATCH, "read-modify-write (If-Match)");
        Validation.metadata(options.userMetadata());
        options.contentType().ifPresent(Validation::contentType);
        options.leaseId().ifPresent(id -> {
            Validation.leaseId("leaseId", id);
            require(Capability.LEASES, "lease-guarded read-modify-write");
        });
        Retry retry = options.retry().orElseGet(() ->
                Retry.of("leasehold-update", options.retryConfig().orElseGet(Conflicts::readModifyWriteRetryConfig)));
        UpdateAttempts attempts = new UpdateAttempts(key, fn, options);
        try {
            UpdateResult result = Retry.decorateSupplier(retry, attempts::attempt).get();
            options.listener().onSuccess(result);
            return result;
        } catch (UnresolvedOutcome e) {
            options.listener().onGiveUp(key, attempts.attempts, e.outcome);
            throw e.outcome;
        } catch (RuntimeException e) {
            options.listener().onGiveUp(key, attempts.attempts, e);
            throw e;
        }
    }

    /** The state of one update call across its attempts. */
    private final class UpdateAttempts {
        private final String key;
        private final UpdateFunction fn;
        private final UpdateOptions options;
        /** Every write id this update sent, and whether that write was a create. */
        private final Map<String, Boolean> ourWrites = new HashMap<>();
        /** Writes sent whose outcome is unknown and not yet resolved. */
        private final List<SentWrite> ambiguous = new ArrayList<>();
        private OutcomeUnknownException unresolved;
        private int attempts;
        private int conflicts;

        UpdateAttempts(String key, UpdateFunction fn, UpdateOptions options) {
            this.key = key;
            this.fn = fn;
            this.options = options;
        }

        UpdateResult attempt() {
            if (unresolved != null) {
                // A caller-supplied retry may retry anything; an unresolvable outcome stays final.
                throw new UnresolvedOutcome(unresolved);
            }
            int attempt = ++attempts;
            SentWrite sent = null;
            try {
                GetResult current = readCurrent();
                List<String> history = writeHistory(current);
                UpdateResult landed = settle(current, history, attempt);
                if (landed != null) {
                    return landed;
                }
                byte[] before = current == null ? null : current.content();
                byte[] after = fn.apply(before);
                if (after == null) {
                    throw new InvalidArgumentException("fn", "returned null");
                }
                PutOptions.Builder put = PutOptions.builder()
                        .mode(current == null ? PutMode.create() : PutMode.update(current.info().version()))
                        .userMetadata(options.userMetadata())
                        .contentType(options.contentType().orElse(null))
                        .leaseId(options.leaseId().orElse(null))
                        .consistency(strongest());
                String writeId = newWriteId();
                if (capabilities.supports(Capability.USER_METADATA)) {
                    put.metadata(WRITE_ID_METADATA, writeId);
                    put.metadata(PREVIOUS_WRITE_ID_METADATA, carriedHistory(current, history, options.userMetadata()));
                }
                PutOptions putOptions = put.build();
                checkPut(putOptions);
                ourWrites.put(writeId, current == null);
                sent = new SentWrite(current == null ? null : current.info().version().etag(), baseToken(current, history));
                PutResult written = wrap(key, () -> driver.put(key, after, Leases.guard(leases, key, putOptions)));
                return new UpdateResult(written, after, attempt, conflicts, current == null);
            } catch (ObjectStoreException e) {
                if (sent != null && (e.code() == ErrorCode.OUTCOME_UNKNOWN || e.code() == ErrorCode.TRANSIENT)) {
                    // The write may have landed. Settle it at once: the fewer writes that follow it,
                    // the likelier the history still shows it.
                    sent.failure = e;
                    ambiguous.add(sent);
                    try {
                        GetResult current = readCurrent();
                        UpdateResult landed = settle(current, writeHistory(current), attempt);
                        if (landed != null) {
                            return landed;
                        }
                    } catch (ObjectStoreException readFailed) {
                        // The next attempt reads again.
                    }
                }
                if (Conflicts.isRetryableAfterReread(e) || e.code() == ErrorCode.OUTCOME_UNKNOWN) {
                    conflicts++;
                    options.listener().onConflict(key, attempt, e);
                }
                throw e;
            }
        }

        private GetResult readCurrent() {
            GetOptions.Builder read = GetOptions.builder().consistency(strongest());
            options.leaseId().ifPresent(read::leaseId);
            try {
                return wrap(key, () -> driver.get(key, Leases.guard(leases, key, read.build()), true));
            } catch (ObjectNotFoundException absent) {
                return null;
            }
        }

        /**
         * Looks for this update's own writes in the current version's history: returns the result
         * if one landed; returns null if none did (pending ambiguous writes are then proven absent);
         * throws {@link UnresolvedOutcome} if an ambiguous write can neither be found nor ruled out.
         */
        private UpdateResult settle(GetResult current, List<String> history, int attempt) {
            for (String id : history) {
                if (ourWrites.containsKey(id)) {
                    // A write of ours landed although its response was lost or said otherwise
                    // (e.g. a 412 from a re-sent request): do not apply fn twice.
                    ambiguous.clear();
                    options.listener().onAmbiguousWriteResolved(key, attempt);
                    ObjectInfo info = current.info();
                    return new UpdateResult(new PutResult(key, info.version(), info.size(), info.lastModified()),
                            current.content(), attempt, conflicts, ourWrites.get(id));
                }
            }
            for (SentWrite write : ambiguous) {
                if (!write.provablyAbsent(current, history)) {
                    unresolved = new OutcomeUnknownException(key, "a write whose response was lost may have landed"
                            + " and been replaced since (more than " + WRITE_HISTORY + " later writes, or a write"
                            + " outside update); not applying the change again", write.failure);
                    throw new UnresolvedOutcome(unresolved);
                }
            }
            ambiguous.clear();
            return null;
        }
    }

    /** A conditional write an update sent, and what it replaced. */
    private static final class SentWrite {
        /** The ETag the write was conditioned on, or null for a create. */
        private final ETag base;
        /** The history token of the version it replaced ({@link #baseToken}). */
        private final String baseToken;
        private ObjectStoreException failure;

        SentWrite(ETag base, String baseToken) {
            this.base = base;
            this.baseToken = baseToken;
        }

        /**
         * Whether the current state proves this write did not land (or was removed by a delete). Had
         * it landed, it would directly follow its base in every later history, so seeing the base's
         * token in the history without the write means another write won that version.
         */
        boolean provablyAbsent(GetResult current, List<String> history) {
            if (current == null) {
                return true;
            }
            return (base != null && base.value().equals(current.info().version().etag().value()))
                    || history.contains(baseToken);
        }
    }

    /** Internal signal: an ambiguous write can neither be found nor ruled out; ends the update. */
    private static final class UnresolvedOutcome extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient OutcomeUnknownException outcome;

        UnresolvedOutcome(OutcomeUnknownException outcome) {
            super(null, null, false, false);
            this.outcome = outcome;
        }
    }

    /** The write ids recorded in an object's metadata, newest first (including the create mark). */
    private static List<String> writeHistory(GetResult current) {
        List<String> history = new ArrayList<>();
        if (current == null) {
            return history;
        }
        Map<String, String> meta = current.info().userMetadata();
        String id = meta.get(WRITE_ID_METADATA);
        if (id != null && !id.isBlank()) {
            history.add(id.trim());
            String previous = meta.get(PREVIOUS_WRITE_ID_METADATA);
            if (previous != null) {
                for (String p : previous.trim().split(" +")) {
                    if (!p.isEmpty()) {
                        history.add(p);
                    }
                }
            }
        }
        return history;
    }

    /**
     * How a history names the version a write replaces: its write id; for a version written outside
     * {@code update} (no write id), a digest of its ETag; for an absent object, the create mark.
     */
    private static String baseToken(GetResult current, List<String> history) {
        if (current == null) {
            return CREATED_MARK;
        }
        if (!history.isEmpty()) {
            return history.get(0);
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(current.info().version().etag().value().getBytes(StandardCharsets.UTF_8));
            StringBuilder token = new StringBuilder("~");
            for (int i = 0; i < 8; i++) {
                token.append(String.format("%02x", digest[i]));
            }
            return token.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    /**
     * The history the next version carries: the base's token, then the base's own history, trimmed
     * to {@value #WRITE_HISTORY} entries and to the metadata budget left by the caller's metadata.
     */
    private static String carriedHistory(GetResult current, List<String> history, Map<String, String> userMetadata) {
        List<String> tokens = history.isEmpty() ? List.of(baseToken(current, history)) : history;
        int budget = Validation.MAX_METADATA_BYTES - WRITE_ID_METADATA.length() - WRITE_ID_BYTES
                - PREVIOUS_WRITE_ID_METADATA.length();
        for (Map.Entry<String, String> e : userMetadata.entrySet()) {
            budget -= e.getKey().length() + e.getValue().length();
        }
        StringBuilder carried = new StringBuilder();
        int count = 0;
        for (String id : tokens) {
            int extra = (carried.length() == 0 ? 0 : 1) + id.length();
            if (count == WRITE_HISTORY || carried.length() + extra > budget) {
                break;
            }
            if (carried.length() > 0) {
                carried.append(' ');
            }
            carried.append(id);
            count++;
        }
        return carried.toString();
    }

    private static final int WRITE_ID_BYTES = 16;
    private static final SecureRandom WRITE_IDS = new SecureRandom();

    /** 64 random bits: unique across processes for any realistic number of writes to one key. */
    private static String newWriteId() {
        return String.format("%016x", WRITE_IDS.nextLong());
    }

    // ---------------------------------------------------------------- helpers

    private ReadConsistency strongest() {
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
            Validation.metadata(options.userMetadata());
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

    private void require(Capability capability, String what) {
        if (!capabilities.supports(capability)) {
            throw new NotSupportedException(null, driver.name() + " driver does not support " + what
                    + " (capability " + capability + ")", null);
        }
    }

    /** Runs one driver call under the single retry layer (also used by {@link Leases}). */
    <T> T call(String key, Supplier<T> op) {
        return Retry.decorateSupplier(operationRetry, () -> wrap(key, op)).get();
    }

    private <T> T wrap(String key, Supplier<T> op) {
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
}
