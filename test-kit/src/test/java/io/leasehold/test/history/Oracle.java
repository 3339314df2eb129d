package io.leasehold.test.history;

import java.util.ArrayList;
import java.util.List;

/**
 * Linearizability by brute force, straight from the definition, for small histories: try every
 * order of every subset of the unknown operations together with all the definite ones. None of the
 * checker's rules (observed writes, interchangeable unknowns, dominance, null segments, memoisation)
 * is used, so agreeing with it on thousands of random histories is evidence they are sound and
 * complete.
 */
final class Oracle<S> {
    private final Model<S> model;
    private final List<Operation> ops = new ArrayList<>();
    private final boolean[] unknown;

    Oracle(Model<S> model, List<Operation> history) {
        this.model = model;
        for (Operation op : history) {
            Response.Kind kind = op.response().kind();
            // Failed operations had no effect; unknown reads have none either (the model's word).
            if (kind == Response.Kind.FAILED || (kind == Response.Kind.UNKNOWN && model.readOnly(op.call()))) {
                continue;
            }
            ops.add(op);
        }
        unknown = new boolean[ops.size()];
        for (int i = 0; i < ops.size(); i++) {
            unknown[i] = ops.get(i).response().kind() == Response.Kind.UNKNOWN;
        }
    }

    boolean linearizable(S start) {
        int definite = 0;
        for (boolean u : unknown) {
            definite += u ? 0 : 1;
        }
        return search(new boolean[ops.size()], start, definite);
    }

    private boolean search(boolean[] done, S state, int definiteLeft) {
        if (definiteLeft == 0) {
            return true;
        }
        long minRet = Long.MAX_VALUE;
        for (int i = 0; i < ops.size(); i++) {
            if (!done[i] && !unknown[i]) {
                minRet = Math.min(minRet, ops.get(i).rawCompletedAt());
            }
        }
        for (int i = 0; i < ops.size(); i++) {
            Operation op = ops.get(i);
            if (done[i] || op.invokedAt() > minRet) {
                continue;
            }
            Response r = unknown[i] ? Response.UNKNOWN : op.response();
            for (S next : model.step(state, op.call(), r)) {
                done[i] = true;
                boolean found = search(done, next, definiteLeft - (unknown[i] ? 0 : 1));
                done[i] = false;
                if (found) {
                    return true;
                }
            }
        }
        return false;
    }
}
