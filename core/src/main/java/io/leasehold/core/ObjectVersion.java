package io.leasehold.core;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Identifies one written state of an object: its {@link ETag} and, where the store keeps
 * versions, its version id. A put returns one; pass it to {@link PutMode#update(ObjectVersion)}
 * or {@link DeleteOptions.Builder#ifMatch(ObjectVersion)} for the next compare-and-swap.
 *
 * <p>Conditions compare ETags only (that is what stores evaluate). Beware: S3 ETags are content
 * hashes, so rewriting identical bytes yields the same ETag, and an A&rarr;B&rarr;A rewrite is
 * invisible to If-Match; see {@link Capability#ETAG_CHANGES_ON_IDENTICAL_REWRITE}.
 *
 * <p>Thread-safety: immutable.
 */
public final class ObjectVersion {
    /** The opaque value of the ETag an {@linkplain #isUnknown() unknown} version carries. */
    private static final String UNKNOWN_ETAG_PREFIX = "leasehold-unknown-";

    private final ETag etag;
    private final String versionId;
    /** The write id the library tagged this version with, when known; not part of equality. */
    private final String writeId;
    private final boolean unknown;

    private ObjectVersion(ETag etag, String versionId, String writeId, boolean unknown) {
        this.etag = Objects.requireNonNull(etag, "etag");
        this.versionId = versionId;
        this.writeId = writeId;
        this.unknown = unknown;
    }

    private ObjectVersion(ETag etag, String versionId) {
        this(etag, versionId, null, false);
    }

    /**
     * The version a write created when the library knows that the write landed but not which ETag
     * the store gave it: the store acknowledged it without one, or a later write had already
     * replaced it when the library read the object back. Its ETag is weak, so every condition on
     * it fails as on any version that is no longer current.
     *
     * @param writeId the write id of the write
     * @return the version
     */
    static ObjectVersion unknown(String writeId) {
        return new ObjectVersion(ETag.weak(UNKNOWN_ETAG_PREFIX + writeId), null, writeId, true);
    }

    /**
     * This version tagged with the write id found in the object's bookkeeping.
     *
     * @param id the write id, or null
     * @return the tagged version
     */
    ObjectVersion withWriteId(@Nullable String id) {
        return Objects.equals(id, writeId) ? this : new ObjectVersion(etag, versionId, id, unknown);
    }

    /**
     * The write id of the library's write that created this version, where the library knows it: it
     * read it from the object's reserved metadata, or the version is one it wrote. Two versions with
     * the same write id are the same write; on stores whose ETags are content hashes (S3) it is the
     * only thing that tells two versions with equal bytes apart.
     *
     * @return the write id (16 hexadecimal digits), or empty
     */
    public Optional<String> writeId() {
        return Optional.ofNullable(writeId);
    }

    /**
     * A version known by its ETag only.
     *
     * @param etag the tag in any form {@link ETag#parse(String)} accepts
     * @return the version
     * @throws InvalidArgumentException if the tag is invalid
     */
    public static ObjectVersion of(String etag) {
        return new ObjectVersion(ETag.parse("etag", etag), null);
    }

    /**
     * A version with an ETag and an optional version id.
     *
     * @param etag the tag; must not be {@link ETag#ANY}
     * @param versionId the store's version id, or null
     * @return the version
     * @throws InvalidArgumentException if the tag is null or the wildcard
     */
    public static ObjectVersion of(ETag etag, @Nullable String versionId) {
        if (etag == null || etag.isAny()) {
            throw new InvalidArgumentException("etag", "a version needs a concrete ETag");
        }
        return new ObjectVersion(etag, versionId == null || versionId.isEmpty() ? null : versionId);
    }

    /**
     * Whether the ETag of this version is unknown: a write that landed but whose version the library
     * could not learn (see {@link PutResult#isSuperseded()}). Its {@link #etag()} is a weak
     * placeholder, so conditions on it never hold, as on any version that is no longer current.
     *
     * @return true if the ETag is unknown
     */
    public boolean isUnknown() {
        return unknown;
    }

    /**
     * The entity tag.
     *
     * @return never null
     */
    public ETag etag() {
        return etag;
    }

    /**
     * The store's version id, when the store (or bucket) keeps versions.
     *
     * @return the version id, or empty
     */
    public Optional<String> versionId() {
        return Optional.ofNullable(versionId);
    }

    /**
     * Whether this version and another name the same written state (strongly equal ETags).
     *
     * @param other the other version
     * @return true if the ETags match
     */
    public boolean sameAs(ObjectVersion other) {
        return other != null && !unknown && !other.unknown && etag.value().equals(other.etag.value());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ObjectVersion && ((ObjectVersion) o).etag.equals(etag)
                && Objects.equals(((ObjectVersion) o).versionId, versionId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(etag, versionId);
    }

    @Override
    public String toString() {
        if (unknown) {
            return "unknown";
        }
        return versionId == null ? etag.quoted() : etag.quoted() + "@" + versionId;
    }
}
