package io.leasehold.core.internal.write;

import io.leasehold.core.ETag;
import io.leasehold.core.ObjectInfo;
import io.leasehold.core.ObjectVersion;

/**
 * Decides, from the object as read back, what became of a write whose outcome is unknown (its
 * response was lost, or a timeout, reset or 5xx came after it was sent). The one home of the rules;
 * used by the {@link WriteEngine} for single puts, deletes and staged commits, and by every
 * read-modify-write loop.
 *
 * <h2>Evidence</h2>
 * Only what one write alone can have produced counts:
 * <ul>
 *   <li><b>Landed</b>: the current version carries the write's id, or names it in its history (a
 *       later writer read it, so it existed).</li>
 *   <li><b>Not landed</b>, for a write conditioned on a base version: the base is still current,
 *       shown by its write id (write ids never recur); or, where ETags are unique per write
 *       ({@link io.leasehold.core.Capability#ETAG_CHANGES_ON_IDENTICAL_REWRITE}), by its ETag, or by a history that
 *       shows another write directly after the base (If-Match then pins exactly one version, so the
 *       base had one successor).</li>
 * </ul>
 * Everything else is unknown. In particular, on stores whose ETags are content hashes (S3) an ETag
 * equal to the base's proves nothing (an A&rarr;B&rarr;A rewrite), and a history there is a true
 * list of versions that existed but may skip some (a writer's If-Match can land on a later version
 * with the same bytes as the one it read), so absence from it proves nothing either. A create whose
 * key is absent again is unknown too: it may have landed and been deleted.
 *
 * <h2>Late landings</h2>
 * A request whose failure the client has seen may still be applied after the read that settles it
 * (a client timeout while the store still works on it). A verdict of {@link Verdict#NOT_LANDED}
 * because the base is still current ({@link #baseStillCurrent}) is therefore "not yet": a caller that
 * decides again must keep the write as a suspect until a later read shows the base replaced by
 * another write, or report the outcome unknown.
 *
 * <p>Thread-safety: stateless.
 */
public final class Settlement {
    /** What the evidence says about one write. */
    public enum Verdict {
        /** The write landed and its version is current. */
        LANDED,
        /** The write landed and a later write has replaced it. */
        SUPERSEDED,
        /** The write provably did not land; re-sending the same request is safe. */
        NOT_LANDED,
        /** The evidence cannot tell. */
        UNKNOWN
    }

    /** The object as read back for settlement: absent, or its ETag and bookkeeping. */
    public static final class Current {
        /** No object. */
        public static final Current ABSENT = new Current(null, null, null);

        /** The object's information as the driver returned it (bookkeeping included), or null. */
        public final ObjectInfo info;
        /** The object's ETag, or null if absent. */
        public final ETag etag;
        /** The object's bookkeeping (write id and history), or null if absent. */
        public final WriteTag tag;

        private Current(ObjectInfo info, ETag etag, WriteTag tag) {
            this.info = info;
            this.etag = etag;
            this.tag = tag;
        }

        /**
         * The object as read back.
         *
         * @param rawInfo its information as the driver returned it, or null if absent
         * @return the current object
         */
        public static Current of(ObjectInfo rawInfo) {
            return rawInfo == null ? ABSENT
                    : new Current(rawInfo, rawInfo.version().etag(), WriteTag.of(rawInfo.userMetadata()));
        }

        /**
         * Whether the object is absent.
         *
         * @return true if there is no object
         */
        public boolean absent() {
            return etag == null;
        }
    }

    /**
     * A write as sent: its id, and for a compare-and-swap the version it was conditioned on.
     */
    public static final class SentWrite {
        /** The write id. */
        public final String writeId;
        /** The base's history token (write id, or ETag digest), or null when not a compare-and-swap. */
        public final String baseToken;
        /** The base's ETag, or null when not a compare-and-swap. */
        public final ETag baseEtag;
        /** Whether the base's token is a write id (unique forever) rather than an ETag digest. */
        public final boolean baseHasWriteId;

        private SentWrite(String writeId, String baseToken, ETag baseEtag, boolean baseHasWriteId) {
            this.writeId = writeId;
            this.baseToken = baseToken;
            this.baseEtag = baseEtag;
            this.baseHasWriteId = baseHasWriteId;
        }

