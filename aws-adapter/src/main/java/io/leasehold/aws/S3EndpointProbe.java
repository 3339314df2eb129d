package io.leasehold.aws;

import io.leasehold.aws.ProbeRequestPlugin.Transfer;
import io.leasehold.core.Capability;
import io.leasehold.core.probe.ProbeEngine;
import io.leasehold.core.probe.ProbeOptions;
import io.leasehold.core.probe.ProbeReport;
import java.net.URI;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The S3 endpoint probe: the {@link ProbeEngine} over {@link S3ProbeWire} (raw requests over the
 * driver's client, including header forms a profile would refuse) with {@link S3ProbeChecks} (what
 * only S3 has, and the profile derived from the evidence). It measures what the server does with
 * each condition, whether conditional writes are atomic under concurrent writers, whether the bytes
 * come back as written with each of the SDK's transfer settings, and how ETags, metadata names and
 * status codes behave; from that it derives an {@link S3Profile} (named {@code auto}) that declares
 * only measured capabilities, and names the built-in profile whose facts match.
 *
 * <p>At most {@link ProbeOptions#requestBudget()} requests, cleanup included; scratch objects (and,
 * in a versioned bucket, their versions) are deleted at the end.
 *
 * <p>Thread-safety: one instance runs one probe; {@link #cached} is safe for concurrent use.
 */
final class S3EndpointProbe {
    /** What a probe yields for the driver: the derived profile, whether version ids were seen, and the report. */
    static final class Result {
        final S3Profile profile;
        final boolean versionIds;
        final ProbeReport report;

        Result(S3Profile profile, boolean versionIds, ProbeReport report) {
            this.profile = profile;
            this.versionIds = versionIds;
            this.report = report;
        }
    }

    private static final ConcurrentHashMap<String, Result> CACHE = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<String, Object> LOCKS = new ConcurrentHashMap<>();
    /** How many probes ran in this JVM (tests check that {@code profile=auto} probes once per endpoint). */
    static final AtomicInteger PROBES_RUN = new AtomicInteger();
    private static final List<S3Profile> BUILT_IN = List.of(S3Profile.CEPH_RGW, S3Profile.AWS, S3Profile.S3_COMPATIBLE);

    private final ProbeEngine engine;
    private final S3ProbeWire wire;

    S3EndpointProbe(S3Client client, String bucket, String prefix, String target, ProbeOptions options) {
        this.engine = new ProbeEngine(options);
        this.wire = new S3ProbeWire(client, bucket, prefix, target, engine.budget());
    }

    /** Whether an endpoint is AWS S3 itself (then the {@code aws} profile applies, no probe). */
    static boolean isAwsEndpoint(URI endpoint) {
        String host = endpoint.getHost() == null ? "" : endpoint.getHost().toLowerCase(Locale.ROOT);
        return host.endsWith(".amazonaws.com") || host.endsWith(".amazonaws.com.cn");
    }

    /** Forgets every cached probe result (for tests that probe the same endpoint again). */
    static void forgetCached() {
        CACHE.clear();
    }

    /** The probe result for an endpoint and bucket, probing once per JVM; a failed probe is not cached. */
    static Result cached(String endpointAndBucket, Supplier<Result> probe) {
        Result known = CACHE.get(endpointAndBucket);
        if (known != null) {
            return known;
        }
        synchronized (LOCKS.computeIfAbsent(endpointAndBucket, k -> new Object())) {
            known = CACHE.get(endpointAndBucket);
            if (known == null) {
                known = probe.get();
                CACHE.put(endpointAndBucket, known);
            }
            return known;
        }
    }

    /**
     * Runs the probe.
     *
     * @throws io.leasehold.core.ObjectStoreException if the endpoint cannot be probed at all
     */
    Result run() {
        PROBES_RUN.incrementAndGet();
        S3ProbeChecks checks = new S3ProbeChecks(wire);
        ProbeReport report = engine.run(wire, checks);
        return new Result(checks.profile(), checks.versionIds(), report);
    }

    /** The first built-in profile that declares the same capabilities and encodes them the same way. */
    static String matching(S3Profile derived, boolean versioned) {
        Map<String, Object> facts = facts(derived, versioned);
        for (S3Profile p : BUILT_IN) {
            Map<String, Object> builtIn = facts(p, versioned);
            // A built-in's more conservative transfer settings also work where less conservative ones did.
            boolean transferWorks = Transfer.of(p).ordinal() >= Transfer.of(derived).ordinal();
            builtIn.remove("transfer");
            Map<String, Object> measured = new LinkedHashMap<>(facts);
            measured.remove("transfer");
            if (transferWorks && builtIn.equals(measured)) {
                return p.name() + (versioned ? " (versioned=true)" : "");
            }
        }
        return null;
    }

    private static Map<String, Object> facts(S3Profile p, boolean versioned) {
        Set<Capability> caps = EnumSet.noneOf(Capability.class);
        caps.addAll(p.capabilities(versioned).asSet());
        // Emulated leases follow from the measured conditions; whether a profile offers them is policy.
        caps.removeAll(EnumSet.of(Capability.LEASES, Capability.EMULATED_LEASES, Capability.FENCING_TOKENS));
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("capabilities", caps);
        f.put("transfer", Transfer.of(p));
        f.put("ifMatchQuoted", caps.contains(Capability.PUT_IF_MATCH) ? p.quoteIfMatch() : null);
        f.put("putIfPresent", caps.contains(Capability.PUT_IF_PRESENT) ? p.putIfPresent() : null);
        f.put("wildcardsOnReads", p.wildcardsOnReads());
        f.put("metadataHyphens", caps.contains(Capability.USER_METADATA) ? p.metadataUnderscoresAsHyphens() : null);
        f.put("deleteExistenceCheck", p.deleteExistenceCheck());
        return f;
    }
}
