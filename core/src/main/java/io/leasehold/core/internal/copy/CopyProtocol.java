package io.leasehold.core.internal.copy;

import io.leasehold.core.DeleteOptions;
import io.leasehold.core.ETag;
import io.leasehold.core.ErrorCode;
import io.leasehold.core.GetOptions;
import io.leasehold.core.Capability;
import io.leasehold.core.CopyOptions;
import io.leasehold.core.NotSupportedException;
import io.leasehold.core.ObjectChangedException;
import io.leasehold.core.ObjectInfo;
import io.leasehold.core.ObjectStoreException;
import io.leasehold.core.ObjectVersion;
import io.leasehold.core.OutcomeUnknownException;
import io.leasehold.core.PreconditionFailedException;
import io.leasehold.core.PutMode;
import io.leasehold.core.PutOptions;
import io.leasehold.core.TransientException;
import io.leasehold.core.internal.Futures;
import io.leasehold.core.internal.StoreCore;
import io.leasehold.core.internal.transfer.Downloads;
import io.leasehold.core.internal.transfer.StreamingPut;
import io.leasehold.core.internal.write.WriteOutcome;
import io.leasehold.core.internal.write.WriteTag;
import io.leasehold.core.transfer.ObjectStream;
import io.leasehold.core.transfer.TransferOptions;
import io.leasehold.spi.GetResponse;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

/**
 * Copy and rename: which way a copy is made, and what each answer means.
 *
 * <h2>A copy is a put of the target</h2>
 * The target receives exactly one version of the source — its bytes, content type and user metadata —
 * under the caller's {@link PutMode}, with a fresh write id in its metadata (never the source's), so
 * an unknown outcome is settled like any put's by reading the target back. Two ways:
 * <ul>
 *   <li><b>Server-side</b> where the store copies pinned to a source version and honours the mode
 *       ({@code OptionChecks#copiesServerSide}): a strong HEAD of the source names the version, then
 *       the driver's copy, pinned to it, goes through the write engine as the sender of a put. A
 *       driver that cannot copy this object server-side (too large) refuses before sending, and the
 *       copy is made through the client instead.</li>
 *   <li><b>Through the client</b> otherwise: a streaming get of the source (every range pinned to the
 *       first response's version) feeds a streaming put of the target under the mode, so a large
 *       object is copied with bounded memory and committed under the mode, or refused before anything
 *       is written where the store's multipart commit cannot carry the condition.</li>
 * </ul>
 *
 * <h2>The source changing</h2>
 * A source replaced between the read that named its version and the copy fails the pinned copy
 * ({@link ObjectChangedException} naming the source). With a source condition from the caller that
 * is the caller's lost race ({@link PreconditionFailedException}); without one the source is read
 * again, at most {@value #SOURCE_READS} times, then {@link TransientException} with
 * {@link ErrorCode#CONFLICT}.
 *
 * <h2>Rename</h2>
 * A copy, then a delete of the source with If-Match on the version copied, so a source changed or
 * deleted in between is never lost: the rename then fails, and with the default copy-if-absent its
 * copy is deleted again (If-Match on the copy's version), so nothing changed. Needs
 * {@link Capability#DELETE_IF_MATCH}; refused before anything is sent without it.
 *
 * <p>Thread-safety: safe for concurrent use; each call's state is its own.
 */
public final class CopyProtocol {
    /** How often a copy without a source condition reads a source that keeps changing. */
    static final int SOURCE_READS = 3;

    private final StoreCore core;
    private final Downloads downloads;
    private final UnaryOperator<ObjectInfo> publish;
    private final BiFunction<String, WriteOutcome, ObjectVersion> written;

    /**
     * Copies within one store.
     *
     * @param core the store's core
     * @param downloads its streaming gets (publishing what callers see)
     * @param publish turns stored information into what callers see (bookkeeping hidden, write id attached)
     * @param written the version a settled write of a key created, as callers see it (write id attached)
     */
    public CopyProtocol(StoreCore core, Downloads downloads, UnaryOperator<ObjectInfo> publish,
                        BiFunction<String, WriteOutcome, ObjectVersion> written) {
        this.core = core;
        this.downloads = downloads;
        this.publish = publish;
        this.written = written;
    }

    /** What a copy did: the target's write and the version of the source it copied. */
    public static final class Copied {
        /** The target's settled write. */
        public final WriteOutcome outcome;
        /** The version of the source copied, with its write id where it has one. */
        public final ObjectVersion source;

        Copied(WriteOutcome outcome, ObjectVersion source) {
            this.outcome = outcome;
            this.source = source;
        }
    }

