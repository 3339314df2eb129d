package io.leasehold.azure;

import io.leasehold.spi.LeaseGrant;
import io.leasehold.spi.GetResponse;
import io.leasehold.spi.PutResponse;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpPipelineBuilder;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.core.http.policy.RetryPolicy;
import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerAsyncClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobContainerClientBuilder;
import com.azure.storage.blob.models.BlobDownloadAsyncResponse;
import com.azure.storage.blob.models.BlobRange;
import com.azure.storage.blob.specialized.BlobAsyncClientBase;
import com.azure.storage.blob.models.BlobDownloadContentResponse;
import com.azure.storage.blob.models.BlobDownloadHeaders;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.BlockBlobItem;
import com.azure.storage.blob.models.CpkInfo;
import com.azure.storage.blob.models.CustomerProvidedKey;
import com.azure.storage.blob.models.DownloadRetryOptions;
import com.azure.storage.blob.models.LeaseDurationType;
import com.azure.storage.blob.models.LeaseStateType;
import com.azure.storage.blob.options.BlobAcquireLeaseOptions;
import com.azure.storage.blob.options.BlobBreakLeaseOptions;
import com.azure.storage.blob.options.BlobChangeLeaseOptions;
import com.azure.storage.blob.options.BlobReleaseLeaseOptions;
import com.azure.storage.blob.options.BlobRenewLeaseOptions;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import com.azure.storage.blob.specialized.BlobLeaseClient;
import com.azure.storage.blob.specialized.BlobLeaseClientBuilder;
import com.azure.storage.blob.specialized.BlockBlobClient;
import com.azure.storage.common.policy.RequestRetryPolicy;
import com.azure.core.http.RequestConditions;
import com.azure.core.http.rest.PagedIterable;
import com.azure.core.http.rest.PagedResponse;
import com.azure.core.http.rest.Response;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.options.BlobCopyFromUrlOptions;
import com.azure.storage.blob.sas.BlobSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import com.azure.storage.common.StorageSharedKeyCredential;
import io.leasehold.core.ListOptions;
import io.leasehold.core.NotSupportedException;
import io.leasehold.core.ObjectChangedException;
import io.leasehold.spi.ListResponse;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import io.leasehold.azure.AzureErrors.Op;
import io.leasehold.core.Capabilities;
import io.leasehold.core.Capability;
import io.leasehold.core.DeleteOptions;
import io.leasehold.core.ETag;
import io.leasehold.core.GetOptions;
import io.leasehold.core.GetResult;
import io.leasehold.core.InvalidArgumentException;
import io.leasehold.core.lease.Lease;
import io.leasehold.core.lease.LeaseState;
import io.leasehold.core.lease.LeaseStatus;
import io.leasehold.core.ObjectAlreadyExistsException;
import io.leasehold.core.ObjectInfo;
import io.leasehold.core.ObjectNotFoundException;
import io.leasehold.core.ObjectVersion;
import io.leasehold.core.PreconditionFailedException;
import io.leasehold.core.PutMode;
import io.leasehold.core.PutOptions;
import io.leasehold.core.PutResult;
import io.leasehold.core.ErrorCode;
import io.leasehold.core.ObjectStoreException;
import io.leasehold.core.TransientException;
import io.leasehold.spi.kit.ContentDigest;
import io.leasehold.spi.LeaseDriver;
import io.leasehold.spi.kit.Preconditions;
import io.leasehold.spi.RangeRead;
import io.leasehold.spi.StagedUpload;
import io.leasehold.spi.StoreDriver;
import io.leasehold.spi.UploadLimits;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.function.Supplier;
import com.azure.storage.blob.BlobAsyncClient;
import com.azure.storage.blob.specialized.BlockBlobAsyncClient;
import io.leasehold.spi.AsyncStoreDriver;

