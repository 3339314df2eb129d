package io.leasehold.test.history;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Shrinks one key's non-linearizable history to a small offending core, by relaxations only:
 * steps that can never turn a linearizable history into a non-linearizable one. So the core fails
 * for the same reason the whole history does, not because shrinking removed an operation that
 * explained something (dropping the other additions between two counter reads would "prove" any
 * jump). The steps:
 * <ul>
 *   <li>cut at a time T, keeping what was invoked before T;</li>
 *   <li>from the model's "any state", cut at a time T, keeping what had not completed before T;</li>
 *   <li>drop an operation that only constrains: a read, or a refusal;</li>
 *   <li>make a write that answered optional: it may have taken effect by its completion, or not
 *       (which it did, in any linearization of the whole).</li>
 * </ul>
 * At a cut, reads and refusals still running at T go, and writes still running at T become
 * optional: they may have taken effect, by their completion, or not. Writes that answered are
 * never dropped, nor are operations of unknown outcome: any of them may be what explains the rest.
 * Bisection finds the cuts; then, latest first, reads and refusals are dropped and writes made
 * optional until no step keeps the core failing (1-minimal). What stays answered is the
 * contradiction; the optional writes are the context it holds in. Every step is checked by a full search; a step
 * whose search runs out of budget counts as linearizable, so the result is always a verified
 * offender.
 *
 * <p><i>Why the cuts are relaxations</i> (H linearizable implies the cut is): take a linearization
 * L of H. First cut: every operation that completed before T precedes in L every operation invoked
 * after T; keep L's order of the kept operations and leave out the running writes placed after the
 * first dropped operation (they may depend on it, and no kept operation that completed follows them).
 * Second cut: start from the state in L right after the last operation that completed before T;
 * every operation after that point in L is kept, and the running writes L placed before it are left
 * out (their effect is in the start state).
 *
 * <p>Not thread-safe: one shrink per thread.
 */
final class Shrinker<S> {
    private static final long MAX_STATES_PER_STEP = 500_000;

    private final Model<S> model;
    private final long maxStates;
    private final long deadline;
    private boolean ranOut;
    private boolean budgetHit;
    private boolean fromAny;

    /** The offending core and what it was checked from. */
    static final class Shrunk {
        final List<Operation> ops;
        final String start;
        final boolean fromAny;
        final boolean minimal;

        Shrunk(List<Operation> ops, String start, boolean fromAny, boolean minimal) {
            this.ops = ops;
            this.start = start;
            this.fromAny = fromAny;
            this.minimal = minimal;
        }
    }

    Shrinker(Model<S> model, long maxStates, long deadline) {
        this.model = model;
        this.maxStates = Math.min(maxStates, MAX_STATES_PER_STEP);
        this.deadline = deadline;
    }

