package io.leasehold.aws;

import io.leasehold.tck.servers.ServerProcess;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;

/**
 * A Ceph RADOS Gateway for the tests, once per test JVM: either one already running (environment
 * {@code LEASEHOLD_RGW_ENDPOINT}, {@code LEASEHOLD_RGW_ACCESS_KEY}, {@code LEASEHOLD_RGW_SECRET_KEY},
 * e.g. started by CI with {@code scripts/ceph-rgw.sh start}), or a single-node memstore cluster this
 * class starts with {@code scripts/ceph-rgw.sh run} through {@link ServerProcess}: the script and its
 * daemons (all in the foreground, one process group) stop when the JUnit root context closes, and in
 * any case when this JVM ends, even by a crash.
 *
 * <p>When the Ceph packages are missing the tests are skipped with a message, unless {@code CI=true}
 * or {@code LEASEHOLD_REQUIRE_RGW=1}: then they fail, because a CI run that silently skips the only
 * atomic S3 server proves nothing.
 */
public final class CephRgw implements AutoCloseable, BeforeAllCallback, ParameterResolver, ExecutionCondition {
    static final String BUCKET = "leasehold";
    /** A bucket with versioning enabled (created on first use). */
    static final String VERSIONED_BUCKET = "leasehold-versioned";
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(CephRgw.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    /** The script stops its daemons one by one in about 4 s; past this, they all get SIGKILL. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);

    private final URI endpoint;
    private final String accessKey;
    private final String secretKey;
    private final ServerProcess cluster;

    /** For JUnit's {@code @ExtendWith}. */
    public CephRgw() {
        this(null, null, null, null);
    }

    private CephRgw(URI endpoint, String accessKey, String secretKey, ServerProcess cluster) {
        this.endpoint = endpoint;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.cluster = cluster;
    }

    /** Disables the test class, with the reason in the report, when RGW is absent and not required. */
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        String missing = missingMessage();
        if (missing != null && !required()) {
            return ConditionEvaluationResult.disabled(missing + "; RGW tests skipped");
        }
        return ConditionEvaluationResult.enabled("Ceph RGW available or required");
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        shared(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == CephRgw.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return shared(extensionContext);
    }

    private static CephRgw shared(ExtensionContext context) {
        Object outcome = context.getRoot().getStore(NS).getOrComputeIfAbsent("rgw", k -> {
            try {
                return start();
            } catch (RuntimeException e) {
                return e;
            }
        });
        if (outcome instanceof Unavailable) {
            Assumptions.abort(((Unavailable) outcome).getMessage());
        }
        if (outcome instanceof RuntimeException) {
            throw (RuntimeException) outcome;
        }
        return (CephRgw) outcome;
    }

    URI endpoint() {
        return endpoint;
    }

    /** The processes of the cluster this class started; empty for an external gateway. */
    List<ProcessHandle> clusterProcesses() {
        return cluster == null ? List.of() : cluster.processes();
    }

    /** The process group of the cluster this class started (the script's pid), or -1 for an external gateway. */
    long clusterGroup() {
        return cluster == null ? -1 : cluster.pid();
    }

    StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey));
    }

    /** A driver builder for the RGW bucket with the ceph-rgw profile and a client the driver builds. */
    S3Driver.Builder driverBuilder() {
        return S3Driver.builder().bucket(BUCKET).profile(S3Profile.CEPH_RGW).endpoint(endpoint)
                .credentialsProvider(credentials());
    }

    /** Creates {@link #VERSIONED_BUCKET} with versioning enabled, if it does not exist yet. */
    synchronized void ensureVersionedBucket() {
        try (S3Client s3 = rawClient()) {
            try {
                s3.createBucket(b -> b.bucket(VERSIONED_BUCKET));
            } catch (BucketAlreadyOwnedByYouException alreadyThere) {
                // reused gateway
            }
            s3.putBucketVersioning(b -> b.bucket(VERSIONED_BUCKET).versioningConfiguration(v -> v
                    .status(software.amazon.awssdk.services.s3.model.BucketVersioningStatus.ENABLED)));
        }
    }

    /** A client for setup and inspection (path style, checksums only when required); the caller closes it. */
    S3Client rawClient() {
        return S3Client.builder().endpointOverride(endpoint)
                .region(software.amazon.awssdk.regions.Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(credentials())
                .requestChecksumCalculation(software.amazon.awssdk.core.checksums.RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(software.amazon.awssdk.core.checksums.ResponseChecksumValidation.WHEN_REQUIRED)
                .build();
    }

    private static Path scriptsDir() {
        return Paths.get(System.getProperty("leasehold.scripts.dir", "../scripts")).toAbsolutePath().normalize();
    }

    /** Why RGW cannot be used here, or null if an external gateway is configured or the packages are installed. */
    private static String missingMessage() {
        String external = System.getenv("LEASEHOLD_RGW_ENDPOINT");
        if (external != null && !external.isBlank()) {
            return null;
        }
        Path bin = Paths.get(System.getProperty("leasehold.rgw.bin", "/usr/bin"));
        boolean installed = Files.isExecutable(bin.resolve("radosgw")) && Files.isExecutable(bin.resolve("ceph-mon"))
                && Files.isExecutable(bin.resolve("ceph-osd"));
        return installed ? null : "Ceph RGW is not installed (radosgw, ceph-mon, ceph-osd): install it as root with "
                + scriptsDir().resolve("install-ceph.sh") + ", or point LEASEHOLD_RGW_ENDPOINT at a running gateway";
    }

    private static boolean required() {
        return "true".equalsIgnoreCase(System.getenv("CI")) || "1".equals(System.getenv("LEASEHOLD_REQUIRE_RGW"));
    }

    private static Object start() {
        String external = System.getenv("LEASEHOLD_RGW_ENDPOINT");
        if (external != null && !external.isBlank()) {
            CephRgw rgw = new CephRgw(URI.create(external.trim()), env("LEASEHOLD_RGW_ACCESS_KEY"),
                    env("LEASEHOLD_RGW_SECRET_KEY"), null);
            rgw.createBucket();
            return rgw;
        }
        Path script = scriptsDir().resolve("ceph-rgw.sh");
        String missing = missingMessage();
        if (missing != null) {
            if (required()) {
                throw new IllegalStateException(missing + " — required because CI=true or LEASEHOLD_REQUIRE_RGW=1");
            }
            return new Unavailable(missing + "; RGW tests skipped");
        }
        Path stateDir = Paths.get(System.getProperty("leasehold.rgw.dir", "target/rgw")).toAbsolutePath();
        ServerProcess cluster = launch(script, stateDir);
        Map<String, String> settings = awaitSettings(cluster, stateDir);
        CephRgw rgw = new CephRgw(URI.create(settings.get("LEASEHOLD_RGW_ENDPOINT")),
                settings.get("LEASEHOLD_RGW_ACCESS_KEY"), settings.get("LEASEHOLD_RGW_SECRET_KEY"), cluster);
        try {
            rgw.createBucket();
        } catch (RuntimeException e) {
            rgw.close();
            throw e;
        }
        return rgw;
    }

    private static String env(String name) {
        String v = System.getenv(name);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException("LEASEHOLD_RGW_ENDPOINT is set but " + name + " is not");
        }
        return v;
    }

    private void createBucket() {
        try (S3Client s3 = S3Client.builder().endpointOverride(endpoint)
                .region(software.amazon.awssdk.regions.Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(credentials())
                .requestChecksumCalculation(software.amazon.awssdk.core.checksums.RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(software.amazon.awssdk.core.checksums.ResponseChecksumValidation.WHEN_REQUIRED)
                .build()) {
            s3.createBucket(b -> b.bucket(BUCKET));
        } catch (BucketAlreadyOwnedByYouException alreadyThere) {
            // reused gateway
        }
    }

    /** {@code ceph-rgw.sh run}: the cluster runs as long as that script does, in its process group. */
    private static ServerProcess launch(Path script, Path stateDir) {
        try {
            Files.createDirectories(stateDir.getParent());
            return ServerProcess.builder("ceph-rgw", List.of("bash", script.toString(), "run"))
                    .environment("LEASEHOLD_RGW_DIR", stateDir.toString())
                    .log(runLog(stateDir))
                    .stopGrace(STOP_GRACE)
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot create " + stateDir.getParent(), e);
        }
    }

    private static Path runLog(Path stateDir) {
        return stateDir.resolveSibling(stateDir.getFileName() + "-run.log");
    }

    /** Waits for the settings the script prints once the gateway is ready (it stays in the foreground). */
    private static Map<String, String> awaitSettings(ServerProcess cluster, Path stateDir) {
        Path log = runLog(stateDir);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            String output = read(log);
            Map<String, String> settings = new HashMap<>();
            for (String line : output.split("\n")) {
                int eq = line.indexOf('=');
                if (line.startsWith("LEASEHOLD_RGW_") && eq > 0) {
                    settings.put(line.substring(0, eq), line.substring(eq + 1).trim());
                }
            }
            if (settings.containsKey("LEASEHOLD_RGW_SECRET_KEY")) {
                return settings;
            }
            if (!cluster.isAlive()) {
                cluster.close();
                throw new IllegalStateException("ceph-rgw.sh run failed (" + cluster.exitValue() + "): " + output);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                cluster.close();
                throw new IllegalStateException(e);
            }
        }
        cluster.close();
        throw new IllegalStateException("ceph-rgw.sh run did not report a gateway within " + START_TIMEOUT + "; see " + log);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException notYet) {
            return "";
        }
    }

    @Override
    public void close() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** The gateway is not installed and not required: tests abort (skip). */
    private static final class Unavailable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unavailable(String message) {
            super(message, null, false, false);
        }
    }
}
