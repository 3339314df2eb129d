package io.leasehold.core.internal.update;

import io.leasehold.core.ErrorCode;
import io.leasehold.core.GetOptions;
import io.leasehold.core.ObjectNotFoundException;
import io.leasehold.core.ObjectStoreException;
import io.leasehold.core.OutcomeUnknownException;
import io.leasehold.core.PutOptions;
import io.leasehold.core.StoreObserver;
import io.leasehold.core.internal.Attempts;
import io.leasehold.core.internal.Futures;
import io.leasehold.core.internal.Futures.Turn;
import io.leasehold.core.internal.Observing;
import io.leasehold.core.internal.io.StoreIo;
import io.leasehold.core.internal.write.Settlement;
import io.leasehold.core.internal.write.WriteEngine;
import io.leasehold.core.internal.write.WriteOutcome;
import io.leasehold.core.internal.write.WriteTag;
import io.leasehold.spi.GetResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * One read-modify-write: read the object (strongly), let a {@link Transition} decide, write the
 * result conditioned on the version read (create-if-absent when there was none), and on a lost race
 * or a failure that applied nothing read again and decide again, under a retry budget. The one
 * implementation of the protocol: {@code ObjectStore.update}, coalesced batches, lease records and
 * fencing counters all run it.
 *
 * <h2>Every write stays a candidate</h2>
 * Each write carries a fresh write id. Every read of the loop (the first read of each attempt, and
 * the read right after an unknown outcome) is checked against <em>every</em> write the loop sent
 * ({@link Settlement}): one found there is the result, and the transition is not applied again — a
 * write refused by an intermediary after it landed is caught this way too. A write whose outcome is
 * unknown blocks the next decision until a read proves it did not land; if a read can neither find
 * it nor rule it out, the loop ends with {@link OutcomeUnknownException} carrying its write id.
 *
 * <p>Thread-safety: one loop is run by one chain of futures at a time (on the blocking API, the
 * calling thread); not safe for concurrent use.
 *
 * @param <R> the transition's result type
 */
public final class UpdateLoop<R> {

    /** Hooks for the loop's progress (listeners, observation, lease record timing). */
    public interface Progress {
        /**
         * A write is about to be sent.
         *
         * @param attempt the attempt, from 1
         * @param writeId its write id
         */
        default void writeSent(int attempt, String writeId) {
        }

        /**
         * An attempt lost a race or failed in a way that is retried after re-reading.
         *
         * @param attempt the attempt
         * @param cause the failure
         */
        default void conflict(int attempt, ObjectStoreException cause) {
        }

        /**
         * A write whose answer was lost or misleading was found in the store.
         *
         * @param attempt the attempt in which it was found
         */
        default void ambiguousResolved(int attempt) {
        }

        /**
         * A read of the loop came back.
         *
         * @param current the object, or null if absent
         * @param receivedNanos {@link System#nanoTime()} when it came back
         */
        default void read(GetResponse current, long receivedNanos) {
        }
    }

    /** A loop's outcome. Thread-safety: immutable. */
    public static final class Outcome<R> {
        /** The transition's result of the decision that landed (or was kept). */
        public final R result;
        /** The write that landed, or null when the decision wrote nothing. */
        public final WriteOutcome write;
        /** The bytes of the write that landed, or null. */
        public final byte[] content;
        /** Whether the write that landed created the object. */
        public final boolean created;
        /** Attempts made. */
        public final int attempts;
        /** Attempts that lost a race or failed and were retried. */
        public final int conflicts;
        /**
         * The options the write that landed was sent with (its write id and history included), or
         * null when the decision wrote nothing: what the version now in the store carries, for a
         * caller that starts its next loop from it ({@link Builder#startingFrom}).
         */
        public final PutOptions sent;
        /** When the decision wrote nothing: the object it was made on (null if absent); else null. */
        public final GetResponse read;

        Outcome(R result, WriteOutcome write, byte[] content, boolean created, int attempts, int conflicts) {
            this(result, write, content, created, attempts, conflicts, null, null);
        }

        Outcome(R result, WriteOutcome write, byte[] content, boolean created, int attempts, int conflicts,
                PutOptions sent, GetResponse read) {
            this.result = result;
            this.write = write;
            this.content = content;
            this.created = created;
            this.attempts = attempts;
            this.conflicts = conflicts;
            this.sent = sent;
            this.read = read;
        }
    }