/**
 * Azure Blob Storage driver (azure-storage-blob) with native blob leases: conditional block-blob
 * uploads, conditional reads and deletes, and acquire/renew/release/break/change through
 * {@code BlobLeaseClient}.
 *
 * <h2>Opening</h2>
 * <ul>
 *   <li>{@link #open(URI)} for {@code azure://container[/prefix]?…} (also reached through
 *       {@code ObjectStore.open("azure://…")}); see {@link AzureBlobDriverProvider} for the query
 *       parameters and environment variables. The driver builds its own client then.</li>
 *   <li>{@link #of(BlobContainerClient)} / {@link #of(BlobContainerClient, String)} over a client you
 *       built (any credential, HTTP client, policies).</li>
 * </ul>
 *
 * <h2>One retry layer</h2>
 * The Azure SDK retries failed requests by default (four tries, exponential backoff). A retried
 * conditional upload whose first attempt landed comes back "condition not met", and a retried lease
 * release comes back {@code LeaseIdMismatchWithLeaseOperation}: the SDK would turn the caller's own
 * success into a failure. So this driver never lets the SDK re-send:
 * <ul>
 *   <li>Clients it builds have no retry policy in their pipeline at all.</li>
 *   <li>For a client you pass in, it sends through a copy of that client's pipeline — the same HTTP
 *       client, credential and other policies — with the SDK's retry policies
 *       ({@code RequestRetryPolicy}, {@code RetryPolicy}) left out. Your client itself is not changed.
 *       A custom policy of yours that re-sends requests cannot be recognised: do not add one.</li>
 *   <li>Downloads use {@code DownloadRetryOptions} with zero retries.</li>
 * </ul>
 * Retries happen once, in {@link io.leasehold.core.ObjectStore}, only for failures that by contract
 * did not apply the request.
 *
 * <h2>HTTP client</h2>
 * Clients the driver builds use the JDK's {@code java.net.http.HttpClient}
 * ({@code azure-core-http-jdk-httpclient}) forced to HTTP/1.1, not the SDK's default Netty client:
 * <ul>
 *   <li>it never re-sends a PUT or DELETE on its own: after a connection reset the wire tests count
 *       exactly one request for every conditional write and lease operation (it does repeat an
 *       idempotent GET or HEAD once, which is harmless);</li>
 *   <li>it brings no extra dependency tree (Netty, Reactor Netty, native transport jars, some of
 *       which the Maven repository this project builds from does not serve);</li>
 *   <li>Azure Blob speaks HTTP/1.1 only, so no h2c upgrade is attempted.</li>
 * </ul>
 * Connect timeout 10 s; response timeout 30 s unless the URI says otherwise ({@code timeout=}). The
 * Netty client is excluded from this module's dependencies; a caller-supplied client keeps whatever
 * HTTP client it was built with.
 *
 * <h2>Conditions</h2>
 * <ul>
 *   <li>Puts: create sends {@code If-None-Match: *}, update {@code If-Match: "etag"}, replace
 *       {@code If-Match: *}; the lease id goes in {@code x-ms-lease-id}.</li>
 *   <li>Puts with If-Modified-Since or If-Unmodified-Since: Azure refuses If-Match together with
 *       If-Modified-Since on writes (400 {@code MultipleConditionHeadersNotSupported}), ignores
 *       If-Unmodified-Since next to If-Match, and lets a dated write create a missing blob. So the
 *       driver reads the object's ETag and last-modified time, evaluates mode and dates as
 *       {@link Preconditions#write} does, and writes with {@code If-Match} on the ETag it read: the
 *       write lands only on the version the dates were checked against. A concurrent write between
 *       the read and the write makes the put fail with {@link PreconditionFailedException} even where
 *       the dates would hold for the newer version (a lost race, never a wrong write).</li>
 *   <li>Get and head send all four conditions in RFC 9110 precedence: If-Unmodified-Since is left
 *       out when If-Match is present, If-Modified-Since when If-None-Match is. A 304 becomes
 *       {@link GetResult#notModified}. Azure refuses {@code If-None-Match: *} on reads, so that one
 *       is answered by a head under the other conditions: "not modified" if the object exists.</li>
 *   <li>Delete sends {@code If-Match}; a failed If-Match on an object that is gone is reported as
 *       not found.</li>
 *   <li>A weak ETag never satisfies If-Match (strong comparison): such a request fails without
 *       writing. Azure's quoted ETags are normalised through {@link ETag}.</li>
 * </ul>
 *
 * <h2>Errors</h2>
 * Azure statuses and error codes are mapped to the portable exceptions (for example
 * {@code ConditionNotMet} on an update to {@link PreconditionFailedException}, {@code BlobAlreadyExists}
 * or 412 on a create to {@link ObjectAlreadyExistsException}, {@code LeaseIdMissing} to
 * {@link io.leasehold.core.LeaseHeldException}; 5xx (also {@code ServerBusy}), a 408, 409 or 429
 * without {@code x-ms-error-code}, and lost responses to {@link io.leasehold.core.OutcomeUnknownException}
 * for mutations, throttled or transient for reads). A mutation counts as not applied only in Azure's
 * own words: {@code AzureErrors} lists every answer and why. The Azure exception is kept as cause;
 * messages never contain keys, SAS tokens or full lease ids.
 *
 * <h2>Names</h2>
 * Keys become blob names under the store prefix. Keys that the portable rules accept but Azure would
 * reject or rewrite (a trailing {@code .} or {@code /}, a path segment ending in {@code .}, empty
 * segments, {@code \}, more than 254 segments, more than 1024 characters with the prefix) are refused
 * with {@link InvalidArgumentException} before anything is sent.
 *
 * <h2>Leases</h2>
 * Native Azure blob leases: 15-60 s or infinite; acquiring with the holder's id renews; while a lease
 * is active, writes and deletes without it fail with {@code LeaseHeldException} and with another id
 * with {@code LeaseMismatchException}. Azure does not report a held lease's remaining time nor, after a
 * renew, its duration: the driver remembers durations of leases it acquired; for a lease acquired
 * elsewhere a renewed fixed lease is reported with 15 s, the shortest possible, so
 * {@link Lease#expiresBy()} never overstates.
 *
 * <h2>Fencing tokens</h2>
 * Azure leases carry none, and the driver issues none ({@link #issuesFencingTokens()} is false): the
 * library's lease facade keeps a counter blob per leased key, {@code .leasehold/fence/<key>} under
 * the store prefix, written through its write engine. After Azure grants a lease to a new tenure
 * (a new holder, or the same id after a release, an expiry or a break) it reads the counter, writes
 * the next token with If-Match, and renews the lease to prove it was still held after the counter
 * moved; an acquire by the holder's own id within its lease is a renewal and keeps the token. The
 * leased blob itself, its ETag and its metadata are untouched. Cost: an acquire of a new tenure
 * takes 4 requests (acquire, counter read, counter write, renew), an acquire with the holder's own
 * id within its lease 3 (renew, acquire, counter read), a change 3 (change, counter read, counter
 * write); renew and release stay at 1 (2 for a renew of a lease the store instance did not acquire:
 * it reads the counter). If issuing the token fails after Azure granted the lease, the lease is
 * released before the failure is reported, so no lease is left held by a caller that was told it
 * failed.
 *
 * <h2>Escape hatch</h2>
 * {@code unwrap(BlobContainerClient.class)} gives the container client the driver sends through (for
 * a client you passed in: the copy without retry policies).
 *
 * <p>Thread-safety: safe for concurrent use; share one instance. {@link #close()} releases nothing a
 * caller supplied.
 */
public final class AzureBlobDriver implements StoreDriver, LeaseDriver {
    private static final Capabilities CAPABILITIES = Capabilities.of(
            Capability.PUT_IF_ABSENT, Capability.PUT_IF_MATCH, Capability.PUT_IF_PRESENT,
            Capability.PUT_IF_MODIFIED_SINCE, Capability.PUT_IF_UNMODIFIED_SINCE,
            Capability.GET_IF_MATCH, Capability.GET_IF_NONE_MATCH, Capability.GET_IF_MODIFIED_SINCE,
            Capability.GET_IF_UNMODIFIED_SINCE, Capability.DELETE_IF_MATCH, Capability.STRONG_READS,
            Capability.USER_METADATA, Capability.LEASES, Capability.NATIVE_LEASES, Capability.FENCING_TOKENS, Capability.ENFORCED_LEASES,
            Capability.ETAG_CHANGES_ON_IDENTICAL_REWRITE, Capability.STREAMING_PUT,
            Capability.CONDITIONAL_MULTIPART_COMMIT, Capability.RANGED_READS, Capability.LIST);
    /** What a driver adds whose client signs with the account key: it can authorise a copy's source. */
    private static final Capability[] COPY_CAPABILITIES = {Capability.SERVER_SIDE_COPY, Capability.COPY_SOURCE_IF_MATCH,
        Capability.COPY_IF_ABSENT, Capability.COPY_IF_MATCH, Capability.COPY_IF_PRESENT};
    /** The largest source Copy Blob From URL copies; larger ones are copied through the client. */
    static final long MAX_SYNC_COPY_BYTES = 256L << 20;
    private static final HttpHeaderName VERSION_ID = HttpHeaderName.fromString("x-ms-version-id");
    /** How long the read-only SAS a copy's source is read with stays valid. */
    private static final Duration COPY_SOURCE_SAS_LIFETIME = Duration.ofMinutes(10);
    /** Azure's block limits: blocks up to 4000 MiB, 50,000 blocks per blob, about 190.7 TiB. */
    private static final UploadLimits UPLOAD_LIMITS = new UploadLimits(1, 4000L << 20, 50_000, 50_000L * (4000L << 20));
    /** How long a download waits for the next bytes before it counts as a dropped connection. */
    private static final Duration DOWNLOAD_STALL = Duration.ofSeconds(60);
    /** The shortest fixed lease Azure grants; reported when a renewed lease's duration is unknown. */
    private static final Duration SHORTEST_LEASE = Duration.ofSeconds(15);
    private static final int REMEMBERED_LEASES = 4096;

    /** How many blobs' clients {@link #cached} keeps. */
    private static final int CACHED_BLOBS = 256;

