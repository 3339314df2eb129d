package io.leasehold.tigris;

import io.leasehold.aws.S3Driver;
import io.leasehold.aws.S3Profile;
import io.leasehold.core.Capability;
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
 * plus {@code consistentReads} and {@code consistentWrites} ({@code true|false}, default true),
 * {@code location} and {@code crossRegion} (see below) and {@code enforceLeases}.
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
 * <h2>Consistency follows the bucket's location type</h2>
 * Tigris documents its consistency per bucket location type, chosen when the bucket is created
 * (Tigris docs: "Bucket Locations", "Consistency", "Conditional Operations"; research notes of
 * 2026-06-30):
 * <ul>
 *   <li><b>Global</b> (Tigris's default) and <b>Dual-region</b>: strong within a region, eventual
 *       across regions. Conditional writes (create-if-absent, If-Match) and the reads that lease
 *       records and {@code update} depend on are safe only while every client uses one region;
 *       Tigris itself recommends a Multi-region or Single-region bucket for conditional writes from
 *       several regions. A lease or a compare-and-swap used from two regions on such a bucket is
 *       not safe, whatever header is sent.</li>
 *   <li><b>Multi-region</b> and <b>Single-region</b>: strong everywhere.</li>
 * </ul>
 * Declare the location with {@code location=global|dual-region|multi-region|single-region}
 * (default {@code global}, Tigris's own default; {@link Builder#location}). On a Global or
 * Dual-region bucket the driver logs a warning when it is built, and with {@code crossRegion=true}
 * (clients in more than one region use the bucket; {@link Builder#crossRegion}) it refuses what is
 * not safe there: it declares no conditional puts or deletes, no strong reads and no leases, so
 * {@code update}, conditional writes and leases fail with
 * {@link io.leasehold.core.NotSupportedException} before anything is sent. The location type cannot
 * be read through the S3 API (HeadBucket does not report it; Tigris's own SDK reads an undocumented
 * bucket metadata endpoint), so it is declared, not probed.
 * <p>{@code X-Tigris-Consistent: true} is still sent on strong reads ({@code consistentReads}) and on
 * conditional writes ({@code consistentWrites}), both on by default: older Tigris documentation
 * routed such requests through the bucket's leader with it. Tigris no longer documents the header
 * (removed from its docs on 2026-02-24), so the adapter promises nothing on its account.
 *
 * <h2>Leases</h2>
 * Tigris has no leases; the driver offers the library's emulated leases (a lease record under
 * {@code .leasehold/lease/} written with {@code If-None-Match: *} / {@code If-Match}, expiry by
 * observation, fencing tokens, guarded writes made conditional, guarded deletes with
 * {@code If-Match}), on the terms of the location type above. Turning {@code consistentReads} or
 * {@code consistentWrites} off also turns leases off ({@link io.leasehold.core.Capability#LEASES}
 * is then not declared). With {@code enforceLeases=true} writes without a lease id are refused while
 * a lease is held ({@link S3Driver.Builder#enforceLeases}).
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
    /**
     * The request header that older Tigris documentation said routes a request through the bucket's
     * leader (no longer documented; still sent, see the class documentation).
     */
    public static final String CONSISTENT_HEADER = "X-Tigris-Consistent";
    private static final System.Logger LOG = System.getLogger("io.leasehold.tigris");

    /**
     * A Tigris bucket's location type, which decides how consistent it is (see the class
     * documentation).
     *
     * <p>Thread-safety: enum constants are immutable.
     */
    public enum Location {
        /** Tigris's default: strong within a region, eventual across regions. */
        GLOBAL("global", false),
        /** Two regions you choose: strong within a region, eventual across regions. */
        DUAL_REGION("dual-region", false),
        /** Two or more regions in one geography, chosen by Tigris: strong everywhere. */
        MULTI_REGION("multi-region", true),
        /** One region, every request routed to it: strong everywhere. */
        SINGLE_REGION("single-region", true);

        private final String parameter;
        private final boolean strongAcrossRegions;

        Location(String parameter, boolean strongAcrossRegions) {
            this.parameter = parameter;
            this.strongAcrossRegions = strongAcrossRegions;
        }

        /**
         * The URI parameter value, e.g. {@code dual-region}.
         *
         * @return the value
         */
        public String parameter() {
            return parameter;
        }

        /**
         * Whether conditional writes and strong reads hold for clients in different regions.
         *
         * @return true for multi-region and single-region buckets
         */
        public boolean strongAcrossRegions() {
            return strongAcrossRegions;
        }

        /**
         * The location type for a URI parameter value.
         *
         * @param value e.g. {@code global}
         * @return the location type
         * @throws InvalidArgumentException if the value names none
         */
        public static Location of(String value) {
            for (Location l : values()) {
                if (l.parameter.equalsIgnoreCase(value == null ? "" : value.trim())) {
                    return l;
                }
            }
            throw new InvalidArgumentException("uri", "location must be global, dual-region, multi-region or"
                    + " single-region");
        }
    }

    private static final String CONSISTENT_READS = "consistentReads";
    private static final String CONSISTENT_WRITES = "consistentWrites";
    private static final String LOCATION = "location";
    private static final String CROSS_REGION = "crossRegion";
    /** The URI parameters Tigris adds to those of an {@code s3://} URI. */
    static final List<String> PARAMETERS = List.of(CONSISTENT_READS, CONSISTENT_WRITES, LOCATION, CROSS_REGION);

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
        private Location location = Location.GLOBAL;
        private boolean crossRegion;

        private Builder() {
            s3.acceptUriParameter(CONSISTENT_READS, v -> consistentReads(bool(CONSISTENT_READS, v)));
            s3.acceptUriParameter(CONSISTENT_WRITES, v -> consistentConditionalWrites(bool(CONSISTENT_WRITES, v)));
            s3.acceptUriParameter(LOCATION, v -> location(Location.of(v)));
            s3.acceptUriParameter(CROSS_REGION, v -> crossRegion(bool(CROSS_REGION, v)));
        }

        /**
         * Declares the bucket's location type (default {@link Location#GLOBAL}, Tigris's default).
         *
         * @param location the location type
         * @return this builder
         * @throws InvalidArgumentException if null
         */
        public Builder location(Location location) {
            if (location == null) {
                throw new InvalidArgumentException("location", "must not be null");
            }
            this.location = location;
            return this;
        }

        /**
         * Declares that clients in more than one region use the bucket (default false). On a Global or
         * Dual-region bucket the driver then declares no conditional writes, strong reads or leases,
         * so what is unsafe there is refused before anything is sent.
         *
         * @param crossRegion true if clients in several regions use the bucket
         * @return this builder
         */
        public Builder crossRegion(boolean crossRegion) {
            this.crossRegion = crossRegion;
            return this;
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
         * Enforces the emulated leases on writes without a lease id (URI parameter
         * {@code enforceLeases=true}; see {@link S3Driver.Builder#enforceLeases}).
         *
         * @param enforce true to enforce
         * @return this builder
         */
        public Builder enforceLeases(boolean enforce) {
            s3.enforceLeases(enforce);
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
            S3Profile profile = PROFILE;
            if (!consistentReads || !consistentWrites) {
                // A lease record read or conditionally written off the leader could be stale: no leases.
                profile = profile.toBuilder().emulatedLeases(false).build();
            }
            if (!location.strongAcrossRegions()) {
                if (crossRegion) {
                    // Conditions are evaluated per region and reads from another region may be stale.
                    profile = profile.toBuilder().emulatedLeases(false).withhold(Capability.PUT_IF_ABSENT,
                            Capability.PUT_IF_MATCH, Capability.PUT_IF_PRESENT, Capability.PUT_IF_MODIFIED_SINCE,
                            Capability.PUT_IF_UNMODIFIED_SINCE, Capability.DELETE_IF_MATCH, Capability.STRONG_READS,
                            Capability.CONDITIONAL_MULTIPART_COMMIT, Capability.LEASES).build();
                } else {
                    LOG.log(System.Logger.Level.WARNING, "Tigris bucket location type " + location.parameter()
                            + ": conditional writes, update and leases are safe only while every client uses one"
                            + " region (strong within a region, eventual across regions); use a multi-region or"
                            + " single-region bucket for clients in several regions, or set crossRegion=true to"
                            + " have them refused");
                }
            }
            return s3.profile(profile).requestCustomizer(new TigrisConsistencyHeaders(consistentReads, consistentWrites))
                    .build();
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
