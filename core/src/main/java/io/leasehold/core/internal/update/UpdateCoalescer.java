package io.leasehold.core.internal.update;

import io.leasehold.core.ErrorCode;
import io.leasehold.core.InvalidArgumentException;
import io.leasehold.core.ObjectStoreException;
import io.leasehold.core.OutcomeUnknownException;
import io.leasehold.core.UpdateFunction;
import io.leasehold.core.UpdateListener;
import io.leasehold.core.UpdateOptions;
import io.leasehold.core.internal.Futures;
import io.leasehold.core.internal.Observing;
import io.leasehold.core.internal.io.Pauses;
import io.leasehold.core.internal.io.StoreIo;
import io.leasehold.core.internal.write.WriteOutcome;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs {@code ObjectStore.update} calls: each alone, or combined with concurrent calls on the same
 * key through the same store. Combined calls share one loop ({@link UpdateLoop}): one read, their
 * functions applied in arrival order (each sees the output of the one before), one conditional
 * write; under contention inside a process this turns N racing compare-and-swaps into one write per
 * round trip, while every caller still gets its own result.
 *
 * <h2>Who runs a batch</h2>
 * A key's calls wait in a <em>lane</em>. The lane's work (starting a batch, the loop's next step
 * after a backoff) is a queue of tasks run by whichever waiting caller's thread is the lane's driver;
 * when that caller's own call is done, or it is interrupted, it hands the lane on in a
 * {@code finally} to the next waiting caller, which carries on exactly where it stopped. So:
 * <ul>
 *   <li>a function or listener that throws anything (an {@link Error}, a checked exception thrown
 *       sneakily) fails only its own caller; a listener's exception changes no outcome at all (it
 *       is logged);</li>
 *   <li>an interrupt affects only the interrupted caller: a call still waiting for its batch is
 *       withdrawn (failed, nothing was sent for it); a call whose output already went into a write
 *       is answered {@link OutcomeUnknownException} (that write may land), and later attempts of
 *       the batch leave it out; the others go on with their full retry budget;</li>
 *   <li>a function runs on the thread of whichever caller drives the lane at that moment — not
 *       necessarily its own caller's thread (ThreadLocal and MDC values of the caller are not
 *       visible; turn coalescing off for such functions);</li>
 *   <li>an {@code update} called from inside an update function (of any key or store) runs alone,
 *       uncoalesced, on the calling thread: nested updates never wait for a lane, so two functions
 *       updating each other's keys cannot deadlock.</li>
 * </ul>
 *
 * <p>Thread-safety: safe for concurrent use; callers block until their call completes.
 */
public final class UpdateCoalescer {
    /** Most calls one batch takes, so one write's function chain stays short. */
    public static final int MAX_BATCH = 256;

    /** How deep the current thread is inside update functions (nested updates run alone). */
    private static final ThreadLocal<int[]> FUNCTION_DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private final StoreIo io;
    private final LoopFactory loops;
    private final Observing observing;
    /** Lanes of blocking callers (driven by the waiting callers). */
    private final ConcurrentHashMap<String, Lane> lanes = new ConcurrentHashMap<>();
    /** Lanes of asynchronous callers (driven by the asynchronous API's callback threads). */
    private final ConcurrentHashMap<String, Lane> asyncLanes = new ConcurrentHashMap<>();

    /**
     * A coalescer for one store.
     *
     * @param io the blocking requests (each lane waits through its own scheduler)
     * @param loops builds the loops
     * @param observing where listener failures are logged
     */
    public UpdateCoalescer(StoreIo io, LoopFactory loops, Observing observing) {
        this.io = io;
        this.loops = loops;
        this.observing = observing;
    }

    /**
     * Whether a call can share a batch at all.
     *
     * @param options the call's options
     * @return true unless coalescing is off, or the call brings its own {@code Retry} instance or a held version
     */
    public static boolean coalescible(UpdateOptions options) {
        return options.coalesce() && options.retry().isEmpty() && options.startingFrom().isEmpty();
    }

