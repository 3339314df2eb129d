package io.leasehold.aws;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
 * class starts with {@code scripts/ceph-rgw.sh} and stops when the JUnit root context closes.
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

    private final URI endpoint;
    private final String accessKey;
    private final String secretKey;
    private final Path script;
    private final Path stateDir;

    /** For JUnit's {@code @ExtendWith}. */
    public CephRgw() {
        this(null, null, null, null, null);
    }

    private CephRgw(URI endpoint, String accessKey, String secretKey, Path script, Path stateDir) {
        this.endpoint = endpoint;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.script = script;
        this.stateDir = stateDir;
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
                    env("LEASEHOLD_RGW_SECRET_KEY"), null, null);
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
        Map<String, String> settings = run(script, stateDir, "start");
        CephRgw rgw = new CephRgw(URI.create(settings.get("LEASEHOLD_RGW_ENDPOINT")),
                settings.get("LEASEHOLD_RGW_ACCESS_KEY"), settings.get("LEASEHOLD_RGW_SECRET_KEY"), script, stateDir);
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

    private static Map<String, String> run(Path script, Path stateDir, String command) {
        try {
            Files.createDirectories(stateDir.getParent());
            Path out = Files.createTempFile(stateDir.getParent(), "ceph-rgw-" + command, ".log");
            ProcessBuilder pb = new ProcessBuilder("bash", script.toString(), command)
                    .redirectErrorStream(true).redirectOutput(out.toFile());
            pb.environment().put("LEASEHOLD_RGW_DIR", stateDir.toString());
            Process p = pb.start();
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("ceph-rgw.sh " + command + " timed out; see " + out);
            }
            String output = Files.readString(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IllegalStateException("ceph-rgw.sh " + command + " failed (" + p.exitValue() + "): " + output);
            }
            Map<String, String> settings = new HashMap<>();
            for (String line : output.split("\n")) {
                int eq = line.indexOf('=');
                if (line.startsWith("LEASEHOLD_RGW_") && eq > 0) {
                    settings.put(line.substring(0, eq), line.substring(eq + 1).trim());
                }
            }
            return settings;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (script != null) {
            run(script, stateDir, "stop");
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