    private final WriteEngine engine;
    private final StoreIo io;
    private final String key;
    private final Transition<R> transition;
    private final PutOptions writeOptions;
    private final GetOptions readOptions;
    private final Function<GetOptions, CompletableFuture<GetOptions>> readGuard;
    private final Function<PutOptions, CompletableFuture<PutOptions>> writeGuard;
    private final Function<GetResponse, GetResponse> readCheck;
    /** Whether an ETag identifies exactly one version of this key (unique ETags, or unique bytes per write). */
    private final boolean uniqueEtags;
    private final Attempts budget;
    private final Progress progress;
    private final Observing observing;
    private final StoreObserver.Operation operation;

    /** Every write this loop sent, by write id: any of them found in the store is the result. */
    private final Map<String, Candidate<R>> sent = new LinkedHashMap<>();
    /** Sent writes whose outcome is unknown and not yet settled. */
    private final List<Candidate<R>> pending = new ArrayList<>();
    private OutcomeUnknownException unresolved;
    private GetResponse held;
    private int attempts;
    private int conflicts;
    private Throwable lastFailure;

    private UpdateLoop(Builder<R> b) {
        this.engine = b.engine;
        this.io = b.io;
        this.key = b.key;
        this.transition = b.transition;
        this.writeOptions = b.writeOptions;
        this.readOptions = b.readOptions;
        this.readGuard = b.readGuard;
        this.writeGuard = b.writeGuard;
        this.readCheck = b.readCheck;
        this.uniqueEtags = engine.uniqueEtags() || b.uniqueContent;
        this.budget = b.budget;
        this.progress = b.progress;
        this.observing = b.observing;
        this.operation = b.operation;
        this.held = b.held;
    }

    /**
     * Starts building a loop.
     *
     * @param engine the write engine
     * @param io how to reach the store
     * @param key the key
     * @param transition what to write
     * @param <R> the result type
     * @return the builder
     */
    public static <R> Builder<R> builder(WriteEngine engine, StoreIo io, String key, Transition<R> transition) {
        return new Builder<>(engine, io, key, transition);
    }

    /**
     * How many attempts the loop has made so far.
     *
     * @return the attempts
     */
    public int attempts() {
        return attempts;
    }

    /**
     * Runs the loop.
     *
     * @return the outcome; fails with the transition's exception, the last failure once the budget
     *     is spent, or {@link OutcomeUnknownException} when a write may have landed and cannot be
     *     settled
     */
    public CompletableFuture<Outcome<R>> run() {
        return Futures.recover(Futures.loop(this::attempt), failure -> Futures.failed(gaveUp(failure)))
                .whenComplete((outcome, failure) -> {
                    if (failure == null) {
                        budget.succeeded();
                    }
                });
    }

    /** What the loop ends with when it ends without a result. */
    private Throwable gaveUp(Throwable failure) {
        if (failure instanceof Unresolved) {
            return ((Unresolved) failure).outcome;
        }
        if (failure instanceof OutcomeUnknownException) {
            return failure;
        }
        if (!pending.isEmpty()) {
            // The loop ended (the budget, an interrupt, a failing read) while a write's outcome was still
            // open: the change may be in the store, so the caller must not be told it is safe to resend.
            Candidate<R> last = pending.get(pending.size() - 1);
            OutcomeUnknownException unknown = new OutcomeUnknownException(key, "the retries ended before a write whose"
                    + " outcome is unknown could be settled", last.failure, last.prepared.writeId(), null);
            if (failure != last.failure) {
                unknown.addSuppressed(failure);
            }
            return unknown;
        }
        return failure;
    }

    private CompletableFuture<Turn<Outcome<R>>> attempt() {
        if (unresolved != null) {
            return Futures.failed(new Unresolved(unresolved));
        }
        int attempt = ++attempts;
        budget.starting();
        GetResponse start = held;
        held = null; // only the first attempt may skip the read: after a failure the caller's copy is stale
        CompletableFuture<GetResponse> read = start != null ? CompletableFuture.completedFuture(start) : read();
        Candidate<R>[] writing = newCandidateSlot();
        CompletableFuture<Turn<Outcome<R>>> once = read.thenCompose(current -> decideOn(current, attempt, writing,
                start != null));
        return Futures.recover(once, failure -> afterFailure(failure, writing[0], attempt));
    }