    /** @param ops one key's operations, ordered by invocation, known not to be linearizable from the initial state */
    Shrunk shrink(List<Operation> ops) {
        List<Operation> current = new ArrayList<>();
        for (Operation op : ops) {
            Response.Kind kind = op.response().kind();
            if (kind != Response.Kind.FAILED && !(kind == Response.Kind.UNKNOWN && model.readOnly(op.call()))) {
                current.add(op);
            }
        }
        Optional<S> any = model.anyState();
        fromAny = any.isPresent();
        fromAny = fromAny && fails(current, any.get());
        S start = fromAny ? any.get() : model.initial();
        budgetHit = false;   // an undecided "any state" check only chose the start, it removed nothing

        // The earliest cut "invoked before T" that still fails: hi always fails.
        List<Long> invocations = current.stream().map(Operation::invokedAt).sorted().distinct()
                .collect(java.util.stream.Collectors.toList());
        int lo = 0;
        int hi = invocations.size();
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (fails(prefix(current, invocations.get(mid)), start)) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        if (hi < invocations.size()) {
            current = prefix(current, invocations.get(hi));
        }
        if (fromAny) {
            // The latest cut "answered after T" that still fails: lo always fails.
            List<Long> completions = new ArrayList<>();
            for (Operation op : current) {
                if (answered(op)) {
                    completions.add(op.rawCompletedAt() + 1);
                }
            }
            completions = completions.stream().sorted().distinct().collect(java.util.stream.Collectors.toList());
            lo = -1;
            hi = completions.size();
            while (hi - lo > 1) {
                int mid = (lo + hi) >>> 1;
                if (fails(suffix(current, completions.get(mid)), start)) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            if (lo >= 0) {
                current = suffix(current, completions.get(lo));
            }
        }

        for (boolean changed = true; changed && !ranOut; ) {
            changed = false;
            for (int i = current.size() - 1; i >= 0 && !ranOut; i--) {
                Operation op = current.get(i);
                List<Operation> candidate = new ArrayList<>(current);
                if (constrainsOnly(op)) {
                    candidate.remove(i);
                } else if (op.response().kind() == Response.Kind.OK) {
                    candidate.set(i, optional(op));
                } else {
                    continue;
                }
                if (fails(candidate, start)) {
                    current = candidate;
                    changed = true;
                }
            }
        }
        String from = fromAny
                ? "not linearizable from any start state"
                : "not linearizable from the initial state " + model.describe(start);
        return new Shrunk(List.copyOf(current), from, fromAny, !ranOut && !budgetHit);
    }

    /** Whether the operation answered (possibly relaxed since): it took effect by its completion if at all. */
    private static boolean answered(Operation op) {
        return op.response().kind() != Response.Kind.UNKNOWN || op.response().relaxation != 0;
    }

    /** Reads and refusals: they have no effect, so dropping one only removes a constraint. */
    private boolean constrainsOnly(Operation op) {
        Response.Kind kind = op.response().kind();
        return kind == Response.Kind.REFUSED || (kind == Response.Kind.OK && model.readOnly(op.call()));
    }

    /** The operations invoked before {@code t}; those still running at {@code t} relaxed or dropped. */
    List<Operation> prefix(List<Operation> ops, long t) {
        List<Operation> out = new ArrayList<>();
        for (Operation op : ops) {
            if (op.invokedAt() >= t) {
                continue;
            }
            boolean spans = answered(op) && op.rawCompletedAt() >= t;
            addCut(out, op, spans);
        }
        return out;
    }

    /** The operations not answered before {@code t}; those running at {@code t} relaxed or dropped. */
    List<Operation> suffix(List<Operation> ops, long t) {
        List<Operation> out = new ArrayList<>();
        for (Operation op : ops) {
            if (answered(op) && op.rawCompletedAt() < t) {
                continue;
            }
            addCut(out, op, answered(op) && op.invokedAt() < t);
        }
        return out;
    }

    /** At a cut, a running write may have taken effect by its completion, or not; a running read or refusal goes. */
    private void addCut(List<Operation> out, Operation op, boolean running) {
        if (!running || op.response().relaxation != 0) {
            out.add(op);
        } else if (!constrainsOnly(op)) {
            out.add(optional(op));
        }
    }

    /** An answered write made optional: it may have taken effect by its completion, or not. */
    static Operation optional(Operation op) {
        return new Operation(op.process(), op.key(), op.call(), Response.byCompletionIfAtAll(op.response()),
                op.invokedAt(), op.rawCompletedAt());
    }

    /**
     * A window of the history cut at both ends, checked from the model's "any state": a relaxation
     * of the whole history, so if it is not linearizable, neither is the history.
     */
    List<Operation> window(List<Operation> ops, long from, long to) {
        return suffix(prefix(ops, to), from);
    }

    private boolean fails(List<Operation> ops, S start) {
        if (ops.isEmpty()) {
            return false;
        }
        if (System.nanoTime() - deadline > 0) {
            ranOut = true;
            return false;
        }
        Search.Result result = Search.of(model, start, !fromAny, ops, maxStates, deadline).run();
        if (result.outcome == Search.Outcome.BUDGET_EXHAUSTED) {
            ranOut |= System.nanoTime() - deadline > 0;
            budgetHit = true;
        }
        return result.outcome == Search.Outcome.NOT_LINEARIZABLE;
    }
}
