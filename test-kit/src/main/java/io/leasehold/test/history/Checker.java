package io.leasehold.test.history;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Checks that a recorded {@link History} is linearizable against a {@link Model}: that each key's
 * operations can be put in one order, consistent with real time, in which the model explains every
 * response.
 *
 * <pre>{@code
 * CheckResult result = Checker.check(history, Models.counter());
 * assertTrue(result.isOk(), result::report);         // or result.assertOk()
 * }</pre>
 *
 * <h2>What is checked</h2>
 * Each key is an independent object and is checked on its own (linearizability is compositional,
 * and checking keys apart keeps each search small). Within a key, an operation that answered
 * ({@link Response.Kind#OK} or {@link Response.Kind#REFUSED}) takes effect at one instant between
 * its invocation and its completion. An operation of {@link Response.Kind#UNKNOWN} outcome (or never
 * completed) takes effect at one instant after its invocation, with no deadline, or never. A
 * {@link Response.Kind#FAILED} one never took effect and is ignored; so is an unknown read.
 *
 * <h2>The search</h2>
 * Wing and Gong's depth-first search for a linearization, with Lowe's memoisation of (set of
 * operations linearized, model state) pairs already explored, as in Porcupine. Operations that must
 * take effect are tried before unknown ones, so a correct history is usually linearized in one pass
 * that applies each unknown operation just where a later response needs it. A state is a set of
 * definite operations linearized (kept as "all before index p, and a bit set of the few after p",
 * small because only operations concurrent with p can be in it), the model state, and for each
 * class of unknown operations how many of them were applied.
 *
 * <h2>Pruning rules (each keeps every linearization, or one equivalent to it)</h2>
 * <ol>
 *   <li><b>Observed writes.</b> An unknown write whose id ({@link Model#writeId}) a later response
 *       proves was in place ({@link Model#observedWriteIds}, e.g. a read that returned it) is
 *       treated as an operation that must take effect before that response's completion. <i>Sound:</i>
 *       the model guarantees the id was written before the observer's linearization point, which is
 *       before its completion, and only this operation writes that id (not even the initial state;
 *       so the rule is off when shrinking from an arbitrary state).</li>
 *   <li><b>Unread write ids.</b> A write id that no operation refers to
 *       ({@link Model#referencedWriteIds}: no read returned it, no conditional call expected it) is
 *       replaced by one placeholder ({@link Model#withoutWriteId}). <i>Sound:</i> such an id is only
 *       ever compared with ids other operations mention, all different from it, so a state holding
 *       it behaves exactly like one holding the placeholder (the model's promise).</li>
 *   <li><b>Interchangeable unknowns.</b> Unknown operations with equal calls (e.g. many
 *       {@code add delta=1} whose answers were lost) are applied only in invocation order: the
 *       k-th may be applied only after the first k−1. <i>Sound:</i> the model sees only the call and
 *       "unknown", so two such operations have the same effect; an unknown operation's only
 *       real-time constraint is "after every operation that completed before it was invoked", which
 *       is weaker for the earlier-invoked one. So in any linearization, giving each used position to
 *       the earliest-invoked member of the class instead yields a linearization too. This turns 2^u
 *       subsets of u lost increments into u+1 counts.</li>
 *   <li><b>Dominance.</b> A state is skipped if a state already proved to have no completion had the
 *       same definite operations linearized, the same model state, and a subset of its unknown
 *       operations applied. <i>Sound:</i> any completion of the new state is a completion of the old
 *       one (every operation it uses is still available there, real-time constraints only concern
 *       definite operations, which are the same, and the model states along it are the same), so
 *       the new state has none either. This makes "a lost +1 and a lost −1 both applied" cost nothing
 *       once "neither applied" has failed.</li>
 *   <li><b>Null segments.</b> A state is skipped if an ancestor on the current search path had the
 *       same definite operations linearized and the same model state: the unknown operations applied
 *       in between changed nothing.</li>
 *   <li><b>Useless unknowns.</b> Right after applying an unknown operation u, a next operation (of
 *       any kind) is not allowed to reach a state it would also reach from the state before u: u
 *       was applied for nothing (e.g. a lost write immediately overwritten).</li>
 * </ol>
 * <i>Why rules 5 and 6 are sound:</i> deleting unknown operations from a linearization where they
 * change nothing, as described, leaves a linearization (unknown operations are optional and no
 * operation must follow them), so a linearization with the fewest unknown operations contains
 * neither pattern, and the search still meets one such. Because these two skips depend on the
 * search path, a state whose subtree used one against an ancestor above that state is not recorded
 * as failed for rule 4 (it may have failed only for its path); states whose subtree used them only
 * against themselves or below are, since their failure then holds for any path. Rules 1 to 6 were
 * checked against a brute-force search on thousands of random histories.
 *
 * <p>Models may also say what a call needs of the state ({@link Model#precondition}); the search
 * then does not try unknown calls that cannot take effect in the current state. This only saves
 * work: those calls would have had no next state.
 *
 * Equal invocation and completion stamps count as concurrent, so ties never create an anomaly.
 *
 * <h2>Budgets and results</h2>
 * Linearizability checking is NP-complete in general; {@link CheckOptions} bounds states and time
 * per key. Refuting a long history means exhausting every way of ordering it up to the fault, so
 * when the budget runs out the checker also tries windows of {@value #WINDOW} operations cut at both
 * ends, from the model's {@linkplain Model#anyState() "any state"}: cut so that a linearizable
 * history only ever gives linearizable windows, a window that is not linearizable proves the
 * anomaly. A key neither proved nor refuted is {@link CheckResult.Verdict#INCONCLUSIVE}, never OK.
 *
 * <p>For a key that is not linearizable, the result holds a minimal offending core (see
 * {@link CheckResult.KeyResult#offending()}): the history cut before and after the fault, with the
 * reads and refusals it does not need left out and the writes it does not need made optional, all
 * by steps that keep a linearizable history linearizable, so the core fails for the history's own
 * reason (never because shrinking removed an operation that explained something). It is checked
 * from the "any state" when even that cannot explain it, so what led up to the fault can go.
 *
 * <p>Thread-safety: stateless and safe for concurrent use; each call uses its own threads.
 */
public final class Checker {
    /** The writes whose ids the core's answers show but which the core itself does not hold. */
    private static <S> List<Operation> cutAwayWrites(Model<S> model, List<Operation> ops, List<Operation> core) {
        java.util.Set<String> written = new java.util.HashSet<>();
        java.util.Set<String> read = new java.util.LinkedHashSet<>();
        for (Operation op : core) {
            model.writeId(op.call()).ifPresent(written::add);
            if (op.response().kind() == Response.Kind.OK || op.response().kind() == Response.Kind.REFUSED) {
                read.addAll(model.observedWriteIds(op.call(), op.response()));
            }
        }
        read.removeAll(written);
        List<Operation> context = new ArrayList<>();
        for (Operation op : ops) {
            if (!read.isEmpty() && model.writeId(op.call()).map(read::contains).orElse(false)) {
                context.add(op);
            }
        }
        return context;
    }

    /** Operations per window when looking for a provable anomaly in a key too big to refute whole. */
    static final int WINDOW = 200;
    private static final long WINDOW_STATES = 200_000;

    private Checker() {
    }

    /**
     * Checks a history with the {@linkplain CheckOptions#defaults() default budgets}.
     *
     * @param history the recorded operations (a snapshot is taken now)
     * @param model the sequential specification of each key
     * @return the verdict, per key and overall
     * @throws IllegalArgumentException if the model rejects a call or response as not its own, or an
     *     operation completed before it was invoked
     */
    public static CheckResult check(History history, Model<?> model) {
        return check(history, model, CheckOptions.defaults());
    }

    /**
     * Checks a history.
     *
     * @param history the recorded operations (a snapshot is taken now)
     * @param model the sequential specification of each key
     * @param options budgets
     * @return the verdict, per key and overall
     * @throws IllegalArgumentException if the model rejects a call or response as not its own, or an
     *     operation completed before it was invoked
     */
    public static CheckResult check(History history, Model<?> model, CheckOptions options) {
        return checkAll(history, model, options);
    }

    private static <S> CheckResult checkAll(History history, Model<S> model, CheckOptions options) {
        long started = System.nanoTime();
        Map<String, List<Operation>> byKey = new LinkedHashMap<>();
        for (Operation op : history.operations()) {
            byKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
        }
        List<CheckResult.KeyResult> results = new ArrayList<>();
        int threads = Math.min(options.parallelism(), byKey.size());
        if (threads <= 1) {
            byKey.forEach((key, ops) -> results.add(checkKey(model, key, ops, options)));
        } else {
            AtomicInteger count = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "leasehold-checker-" + count.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            try {
                List<Future<CheckResult.KeyResult>> futures = new ArrayList<>();
                byKey.forEach((key, ops) -> futures.add(pool.submit(() -> checkKey(model, key, ops, options))));
                for (Future<CheckResult.KeyResult> f : futures) {
                    results.add(f.get());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while checking", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException) {
                    throw (RuntimeException) e.getCause();
                }
                throw new IllegalStateException(e.getCause());
            } finally {
                pool.shutdownNow();
            }
        }
        return new CheckResult(model.name(), results, Duration.ofNanos(System.nanoTime() - started));
    }

    static <S> CheckResult.KeyResult checkKey(Model<S> model, String key, List<Operation> ops, CheckOptions options) {
        long started = System.nanoTime();
        int unknown = 0;
        for (Operation op : ops) {
            if (op.response().kind() == Response.Kind.UNKNOWN) {
                unknown++;
            }
        }
        Search.Result r = Search.of(model, model.initial(), true, ops, options.maxStates(), started + options.timeLimit().toNanos()).run();
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        switch (r.outcome) {
            case LINEARIZABLE:
                return new CheckResult.KeyResult(key, CheckResult.Verdict.OK, ops.size(), unknown, r.states, elapsed, List.of(), null);
            case NOT_LINEARIZABLE:
                return anomaly(model, key, ops, ops, options, unknown, r, elapsed,
                        "  the search linearized at most " + r.deepest + " of the " + r.definite
                        + " operations that must take effect (" + r.unknown + " unknown ones to place)");
            default:
                break;
        }
        List<Operation> window = failingWindow(model, ops, options);
        if (window != null) {
            return anomaly(model, key, ops, window, options, unknown, r, elapsed,
                    "  the search of the whole key gave up after " + r.states + " states, but a window of " + window.size()
                    + " of its operations, cut at both ends, is not linearizable even from any start state, which proves"
                    + " the whole is not either");
        }
        String why = "  the search gave up after " + r.states + " states and " + Timeline.seconds(elapsed)
                + " (budget: " + options.maxStates() + " states, " + Timeline.seconds(options.timeLimit())
                + "); it had linearized at most " + r.deepest + " of the " + r.definite
                + " operations that must take effect, with " + r.unknown + " unknown ones to place; no window of "
                + WINDOW + " operations alone was found not linearizable."
                + "\n  Neither proved nor refuted: raise CheckOptions.maxStates/timeLimit, or record fewer operations per key.";
        return new CheckResult.KeyResult(key, CheckResult.Verdict.INCONCLUSIVE, ops.size(), unknown, r.states, elapsed, List.of(), why);
    }

    /**
     * When the whole key is too big to refute: windows of {@value #WINDOW} operations, each cut at
     * both ends as the shrinker cuts (so that a linearizable history gives linearizable windows),
     * checked from the model's "any state". The first that is not linearizable proves an anomaly.
     *
     * @return the window, or null if none failed within the shrinking time budget (or the model has no "any state")
     */
    private static <S> List<Operation> failingWindow(Model<S> model, List<Operation> ops, CheckOptions options) {
        java.util.Optional<S> any = model.anyState();
        if (any.isEmpty()) {
            return null;
        }
        long deadline = System.nanoTime() + options.shrinkTimeLimit().toNanos();
        Shrinker<S> cutter = new Shrinker<>(model, options.maxStates(), deadline);
        for (int from = 0; from < ops.size() && System.nanoTime() - deadline < 0; from += WINDOW / 2) {
            int to = from + WINDOW;
            List<Operation> window = cutter.window(ops, ops.get(from).invokedAt(), to < ops.size() ? ops.get(to).invokedAt() : Long.MAX_VALUE);
            if (Search.of(model, any.get(), false, window, WINDOW_STATES, deadline).run().outcome == Search.Outcome.NOT_LINEARIZABLE) {
                return window;
            }
        }
        return null;
    }

    private static <S> CheckResult.KeyResult anomaly(Model<S> model, String key, List<Operation> ops, List<Operation> offending,
            CheckOptions options, int unknown, Search.Result r, Duration elapsed, String progress) {
        if (!options.shrink()) {
            return new CheckResult.KeyResult(key, CheckResult.Verdict.ANOMALY, ops.size(), unknown, r.states, elapsed, offending,
                    progress + "; the offending operations (shrinking off):\n" + Timeline.render(offending, "    "));
        }
        Shrinker.Shrunk shrunk = new Shrinker<>(model, options.maxStates(), System.nanoTime() + options.shrinkTimeLimit().toNanos())
                .shrink(offending);
        String text = progress + ".\n  Offending core: " + shrunk.ops.size() + " of " + ops.size() + " operations, "
                + (shrunk.minimal ? "minimal" : "NOT minimal (shrinking ran out of budget)") + ", " + shrunk.start
                + " (reads and refusals it does not need left out):\n"
                + Timeline.renderCore(shrunk.ops, cutAwayWrites(model, ops, shrunk.ops), "    ");
        int others = Timeline.overlapping(ops, shrunk.ops);
        if (others > 0) {
            text += "\n  (" + others + (others == 1 ? " other operation" : " other operations")
                    + " overlapped this window; not needed to show the fault)";
        }
        return new CheckResult.KeyResult(key, CheckResult.Verdict.ANOMALY, ops.size(), unknown, r.states, elapsed, shrunk.ops, text);
    }
}