    private final BlobContainerClient container;
    private final Capabilities capabilities;
    private final Map<String, CachedBlob> blobs = new ConcurrentHashMap<>();
    /** The requests over the blocking clients. */
    private final Requests blockingRequests = new BlockingRequests();
    /** The same protocols over the asynchronous clients ({@link #async()}). */
    private final AsyncStoreDriver nonBlocking = new NonBlockingDriver();
    private final String containerName;
    private final String prefix;
    /** Leases this driver acquired, renewed or changed: Azure reports neither duration nor expiry. */
    private final Map<String, LeaseMemo> leaseMemos = new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, LeaseMemo> eldest) {
            return size() > REMEMBERED_LEASES;
        }
    };

    /** The same container as an async client, for downloads that stream (built on first use). */
    private volatile BlobContainerAsyncClient asyncContainer;

    AzureBlobDriver(BlobContainerClient container, String prefix) {
        this.container = container;
        // Copy Blob From URL reads its source with a SAS, which only an account key can sign here.
        this.capabilities = StorageSharedKeyCredential.getSharedKeyCredentialFromPipeline(container.getHttpPipeline()) != null
                ? CAPABILITIES.with(COPY_CAPABILITIES) : CAPABILITIES;
        this.containerName = container.getBlobContainerName();
        this.prefix = BlobNames.prefix(prefix);
    }

    /**
     * A driver over a container client you built; keys map to blob names as they are.
     *
     * @param client the container client; the driver sends through a copy of its pipeline without
     *     SDK retry policies (see the class documentation), the client itself is not changed
     * @return the driver
     * @throws InvalidArgumentException if the client is null
     */
    public static AzureBlobDriver of(BlobContainerClient client) {
        return of(client, "");
    }

    /**
     * A driver over a container client you built, with keys under a prefix.
     *
     * @param client the container client; the driver sends through a copy of its pipeline without
     *     SDK retry policies (see the class documentation), the client itself is not changed
     * @param prefix a blob name prefix such as {@code app/data} ({@code /} is appended), or empty
     * @return the driver
     * @throws InvalidArgumentException if the client is null or the prefix is not a valid blob path
     */
    public static AzureBlobDriver of(BlobContainerClient client, String prefix) {
        if (client == null) {
            throw new InvalidArgumentException("client", "must not be null");
        }
        return new AzureBlobDriver(withoutRetries(client), prefix);
    }

    /**
     * Opens a driver from an {@code azure://container[/prefix]?…} URI, reading credentials from the URI
     * and the environment as {@link AzureBlobDriverProvider} describes.
     *
     * @param uri the store URI
     * @return the driver, owning the client it built
     * @throws InvalidArgumentException if the URI is malformed or no credentials are found
     * @throws io.leasehold.core.ObjectStoreException if {@code createContainer=true} and creating the
     *     container failed
     */
    public static AzureBlobDriver open(URI uri) {
        return AzureConnection.open(uri, System.getenv());
    }

    /**
     * Whether a pipeline contains one of the SDK's retry policies.
     *
     * @param client a container client
     * @return true if the SDK may re-send requests of this client by itself
     */
    public static boolean sdkRetriesEnabled(BlobContainerClient client) {
        HttpPipeline pipeline = client.getHttpPipeline();
        for (int i = 0; i < pipeline.getPolicyCount(); i++) {
            if (isRetryPolicy(pipeline.getPolicy(i))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isRetryPolicy(HttpPipelinePolicy policy) {
        return policy instanceof RequestRetryPolicy || policy instanceof RetryPolicy;
    }

    /** The same client (endpoint, credential, HTTP client, policies, encryption) without retry policies. */
    static BlobContainerClient withoutRetries(BlobContainerClient client) {
        if (!sdkRetriesEnabled(client)) {
            return client;
        }
        HttpPipeline original = client.getHttpPipeline();
        List<HttpPipelinePolicy> kept = new ArrayList<>();
        for (int i = 0; i < original.getPolicyCount(); i++) {
            HttpPipelinePolicy policy = original.getPolicy(i);
            if (!isRetryPolicy(policy)) {
                kept.add(policy);
            }
        }
        HttpPipeline pipeline = new HttpPipelineBuilder()
                .httpClient(original.getHttpClient())
                .tracer(original.getTracer())
                .policies(kept.toArray(new HttpPipelinePolicy[0]))
                .build();
        BlobContainerClientBuilder builder = new BlobContainerClientBuilder()
                .endpoint(client.getBlobContainerUrl())
                .pipeline(pipeline)
                .serviceVersion(client.getServiceVersion());
        CpkInfo cpk = client.getCustomerProvidedKey();
        if (cpk != null && cpk.getEncryptionKey() != null) {
            builder.customerProvidedKey(new CustomerProvidedKey(cpk.getEncryptionKey()));
        }
        if (client.getEncryptionScope() != null) {
            builder.encryptionScope(client.getEncryptionScope());
        }
        return builder.buildClient();
    }

    @Override
    public String name() {
        return "azure";
    }

    /**
     * {@inheritDoc}
     *
     * <p>Server-side copy ({@link Capability#SERVER_SIDE_COPY} and the copy conditions) only where the
     * client signs with the account key (Shared Key): the copy's source is read with a short-lived SAS
     * signed by it. Over a SAS-token or Entra ID client, copies are made through the client.
     */
    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    @Override
    public Optional<LeaseDriver> leases() {
        return Optional.of(this);
    }

    /**
     * Exposes the {@link BlobContainerClient} this driver sends through, or the driver itself.
     *
     * @param type the wanted type
     * @param <T> the type
     * @return the instance, or empty
     */
    @Override
    public <T> Optional<T> unwrap(Class<T> type) {
        if (type.isInstance(container)) {
            return Optional.of(type.cast(container));
        }
        return StoreDriver.super.unwrap(type);
    }

    /**
     * The container name.
     *
     * @return the name
     */
    public String containerName() {
        return containerName;
    }

    /**
     * The blob name prefix keys are stored under.
     *
     * @return empty, or a prefix ending in {@code /}
     */
    public String prefix() {
        return prefix;
    }

    // ---------------------------------------------------------------- objects

    @Override
    public PutResponse put(String key, byte[] content, PutOptions options) {
        return await(put(blockingRequests, key, content, options));
    }

    /** The put protocol over either client; input it refuses is thrown before anything is sent. */
    private CompletableFuture<PutResponse> put(Requests via, String key, byte[] content, PutOptions options) {
        CachedBlob cached = cached(key);
        checkMetadata(options.userMetadata());
        BlobRequestConditions conditions = new BlobRequestConditions();
        return writeConditions(via, key, cached, options, conditions).thenCompose(op -> {
            options.leaseId().ifPresent(conditions::setLeaseId);
            BlockBlobSimpleUploadOptions upload = new BlockBlobSimpleUploadOptions(BinaryData.fromBytes(content))
                    .setRequestConditions(conditions);
            options.contentType().ifPresent(ct -> upload.setHeaders(new BlobHttpHeaders().setContentType(ct)));
            if (!options.userMetadata().isEmpty()) {
                upload.setMetadata(new LinkedHashMap<>(options.userMetadata()));
            }
            return mapped(via.upload(cached, upload), op, key);
        }).thenApply(item -> PutResponse.of(version(item.getETag(), item.getVersionId()), content.length,
                instant(item.getLastModified())));
    }

    /** As {@link #writeConditions(Requests, String, CachedBlob, PutOptions, BlobRequestConditions)}, waited for. */
    private Op writeConditions(String key, CachedBlob blob, PutOptions options, BlobRequestConditions conditions) {
        return await(writeConditions(blockingRequests, key, blob, options, conditions));
    }

    /**
     * Sets the conditions a put (single or staged) is sent with and says what kind of write it is.
     * Dated puts read the current version and are conditioned on its ETag (see the class documentation).
     */
    private CompletableFuture<Op> writeConditions(Requests via, String key, CachedBlob blob, PutOptions options,
                                                  BlobRequestConditions conditions) {
        Op op;
        if (options.ifModifiedSince().isPresent() || options.ifUnmodifiedSince().isPresent()) {
            // Azure cannot combine If-Match with If-Modified-Since on a write (400
            // MultipleConditionHeadersNotSupported), applies If-Unmodified-Since only without If-Match,
            // and lets a dated write create a missing blob. So evaluate mode and dates against the
            // version read, and write only onto that very version.
            return propertiesOrNull(via, key, blob).thenApply(current -> {
                Preconditions.write(key, options,
                        current == null ? null : ETag.parse("etag", current.getETag()),
                        current == null ? null : instant(current.getLastModified()));
                conditions.setIfMatch(ETag.parse("etag", current.getETag()).quoted());
                return Op.UPDATE;
            });
        } else {
            switch (options.mode().kind()) {
                case CREATE:
                    conditions.setIfNoneMatch("*");
                    op = Op.CREATE;
                    break;
                case REPLACE:
                    conditions.setIfMatch("*");
                    op = Op.UPDATE;
                    break;
                case UPDATE:
                    // Arrives strong: the facade answers a weak If-Match (which never matches) itself.
                    conditions.setIfMatch(options.mode().expected().orElseThrow().etag().quoted());
                    op = Op.UPDATE;
                    break;
                default:
                    op = Op.OVERWRITE;
                    break;
            }
        }
        return CompletableFuture.completedFuture(op);
    }

    /** Azure (and its SDK) refuse metadata values with leading or trailing whitespace: HTTP would trim them. */
    private static void checkMetadata(Map<String, String> metadata) {
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            String v = e.getValue();
            if (!v.isEmpty() && (v.charAt(0) == ' ' || v.charAt(v.length() - 1) == ' ')) {
                throw new InvalidArgumentException("userMetadata", "value of '" + e.getKey()
                        + "' has leading or trailing spaces, which Azure does not store");
            }
        }
    }

    @Override
    public GetResponse get(String key, GetOptions options, boolean withContent) {
        return await(get(blockingRequests, key, options, withContent));
    }

    /** The get protocol over either client. */
    private CompletableFuture<GetResponse> get(Requests via, String key, GetOptions options, boolean withContent) {
        CachedBlob blob = cached(key);
        BlobRequestConditions conditions = new BlobRequestConditions();
        // RFC 9110 section 13.2.2: If-Unmodified-Since is ignored when If-Match is present, and
        // If-Modified-Since when If-None-Match is; Azure would evaluate both, so only one is sent.
        if (options.ifMatch().isPresent()) {
            conditions.setIfMatch(options.ifMatch().get().quoted());
        } else {
            options.ifUnmodifiedSince().ifPresent(t -> conditions.setIfUnmodifiedSince(utc(t)));
        }
        boolean noneMatchAny = options.ifNoneMatch().isPresent() && options.ifNoneMatch().get().isAny();
        if (noneMatchAny) {
            // Azure refuses If-None-Match: * on reads (400 UnsatisfiableCondition). It means "not
            // modified if the object exists": a head under the other conditions decides.
            options.leaseId().ifPresent(conditions::setLeaseId);
            return mapped(via.properties(blob, conditions), Op.READ, key)
                    .thenApply(p -> GetResponse.notModified(version(p.getETag(), p.getVersionId())));
        }
        if (options.ifNoneMatch().isPresent()) {
            // If-None-Match compares weakly, and Azure's ETags are strong: send the strong form.
            conditions.setIfNoneMatch(ETag.strong(options.ifNoneMatch().get().value()).quoted());
        } else {
            options.ifModifiedSince().ifPresent(t -> conditions.setIfModifiedSince(utc(t)));
        }
        options.leaseId().ifPresent(conditions::setLeaseId);
        CompletableFuture<GetResponse> answer = withContent
                ? via.download(blob, conditions).thenApply(d -> {
                    BlobDownloadHeaders h = d.headers;
                    return GetResponse.found(new ObjectInfo(key, version(h.getETag(), h.getVersionId()), d.bytes.length,
                            instant(h.getLastModified()), h.getContentType(), h.getMetadata()), d.bytes);
                })
                : via.properties(blob, conditions).thenApply(p -> GetResponse.found(info(key, p), null));
        return answer.handle((response, failure) -> {
            if (failure == null) {
                return response;
            }
            Throwable e = unwrap(failure);
            if (e instanceof BlobStorageException && ((BlobStorageException) e).getStatusCode() == 304) {
                return GetResponse.notModified(notModifiedVersion((BlobStorageException) e, options));
            }
            throw AzureErrors.map(e, Op.READ, key, containerName);
        });
    }

    /**
     * The current version on a 304: its ETag header, or (Azurite sends none) the If-None-Match tag,
     * which matched the current one; unknown when only If-Modified-Since decided.
     */
    private static ObjectVersion notModifiedVersion(BlobStorageException e, GetOptions options) {
        String etag = e.getResponse() == null ? null : e.getResponse().getHeaders().getValue(HttpHeaderName.ETAG);
        if (etag != null && !etag.isBlank()) {
            return version(etag, null);
        }
        if (options.ifNoneMatch().isPresent() && !options.ifNoneMatch().get().isAny()) {
            return ObjectVersion.of(ETag.strong(options.ifNoneMatch().get().value()), null);
        }
        return null;
    }

    @Override
    public void delete(String key, DeleteOptions options) {
        await(delete(blockingRequests, key, options));
    }

    /** The delete protocol over either client. */
    private CompletableFuture<Void> delete(Requests via, String key, DeleteOptions options) {
        CachedBlob blob = cached(key);
        BlobRequestConditions conditions = new BlobRequestConditions();
        if (options.ifMatch().isPresent()) {
            conditions.setIfMatch(options.ifMatch().get().quoted());
        }
        options.leaseId().ifPresent(conditions::setLeaseId);
        return via.delete(blob, conditions).handle((done, failure) -> {
            if (failure == null) {
                return CompletableFuture.<Void>completedFuture(null);
            }
            Throwable e = unwrap(failure);
            ObjectStoreException translated = AzureErrors.map(e, Op.DELETE, key, containerName);
            if (options.ifMatch().isPresent() && e instanceof BlobStorageException
                    && BlobErrorCode.CONDITION_NOT_MET.equals(AzureErrors.errorCode((BlobStorageException) e))) {
                // A failed If-Match deleted nothing; tell "gone" from "changed" as the contract asks.
                return mapped(via.properties(blob, null), Op.READ, key).<Void>thenApply(present -> {
                    throw translated;
                });
            }
            return CompletableFuture.<Void>failedFuture(translated);
        }).thenCompose(Function.identity());
    }

    // ---------------------------------------------------------------- non-blocking requests

    /**
     * {@inheritDoc}
     *
     * <p>Put, get and delete over the SDK's asynchronous clients ({@code BlobAsyncClient}) on the same
     * retry-free pipeline as the blocking ones (the JDK HTTP client's asynchronous sends): the same
     * requests, follow-up requests and translation of answers, since both run the same protocol code.
     * Always present. Lease operations, listing, copy and streaming transfers have no non-blocking form;
     * the asynchronous API runs them on its blocking pool.
     *
     * @return the non-blocking requests
     */
    @Override
    public Optional<AsyncStoreDriver> async() {
        return Optional.of(nonBlocking);
    }

    /** The driver's protocols over the asynchronous clients; input they refuse fails the future. */
    private final class NonBlockingDriver implements AsyncStoreDriver {
        private final Requests via = new NonBlockingRequests();

        @Override
        public CompletableFuture<PutResponse> put(String key, byte[] content, PutOptions options) {
            return attempt(() -> AzureBlobDriver.this.put(via, key, content, options));
        }

        @Override
        public CompletableFuture<GetResponse> get(String key, GetOptions options, boolean withContent) {
            return attempt(() -> AzureBlobDriver.this.get(via, key, options, withContent));
        }

        @Override
        public CompletableFuture<Void> delete(String key, DeleteOptions options) {
            return attempt(() -> AzureBlobDriver.this.delete(via, key, options));
        }

        @Override
        public String toString() {
            return "non-blocking " + AzureBlobDriver.this;
        }
    }

    /** A protocol's future, or a future failed with what it threw before sending. */
    private static <T> CompletableFuture<T> attempt(Supplier<CompletableFuture<T>> protocol) {
        try {
            return protocol.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * The four requests the put, get and delete protocols send, over either kind of client. Failures
     * are the SDK's, untranslated: the protocols translate them for the request they were.
     */
    private interface Requests {
        CompletableFuture<BlockBlobItem> upload(CachedBlob blob, BlockBlobSimpleUploadOptions upload);

        CompletableFuture<BlobProperties> properties(CachedBlob blob, BlobRequestConditions conditions);

        CompletableFuture<Downloaded> download(CachedBlob blob, BlobRequestConditions conditions);

        CompletableFuture<Void> delete(CachedBlob blob, BlobRequestConditions conditions);
    }

    /** A whole download: its headers and content. */
    private static final class Downloaded {
        final BlobDownloadHeaders headers;
        final byte[] bytes;

        Downloaded(BlobDownloadHeaders headers, byte[] bytes) {
            this.headers = headers;
            this.bytes = bytes;
        }
    }

    /** Over the blocking clients: each request completes on the calling thread. */
    private static final class BlockingRequests implements Requests {
        @Override
        public CompletableFuture<BlockBlobItem> upload(CachedBlob blob, BlockBlobSimpleUploadOptions upload) {
            return now(() -> blob.block().uploadWithResponse(upload, null, Context.NONE).getValue());
        }

        @Override
        public CompletableFuture<BlobProperties> properties(CachedBlob blob, BlobRequestConditions conditions) {
            return now(() -> blob.client.getPropertiesWithResponse(conditions, null, Context.NONE).getValue());
        }

        @Override
        public CompletableFuture<Downloaded> download(CachedBlob blob, BlobRequestConditions conditions) {
            return now(() -> {
                BlobDownloadContentResponse r = blob.client.downloadContentWithResponse(
                        new DownloadRetryOptions().setMaxRetryRequests(0), conditions, null, Context.NONE);
                return new Downloaded(r.getDeserializedHeaders(), r.getValue().toBytes());
            });
        }

        @Override
        public CompletableFuture<Void> delete(CachedBlob blob, BlobRequestConditions conditions) {
            return now(() -> {
                blob.client.deleteWithResponse(null, conditions, null, Context.NONE);
                return null;
            });
        }

        private static <T> CompletableFuture<T> now(Supplier<T> request) {
            try {
                return CompletableFuture.completedFuture(request.get());
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
    }

    /** Over the asynchronous clients: nothing waits; answers complete on the HTTP client's threads. */
    private static final class NonBlockingRequests implements Requests {
        @Override
        public CompletableFuture<BlockBlobItem> upload(CachedBlob blob, BlockBlobSimpleUploadOptions upload) {
            return blob.asyncBlock().uploadWithResponse(upload).map(Response::getValue).toFuture();
        }

        @Override
        public CompletableFuture<BlobProperties> properties(CachedBlob blob, BlobRequestConditions conditions) {
            return blob.async().getPropertiesWithResponse(conditions).map(Response::getValue).toFuture();
        }

        @Override
        public CompletableFuture<Downloaded> download(CachedBlob blob, BlobRequestConditions conditions) {
            return blob.async().downloadContentWithResponse(new DownloadRetryOptions().setMaxRetryRequests(0), conditions)
                    .map(r -> new Downloaded(r.getDeserializedHeaders(), r.getValue().toBytes())).toFuture();
        }

        @Override
        public CompletableFuture<Void> delete(CachedBlob blob, BlobRequestConditions conditions) {
            return blob.async().deleteWithResponse(null, conditions).then().toFuture();
        }
    }

    // ---------------------------------------------------------------- copy and list

    /**
     * {@inheritDoc}
     *
     * <p>Copy Blob From URL (synchronous): the source is named by its URL with a read-only SAS for
     * that blob, valid ten minutes (never logged or put in messages), and
     * pinned with {@code x-ms-source-if-match}; the target's conditions, lease id and metadata are
     * sent as for a put (create: {@code If-None-Match: *}, update: {@code If-Match}, replace:
     * {@code If-Match: *}). Azure copies the source's content type. A 404, 409 or 412 is told apart
     * by reading the source: gone or another version is the source's failure, else the target's.
     *
     * @throws NotSupportedException for a source over 256 MiB (the operation's limit), a date
     *     condition, or a client that cannot sign a SAS: nothing is sent, and the facade copies
     *     through the client
     */
    @Override
    public PutResponse copy(String sourceKey, ObjectVersion sourceVersion, long sourceSize, String targetKey,
                            PutOptions targetOptions) {
        if (!capabilities.supports(Capability.SERVER_SIDE_COPY)) {
            throw new NotSupportedException(targetKey, "azure: server-side copy needs a client signing with the"
                    + " account key", null);
        }
        if (sourceSize > MAX_SYNC_COPY_BYTES) {
            throw new NotSupportedException(targetKey, "azure: Copy Blob From URL copies at most 256 MiB", null);
        }
        if (targetOptions.ifModifiedSince().isPresent() || targetOptions.ifUnmodifiedSince().isPresent()) {
            throw new NotSupportedException(targetKey, "azure: date conditions on a copy", null);
        }
        BlobClient source = blob(sourceKey);
        CachedBlob target = cached(targetKey);
        checkMetadata(targetOptions.userMetadata());
        BlobRequestConditions conditions = new BlobRequestConditions();
        Op op = writeConditions(targetKey, target, targetOptions, conditions);
        targetOptions.leaseId().ifPresent(conditions::setLeaseId);
        String sas = call(Op.READ, sourceKey, () -> source.generateSas(new BlobServiceSasSignatureValues(
                OffsetDateTime.now(ZoneOffset.UTC).plus(COPY_SOURCE_SAS_LIFETIME), new BlobSasPermission().setReadPermission(true))));
        BlobCopyFromUrlOptions copy = new BlobCopyFromUrlOptions(source.getBlobUrl() + "?" + sas)
                .setMetadata(new LinkedHashMap<>(targetOptions.userMetadata()))
                .setSourceRequestConditions(new RequestConditions().setIfMatch(sourceVersion.etag().quoted()))
                .setDestinationRequestConditions(conditions);
        Response<String> response;
        try {
            response = target.client.copyFromUrlWithResponse(copy, null, Context.NONE);
        } catch (BlobStorageException e) {
            int status = e.getStatusCode();
            if (status == 404 || status == 409 || status == 412) {
                BlobProperties now = await(propertiesOrNull(blockingRequests, sourceKey, cached(sourceKey)));
                if (now == null) {
                    throw new ObjectNotFoundException(sourceKey, "Azure answered " + status + " to a copy whose source"
                            + " does not exist", e);
                }
                if (!ETag.parse("etag", now.getETag()).value().equals(sourceVersion.etag().value())) {
                    throw new ObjectChangedException(sourceKey, "Azure answered " + status + " to a copy whose source"
                            + " is no longer the version read", e);
                }
            }
            throw AzureErrors.map(e, op, targetKey, containerName);
        } catch (RuntimeException e) {
            throw AzureErrors.map(e, op, targetKey, containerName);
        }
        String etag = response.getHeaders().getValue(HttpHeaderName.ETAG);
        if (etag == null || etag.isBlank()) {
            return PutResponse.withoutVersion(sourceSize);
        }
        String lastModified = response.getHeaders().getValue(HttpHeaderName.LAST_MODIFIED);
        return PutResponse.of(version(etag, response.getHeaders().getValue(VERSION_ID)), sourceSize,
                lastModified == null ? null : DateTimeFormatter.RFC_1123_DATE_TIME.parse(lastModified, Instant::from));
    }

    /**
     * {@inheritDoc}
     *
     * <p>One List Blobs request under the driver's prefix ({@code delimiter} for a hierarchy listing);
     * names and prefixes are returned without it. The continuation token is Azure's marker.
     *
     * @throws ObjectNotFoundException naming no key if the container does not exist
     */
    @Override
    public ListResponse list(String listPrefix, ListOptions options) {
        ListBlobsOptions query = new ListBlobsOptions().setPrefix(prefix + listPrefix)
                .setMaxResultsPerPage(options.pageSize());
        PagedResponse<BlobItem> page = call(Op.READ, null, () -> {
            PagedIterable<BlobItem> items = options.delimiter().isPresent()
                    ? container.listBlobsByHierarchy(options.delimiter().get(), query, null)
                    : container.listBlobs(query, null);
            // A null token means "no more pages" to azure-core, so the first page is asked for without one.
            Iterator<PagedResponse<BlobItem>> pages = options.continuationToken().isPresent()
                    ? items.iterableByPage(options.continuationToken().get(), options.pageSize()).iterator()
                    : items.iterableByPage(options.pageSize()).iterator();
            return pages.hasNext() ? pages.next() : null;
        });
        if (page == null) {
            return ListResponse.of(List.of(), List.of(), null);
        }
        List<ObjectInfo> objects = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        for (BlobItem item : page.getValue()) {
            if (item.getName() == null || !item.getName().startsWith(prefix)) {
                continue;
            }
            String name = item.getName().substring(prefix.length());
            if (Boolean.TRUE.equals(item.isPrefix())) {
                prefixes.add(name);
            } else if (item.getProperties() != null) {
                objects.add(new ObjectInfo(name, version(item.getProperties().getETag(), item.getVersionId()),
                        item.getProperties().getContentLength() == null ? 0 : item.getProperties().getContentLength(),
                        instant(item.getProperties().getLastModified()), null, null));
            }
        }
        return ListResponse.of(objects, prefixes, page.getContinuationToken());
    }

    // ---------------------------------------------------------------- large objects

    /**
     * {@inheritDoc}
     *
     * <p>Azure's block limits: blocks up to 4000 MiB, at most 50,000 per blob.
     */
    @Override
    public UploadLimits uploadLimits() {
        return UPLOAD_LIMITS;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Staged blocks (Put Block, each with its Content-MD5) committed with Put Block List under
     * {@link BlobRequestConditions}, as a single put's conditions: create {@code If-None-Match: *},
     * update {@code If-Match}, replace {@code If-Match: *}; date conditions are checked against the
     * version read now and the commit is conditioned on that version's ETag, as for a single dated
     * put. The lease id goes on every block and on the commit. See {@link AzureBlockUpload} for
     * what happens to the blocks of an upload that does not commit.
     */
    @Override
    public StagedUpload startUpload(String key, PutOptions options, long size, long partSize) {
        CachedBlob cached = cached(key);
        checkMetadata(options.userMetadata());
        BlobRequestConditions conditions = new BlobRequestConditions();
        Op op = writeConditions(key, cached, options, conditions);
        options.leaseId().ifPresent(conditions::setLeaseId);
        return new AzureBlockUpload(this, key, cached.block(), options, conditions, op);
    }

    /**
     * {@inheritDoc}
     *
     * <p>A ranged download streamed as it arrives (one buffer at a time); a pinned range carries
     * If-Match on the version's ETag (and reads its version id where it has one). A first request
     * with conditions evaluates them with a HEAD exactly as {@link #get} does and pins the ranges to
     * the version that met them. The whole-object checksum offered for verification is the blob's
     * {@code Content-MD5} where it has one (Azure sets it on single-shot uploads; this driver sets it
     * on its block commits).
     */
    @Override
    public RangeRead getRange(String key, GetOptions options, ObjectVersion pinned, long offset, long length) {
        String name = BlobNames.blobName(prefix, key);
        ObjectVersion pin = pinned;
        if (pin == null && options.isConditional()) {
            GetResponse head = get(key, options, false);
            if (head.isNotModified()) {
                return RangeRead.notModified(head.version().orElse(null));
            }
            pin = head.info().version();
        }
        BlobRequestConditions conditions = new BlobRequestConditions();
        if (pin != null) {
            conditions.setIfMatch(pin.etag().quoted());
        }
        options.leaseId().ifPresent(conditions::setLeaseId);
        BlobAsyncClientBase client = asyncContainerClient().getBlobAsyncClient(name);
        if (pin != null && pin.versionId().isPresent()) {
            client = client.getVersionClient(pin.versionId().get());
        }
        BlobDownloadAsyncResponse response;
        try {
            response = client.downloadStreamWithResponse(new BlobRange(offset, length == Long.MAX_VALUE ? null : length),
                    new DownloadRetryOptions().setMaxRetryRequests(0), conditions, false).block();
        } catch (BlobStorageException e) {
            if (e.getStatusCode() == 416 && offset == 0) {
                return emptyRange(key, pin, options);
            }
            if (pinned == null && pin != null && e.getStatusCode() == 412) {
                // Replaced between the HEAD that evaluated the caller's conditions and this download:
                // the caller's conditions were not the ones that failed. Asking again is safe.
                throw new TransientException(ErrorCode.TRANSIENT, key, "the blob changed between evaluating the"
                        + " read's conditions and reading it", e);
            }
            throw AzureErrors.map(e, Op.READ, key, containerName);
        } catch (RuntimeException e) {
            throw AzureErrors.map(e, Op.READ, key, containerName);
        }
        if (response == null) {
            throw AzureErrors.map(new IllegalStateException("no download response"), Op.READ, key, containerName);
        }
        BlobDownloadHeaders h = response.getDeserializedHeaders();
        long[] served = contentRange(h.getContentRange());
        long start = served == null ? 0 : served[0];
        long count = h.getContentLength() != null ? h.getContentLength() : served != null ? served[1] - served[0] + 1 : -1;
        long total = served == null ? count : served[2];
        if (count < 0 || total < 0 || served != null && start != offset || served == null && offset != 0) {
            closeQuietly(response);
            throw new ObjectStoreException(ErrorCode.UNKNOWN, key, "Azure answered a"
                    + " range request for bytes " + offset + "+ with Content-Range " + h.getContentRange(), null);
        }
        ObjectInfo info = new ObjectInfo(key, version(h.getETag(), h.getVersionId()), total, instant(h.getLastModified()),
                h.getContentType(), h.getMetadata());
        byte[] md5 = h.getBlobContentMD5() != null ? h.getBlobContentMD5() : served == null ? h.getContentMd5() : null;
        ContentDigest digest = md5 != null && md5.length == 16 ? ContentDigest.md5(md5) : null;
        return RangeRead.of(info, start, count, new FluxInputStream(response.getValue(), response, DOWNLOAD_STALL), digest);
    }

    /** The range answer for an empty blob (Azure refuses any range of one): a plain get under the same pin. */
    private RangeRead emptyRange(String key, ObjectVersion pin, GetOptions options) {
        GetOptions.Builder whole = GetOptions.builder().consistency(options.consistency());
        if (pin != null) {
            whole.ifMatch(pin.etag());
        }
        options.leaseId().ifPresent(whole::leaseId);
        GetResponse result = get(key, whole.build(), true);
        if (result.info().size() != 0) {
            throw new TransientException(ErrorCode.TRANSIENT, key, "the empty blob was replaced while"
                    + " it was read", null);
        }
        return RangeRead.slice(result.info(), new byte[0], 0, 0);
    }

    /** {@code bytes a-b/total} as {a, b, total}, or null if absent or malformed. */
    private static long[] contentRange(String header) {
        if (header == null || !header.startsWith("bytes ")) {
            return null;
        }
        try {
            String spec = header.substring(6).trim();
            int dash = spec.indexOf('-');
            int slash = spec.indexOf('/');
            if (dash < 0 || slash < dash) {
                return null;
            }
            return new long[] {Long.parseLong(spec.substring(0, dash)), Long.parseLong(spec.substring(dash + 1, slash)),
                    Long.parseLong(spec.substring(slash + 1))};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static void closeQuietly(BlobDownloadAsyncResponse response) {
        try {
            response.close();
        } catch (java.io.IOException | RuntimeException e) {
            // the connection is discarded either way
        }
    }

    /** The container as an async client over the same pipeline (no SDK retries), for streaming downloads. */
    private BlobContainerAsyncClient asyncContainerClient() {
        BlobContainerAsyncClient a = asyncContainer;
        if (a == null) {
            synchronized (this) {
                a = asyncContainer;
                if (a == null) {
                    BlobContainerClientBuilder builder = new BlobContainerClientBuilder()
                            .endpoint(container.getBlobContainerUrl())
                            .pipeline(container.getHttpPipeline())
                            .serviceVersion(container.getServiceVersion());
                    CpkInfo cpk = container.getCustomerProvidedKey();
                    if (cpk != null && cpk.getEncryptionKey() != null) {
                        builder.customerProvidedKey(new CustomerProvidedKey(cpk.getEncryptionKey()));
                    }
                    if (container.getEncryptionScope() != null) {
                        builder.encryptionScope(container.getEncryptionScope());
                    }
                    a = builder.buildAsyncClient();
                    asyncContainer = a;
                }
            }
        }
        return a;
    }

    // ---------------------------------------------------------------- leases

    /**
     * {@inheritDoc}
     *
     * <p>The grant carries no fencing token: the library issues it (see the class documentation).
     */
    @Override
    public LeaseGrant acquire(String key, Duration duration, String proposedId) {
        BlobLeaseClient lease = leaseClient(key, proposedId);
        int seconds = duration == null ? -1 : Math.toIntExact(duration.getSeconds());
        Instant sent = Instant.now();
        String id = call(Op.LEASE, key, () -> lease.acquireLeaseWithResponse(
                new BlobAcquireLeaseOptions(seconds), null, Context.NONE).getValue());
        String held = id == null || id.isEmpty() ? proposedId : id;
        remember(key, held, new LeaseMemo(duration, sent));
        return LeaseGrant.of(held, duration, null);
    }

    /** Azure leases carry no token: the library's counter protocol issues them. */
    @Override
    public boolean issuesFencingTokens() {
        return false;
    }

    @Override
    public LeaseGrant renew(String key, String leaseId) {
        BlobLeaseClient lease = leaseClient(key, leaseId);
        Instant sent = Instant.now();
        call(Op.LEASE, key, () -> lease.renewLeaseWithResponse(new BlobRenewLeaseOptions(), null, Context.NONE));
        LeaseMemo known = remembered(key, leaseId);
        Duration duration = known != null ? known.duration : durationOfUnknownLease(key);
        remember(key, leaseId, new LeaseMemo(duration, sent));
        return LeaseGrant.of(leaseId, duration, null);
    }

    @Override
    public void release(String key, String leaseId) {
        BlobLeaseClient lease = leaseClient(key, leaseId);
        call(Op.LEASE, key, () -> lease.releaseLeaseWithResponse(new BlobReleaseLeaseOptions(), null, Context.NONE));
        forget(key, leaseId);
    }

    @Override
    public Duration breakLease(String key, Duration breakPeriod) {
        BlobLeaseClient lease = new BlobLeaseClientBuilder().blobClient(blob(key)).buildClient();
        BlobBreakLeaseOptions options = new BlobBreakLeaseOptions();
        if (breakPeriod != null) {
            options.setBreakPeriod(breakPeriod);
        }
        Integer seconds = call(Op.LEASE, key, () -> lease.breakLeaseWithResponse(options, null, Context.NONE).getValue());
        return Duration.ofSeconds(seconds == null ? 0 : seconds);
    }

    /**
     * {@inheritDoc}
     *
     * <p>A change does not restart the lease's clock, so the returned lease keeps the time of this
     * driver's last acquire or renew of it. For a lease this driver never saw, that time is unknown and
     * the lease is reported as expiring now ({@code expiresBy()} equal to the send time): renew it.
     */
    @Override
    public LeaseGrant change(String key, String leaseId, String proposedId) {
        BlobLeaseClient lease = leaseClient(key, leaseId);
        Instant sent = Instant.now();
        String id = call(Op.LEASE, key, () -> lease.changeLeaseWithResponse(
                new BlobChangeLeaseOptions(proposedId), null, Context.NONE).getValue());
        String held = id == null || id.isEmpty() ? proposedId : id;
        LeaseMemo known = remembered(key, leaseId);
        if (known == null) {
            known = remembered(key, held); // a repeated change: the lease already has the new id
        }
        forget(key, leaseId);
        LeaseMemo memo;
        if (known != null) {
            memo = new LeaseMemo(known.duration, known.since);
        } else {
            Duration duration = durationOfUnknownLease(key);
            memo = new LeaseMemo(duration, duration == null ? sent : sent.minus(duration));
        }
        remember(key, held, memo);
        return LeaseGrant.of(held, memo.duration, null);
    }

    @Override
    public LeaseStatus status(String key) {
        BlobProperties p = call(Op.READ, key, () -> blob(key).getProperties());
        LeaseStateType state = p.getLeaseState();
        boolean infinite = LeaseDurationType.INFINITE.equals(p.getLeaseDuration());
        LeaseState portable;
        if (state == null || LeaseStateType.AVAILABLE.equals(state)) {
            portable = LeaseState.AVAILABLE;
        } else if (LeaseStateType.LEASED.equals(state)) {
            portable = LeaseState.LEASED;
        } else if (LeaseStateType.EXPIRED.equals(state)) {
            portable = LeaseState.EXPIRED;
        } else if (LeaseStateType.BREAKING.equals(state)) {
            portable = LeaseState.BREAKING;
        } else if (LeaseStateType.BROKEN.equals(state)) {
            portable = LeaseState.BROKEN;
        } else {
            portable = LeaseState.AVAILABLE;
        }
        return new LeaseStatus(portable, portable == LeaseState.LEASED && infinite, null);
    }

    /** Nothing to release: the JDK HTTP client of a built client holds no resources beyond its lifetime. */
    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return "AzureBlobDriver{container=" + containerName + ", prefix=" + prefix + "}";
    }

    // ---------------------------------------------------------------- helpers

    private BlobClient blob(String key) {
        return cached(key).client;
    }

    /**
     * The clients for a key's blob, reused: the SDK assembles a new client object graph for every
     * {@code getBlobClient} and {@code getBlockBlobClient} (about 5 KB each, as much as a request's own
     * work), and hot keys (counters, leases, read-modify-write) are addressed over and over.
     */
    private CachedBlob cached(String key) {
        String name = BlobNames.blobName(prefix, key);
        CachedBlob blob = blobs.get(name);
        if (blob == null) {
            if (blobs.size() >= CACHED_BLOBS) {
                blobs.clear(); // bounded: a crude reset keeps the hot keys cheap without an LRU's bookkeeping
            }
            blob = new CachedBlob(container.getBlobClient(name));
            blobs.put(name, blob);
        }
        return blob;
    }

    /**
     * A blob's client and, once needed, its block-blob client and their asynchronous forms; all are
     * immutable and thread-safe.
     */
    private final class CachedBlob {
        final BlobClient client;
        private volatile BlockBlobClient block;
        private volatile BlobAsyncClient async;
        private volatile BlockBlobAsyncClient asyncBlock;

        CachedBlob(BlobClient client) {
            this.client = client;
        }

        BlockBlobClient block() {
            BlockBlobClient b = block;
            if (b == null) {
                b = client.getBlockBlobClient();
                block = b;
            }
            return b;
        }

        BlobAsyncClient async() {
            BlobAsyncClient a = async;
            if (a == null) {
                a = asyncContainerClient().getBlobAsyncClient(client.getBlobName());
                async = a;
            }
            return a;
        }

        BlockBlobAsyncClient asyncBlock() {
            BlockBlobAsyncClient b = asyncBlock;
            if (b == null) {
                b = async().getBlockBlobAsyncClient();
                asyncBlock = b;
            }
            return b;
        }
    }

    private BlobLeaseClient leaseClient(String key, String leaseId) {
        return new BlobLeaseClientBuilder().blobClient(blob(key)).leaseId(leaseId).buildClient();
    }

    /** The object's properties, or null if it does not exist. */
    private CompletableFuture<BlobProperties> propertiesOrNull(Requests via, String key, CachedBlob blob) {
        return via.properties(blob, null).handle((p, failure) -> {
            if (failure == null) {
                return p;
            }
            ObjectStoreException e = AzureErrors.map(unwrap(failure), Op.READ, key, containerName);
            if (e instanceof ObjectNotFoundException && !(e.getCause() instanceof BlobStorageException
                    && BlobErrorCode.CONTAINER_NOT_FOUND.equals(AzureErrors.errorCode((BlobStorageException) e.getCause())))) {
                return null;
            }
            throw e;
        });
    }

    /** A request's failure translated for the kind of request it was. */
    private <T> CompletableFuture<T> mapped(CompletableFuture<T> request, Op op, String key) {
        return request.handle((value, failure) -> {
            if (failure != null) {
                throw AzureErrors.map(unwrap(failure), op, key, containerName);
            }
            return value;
        });
    }

    /** The failure itself, without the wrappers future chains add. */
    private static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    /** Waits for a protocol over the blocking client (complete already) and rethrows its failure. */
    private static <T> T await(CompletableFuture<T> protocol) {
        try {
            return protocol.join();
        } catch (CompletionException e) {
            Throwable cause = unwrap(e);
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw e;
        }
    }

    private <T> T call(Op op, String key, Supplier<T> request) {
        try {
            return request.get();
        } catch (RuntimeException e) {
            throw AzureErrors.map(e, op, key, containerName);
        }
    }

    private static ObjectInfo info(String key, BlobProperties p) {
        return new ObjectInfo(key, version(p.getETag(), p.getVersionId()), p.getBlobSize(), instant(p.getLastModified()),
                p.getContentType(), p.getMetadata());
    }

    static ObjectVersion version(String etag, String versionId) {
        return ObjectVersion.of(ETag.parse("etag", etag), versionId);
    }

    static Instant instant(OffsetDateTime time) {
        return time == null ? Instant.EPOCH : time.toInstant();
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static String leaseKey(String key, String leaseId) {
        return key + '\n' + leaseId;
    }

    /**
     * The duration of a held lease this driver did not acquire: infinite if Azure says so, else the
     * shortest fixed duration, so that an expiry computed from it is never too late.
     */
    private Duration durationOfUnknownLease(String key) {
        BlobProperties p = call(Op.READ, key, () -> blob(key).getProperties());
        return LeaseDurationType.INFINITE.equals(p.getLeaseDuration()) ? null : SHORTEST_LEASE;
    }

    private void remember(String key, String leaseId, LeaseMemo memo) {
        synchronized (leaseMemos) {
            leaseMemos.put(leaseKey(key, leaseId), memo);
        }
    }

    private LeaseMemo remembered(String key, String leaseId) {
        synchronized (leaseMemos) {
            return leaseMemos.get(leaseKey(key, leaseId));
        }
    }

    private void forget(String key, String leaseId) {
        synchronized (leaseMemos) {
            leaseMemos.remove(leaseKey(key, leaseId));
        }
    }

    /** What this driver knows of a lease: its duration (null: infinite) and when it last (re)started. */
    private static final class LeaseMemo {
        final Duration duration;
        final Instant since;

        LeaseMemo(Duration duration, Instant since) {
            this.duration = duration;
            this.since = since;
        }
    }
}