    /**
     * Runs one update on the calling thread, coalesced where allowed.
     *
     * @param key the key
     * @param fn the caller's function
     * @param options the call's options (validated)
     * @param held the raw object of {@link UpdateOptions#startingFrom()}, or null
     * @return the caller's outcome, or the failure it ended with (the function's own throwable as is)
     */
    public CallOutcome update(String key, UpdateFunction fn, UpdateOptions options, io.leasehold.spi.GetResponse held) {
        if (!coalescible(options) || FUNCTION_DEPTH.get()[0] > 0) {
            return alone(key, fn, options, held);
        }
        Call me = new Call(fn, options);
        Lane lane = join(key, me);
        try {
            drive(lane, me);
        } catch (InterruptedException interrupted) {
            withdraw(lane, me, interrupted);
            Thread.currentThread().interrupt();
        }
        return me.result;
    }

    /**
     * Runs one update without blocking, coalesced with the other asynchronous calls on the key where
     * allowed. Batches run on the asynchronous API's callback threads; a call from inside an update
     * function runs alone.
     *
     * @param asyncIo the asynchronous requests (their pauses complete on callback threads)
     * @param callbacks where lane work and completions run
     * @param key the key
     * @param fn the caller's function
     * @param options the call's options (validated)
     * @param held the raw object of {@link UpdateOptions#startingFrom()}, or null
     * @return the caller's outcome (a failure is an outcome too; the future itself never fails)
     */
    public CompletableFuture<CallOutcome> submit(StoreIo asyncIo, Executor callbacks, String key, UpdateFunction fn,
                                                 UpdateOptions options, io.leasehold.spi.GetResponse held) {
        if (!coalescible(options) || FUNCTION_DEPTH.get()[0] > 0) {
            UpdateLoop<byte[]> loop = loops.loop(asyncIo, key, aloneTransition(fn), options, held, aloneProgress(key, options));
            return Futures.attempt(loop::run).handle((outcome, failure) -> failure != null
                    ? CallOutcome.failed(Futures.unwrap(failure), loop.attempts())
                    : CallOutcome.of(outcome));
        }
        Call me = new Call(fn, options);
        me.future = new CompletableFuture<>();
        while (true) {
            Lane lane = asyncLanes.computeIfAbsent(key, k -> new Lane(k, asyncIo, callbacks));
            synchronized (lane) {
                if (lane.retired) {
                    continue;
                }
                lane.queue.add(me);
                if (lane.batch == null) {
                    startBatch(lane);
                }
                break;
            }
        }
        return me.future;
    }

    // ---------------------------------------------------------------- one call alone

    private CallOutcome alone(String key, UpdateFunction fn, UpdateOptions options, io.leasehold.spi.GetResponse held) {
        UpdateLoop<byte[]> loop = loops.loop(io.withPauses(Pauses.sleeping()), key, aloneTransition(fn), options, held,
                aloneProgress(key, options));
        UpdateLoop.Outcome<byte[]> outcome;
        try {
            outcome = Futures.join(loop.run());
        } catch (Throwable failure) {
            return CallOutcome.failed(failure, loop.attempts());
        }
        return CallOutcome.of(outcome);
    }

    /** A lone call's transition: its function's output, or nothing to write when it answers unchanged. */
    private static Transition<byte[]> aloneTransition(UpdateFunction fn) {
        return current -> {
            byte[] out = apply(fn, current == null ? null : current.content());
            return unchanged(out) ? Transition.Decision.keep(null) : Transition.Decision.write(out, out);
        };
    }

    /** Whether a function's answer is {@link UpdateFunction#unchanged()} (by identity). */
    static boolean unchanged(byte[] out) {
        return out == UpdateFunction.unchanged();
    }

    private UpdateLoop.Progress aloneProgress(String key, UpdateOptions options) {
        return new UpdateLoop.Progress() {
            @Override
            public void writeSent(int attempt, String writeId) {
                tell(options, l -> l.onWriteSent(key, attempt, writeId));
            }

            @Override
            public void conflict(int attempt, ObjectStoreException cause) {
                tell(options, l -> l.onConflict(key, attempt, cause));
            }

            @Override
            public void ambiguousResolved(int attempt) {
                tell(options, l -> l.onAmbiguousWriteResolved(key, attempt));
            }
        };
    }

