package io.leasehold.aws;

import io.leasehold.core.Capabilities;
import io.leasehold.core.Capability;
import io.leasehold.core.InvalidArgumentException;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * A compatibility profile: what an S3-speaking server honours and how it deviates from AWS S3, as
 * data. {@link S3Driver} derives its {@link Capabilities} and its wire encoding from the profile, so
 * a condition the server cannot evaluate is refused with
 * {@link io.leasehold.core.NotSupportedException} before anything is sent, and a server's quirks are
 * normalised in one place.
 *
 * <h2>Built-in profiles</h2>
 * <table>
 *   <caption>What each profile assumes</caption>
 *   <tr><th>Setting</th><th>{@link #AWS} ({@code aws})</th><th>{@link #CEPH_RGW} ({@code ceph-rgw})</th>
 *       <th>{@link #S3_COMPATIBLE} ({@code s3-compatible})</th></tr>
 *   <tr><td>create / update</td><td>If-None-Match: * / If-Match</td><td>same</td><td>same</td></tr>
 *   <tr><td>If-Match ETag form</td><td>quoted</td><td>unquoted (quoted always fails 412)</td><td>quoted</td></tr>
 *   <tr><td>conditional delete</td><td>If-Match (atomic)</td><td>not supported (RGW ignores it)</td>
 *       <td>not supported</td></tr>
 *   <tr><td>delete of a missing key</td><td>If-Match: * &rarr; 404</td><td>HEAD, then delete</td>
 *       <td>HEAD, then delete</td></tr>
 *   <tr><td>replace-if-present</td><td>not supported</td><td>If-Match: *</td><td>not supported</td></tr>
 *   <tr><td>If-Match: * / If-None-Match: * on get/head</td><td>sent</td>
 *       <td>evaluated by the driver (RGW answers 412 / ignores them)</td><td>sent</td></tr>
 *   <tr><td>metadata names</td><td>as written</td><td>{@code -} mapped back to {@code _}</td><td>as written</td></tr>
 *   <tr><td>SDK checksums</td><td>SDK default</td><td>only when required</td><td>only when required</td></tr>
 *   <tr><td>aws-chunked payload signing</td><td>SDK default</td><td>off (whole-payload signature)</td>
 *       <td>off</td></tr>
 *   <tr><td>path-style URLs (built clients)</td><td>no</td><td>yes</td><td>yes</td></tr>
 *   <tr><td>conditions on CompleteMultipartUpload</td><td>If-None-Match / If-Match</td>
 *       <td>none (RGW 16.2 ignores them: conditional puts larger than one part are refused)</td><td>none</td></tr>
 *   <tr><td>ETag of a single-part object is its MD5 (verified on download)</td><td>yes (not with SSE-KMS or SSE-C)</td>
 *       <td>yes</td><td>not assumed</td></tr>
 *   <tr><td>leases</td><td>emulated (the library's emulated leases)</td><td>emulated; lease-guarded
 *       delete not supported</td><td>none (atomicity of the server's conditional writes unproven)</td></tr>
 *   <tr><td>copy</td><td>server-side CopyObject with {@code x-amz-copy-source-if-match} and the target's
 *       If-None-Match / If-Match</td><td>through the client (RGW 16.2 ignores the standard source
 *       header names and every target condition on CopyObject)</td><td>through the client</td></tr>
 * </table>
 * All three support get/head with the four conditions, user metadata and strong reads (the server
 * is assumed read-after-write consistent, as AWS S3 and a single-site RGW are). Make your own with
 * {@link #builder(String)} or {@link #toBuilder()}.
 *
 * <p>Thread-safety: immutable.
 */
public final class S3Profile {
    /** How an unconditional delete proves the key existed (S3 answers 204 for a missing key). */
    public enum DeleteExistenceCheck {
        /** One DeleteObject with {@code If-Match: *}: atomic, the store answers 404 for a missing key. */
        IF_MATCH_ANY,
        /**
         * HEAD, then DeleteObject with If-Match on the ETag seen: atomic per attempt; if the object
         * changed in between, the pair is repeated a few times, then a transient conflict is reported.
         */
        HEAD_THEN_IF_MATCH,
        /**
         * HEAD, then an unconditional DeleteObject, for stores without conditional delete. Not atomic:
         * if another client deletes the key between the two requests, both deletes report success.
         */
        HEAD_THEN_DELETE
    }

    /** How a replace-if-present put ({@link io.leasehold.core.PutMode#replace()}) is sent, if at all. */
    public enum PutIfPresentForm {
        /** Not supported: replace-if-present puts are refused before sending. */
        NONE,
        /** {@code If-Match: *} (Ceph RGW: 412 on a missing key). */
        IF_MATCH_ANY,
        /** {@code If-None-Match: ""}, the empty ETag (Tigris). */
        IF_NONE_MATCH_EMPTY
    }

    /**
     * AWS S3: conditional put, conditional delete, quoted ETags, SDK checksums, server-side copy with
     * conditions on source and target (CopyObject honours If-None-Match and If-Match on the target
     * since 2025-10). The default.
     */
    public static final S3Profile AWS = builder("aws")
            .conditionalDelete(true)
            .serverSideCopy(true)
            .conditionalCopy(true)
            .deleteExistenceCheck(DeleteExistenceCheck.IF_MATCH_ANY)
            .emulatedLeases(true)
            .conditionalMultipartCommit(true)
            .etagIsContentMd5(true)
            .build();

    /**
     * Ceph RADOS Gateway (measured on 16.2): If-Match on PutObject only with unquoted ETags, 412 for
     * If-Match on a missing key, DeleteObject ignores If-Match (so conditional delete is refused),
     * losers of an If-Match race may get {@code 500 UnknownError} instead of 412 (a lost race in a
     * bucket without versioning, see {@link #lostRaceErrorCode()}), reads answer
     * {@code If-Match: *} with 412 and ignore {@code If-None-Match: *} (evaluated by the driver
     * instead), an empty body in {@code aws-chunked} form fails {@code XAmzContentSHA256Mismatch}
     * (whole-payload signing instead), metadata names come back with
     * {@code -} where {@code _} was written (mapped back), {@code If-Match: *} works as
     * replace-if-present, and the SDK's default request checksums are rejected
     * ({@code XAmzContentSHA256Mismatch}) so they are sent only when required. In a bucket with
     * versioning enabled RGW 16 evaluates PutObject conditions against the new version it is writing,
     * which never exists: {@code If-None-Match: *} always passes (a second create "succeeds") and
     * {@code If-Match} always fails 412, so with {@code versioned=true} conditional puts are refused.
     */
    public static final S3Profile CEPH_RGW = builder("ceph-rgw")
            .conditionalPutsOnVersionedBuckets(false)
            .lostRaceErrorCode("UnknownError")
            .quoteIfMatch(false)
            .putIfPresent(PutIfPresentForm.IF_MATCH_ANY)
            .wildcardsOnReads(false)
            .metadataUnderscoresAsHyphens(true)
            .conditionalDelete(false)
            .deleteExistenceCheck(DeleteExistenceCheck.HEAD_THEN_DELETE)
            .checksumsWhenRequired(true)
            .chunkedEncoding(false)
            .pathStyle(true)
            .emulatedLeases(true)
            .etagIsContentMd5(true)
            .build();

    /**
     * A conservative profile for other S3-compatible servers: conditional put as AWS specifies it, no
     * conditional delete, checksums only when required, path-style URLs, no leases. It trusts the
     * server to honour If-None-Match and If-Match on PutObject; check your server does before relying
     * on it (the conformance suite in this project does), and only then turn
     * {@link Builder#emulatedLeases(boolean)} on.
     */
    public static final S3Profile S3_COMPATIBLE = builder("s3-compatible")
            .conditionalDelete(false)
            .deleteExistenceCheck(DeleteExistenceCheck.HEAD_THEN_DELETE)
            .checksumsWhenRequired(true)
            .chunkedEncoding(false)
            .pathStyle(true)
            .build();

    private final String name;
    private final boolean quoteIfMatch;
    private final boolean conditionalDelete;
    private final DeleteExistenceCheck deleteExistenceCheck;
    private final boolean checksumsWhenRequired;
    private final boolean chunkedEncoding;
    private final boolean pathStyle;
    private final PutIfPresentForm putIfPresent;
    private final boolean putDateConditions;
    private final boolean wildcardsOnReads;
    private final boolean metadataUnderscoresAsHyphens;
    private final boolean strongReads;
    private final boolean etagChangesOnIdenticalRewrite;
    private final boolean emulatedLeases;
    private final boolean conditionalMultipartCommit;
    private final boolean etagIsContentMd5;
    private final boolean conditionalPutsOnVersionedBuckets;
    private final String lostRaceErrorCode;
    private final boolean serverSideCopy;
    private final boolean conditionalCopy;
    private final Set<Capability> withheld;

    private S3Profile(Builder b) {
        if (b.deleteExistenceCheck != DeleteExistenceCheck.HEAD_THEN_DELETE && !b.conditionalDelete) {
            throw new InvalidArgumentException("deleteExistenceCheck",
                    b.deleteExistenceCheck + " needs conditional delete; use HEAD_THEN_DELETE");
        }
        this.name = b.name;
        this.quoteIfMatch = b.quoteIfMatch;
        this.conditionalDelete = b.conditionalDelete;
        this.deleteExistenceCheck = b.deleteExistenceCheck;
        this.checksumsWhenRequired = b.checksumsWhenRequired;
        this.chunkedEncoding = b.chunkedEncoding;
        this.pathStyle = b.pathStyle;
        this.putIfPresent = b.putIfPresent;
        this.putDateConditions = b.putDateConditions;
        this.wildcardsOnReads = b.wildcardsOnReads;
        this.metadataUnderscoresAsHyphens = b.metadataUnderscoresAsHyphens;
        this.strongReads = b.strongReads;
        this.etagChangesOnIdenticalRewrite = b.etagChangesOnIdenticalRewrite;
        this.emulatedLeases = b.emulatedLeases;
        this.conditionalMultipartCommit = b.conditionalMultipartCommit;
        this.etagIsContentMd5 = b.etagIsContentMd5;
        this.conditionalPutsOnVersionedBuckets = b.conditionalPutsOnVersionedBuckets;
        this.lostRaceErrorCode = b.lostRaceErrorCode;
        this.serverSideCopy = b.serverSideCopy;
        this.conditionalCopy = b.conditionalCopy;
        this.withheld = Collections.unmodifiableSet(b.withheld.isEmpty()
                ? EnumSet.noneOf(Capability.class) : EnumSet.copyOf(b.withheld));
    }

    /**
     * A built-in profile by name.
     *
     * @param name {@code aws}, {@code ceph-rgw} or {@code s3-compatible} (case-insensitive)
     * @return the profile
     * @throws InvalidArgumentException for an unknown name
     */
    public static S3Profile named(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        switch (n) {
            case "aws":
            case "aws-s3":
                return AWS;
            case "ceph-rgw":
            case "rgw":
            case "ceph":
                return CEPH_RGW;
            case "s3-compatible":
            case "compatible":
                return S3_COMPATIBLE;
            default:
                throw new InvalidArgumentException("profile",
                        "unknown S3 profile '" + name + "'; use aws, ceph-rgw or s3-compatible");
        }
    }

    /**
     * A builder starting from AWS S3's behaviour, except that conditional delete is off.
     *
     * @param name the profile's name, shown in messages
     * @return the builder
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /**
     * A builder initialised from this profile.
     *
     * @return the builder
     */
    public Builder toBuilder() {
        Builder b = new Builder(name);
        b.quoteIfMatch = quoteIfMatch;
        b.conditionalDelete = conditionalDelete;
        b.deleteExistenceCheck = deleteExistenceCheck;
        b.checksumsWhenRequired = checksumsWhenRequired;
        b.chunkedEncoding = chunkedEncoding;
        b.pathStyle = pathStyle;
        b.putIfPresent = putIfPresent;
        b.putDateConditions = putDateConditions;
        b.wildcardsOnReads = wildcardsOnReads;
        b.metadataUnderscoresAsHyphens = metadataUnderscoresAsHyphens;
        b.strongReads = strongReads;
        b.etagChangesOnIdenticalRewrite = etagChangesOnIdenticalRewrite;
        b.emulatedLeases = emulatedLeases;
        b.conditionalMultipartCommit = conditionalMultipartCommit;
        b.etagIsContentMd5 = etagIsContentMd5;
        b.conditionalPutsOnVersionedBuckets = conditionalPutsOnVersionedBuckets;
        b.lostRaceErrorCode = lostRaceErrorCode;
        b.serverSideCopy = serverSideCopy;
        b.conditionalCopy = conditionalCopy;
        b.withheld.addAll(withheld);
        return b;
    }

    /**
     * The capabilities a driver with this profile declares.
     *
     * @param versionedBucket whether the bucket keeps versions (adds {@link Capability#VERSION_IDS})
     * @return the capabilities
     */
    public Capabilities capabilities(boolean versionedBucket) {
        Set<Capability> c = EnumSet.of(Capability.PUT_IF_ABSENT, Capability.PUT_IF_MATCH,
                Capability.GET_IF_MATCH, Capability.GET_IF_NONE_MATCH, Capability.GET_IF_MODIFIED_SINCE,
                Capability.GET_IF_UNMODIFIED_SINCE, Capability.USER_METADATA);
        if (conditionalDelete) {
            c.add(Capability.DELETE_IF_MATCH);
        }
        if (putIfPresent != PutIfPresentForm.NONE) {
            c.add(Capability.PUT_IF_PRESENT);
        }
        if (putDateConditions) {
            c.add(Capability.PUT_IF_MODIFIED_SINCE);
            c.add(Capability.PUT_IF_UNMODIFIED_SINCE);
        }
        if (strongReads) {
            c.add(Capability.STRONG_READS);
        }
        if (versionedBucket) {
            c.add(Capability.VERSION_IDS);
        }
        if (etagChangesOnIdenticalRewrite) {
            c.add(Capability.ETAG_CHANGES_ON_IDENTICAL_REWRITE);
        }
        // Multipart uploads and ranged GETs are part of every S3 dialect.
        c.add(Capability.STREAMING_PUT);
        c.add(Capability.RANGED_READS);
        if (conditionalMultipartCommit) {
            c.add(Capability.CONDITIONAL_MULTIPART_COMMIT);
        }
        // ListObjectsV2 is part of every S3 dialect.
        c.add(Capability.LIST);
        if (serverSideCopy) {
            c.add(Capability.SERVER_SIDE_COPY);
            c.add(Capability.COPY_SOURCE_IF_MATCH);
            if (conditionalCopy) {
                c.add(Capability.COPY_IF_ABSENT);
                c.add(Capability.COPY_IF_MATCH);
            }
        }
        if (versionedBucket && !conditionalPutsOnVersionedBuckets) {
            c.removeAll(EnumSet.of(Capability.PUT_IF_ABSENT, Capability.PUT_IF_MATCH, Capability.PUT_IF_PRESENT,
                    Capability.PUT_IF_MODIFIED_SINCE, Capability.PUT_IF_UNMODIFIED_SINCE,
                    Capability.CONDITIONAL_MULTIPART_COMMIT, Capability.COPY_IF_ABSENT, Capability.COPY_IF_MATCH));
        }
        c.removeAll(withheld);
        if (!c.contains(Capability.PUT_IF_ABSENT) && !c.contains(Capability.PUT_IF_MATCH)) {
            c.remove(Capability.CONDITIONAL_MULTIPART_COMMIT); // nothing left to condition a commit with
        }
        if (!c.contains(Capability.SERVER_SIDE_COPY) || !c.contains(Capability.COPY_SOURCE_IF_MATCH)) {
            // A copy not pinned to its source version is never used: a target condition alone is not enough.
            c.removeAll(EnumSet.of(Capability.SERVER_SIDE_COPY, Capability.COPY_SOURCE_IF_MATCH,
                    Capability.COPY_IF_ABSENT, Capability.COPY_IF_MATCH));
        }
        if (emulatedLeases && !withheld.contains(Capability.LEASES) && c.containsAll(EnumSet.of(
                Capability.PUT_IF_ABSENT, Capability.PUT_IF_MATCH, Capability.STRONG_READS, Capability.USER_METADATA))) {
            // Leases rest on atomic create-if-absent and If-Match and on strong reads of the record:
            // where a versioned bucket or the endpoint probe took any of those away, there are none.
            c.add(Capability.LEASES);
            c.add(Capability.EMULATED_LEASES);
            c.add(Capability.FENCING_TOKENS);
        }
        return Capabilities.of(c);
    }

    /**
     * The profile's name, e.g. {@code aws}.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Whether If-Match carries the ETag quoted ({@code "abc"}), as RFC 9110 and AWS want, or bare
     * ({@code abc}), as Ceph RGW needs.
     *
     * @return true to quote
     */
    public boolean quoteIfMatch() {
        return quoteIfMatch;
    }

    /**
     * Whether DeleteObject evaluates If-Match atomically.
     *
     * @return true if conditional delete is supported
     */
    public boolean conditionalDelete() {
        return conditionalDelete;
    }

    /**
     * How an unconditional delete detects a missing key.
     *
     * @return the strategy
     */
    public DeleteExistenceCheck deleteExistenceCheck() {
        return deleteExistenceCheck;
    }


    /**
     * Whether the SDK computes request checksums and validates response checksums only when an
     * operation requires them (servers that reject the SDK's default trailing checksums).
     *
     * @return true for {@code WHEN_REQUIRED}
     */
    public boolean checksumsWhenRequired() {
        return checksumsWhenRequired;
    }

    /**
     * Whether the SDK may sign request bodies in {@code aws-chunked} streaming form (its default over
     * plain HTTP). Ceph RGW 16 rejects an empty body sent that way with
     * {@code XAmzContentSHA256Mismatch}; when false the driver signs the whole payload instead, on
     * its own clients and on each request over a caller-supplied client.
     *
     * @return true to allow chunked signing
     */
    public boolean chunkedEncoding() {
        return chunkedEncoding;
    }

    /**
     * Whether clients built by the driver use path-style URLs by default.
     *
     * @return true for path style
     */
    public boolean pathStyle() {
        return pathStyle;
    }

    /**
     * How replace-if-present puts are sent, if at all.
     *
     * @return the form; {@link PutIfPresentForm#NONE} if not supported
     */
    public PutIfPresentForm putIfPresent() {
        return putIfPresent;
    }

    /**
     * Whether GetObject/HeadObject evaluate {@code If-Match: *} and {@code If-None-Match: *} as RFC
     * 9110 says (both are true/false exactly when the object exists). When false (RGW answers 412 to
     * the first and ignores the second) the driver does not send them: a missing object is 404
     * anyway, and for {@code If-None-Match: *} it answers "not modified" itself when the read finds
     * the object.
     *
     * @return true if the server evaluates them
     */
    public boolean wildcardsOnReads() {
        return wildcardsOnReads;
    }

    /**
     * Whether the server returns user metadata names with {@code -} where {@code _} was written
     * (Ceph RGW). The driver then maps {@code -} back to {@code _}, which is lossless for portable
     * names ({@code [a-z_][a-z0-9_]*}).
     *
     * @return true if names come back hyphenated
     */
    public boolean metadataUnderscoresAsHyphens() {
        return metadataUnderscoresAsHyphens;
    }

    /**
     * Whether PutObject honours If-Modified-Since and If-Unmodified-Since (Tigris; AWS S3 does not).
     *
     * @return true if supported
     */
    public boolean putDateConditions() {
        return putDateConditions;
    }

    /**
     * Whether strong reads are available (natively, or because the store is always strong).
     *
     * @return true if supported
     */
    public boolean strongReads() {
        return strongReads;
    }

    /**
     * Whether rewriting identical bytes yields a new ETag (false where ETags are content hashes).
     *
     * @return true if ETags change on identical rewrites
     */
    public boolean etagChangesOnIdenticalRewrite() {
        return etagChangesOnIdenticalRewrite;
    }

    /**
     * Whether the driver offers leases emulated with a lease record (the library's emulated leases).
     * They are only as safe as the server's conditional writes are atomic, so only profiles of servers
     * measured atomic under concurrent If-None-Match and If-Match PUTs turn this on (the built-in
     * {@code aws} and {@code ceph-rgw}, Tigris's, and {@code auto}, whose probe withholds conditions it
     * did not measure atomic). Leases are declared only while create-if-absent, If-Match, strong reads
     * and user metadata are (so not in a versioned RGW bucket, nor where the probe withheld them).
     *
     * @return true if the driver declares {@link Capability#LEASES} (emulated)
     */
    public boolean emulatedLeases() {
        return emulatedLeases;
    }

    /**
     * Whether CompleteMultipartUpload honours {@code If-None-Match: *} and {@code If-Match} atomically,
     * as PutObject does (AWS S3 since 2024). Without it a conditional put larger than one part is
     * refused before any part is uploaded ({@link Capability#CONDITIONAL_MULTIPART_COMMIT} absent).
     * Ceph RGW 16.2 accepts the headers and ignores them (measured: a second create-if-absent
     * completes and replaces the object; a stale If-Match completes), so {@code ceph-rgw} leaves it off;
     * the endpoint probe measures it.
     *
     * @return true if multipart commits can carry the put's condition
     */
    public boolean conditionalMultipartCommit() {
        return conditionalMultipartCommit;
    }

    /**
     * Whether the ETag of an object uploaded in one request is the hex MD5 of its content (AWS without
     * SSE-KMS/SSE-C, Ceph RGW), and that of a multipart upload the MD5 of its parts' MD5s with
     * {@code -N}. Streaming gets then verify the bytes: single-part objects always, multipart objects
     * when this library uploaded them (it records the part size). Off where unproven: a wrong
     * assumption would fail every download.
     *
     * @return true if ETags are content MD5s
     */
    public boolean etagIsContentMd5() {
        return etagIsContentMd5;
    }

    /**
     * Whether PutObject conditions still hold in a bucket with versioning enabled. False for Ceph RGW
     * 16, which evaluates them against the version being written: then a versioned bucket
     * ({@code versioned=true}) gets no conditional-put capabilities.
     *
     * @return true if conditional puts work in versioned buckets
     */
    public boolean conditionalPutsOnVersionedBuckets() {
        return conditionalPutsOnVersionedBuckets;
    }

    /**
     * The S3 error code this server answers, with a 5xx status, to a conditional PutObject that lost
     * its race and was therefore not applied; null if it answers lost races only with 412 (AWS).
     * Ceph RGW 16 answers some losers of an If-Match race with {@code 500 UnknownError}: its write of
     * the object head is one atomic operation guarded by the ETag, and a lost race cancels it
     * ({@code ECANCELED}, an errno its S3 error table does not name). The driver translates exactly
     * that answer, on a PutObject with If-Match on an ETag in a bucket without versioning, to
     * "precondition failed", as it translates RGW's 412 for If-Match on a missing key. Everywhere else
     * it stays outcome unknown and is settled by the write id: in a versioned bucket RGW can answer it
     * after the new version was written (linking the version as current failed), on
     * CompleteMultipartUpload RGW evaluates no condition at all, and a create or If-Match: * race is
     * answered otherwise. Measured: every such loser of a race with a single winner left the object
     * unchanged (the probe and {@code CephRgwDeviationsTest} check it).
     *
     * @return the error code, or null
     */
    public String lostRaceErrorCode() {
        return lostRaceErrorCode;
    }

    /**
     * Whether CopyObject honours {@code x-amz-copy-source-if-match}, so the driver copies server-side,
     * pinned to the source version it read (AWS yes; Ceph RGW 16.2 reads only non-standard header names).
     *
     * @return true to declare {@link Capability#SERVER_SIDE_COPY} and {@link Capability#COPY_SOURCE_IF_MATCH}
     */
    public boolean serverSideCopy() {
        return serverSideCopy;
    }

    /**
     * Whether CopyObject honours If-None-Match and If-Match on its target, atomically (AWS since
     * 2025-10; Ceph RGW 16.2 and S3Mock 5.2 ignore them).
     *
     * @return true to declare {@link Capability#COPY_IF_ABSENT} and {@link Capability#COPY_IF_MATCH}
     */
    public boolean conditionalCopy() {
        return conditionalCopy;
    }

    /**
     * Capabilities the server lacks beyond what the other settings say, e.g. measured by the
     * endpoint probe ({@code profile=auto}): they are never declared.
     *
     * @return an unmodifiable set, usually empty
     */
    public Set<Capability> withheldCapabilities() {
        return withheld;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof S3Profile)) {
            return false;
        }
        S3Profile p = (S3Profile) o;
        return name.equals(p.name) && quoteIfMatch == p.quoteIfMatch && conditionalDelete == p.conditionalDelete
                && deleteExistenceCheck == p.deleteExistenceCheck
                && checksumsWhenRequired == p.checksumsWhenRequired && chunkedEncoding == p.chunkedEncoding
                && pathStyle == p.pathStyle
                && putIfPresent == p.putIfPresent && putDateConditions == p.putDateConditions
                && wildcardsOnReads == p.wildcardsOnReads
                && metadataUnderscoresAsHyphens == p.metadataUnderscoresAsHyphens
                && strongReads == p.strongReads && etagChangesOnIdenticalRewrite == p.etagChangesOnIdenticalRewrite
                && emulatedLeases == p.emulatedLeases
                && conditionalMultipartCommit == p.conditionalMultipartCommit && etagIsContentMd5 == p.etagIsContentMd5
                && conditionalPutsOnVersionedBuckets == p.conditionalPutsOnVersionedBuckets
                && Objects.equals(lostRaceErrorCode, p.lostRaceErrorCode)
                && serverSideCopy == p.serverSideCopy && conditionalCopy == p.conditionalCopy
                && withheld.equals(p.withheld);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, quoteIfMatch, conditionalDelete, deleteExistenceCheck,
                checksumsWhenRequired, chunkedEncoding, pathStyle, putIfPresent, putDateConditions, wildcardsOnReads,
                metadataUnderscoresAsHyphens, strongReads,
                etagChangesOnIdenticalRewrite, emulatedLeases, conditionalMultipartCommit, etagIsContentMd5,
                conditionalPutsOnVersionedBuckets, lostRaceErrorCode, serverSideCopy, conditionalCopy, withheld);
    }

    @Override
    public String toString() {
        return "S3Profile{" + name + ", quoteIfMatch=" + quoteIfMatch + ", conditionalDelete=" + conditionalDelete
                + ", deleteExistenceCheck=" + deleteExistenceCheck + ", checksumsWhenRequired=" + checksumsWhenRequired + ", chunkedEncoding="
                + chunkedEncoding + ", pathStyle="
                + pathStyle + ", putIfPresent=" + putIfPresent + ", putDateConditions=" + putDateConditions
                + ", wildcardsOnReads=" + wildcardsOnReads + ", metadataUnderscoresAsHyphens="
                + metadataUnderscoresAsHyphens + ", strongReads=" + strongReads + ", etagChangesOnIdenticalRewrite="
                + etagChangesOnIdenticalRewrite + ", conditionalPutsOnVersionedBuckets=" + conditionalPutsOnVersionedBuckets
                + ", lostRaceErrorCode=" + lostRaceErrorCode + ", emulatedLeases=" + emulatedLeases
                + ", conditionalMultipartCommit=" + conditionalMultipartCommit + ", etagIsContentMd5=" + etagIsContentMd5
                + ", serverSideCopy=" + serverSideCopy + ", conditionalCopy=" + conditionalCopy
                + (withheld.isEmpty() ? "" : ", withheld=" + withheld) + "}";
    }

    /**
     * Builds an {@link S3Profile}. Not thread-safe.
     */
    public static final class Builder {
        private final String name;
        private boolean quoteIfMatch = true;
        private boolean conditionalDelete;
        private DeleteExistenceCheck deleteExistenceCheck = DeleteExistenceCheck.HEAD_THEN_DELETE;
            private boolean checksumsWhenRequired;
        private boolean chunkedEncoding = true;
        private boolean pathStyle;
        private PutIfPresentForm putIfPresent = PutIfPresentForm.NONE;
        private boolean putDateConditions;
        private boolean wildcardsOnReads = true;
        private boolean metadataUnderscoresAsHyphens;
        private boolean strongReads = true;
        private boolean etagChangesOnIdenticalRewrite;
        private boolean emulatedLeases;
        private boolean conditionalMultipartCommit;
        private boolean etagIsContentMd5;
        private boolean conditionalPutsOnVersionedBuckets = true;
        private String lostRaceErrorCode;
        private boolean serverSideCopy;
        private boolean conditionalCopy;
        private final Set<Capability> withheld = EnumSet.noneOf(Capability.class);

        private Builder(String name) {
            if (name == null || name.isBlank()) {
                throw new InvalidArgumentException("name", "a profile needs a name");
            }
            this.name = name;
        }

        /**
         * See {@link S3Profile#quoteIfMatch()}.
         *
         * @param quote true to quote ETags in If-Match
         * @return this builder
         */
        public Builder quoteIfMatch(boolean quote) {
            this.quoteIfMatch = quote;
            return this;
        }

        /**
         * See {@link S3Profile#conditionalDelete()}.
         *
         * @param supported true if DeleteObject evaluates If-Match atomically
         * @return this builder
         */
        public Builder conditionalDelete(boolean supported) {
            this.conditionalDelete = supported;
            return this;
        }

        /**
         * See {@link S3Profile#deleteExistenceCheck()}.
         *
         * @param check the strategy; all but {@code HEAD_THEN_DELETE} need conditional delete
         * @return this builder
         */
        public Builder deleteExistenceCheck(DeleteExistenceCheck check) {
            this.deleteExistenceCheck = Objects.requireNonNull(check, "check");
            return this;
        }


        /**
         * See {@link S3Profile#checksumsWhenRequired()}.
         *
         * @param whenRequired true to send checksums only when required
         * @return this builder
         */
        public Builder checksumsWhenRequired(boolean whenRequired) {
            this.checksumsWhenRequired = whenRequired;
            return this;
        }

        /**
         * See {@link S3Profile#chunkedEncoding()}.
         *
         * @param allowed true to allow {@code aws-chunked} payload signing
         * @return this builder
         */
        public Builder chunkedEncoding(boolean allowed) {
            this.chunkedEncoding = allowed;
            return this;
        }

        /**
         * See {@link S3Profile#pathStyle()}.
         *
         * @param pathStyle true for path-style URLs
         * @return this builder
         */
        public Builder pathStyle(boolean pathStyle) {
            this.pathStyle = pathStyle;
            return this;
        }

        /**
         * See {@link S3Profile#putIfPresent()}.
         *
         * @param form how replace-if-present is sent, or {@link PutIfPresentForm#NONE}
         * @return this builder
         */
        public Builder putIfPresent(PutIfPresentForm form) {
            this.putIfPresent = Objects.requireNonNull(form, "form");
            return this;
        }

        /**
         * See {@link S3Profile#wildcardsOnReads()}.
         *
         * @param evaluated true if the server evaluates {@code *} in If-Match and If-None-Match on reads
         * @return this builder
         */
        public Builder wildcardsOnReads(boolean evaluated) {
            this.wildcardsOnReads = evaluated;
            return this;
        }

        /**
         * See {@link S3Profile#metadataUnderscoresAsHyphens()}.
         *
         * @param hyphenated true if metadata names come back with {@code -} for {@code _}
         * @return this builder
         */
        public Builder metadataUnderscoresAsHyphens(boolean hyphenated) {
            this.metadataUnderscoresAsHyphens = hyphenated;
            return this;
        }

        /**
         * See {@link S3Profile#putDateConditions()}.
         *
         * @param supported true if PutObject honours date conditions
         * @return this builder
         */
        public Builder putDateConditions(boolean supported) {
            this.putDateConditions = supported;
            return this;
        }

        /**
         * See {@link S3Profile#strongReads()}.
         *
         * @param supported true if strong reads are available
         * @return this builder
         */
        public Builder strongReads(boolean supported) {
            this.strongReads = supported;
            return this;
        }

        /**
         * See {@link S3Profile#etagChangesOnIdenticalRewrite()}.
         *
         * @param changes true if identical rewrites get new ETags
         * @return this builder
         */
        public Builder etagChangesOnIdenticalRewrite(boolean changes) {
            this.etagChangesOnIdenticalRewrite = changes;
            return this;
        }

        /**
         * See {@link S3Profile#emulatedLeases()}. Off by default: turn it on only for a server whose
         * conditional PutObject is atomic under concurrency.
         *
         * @param offered true to offer emulated leases
         * @return this builder
         */
        public Builder emulatedLeases(boolean offered) {
            this.emulatedLeases = offered;
            return this;
        }

        /**
         * See {@link S3Profile#conditionalMultipartCommit()}. Off by default.
         *
         * @param honoured true if CompleteMultipartUpload evaluates If-None-Match and If-Match atomically
         * @return this builder
         */
        public Builder conditionalMultipartCommit(boolean honoured) {
            this.conditionalMultipartCommit = honoured;
            return this;
        }

        /**
         * See {@link S3Profile#etagIsContentMd5()}. Off by default.
         *
         * @param md5 true if ETags are the content's MD5 (multipart: MD5 of the parts' MD5s)
         * @return this builder
         */
        public Builder etagIsContentMd5(boolean md5) {
            this.etagIsContentMd5 = md5;
            return this;
        }

        /**
         * See {@link S3Profile#conditionalPutsOnVersionedBuckets()}.
         *
         * @param hold false if PutObject conditions are not evaluated correctly in versioned buckets
         * @return this builder
         */
        public Builder conditionalPutsOnVersionedBuckets(boolean hold) {
            this.conditionalPutsOnVersionedBuckets = hold;
            return this;
        }

        /**
         * See {@link S3Profile#lostRaceErrorCode()}.
         *
         * @param code the S3 error code of a 5xx that answers a lost If-Match race, or null
         * @return this builder
         */
        public Builder lostRaceErrorCode(String code) {
            this.lostRaceErrorCode = code == null || code.isBlank() ? null : code;
            return this;
        }

        /**
         * Sets whether CopyObject honours {@code x-amz-copy-source-if-match} (default false: copies
         * are made through the client). Turn it on only with evidence that the server refuses a copy
         * whose source is another version.
         *
         * @param honoured whether it is honoured
         * @return this builder
         */
        public Builder serverSideCopy(boolean honoured) {
            this.serverSideCopy = honoured;
            return this;
        }

        /**
         * Sets whether CopyObject honours If-None-Match: * and If-Match on its target, atomically
         * (default false: a conditional copy is made through the client with a conditional put). Only
         * meaningful with {@link #serverSideCopy(boolean)}.
         *
         * @param honoured whether they are honoured
         * @return this builder
         */
        public Builder conditionalCopy(boolean honoured) {
            this.conditionalCopy = honoured;
            return this;
        }

        /**
         * See {@link S3Profile#withheldCapabilities()}.
         *
         * @param capabilities capabilities never to declare
         * @return this builder
         */
        public Builder withhold(Capability... capabilities) {
            for (Capability c : capabilities) {
                withheld.add(Objects.requireNonNull(c, "capability"));
            }
            return this;
        }

        /**
         * Builds the profile.
         *
         * @return the immutable profile
         * @throws InvalidArgumentException if the delete strategy needs conditional delete and it is off
         */
        public S3Profile build() {
            return new S3Profile(this);
        }
    }
}