    /**
     * Settles, decides on {@code current} and writes the decision. A decision to write nothing made on
     * the caller's held copy is not trusted: the copy may be stale, so the object is read and the
     * transition decides again on what the store holds.
     */
    private CompletableFuture<Turn<Outcome<R>>> decideOn(GetResponse current, int attempt, Candidate<R>[] writing,
                                                        boolean heldCopy) {
        Outcome<R> landed = settle(current, attempt);
        if (landed != null) {
            return CompletableFuture.completedFuture(Turn.done(landed));
        }
        Transition.Decision<R> decision;
        try {
            decision = transition.decide(current);
        } catch (Throwable t) {
            return Futures.failed(new FromTransition(t));
        }
        if (decision == null) {
            return Futures.failed(new FromTransition(new NullPointerException("a transition decided nothing")));
        }
        if (!decision.writes()) {
            if (heldCopy) {
                return read().thenCompose(fresh -> decideOn(fresh, attempt, writing, false));
            }
            return CompletableFuture.completedFuture(Turn.done(new Outcome<>(decision.result(), null, null, false,
                    attempt, conflicts, null, current)));
        }
        WriteEngine.PreparedPut prepared = engine.prepareOn(current, writeOptions);
        Candidate<R> candidate = new Candidate<>(prepared, decision, current == null);
        writing[0] = candidate;
        sent.put(prepared.writeId(), candidate);
        progress.writeSent(attempt, prepared.writeId());
        return Futures.attempt(() -> writeGuard.apply(prepared.tagged))
                .thenCompose(options -> io.put(key, decision.content(), options))
                .thenCompose(ack -> acknowledged(candidate, ack))
                .thenApply(write -> Turn.done(new Outcome<>(decision.result(), write, decision.content(),
                        candidate.create, attempt, conflicts, prepared.tagged, null)));
    }

    @SuppressWarnings("unchecked")
    private Candidate<R>[] newCandidateSlot() {
        return (Candidate<R>[]) new Candidate<?>[1];
    }

    private CompletableFuture<Turn<Outcome<R>>> afterFailure(Throwable failure, Candidate<R> write, int attempt) {
        if (failure instanceof FromTransition) {
            return Futures.failed(failure.getCause());
        }
        if (!(failure instanceof ObjectStoreException)) {
            return Futures.failed(failure);
        }
        ObjectStoreException e = (ObjectStoreException) failure;
        lastFailure = e;
        CompletableFuture<Outcome<R>> settledNow = CompletableFuture.completedFuture(null);
        if (write != null && e.code() == ErrorCode.OUTCOME_UNKNOWN) {
            write.failure = e;
            pending.add(write);
            // Settle at once: the fewer writes that follow it, the likelier the evidence is there.
            settledNow = Futures.recover(read().thenApply(current -> settle(current, attempt)), readFailed -> {
                if (readFailed instanceof Unresolved) {
                    return Futures.failed(readFailed);
                }
                return CompletableFuture.completedFuture(null); // the next attempt reads again
            });
        }
        return settledNow.thenCompose(landed -> {
            if (landed != null) {
                return CompletableFuture.completedFuture(Turn.done(landed));
            }
            boolean retried = isRetriedAfterReread(e);
            if (retried) {
                conflicts++;
                progress.conflict(attempt, e);
            }
            return WriteEngine.<Outcome<R>>retryOrFail(io, budget, e);
        });
    }

    /** Lost races, failures that applied nothing, and unknown outcomes (settled by the next read). */
    static boolean isRetriedAfterReread(ObjectStoreException e) {
        return e.retryable() || e.code() == ErrorCode.PRECONDITION_FAILED || e.code() == ErrorCode.ALREADY_EXISTS
                || e.code() == ErrorCode.OUTCOME_UNKNOWN;
    }