    /** Applies a caller's function, counting the nesting (nested updates run alone). */
    static byte[] apply(UpdateFunction fn, byte[] current) {
        int[] depth = FUNCTION_DEPTH.get();
        depth[0]++;
        byte[] out;
        try {
            out = fn.apply(current);
        } finally {
            depth[0]--;
        }
        if (out == null) {
            throw new InvalidArgumentException("fn", "returned null; return UpdateFunction.unchanged() to write nothing");
        }
        return out;
    }

    /** Tells a caller's listener something; its failure changes nothing (it is logged). */
    private void tell(UpdateOptions options, Consumer<UpdateListener> event) {
        observing.listenerCall(() -> event.accept(options.listener()));
    }

    // ---------------------------------------------------------------- lanes

    private Lane join(String key, Call me) {
        while (true) {
            Lane lane = lanes.computeIfAbsent(key, k -> new Lane(k, io, null));
            synchronized (lane) {
                if (lane.retired) {
                    continue; // removed from the map just now; take the fresh one
                }
                lane.queue.add(me);
                if (lane.batch == null) {
                    startBatch(lane);
                }
                return lane;
            }
        }
    }

    /** Runs the lane's tasks on this thread while it is the driver, until the caller's own call is done. */
    private void drive(Lane lane, Call me) throws InterruptedException {
        Thread self = Thread.currentThread();
        try {
            while (true) {
                Runnable task = null;
                synchronized (lane) {
                    while (task == null) {
                        if (me.done) {
                            return;
                        }
                        if (lane.driver == null) {
                            lane.driver = self;
                        }
                        if (lane.driver != self) {
                            lane.wait();
                            continue;
                        }
                        task = lane.ready.poll();
                        if (task != null) {
                            break;
                        }
                        if (lane.delayed != null) {
                            long wait = lane.dueNanos - System.nanoTime();
                            if (wait <= 0) {
                                task = lane.delayed;
                                lane.delayed = null;
                                break;
                            }
                            TimeUnit.NANOSECONDS.timedWait(lane, wait);
                            continue;
                        }
                        if (lane.batch == null && !lane.queue.isEmpty()) {
                            startBatch(lane);
                            continue;
                        }
                        // A batch is running but has nothing to do now: it cannot happen with blocking
                        // requests; wait for a signal rather than spin.
                        lane.wait(10);
                    }
                }
                runTask(task);
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
        } finally {
            synchronized (lane) {
                if (lane.driver == self) {
                    lane.driver = null;
                    retireIfIdle(lane);
                    lane.notifyAll();
                }
            }
        }
    }

    /** Runs one task; a task never throws out of the lane (its batch completes its callers itself). */
    private void runTask(Runnable task) {
        try {
            task.run();
        } catch (Throwable t) {
            observing.listenerCall(() -> {
                throw new IllegalStateException("an update lane task failed", t);
            });
        }
    }

    /** Takes the calls at the head of the queue that can share one write and schedules their loop. Holds the lane. */
    private void startBatch(Lane lane) {
        List<Call> calls = new ArrayList<>();
        Call first = lane.queue.poll();
        if (first == null) {
            return;
        }
        calls.add(first);
        for (Iterator<Call> it = lane.queue.iterator(); it.hasNext() && calls.size() < MAX_BATCH; ) {
            Call c = it.next();
            if (!c.sameShape(first)) {
                break; // keep arrival order: a different call ends the batch
            }
            it.remove();
            calls.add(c);
        }
        Batch batch = new Batch(lane, calls);
        lane.batch = batch;
        Runnable task = () -> {
            CompletableFuture<UpdateLoop.Outcome<BatchWrite>> run;
            try {
                StoreIo via = lane.runner == null ? lane.io.withPauses(lane.pauses) : lane.io;
                batch.loop = loops.loop(via, lane.key, batch, first.options, null, batch);
                run = batch.loop.run();
            } catch (Throwable t) {
                run = Futures.failed(t);
            }
            run.whenComplete((outcome, failure) -> finish(lane, batch, outcome, failure));
        };
        if (lane.runner != null) {
            lane.runner.execute(task);
        } else {
            lane.ready.add(task);
            lane.notifyAll();
        }
    }

    /** Gives every live call of a finished batch its own outcome, then starts the next batch. */
    private void finish(Lane lane, Batch batch, UpdateLoop.Outcome<BatchWrite> outcome, Throwable failure) {
        try {
            distribute(lane, batch, outcome, failure);
        } finally {
            for (Call c : batch.calls) {
                c.publish();
            }
        }
    }

    private void distribute(Lane lane, Batch batch, UpdateLoop.Outcome<BatchWrite> outcome, Throwable failure) {
        try {
            synchronized (lane) {
                if (failure != null) {
                    Throwable cause = Futures.unwrap(failure);
                    // Calls that answered "no change" before the last decision's first change sent nothing and
                    // decided on the object read: their answer stands, as it would alone, whatever became of
                    // the others' write.
                    BatchWrite last = batch.lastDecision;
                    if (last != null) {
                        int firstChange = last.unchanged.indexOf(Boolean.FALSE);
                        for (int i = 0; i < firstChange; i++) {
                            Call c = last.calls.get(i);
                            if (!c.done) {
                                c.complete(CallOutcome.kept(last.base, batch.attempts(), 0));
                            }
                        }
                    }
                    for (Call c : batch.calls) {
                        if (!c.done) {
                            c.complete(CallOutcome.failed(cause, batch.attempts()));
                        }
                    }
                    return;
                }
                BatchWrite landed = outcome.result;
                if (outcome.write == null) {
                    // Every live call answered "no change": nothing was written, each gets the object read.
                    for (Call c : landed.calls) {
                        if (!c.done) {
                            c.complete(CallOutcome.kept(outcome.read, outcome.attempts, outcome.conflicts));
                        }
                    }
                } else {
                    // A call's value is current unless a later live call of the batch changed it.
                    int lastChange = -1;
                    for (int i = 0; i < landed.calls.size(); i++) {
                        if (!landed.calls.get(i).done && !landed.unchanged.get(i)) {
                            lastChange = i;
                        }
                    }
                    // Calls before the batch's first change were given the object read, not the write.
                    int firstChange = landed.unchanged.indexOf(Boolean.FALSE);
                    boolean creator = outcome.created;
                    for (int i = 0; i < landed.calls.size(); i++) {
                        Call c = landed.calls.get(i);
                        if (c.done) {
                            continue;
                        }
                        byte[] own = landed.outputs.get(i);
                        WriteOutcome write = i >= lastChange ? outcome.write
                                : WriteOutcome.superseded(outcome.write.writeId, own == null ? 0 : own.length);
                        if (landed.unchanged.get(i) && i < firstChange) {
                            c.complete(CallOutcome.kept(landed.base, outcome.attempts, outcome.conflicts));
                        } else if (landed.unchanged.get(i)) {
                            c.complete(CallOutcome.passedThrough(write, own, outcome.attempts, outcome.conflicts));
                        } else {
                            c.complete(new CallOutcome(write, own, creator, outcome.attempts, outcome.conflicts));
                            creator = false;
                        }
                    }
                }
                for (Call c : batch.calls) {
                    if (!c.done) {
                        // Not in the write that landed (cannot happen: every live call is in each decision).
                        c.complete(CallOutcome.failed(new ObjectStoreException(ErrorCode.UNKNOWN, lane.key,
                                "the batch's write that landed did not carry this call", null), outcome.attempts));
                    }
                }
            }
        } catch (Throwable t) {
            synchronized (lane) {
                for (Call c : batch.calls) {
                    if (!c.done) {
                        c.complete(CallOutcome.failed(t, batch.attempts()));
                    }
                }
            }
        } finally {
            synchronized (lane) {
                if (lane.batch == batch) {
                    lane.batch = null;
                }
                if (!lane.queue.isEmpty()) {
                    startBatch(lane);
                } else {
                    retireIfIdle(lane);
                }
                lane.notifyAll();
            }
        }
    }

    /** An interrupted caller leaves: failed if nothing of it was sent, else unknown. */
    private void withdraw(Lane lane, Call me, InterruptedException interrupted) {
        synchronized (lane) {
            if (me.done) {
                return;
            }
            me.withdrawn = true;
            if (lane.queue.remove(me) || !me.applied) {
                me.complete(CallOutcome.failed(new ObjectStoreException(ErrorCode.UNKNOWN, lane.key, "interrupted while"
                        + " waiting for its turn; nothing was sent for this call", interrupted), attemptsOf(lane, me)));
            } else {
                me.complete(CallOutcome.failed(new OutcomeUnknownException(lane.key, "interrupted while a write carrying"
                        + " this call's change was under way; it may or may not land", interrupted), attemptsOf(lane, me)));
            }
            lane.notifyAll();
        }
    }

    /** Attempts made so far by the batch a call is in (0 if it is still queued). Holds the lane. */
    private static int attemptsOf(Lane lane, Call me) {
        return lane.batch != null && lane.batch.calls.contains(me) ? lane.batch.attempts() : 0;
    }

    /** Removes an idle lane from the map. Holds the lane. */
    private void retireIfIdle(Lane lane) {
        if (lane.queue.isEmpty() && lane.batch == null && lane.driver == null && lane.ready.isEmpty()
                && lane.delayed == null) {
            lane.retired = true;
            (lane.runner == null ? lanes : asyncLanes).remove(lane.key, lane);
        }
    }

    /** The calls waiting on one key, and the lane's tasks. Guarded by its own monitor. */
    private static final class Lane {
        final String key;
        /** How the lane's batches reach the store. */
        final StoreIo io;
        /** Where an asynchronous lane's work runs; null for a lane driven by its waiting callers. */
        final Executor runner;
        final ArrayDeque<Call> queue = new ArrayDeque<>();
        final ArrayDeque<Runnable> ready = new ArrayDeque<>();
        final Pauses pauses = new LanePauses(this);
        Batch batch;
        Runnable delayed;
        long dueNanos;
        Thread driver;
        boolean retired;

        Lane(String key, StoreIo io, Executor runner) {
            this.key = key;
            this.io = io;
            this.runner = runner;
        }
    }

    /** A lane's waits: the driver runs the continuation when it is due. */
    private static final class LanePauses implements Pauses {
        private final Lane lane;

        LanePauses(Lane lane) {
            this.lane = lane;
        }

        @Override
        public CompletableFuture<Void> after(long nanos) {
            CompletableFuture<Void> due = new CompletableFuture<>();
            synchronized (lane) {
                lane.delayed = () -> due.complete(null);
                lane.dueNanos = System.nanoTime() + Math.max(0, nanos);
                lane.notifyAll();
            }
            return due;
        }
    }

    /** One caller's update. State guarded by its lane's monitor. */
    private static final class Call {
        final UpdateFunction fn;
        final UpdateOptions options;
        boolean done;
        boolean withdrawn;
        /** Its output went into a decision of its batch (a write carrying it may have been sent). */
        boolean applied;
        /** Set with {@code done}; read by the caller after it saw {@code done} under the lane's monitor. */
        CallOutcome result;
        /** The asynchronous caller's future, completed outside the lane's monitor; null for blocking callers. */
        CompletableFuture<CallOutcome> future;

        Call(UpdateFunction fn, UpdateOptions options) {
            this.fn = fn;
            this.options = options;
        }

        boolean sameShape(Call other) {
            return coalescible(options)
                    && Objects.equals(options.contentType(), other.options.contentType())
                    && options.userMetadata().equals(other.options.userMetadata())
                    && Objects.equals(options.leaseId(), other.options.leaseId())
                    && options.retryConfig().orElse(null) == other.options.retryConfig().orElse(null);
        }

        void complete(CallOutcome outcome) {
            if (done) {
                return;
            }
            result = outcome;
            done = true;
        }

        /**
         * Hands a done asynchronous call its outcome, on the thread that completed it and never under the
         * lane's monitor (the caller's own stages may run here).
         */
        void publish() {
            if (future != null && result != null) {
                future.complete(result);
            }
        }
    }

    /**
     * The live calls of one decision and their outputs, in order; a call that answered "no change" has
     * as output the value it was given (null if absent).
     */
    private static final class BatchWrite {
        final List<Call> calls;
        final List<byte[]> outputs;
        final List<Boolean> unchanged;
        /** The object the decision was made on (bookkeeping included), or null if absent. */
        final io.leasehold.spi.GetResponse base;

        BatchWrite(List<Call> calls, List<byte[]> outputs, List<Boolean> unchanged, io.leasehold.spi.GetResponse base) {
            this.calls = calls;
            this.outputs = outputs;
            this.unchanged = unchanged;
            this.base = base;
        }
    }

    /** A batch: the composite transition over its live calls, and their listeners. */
    private final class Batch implements Transition<BatchWrite>, UpdateLoop.Progress {
        final Lane lane;
        final List<Call> calls;
        /** The batch's loop, once started. */
        volatile UpdateLoop<BatchWrite> loop;
        /** The last decision made (its calls, their answers and the object read), or null. */
        volatile BatchWrite lastDecision;

        Batch(Lane lane, List<Call> calls) {
            this.lane = lane;
            this.calls = calls;
        }

        int attempts() {
            UpdateLoop<BatchWrite> l = loop;
            return l == null ? 0 : l.attempts();
        }

        private List<Call> live() {
            synchronized (lane) {
                List<Call> live = new ArrayList<>(calls.size());
                for (Call c : calls) {
                    if (!c.done) {
                        live.add(c);
                    }
                }
                return live;
            }
        }

        @Override
        public Decision<BatchWrite> decide(io.leasehold.spi.GetResponse current) {
            byte[] value = current == null ? null : current.content();
            List<Call> applied = new ArrayList<>();
            List<byte[]> outputs = new ArrayList<>();
            List<Boolean> unchanged = new ArrayList<>();
            boolean changes = false;
            for (Call c : live()) {
                byte[] out;
                try {
                    out = apply(c.fn, value);
                } catch (Throwable t) {
                    // Only this caller fails; the batch goes on without its change.
                    synchronized (lane) {
                        c.complete(CallOutcome.failed(t, attempts()));
                        lane.notifyAll();
                    }
                    c.publish();
                    continue;
                }
                applied.add(c);
                boolean same = unchanged(out);
                unchanged.add(same);
                if (same) {
                    outputs.add(value); // passes the value through to the next call
                } else {
                    outputs.add(out);
                    value = out;
                    changes = true;
                }
            }
            synchronized (lane) {
                // A caller may have withdrawn while the functions ran: its output stays in this write
                // (it was told the outcome is unknown), but the others are marked as carried. A call that
                // answered "no change" puts nothing in the write: interrupted, it was sent nothing.
                for (int i = 0; i < applied.size(); i++) {
                    if (!unchanged.get(i)) {
                        applied.get(i).applied = true;
                    }
                }
            }
            if (applied.isEmpty()) {
                throw new NothingToWrite();
            }
            BatchWrite calls = new BatchWrite(applied, outputs, unchanged, current);
            lastDecision = calls;
            return changes ? Decision.write(value, calls) : Decision.keep(calls);
        }

        @Override
        public void writeSent(int attempt, String writeId) {
            for (Call c : live()) {
                tell(c.options, l -> l.onWriteSent(lane.key, attempt, writeId));
            }
        }

        @Override
        public void conflict(int attempt, ObjectStoreException cause) {
            for (Call c : live()) {
                tell(c.options, l -> l.onConflict(lane.key, attempt, cause));
            }
        }

        @Override
        public void ambiguousResolved(int attempt) {
            for (Call c : live()) {
                tell(c.options, l -> l.onAmbiguousWriteResolved(lane.key, attempt));
            }
        }
    }

    /** Internal signal: every function of a batch failed or withdrew, so there is nothing to write. */
    private static final class NothingToWrite extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NothingToWrite() {
            super("nothing to write", null, false, false);
        }
    }
}