        /**
         * A write conditioned on a base version (If-Match).
         *
         * @param writeId the write id
         * @param base the base
         * @return the result
         */
        public static SentWrite onBase(String writeId, ObjectVersion base) {
            String baseWriteId = base.writeId().orElse(null);
            return new SentWrite(writeId, baseWriteId != null ? baseWriteId : WriteTag.etagToken(base.etag()),
                    base.etag(), baseWriteId != null);
        }

        /**
         * A write conditioned on a base version known by its ETag and, where the library wrote it,
         * its write id (from the object's bookkeeping).
         *
         * @param writeId the new write's id
         * @param baseEtag the base's ETag
         * @param baseWriteId the base's write id, or null
         * @return the sent write
         */
        public static SentWrite onBase(String writeId, ETag baseEtag, String baseWriteId) {
            return new SentWrite(writeId, baseWriteId != null ? baseWriteId : WriteTag.etagToken(baseEtag), baseEtag,
                    baseWriteId != null);
        }

        /**
         * A delete conditioned on a base version known by its ETag and, where the library wrote it,
         * its write id.
         *
         * @param baseEtag the base's ETag
         * @param baseWriteId the base's write id, or null
         * @return the sent write
         */
        public static SentWrite deleteOf(ETag baseEtag, String baseWriteId) {
            return onBase("", baseEtag, baseWriteId);
        }

        /**
         * A delete conditioned on a base version: it has no write id of its own to find.
         *
         * @param base the base
         * @return the result
         */
        public static SentWrite deleteOf(ObjectVersion base) {
            return onBase("", base);
        }

        /**
         * Any other write: create, overwrite, replace, date-conditioned.
         *
         * @param writeId the write id
         * @return the result
         */
        public static SentWrite unconditioned(String writeId) {
            return new SentWrite(writeId, null, null, false);
        }
    }

    private Settlement() {
    }

    /**
     * The verdict on a put.
     *
     * @param write the write as sent
     * @param current the object as read back after the failure
     * @param uniqueEtags whether the store gives every write a new ETag
     * @return the result
     */
    public static Verdict ofPut(SentWrite write, Current current, boolean uniqueEtags) {
        if (!current.absent()) {
            if (write.writeId.equals(current.tag.writeId())) {
                return Verdict.LANDED;
            }
            if (current.tag.history().contains(write.writeId)) {
                return Verdict.SUPERSEDED;
            }
        }
        return baseStillCurrentOrSucceeded(write, current, uniqueEtags) ? Verdict.NOT_LANDED : Verdict.UNKNOWN;
    }

    /**
     * The verdict on a delete conditioned on a base version: a delete leaves nothing to find, so it
     * is only ever proven not to have landed.
     *
     * @param write the write
     * @param current the current
     * @param uniqueEtags the unique etags
     * @return the result
     */
    public static Verdict ofDelete(SentWrite write, Current current, boolean uniqueEtags) {
        return baseStillCurrentOrSucceeded(write, current, uniqueEtags) ? Verdict.NOT_LANDED : Verdict.UNKNOWN;
    }

    /**
     * Whether the base a write was conditioned on is still the current version: the write has not
     * landed <em>yet</em>. A store may still apply a request the client gave up on, so such a write
     * stays a suspect until a later read shows the base replaced (see {@code UpdateLoop}).
     *
     * @param write the write as sent
     * @param current the object as read back
     * @param uniqueEtags whether the store gives every write a new ETag
     * @return true if the base is current
     */
    public static boolean baseStillCurrent(SentWrite write, Current current, boolean uniqueEtags) {
        if (write.baseToken == null || current.absent()) {
            return false;
        }
        if (write.baseHasWriteId && write.baseToken.equals(current.tag.writeId())) {
            return true;
        }
        return uniqueEtags && current.etag.value().equals(write.baseEtag.value()) && !current.etag.isWeak();
    }

    /**
     * Whether the base the write was conditioned on is still current, or (unique ETags only) was
     * directly followed by another write: either way the conditional write cannot have landed.
     */
    private static boolean baseStillCurrentOrSucceeded(SentWrite write, Current current, boolean uniqueEtags) {
        if (baseStillCurrent(write, current, uniqueEtags)) {
            return true;
        }
        if (write.baseToken == null || current.absent() || !uniqueEtags) {
            return false;
        }
        String successor = current.tag.successorOf(write.baseToken);
        return successor != null && !successor.equals(write.writeId);
    }
}
