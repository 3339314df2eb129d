package io.leasehold.tigris;

import io.leasehold.aws.S3Driver;
import io.leasehold.aws.S3Profile;
import io.leasehold.core.InvalidArgumentException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Tigris object storage: an {@link S3Driver} with Tigris's endpoint defaults, its conditional
 * forms ({@link #PROFILE}) and the {@value #CONSISTENT_HEADER} header. There is no Tigris-specific
 * request logic: everything goes through the S3 driver and its extension points.
 *
 * <h2>Opening</h2>
 * <pre>{@code
 * ObjectStore store = ObjectStore.open("tigris://my-bucket/app");   // https://t3.storage.dev, region auto
 * ObjectStore mine = ObjectStore.of(Tigris.builder().bucket("my-bucket").client(existingS3Client).build());
 * }</pre>
 * URI parameters: those of {@code s3://} ({@code endpoint}, e.g. {@code https://fly.storage.tigris.dev}
 * from inside Fly.io, {@code region}, {@code pathStyle}, {@code versioned}, {@code credentialsProfile})
 * plus {@code consistentReads} and {@code consistentWrites} ({@code true|false}, default true).
 * Credentials come from the AWS provider chain ({@code AWS_ACCESS_KEY_ID} = the Tigris access key id).
 *
 * <h2>How the portable modes map onto Tigris's conditions</h2>
 * <ul>
 *   <li>create &rarr; {@code If-None-Match: *}; update(version) &rarr; {@code If-Match: "etag"};
 *       replace-if-present &rarr; {@code If-None-Match: ""} (the empty ETag matches no object);
 *       date conditions on put &rarr; {@code If-Modified-Since} / {@code If-Unmodified-Since}, which
 *       Tigris evaluates on every request; several at once are sent together (all must hold).</li>
 *   <li>get/head &rarr; the four conditions; delete with a version &rarr; {@code If-Match}; an
 *       unconditional delete HEADs first and deletes with {@code If-Match} on the ETag seen, so a
 *       missing key is reported as not found.</li>
 * </ul>
 *
 * <h2>Consistency, and what "strong" means per bucket location type</h2>
 * With {@code consistentReads} (default) a {@link io.leasehold.core.ReadConsistency#STRONG} get or
 * head carries {@code X-Tigris-Consistent: true}; with {@code consistentWrites} (default) so does
 * every conditional put and delete, so Tigris evaluates the condition on the bucket's leader. What
 * this buys depends on the bucket's location type:
 * <ul>
 *   <li><b>Global</b> (Tigris's default) and <b>dual-region</b>: strong within the region that
 *       serves a request, eventual across regions. Without the header, a read from another region
 *       may be stale and two writers in different regions could both see their condition hold; with
 *       it, the request goes through the leader and is globally strong (at the leader's latency).</li>
 *   <li><b>Multi-region</b> and <b>single-region</b>: strongly consistent for requests from anywhere;
 *       the header changes nothing but is harmless, so turning it off is safe only for these.</li>
 * </ul>
 * Only requests that carry the header are guaranteed: an EVENTUAL read after a strong write may
 * still be served stale by a distant region of a global bucket.
 *
 * <h2>Leases</h2>
 * Tigris has no leases; the driver offers the library's emulated leases
 * (the library's emulated leases: a lease record under {@code .leasehold/lease/} written with
 * {@code If-None-Match: *} / {@code If-Match}, expiry by observation, fencing tokens, guarded writes
 * made conditional, guarded deletes with {@code If-Match}). Their safety rests on the record being
 * read and conditionally written through the leader, so they are offered only with both
 * {@code consistentReads} and {@code consistentWrites} on (the defaults); turning either off also
 * turns leases off ({@link io.leasehold.core.Capability#LEASES} is then not declared).
 *
 * <h2>Compatibility notes</h2>
 * The SDK's request checksums are sent only when an operation requires them (integrity in transit
 * is TLS's job here), as for other S3-compatible stores. Virtual-hosted URLs
 * ({@code bucket.t3.storage.dev}) are used unless {@code pathStyle=true}.
 *
 * <p>Thread-safety: this class is stateless; the drivers it builds are safe for concurrent use.
 */
public final class Tigris {
    /** The global S3 endpoint outside Fly.io. */
    public static final URI DEFAULT_ENDPOINT = URI.create("https://t3.storage.dev");
    /** The region name Tigris expects in signatures. */
    public static final String DEFAULT_REGION = "auto";
    /** The request header that routes a request through the bucket's leader. */
    public static final String CONSISTENT_HEADER = "X-Tigris-Consistent";

    private static final String CONSISTENT_READS = "consistentReads";
    private static final String CONSISTENT_WRITES = "consistentWrites";
    /** The URI parameters Tigris adds to those of an {@code s3://} URI. */
    static final List<String> PARAMETERS = List.of(CONSISTENT_READS, CONSISTENT_WRITES);

    /**
     * What Tigris honours, as an {@link S3Profile}: quoted ETags in If-Match, atomic conditional
     * delete, replace-if-present as {@code If-None-Match: ""}, date conditions on put, strong reads,
     * emulated leases.
     */
    public static final S3Profile PROFILE = S3Profile.builder("tigris")
            .quoteIfMatch(true)
            .conditionalDelete(true)
            .deleteExistenceCheck(S3Profile.DeleteExistenceCheck.HEAD_THEN_IF_MATCH)
            .putIfPresent(S3Profile.PutIfPresentForm.IF_NONE_MATCH_EMPTY)
            .putDateConditions(true)
            .checksumsWhenRequired(true)
            .pathStyle(false)
            .emulatedLeases(true)
            .build();

    private Tigris() {
    }

    /**
     * A builder with Tigris's defaults.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Opens a driver from a {@code tigris://bucket[/prefix]?…} URI.
     *
     * @param uri the URI
     * @return the driver (named {@code tigris}), owning the client it built
     * @throws InvalidArgumentException if the URI is malformed
     */
    public static S3Driver open(URI uri) {
        return builder().uri(uri).build();
    }

    /**
     * Builds an {@link S3Driver} for Tigris. Not thread-safe.
     */
    public static final class Builder {
        private final S3Driver.Builder s3 = S3Driver.builder().name("tigris").profile(PROFILE)
                .endpoint(DEFAULT_ENDPOINT).region(DEFAULT_REGION);
        private boolean consistentReads = true;
        private boolean consistentWrites = true;

        private Builder() {
            s3.acceptUriParameter(CONSISTENT_READS, v -> consistentReads(bool(CONSISTENT_READS, v)));
            s3.acceptUriParameter(CONSISTENT_WRITES, v -> consistentConditionalWrites(bool(CONSISTENT_WRITES, v)));
        }

        /**
         * Sets the bucket (required).
         *
         * @param bucket the bucket name
         * @return this builder
         */
        public Builder bucket(String bucket) {
            s3.bucket(bucket);
            return this;
        }

        /**
         * Sets a key prefix.
         *
         * @param prefix the prefix, or null for none
         * @return this builder
         */
        public Builder prefix(String prefix) {
            s3.prefix(prefix);
            return this;
        }

        /**
         * Uses an existing client configured for Tigris (endpoint, region {@code auto}); the driver
         * never closes it and turns SDK retries off per request, as {@link S3Driver} documents.
         *
         * @param client the client
         * @return this builder
         */
        public Builder client(S3Client client) {
            s3.client(client).endpoint(null).region(null);
            return this;
        }

        /**
         * Overrides the endpoint (default {@link #DEFAULT_ENDPOINT}; from inside Fly.io
         * {@code https://fly.storage.tigris.dev}).
         *
         * @param endpoint the endpoint
         * @return this builder
         */
        public Builder endpoint(URI endpoint) {
            s3.endpoint(endpoint);
            return this;
        }

        /**
         * Overrides the signing region (default {@value #DEFAULT_REGION}).
         *
         * @param region the region
         * @return this builder
         */
        public Builder region(String region) {
            s3.region(region);
            return this;
        }

        /**
         * Forces path-style URLs (default: virtual-hosted).
         *
         * @param pathStyle true for path style
         * @return this builder
         */
        public Builder pathStyle(boolean pathStyle) {
            s3.pathStyle(pathStyle);
            return this;
        }

        /**
         * Sets the credentials (default: the AWS provider chain).
         *
         * @param provider the provider
         * @return this builder
         */
        public Builder credentialsProvider(AwsCredentialsProvider provider) {
            s3.credentialsProvider(provider);
            return this;
        }

        /**
         * Declares that the bucket keeps versions.
         *
         * @param versioned true for a versioned bucket
         * @return this builder
         */
        public Builder versionedBucket(boolean versioned) {
            s3.versionedBucket(versioned);
            return this;
        }

        /**
         * Sets the per-request timeout of a client the driver builds (default 30 s).
         *
         * @param timeout the timeout
         * @return this builder
         */
        public Builder requestTimeout(Duration timeout) {
            s3.requestTimeout(timeout);
            return this;
        }

        /**
         * Whether STRONG reads carry {@value #CONSISTENT_HEADER} (default true). Turn off only for
         * multi-region or single-region buckets, which are strongly consistent without it. Off also
         * turns emulated leases off.
         *
         * @param consistent true to send the header on strong reads
         * @return this builder
         */
        public Builder consistentReads(boolean consistent) {
            this.consistentReads = consistent;
            return this;
        }

        /**
         * Whether conditional puts and deletes carry {@value #CONSISTENT_HEADER} (default true), so
         * their conditions are evaluated on the leader. Off also turns emulated leases off.
         *
         * @param consistent true to send the header on conditional writes
         * @return this builder
         */
        public Builder consistentConditionalWrites(boolean consistent) {
            this.consistentWrites = consistent;
            return this;
        }

        /**
         * Applies a {@code tigris://bucket[/prefix]?…} URI (see {@link Tigris}).
         *
         * @param uri the URI
         * @return this builder
         * @throws InvalidArgumentException if the URI is malformed or has unknown parameters
         */
        public Builder uri(URI uri) {
            s3.uri(uri);
            return this;
        }

        /**
         * Builds the driver.
         *
         * @return an {@link S3Driver} named {@code tigris}
         * @throws InvalidArgumentException if the bucket is missing or invalid
         */
        public S3Driver build() {
            if (!consistentReads || !consistentWrites) {
                // A lease record read or conditionally written off the leader could be stale: no leases.
                s3.profile(PROFILE.toBuilder().emulatedLeases(false).build());
            }
            return s3.requestCustomizer(new TigrisConsistencyHeaders(consistentReads, consistentWrites)).build();
        }

        private static boolean bool(String name, String value) {
            if (value.isEmpty() || "true".equalsIgnoreCase(value)) {
                return true;
            }
            if ("false".equalsIgnoreCase(value)) {
                return false;
            }
            throw new InvalidArgumentException("uri", name + " must be true or false");
        }
    }
}