    private CompletableFuture<WriteOutcome> acknowledged(Candidate<R> candidate, io.leasehold.spi.PutResponse ack) {
        if (ack.version().isPresent()) {
            return CompletableFuture.completedFuture(WriteOutcome.current(candidate.prepared.writeId(), ack.version().get(),
                    ack.size(), ack.lastModified().orElse(null)));
        }
        return engine.readBack(io, key).handle((current, failure) -> {
            if (failure == null && current != null
                    && candidate.prepared.writeId().equals(WriteTag.writeIdOf(current.info().userMetadata()))) {
                return WriteOutcome.current(candidate.prepared.writeId(), current.info().version(), current.info().size(),
                        current.info().lastModified());
            }
            return WriteOutcome.superseded(candidate.prepared.writeId(), candidate.decision.content().length);
        });
    }

    /** The current object with its raw metadata (bookkeeping included), or null if absent. */
    private CompletableFuture<GetResponse> read() {
        return Futures.attempt(() -> readGuard.apply(readOptions))
                .thenCompose(options -> io.get(key, options, true))
                .handle((current, failure) -> {
                    if (failure != null) {
                        Throwable f = Futures.unwrap(failure);
                        if (f instanceof ObjectNotFoundException) {
                            progress.read(null, System.nanoTime());
                            return null;
                        }
                        throw Futures.sneaky(f);
                    }
                    progress.read(current, System.nanoTime());
                    return readCheck.apply(current);
                });
    }

    /**
     * Looks for this loop's writes in the current object: returns the outcome if one landed; clears
     * pending writes proven absent; throws {@link Unresolved} if one can be neither found nor ruled out.
     */
    private Outcome<R> settle(GetResponse current, int attempt) {
        Settlement.Current now = Settlement.Current.of(current == null ? null : current.info());
        if (!now.absent()) {
            for (Candidate<R> write : sent.values()) {
                Settlement.Verdict verdict = Settlement.ofPut(write.prepared.sent, now, uniqueEtags);
                if (verdict == Settlement.Verdict.LANDED || verdict == Settlement.Verdict.SUPERSEDED) {
                    observing.settled(operation, key, verdict);
                    // A write of ours landed although its answer was lost or said otherwise: do not
                    // decide again.
                    pending.clear();
                    progress.ambiguousResolved(attempt);
                    WriteOutcome found = verdict == Settlement.Verdict.LANDED
                            ? WriteOutcome.current(write.prepared.writeId(), now.info.version(), now.info.size(),
                                    now.info.lastModified())
                            : WriteOutcome.superseded(write.prepared.writeId(), write.decision.content().length);
                    return new Outcome<>(write.decision.result(), found, write.decision.content(), write.create,
                            attempt, conflicts, write.prepared.tagged, null);
                }
            }
        }
        for (Candidate<R> write : pending) {
            Settlement.Verdict verdict = Settlement.ofPut(write.prepared.sent, now, uniqueEtags);
            if (!write.reported) {
                observing.settled(operation, key, verdict);
                write.reported = true;
            }
            if (verdict != Settlement.Verdict.NOT_LANDED) {
                unresolved = new OutcomeUnknownException(key, "a write whose answer was lost may have landed; the object"
                        + " has changed since and holds no evidence either way (see the error model), so the change is"
                        + " not applied again", write.failure, write.prepared.writeId(), null);
                throw new Unresolved(unresolved);
            }
        }
        // A write whose base is still current has not landed yet, but the store may still apply it (a
        // request the client gave up on): it stays a suspect, checked against every later read, until
        // a read shows its base replaced by another write. Otherwise its id could leave the history
        // before that read and the change be applied twice.
        pending.removeIf(write -> !Settlement.baseStillCurrent(write.prepared.sent, now, uniqueEtags));
        return null;
    }

    /** A write this loop sent. */
    private static final class Candidate<R> {
        final WriteEngine.PreparedPut prepared;
        final Transition.Decision<R> decision;
        final boolean create;
        /** Why its outcome is unknown, once it is. */
        ObjectStoreException failure;
        /** Whether its first verdict went to the observer (later checks of a suspect are not new verdicts). */
        boolean reported;

        Candidate(WriteEngine.PreparedPut prepared, Transition.Decision<R> decision, boolean create) {
            this.prepared = prepared;
            this.decision = decision;
            this.create = create;
        }
    }

    /** Internal signal: an ambiguous write can neither be found nor ruled out; ends the loop. */
    private static final class Unresolved extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient OutcomeUnknownException outcome;

