package io.leasehold.core;

import java.util.Objects;
import java.util.Optional;

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
    private final ETag etag;
    private final String versionId;

    private ObjectVersion(ETag etag, String versionId) {
        this.etag = Objects.requireNonNull(etag, "etag");
        this.versionId = versionId;
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
    public static ObjectVersion of(ETag etag, String versionId) {
        if (etag == null || etag.isAny()) {
            throw new InvalidArgumentException("etag", "a version needs a concrete ETag");
        }
        return new ObjectVersion(etag, versionId == null || versionId.isEmpty() ? null : versionId);
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
        return other != null && etag.value().equals(other.etag.value());
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
        return versionId == null ? etag.quoted() : etag.quoted() + "@" + versionId;
    }
}
