package io.leasehold.aws;

import io.leasehold.aws.ProbeRequestPlugin.Transfer;
import io.leasehold.core.AccessDeniedException;
import io.leasehold.core.Capabilities;
import io.leasehold.core.Capability;
import io.leasehold.core.ErrorCode;
import io.leasehold.core.ObjectStoreException;
import io.leasehold.core.TransientException;
import io.leasehold.core.probe.ProbeFinding.Verdict;
import io.leasehold.core.probe.ProbeOptions;
import io.leasehold.core.probe.ProbeReport;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * The S3 endpoint probe: raw PutObject / GetObject / HeadObject / DeleteObject requests over the
 * driver's client, including header forms a profile would refuse, to measure what the server does
 * with each condition, whether conditional writes are atomic under concurrent writers, whether the
 * bytes come back as written with each of the SDK's transfer settings, and how ETags, metadata names
 * and status codes behave. From the evidence it derives an {@link S3Profile} (named {@code auto})
 * that declares only measured capabilities, and names the built-in profile whose facts match.
 *
 * <p>Every request carries a {@link ProbeRequestPlugin} (no SDK retries; explicit transfer
 * settings), so the client's own settings are never changed. At most
 * {@link ProbeOptions#requestBudget()} requests, cleanup included; scratch objects (and, in a
 * versioned bucket, their versions) are deleted at the end.
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

    private static final int CLEANUP_RESERVE = 16;
    private static final int RACE_BODY_BYTES = 32 * 1024;
    private static final Duration DAY = Duration.ofDays(1);
    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
    private static final String STALE = "0123456789abcdef0123456789abcdef";
    private static final List<S3Profile> BUILT_IN = List.of(S3Profile.CEPH_RGW, S3Profile.AWS, S3Profile.S3_COMPATIBLE);

    static final String CREATE = "create-if-absent (If-None-Match: *)";
    static final String CREATE_RACE = "create race";
    static final String IF_MATCH_QUOTED = "If-Match, quoted ETag";
    static final String IF_MATCH_UNQUOTED = "If-Match, unquoted ETag";
    static final String IF_MATCH_MISSING = "If-Match on a missing key";
    static final String IF_MATCH_RACE = "If-Match race";
    static final String DELETE_STALE = "delete If-Match, stale ETag";
    static final String METADATA = "metadata name with '_'";
    static final String MULTIPART_CREATE = "CompleteMultipartUpload If-None-Match: *";
    static final String MULTIPART_IF_MATCH = "CompleteMultipartUpload If-Match";
    static final String ETAG_MD5 = "ETag = MD5 of the content";

    private final S3Client client;
    private final String bucket;
    private final ProbeOptions options;
    private final String base;
    private final ProbeReport.Builder report;
    private final AtomicInteger requests = new AtomicInteger();
    private final Set<String> written = ConcurrentHashMap.newKeySet();
    private final Set<Capability> measured = EnumSet.noneOf(Capability.class);
    private final Map<String, String> statuses = new LinkedHashMap<>();
    /** Error codes of 5xx answers to If-Match race losers in rounds that proved no loser landed. */
    private final java.util.Set<String> lostRaceCodes = new java.util.TreeSet<>();
    private final Random random = new Random();
    private volatile boolean cleaningUp;
    private volatile boolean versionIds;
    private boolean staleRead;
    private Transfer transfer = Transfer.WHEN_REQUIRED_WHOLE;
    /** The If-Match form the server honours: true quoted, false bare, null none. */
    private Boolean quoted;
    /** The ETag of the last put of a round trip, to compare with the MD5 of the bytes. */
    private String roundTripEtag;
    private boolean etagIsMd5;

    S3EndpointProbe(S3Client client, String bucket, String prefix, String target, ProbeOptions options) {
        this.client = client;
        this.bucket = bucket;
        this.options = options;
        this.base = prefix + options.scratchPrefix() + UUID.randomUUID() + "/";
        this.report = ProbeReport.builder(target);
    }

    /** Whether an endpoint is AWS S3 itself (then the {@code aws} profile applies, no probe). */
    static boolean isAwsEndpoint(URI endpoint) {
        String host = endpoint.getHost() == null ? "" : endpoint.getHost().toLowerCase(Locale.ROOT);
        return host.endsWith(".amazonaws.com") || host.endsWith(".amazonaws.com.cn");
    }

    /** The probe result for an endpoint and bucket, probing once per JVM; a failed probe is not cached. */
    /** Forgets every cached probe result (for tests that probe the same endpoint again). */
    static void forgetCached() {
        CACHE.clear();
    }

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

    Result run() {
        PROBES_RUN.incrementAndGet();
        S3Profile derived;
        boolean multipart;
        try {
            boolean intact = section(this::transfer, false);
            section(this::create, null);
            section(this::ifMatch, null);
            boolean creates = intact && is(CREATE, Verdict.HONOURED)
                    && section(() -> race(CREATE_RACE, this::createRound), false);
            boolean updates = intact && quoted != null && is(IF_MATCH_MISSING, Verdict.HONOURED) && section(() -> race(IF_MATCH_RACE, this::ifMatchRound), false);
            addIf(creates, Capability.PUT_IF_ABSENT);
            addIf(updates, Capability.PUT_IF_MATCH);
            S3Profile.PutIfPresentForm present = section(() -> replaceIfPresent(updates), S3Profile.PutIfPresentForm.NONE);
            boolean dates = section(() -> putDates(updates), false);
            boolean wildcards = section(this::reads, false);
            boolean hyphens = section(this::metadata, false);
            S3Profile.DeleteExistenceCheck delete = section(this::deletes, S3Profile.DeleteExistenceCheck.HEAD_THEN_DELETE);
            multipart = section(() -> multipartCommit(creates, updates), false);
            if (!staleRead) {
                measured.add(Capability.STRONG_READS);
            }
            if (versionIds) {
                measured.add(Capability.VERSION_IDS);
            }
            derived = derive(present, dates, wildcards, hyphens, delete).toBuilder()
                    .conditionalMultipartCommit(multipart)
                    .etagIsContentMd5(etagIsMd5)
                    .build();
        } finally {
            cleanup();
        }
        report.add("version ids", Verdict.OBSERVED, versionIds ? "returned by PutObject (versioned bucket)" : "none");
        report.add("read after write", Verdict.OBSERVED, staleRead ? "a read returned older bytes"
                : "every read saw the latest write");
        report.add("status codes", Verdict.OBSERVED, statuses.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining("; ")));
        String match = matching(derived, versionIds);
        if (derived.lostRaceErrorCode() == null && lostRaceCodes.isEmpty() && match != null) {
            // No loser happened to get a 5xx in these rounds; the facts matched a known server, whose
            // answer to a lost race is known.
            derived = derived.toBuilder().lostRaceErrorCode(S3Profile.named(match.split(" ")[0]).lostRaceErrorCode()).build();
        }
        report.add("lost If-Match race answered with 5xx", Verdict.OBSERVED, derived.lostRaceErrorCode() == null
                ? (lostRaceCodes.isEmpty() ? "never: losers get 412" : "codes " + lostRaceCodes + ": left outcome unknown")
                : derived.lostRaceErrorCode() + (lostRaceCodes.isEmpty() ? " (from the matching profile)"
                        : ", and no such loser landed: read as a lost race"));
        Capabilities capabilities = derived.capabilities(versionIds);
        report.capabilities(capabilities);
        report.matchingProfile(match);
        report.requests(requests.get());
        return new Result(derived, versionIds, report.build());
    }

    // ------------------------------------------------------------------ checks

    private boolean transfer() {
        byte[] binary = new byte[4096];
        random.nextBytes(binary);
        for (Transfer t : Transfer.values()) {
            String key = key("bytes");
            if (t == Transfer.values()[0]) {
                reachable(put(Transfer.WHEN_REQUIRED_WHOLE, key, new byte[] {1}, r -> { }, Map.of()));
            }
            String problem = roundTrip(t, key, binary, null);
            String binaryEtag = roundTripEtag;
            if (problem == null) {
                problem = roundTrip(t, key, new byte[0], binary);
            }
            String check = "bytes, " + t.label;
            if (problem == null) {
                String md5 = hexMd5(binary);
                etagIsMd5 = md5.equals(unquote(binaryEtag));
                report.add(ETAG_MD5, etagIsMd5 ? Verdict.OBSERVED : Verdict.SKIPPED, etagIsMd5
                        ? "yes: downloads verify single-part objects (and multipart ones by their parts' MD5s)"
                        : "no (" + unquote(binaryEtag) + "): downloads are not verified");
                report.add(check, Verdict.INTACT, "4 KiB of random bytes and an empty object");
                transfer = t;
                return true;
            }
            report.add(check, Verdict.ALTERED, problem);
        }
        transfer = Transfer.WHEN_REQUIRED_WHOLE;
        return false;
    }

    /**
     * Gives up on an endpoint that cannot be probed at all, rather than report (and cache) an
     * endpoint that supports nothing: no HTTP answer, access denied, or no such bucket.
     */
    private void reachable(Response first) {
        if (first.status < 0) {
            throw new TransientException(ErrorCode.TRANSIENT, null, "probe: no answer from the endpoint (" + first.errorCode
                    + ")", null);
        }
        if (first.status == 401 || first.status == 403) {
            throw new AccessDeniedException(null, "probe: PutObject in bucket " + bucket + " answered " + first, null);
        }
        if (first.status == 404 || first.status == 301 || first.status == 400 && "InvalidBucketName".equals(first.errorCode)) {
            throw new ObjectStoreException(ErrorCode.NOT_FOUND, null, "probe: PutObject in bucket " + bucket + " answered "
                    + first, null);
        }
    }

    /** Puts and reads back with one transfer setting; null if intact, else what went wrong. */
    private String roundTrip(Transfer t, String key, byte[] content, byte[] previous) {
        Response put = put(t, key, content, r -> { }, Map.of());
        roundTripEtag = put.etag;
        String what = content.length == 0 ? "empty object" : content.length + " bytes";
        if (put.status != 200) {
            return what + ": PutObject " + put;
        }
        Response get = get(t, key, r -> { });
        if (get.status != 200) {
            return what + ": GetObject " + get;
        }
        if (!Arrays.equals(content, get.body)) {
            staleRead |= previous != null && Arrays.equals(previous, get.body);
            return what + ": read back " + get.body.length + " different bytes"
                    + (new String(get.body, StandardCharsets.ISO_8859_1).contains("x-amz-checksum")
                    ? " (aws-chunked framing and checksum trailer stored)" : "");
        }
        return null;
    }

    private Void create() {
        String key = key("create");
        Response first = put(key, text("first"), r -> r.ifNoneMatch("*"));
        if (first.status != 200) {
            report.add(CREATE, Verdict.REFUSED, "on an absent key: " + first);
            return null;
        }
        Response second = put(key, text("second"), r -> r.ifNoneMatch("*"));
        String now = currentText(key);
        if (second.status == 200 || !"first".equals(now)) {
            report.add(CREATE, Verdict.IGNORED, "second create on a present key: " + second + "; content now '" + now + "'");
        } else if (second.status == 412 || second.status == 409) {
            report.add(CREATE, Verdict.HONOURED, "second create: " + second);
            statuses.put("lost create", String.valueOf(second.status));
        } else {
            report.add(CREATE, Verdict.REFUSED, "second create: " + second);
        }
        Response again = put(key, text("first"), r -> { });
        if (again.status == 200 && first.etag != null && again.etag != null) {
            boolean changes = !unquote(first.etag).equals(unquote(again.etag));
            report.add("ETag on identical rewrite", changes ? Verdict.CHANGES : Verdict.UNCHANGED,
                    unquote(first.etag) + (changes ? " -> " + unquote(again.etag) : " both times"));
            addIf(changes, Capability.ETAG_CHANGES_ON_IDENTICAL_REWRITE);
        } else {
            report.add("ETag on identical rewrite", Verdict.SKIPPED, "rewrite: " + again);
        }
        return null;
    }

    /** Each If-Match form with a stale ETag (must fail 412) and then the current one (must write). */
    private Void ifMatch() {
        String key = key("if-match");
        Response seed = put(key, text("v1"), r -> { });
        if (seed.status != 200 || seed.etag == null) {
            report.add(IF_MATCH_QUOTED, Verdict.SKIPPED, "seed put: " + seed);
            return null;
        }
        String current = unquote(seed.etag);
        for (boolean q : new boolean[] {true, false}) {
            String check = q ? IF_MATCH_QUOTED : IF_MATCH_UNQUOTED;
            String before = currentText(key);
            Response stale = put(key, text("stale-" + q), b -> b.ifMatch(q ? "\"" + STALE + "\"" : STALE));
            if (stale.status == 200 || !Objects.equals(before, currentText(key))) {
                report.add(check, Verdict.IGNORED, "stale ETag: " + stale + ", written");
                current = stale.etag == null ? current : unquote(stale.etag);
                continue;
            }
            String form = q ? "\"" + current + "\"" : current;
            Response r = put(key, text("v-" + q), b -> b.ifMatch(form));
            if (r.status == 200 && stale.status == 412) {
                report.add(check, Verdict.HONOURED, "stale ETag: 412; current ETag: 200");
                current = unquote(r.etag);
                if (quoted == null) {
                    quoted = q;
                }
            } else {
                report.add(check, Verdict.REFUSED, "stale ETag: " + stale + "; current ETag: " + r
                        + (r.status == 412 ? " although it matches" : ""));
            }
        }
        if (quoted == null) {
            report.add(IF_MATCH_MISSING, Verdict.SKIPPED, "no ETag form is honoured");
            return null;
        }
        Response missing = put(key("if-match-missing"), text("x"), b -> b.ifMatch(ifMatch(STALE)));
        report.add(IF_MATCH_MISSING, missing.status == 412 || missing.status == 404 ? Verdict.HONOURED
                : missing.status == 200 ? Verdict.IGNORED : Verdict.REFUSED, String.valueOf(missing));
        statuses.put("If-Match on a missing key", String.valueOf(missing.status));
        return null;
    }

    private S3Profile.PutIfPresentForm replaceIfPresent(boolean atomicIfMatch) {
        S3Profile.PutIfPresentForm chosen = S3Profile.PutIfPresentForm.NONE;
        String present = key("if-match");
        for (S3Profile.PutIfPresentForm form : List.of(S3Profile.PutIfPresentForm.IF_MATCH_ANY,
                S3Profile.PutIfPresentForm.IF_NONE_MATCH_EMPTY)) {
            Consumer<PutObjectRequest.Builder> condition = form == S3Profile.PutIfPresentForm.IF_MATCH_ANY
                    ? r -> r.ifMatch("*") : r -> r.ifNoneMatch("\"\"");
            String check = "replace-if-present (" + (form == S3Profile.PutIfPresentForm.IF_MATCH_ANY
                    ? "If-Match: *" : "If-None-Match: \"\"") + ")";
            Response onMissing = put(key("replace-missing"), text("x"), condition);
            Response onPresent = put(present, text("replaced"), condition);
            boolean honoured = (onMissing.status == 412 || onMissing.status == 404) && onPresent.status == 200;
            report.add(check, honoured ? Verdict.HONOURED : onMissing.status == 200 ? Verdict.IGNORED : Verdict.REFUSED,
                    "missing key: " + onMissing + "; present key: " + onPresent);
            if (honoured && chosen == S3Profile.PutIfPresentForm.NONE) {
                chosen = form;
            }
        }
        return atomicIfMatch ? chosen : S3Profile.PutIfPresentForm.NONE;
    }

    private boolean putDates(boolean atomicIfMatch) {
        String key = key("if-match");
        Response head = head(key, r -> { });
        if (head.status != 200 || head.lastModified == null) {
            report.add("put If-Unmodified-Since", Verdict.SKIPPED, "HEAD: " + head);
            return false;
        }
        Instant modified = head.lastModified;
        boolean unmodified = dateCheck("put If-Unmodified-Since", key, "If-Unmodified-Since", modified.minus(DAY),
                Instant.now().plus(DAY));
        boolean modifiedSince = dateCheck("put If-Modified-Since", key, "If-Modified-Since", Instant.now().plus(DAY),
                modified.minus(DAY));
        return unmodified && modifiedSince && atomicIfMatch;
    }

    private boolean dateCheck(String check, String key, String header, Instant falseDate, Instant trueDate) {
        Response no = put(transfer, key, text("false-" + header), r -> { }, Map.of(header, HTTP_DATE.format(falseDate)));
        Response yes = put(transfer, key, text("true-" + header), r -> { }, Map.of(header, HTTP_DATE.format(trueDate)));
        boolean honoured = (no.status == 412 || no.status == 304) && yes.status == 200;
        report.add(check, honoured ? Verdict.HONOURED : no.status == 200 ? Verdict.IGNORED : Verdict.REFUSED,
                "false: " + no + "; true: " + yes);
        return honoured;
    }

    /** Read conditions on GET and HEAD; returns whether the wildcards are evaluated as RFC 9110 says. */
    private boolean reads() {
        String key = key("reads");
        Response seed = put(key, text("read me"), r -> { });
        Response head = head(key, r -> { });
        if (seed.status != 200 || head.status != 200 || head.lastModified == null) {
            report.add("get If-Match", Verdict.SKIPPED, "seed: " + seed + "; HEAD: " + head);
            return false;
        }
        String etag = unquote(head.etag);
        String ifMatchEtag = ifMatch(etag);
        String ifMatchStale = ifMatch(STALE);
        Instant modified = head.lastModified;
        boolean ifMatch = read("get If-Match", key, true, r -> r.ifMatch(ifMatchEtag), 200, r -> r.ifMatch(ifMatchStale), 412)
                & read("head If-Match", key, false, r -> r.ifMatch(ifMatchEtag), 200, r -> r.ifMatch(ifMatchStale), 412);
        boolean ifNoneMatch = read("get If-None-Match", key, true, r -> r.ifNoneMatch("\"" + etag + "\""), 304,
                r -> r.ifNoneMatch("\"" + STALE + "\""), 200)
                & read("head If-None-Match", key, false, r -> r.ifNoneMatch("\"" + etag + "\""), 304,
                r -> r.ifNoneMatch("\"" + STALE + "\""), 200);
        boolean ifModified = read("get If-Modified-Since", key, true, r -> r.ifModifiedSince(modified), 304,
                r -> r.ifModifiedSince(modified.minus(DAY)), 200);
        boolean ifUnmodified = read("get If-Unmodified-Since", key, true, r -> r.ifUnmodifiedSince(modified.minus(DAY)), 412,
                r -> r.ifUnmodifiedSince(modified.plus(DAY)), 200);
        boolean wildcards = read("get If-Match: *", key, true, r -> r.ifMatch("*"), 200, null, 0)
                & read("get If-None-Match: *", key, true, r -> r.ifNoneMatch("*"), 304, null, 0);
        addIf(ifMatch, Capability.GET_IF_MATCH);
        addIf(ifNoneMatch, Capability.GET_IF_NONE_MATCH);
        addIf(ifModified, Capability.GET_IF_MODIFIED_SINCE);
        addIf(ifUnmodified, Capability.GET_IF_UNMODIFIED_SINCE);
        return wildcards;
    }

    private boolean read(String check, String key, boolean withContent, Consumer<Conditions> first, int firstExpected,
                         Consumer<Conditions> second, int secondExpected) {
        Response a = withContent ? get(transfer, key, first) : head(key, first);
        Response b = second == null ? null : withContent ? get(transfer, key, second) : head(key, second);
        boolean honoured = a.status == firstExpected && (b == null || b.status == secondExpected);
        boolean ignored = a.status == 200 && firstExpected != 200 || b != null && b.status == 200 && secondExpected != 200;
        report.add(check, honoured ? Verdict.HONOURED : ignored ? Verdict.IGNORED : Verdict.REFUSED,
                "expected " + firstExpected + ", got " + a.status + (b == null ? ""
                        : "; expected " + secondExpected + ", got " + b.status));
        return honoured;
    }

    /** Returns whether names come back with '-' for '_' (and then the driver maps them back). */
    private boolean metadata() {
        String key = key("metadata");
        Response put = put(transfer, key, text("m"), r -> r.metadata(Map.of("probe_meta_name", "v1")), Map.of());
        Response head = head(key, r -> { });
        if (put.status != 200 || head.status != 200) {
            report.add(METADATA, Verdict.SKIPPED, "put: " + put + "; HEAD: " + head);
            return false;
        }
        Map<String, String> names = new TreeMap<>();
        head.metadata.forEach((k, v) -> names.put(k.toLowerCase(Locale.ROOT), v));
        if ("v1".equals(names.get("probe_meta_name"))) {
            report.add(METADATA, Verdict.PRESERVED, "probe_meta_name");
            measured.add(Capability.USER_METADATA);
            return false;
        }
        if ("v1".equals(names.get("probe-meta-name"))) {
            report.add(METADATA, Verdict.MANGLED, "probe_meta_name came back as probe-meta-name (mapped back)");
            measured.add(Capability.USER_METADATA);
            return true;
        }
        report.add(METADATA, names.containsValue("v1") ? Verdict.MANGLED : Verdict.LOST, "came back: " + names.keySet());
        return false;
    }

    private S3Profile.DeleteExistenceCheck deletes() {
        String key = key("delete");
        Response v1 = put(key, text("v1"), r -> { });
        Response v2 = put(key, text("v2"), r -> { });
        Response missing = delete(key("never-written"), null);
        statuses.put("delete of a missing key", String.valueOf(missing.status));
        if (v1.status != 200 || v2.status != 200) {
            report.add(DELETE_STALE, Verdict.SKIPPED, "seed puts: " + v1 + ", " + v2);
            return S3Profile.DeleteExistenceCheck.HEAD_THEN_DELETE;
        }
        Response stale = delete(key, ifMatch(unquote(v1.etag)));
        boolean survives = head(key, r -> { }).status == 200;
        boolean honoured = stale.status == 412 && survives;
        report.add(DELETE_STALE, honoured ? Verdict.HONOURED : survives ? Verdict.REFUSED : Verdict.IGNORED,
                "stale ETag: " + stale + (survives ? "" : ", object deleted"));
        if (!honoured) {
            return S3Profile.DeleteExistenceCheck.HEAD_THEN_DELETE;
        }
        if (!survives) {
            put(key, text("v2"), r -> { });
        }
        Response anyPresent = delete(key, "*");
        Response anyMissing = delete(key, "*");
        boolean anyHonoured = anyPresent.status == 204 && (anyMissing.status == 404 || anyMissing.status == 412);
        report.add("delete If-Match: *", anyHonoured ? Verdict.HONOURED : anyMissing.status == 204 ? Verdict.IGNORED
                : Verdict.REFUSED, "present key: " + anyPresent + "; missing key: " + anyMissing);
        if (!race("delete race", this::deleteRound)) {
            return S3Profile.DeleteExistenceCheck.HEAD_THEN_DELETE;
        }
        measured.add(Capability.DELETE_IF_MATCH);
        return anyHonoured ? S3Profile.DeleteExistenceCheck.IF_MATCH_ANY : S3Profile.DeleteExistenceCheck.HEAD_THEN_IF_MATCH;
    }

    // ------------------------------------------------------------------ races

    /** One round: how many racers got 2xx, whether the stored bytes are the single winner's, the losers' statuses. */
    private static final class Round {
        final int winners;
        final boolean consistent;
        final List<Integer> losers;
        /** S3 error codes of losers answered with a 5xx. */
        final List<String> serverErrorCodes;

        Round(int winners, boolean consistent, List<Integer> losers) {
            this(winners, consistent, losers, List.of());
        }

        Round(int winners, boolean consistent, List<Integer> losers, List<String> serverErrorCodes) {
            this.winners = winners;
            this.consistent = consistent;
            this.losers = losers;
            this.serverErrorCodes = serverErrorCodes;
        }
    }

    private interface RoundRunner {
        Round run(int round);
    }

    private boolean race(String name, RoundRunner runner) {
        String check = name + " (" + options.racers() + " racers)";
        int rounds = name.startsWith("delete") ? 1 : options.rounds();
        List<Integer> winners = new ArrayList<>();
        Map<Integer, Long> losers = new TreeMap<>();
        boolean violated = false;
        boolean proven = false;
        for (int round = 1; round <= rounds; round++) {
            if (budgetLeft() < options.racers() + 3) {
                break;
            }
            Round r = runner.run(round);
            if (r.winners == 1 && r.consistent && name.equals(IF_MATCH_RACE)) {
                // One winner whose bytes are stored, and every racer wrote different bytes: no loser
                // landed, so a 5xx a loser got is this server's answer to a lost race.
                lostRaceCodes.addAll(r.serverErrorCodes.stream().map(c -> c == null ? "" : c).collect(Collectors.toList()));
            }
            winners.add(r.winners);
            r.losers.forEach(s -> losers.merge(s, 1L, Long::sum));
            violated |= r.winners > 1 || !r.consistent;
            proven |= r.winners == 1 && r.consistent;
        }
        String loserText = losers.entrySet().stream().map(e -> e.getKey() + "×" + e.getValue())
                .collect(Collectors.joining(", "));
        statuses.put(name + " losers", loserText.isEmpty() ? "none" : loserText);
        Verdict v = violated ? Verdict.NOT_ATOMIC : proven ? Verdict.ATOMIC : Verdict.INCONCLUSIVE;
        report.add(check, v, "winners per round " + winners + (winners.size() < rounds ? " (" + winners.size() + " of "
                + rounds + " rounds: request budget)" : "") + "; losers " + (loserText.isEmpty() ? "none" : loserText));
        return v == Verdict.ATOMIC;
    }

    private Round createRound(int round) {
        String key = key("race-create-" + round);
        byte[][] bodies = raceBodies(round);
        List<Response> results = concurrently(i -> put(key, bodies[i], r -> r.ifNoneMatch("*")));
        return judge(key, results, bodies);
    }

    private Round ifMatchRound(int round) {
        String key = key("race-if-match");
        Response seed = put(key, text("seed-" + round), r -> { });
        if (seed.status != 200 || seed.etag == null) {
            return new Round(0, true, List.of());
        }
        String condition = ifMatch(unquote(seed.etag));
        byte[][] bodies = raceBodies(round);
        List<Response> results = concurrently(i -> put(key, bodies[i], r -> r.ifMatch(condition)));
        return judge(key, results, bodies);
    }

    private Round deleteRound(int round) {
        String key = key("race-delete");
        Response seed = put(key, text("seed"), r -> { });
        if (seed.status != 200 || seed.etag == null) {
            return new Round(0, true, List.of());
        }
        String condition = ifMatch(unquote(seed.etag));
        List<Response> results = concurrently(i -> delete(key, condition));
        int winners = (int) results.stream().filter(r -> r.status / 100 == 2).count();
        return new Round(winners, true, results.stream().filter(r -> r.status / 100 != 2).map(r -> r.status)
                .collect(Collectors.toList()));
    }

    private Round judge(String key, List<Response> results, byte[][] bodies) {
        List<Integer> won = new ArrayList<>();
        List<Integer> losers = new ArrayList<>();
        List<String> serverErrors = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            if (results.get(i).status == 200) {
                won.add(i);
            } else {
                losers.add(results.get(i).status);
                if (results.get(i).status >= 500) {
                    serverErrors.add(results.get(i).errorCode);
                }
            }
        }
        boolean consistent = true;
        if (won.size() == 1) {
            Response stored = get(transfer, key, r -> { });
            consistent = stored.status == 200 && Arrays.equals(bodies[won.get(0)], stored.body);
        }
        return new Round(won.size(), consistent, losers, serverErrors);
    }

    /** Distinct bodies large enough that a check-then-act server's window between check and write is wide. */
    private byte[][] raceBodies(int round) {
        byte[][] bodies = new byte[options.racers()][];
        for (int i = 0; i < bodies.length; i++) {
            bodies[i] = new byte[RACE_BODY_BYTES];
            random.nextBytes(bodies[i]);
            byte[] tag = ("racer-" + round + "-" + i + "-").getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(tag, 0, bodies[i], 0, tag.length);
        }
        return bodies;
    }

    private interface Racer {
        Response run(int index);
    }

    private List<Response> concurrently(Racer racer) {
        int n = options.racers();
        ExecutorService pool = Executors.newFixedThreadPool(n, r -> {
            Thread t = new Thread(r, "leasehold-s3-probe-racer");
            t.setDaemon(true);
            return t;
        });
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Response>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    start.await();
                    return racer.run(index);
                }));
            }
            start.countDown();
            List<Response> results = new ArrayList<>();
            for (Future<Response> f : futures) {
                results.add(f.get(120, TimeUnit.SECONDS));
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ObjectStoreException(ErrorCode.UNKNOWN, null, "probe interrupted", e);
        } catch (Exception e) {
            throw new ObjectStoreException(ErrorCode.UNKNOWN, null, "a probe racer failed: " + e, e);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Whether CompleteMultipartUpload honours the put conditions: a create-if-absent commit on a
     * present key and a stale If-Match commit must be refused (and their uploads are aborted), a
     * current If-Match commit must land. Only where PutObject's conditions were measured atomic; the
     * commit's atomicity is taken from theirs.
     */
    private boolean multipartCommit(boolean creates, boolean updates) {
        if (!creates || !updates) {
            report.add(MULTIPART_CREATE, Verdict.SKIPPED, "PutObject conditions not honoured atomically");
            return false;
        }
        String key = key("multipart");
        Response seed = put(key, text("seed"), r -> { });
        if (seed.status != 200 || seed.etag == null) {
            report.add(MULTIPART_CREATE, Verdict.SKIPPED, "seed put: " + seed);
            return false;
        }
        Response create = multipart(key, text("mp-create"), c -> c.ifNoneMatch("*"));
        if (create.status == 200) {
            report.add(MULTIPART_CREATE, Verdict.IGNORED, "completed over the present key: conditional puts larger"
                    + " than one part are refused");
            return false;
        }
        if (create.status != 412 && create.status != 409) {
            report.add(MULTIPART_CREATE, Verdict.REFUSED, "on a present key: " + create);
            return false;
        }
        report.add(MULTIPART_CREATE, Verdict.HONOURED, "on a present key: " + create);
        Response stale = multipart(key, text("mp-stale"), c -> c.ifMatch(ifMatch(STALE)));
        if (stale.status == 200) {
            report.add(MULTIPART_IF_MATCH, Verdict.IGNORED, "stale ETag: completed");
            return false;
        }
        Response current = multipart(key, text("mp-current"), c -> c.ifMatch(ifMatch(unquote(seed.etag))));
        boolean landed = current.status == 200 && "mp-current".equals(currentText(key));
        report.add(MULTIPART_IF_MATCH, landed && stale.status == 412 ? Verdict.HONOURED : Verdict.REFUSED,
                "stale ETag: " + stale + "; current ETag: " + current);
        return landed && stale.status == 412;
    }

    /** One single-part multipart upload completed under {@code conditions}; aborted if the commit fails. */
    private Response multipart(String key, byte[] body, Consumer<CompleteMultipartUploadRequest.Builder> conditions) {
        written.add(key);
        Response[] upload = new Response[1];
        Response created = send(() -> {
            Response out = new Response();
            out.status = 200;
            out.etag = client.createMultipartUpload(b -> b.bucket(bucket).key(key)
                    .overrideConfiguration(override(transfer, Map.of()))).uploadId();
            return out;
        });
        if (created.status != 200) {
            return created;
        }
        String uploadId = created.etag;
        Response part = send(() -> {
            Response out = new Response();
            out.status = 200;
            out.etag = client.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(1)
                    .overrideConfiguration(override(transfer, Map.of())), RequestBody.fromBytes(body)).eTag();
            return out;
        });
        if (part.status == 200) {
            CompleteMultipartUploadRequest.Builder b = CompleteMultipartUploadRequest.builder().bucket(bucket).key(key)
                    .uploadId(uploadId).multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(part.etag).build()))
                    .overrideConfiguration(override(transfer, Map.of()));
            conditions.accept(b);
            upload[0] = send(() -> {
                CompleteMultipartUploadResponse r = client.completeMultipartUpload(b.build());
                Response out = new Response();
                out.status = 200;
                out.etag = r.eTag();
                return out;
            });
        } else {
            upload[0] = part;
        }
        if (upload[0].status != 200) {
            send(() -> {
                client.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                        .overrideConfiguration(override(transfer, Map.of())));
                return new Response();
            });
        }
        return upload[0];
    }

    private static String hexMd5(byte[] content) {
        try {
            StringBuilder hex = new StringBuilder(32);
            for (byte b : java.security.MessageDigest.getInstance("MD5").digest(content)) {
                hex.append(String.format(Locale.ROOT, "%02x", b));
            }
            return hex.toString();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required of every JVM", e);
        }
    }

    // ------------------------------------------------------------------ profile

    private S3Profile derive(S3Profile.PutIfPresentForm present, boolean dates, boolean wildcards, boolean hyphens,
                             S3Profile.DeleteExistenceCheck delete) {
        boolean conditionalDelete = measured.contains(Capability.DELETE_IF_MATCH);
        S3Profile.Builder b = S3Profile.builder("auto")
                .quoteIfMatch(quoted == null || quoted)
                .putIfPresent(present)
                .putDateConditions(dates)
                .wildcardsOnReads(wildcards)
                .metadataUnderscoresAsHyphens(hyphens)
                .conditionalDelete(conditionalDelete)
                .deleteExistenceCheck(delete)
                .checksumsWhenRequired(transfer.checksumsWhenRequired)
                .chunkedEncoding(transfer.chunkedEncoding)
                .pathStyle(true)
                .strongReads(measured.contains(Capability.STRONG_READS))
                .etagChangesOnIdenticalRewrite(measured.contains(Capability.ETAG_CHANGES_ON_IDENTICAL_REWRITE))
                .lostRaceErrorCode(lostRaceCode())
                // Declared only if create-if-absent and If-Match measured atomic and strong reads remain.
                .emulatedLeases(true);
        for (Capability c : EnumSet.of(Capability.PUT_IF_ABSENT, Capability.PUT_IF_MATCH, Capability.GET_IF_MATCH,
                Capability.GET_IF_NONE_MATCH, Capability.GET_IF_MODIFIED_SINCE, Capability.GET_IF_UNMODIFIED_SINCE,
                Capability.USER_METADATA)) {
            if (!measured.contains(c)) {
                b.withhold(c);
            }
        }
        return b.build();
    }

    /**
     * The error code every If-Match race loser answered with a 5xx carried, in rounds that proved no
     * loser landed; null if there were none, or they differ (then no 5xx is taken as a lost race).
     */
    private String lostRaceCode() {
        return lostRaceCodes.size() == 1 && !lostRaceCodes.contains("") ? lostRaceCodes.iterator().next() : null;
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

    // ------------------------------------------------------------------ requests

    /** The answer to one raw request: status (-1 if no HTTP answer), error code, ETag and what else a check needs. */
    private static final class Response {
        int status;
        String errorCode;
        String etag;
        Instant lastModified;
        byte[] body;
        Map<String, String> metadata = Map.of();

        @Override
        public String toString() {
            return status < 0 ? "no answer (" + errorCode + ")" : status + (errorCode == null ? "" : " " + errorCode);
        }
    }

    /** Request conditions shared by GET and HEAD. */
    private static final class Conditions {
        String ifMatch;
        String ifNoneMatch;
        Instant ifModifiedSince;
        Instant ifUnmodifiedSince;

        Conditions ifMatch(String v) {
            ifMatch = v;
            return this;
        }

        Conditions ifNoneMatch(String v) {
            ifNoneMatch = v;
            return this;
        }

        Conditions ifModifiedSince(Instant v) {
            ifModifiedSince = v;
            return this;
        }

        Conditions ifUnmodifiedSince(Instant v) {
            ifUnmodifiedSince = v;
            return this;
        }
    }

    private Response put(String key, byte[] body, Consumer<PutObjectRequest.Builder> conditions) {
        return put(transfer, key, body, conditions, Map.of());
    }

    private Response put(Transfer t, String key, byte[] body, Consumer<PutObjectRequest.Builder> conditions,
                         Map<String, String> headers) {
        written.add(key);
        PutObjectRequest.Builder b = PutObjectRequest.builder().bucket(bucket).key(key)
                .overrideConfiguration(override(t, headers));
        conditions.accept(b);
        return send(() -> {
            PutObjectResponse r = client.putObject(b.build(), RequestBody.fromBytes(body));
            if (r.versionId() != null && !r.versionId().isEmpty() && !"null".equals(r.versionId())) {
                versionIds = true;
            }
            Response out = new Response();
            out.status = 200;
            out.etag = r.eTag();
            return out;
        });
    }

    private Response get(Transfer t, String key, Consumer<Conditions> conditions) {
        Conditions c = new Conditions();
        conditions.accept(c);
        GetObjectRequest request = GetObjectRequest.builder().bucket(bucket).key(key).ifMatch(c.ifMatch)
                .ifNoneMatch(c.ifNoneMatch).ifModifiedSince(c.ifModifiedSince).ifUnmodifiedSince(c.ifUnmodifiedSince)
                .overrideConfiguration(override(t, Map.of())).build();
        return send(() -> {
            ResponseBytes<GetObjectResponse> bytes = client.getObjectAsBytes(request);
            Response out = new Response();
            out.status = 200;
            out.etag = bytes.response().eTag();
            out.body = bytes.asByteArray();
            return out;
        });
    }

    private Response head(String key, Consumer<Conditions> conditions) {
        Conditions c = new Conditions();
        conditions.accept(c);
        HeadObjectRequest request = HeadObjectRequest.builder().bucket(bucket).key(key).ifMatch(c.ifMatch)
                .ifNoneMatch(c.ifNoneMatch).ifModifiedSince(c.ifModifiedSince).ifUnmodifiedSince(c.ifUnmodifiedSince)
                .overrideConfiguration(override(transfer, Map.of())).build();
        return send(() -> {
            HeadObjectResponse r = client.headObject(request);
            Response out = new Response();
            out.status = 200;
            out.etag = r.eTag();
            out.lastModified = r.lastModified();
            out.metadata = r.metadata();
            return out;
        });
    }

    private Response delete(String key, String ifMatch) {
        DeleteObjectRequest request = DeleteObjectRequest.builder().bucket(bucket).key(key).ifMatch(ifMatch)
                .overrideConfiguration(override(transfer, Map.of())).build();
        return send(() -> {
            Response out = new Response();
            out.status = client.deleteObject(request).sdkHttpResponse().statusCode();
            return out;
        });
    }

    private Response send(Supplier<Response> call) {
        int limit = cleaningUp ? options.requestBudget() : options.requestBudget() - CLEANUP_RESERVE;
        if (requests.incrementAndGet() > limit) {
            requests.decrementAndGet();
            throw new BudgetSpent();
        }
        try {
            return call.get();
        } catch (AwsServiceException e) {
            Response out = new Response();
            out.status = S3Failures.effectiveStatus(e);
            out.errorCode = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            return out;
        } catch (SdkException e) {
            Response out = new Response();
            out.status = -1;
            out.errorCode = e.getClass().getSimpleName();
            return out;
        }
    }

    private AwsRequestOverrideConfiguration override(Transfer t, Map<String, String> headers) {
        AwsRequestOverrideConfiguration.Builder b = AwsRequestOverrideConfiguration.builder()
                .addPlugin(new ProbeRequestPlugin(t));
        headers.forEach(b::putHeader);
        return b.build();
    }

    /** Thrown when a check would exceed the request budget. */
    private static final class BudgetSpent extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BudgetSpent() {
            super("probe request budget spent", null, false, false);
        }
    }

    private int budgetLeft() {
        return options.requestBudget() - CLEANUP_RESERVE - requests.get();
    }

    // ------------------------------------------------------------------ helpers

    /** Deletes everything the probe wrote; in a versioned bucket every version and delete marker under the scratch folder. */
    private void cleanup() {
        cleaningUp = true;
        try {
            if (versionIds) {
                ListObjectVersionsResponse listed = client.listObjectVersions(b -> b.bucket(bucket).prefix(base)
                        .overrideConfiguration(override(transfer, Map.of())));
                requests.incrementAndGet();
                List<String[]> versions = new ArrayList<>();
                listed.versions().forEach(v -> versions.add(new String[] {v.key(), v.versionId()}));
                listed.deleteMarkers().forEach(m -> versions.add(new String[] {m.key(), m.versionId()}));
                for (String[] v : versions) {
                    if (requests.get() >= options.requestBudget()) {
                        break;
                    }
                    send(() -> {
                        client.deleteObject(b -> b.bucket(bucket).key(v[0]).versionId(v[1])
                                .overrideConfiguration(override(transfer, Map.of())));
                        return new Response();
                    });
                }
                return;
            }
        } catch (SdkException | BudgetSpent e) {
            // fall back to deleting the keys themselves
        }
        for (String key : new LinkedHashSet<>(written)) {
            if (requests.get() >= options.requestBudget()) {
                break;
            }
            delete(key, null);
        }
    }

    private <T> T section(Supplier<T> checks, T fallback) {
        try {
            return checks.get();
        } catch (BudgetSpent e) {
            if (!report.build().finding("request budget").isPresent()) {
                report.add("request budget", Verdict.SKIPPED, "spent after " + requests.get()
                        + " requests; later checks were not measured");
            }
            return fallback;
        }
    }

    private boolean is(String check, Verdict verdict) {
        return report.build().finding(check).map(f -> f.verdict() == verdict).orElse(false);
    }

    private void addIf(boolean condition, Capability capability) {
        if (condition) {
            measured.add(capability);
        }
    }

    private String currentText(String key) {
        Response r = get(transfer, key, c -> { });
        return r.status == 200 ? new String(r.body, StandardCharsets.UTF_8) : null;
    }

    private String ifMatch(String etag) {
        return quoted == null || quoted ? "\"" + etag + "\"" : etag;
    }

    private static String unquote(String etag) {
        if (etag == null) {
            return "";
        }
        String e = etag.startsWith("W/") ? etag.substring(2) : etag;
        return e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"") ? e.substring(1, e.length() - 1) : e;
    }

    private String key(String name) {
        return base + name;
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