    /**
     * Copies one version of the source onto the target.
     *
     * @param source the source's key (validated)
     * @param target the target's key (validated, not the source)
     * @param options the options (checked)
     * @return what was copied
     */
    public Copied copy(String source, String target, CopyOptions options) {
        ETag wanted = options.sourceIfMatch().filter(tag -> !tag.isAny()).orElse(null);
        if (wanted != null && wanted.isWeak()) {
            return Futures.join(core.engine().refuseWeakIfMatch(core.io(), source));
        }
        boolean serverSide = core.checks().copiesServerSide(options);
        for (int read = 1; ; read++) {
            try {
                if (serverSide) {
                    GetResponse head = core.get(source, GetOptions.builder().consistency(core.engine().strongest()).build(),
                            false);
                    ObjectInfo raw = head.info();
                    ObjectVersion version = publish.apply(raw).version();
                    requireWanted(source, wanted, version);
                    try {
                        return new Copied(core.copy(source, raw.version(), raw.size(), target,
                                targetOptions(options.mode(), raw.contentType().orElse(null),
                                        WriteTag.userMetadata(raw.userMetadata()))), version);
                    } catch (NotSupportedException tooLarge) {
                        // The driver refused this object before sending (e.g. over its copy size):
                        // through the client instead, from the start.
                        serverSide = false;
                        read--;
                        continue;
                    }
                }
                return throughClient(source, target, options, wanted);
            } catch (ObjectChangedException changed) {
                if (!source.equals(changed.key().orElse(null))) {
                    throw changed;
                }
                if (wanted != null) {
                    throw new PreconditionFailedException(source, "the source is no longer the version the copy's"
                            + " source If-Match names", changed);
                }
                if (read >= SOURCE_READS) {
                    throw new TransientException(ErrorCode.CONFLICT, source, "the source changed between reading it"
                            + " and copying it, " + read + " times; nothing was copied", changed);
                }
            }
        }
    }

    /** The copy through the client: a pinned streaming get of the source into a streaming put of the target. */
    private Copied throughClient(String source, String target, CopyOptions options, ETag wanted) {
        GetOptions.Builder first = GetOptions.builder().consistency(core.engine().strongest());
        if (wanted != null && core.capabilities().supports(Capability.GET_IF_MATCH)) {
            first.ifMatch(wanted);
        }
        try (ObjectStream stream = downloads.openStream(source, first.build(), TransferOptions.defaults())) {
            ObjectInfo info = stream.info(); // published: the bookkeeping is hidden, the write id attached
            requireWanted(source, wanted, info.version());
            PutOptions put = targetOptions(options.mode(), info.contentType().orElse(null), info.userMetadata());
            WriteOutcome outcome = new StreamingPut(core, target, put, TransferOptions.defaults())
                    .run(stream.content(), info.size());
            return new Copied(outcome, info.version());
        }
    }

    /**
     * Renames: copies, then deletes the source if it still is the version copied.
     *
     * @param source the source's key (validated)
     * @param target the target's key (validated, not the source)
     * @param options the options (checked, {@link Capability#DELETE_IF_MATCH} required)
     * @return the target's write
     */
    public WriteOutcome rename(String source, String target, CopyOptions options) {
        Copied copied = copy(source, target, options);
        try {
            core.delete(source, DeleteOptions.ifMatch(copied.source));
            return copied.outcome;
        } catch (OutcomeUnknownException unknown) {
            throw new OutcomeUnknownException(source, "the copy landed, and whether the source was deleted is"
                    + " unknown: read both keys before acting again", unknown);
        } catch (ObjectStoreException refused) {
            String undone = undo(target, options, copied, refused);
            if (refused.code() == ErrorCode.PRECONDITION_FAILED || refused.code() == ErrorCode.NOT_FOUND) {
                throw new PreconditionFailedException(source, "the source was changed or deleted after it was copied,"
                        + " so it was not deleted; " + undone, refused);
            }
            throw refused;
        }
    }

    /** Takes a create's copy back after the source's delete was refused; says what became of it. */
    private String undo(String target, CopyOptions options, Copied copied, ObjectStoreException refused) {
        if (options.mode().kind() != PutMode.Kind.CREATE) {
            return "the target keeps the copy (it replaced what the target held, which cannot be restored)";
        }
        if (copied.outcome.superseded) {
            return "the target was written again meanwhile and keeps that write";
        }
        try {
            core.delete(target, DeleteOptions.ifMatch(written.apply(target, copied.outcome)));
            return "the copy was deleted again: nothing changed";
        } catch (RuntimeException failed) {
            refused.addSuppressed(failed);
            return "deleting the copy again failed (" + Objects.toString(failed instanceof ObjectStoreException
                    ? ((ObjectStoreException) failed).code() : failed.getClass().getSimpleName()) + "): the target holds"
                    + " the copy";
        }
    }

    private PutOptions targetOptions(PutMode mode, String contentType, java.util.Map<String, String> userMetadata) {
        return PutOptions.builder()
                .mode(mode)
                .contentType(contentType)
                .userMetadata(userMetadata)
                .consistency(core.engine().strongest())
                .build();
    }

    private static void requireWanted(String source, ETag wanted, ObjectVersion version) {
        if (wanted != null && !wanted.strongMatch(version.etag())) {
            throw new PreconditionFailedException(source, "the source is not the version the copy's source If-Match"
                    + " names", null);
        }
    }
}