        Unresolved(OutcomeUnknownException outcome) {
            super(null, null, false, false);
            this.outcome = outcome;
        }
    }

    /** Internal signal: the transition threw; its exception ends the loop as it is. */
    private static final class FromTransition extends RuntimeException {
        private static final long serialVersionUID = 1L;

        FromTransition(Throwable cause) {
            super(null, cause, false, false);
        }
    }

    /**
     * Builds a loop. Thread-safety: not thread-safe.
     *
     * @param <R> the result type
     */
    public static final class Builder<R> {
        private final WriteEngine engine;
        private final StoreIo io;
        private final String key;
        private final Transition<R> transition;
        private PutOptions writeOptions = PutOptions.defaults();
        private GetOptions readOptions;
        private Function<GetOptions, CompletableFuture<GetOptions>> readGuard = CompletableFuture::completedFuture;
        private Function<PutOptions, CompletableFuture<PutOptions>> writeGuard = CompletableFuture::completedFuture;
        private Function<GetResponse, GetResponse> readCheck = Function.identity();
        private boolean uniqueContent;
        private Attempts budget = Attempts.none();
        private Progress progress = new Progress() { };
        private Observing observing;
        private StoreObserver.Operation operation = StoreObserver.Operation.UPDATE;
        private GetResponse held;

        Builder(WriteEngine engine, StoreIo io, String key, Transition<R> transition) {
            this.engine = engine;
            this.io = io;
            this.key = key;
            this.transition = transition;
            this.readOptions = GetOptions.builder().consistency(engine.strongest()).build();
        }

        /**
         * The options every write goes out with (content type, user metadata, lease id); the loop adds
         * the mode, the write id and the history.
         *
         * @param options the options
         * @return this builder
         */
        public Builder<R> writeOptions(PutOptions options) {
            this.writeOptions = options;
            return this;
        }

        /**
         * The options every read goes out with (a lease id for guarded reads); default a strong read.
         *
         * @param options the options
         * @return this builder
         */
        public Builder<R> readOptions(GetOptions options) {
            this.readOptions = options;
            return this;
        }

        /**
         * The guards applied to every read and write before sending (lease guards).
         *
         * @param read the read guard
         * @param write the write guard
         * @return this builder
         */
        public Builder<R> guards(Function<GetOptions, CompletableFuture<GetOptions>> read,
                                 Function<PutOptions, CompletableFuture<PutOptions>> write) {
            this.readGuard = read;
            this.writeGuard = write;
            return this;
        }

        /**
         * A check of every object the loop reads (not of settlement reads) before the transition sees
         * it: it returns the object, or throws to end the loop with that failure (a lease guard
         * refusing a version written by a stale lease holder).
         *
         * @param check the check; it must not block
         * @return this builder
         */
        public Builder<R> readCheck(Function<GetResponse, GetResponse> check) {
            this.readCheck = check;
            return this;
        }

        /**
         * Declares that every write of this key has bytes no other write has (a random nonce in the
         * content, as lease records and fencing counters carry): then, also where ETags are content
         * hashes, an ETag identifies exactly one version and settlement may take it as evidence.
         *
         * @return this builder
         */
        public Builder<R> everyVersionUnique() {
            this.uniqueContent = true;
            return this;
        }

        /**
         * The retry budget.
         *
         * @param budget the budget
         * @return this builder
         */
        public Builder<R> budget(Attempts budget) {
            this.budget = budget;
            return this;
        }

        /**
         * Progress hooks.
         *
         * @param progress the hooks
         * @return this builder
         */
        public Builder<R> progress(Progress progress) {
            this.progress = progress;
            return this;
        }

        /**
         * Where settlements are reported, and as which operation.
         *
         * @param observing the observation
         * @param operation the operation
         * @return this builder
         */
        public Builder<R> observed(Observing observing, StoreObserver.Operation operation) {
            this.observing = observing;
            this.operation = operation;
            return this;
        }

        /**
         * A version the caller holds, used instead of the first read.
         *
         * @param held the raw object (bookkeeping included), or null
         * @return this builder
         */
        public Builder<R> startingFrom(GetResponse held) {
            this.held = held;
            return this;
        }

        /**
         * Builds the loop.
         *
         * @return the loop
         */
        public UpdateLoop<R> build() {
            if (observing == null) {
                throw new IllegalStateException("observed(...) is required");
            }
            return new UpdateLoop<>(this);
        }
    }
}
