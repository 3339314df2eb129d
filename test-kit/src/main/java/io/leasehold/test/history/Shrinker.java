package io.leasehold.test.history;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Shrinks one key's non-linearizable history to a minimal offending sub-history: one from which no
 * single operation can be dropped with the rest still not linearizable.
 *
 * <p>Where the model has an {@linkplain Model#anyState() "any state"} and the history is not
 * linearizable even from it, the sub-history is checked from that state, so the operations that
 * merely led up to the fault can go (otherwise dropping, say, the first increments of a counter
 * would itself make later reads impossible, and the shrunk history would show that instead of the
 * fault). Every step is checked by a full search; a step whose search runs out of budget counts as
 * linearizable, so the result is always a verified offender.
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

    /** The offending sub-history and what it was checked from. */
    static final class Shrunk {
        final List<Operation> ops;
        final String start;
        final boolean minimal;

        Shrunk(List<Operation> ops, String start, boolean minimal) {
            this.ops = ops;
            this.start = start;
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

        // The shortest failing prefix (by invocation), then, from an arbitrary state, the shortest
        // failing suffix of that: bisection keeps "hi fails" true at every step.
        int lo = 0;
        int hi = current.size();
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (fails(current.subList(0, mid), start)) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        current = new ArrayList<>(current.subList(0, hi));
        if (fromAny) {
            lo = 0;
            hi = current.size();
            while (hi - lo > 1) {
                int mid = (lo + hi) >>> 1;
                if (fails(current.subList(mid, current.size()), start)) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            current = new ArrayList<>(current.subList(lo, current.size()));
        }

        // Drop chunks, halving their size, latest first; then single operations until none can go.
        for (int chunk = Math.max(1, current.size() / 2); chunk > 1; chunk /= 2) {
            current = dropChunks(current, chunk, start);
        }
        for (int before = -1; before != current.size() && !ranOut; ) {
            before = current.size();
            current = dropChunks(current, 1, start);
        }
        String from = fromAny
                ? "not linearizable from any start state"
                : "not linearizable from the initial state " + model.describe(start);
        return new Shrunk(List.copyOf(current), from, !ranOut && !budgetHit);
    }

    private List<Operation> dropChunks(List<Operation> ops, int chunk, S start) {
        List<Operation> current = ops;
        for (int to = current.size(); to > 0 && !ranOut; ) {
            int from = Math.max(0, to - chunk);
            List<Operation> candidate = new ArrayList<>(current.size() - (to - from));
            candidate.addAll(current.subList(0, from));
            candidate.addAll(current.subList(to, current.size()));
            if (!candidate.isEmpty() && fails(candidate, start)) {
                current = candidate;
            }
            to = from;
        }
        return current;
    }

    private boolean fails(List<Operation> ops, S start) {
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
