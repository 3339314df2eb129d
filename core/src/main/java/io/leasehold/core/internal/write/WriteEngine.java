package io.leasehold.core.internal.write;

import io.leasehold.core.DeleteOptions;
import io.leasehold.core.ErrorCode;
import io.leasehold.core.GetOptions;
import io.leasehold.core.ObjectNotFoundException;
import io.leasehold.core.ObjectStoreException;
import io.leasehold.core.OutcomeUnknownException;
import io.leasehold.core.PreconditionFailedException;
import io.leasehold.core.PutMode;
import io.leasehold.core.PutOptions;
import io.leasehold.core.ReadConsistency;
import io.leasehold.core.StoreObserver;
import io.leasehold.core.TransientException;
import io.leasehold.core.internal.Attempts;
import io.leasehold.core.internal.Futures;
import io.leasehold.core.internal.Futures.Turn;
import io.leasehold.core.internal.Observing;
import io.leasehold.core.internal.io.Pauses;
import io.leasehold.core.internal.io.StoreIo;
import io.leasehold.spi.GetResponse;
import io.leasehold.spi.PutResponse;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The one place that sends a mutation and decides what its answer means. Everything that writes —
 * single puts and deletes, staged commits, read-modify-write loops, lease records, fencing
 * counters — composes these methods; nothing else calls a driver's put or delete.
 *
 * <h2>Rules</h2>
 * <ol>
 *   <li><b>Evidence, not classification.</b> An answer proves "not applied" only when the store
 *       itself says so in its own words (drivers translate those into {@link ErrorCode#THROTTLED},
 *       {@link ErrorCode#TRANSIENT}, {@link ErrorCode#CONFLICT}, a refusal such as
 *       {@link PreconditionFailedException}); anything an intermediary can produce after forwarding
 *       the request — a 502/503/504 without the store's error code, a reset, a timeout, a truncated
 *       body — MUST reach the engine as {@link OutcomeUnknownException} (drivers' duty,
 *       {@link io.leasehold.spi.kit.Failures}).</li>
 *   <li><b>Every write sent stays a candidate until a read settles it.</b> A put carries a fresh
 *       write id; an unknown outcome is settled by reading the write id back
 *       ({@link Settlement}); a re-send refused after an earlier send's outcome was unknown is
 *       checked against the write id, because the earlier send may have landed after the read that
 *       cleared it.</li>
 *   <li><b>Nothing is re-sent blindly.</b> The same request is sent again only after the store
 *       said the previous one was not applied, or a read proved it; the retry budget
 *       ({@link Attempts}) decides only whether and when, and no other layer retries a mutation.</li>
 *   <li><b>No guesses.</b> Where the evidence cannot tell, the answer is
 *       {@link OutcomeUnknownException} carrying the write id, never a success or a refusal.</li>
 * </ol>
 *
 * <h2>Late landings</h2>
 * A request whose failure the client has seen may be applied after the read that settles it (a
 * proxy still forwarding a timed-out request). A single put re-sends only on the same condition, so
 * at most one of the two can land, and rule 2 checks a refused re-send against the write id. A
 * read-modify-write that decides again keeps the write a suspect until a read shows its base replaced
 * ({@link Settlement#baseStillCurrent}); if that read can neither find nor rule it out, the outcome
 * is unknown.
 *
 * <p>Thread-safety: safe for concurrent use; each call's state is its own.
 */
public final class WriteEngine {
    /** Reads for settlement at most this often: a throttled or reset read says nothing about the write. */
    static final int SETTLEMENT_READS = 3;

    /** Refusals of a re-sent write that an earlier send of it landing would also explain. */
    private static final Set<ErrorCode> RESEND_REFUSALS =
            EnumSet.of(ErrorCode.PRECONDITION_FAILED, ErrorCode.ALREADY_EXISTS, ErrorCode.CONFLICT);

    private final Observing observing;
    private final boolean uniqueEtags;
    private final boolean tagsWrites;
    private final ReadConsistency strongest;

    /**
     * An engine for one store.
     *
     * @param observing where settlements are reported
     * @param uniqueEtags whether the store gives every write a new ETag
     * @param tagsWrites whether writes can carry the library's bookkeeping metadata
     * @param strongest the strongest read consistency the store has (settlement reads use it)
     */
    public WriteEngine(Observing observing, boolean uniqueEtags, boolean tagsWrites, ReadConsistency strongest) {
        this.observing = observing;
        this.uniqueEtags = uniqueEtags;
        this.tagsWrites = tagsWrites;
        this.strongest = strongest;
    }

    /**
     * Whether the store gives every write a new ETag (decides which evidence counts).
     *
     * @return true for unique ETags
     */
    public boolean uniqueEtags() {
        return uniqueEtags;
    }

    /**
     * Whether writes carry the library's bookkeeping.
     *
     * @return true where the store keeps user metadata
     */
    public boolean tagsWrites() {
        return tagsWrites;
    }

    /**
     * The consistency settlement and read-modify-write reads use.
     *
     * @return the strongest read consistency of the store
     */
    public ReadConsistency strongest() {
        return strongest;
    }

    // ---------------------------------------------------------------- preparing a put

    /**
     * Gives a put its write id and bookkeeping. A compare-and-swap on a weak ETag is refused here
     * (If-Match compares strongly, RFC 9110 8.8.3: it never matches, whether or not the key exists).
     *
     * @param key the key
     * @param options the caller's options
     * @return the prepared put
     * @throws PreconditionFailedException for If-Match on a weak ETag
     */
    public PreparedPut prepare(String key, PutOptions options) {
        if (options.mode().kind() == PutMode.Kind.UPDATE && options.mode().expected().orElseThrow().etag().isWeak()) {
            throw new PreconditionFailedException(key, "If-Match with a weak ETag never matches", null);
        }
        String writeId = WriteTag.newWriteId();
        Settlement.SentWrite sent = options.mode().kind() == PutMode.Kind.UPDATE
                ? Settlement.SentWrite.onBase(writeId, options.mode().expected().orElseThrow())
                : Settlement.SentWrite.unconditioned(writeId);
        return new PreparedPut(sent, tagged(options, sent, null));
    }

    /**
     * Prepares a write of a read-modify-write loop: conditioned on the version read (create-if-absent
     * when there was none), carrying a fresh write id and the history of the version it replaces.
     *
     * @param base the raw object read (bookkeeping included), or null if absent
     * @param options the put's options without mode (content type, metadata, lease)
     * @return the prepared put
     */
    public PreparedPut prepareOn(GetResponse base, PutOptions options) {
        String writeId = WriteTag.newWriteId();
        if (base == null) {
            Settlement.SentWrite sent = Settlement.SentWrite.unconditioned(writeId);
            return new PreparedPut(sent, tagged(options.toBuilder().mode(PutMode.create()).build(), sent, null));
        }
        WriteTag baseTag = WriteTag.of(base.info().userMetadata());
        Settlement.SentWrite sent = Settlement.SentWrite.onBase(writeId, base.info().version().etag(), baseTag.writeId());
        return new PreparedPut(sent, tagged(options.toBuilder().mode(PutMode.update(base.info().version())).build(),
                sent, baseTag));
    }

    /** Adds the write id and what is known of the replaced version's history. */
    private PutOptions tagged(PutOptions options, Settlement.SentWrite sent, WriteTag baseTag) {
        if (!tagsWrites) {
            return options;
        }
        PutOptions.Builder b = options.toBuilder().metadata(WriteTag.WRITE_ID, sent.writeId);
        if (options.mode().kind() == PutMode.Kind.CREATE) {
            b.metadata(WriteTag.HISTORY, WriteTag.CREATED);
        } else if (sent.baseToken != null) {
            b.metadata(WriteTag.HISTORY, WriteTag.historyAfter(sent.baseToken,
                    baseTag == null ? java.util.List.of() : baseTag.history()));
        }
        return b.build();
    }

    // ---------------------------------------------------------------- puts

    /**
     * Sends a prepared put and settles it: the attempts of one write (a single put, or a staged
     * upload's commit), every one carrying the same write id.
     *
     * @param io how to reach the store
     * @param key the key
     * @param size the bytes written (for results found by settlement)
     * @param prepared the put with its write id
     * @param guard turns the tagged options into the options sent; runs before every send (a lease
     *     guard refuses there, e.g. when the lease passed to someone else)
     * @param sender sends one attempt with the options given
     * @param attempts the retry budget for failures that prove nothing was applied
     * @param operation the operation reported to observers
     * @return the outcome; fails with the refusal, {@link TransientException} once the budget is spent
     *     on failures that did not apply the write, or {@link OutcomeUnknownException}
     */
    public CompletableFuture<WriteOutcome> put(StoreIo io, String key, long size, PreparedPut prepared,
                                               Function<PutOptions, CompletableFuture<PutOptions>> guard,
                                               Function<PutOptions, CompletableFuture<PutResponse>> sender,
                                               Attempts attempts, StoreObserver.Operation operation) {
        boolean[] maybeLanded = {false};
        Settlement.SentWrite sent = prepared.sent;
        return Futures.loop(() -> {
            attempts.starting();
            CompletableFuture<WriteOutcome> once = Futures.attempt(() -> guard.apply(prepared.tagged))
                    .thenCompose(sender)
                    .thenCompose(ack -> acknowledged(io, key, size, sent, ack));
            return Futures.recover(once.thenApply(Turn::done), failure -> {
                if (!(failure instanceof ObjectStoreException)) {
                    return Futures.failed(failure);
                }
                ObjectStoreException e = (ObjectStoreException) failure;
                if (e.code() == ErrorCode.OUTCOME_UNKNOWN) {
                    maybeLanded[0] = true;
                    return settlePut(io, key, size, sent, e, operation).thenCompose(found -> found != null
                            ? CompletableFuture.completedFuture(Turn.done(found))
                            : retryOrFail(io, attempts, notApplied(key, e)));
                }
                if (maybeLanded[0] && RESEND_REFUSALS.contains(e.code())) {
                    return refusedResend(io, key, size, sent, e, operation).thenApply(Turn::done);
                }
                return retryOrFail(io, attempts, e);
            });
        }).whenComplete((outcome, failure) -> {
            if (failure == null) {
                attempts.succeeded();
            }
        });
    }

    /** A driver's acknowledgement as an outcome; one that named no version is resolved by the write id. */
    private CompletableFuture<WriteOutcome> acknowledged(StoreIo io, String key, long size,
                                                         Settlement.SentWrite sent, PutResponse ack) {
        if (ack.version().isPresent()) {
            return CompletableFuture.completedFuture(WriteOutcome.current(sent.writeId, ack.version().get(), ack.size(),
                    ack.lastModified().orElse(null)));
        }
        // Credit the current version only if it carries this write's id, never someone else's.
        return readBack(io, key).handle((current, failure) -> {
            if (failure == null && current != null
                    && sent.writeId.equals(WriteTag.writeIdOf(current.info().userMetadata()))) {
                return landedAs(current, sent.writeId);
            }
            return WriteOutcome.superseded(sent.writeId, size);
        });
    }

    /** Settles an unknown put: the outcome if found, null if proven not landed; fails if unknown. */
    private CompletableFuture<WriteOutcome> settlePut(StoreIo io, String key, long size, Settlement.SentWrite sent,
                                                      ObjectStoreException unknown, StoreObserver.Operation operation) {
        return settlementRead(io, key, operation, unknown, sent.writeId).thenApply(current -> {
            Settlement.Verdict verdict = Settlement.ofPut(sent, current, uniqueEtags);
            observing.settled(operation, key, verdict);
            switch (verdict) {
                case LANDED:
                case SUPERSEDED:
                    return found(key, size, sent, verdict, current);
                case NOT_LANDED:
                    return null;
                default:
                    throw new OutcomeUnknownException(key, "the write's outcome is unknown and reading back could"
                            + " neither find it nor rule it out (see the error model); it was not sent again",
                            unknown, sent.writeId, null);
            }
        });
    }

    /** A refusal of a re-send: ours if the write id is found (the earlier send landed late), else the refusal. */
    private CompletableFuture<WriteOutcome> refusedResend(StoreIo io, String key, long size, Settlement.SentWrite sent,
                                                          ObjectStoreException refused, StoreObserver.Operation operation) {
        return readBack(io, key).handle((current, readFailed) -> {
            if (readFailed != null) {
                refused.addSuppressed(Futures.unwrap(readFailed));
                throw new OutcomeUnknownException(key, "a re-sent write was refused (" + refused.code() + ") and"
                        + " reading back to see whether its earlier send landed failed; it was not sent again",
                        refused, sent.writeId, null);
            }
            Settlement.Current now = Settlement.Current.of(current == null ? null : current.info());
            if (!now.absent()) {
                Settlement.Verdict verdict = Settlement.ofPut(sent, now, uniqueEtags);
                if (verdict == Settlement.Verdict.LANDED || verdict == Settlement.Verdict.SUPERSEDED) {
                    observing.settled(operation, key, verdict);
                    return found(key, size, sent, verdict, now);
                }
            }
            throw refused;
        });
    }

    private static WriteOutcome found(String key, long size, Settlement.SentWrite sent, Settlement.Verdict verdict,
                                      Settlement.Current current) {
        return verdict == Settlement.Verdict.LANDED
                ? WriteOutcome.current(sent.writeId, current.info.version(), current.info.size(),
                        current.info.lastModified())
                : WriteOutcome.superseded(sent.writeId, size);
    }

    private static WriteOutcome landedAs(GetResponse current, String writeId) {
        return WriteOutcome.current(writeId, current.info().version(), current.info().size(), current.info().lastModified());
    }

    private static TransientException notApplied(String key, ObjectStoreException unknown) {
        return new TransientException(ErrorCode.TRANSIENT, key, "the write's outcome was unknown and reading back"
                + " proved it was not applied; safe to send again", unknown);
    }

    // ---------------------------------------------------------------- deletes

    /**
     * Sends a delete and settles it. A delete leaves nothing to find, so an unknown outcome is only
     * ever proven not applied (If-Match on a base that is still current); an unconditional delete's
     * unknown outcome stays unknown, and so does a re-send that finds the object gone or changed
     * after an earlier send's outcome was unknown (the earlier send may have done it).
     *
     * @param io how to reach the store
     * @param key the key
     * @param options the caller's options (validated)
     * @param guard turns the options into the options sent; runs before every send
     * @param attempts the retry budget
     * @return completes when deleted; fails with the refusal, {@link TransientException} or
     *     {@link OutcomeUnknownException}
     */
    public CompletableFuture<Void> delete(StoreIo io, String key, DeleteOptions options,
                                          Function<DeleteOptions, CompletableFuture<DeleteOptions>> guard,
                                          Attempts attempts) {
        return delete(io, key, options, false, guard, attempts).thenApply(deleted -> null);
    }

    /**
     * Sends a delete and settles it, as {@link #delete(StoreIo, String, DeleteOptions, Function, Attempts)};
     * with {@code ifPresent}, "absent" is an answer instead of a failure: the store's own not-found on
     * the first send is false, and after an unknown outcome one read decides — absent is true (this
     * call may have deleted it, and the goal, absent, holds; reported to observers as landed), present
     * is {@link OutcomeUnknownException} unless the read proves a conditional delete did not land
     * (then it is sent again). A delete is never re-sent on a guess.
     *
     * @param io how to reach the store
     * @param key the key
     * @param options the caller's options (validated)
     * @param ifPresent true to answer "absent" with false rather than {@link ObjectNotFoundException}
     * @param guard turns the options into the options sent; runs before every send
     * @param attempts the retry budget
     * @return true if deleted (or, after an unknown outcome, found absent), false if the store said the
     *     object did not exist (only with {@code ifPresent}); fails with the refusal,
     *     {@link TransientException} or {@link OutcomeUnknownException}
     */
    public CompletableFuture<Boolean> delete(StoreIo io, String key, DeleteOptions options, boolean ifPresent,
                                             Function<DeleteOptions, CompletableFuture<DeleteOptions>> guard,
                                             Attempts attempts) {
        if (weak(options.ifMatch())) {
            CompletableFuture<Boolean> refused = refuseWeakIfMatch(io, key);
            return ifPresent ? Futures.recover(refused, failure -> keyAbsent(failure)
                    ? CompletableFuture.completedFuture(false) : Futures.failed(failure)) : refused;
        }
        Settlement.SentWrite sent = options.ifMatchVersion().map(Settlement.SentWrite::deleteOf).orElse(null);
        boolean[] maybeLanded = {false};
        return Futures.loop(() -> {
            attempts.starting();
            CompletableFuture<Void> once = Futures.attempt(() -> guard.apply(options))
                    .thenCompose(sendable -> io.delete(key, sendable));
            return Futures.recover(once.thenApply(v -> Turn.done(true)), failure -> {
                if (!(failure instanceof ObjectStoreException)) {
                    return Futures.failed(failure);
                }
                ObjectStoreException e = (ObjectStoreException) failure;
                if (e.code() == ErrorCode.OUTCOME_UNKNOWN) {
                    maybeLanded[0] = true;
                    if (sent == null && !ifPresent) {
                        // An unconditional delete leaves nothing to recognise: gone may be this delete or another.
                        observing.settled(StoreObserver.Operation.DELETE, key, StoreObserver.Verdict.UNKNOWN);
                        return Futures.failed(e);
                    }
                    return settlementRead(io, key, StoreObserver.Operation.DELETE, e, null).thenCompose(current -> {
                        if (ifPresent && current.absent()) {
                            // Gone: perhaps this delete, perhaps another; either way what the caller asked for holds.
                            observing.settled(StoreObserver.Operation.DELETE, key, StoreObserver.Verdict.LANDED);
                            return CompletableFuture.completedFuture(Turn.done(true));
                        }
                        Settlement.Verdict verdict = sent == null ? Settlement.Verdict.UNKNOWN
                                : Settlement.ofDelete(sent, current, uniqueEtags);
                        observing.settled(StoreObserver.Operation.DELETE, key, verdict);
                        if (verdict == Settlement.Verdict.NOT_LANDED) {
                            return retryOrFail(io, attempts, new TransientException(ErrorCode.TRANSIENT, key,
                                    "the delete's outcome was unknown and reading back proved it was not applied;"
                                            + " safe to send again", e));
                        }
                        return Futures.failed(ifPresent ? new OutcomeUnknownException(key, "the delete's outcome is"
                                + " unknown and the object is still there (not deleted, or written again since);"
                                + " it was not sent again", e) : e);
                    });
                }
                if (maybeLanded[0] && (e.code() == ErrorCode.NOT_FOUND || e.code() == ErrorCode.PRECONDITION_FAILED)) {
                    if (ifPresent && keyAbsent(e)) {
                        return CompletableFuture.completedFuture(Turn.done(true)); // the earlier send may have done it
                    }
                    return Futures.failed(new OutcomeUnknownException(key, "a delete re-sent after an unknown outcome"
                            + " found the object " + (e.code() == ErrorCode.NOT_FOUND ? "gone" : "changed")
                            + ": the earlier send may have deleted it", e));
                }
                if (ifPresent && keyAbsent(e)) {
                    return CompletableFuture.completedFuture(Turn.done(false));
                }
                return retryOrFail(io, attempts, e);
            });
        }).whenComplete((v, failure) -> {
            if (failure == null) {
                attempts.succeeded();
            }
        });
    }

    /**
     * Whether a failure is the store's "not found" for the key: one naming no key says the store
     * itself does not exist (a file store's directory), which is no answer about the key.
     */
    private static boolean keyAbsent(Throwable failure) {
        return failure instanceof ObjectNotFoundException && ((ObjectNotFoundException) failure).key().isPresent();
    }

    // ---------------------------------------------------------------- reads

    /**
     * A read under the retry budget (a read changes nothing, so any failure the budget allows is
     * simply asked again).
     *
     * @param io how to reach the store
     * @param key the key
     * @param options the options as sent
     * @param withContent true for a get
     * @param guard turns the options into the options sent; runs before every send
     * @param attempts the retry budget
     * @return the driver's answer
     */
    public CompletableFuture<GetResponse> read(StoreIo io, String key, GetOptions options, boolean withContent,
                                               Function<GetOptions, CompletableFuture<GetOptions>> guard,
                                               Attempts attempts) {
        if (weak(options.ifMatch())) {
            return refuseWeakIfMatch(io, key);
        }
        return Futures.loop(() -> {
            attempts.starting();
            CompletableFuture<GetResponse> once = Futures.attempt(() -> guard.apply(options))
                    .thenCompose(sendable -> io.get(key, sendable, withContent));
            return Futures.recover(once.thenApply(Turn::done),
                    failure -> retryOrFail(io, attempts, failure));
        }).whenComplete((v, failure) -> {
            if (failure == null) {
                attempts.succeeded();
            }
        });
    }

    /**
     * The current object's metadata with the library's bookkeeping, strongly; null if absent.
     *
     * @param io how to reach the store
     * @param key the key
     * @return the object or null
     */
    public CompletableFuture<GetResponse> readBack(StoreIo io, String key) {
        return Futures.recover(io.get(key, GetOptions.builder().consistency(strongest).build(), false),
                failure -> failure instanceof ObjectNotFoundException ? CompletableFuture.completedFuture(null)
                        : Futures.failed(failure));
    }

    /**
     * A strong read for settlement, repeated (after 10 and 40 ms) while it fails in a way that read
     * nothing; if no read succeeds, the outcome stays unknown.
     */
    private CompletableFuture<Settlement.Current> settlementRead(StoreIo io, String key,
                                                                 StoreObserver.Operation operation,
                                                                 ObjectStoreException unknown, String writeId) {
        int[] read = {0};
        return Futures.loop(() -> {
            read[0]++;
            return Futures.recover(readBack(io, key).thenApply(current ->
                    Turn.done(Settlement.Current.of(current == null ? null : current.info()))), failure -> {
                        unknown.addSuppressed(failure);
                        boolean retryable = failure instanceof ObjectStoreException && ((ObjectStoreException) failure).retryable();
                        if (!retryable || read[0] == SETTLEMENT_READS) {
                            observing.settled(operation, key, StoreObserver.Verdict.UNKNOWN);
                            return Futures.failed(new OutcomeUnknownException(key, "the write's outcome is unknown and"
                                    + " reading back failed (" + codeOf(failure) + ", " + read[0] + " reads); it was not"
                                    + " sent again", unknown, writeId, null));
                        }
                        return io.pauses().after(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(10L << (2 * (read[0] - 1))))
                                .handle((v, interrupted) -> {
                                    if (interrupted != null) {
                                        observing.settled(operation, key, StoreObserver.Verdict.UNKNOWN);
                                        throw new OutcomeUnknownException(key, "the write's outcome is unknown;"
                                                + " interrupted while reading back; it was not sent again", unknown,
                                                writeId, null);
                                    }
                                    return Turn.again();
                                });
                    });
        });
    }

    private static String codeOf(Throwable t) {
        return t instanceof ObjectStoreException ? ((ObjectStoreException) t).code().name() : t.getClass().getSimpleName();
    }

    // ---------------------------------------------------------------- retrying

    /**
     * After a failure that applied nothing: waits as the budget says and goes round again, or fails
     * with it (also when the wait is interrupted).
     *
     * @param io for the pause
     * @param attempts the budget
     * @param failure the attempt's failure
     * @param <T> the loop's value type
     * @return again after the wait, or the failure
     */
    public static <T> CompletableFuture<Turn<T>> retryOrFail(StoreIo io, Attempts attempts, Throwable failure) {
        long wait = attempts.afterFailure(failure);
        if (wait < 0) {
            return Futures.failed(failure);
        }
        return io.pauses().after(wait).handle((v, interrupted) -> {
            if (interrupted != null) {
                throw Futures.sneaky(failure);
            }
            return Turn.again();
        });
    }

    /** A put ready to send: its write as settlement knows it, and the options tagged with its write id. */
    public static final class PreparedPut {
        /** The write as settlement knows it. */
        public final Settlement.SentWrite sent;
        /** The caller's options with the write id and history added. */
        public final PutOptions tagged;

        PreparedPut(Settlement.SentWrite sent, PutOptions tagged) {
            this.sent = sent;
            this.tagged = tagged;
        }

        /**
         * The write id.
         *
         * @return the id
         */
        public String writeId() {
            return sent.writeId;
        }
    }

    /**
     * Refuses a read or delete with If-Match on a weak ETag (it never matches, RFC 9110 8.8.3), after
     * one strong HEAD so that a missing key still answers "not found" first.
     *
     * @param io how to reach the store
     * @param key the key
     * @param <T> the value type
     * @return a future failing with {@link ObjectNotFoundException} or {@link PreconditionFailedException}
     */
    public <T> CompletableFuture<T> refuseWeakIfMatch(StoreIo io, String key) {
        return io.get(key, GetOptions.builder().consistency(strongest).build(), false).thenApply(found -> {
            throw new PreconditionFailedException(key, "If-Match with a weak ETag never matches", null);
        });
    }

    /**
     * Whether a read's or delete's If-Match is on a weak ETag, which never matches: such a request is
     * answered by {@link #refuseWeakIfMatch} instead of being sent (the one home of this rule; puts apply it
     * in {@link #prepare}).
     *
     * @param ifMatch the request's If-Match
     * @return true if it can only be refused
     */
    public static boolean weak(java.util.Optional<io.leasehold.core.ETag> ifMatch) {
        return ifMatch.filter(io.leasehold.core.ETag::isWeak).isPresent();
    }

    /**
     * Whether an interrupt ended a wait (protocols then stop and report what they know).
     *
     * @param t a failure
     * @return true for an interrupted wait
     */
    public static boolean interrupted(Throwable t) {
        return Futures.unwrap(t) instanceof Pauses.InterruptedWait;
    }
}
