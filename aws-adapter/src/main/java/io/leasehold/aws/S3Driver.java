package io.leasehold.aws;

import io.leasehold.spi.GetResponse;
import io.leasehold.spi.PutResponse;
import io.leasehold.core.Capabilities;
import io.leasehold.core.Capability;
import io.leasehold.core.DeleteOptions;
import io.leasehold.core.ETag;
import io.leasehold.core.ErrorCode;
import io.leasehold.core.GetOptions;
import io.leasehold.core.GetResult;
import io.leasehold.core.InvalidArgumentException;
import io.leasehold.core.NotSupportedException;
import io.leasehold.core.ObjectInfo;
import io.leasehold.core.ObjectNotFoundException;
import io.leasehold.core.ObjectStoreException;
import io.leasehold.core.ObjectVersion;
import io.leasehold.core.OutcomeUnknownException;
import io.leasehold.core.PreconditionFailedException;
import io.leasehold.core.probe.ProbeOptions;
import io.leasehold.core.probe.ProbeReport;
import io.leasehold.core.PutMode;
import io.leasehold.core.PutOptions;
import io.leasehold.core.PutResult;
import io.leasehold.core.ReadConsistency;
import io.leasehold.core.TransientException;
import io.leasehold.spi.kit.ContentDigest;
import io.leasehold.spi.AsyncStoreDriver;
import io.leasehold.spi.LeaseDriver;
import io.leasehold.spi.RangeRead;
import io.leasehold.spi.StagedUpload;
import io.leasehold.spi.StoreDriver;
import io.leasehold.spi.UploadLimits;
import java.io.FilterInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClientBuilder;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import io.leasehold.core.ListOptions;
import io.leasehold.core.ObjectAlreadyExistsException;
import io.leasehold.core.ObjectChangedException;
import io.leasehold.spi.ListResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import io.leasehold.spi.kit.ListPages;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.CopyObjectResult;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A {@link StoreDriver} for AWS S3 and S3-compatible servers, over the AWS SDK for Java v2
 * {@link S3Client}. What the server honours and how it deviates from AWS is an {@link S3Profile}.
 *
 * <h2>Opening</h2>
 * <pre>{@code
 * // a client the driver builds (and closes): default credential chain, SDK retries off
 * ObjectStore store = ObjectStore.open("s3://my-bucket/app?region=eu-west-1");
 * // an S3-compatible server
 * ObjectStore rgw = ObjectStore.open("s3://b?endpoint=http://127.0.0.1:7480&profile=ceph-rgw");
 * // an existing client (not closed by the driver)
 * ObjectStore mine = ObjectStore.of(S3Driver.builder().client(s3Client).bucket("my-bucket").build());
 * }</pre>
 * URI query parameters: {@code endpoint}, {@code region}, {@code pathStyle} ({@code true|false}),
 * {@code profile} ({@code auto|aws|ceph-rgw|s3-compatible}; default {@code auto} with an endpoint other
 * than AWS, which probes the endpoint once per JVM and declares only measured capabilities, see
 * {@link Builder#autoProfile()}), {@code versioned} ({@code true} if the
 * bucket keeps versions: declares {@link io.leasehold.core.Capability#VERSION_IDS}),
 * {@code credentialsProfile} (a named profile of the AWS config files), {@code enforceLeases}
 * ({@code true} refuses writes without the lease id while a lease is held, see
 * {@link Builder#enforceLeases}). Credentials never go in the URI; the default AWS provider chain
 * (environment, files, instance roles) supplies them.
 *
 * <h2>Mapping</h2>
 * <ul>
 *   <li>create &rarr; PutObject {@code If-None-Match: *}; update(version) &rarr; {@code If-Match};
 *       replace-if-present &rarr; {@code If-None-Match: ""} and date conditions on put &rarr;
 *       {@code If-(Un)Modified-Since}, only where the profile says the server honours them
 *       (AWS S3 does not: {@link NotSupportedException} before sending).</li>
 *   <li>get/head &rarr; GetObject/HeadObject with the four conditions; 304 &rarr;
 *       {@link GetResult#notModified}. A condition that RFC 9110 says to ignore (If-Unmodified-Since
 *       beside If-Match, If-Modified-Since beside If-None-Match) is not sent, and beside a concrete
 *       If-Match the If-None-Match verdict is decided by the driver (the current ETag is the
 *       If-Match tag whenever that holds), so servers that evaluate the headers differently still
 *       give the RFC's verdict. If-Match with a weak ETag never matches (strong comparison): the
 *       driver answers it with a HEAD (not found, else precondition failed).</li>
 *   <li>delete &rarr; DeleteObject; with If-Match where the profile has conditional delete. S3
 *       answers 204 for a missing key, so a delete first proves the key exists: with
 *       {@code If-Match: *} (AWS, one atomic request), with HEAD then {@code If-Match} on the ETag seen
 *       (atomic per attempt), or with HEAD then an unconditional delete (RGW and generic servers: if
 *       another client deletes the key between the two requests, both deletes report success; a
 *       write between them is deleted, as an unconditional delete would).</li>
 *   <li>version ids, user metadata ({@code x-amz-meta-*}) and content type are passed through.</li>
 * </ul>
 *
 * <h2>Large objects</h2>
 * Streaming puts larger than one part are multipart uploads ({@link #startUpload}): each part carries
 * its {@code Content-MD5}; CompleteMultipartUpload carries the put's condition where the profile
 * says the server evaluates it ({@link S3Profile#conditionalMultipartCommit()}: AWS yes, Ceph RGW
 * 16.2 no, so there a conditional put larger than one part is refused before sending); a failed or
 * losing upload is aborted. Streaming gets are ranged GETs pinned with If-Match (and the version id
 * on versioned buckets) ({@link #getRange}), verified against the ETag's MD5 where
 * {@link S3Profile#etagIsContentMd5()}: single-part objects, and multipart objects this driver
 * uploaded (it records the part size in the reserved metadata {@value #PART_SIZE_METADATA}).
 *
 * <h2>Errors</h2>
 * 412 &rarr; precondition failed (already exists for a create); 404 on a conditional put (AWS's
 * answer to If-Match on a missing key) &rarr; precondition failed; 409 ConditionalRequestConflict
 * &rarr; {@link TransientException} {@link ErrorCode#CONFLICT} (retried by the facade, never
 * "already exists"); a 200 whose body is an {@code <Error>} is treated as the status its code stands
 * for; 503 SlowDown &rarr; {@link ErrorCode#THROTTLED}; 401/403 &rarr; access denied; a connect
 * failure &rarr; transient (nothing was sent); any other 5xx, a 408, 409 or 429, a timeout or reset
 * &rarr; {@link OutcomeUnknownException} for puts, deletes and commits (the facade settles it from the
 * write id), transient for reads. A mutation counts as not applied only in the store's own words
 * (the {@code <Code>} of its XML error body): a 502, 503 or 504 without one is what a proxy, load
 * balancer or gateway answers, also after it forwarded the request ({@code S3Failures} lists every
 * answer and why). A 2xx PutObject without an ETag is reported as
 * {@link io.leasehold.spi.PutResponse#withoutVersion}, and a read without an ETag as a server fault.
 * Messages carry the HTTP status, S3 error code and request id, never credentials. Note that AWS
 * answers a missing key with 403 when the caller lacks {@code s3:ListBucket}: grant it, or a
 * missing key is reported as access denied.
 *
 * <h2>Retries: exactly one layer</h2>
 * The SDK must never re-send a conditional mutation on its own: when the first attempt landed and
 * its response was lost, the retry fails 412/409 and turns the caller's success into a failure
 * (aws-sdk-java-v2 #6580). Clients this driver builds have SDK retries off
 * ({@code AwsRetryStrategy.doNotRetry()}). A <b>caller-supplied client keeps its settings for
 * everything else</b>, but every request this driver sends over it carries a per-request plugin
 * that sets the retry strategy to "do not retry" (and, for profiles that need it, checksums only
 * when required), whatever the client was built with. That plugin makes the SDK rebuild the client
 * configuration for each request (about 25 µs and 30 KB): a client built from a builder passed
 * through {@link #configureClient} already has retries off and needs no plugin, so requests over it
 * cost what they cost over a client the driver builds. Retrying is left to
 * {@link io.leasehold.core.ObjectStore}, which retries only failures that did not apply the request.
 *
 * <h2>Leases</h2>
 * S3 has no leases and cannot check a lease id on a request. Where the profile offers them
 * ({@link S3Profile#emulatedLeases()}: AWS, Ceph RGW, Tigris) the driver declares
 * {@link io.leasehold.core.Capability#EMULATED_LEASES} and the library emulates them over this driver's
 * conditional requests: a lease record under {@code .leasehold/lease/} written with
 * {@code If-None-Match: *} / {@code If-Match}, expiry by observation (no synchronised clocks), fencing
 * tokens, and lease-guarded writes made conditional on the version read (a guarded delete needs
 * conditional delete, so it is refused on Ceph RGW). A lease id that reaches this driver's
 * put, get or delete (not passed through the lease guard) is refused with
 * {@link NotSupportedException}: never sent, never dropped.
 *
 * <h2>Escape hatch</h2>
 * {@code unwrap(S3Client.class)} returns the client (the caller's, or the one the driver built and
 * owns: do not close it); {@code unwrap(S3Profile.class)} the profile.
 *
 * <p>Thread-safety: safe for concurrent use by many threads (the SDK client is).
 */
public final class S3Driver implements StoreDriver {
    /** The empty entity tag: Tigris reads {@code If-None-Match: ""} as replace-if-present. */
    private static final String EMPTY_ETAG = "\"\"";
    private static final String OCTET_STREAM = "application/octet-stream";
    private static final int DELETE_ATTEMPTS = 3;
    private static final int MAX_KEY_BYTES = 1024;
    /** The largest object one CopyObject copies (larger ones need UploadPartCopy). */
    private static final long MAX_COPY_BYTES = 5L << 30;
    /**
     * Reserved metadata recording the part size of a multipart upload this driver made, so that a
     * download can check the bytes against the ETag (the MD5 of the parts' MD5s).
     */
    static final String PART_SIZE_METADATA = "leasehold_p";
    /** S3's multipart limits: parts of 5 MiB to 5 GiB (the last may be smaller), 10,000 parts, 5 TiB. */
    private static final UploadLimits UPLOAD_LIMITS = new UploadLimits(5L << 20, 5L << 30, 10_000, 5L << 40);
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]");
    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private final S3Client client;
    private final boolean ownsClient;
    private final String bucket;
    private final String prefix;
    private final S3Profile profile;
    /** Whether the bucket keeps versions (decides whether the profile's lost-race answer proves anything). */
    private final boolean versionedBucket;
    private final Capabilities capabilities;
    private final String name;
    private final S3RequestCustomizer customizer;
    /** The requests over the blocking client. */
    private final S3Calls calls;
    private final ProbeReport probeReport;
    /** The settings to build the asynchronous client from (when this driver builds its clients), else null. */
    private final Builder asyncSettings;
    /** The caller's asynchronous client, or null. */
    private final S3AsyncClient callersAsyncClient;
    /** The non-blocking requests, once {@link #async()} was first asked (empty if there are none). */
    private Optional<AsyncStoreDriver> nonBlocking;
    private S3Connection.OwnedAsyncClient ownedAsyncClient;
    private boolean closed;

    private S3Driver(Builder b, S3Client client, boolean ownsClient) {
        this.client = client;
        this.ownsClient = ownsClient;
        this.bucket = b.bucket;
        this.prefix = b.prefix;
        this.profile = b.profile;
        this.versionedBucket = b.versionedBucket;
        Capabilities declared = b.profile.capabilities(b.versionedBucket);
        if (b.enforceLeases) {
            if (!declared.supports(Capability.EMULATED_LEASES)) {
                if (ownsClient) {
                    client.close();
                }
                throw noLeasesToEnforce(b.profile);
            }
            declared = declared.with(Capability.ENFORCED_LEASES);
        }
        this.capabilities = declared;
        this.name = b.name;
        this.customizer = b.customizer;
        // A caller's client built with S3Driver.configureClient needs no per-request plugin (which makes
        // the SDK rebuild the client configuration on every request).
        this.calls = S3Calls.blocking(client, ownsClient || !SingleAttemptPlugin.isNeeded(client, b.profile)
                ? null : new SingleAttemptPlugin(b.profile), ownsClient ? b.requestTimeout : attemptTimeoutOf(client));
        this.probeReport = b.probeReport;
        this.callersAsyncClient = b.asyncClient;
        this.asyncSettings = ownsClient && b.asyncClient == null ? S3Connection.copy(b) : null;
    }

    private static InvalidArgumentException noLeasesToEnforce(S3Profile profile) {
        return new InvalidArgumentException("enforceLeases", "needs emulated leases, and the '" + profile.name()
                + "' profile offers none here");
    }

    /**
     * A builder with the {@link S3Profile#AWS} profile.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Prepares a client builder of yours so that the driver can send through the client as it is:
     * SDK retries off, the check for 200 answers that carry an error document, and the profile's
     * checksum and signing settings (for profiles that sign whole payloads the builder's auth scheme
     * provider is replaced). The builder's other settings are kept. A driver over such a client
     * attaches nothing to its requests; over any other client it adds a per-request plugin, which costs
     * the SDK a rebuild of the client configuration on every request (see the class documentation).
     * Your own calls through the client do not retry either.
     *
     * <pre>{@code
     * S3Client client = S3Driver.configureClient(S3Client.builder().region(Region.EU_WEST_1), S3Profile.AWS).build();
     * ObjectStore store = ObjectStore.of(S3Driver.builder().client(client).bucket("my-bucket").build());
     * }</pre>
     *
     * @param builder your client builder
     * @param profile the profile the driver will use
     * @return the same builder
     */
    public static S3ClientBuilder configureClient(S3ClientBuilder builder, S3Profile profile) {
        return SingleAttemptPlugin.configure(Objects.requireNonNull(builder, "builder"), Objects.requireNonNull(profile, "profile"));
    }

    /**
     * As {@link #configureClient} for an asynchronous client builder of yours, to be given to
     * {@link Builder#asyncClient}: SDK retries off, the check for 200 answers that carry an error
     * document, and the profile's checksum and signing settings.
     *
     * @param builder your asynchronous client builder
     * @param profile the profile the driver will use
     * @return the same builder
     */
    public static S3AsyncClientBuilder configureAsyncClient(S3AsyncClientBuilder builder, S3Profile profile) {
        return SingleAttemptPlugin.configure(Objects.requireNonNull(builder, "builder"), Objects.requireNonNull(profile, "profile"));
    }

    /**
     * Whether this driver attaches its single-attempt plugin to every request (a caller-supplied client
     * not prepared with {@link #configureClient}).
     */
    boolean usesPerRequestPlugin() {
        return calls.perRequestPlugin() != null;
    }

    /**
     * Opens a driver from an {@code s3://bucket[/prefix]?…} URI (see the class documentation).
     *
     * @param uri the URI
     * @return the driver, owning the client it built
     * @throws InvalidArgumentException if the URI is malformed or has unknown parameters
     */
    public static S3Driver open(URI uri) {
        return builder().uri(uri).build();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    /**
     * The bucket.
     *
     * @return the bucket name
     */
    public String bucket() {
        return bucket;
    }

    /**
     * The key prefix (empty, or ending with {@code /}).
     *
     * @return the prefix
     */
    public String prefix() {
        return prefix;
    }

    /**
     * The compatibility profile.
     *
     * @return the profile
     */
    public S3Profile profile() {
        return profile;
    }

    // ---------------------------------------------------------------- put

    /**
     * {@inheritDoc}
     *
     * @throws NotSupportedException for a lease id (guarded puts reach the driver through
     *     library's emulated lease guard, without it), or a replace-if-present or date condition the
     *     profile does not support (nothing is sent)
     * @throws OutcomeUnknownException after a 5xx (other than the profile's lost-race answer), an answer
     *     without an S3 error code, a timeout or reset once the request was sent
     */
    @Override
    public PutResponse put(String key, byte[] content, PutOptions options) {
        return S3Calls.await(put(calls, key, content, options));
    }

    /** The put protocol over either client; input it refuses is thrown before anything is sent. */
    private CompletableFuture<PutResponse> put(S3Calls via, String key, byte[] content, PutOptions options) {
        String objectKey = objectKey(key);
        if (options.leaseId().isPresent()) {
            throw notSupported(key, "lease-guarded put");
        }
        PutObjectRequest.Builder request = PutObjectRequest.builder().bucket(bucket).key(objectKey);
        Map<String, String> dateHeaders = new LinkedHashMap<>();
        S3Failures.Request kind;
        PutMode mode = options.mode();
        switch (mode.kind()) {
            case CREATE:
                request.ifNoneMatch("*");
                kind = S3Failures.Request.PUT_CREATE;
                break;
            case UPDATE:
                // Arrives strong: the facade answers a weak If-Match (which never matches) itself.
                request.ifMatch(ifMatchValue(mode.expected().orElseThrow().etag()));
                kind = S3Failures.Request.PUT_CONDITIONAL;
                break;
            case REPLACE:
                if (profile.putIfPresent() == S3Profile.PutIfPresentForm.IF_NONE_MATCH_EMPTY) {
                    request.ifNoneMatch(EMPTY_ETAG);
                } else if (profile.putIfPresent() == S3Profile.PutIfPresentForm.IF_MATCH_ANY) {
                    request.ifMatch("*");
                } else {
                    throw notSupported(key, "replace-if-present put");
                }
                kind = S3Failures.Request.PUT_CONDITIONAL;
                break;
            default:
                kind = S3Failures.Request.PUT;
                break;
        }
        if (options.ifModifiedSince().isPresent() || options.ifUnmodifiedSince().isPresent()) {
            if (!profile.putDateConditions()) {
                throw notSupported(key, "If-Modified-Since/If-Unmodified-Since on put");
            }
            options.ifModifiedSince().ifPresent(t -> dateHeaders.put("If-Modified-Since", HTTP_DATE.format(t)));
            options.ifUnmodifiedSince().ifPresent(t -> dateHeaders.put("If-Unmodified-Since", HTTP_DATE.format(t)));
            if (kind == S3Failures.Request.PUT) {
                kind = S3Failures.Request.PUT_CONDITIONAL;
            }
        }
        options.contentType().ifPresent(request::contentType);
        if (!options.userMetadata().isEmpty()) {
            request.metadata(options.userMetadata());
        }
        boolean conditional = kind != S3Failures.Request.PUT;
        // Only a body of megabytes gets a longer attempt (an override of its own; small puts keep none).
        Duration longer = via.attemptTimeout() != null && content.length > (1 << 20)
                ? via.attemptTimeout().plus(partTransferAllowance(content.length)) : null;
        request.overrideConfiguration(override(via, S3Operation.PUT_OBJECT, conditional, options.consistency(),
                dateHeaders, longer));
        S3Failures.Request sentAs = kind;
        return then(via.putObject(request.build(), content), (response, failure) -> {
            if (failure == null) {
                return CompletableFuture.completedFuture(putResponse(response, content.length));
            }
            if (!(failure instanceof SdkException)) {
                return S3Calls.failed(failure);
            }
            return putFailure(via, key, objectKey, options, sentAs, (SdkException) failure).thenCompose(S3Calls::failed);
        });
    }

    private static PutResponse putResponse(PutObjectResponse response, int length) {
        if (response.eTag() == null || response.eTag().isBlank()) {
            // Some compatible servers omit the ETag on PUT: the write landed, but which version it made
            // is for the facade to establish from the write id, never from whatever a HEAD shows.
            return PutResponse.withoutVersion(length);
        }
        return PutResponse.of(ObjectVersion.of(ETag.parse(response.eTag()), response.versionId()), length, null);
    }

    /** What a failed PutObject means; a 412 on a dated create first asks whether the key exists. */
    private CompletableFuture<ObjectStoreException> putFailure(S3Calls via, String key, String objectKey,
                                                              PutOptions options, S3Failures.Request kind,
                                                              SdkException e) {
        if (e instanceof AwsServiceException) {
            AwsServiceException se = (AwsServiceException) e;
            int status = S3Failures.effectiveStatus(se);
            if (status == 412 && kind == S3Failures.Request.PUT_CREATE
                    && (options.ifModifiedSince().isPresent() || options.ifUnmodifiedSince().isPresent())) {
                // The 412 may be the date condition on an absent key rather than the key's presence.
                return currentETag(via, key, objectKey, e).thenApply(current -> current == null
                        ? new PreconditionFailedException(key, name + " PutObject failed: HTTP 412;"
                                + " the key is absent, so a date condition failed", e)
                        : translate(via, S3Operation.PUT_OBJECT, key, kind, e));
            }
            if (isLostRace(options, se)) {
                return CompletableFuture.completedFuture(new PreconditionFailedException(key, name
                        + " PutObject lost its race: HTTP " + se.statusCode() + " " + profile.lostRaceErrorCode()
                        + " is how this server (profile " + profile.name() + ") answers a lost If-Match race in a"
                        + " bucket without versioning; the write was not applied", e));
            }
        }
        // Any other 5xx stays outcome unknown: the facade settles it from the write id, since
        // "someone else's content is there now" does not prove ours never landed.
        return CompletableFuture.completedFuture(translate(via, S3Operation.PUT_OBJECT, key, kind, e));
    }

    /**
     * Whether a failed PutObject is the server's own answer to a lost If-Match race (see
     * {@link S3Profile#lostRaceErrorCode()}): that code, with a 5xx status, on a put with If-Match on
     * an ETag, in a bucket without versioning. Ceph RGW 16 answers {@code 500 UnknownError} when the
     * guard of its atomic head write fails ({@code ECANCELED}), which applies nothing; in a versioned
     * bucket the same answer can also come after the new version was written (linking it as the
     * current one failed), so there it stays outcome unknown. It covers only the request that got it:
     * an earlier send of the same write may still have landed, which the facade checks by its write id.
     */
    private boolean isLostRace(PutOptions options, AwsServiceException e) {
        return options.mode().kind() == PutMode.Kind.UPDATE && !versionedBucket && profile.lostRaceErrorCode() != null
                && !S3Failures.insideOkAnswer(e) && S3Failures.effectiveStatus(e) >= 500
                && profile.lostRaceErrorCode().equals(S3Failures.errorCode(e));
    }

    // ---------------------------------------------------------------- get / head

    /**
     * {@inheritDoc}
     *
     * @throws NotSupportedException for a lease (nothing is sent)
     * @throws io.leasehold.core.TransientException on throttling, 5xx, timeouts and resets
     */
    @Override
    public GetResponse get(String key, GetOptions options, boolean withContent) {
        return S3Calls.await(get(calls, key, options, withContent));
    }

    /** The read protocol over either client; input it refuses is thrown before anything is sent. */
    private CompletableFuture<GetResponse> get(S3Calls via, String key, GetOptions options, boolean withContent) {
        String objectKey = objectKey(key);
        if (options.leaseId().isPresent()) {
            throw notSupported(key, "lease-guarded read");
        }
        ETag ifMatch = options.ifMatch().orElse(null);
        ETag ifNoneMatch = options.ifNoneMatch().orElse(null);
        // RFC 9110 13.2.2: If-Unmodified-Since is ignored beside If-Match, If-Modified-Since beside
        // If-None-Match. Not sending them keeps the verdict right on servers that evaluate all four.
        Instant ifUnmodifiedSince = ifMatch != null ? null : options.ifUnmodifiedSince().orElse(null);
        Instant ifModifiedSince = ifNoneMatch != null ? null : options.ifModifiedSince().orElse(null);
        boolean notModifiedIfFound = false;
        if (ifMatch != null && ifMatch.isAny() && !profile.wildcardsOnReads()) {
            ifMatch = null; // true whenever the object exists; a missing one is 404 regardless
        }
        if (ifMatch != null && !ifMatch.isAny() && ifNoneMatch != null) {
            // When a concrete If-Match holds, the current ETag is that tag, so If-None-Match is decided
            // already: the server only has to evaluate If-Match (some servers ignore one of the two).
            notModifiedIfFound = ifNoneMatch.weakMatch(ifMatch);
            ifNoneMatch = null;
        }
        if (ifNoneMatch != null && ifNoneMatch.isAny() && !profile.wildcardsOnReads()) {
            notModifiedIfFound = true; // If-None-Match: * is false exactly when the object exists
            ifNoneMatch = null;
        }
        boolean fetchContent = withContent && !notModifiedIfFound;
        String ifMatchHeader = ifMatch == null ? null : ifMatchValue(ifMatch);
        String ifNoneMatchHeader = ifNoneMatch == null ? null : ifNoneMatchValue(ifNoneMatch);
        S3Operation operation = fetchContent ? S3Operation.GET_OBJECT : S3Operation.HEAD_OBJECT;
        AwsRequestOverrideConfiguration override = override(via, operation, options.isConditional(),
                options.consistency(), Map.of(), null);
        if (fetchContent) {
            return then(via.getObject(GetObjectRequest.builder()
                    .bucket(bucket).key(objectKey).ifMatch(ifMatchHeader).ifNoneMatch(ifNoneMatchHeader)
                    .ifModifiedSince(ifModifiedSince).ifUnmodifiedSince(ifUnmodifiedSince)
                    .overrideConfiguration(override).build()), (bytes, failure) -> {
                        if (failure != null) {
                            return readFailure(via, operation, key, failure);
                        }
                        GetObjectResponse r = bytes.response();
                        return CompletableFuture.completedFuture(GetResponse.found(info(key, r.eTag(), r.versionId(),
                                r.contentLength(), r.lastModified(), r.contentType(), r.metadata()),
                                bytes.asByteArrayUnsafe()));
                    });
        }
        boolean notModified = notModifiedIfFound;
        return then(via.headObject(HeadObjectRequest.builder()
                .bucket(bucket).key(objectKey).ifMatch(ifMatchHeader).ifNoneMatch(ifNoneMatchHeader)
                .ifModifiedSince(ifModifiedSince).ifUnmodifiedSince(ifUnmodifiedSince)
                .overrideConfiguration(override).build()), (r, failure) -> {
                    if (failure != null) {
                        return readFailure(via, operation, key, failure);
                    }
                    if (notModified) {
                        return CompletableFuture.completedFuture(
                                GetResponse.notModified(ObjectVersion.of(ETag.parse(r.eTag()), r.versionId())));
                    }
                    return CompletableFuture.completedFuture(GetResponse.found(info(key, r.eTag(), r.versionId(),
                            r.contentLength(), r.lastModified(), r.contentType(), r.metadata()), null));
                });
    }

    /** A failed GetObject or HeadObject: a 304 is an answer (not modified), anything else a failure. */
    private CompletableFuture<GetResponse> readFailure(S3Calls via, S3Operation operation, String key, Throwable failure) {
        if (failure instanceof AwsServiceException && S3Failures.effectiveStatus((AwsServiceException) failure) == 304) {
            return CompletableFuture.completedFuture(GetResponse.notModified(etagHeader((AwsServiceException) failure)));
        }
        if (failure instanceof SdkException) {
            return S3Calls.failed(translate(via, operation, key, S3Failures.Request.READ, (SdkException) failure));
        }
        return S3Calls.failed(failure);
    }

    // ---------------------------------------------------------------- large objects

    /**
     * {@inheritDoc}
     *
     * <p>S3's multipart limits: parts of 5 MiB to 5 GiB (the last may be smaller), at most 10,000
     * parts, objects up to 5 TiB.
     */
    @Override
    public UploadLimits uploadLimits() {
        return UPLOAD_LIMITS;
    }

    /**
     * {@inheritDoc}
     *
     * <p>A multipart upload: CreateMultipartUpload with the content type and metadata (plus the part
     * size, {@value #PART_SIZE_METADATA}), UploadPart with each part's {@code Content-MD5}, then
     * CompleteMultipartUpload with {@code If-None-Match: *} (create) or {@code If-Match} (update) where
     * the profile has {@link S3Profile#conditionalMultipartCommit()}; AbortMultipartUpload on failure.
     *
     * @throws NotSupportedException for a lease id, a date condition or replace-if-present (no form
     *     on CompleteMultipartUpload), or any condition where the profile's commit cannot carry it
     *     (nothing is sent)
     */
    @Override
    public StagedUpload startUpload(String key, PutOptions options, long size, long partSize) {
        String objectKey = objectKey(key);
        if (options.leaseId().isPresent()) {
            throw notSupported(key, "lease-guarded put");
        }
        if (options.ifModifiedSince().isPresent() || options.ifUnmodifiedSince().isPresent()) {
            throw notSupported(key, "date conditions on a put larger than one part (CompleteMultipartUpload has none)");
        }
        String ifNoneMatch = null;
        String ifMatch = null;
        switch (options.mode().kind()) {
            case CREATE:
                ifNoneMatch = "*";
                break;
            case UPDATE:
                ifMatch = ifMatchValue(options.mode().expected().orElseThrow().etag());
                break;
            case REPLACE:
                throw notSupported(key, "replace-if-present on a put larger than one part");
            default:
                break;
        }
        if ((ifNoneMatch != null || ifMatch != null) && !profile.conditionalMultipartCommit()) {
            throw notSupported(key, "a conditional put larger than one part (the server does not evaluate conditions"
                    + " on CompleteMultipartUpload)");
        }
        Map<String, String> metadata = new LinkedHashMap<>(options.userMetadata());
        metadata.put(PART_SIZE_METADATA, Long.toString(partSize));
        CreateMultipartUploadRequest.Builder request = CreateMultipartUploadRequest.builder().bucket(bucket)
                .key(objectKey).metadata(metadata)
                .overrideConfiguration(override(S3Operation.CREATE_MULTIPART_UPLOAD, false, options.consistency(), Map.of(), null));
        options.contentType().ifPresent(request::contentType);
        String uploadId;
        try {
            uploadId = client.createMultipartUpload(request.build()).uploadId();
        } catch (SdkException e) {
            throw S3Failures.translate(name, S3Operation.CREATE_MULTIPART_UPLOAD, key, S3Failures.Request.STAGE, e);
        }
        if (uploadId == null || uploadId.isBlank()) {
            throw new ObjectStoreException(ErrorCode.UNKNOWN, key, name + " CreateMultipartUpload answered without an"
                    + " upload id", null);
        }
        return new S3MultipartUpload(this, key, objectKey, uploadId, options, ifNoneMatch, ifMatch);
    }

    /**
     * {@inheritDoc}
     *
     * <p>GetObject with {@code Range}; a pinned range carries If-Match on the version's ETag and its
     * version id where it has one. A first request with conditions evaluates them with a HEAD exactly
     * as {@link #get} does (this profile's quirks included) and pins the ranges to the version that
     * met them. The whole-object checksum offered for verification: the ETag's MD5 for objects
     * uploaded in one request, and for multipart objects this driver uploaded the MD5 of the parts'
     * MD5s (where {@link S3Profile#etagIsContentMd5()} and the object is not SSE-KMS or SSE-C encrypted).
     *
     * @throws NotSupportedException for a lease id (nothing is sent)
     */
    @Override
    public RangeRead getRange(String key, GetOptions options, ObjectVersion pinned, long offset, long length) {
        String objectKey = objectKey(key);
        if (options.leaseId().isPresent()) {
            throw notSupported(key, "lease-guarded read");
        }
        ObjectVersion pin = pinned;
        if (pin == null && options.isConditional()) {
            GetResponse head = get(key, options, false);
            if (head.isNotModified()) {
                return RangeRead.notModified(head.version().orElse(null));
            }
            pin = head.info().version();
        }
        long last = length > Long.MAX_VALUE - offset ? -1 : offset + length - 1;
        GetObjectRequest.Builder request = GetObjectRequest.builder().bucket(bucket).key(objectKey)
                .range("bytes=" + offset + "-" + (last < 0 ? "" : Long.toString(last)));
        if (pin != null) {
            request.ifMatch(ifMatchValue(pin.etag()));
            pin.versionId().ifPresent(request::versionId);
        }
        request.overrideConfiguration(override(S3Operation.GET_OBJECT, pin != null, options.consistency(), Map.of(), null));
        ResponseInputStream<GetObjectResponse> in;
        try {
            in = client.getObject(request.build());
        } catch (AwsServiceException e) {
            if (S3Failures.effectiveStatus(e) == 416 && offset == 0) {
                // No byte 0: the object is empty (S3 refuses any range of an empty object).
                return emptyRange(key, objectKey, pin, options);
            }
            if (pinned == null && pin != null && S3Failures.effectiveStatus(e) == 412) {
                // Replaced between the HEAD that evaluated the caller's conditions and this GET: the
                // caller's conditions were not the ones that failed. Asking again is safe.
                throw new TransientException(ErrorCode.TRANSIENT, key, name + " GetObject: the object changed"
                        + " between evaluating the read's conditions and reading it", e);
            }
            throw S3Failures.translate(name, S3Operation.GET_OBJECT, key, S3Failures.Request.READ, e);
        } catch (SdkException e) {
            throw S3Failures.translate(name, S3Operation.GET_OBJECT, key, S3Failures.Request.READ, e);
        }
        GetObjectResponse r = in.response();
        long[] served = contentRange(r.contentRange());
        long start = served == null ? 0 : served[0];
        long count = r.contentLength() != null ? r.contentLength() : served != null ? served[1] - served[0] + 1 : -1;
        long total = served == null ? count : served[2];
        if (count < 0 || total < 0 || start != offset && served != null || served == null && offset != 0) {
            in.abort();
            throw new ObjectStoreException(ErrorCode.UNKNOWN, key, name + " GetObject answered a range request for bytes "
                    + offset + "+ with Content-Range " + r.contentRange() + ", Content-Length " + r.contentLength(), null);
        }
        ObjectInfo info = info(key, r.eTag(), r.versionId(), total, r.lastModified(), r.contentType(), r.metadata());
        return RangeRead.of(info, start, count, new RangeStream(in, count),
                digest(r.eTag(), r.serverSideEncryption(), r.sseCustomerAlgorithm(), info));
    }

    /** The range answer for an empty object: a GET without Range under the same pin. */
    private RangeRead emptyRange(String key, String objectKey, ObjectVersion pin, GetOptions options) {
        GetObjectRequest.Builder request = GetObjectRequest.builder().bucket(bucket).key(objectKey);
        if (pin != null) {
            request.ifMatch(ifMatchValue(pin.etag()));
            pin.versionId().ifPresent(request::versionId);
        }
        request.overrideConfiguration(override(S3Operation.GET_OBJECT, pin != null, options.consistency(), Map.of(), null));
        try {
            ResponseBytes<GetObjectResponse> bytes = client.getObjectAsBytes(request.build());
            GetObjectResponse r = bytes.response();
            if (bytes.asByteArrayUnsafe().length != 0) {
                // Written in between: the caller asks again and gets a range of the new content.
                throw new TransientException(ErrorCode.TRANSIENT, key, name + " GetObject: the empty object was"
                        + " replaced while it was read", null);
            }
            ObjectInfo info = info(key, r.eTag(), r.versionId(), 0L, r.lastModified(), r.contentType(), r.metadata());
            return RangeRead.slice(info, new byte[0], 0, 0);
        } catch (SdkException e) {
            throw S3Failures.translate(name, S3Operation.GET_OBJECT, key, S3Failures.Request.READ, e);
        }
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

    /** The whole-object checksum an object's ETag stands for, if it stands for one. */
    private ContentDigest digest(String etag, ServerSideEncryption sse, String sseCustomerAlgorithm, ObjectInfo info) {
        if (!profile.etagIsContentMd5() || etag == null || sseCustomerAlgorithm != null
                || sse != null && sse != ServerSideEncryption.AES256) {
            return null; // SSE-KMS and SSE-C ETags are not MD5s of the content
        }
        String value = ETag.parse(etag).value();
        int dash = value.indexOf('-');
        if (dash < 0) {
            byte[] md5 = ContentDigest.hexMd5(value);
            return md5 == null ? null : ContentDigest.md5(md5);
        }
        byte[] md5OfMd5s = ContentDigest.hexMd5(value.substring(0, dash));
        String partSize = info.userMetadata().get(PART_SIZE_METADATA);
        if (md5OfMd5s == null || partSize == null) {
            return null; // a multipart upload of another client: its part size is unknown
        }
        try {
            long size = Long.parseLong(partSize);
            int parts = Integer.parseInt(value.substring(dash + 1));
            if (size <= 0 || parts != (info.size() + size - 1) / size) {
                return null; // re-uploaded in other parts (e.g. copied by another tool with our metadata)
            }
            return ContentDigest.md5OfParts(md5OfMd5s, size, parts);
        } catch (RuntimeException malformed) {
            return null;
        }
    }

    /** A range's body; closing it before the end aborts the connection instead of reading the rest. */
    private static final class RangeStream extends FilterInputStream {
        private final ResponseInputStream<GetObjectResponse> response;
        private long left;

        RangeStream(ResponseInputStream<GetObjectResponse> response, long length) {
            super(response);
            this.response = response;
            this.left = length;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                left -= n;
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            if (left > 0) {
                response.abort();
            }
            super.close();
        }
    }

    // ---------------------------------------------------------------- copy and list

    /**
     * {@inheritDoc}
     *
     * <p>One CopyObject within the bucket: {@code x-amz-copy-source-if-match} on the source version
     * (and its version id on versioned buckets), {@code MetadataDirective: REPLACE} with the content
     * type and metadata given (headers such as Cache-Control are not carried over), and
     * {@code If-None-Match: *} (create) or {@code If-Match} (update) on the target. A 412 or 404 is
     * told apart by a HEAD of the source: a source that is gone or another version is the source's
     * failure, else the target's condition failed.
     *
     * @throws NotSupportedException for a lease id, a date condition, replace-if-present, a target
     *     condition the profile says CopyObject ignores, or a source over 5 GiB (one CopyObject's
     *     limit): nothing is sent, and the facade copies through the client
     * @throws OutcomeUnknownException after a 5xx, timeout or reset once the request was sent
     */
    @Override
    public PutResponse copy(String sourceKey, ObjectVersion sourceVersion, long sourceSize, String targetKey,
                            PutOptions targetOptions) {
        String sourceObject = objectKey(sourceKey);
        String targetObject = objectKey(targetKey);
        if (!profile.serverSideCopy()) {
            throw notSupported(targetKey, "server-side copy (CopyObject pinned to the source version)");
        }
        if (targetOptions.leaseId().isPresent()) {
            throw notSupported(targetKey, "lease-guarded copy");
        }
        if (targetOptions.ifModifiedSince().isPresent() || targetOptions.ifUnmodifiedSince().isPresent()) {
            throw notSupported(targetKey, "date conditions on a copy");
        }
        if (sourceSize > MAX_COPY_BYTES) {
            throw notSupported(targetKey, "a server-side copy of more than 5 GiB (one CopyObject's limit)");
        }
        CopyObjectRequest.Builder request = CopyObjectRequest.builder()
                .sourceBucket(bucket).sourceKey(sourceObject)
                .destinationBucket(bucket).destinationKey(targetObject)
                .copySourceIfMatch(ifMatchValue(sourceVersion.etag()))
                .metadataDirective(MetadataDirective.REPLACE)
                .metadata(targetOptions.userMetadata());
        sourceVersion.versionId().ifPresent(request::sourceVersionId);
        targetOptions.contentType().ifPresent(request::contentType);
        S3Failures.Request kind;
        switch (targetOptions.mode().kind()) {
            case CREATE:
                requireConditionalCopy(targetKey);
                request.ifNoneMatch("*");
                kind = S3Failures.Request.PUT_CREATE;
                break;
            case UPDATE:
                requireConditionalCopy(targetKey);
                request.ifMatch(ifMatchValue(targetOptions.mode().expected().orElseThrow().etag()));
                kind = S3Failures.Request.PUT_CONDITIONAL;
                break;
            case REPLACE:
                throw notSupported(targetKey, "replace-if-present on a copy");
            default:
                kind = S3Failures.Request.PUT_CONDITIONAL; // the source's If-Match
                break;
        }
        // S3 copies inside the store, but a large copy still takes a while before it answers.
        Duration longer = calls.attemptTimeout() != null && sourceSize > (8L << 20)
                ? calls.attemptTimeout().plus(partTransferAllowance(sourceSize / 8)) : null;
        request.overrideConfiguration(override(S3Operation.COPY_OBJECT, true, targetOptions.consistency(), Map.of(), longer));
        CopyObjectResponse response;
        try {
            response = client.copyObject(request.build());
        } catch (SdkException e) {
            throw copyFailure(sourceKey, sourceObject, sourceVersion, targetKey, targetOptions, kind, e);
        }
        CopyObjectResult result = response.copyObjectResult();
        String etag = result == null ? null : result.eTag();
        if (etag == null || etag.isBlank()) {
            return PutResponse.withoutVersion(sourceSize);
        }
        return PutResponse.of(ObjectVersion.of(ETag.parse(etag), response.versionId()), sourceSize, result.lastModified());
    }

    private void requireConditionalCopy(String targetKey) {
        if (!profile.conditionalCopy()) {
            throw notSupported(targetKey, "conditions on a copy's target (the server ignores them on CopyObject)");
        }
    }

    /**
     * A failed CopyObject: a refusal (412, or 404 for a missing source or an If-Match on a missing
     * target) is the source's when the source is now missing or another version, else the target's;
     * anything else is translated as a write of the target.
     */
    private ObjectStoreException copyFailure(String sourceKey, String sourceObject, ObjectVersion sourceVersion,
                                             String targetKey, PutOptions options, S3Failures.Request kind,
                                             SdkException e) {
        int status = e instanceof AwsServiceException ? S3Failures.effectiveStatus((AwsServiceException) e) : 0;
        if (status != 412 && status != 404) {
            return S3Failures.translate(name, S3Operation.COPY_OBJECT, targetKey, kind, e);
        }
        ETag current = S3Calls.await(currentETag(calls, sourceKey, sourceObject, e));
        if (current == null) {
            return new ObjectNotFoundException(sourceKey, name + " CopyObject failed: HTTP " + status
                    + "; the source does not exist", e);
        }
        if (!current.value().equals(sourceVersion.etag().value())) {
            return new ObjectChangedException(sourceKey, name + " CopyObject failed: HTTP " + status
                    + "; the source is no longer the version read", e);
        }
        switch (options.mode().kind()) {
            case CREATE:
                return new ObjectAlreadyExistsException(targetKey, name + " CopyObject failed: HTTP " + status
                        + "; copy-if-absent found the target present", e);
            case UPDATE:
                return new PreconditionFailedException(targetKey, name + " CopyObject failed: HTTP " + status
                        + "; the target is not the version If-Match names", e);
            default:
                // Nothing on the target was conditional and the source is that version again (rewritten
                // with the same bytes meanwhile): read it again.
                return new ObjectChangedException(sourceKey, name + " CopyObject failed: HTTP " + status
                        + "; the source changed while it was copied", e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>One ListObjectsV2 under the driver's prefix; keys and common prefixes are returned without
     * it. The continuation token wraps the server's together with the last entry returned
     * ({@link S3ListCursor}), so that a server that repeats common prefixes on later pages or serves
     * more than {@code max-keys} entries still yields pages within the contract.
     *
     * @throws InvalidArgumentException if the continuation token is not this driver's, or the server
     *     refuses the one it wraps
     * @throws TransientException on throttling, 5xx, timeouts and resets
     */
    @Override
    public ListResponse list(String listPrefix, ListOptions options) {
        S3ListCursor cursor = S3ListCursor.of(options.continuationToken().orElse(null));
        ListObjectsV2Request.Builder request = ListObjectsV2Request.builder().bucket(bucket)
                .prefix(prefix + listPrefix).maxKeys(options.pageSize());
        options.delimiter().ifPresent(request::delimiter);
        if (cursor.serverToken != null) {
            request.continuationToken(cursor.serverToken);
        }
        request.overrideConfiguration(override(S3Operation.LIST_OBJECTS, false, ReadConsistency.STRONG, Map.of(), null));
        ListObjectsV2Response response;
        try {
            response = client.listObjectsV2(request.build());
        } catch (AwsServiceException e) {
            if (cursor.serverToken != null && S3Failures.effectiveStatus(e) == 400
                    && "InvalidArgument".equals(S3Failures.errorCode(e))) {
                throw new InvalidArgumentException("continuationToken", "the server refused it (" + name
                        + " ListObjectsV2: HTTP 400 InvalidArgument); pass a token this store returned");
            }
            throw S3Failures.translate(name, S3Operation.LIST_OBJECTS, null, S3Failures.Request.READ, e);
        } catch (SdkException e) {
            throw S3Failures.translate(name, S3Operation.LIST_OBJECTS, null, S3Failures.Request.READ, e);
        }
        // Objects and common prefixes in one key order, after the last entry already returned.
        TreeMap<String, ObjectInfo> entries = new TreeMap<>(ListPages.KEY_ORDER);
        for (S3Object object : response.contents()) {
            if (object.key() == null || !object.key().startsWith(prefix)) {
                continue; // not under this driver's prefix (a server that ignored it)
            }
            String key = object.key().substring(prefix.length());
            if (object.eTag() == null || object.eTag().isBlank()) {
                throw new ObjectStoreException(ErrorCode.UNKNOWN, key, name + ": the server listed an object without"
                        + " an ETag; conditional requests need one (is this endpoint S3-compatible?)", null);
            }
            entries.put(key, new ObjectInfo(key, ObjectVersion.of(ETag.parse(object.eTag()), null),
                    object.size() == null ? 0 : object.size(),
                    object.lastModified() == null ? Instant.EPOCH : object.lastModified(), null, null));
        }
        for (CommonPrefix common : response.commonPrefixes()) {
            if (common.prefix() != null && common.prefix().startsWith(prefix)) {
                entries.putIfAbsent(common.prefix().substring(prefix.length()), null);
            }
        }
        SortedMap<String, ObjectInfo> fresh = cursor.after == null ? entries : entries.tailMap(cursor.after, false);
        List<ObjectInfo> objects = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        String last = cursor.after;
        for (Map.Entry<String, ObjectInfo> entry : fresh.entrySet()) {
            if (objects.size() + prefixes.size() == options.pageSize()) {
                // More than asked for: the rest of this server page is read again, after the last kept.
                return ListResponse.of(objects, prefixes, new S3ListCursor(cursor.serverToken, last).token());
            }
            if (entry.getValue() == null) {
                prefixes.add(entry.getKey());
            } else {
                objects.add(entry.getValue());
            }
            last = entry.getKey();
        }
        String next = Boolean.TRUE.equals(response.isTruncated()) ? response.nextContinuationToken() : null;
        return ListResponse.of(objects, prefixes, next == null ? null : new S3ListCursor(next, last).token());
    }

    // ---------------------------------------------------------------- package-private, for S3MultipartUpload

    S3Client client() {
        return client;
    }

    AwsRequestOverrideConfiguration requestOverride(S3Operation operation, boolean conditional, ReadConsistency consistency) {
        return override(operation, conditional, consistency, Map.of(), null);
    }

    /**
     * As {@link #requestOverride(S3Operation, boolean, ReadConsistency)} for a request that may take
     * longer than one ordinary request: the client's attempt timeout is extended by {@code extra}
     * (unchanged when the client has no attempt timeout).
     */
    AwsRequestOverrideConfiguration requestOverride(S3Operation operation, boolean conditional, ReadConsistency consistency,
                                                    Duration extra) {
        return override(operation, conditional, consistency, Map.of(),
                calls.attemptTimeout() == null ? null : calls.attemptTimeout().plus(extra));
    }

    /** How much longer than an ordinary request an UploadPart of {@code bytes} may take: 1 s per MiB (a 1 MiB/s floor). */
    static Duration partTransferAllowance(long bytes) {
        return Duration.ofMillis(Math.max(0, bytes) * 1000 / (1 << 20));
    }

    /** How much longer a CompleteMultipartUpload of {@code parts} may take: 100 ms per part (S3 may take minutes). */
    static Duration commitAllowance(int parts) {
        return Duration.ofMillis(100L * parts);
    }

    private static Duration attemptTimeoutOf(SdkClient client) {
        try {
            return client.serviceClientConfiguration().overrideConfiguration().apiCallAttemptTimeout().orElse(null);
        } catch (RuntimeException unknownClient) {
            return null; // a client that does not describe itself: leave its timeouts alone
        }
    }

    // ---------------------------------------------------------------- non-blocking requests

    /**
     * {@inheritDoc}
     *
     * <p>Put, get and delete over an {@link S3AsyncClient}, the same protocols as the blocking methods
     * (the same requests, follow-up requests and translation of answers; SDK retries off). Present when
     * the driver builds its clients and {@code software.amazon.awssdk:netty-nio-client} is on the class
     * path (or {@link Builder#asyncHttpClient} was given): the asynchronous client is then built on the
     * first call, with the same endpoint, region, credentials, timeouts and connection limit, and closed
     * with the driver. Over a caller's clients, present when {@link Builder#asyncClient} was given. Empty
     * otherwise: the asynchronous API then runs the blocking methods on its pool.
     *
     * @return the non-blocking requests, or empty
     * @throws InvalidArgumentException if the asynchronous client cannot be built (no region)
     */
    @Override
    public synchronized Optional<AsyncStoreDriver> async() {
        if (nonBlocking == null) {
            if (callersAsyncClient != null) {
                nonBlocking = Optional.of(new NonBlockingRequests(S3Calls.nonBlocking(callersAsyncClient,
                        SingleAttemptPlugin.isNeeded(callersAsyncClient, profile) ? new SingleAttemptPlugin(profile) : null,
                        attemptTimeoutOf(callersAsyncClient))));
            } else if (asyncSettings != null && !closed && S3Connection.canBuildAsyncClient(asyncSettings)) {
                ownedAsyncClient = S3Connection.buildAsyncClient(asyncSettings);
                nonBlocking = Optional.of(new NonBlockingRequests(S3Calls.nonBlocking(ownedAsyncClient.client, null,
                        asyncSettings.requestTimeout)));
            } else {
                nonBlocking = Optional.empty();
            }
        }
        return nonBlocking;
    }

    /** The asynchronous client if there is one (the caller's, or the one this driver built). */
    private synchronized S3AsyncClient asyncClient() {
        return callersAsyncClient != null ? callersAsyncClient : ownedAsyncClient == null ? null : ownedAsyncClient.client;
    }

    /** The driver's protocols over the asynchronous client; input they refuse fails the future. */
    private final class NonBlockingRequests implements AsyncStoreDriver {
        private final S3Calls via;

        NonBlockingRequests(S3Calls via) {
            this.via = via;
        }

        @Override
        public CompletableFuture<PutResponse> put(String key, byte[] content, PutOptions options) {
            return S3Calls.attempt(() -> S3Driver.this.put(via, key, content, options));
        }

        @Override
        public CompletableFuture<GetResponse> get(String key, GetOptions options, boolean withContent) {
            return S3Calls.attempt(() -> S3Driver.this.get(via, key, options, withContent));
        }

        @Override
        public CompletableFuture<Void> delete(String key, DeleteOptions options) {
            return S3Calls.attempt(() -> S3Driver.this.delete(via, key, options));
        }

        @Override
        public String toString() {
            return "non-blocking " + S3Driver.this;
        }
    }

    // ---------------------------------------------------------------- delete

    /**
     * {@inheritDoc}
     *
     * <p>How a missing key is detected depends on {@link S3Profile#deleteExistenceCheck()}; see the
     * class documentation for the race each strategy leaves.
     *
     * @throws NotSupportedException for a lease, or If-Match where the profile has no conditional
     *     delete (nothing is sent; never an unconditional fallback)
     * @throws TransientException with {@link ErrorCode#CONFLICT} if the object kept changing between
     *     the existence check and the delete
     * @throws OutcomeUnknownException after a 5xx, an answer without an S3 error code, a timeout or reset
     *     once the delete was sent
     */
    @Override
    public void delete(String key, DeleteOptions options) {
        S3Calls.await(delete(calls, key, options));
    }

    /** The delete protocol over either client; input it refuses is thrown before anything is sent. */
    private CompletableFuture<Void> delete(S3Calls via, String key, DeleteOptions options) {
        String objectKey = objectKey(key);
        if (options.leaseId().isPresent()) {
            throw notSupported(key, "lease-guarded delete");
        }
        if (options.ifMatch().isPresent()) {
            if (!profile.conditionalDelete()) {
                throw notSupported(key, "If-Match on delete");
            }
            ETag expected = options.ifMatch().get();
            return then(deleteObject(via, key, objectKey, ifMatchValue(expected)), (done, failure) -> {
                if (!(failure instanceof PreconditionFailedException)) {
                    return failure == null ? CompletableFuture.completedFuture(null) : S3Calls.failed(failure);
                }
                // Some stores answer If-Match on a missing key with 412 rather than 404.
                return currentETag(via, key, objectKey, failure).thenCompose(current -> S3Calls.failed(current == null
                        ? new ObjectNotFoundException(key, name + " delete: the key does not exist", failure)
                        : failure));
            });
        }
        switch (profile.deleteExistenceCheck()) {
            case IF_MATCH_ANY:
                return deleteObject(via, key, objectKey, "*");
            case HEAD_THEN_IF_MATCH:
                return deleteCurrentVersion(via, key, objectKey, 1);
            case HEAD_THEN_DELETE:
            default:
                return currentETag(via, key, objectKey, null).thenCompose(current -> current == null
                        ? S3Calls.failed(new ObjectNotFoundException(key, name + " delete: the key does not exist", null))
                        : deleteObject(via, key, objectKey, null));
        }
    }

    /** HEAD, then DELETE with If-Match on the ETag seen; looks again when it changed in between. */
    private CompletableFuture<Void> deleteCurrentVersion(S3Calls via, String key, String objectKey, int attempt) {
        if (attempt > DELETE_ATTEMPTS) {
            return S3Calls.failed(new TransientException(ErrorCode.CONFLICT, key, name + " delete: the object changed"
                    + " between the existence check and the delete " + DELETE_ATTEMPTS + " times", null));
        }
        return currentETag(via, key, objectKey, null).thenCompose(current -> {
            if (current == null) {
                return S3Calls.failed(new ObjectNotFoundException(key, name + " delete: the key does not exist", null));
            }
            return then(deleteObject(via, key, objectKey, ifMatchValue(current)), (done, failure) -> {
                if (failure instanceof PreconditionFailedException) {
                    return deleteCurrentVersion(via, key, objectKey, attempt + 1); // rewritten in between
                }
                return failure == null ? CompletableFuture.completedFuture(null) : S3Calls.failed(failure);
            });
        });
    }

    private CompletableFuture<Void> deleteObject(S3Calls via, String key, String objectKey, String ifMatch) {
        return then(via.deleteObject(DeleteObjectRequest.builder().bucket(bucket).key(objectKey).ifMatch(ifMatch)
                .overrideConfiguration(override(via, S3Operation.DELETE_OBJECT, ifMatch != null,
                        ReadConsistency.STRONG, Map.of(), null))
                .build()), (response, failure) -> {
                    if (failure instanceof SdkException) {
                        return S3Calls.failed(translate(via, S3Operation.DELETE_OBJECT, key, S3Failures.Request.DELETE,
                                (SdkException) failure));
                    }
                    return failure == null ? CompletableFuture.completedFuture(null) : S3Calls.failed(failure);
                });
    }

    // ---------------------------------------------------------------- helpers

    /**
     * The current ETag by a strong HEAD, or null if the key is absent.
     *
     * @param cause the failure being resolved, attached to a failure of the HEAD itself; may be null
     */
    private CompletableFuture<ETag> currentETag(S3Calls via, String key, String objectKey, Throwable cause) {
        return then(via.headObject(HeadObjectRequest.builder().bucket(bucket).key(objectKey)
                .overrideConfiguration(override(via, S3Operation.HEAD_OBJECT, false, ReadConsistency.STRONG, Map.of(), null))
                .build()), (r, failure) -> {
                    if (failure == null) {
                        if (r.eTag() == null || r.eTag().isBlank()) {
                            return S3Calls.failed(new ObjectStoreException(ErrorCode.UNKNOWN, key, name + ": the server"
                                    + " answered HeadObject without an ETag (is this endpoint S3-compatible?)", null));
                        }
                        return CompletableFuture.completedFuture(ETag.parse(r.eTag()));
                    }
                    if (!(failure instanceof SdkException)) {
                        return S3Calls.failed(failure);
                    }
                    ObjectStoreException translated = translate(via, S3Operation.HEAD_OBJECT, key,
                            S3Failures.Request.READ, (SdkException) failure);
                    if (translated instanceof ObjectNotFoundException) {
                        return CompletableFuture.completedFuture(null);
                    }
                    if (cause != null) {
                        translated.addSuppressed(cause);
                    }
                    return S3Calls.failed(translated);
                });
    }

    /** Continues a request with its value or its failure (unwrapped); what {@code next} throws fails the chain. */
    private static <T, R> CompletableFuture<R> then(CompletableFuture<T> request,
                                                    BiFunction<T, Throwable, CompletableFuture<R>> next) {
        return request.handle((value, failure) -> next.apply(value, failure == null ? null : S3Calls.unwrap(failure)))
                .thenCompose(Function.identity());
    }

    private ObjectStoreException translate(S3Calls via, S3Operation operation, String key, S3Failures.Request request,
                                           SdkException e) {
        return S3Failures.translate(name, operation, key, request, e, via.onCallersThread());
    }

    private AwsRequestOverrideConfiguration override(S3Operation operation, boolean conditional,
                                                     ReadConsistency consistency, Map<String, String> extra,
                                                     Duration attemptTimeout) {
        return override(calls, operation, conditional, consistency, extra, attemptTimeout);
    }

    private AwsRequestOverrideConfiguration override(S3Calls via, S3Operation operation, boolean conditional,
                                                     ReadConsistency consistency, Map<String, String> extra,
                                                     Duration attemptTimeout) {
        SingleAttemptPlugin perRequestPlugin = via.perRequestPlugin();
        Map<String, String> headers = customizer.headers(operation, conditional, consistency);
        if (headers.isEmpty() && extra.isEmpty() && perRequestPlugin == null && attemptTimeout == null) {
            return null;
        }
        AwsRequestOverrideConfiguration.Builder b = AwsRequestOverrideConfiguration.builder();
        if (attemptTimeout != null) {
            b.apiCallAttemptTimeout(attemptTimeout);
        }
        headers.forEach((header, value) -> {
            if (header.regionMatches(true, 0, "If-", 0, 3)) {
                throw new IllegalStateException("an S3RequestCustomizer must not set conditional header " + header);
            }
            b.putHeader(header, value);
        });
        extra.forEach(b::putHeader);
        if (perRequestPlugin != null) {
            b.addPlugin(perRequestPlugin);
        }
        return b.build();
    }

    private String ifMatchValue(ETag etag) {
        if (etag.isAny()) {
            return "*";
        }
        return profile.quoteIfMatch() ? "\"" + etag.value() + "\"" : etag.value();
    }

    private static String ifNoneMatchValue(ETag etag) {
        // Weak comparison ignores weakness (RFC 9110 8.8.3), so the opaque value is enough.
        return etag.isAny() ? "*" : "\"" + etag.value() + "\"";
    }

    private ObjectInfo info(String key, String etag, String versionId, Long size, Instant lastModified,
                            String contentType, Map<String, String> metadata) {
        Map<String, String> meta = new LinkedHashMap<>();
        if (metadata != null) {
            metadata.forEach((k, v) -> {
                String n = k.toLowerCase(Locale.ROOT);
                meta.put(profile.metadataUnderscoresAsHyphens() ? n.replace('-', '_') : n, v);
            });
        }
        if (etag == null || etag.isBlank()) {
            // A server fault, not a caller error: conditions need the version the store holds.
            throw new ObjectStoreException(ErrorCode.UNKNOWN, key, name + ": the server answered without an ETag;"
                    + " conditional requests need one (is this endpoint S3-compatible?)", null);
        }
        return new ObjectInfo(key, ObjectVersion.of(ETag.parse(etag), versionId), size == null ? 0 : size,
                lastModified == null ? Instant.EPOCH : lastModified, contentType, meta);
    }

    private static ObjectVersion etagHeader(AwsServiceException e) {
        if (e.awsErrorDetails() == null || e.awsErrorDetails().sdkHttpResponse() == null) {
            return null;
        }
        Optional<String> etag = e.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("ETag");
        Optional<String> versionId = e.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("x-amz-version-id");
        try {
            return etag.map(t -> ObjectVersion.of(ETag.parse(t), versionId.orElse(null))).orElse(null);
        } catch (InvalidArgumentException malformed) {
            return null;
        }
    }

    private String objectKey(String key) {
        String full = prefix + key;
        int bytes = full.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_KEY_BYTES) {
            throw new InvalidArgumentException("key", "with the prefix '" + prefix + "' the S3 key is " + bytes
                    + " UTF-8 bytes; at most " + MAX_KEY_BYTES);
        }
        return full;
    }

    private NotSupportedException notSupported(String key, String what) {
        return new NotSupportedException(key, name + " (profile " + profile.name() + ") does not support " + what, null);
    }

    /**
     * Probes this driver's endpoint at the wire with raw requests over its client (see
     * {@link io.leasehold.core.probe.StoreProbe}): every conditional header form on put, get, head and
     * delete, races of concurrent creates and If-Match puts, the bytes read back under each of the
     * SDK's transfer settings, ETags on identical rewrites, metadata names and status codes. Scratch
     * objects go under this driver's prefix and are deleted afterwards; the client's settings are not
     * changed. The report's matching profile names the built-in {@link S3Profile} whose facts match.
     *
     * @param options scratch prefix, racers, rounds and request budget
     * @return the report
     * @throws io.leasehold.core.TransientException if the endpoint does not answer at all
     * @throws io.leasehold.core.AccessDeniedException if the first write is refused for lack of rights
     */
    @Override
    public ProbeReport probe(ProbeOptions options) {
        return new S3EndpointProbe(client, bucket, prefix, name + " bucket " + bucket + endpointText(client),
                options).run().report;
    }

    private static String endpointText(S3Client client) {
        return client.serviceClientConfiguration().endpointOverride().map(e -> " at " + e).orElse(" on AWS");
    }

    /**
     * Exposes {@link S3Client} (the caller's client, or the one this driver built and owns: do not
     * close it), {@link S3Profile}, the {@link ProbeReport} that chose the profile under
     * {@code profile=auto}, or this driver.
     *
     * @param type the wanted type
     * @param <T> the type
     * @return the instance, or empty
     */
    @Override
    public <T> Optional<T> unwrap(Class<T> type) {
        if (type.isInstance(client)) {
            return Optional.of(type.cast(client));
        }
        if (S3AsyncClient.class.isAssignableFrom(type) && async().isPresent()) {
            S3AsyncClient asyncClient = asyncClient();
            if (type.isInstance(asyncClient)) {
                return Optional.of(type.cast(asyncClient));
            }
        }
        if (type.isInstance(profile)) {
            return Optional.of(type.cast(profile));
        }
        if (probeReport != null && type.isInstance(probeReport)) {
            return Optional.of(type.cast(probeReport));
        }
        return StoreDriver.super.unwrap(type);
    }

    /** Closes the clients this driver built; caller-supplied clients stay open. */
    @Override
    public void close() {
        S3Connection.OwnedAsyncClient built;
        synchronized (this) {
            closed = true;
            built = ownedAsyncClient;
        }
        if (built != null) {
            built.close();
        }
        if (ownsClient) {
            client.close();
        }
    }

    @Override
    public String toString() {
        return "S3Driver{" + name + ", bucket=" + bucket + ", prefix=" + prefix + ", profile=" + profile.name() + "}";
    }

    /**
     * Builds an {@link S3Driver}, either over a caller-supplied {@link S3Client} ({@link #client}) or
     * over one it builds from endpoint, region, path style and credentials. Not thread-safe.
     */
    public static final class Builder {
        S3Client client;
        String bucket;
        String prefix = "";
        S3Profile profile = S3Profile.AWS;
        URI endpoint;
        String region;
        Boolean pathStyle;
        AwsCredentialsProvider credentialsProvider;
        String credentialsProfile;
        boolean versionedBucket;
        S3RequestCustomizer customizer = S3RequestCustomizer.NONE;
        String name = "s3";
        Duration connectTimeout = Duration.ofSeconds(5);
        Duration requestTimeout = Duration.ofSeconds(30);
        int maxConnections = 64;
        SdkHttpClient httpClient;
        S3AsyncClient asyncClient;
        SdkAsyncHttpClient asyncHttpClient;
        final Map<String, Consumer<String>> extraUriParameters = new LinkedHashMap<>();
        boolean profileNamed;
        boolean autoProfile;
        ProbeReport probeReport;
        boolean enforceLeases;

        private Builder() {
        }

        /**
         * Uses an existing client, which the driver never closes. Its settings are kept, except that
         * each request the driver sends turns SDK retries off (see the class documentation).
         *
         * @param client the client
         * @return this builder
         */
        public Builder client(S3Client client) {
            this.client = Objects.requireNonNull(client, "client");
            return this;
        }

        /**
         * Uses an existing asynchronous client for the non-blocking requests ({@link S3Driver#async()}),
         * together with your blocking client ({@link #client}), which the driver still needs for
         * streaming transfers, the probe and the blocking API. The driver never closes it. Its settings
         * are kept, except that each request the driver sends turns SDK retries off (no per-request
         * plugin is needed for a client built through {@link S3Driver#configureAsyncClient}).
         *
         * @param client the asynchronous client
         * @return this builder
         */
        public Builder asyncClient(S3AsyncClient client) {
            this.asyncClient = Objects.requireNonNull(client, "client");
            return this;
        }

        /**
         * Sets the bucket (required).
         *
         * @param bucket the bucket name
         * @return this builder
         */
        public Builder bucket(String bucket) {
            this.bucket = bucket;
            return this;
        }

        /**
         * Sets a key prefix; every key is stored under it. A trailing {@code /} is added if missing.
         *
         * @param prefix the prefix, or null/empty for none
         * @return this builder
         */
        public Builder prefix(String prefix) {
            String p = prefix == null ? "" : prefix.replaceFirst("^/+", "");
            this.prefix = p.isEmpty() || p.endsWith("/") ? p : p + "/";
            return this;
        }

        /**
         * Sets the compatibility profile (default {@link S3Profile#AWS}).
         *
         * @param profile the profile
         * @return this builder
         */
        public Builder profile(S3Profile profile) {
            this.profile = Objects.requireNonNull(profile, "profile");
            this.profileNamed = true;
            this.autoProfile = false;
            return this;
        }

        /**
         * Measures the endpoint instead of trusting a profile ({@code profile=auto}): on
         * {@link #build()} the endpoint probe ({@link #probe}) runs once per endpoint and bucket per
         * JVM, and the driver uses the profile derived from the evidence, declaring only the
         * capabilities measured. Where conditional writes are ignored or not atomic,
         * create-if-absent, If-Match puts and {@code update} are refused with
         * {@link NotSupportedException} instead of losing data. The default when an endpoint other
         * than AWS is given and no profile is named.
         *
         * @return this builder
         */
        public Builder autoProfile() {
            this.autoProfile = true;
            this.profileNamed = true;
            return this;
        }

        /**
         * Sets the endpoint of an S3-compatible server (only for a client the driver builds).
         *
         * @param endpoint e.g. {@code http://127.0.0.1:7480}
         * @return this builder
         */
        public Builder endpoint(URI endpoint) {
            this.endpoint = endpoint;
            return this;
        }

        /**
         * Sets the region (only for a client the driver builds). Default: {@code us-east-1} with a
         * custom endpoint, else the SDK's region provider chain.
         *
         * @param region e.g. {@code eu-west-1}
         * @return this builder
         */
        public Builder region(String region) {
            this.region = region;
            return this;
        }

        /**
         * Forces path-style ({@code true}) or virtual-hosted ({@code false}) URLs (only for a client
         * the driver builds). Default: the profile's {@link S3Profile#pathStyle()}.
         *
         * @param pathStyle the style
         * @return this builder
         */
        public Builder pathStyle(boolean pathStyle) {
            this.pathStyle = pathStyle;
            return this;
        }

        /**
         * Sets the credentials (only for a client the driver builds). Default: the AWS default
         * credentials provider chain.
         *
         * @param provider the provider
         * @return this builder
         */
        public Builder credentialsProvider(AwsCredentialsProvider provider) {
            this.credentialsProvider = provider;
            return this;
        }

        /**
         * Uses a named profile of the AWS config and credentials files (only for a client the driver builds).
         *
         * @param profileName the profile name
         * @return this builder
         */
        public Builder credentialsProfile(String profileName) {
            this.credentialsProfile = profileName;
            return this;
        }

        /**
         * Declares that the bucket keeps versions, so versions carry version ids
         * ({@link io.leasehold.core.Capability#VERSION_IDS}). Version ids the server returns are passed
         * through either way.
         *
         * @param versioned true for a versioned bucket
         * @return this builder
         */
        public Builder versionedBucket(boolean versioned) {
            this.versionedBucket = versioned;
            return this;
        }

        /**
         * Enforces the store's emulated leases on writes that do not carry a lease id (URI parameter
         * {@code enforceLeases=true}; default off): a put, update or delete without a lease id is
         * refused with {@link io.leasehold.core.LeaseHeldException} while another holder holds the
         * key's lease, as on Azure and the embedded stores
         * ({@link io.leasehold.core.Capability#ENFORCED_LEASES}). Cost: one lease record read before
         * every such write. What it cannot close: a lease acquired between that read and the write
         * landing (the holder's next guarded overwrite then fails with
         * {@link io.leasehold.core.PreconditionFailedException}), and writers that do not use this
         * library or this setting.
         *
         * @param enforce true to enforce
         * @return this builder
         */
        public Builder enforceLeases(boolean enforce) {
            this.enforceLeases = enforce;
            return this;
        }

        /**
         * Adds headers to requests (extension point for S3-compatible stores, e.g. Tigris).
         *
         * @param customizer the customizer
         * @return this builder
         */
        public Builder requestCustomizer(S3RequestCustomizer customizer) {
            this.customizer = Objects.requireNonNull(customizer, "customizer");
            return this;
        }

        /**
         * Sets the driver's name used in messages and metrics (default {@code s3}).
         *
         * @param name the name
         * @return this builder
         */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * Sets the TCP connect timeout (only for a client the driver builds; default 5 s).
         *
         * @param timeout the timeout
         * @return this builder
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * Sets the per-request timeout, also used as the socket read timeout (only for a client the
         * driver builds; default 30 s). A mutation that times out is reported as outcome unknown.
         *
         * @param timeout the timeout
         * @return this builder
         */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * Sets the HTTP connection pool size (only for a client the driver builds; default 64).
         *
         * @param max the maximum number of connections
         * @return this builder
         */
        public Builder maxConnections(int max) {
            if (max < 1) {
                throw new InvalidArgumentException("maxConnections", "must be at least 1");
            }
            this.maxConnections = max;
            return this;
        }

        /**
         * Sends through this HTTP client instead of the Apache client the driver would build (only for
         * a client the driver builds): e.g. a shared connection pool or another transport. The driver
         * never closes it; {@link #connectTimeout}, {@link #requestTimeout} (except as the attempt
         * timeout) and {@link #maxConnections} then do not apply.
         *
         * @param httpClient the HTTP client
         * @return this builder
         */
        public Builder httpClient(SdkHttpClient httpClient) {
            this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
            return this;
        }

        /**
         * Sends the non-blocking requests through this asynchronous HTTP client instead of the Netty
         * client the driver would build (only for clients the driver builds): e.g. the AWS CRT client,
         * or a Netty client of your own. The driver never closes it; {@link #connectTimeout} and
         * {@link #maxConnections} then do not apply to the asynchronous client.
         *
         * @param httpClient the asynchronous HTTP client
         * @return this builder
         */
        public Builder asyncHttpClient(SdkAsyncHttpClient httpClient) {
            this.asyncHttpClient = Objects.requireNonNull(httpClient, "httpClient");
            return this;
        }

        /**
         * Lets {@link #uri(URI)} accept one more query parameter (for adapters built on this driver).
         *
         * @param parameter the parameter name
         * @param handler receives the decoded value
         * @return this builder
         */
        public Builder acceptUriParameter(String parameter, Consumer<String> handler) {
            extraUriParameters.put(Objects.requireNonNull(parameter, "parameter"), Objects.requireNonNull(handler, "handler"));
            return this;
        }

        /**
         * Applies a store URI: the authority is the bucket, the path the prefix, and the query
         * parameters {@code endpoint}, {@code region}, {@code pathStyle}, {@code profile},
         * {@code versioned}, {@code credentialsProfile}, {@code enforceLeases} (and any added with
         * {@link #acceptUriParameter}). The scheme is not checked here.
         *
         * @param uri e.g. {@code s3://bucket/prefix?region=eu-west-1}
         * @return this builder
         * @throws InvalidArgumentException if the bucket is missing or a parameter is unknown or malformed
         */
        public Builder uri(URI uri) {
            S3Connection.applyUri(this, uri);
            return this;
        }

        /**
         * Builds the driver, and its client unless one was supplied.
         *
         * @return the driver
         * @throws InvalidArgumentException if the bucket is missing or invalid, client settings were
         *     given together with a caller-supplied client, the SDK cannot resolve a region, or
         *     {@code enforceLeases} is on for a profile without emulated leases
         */
        public S3Driver build() {
            if (enforceLeases && !autoProfile && profileNamed && !profile.capabilities(versionedBucket)
                    .supports(Capability.EMULATED_LEASES)) {
                throw noLeasesToEnforce(profile);
            }
            if (bucket == null || !BUCKET.matcher(bucket).matches()) {
                throw new InvalidArgumentException("bucket", bucket == null ? "is required"
                        : "'" + bucket + "' is not a valid bucket name (3-63 lowercase letters, digits, '.', '-')");
            }
            if (asyncClient != null && client == null) {
                throw new InvalidArgumentException("asyncClient", "give your blocking client too, with client(…):"
                        + " streaming transfers, the probe and the blocking API send through it");
            }
            if (client != null) {
                if (endpoint != null || region != null || pathStyle != null || credentialsProvider != null
                        || credentialsProfile != null || httpClient != null || asyncHttpClient != null) {
                    throw new InvalidArgumentException("client", "endpoint, region, pathStyle, credentials,"
                            + " httpClient and asyncHttpClient configure clients the driver builds; set them on your own"
                            + " clients instead");
                }
                if (autoProfile) {
                    String at = client.serviceClientConfiguration().endpointOverride().map(URI::toString).orElse("aws");
                    return new S3Driver(S3Connection.probed(this, at, client), client, false);
                }
                return new S3Driver(this, client, false);
            }
            if (autoProfile || !profileNamed && endpoint != null && !S3EndpointProbe.isAwsEndpoint(endpoint)) {
                String at = endpoint == null ? "aws" + (region == null ? "" : ":" + region) : endpoint.toString();
                Builder resolved = S3Connection.probed(this, at, null);
                return new S3Driver(resolved, S3Connection.buildClient(resolved), true);
            }
            return new S3Driver(this, S3Connection.buildClient(this), true);
        }
    }
}
