package io.leasehold.aws;

import io.leasehold.core.InvalidArgumentException;
import io.leasehold.core.probe.ProbeOptions;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClientBuilder;
import software.amazon.awssdk.services.s3.S3BaseClientBuilder;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.utils.builder.SdkBuilder;

/**
 * How an {@link S3Driver} connects: the {@code s3://bucket[/prefix]?…} URI's parameters, the
 * {@link S3Client} (and, for the asynchronous API, the {@link S3AsyncClient}) the driver builds when
 * the caller supplies none (SDK retries off, the profile's checksum and signing settings), and the
 * endpoint probe behind {@code profile=auto}. Kept apart
 * from the driver, which only translates requests, as {@code AzureConnection} is in the Azure adapter.
 *
 * <p>Thread-safety: stateless; the builders it works on are not thread-safe.
 */
final class S3Connection {
    /** The query parameters of an {@code s3://} URI, in the documented order. */
    static final Set<String> PARAMETERS = Collections.unmodifiableSet(new LinkedHashSet<>(List.of("endpoint", "region",
            "pathStyle", "profile", "versioned", "credentialsProfile", "enforceLeases")));

    private S3Connection() {
    }

    /**
     * Applies a store URI to a builder: the authority is the bucket, the path the prefix, and the
     * query parameters {@code endpoint}, {@code region}, {@code pathStyle}, {@code profile},
     * {@code versioned}, {@code credentialsProfile}, {@code enforceLeases} (and any the builder was
     * told to accept).
     *
     * @throws InvalidArgumentException if the bucket is missing or a parameter is unknown or malformed
     */
    static void applyUri(S3Driver.Builder b, URI uri) {
        if (uri == null) {
            throw new InvalidArgumentException("uri", "must not be null");
        }
        String host = uri.getAuthority();
        if (host == null || host.isEmpty()) {
            throw new InvalidArgumentException("uri", "needs a bucket: " + uri.getScheme() + "://bucket[/prefix]");
        }
        if (uri.getUserInfo() != null) {
            throw new InvalidArgumentException("uri", "must not carry credentials; use the AWS provider chain");
        }
        b.bucket(host);
        b.prefix(uri.getPath());
        String query = uri.getRawQuery();
        if (query == null || query.isEmpty()) {
            return;
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            parameter(b, key, value);
        }
    }

    private static void parameter(S3Driver.Builder b, String key, String value) {
        switch (key) {
            case "endpoint":
                try {
                    URI e = new URI(value);
                    if (e.getScheme() == null || e.getHost() == null) {
                        throw new InvalidArgumentException("uri", "endpoint must be an absolute http(s) URL");
                    }
                    b.endpoint(e);
                } catch (URISyntaxException ex) {
                    throw new InvalidArgumentException("uri", "malformed endpoint: " + ex.getReason());
                }
                break;
            case "region":
                b.region(value);
                break;
            case "pathStyle":
                b.pathStyle(bool(key, value));
                break;
            case "profile":
                if ("auto".equalsIgnoreCase(value.trim())) {
                    b.autoProfile();
                } else {
                    b.profile(S3Profile.named(value));
                }
                break;
            case "versioned":
                b.versionedBucket(bool(key, value));
                break;
            case "credentialsProfile":
                b.credentialsProfile(value);
                break;
            case "enforceLeases":
                b.enforceLeases(bool(key, value));
                break;
            default:
                Consumer<String> extra = b.extraUriParameters.get(key);
                if (extra == null) {
                    throw new InvalidArgumentException("uri", "unknown parameter '" + key + "'; known: "
                            + String.join(", ", PARAMETERS)
                            + (b.extraUriParameters.isEmpty() ? "" : ", " + String.join(", ", b.extraUriParameters.keySet())));
                }
                extra.accept(value);
        }
    }

