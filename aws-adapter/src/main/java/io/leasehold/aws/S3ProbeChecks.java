package io.leasehold.aws;

import io.leasehold.aws.ProbeRequestPlugin.Transfer;
import io.leasehold.core.Capability;
import io.leasehold.core.probe.ProbeEngine;
import io.leasehold.core.probe.ProbeFinding.Verdict;
import io.leasehold.core.probe.ProbeRun;
import io.leasehold.spi.ProbePlugin;
import io.leasehold.spi.ProbeWire.Answer;
import io.leasehold.spi.ProbeWire.Conditions;
import io.leasehold.spi.kit.ContentDigest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What S3 adds to the endpoint probe: whether ETags are the MD5 of the content, the second
 * replace-if-present form ({@code If-None-Match: ""}), {@code If-Match: *} on DeleteObject, the
 * conditions on CompleteMultipartUpload, metadata names that come back with {@code -} for
 * {@code _} (which the driver maps back), and the status codes seen. From the evidence it derives an
 * {@link S3Profile} named {@code auto} that declares only measured capabilities, names the built-in
 * profile whose facts match, and takes the matching profile's lost-race code when the race alone
 * did not teach one (under the engine's rule, {@link ProbeEngine}).
 *
 * <p>Thread-safety: one instance serves one probe run; read {@link #profile()} after it.
 */
final class S3ProbeChecks implements ProbePlugin {
    static final String ETAG_MD5 = "ETag = MD5 of the content";
    static final String REPLACE_IF_PRESENT_EMPTY = "replace-if-present (If-None-Match: \"\")";
    static final String DELETE_ANY = "delete If-Match: *";
    static final String MULTIPART_CREATE = "CompleteMultipartUpload If-None-Match: *";
    static final String MULTIPART_IF_MATCH = "CompleteMultipartUpload If-Match";
    /** An ETag no object has. */
    private static final String STALE = "0123456789abcdef0123456789abcdef";

    private final S3ProbeWire wire;
    private boolean etagIsMd5;
    private boolean multipart;
    private boolean versionIds;
    private S3Profile profile;

    S3ProbeChecks(S3ProbeWire wire) {
        this.wire = wire;
    }

    /** The profile derived from the evidence; null before {@link #finish}. */
    S3Profile profile() {
        return profile;
    }

    /** Whether puts returned version ids (a versioned bucket). */
    boolean versionIds() {
        return versionIds;
    }

    @Override
    public void bytesIntact(ProbeRun run, byte[] content, Answer put) {
        etagIsMd5 = Arrays.equals(md5(content), ContentDigest.hexMd5(put.opaqueEtag()));
        run.add(ETAG_MD5, etagIsMd5 ? Verdict.OBSERVED : Verdict.SKIPPED, etagIsMd5
                ? "yes: downloads verify single-part objects (and multipart ones by their parts' MD5s)"
                : "no (" + put.opaqueEtag() + "): downloads are not verified");
    }

    /** Some servers store {@code _} in a metadata name as {@code -}; the driver maps it back under the profile. */
    @Override
    public Optional<String> storedMetadataName(String written) {
        return Optional.of(written.replace('_', '-'));
    }

    @Override
    public void extraChecks(ProbeRun run) {
        run.replaceIfPresent(REPLACE_IF_PRESENT_EMPTY, Conditions.NONE.ifNoneMatch("\"\""));
        deleteIfMatchAny(run);
        multipartCommit(run);
    }

    /** Whether a delete with {@code If-Match: *} deletes a present key and refuses a missing one. */
    private void deleteIfMatchAny(ProbeRun run) {
        if (!honoured(run, ProbeEngine.DELETE_STALE)) {
            return;
        }
        String key = run.key("delete");
        Answer present = run.delete(key, Conditions.NONE.ifMatch("*"));
        Answer missing = run.delete(key, Conditions.NONE.ifMatch("*"));
        boolean honoured = present.succeeded() && (missing.status() == 404 || missing.status() == 412);
        run.add(DELETE_ANY, honoured ? Verdict.HONOURED : missing.succeeded() ? Verdict.IGNORED : Verdict.REFUSED,
                "present key: " + present + "; missing key: " + missing);
    }

    /**
     * Whether CompleteMultipartUpload honours the put conditions: a create-if-absent commit on a
     * present key and a stale If-Match commit must be refused (their uploads are aborted), a current
     * If-Match commit must land. Only where PutObject's conditions were measured atomic; the
     * commit's atomicity is taken from theirs.
     */
    private void multipartCommit(ProbeRun run) {
        if (!run.measured().containsAll(EnumSet.of(Capability.PUT_IF_ABSENT, Capability.PUT_IF_MATCH))) {
            run.add(MULTIPART_CREATE, Verdict.SKIPPED, "PutObject conditions not honoured atomically");
            return;
        }
        String key = run.key("multipart");
        Answer seed = run.put(key, text("seed"), Conditions.NONE);
        if (seed.status() != 200 || seed.opaqueEtag() == null) {
            run.add(MULTIPART_CREATE, Verdict.SKIPPED, "seed put: " + seed);
            return;
        }
        Answer create = wire.multipart(key, text("mp-create"), Conditions.NONE.ifNoneMatch("*"));
        if (create.status() == 200) {
            run.add(MULTIPART_CREATE, Verdict.IGNORED, "completed over the present key: conditional puts larger"
                    + " than one part are refused");
            return;
        }
        if (create.status() != 412 && create.status() != 409) {
            run.add(MULTIPART_CREATE, Verdict.REFUSED, "on a present key: " + create);
            return;
        }
        run.add(MULTIPART_CREATE, Verdict.HONOURED, "on a present key: " + create);
        Answer stale = wire.multipart(key, text("mp-stale"), Conditions.NONE.ifMatch(run.ifMatch(STALE)));
        if (stale.status() == 200) {
            run.add(MULTIPART_IF_MATCH, Verdict.IGNORED, "stale ETag: completed");
            return;
        }
        Answer current = wire.multipart(key, text("mp-current"), Conditions.NONE.ifMatch(run.ifMatch(seed.opaqueEtag())));
        multipart = current.status() == 200 && stale.status() == 412 && "mp-current".equals(run.currentText(key));
        run.add(MULTIPART_IF_MATCH, multipart ? Verdict.HONOURED : Verdict.REFUSED,
                "stale ETag: " + stale + "; current ETag: " + current);
    }

    @Override
    public void finish(ProbeRun run) {
        versionIds = run.versionIdsSeen();
        S3Profile derived = derive(run);
        String match = S3EndpointProbe.matching(derived, versionIds);
        if (derived.lostRaceErrorCode() == null && match != null) {
            // Too few losers got a 5xx in these rounds to learn from; the facts matched a known
            // server, whose answer to a lost race is known, if nothing measured speaks against it.
            String name = match.split(" ")[0];
            derived = derived.toBuilder().lostRaceErrorCode(run.adoptLostRaceCode(S3Profile.named(name).lostRaceErrorCode(),
                    "the matching profile " + name).orElse(null)).build();
        }
        run.add("status codes", Verdict.OBSERVED, run.statuses().entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining("; ")));
        run.capabilities(derived.capabilities(versionIds));
        run.matchingProfile(match);
        profile = derived;
    }

    private S3Profile derive(ProbeRun run) {
        Set<Capability> measured = run.measured();
        boolean conditionalDelete = measured.contains(Capability.DELETE_IF_MATCH);
        Transfer transfer = wire.transfer();
        S3Profile.Builder b = S3Profile.builder("auto")
                .quoteIfMatch(run.ifMatchQuoted().orElse(true))
                .putIfPresent(!measured.contains(Capability.PUT_IF_MATCH) ? S3Profile.PutIfPresentForm.NONE
                        : honoured(run, ProbeEngine.REPLACE_IF_PRESENT) ? S3Profile.PutIfPresentForm.IF_MATCH_ANY
                        : honoured(run, REPLACE_IF_PRESENT_EMPTY) ? S3Profile.PutIfPresentForm.IF_NONE_MATCH_EMPTY
                        : S3Profile.PutIfPresentForm.NONE)
                .putDateConditions(measured.containsAll(EnumSet.of(Capability.PUT_IF_MODIFIED_SINCE,
                        Capability.PUT_IF_UNMODIFIED_SINCE)))
                .wildcardsOnReads(honoured(run, ProbeEngine.GET_IF_MATCH_ANY) && honoured(run, ProbeEngine.GET_IF_NONE_MATCH_ANY))
                // The engine calls a name MANGLED with the capability only when it came back as storedMetadataName.
                .metadataUnderscoresAsHyphens(run.verdict(ProbeEngine.METADATA).orElse(null) == Verdict.MANGLED
                        && measured.contains(Capability.USER_METADATA))
                .conditionalDelete(conditionalDelete)
                .deleteExistenceCheck(!conditionalDelete ? S3Profile.DeleteExistenceCheck.HEAD_THEN_DELETE
                        : honoured(run, DELETE_ANY) ? S3Profile.DeleteExistenceCheck.IF_MATCH_ANY
                        : S3Profile.DeleteExistenceCheck.HEAD_THEN_IF_MATCH)
                .checksumsWhenRequired(transfer.checksumsWhenRequired)
                .chunkedEncoding(transfer.chunkedEncoding)
                .pathStyle(true)
                .strongReads(measured.contains(Capability.STRONG_READS))
                .etagChangesOnIdenticalRewrite(measured.contains(Capability.ETAG_CHANGES_ON_IDENTICAL_REWRITE))
                .lostRaceErrorCode(run.lostRaceCode().orElse(null))
                .conditionalMultipartCommit(multipart)
                .etagIsContentMd5(etagIsMd5)
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

    private static boolean honoured(ProbeRun run, String check) {
        return run.verdict(check).orElse(null) == Verdict.HONOURED;
    }

    private static byte[] md5(byte[] content) {
        try {
            return MessageDigest.getInstance("MD5").digest(content);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required of every JVM", e);
        }
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