    private static boolean bool(String key, String value) {
        if ("true".equalsIgnoreCase(value) || value.isEmpty()) {
            return true;
        }
        if ("false".equalsIgnoreCase(value)) {
            return false;
        }
        throw new InvalidArgumentException("uri", key + " must be true or false");
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new InvalidArgumentException("uri", "malformed percent-encoding in the query");
        }
    }

    /**
     * A copy of the builder set to the profile the endpoint probe derives from the evidence, probing
     * once per endpoint and bucket per JVM: over the caller's client if there is one (each probe
     * request carries its own settings; the client is unchanged), else over a short-lived client with
     * the SDK's defaults.
     */
    static S3Driver.Builder probed(S3Driver.Builder b, String at, S3Client callersClient) {
        String target = b.name + " bucket " + b.bucket + (at.startsWith("aws") ? " on AWS" : " at " + at);
        S3EndpointProbe.Result result = S3EndpointProbe.cached(at + " " + b.bucket, () -> {
            if (callersClient != null) {
                return new S3EndpointProbe(callersClient, b.bucket, b.prefix, target, ProbeOptions.defaults()).run();
            }
            S3Driver.Builder forProbe = copy(b);
            forProbe.profile = S3Profile.AWS.toBuilder().pathStyle(S3Profile.S3_COMPATIBLE.pathStyle()).build();
            try (S3Client probeClient = buildClient(forProbe)) {
                return new S3EndpointProbe(probeClient, b.bucket, b.prefix, target, ProbeOptions.defaults()).run();
            }
        });
        S3Driver.Builder resolved = copy(b);
        resolved.profile = result.profile;
        resolved.versionedBucket = result.versionIds;
        resolved.probeReport = result.report;
        resolved.autoProfile = false;
        resolved.profileNamed = true;
        return resolved;
    }

    /** A copy of a builder's settings (the driver keeps one to build its asynchronous client later). */
    static S3Driver.Builder copy(S3Driver.Builder from) {
        S3Driver.Builder b = S3Driver.builder();
        b.client = from.client;
        b.bucket = from.bucket;
        b.prefix = from.prefix;
        b.profile = from.profile;
        b.endpoint = from.endpoint;
        b.region = from.region;
        b.pathStyle = from.pathStyle;
        b.credentialsProvider = from.credentialsProvider;
        b.credentialsProfile = from.credentialsProfile;
        b.versionedBucket = from.versionedBucket;
        b.customizer = from.customizer;
        b.name = from.name;
        b.connectTimeout = from.connectTimeout;
        b.requestTimeout = from.requestTimeout;
        b.maxConnections = from.maxConnections;
        b.httpClient = from.httpClient;
        b.asyncClient = from.asyncClient;
        b.asyncHttpClient = from.asyncHttpClient;
        b.extraUriParameters.putAll(from.extraUriParameters);
        b.profileNamed = from.profileNamed;
        b.autoProfile = from.autoProfile;
        b.probeReport = from.probeReport;
        b.enforceLeases = from.enforceLeases;
        return b;
    }

    /**
     * The client a driver builds for itself: Apache HTTP client with the builder's timeouts and pool
     * size (or the builder's own HTTP client), SDK retries off, the 200-with-error-body interceptor,
     * and the profile's checksum and payload-signing settings.
     *
     * @throws InvalidArgumentException if the SDK cannot resolve a region
     */
    static S3Client buildClient(S3Driver.Builder s) {
        S3ClientBuilder b = S3Client.builder();
        if (s.httpClient != null) {
            b.httpClient(s.httpClient);
        } else {
            b.httpClientBuilder(ApacheHttpClient.builder()
                    .connectionTimeout(s.connectTimeout)
                    .socketTimeout(s.requestTimeout)
                    .maxConnections(s.maxConnections));
        }
        return build(configure(b, s));
    }

    /**
     * Whether a driver that builds its own clients can build the asynchronous one: with the builder's
     * asynchronous HTTP client, or with Netty's ({@code software.amazon.awssdk:netty-nio-client}), an
     * optional dependency of this module.
     */
    static boolean canBuildAsyncClient(S3Driver.Builder s) {
        return s.asyncHttpClient != null || NETTY_PRESENT;
    }

    /** Whether the SDK's Netty HTTP client is on the class path (an optional dependency of this module). */
    static final boolean NETTY_PRESENT = present("software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient");

    private static boolean present(String className) {
        try {
            Class.forName(className, false, S3Connection.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * The asynchronous client a driver builds for itself, with the same settings as its blocking one
     * ({@link #buildClient}): Netty's HTTP client with the builder's connect and request timeouts and
     * {@code maxConnections} as its limit of concurrent connections (or the builder's own asynchronous
     * HTTP client), SDK retries off, the error-body interceptor, the profile's checksums and signing.
     *
     * @throws InvalidArgumentException if the SDK cannot resolve a region
     * @throws IllegalStateException if neither Netty nor an asynchronous HTTP client is available
     *     (check {@link #canBuildAsyncClient} first)
     */
    static OwnedAsyncClient buildAsyncClient(S3Driver.Builder s) {
        S3AsyncClientBuilder b = S3AsyncClient.builder();
        AutoCloseable transport = null;
        if (s.asyncHttpClient != null) {
            b.httpClient(s.asyncHttpClient);
        } else if (NETTY_PRESENT) {
            NettyTransport netty = new NettyTransport();
            b.httpClientBuilder(netty.builder(s.connectTimeout, s.requestTimeout, s.maxConnections));
            transport = netty;
        } else {
            throw new IllegalStateException("no asynchronous HTTP client: add software.amazon.awssdk:netty-nio-client");
        }
        try {
            return new OwnedAsyncClient(build(configure(b, s)), transport);
        } catch (RuntimeException e) {
            OwnedAsyncClient.closeQuietly(transport);
            throw e;
        }
    }

    /** An asynchronous client the driver built, and the transport resources it closes after the client. */
    static final class OwnedAsyncClient implements AutoCloseable {
        final S3AsyncClient client;
        private final AutoCloseable transport;

        OwnedAsyncClient(S3AsyncClient client, AutoCloseable transport) {
            this.client = client;
            this.transport = transport;
        }

        @Override
        public void close() {
            client.close();
            closeQuietly(transport);
        }

        static void closeQuietly(AutoCloseable resource) {
            if (resource == null) {
                return;
            }
            try {
                resource.close();
            } catch (Exception e) {
                // threads that end on their own; nothing else to release
            }
        }
    }

    /** Everything but the HTTP client, the same for both kinds of client. */
    private static <B extends S3BaseClientBuilder<B, ?>> B configure(B b, S3Driver.Builder s) {
        b.overrideConfiguration(o -> o.apiCallAttemptTimeout(s.requestTimeout))
                .forcePathStyle(s.pathStyle != null ? s.pathStyle : s.profile.pathStyle());
        // Retries off, the error-body interceptor, checksums and signing: the one rule callers' clients get too.
        SingleAttemptPlugin.configure(b, s.profile);
        if (s.endpoint != null) {
            b.endpointOverride(s.endpoint);
        }
        if (s.region != null && !s.region.isEmpty()) {
            b.region(Region.of(s.region));
        } else if (s.endpoint != null) {
            b.region(Region.US_EAST_1);
        }
        if (s.credentialsProvider != null) {
            b.credentialsProvider(s.credentialsProvider);
        } else if (s.credentialsProfile != null) {
            b.credentialsProvider(ProfileCredentialsProvider.create(s.credentialsProfile));
        }
        return b;
    }

    private static <C> C build(SdkBuilder<?, C> b) {
        try {
            return b.build();
        } catch (SdkException e) {
            throw new InvalidArgumentException("region", "cannot build the S3 client: " + e.getMessage()
                    + " (set ?region=… or AWS_REGION)");
        }
    }
}
