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
    /** May take effect or not; with {@link #deadline}: if at all, before any later-invoked operation precedes it. */
    private final boolean[] optional;
    private final long[] deadline;
    private final boolean[] answerKnown;

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
        optional = new boolean[ops.size()];
        deadline = new long[ops.size()];
        answerKnown = new boolean[ops.size()];
        for (int i = 0; i < ops.size(); i++) {
            Response r = ops.get(i).response();
            answerKnown[i] = r.kind() != Response.Kind.UNKNOWN;
            optional[i] = r.kind() == Response.Kind.UNKNOWN;
            deadline[i] = r.kind() != Response.Kind.UNKNOWN || r.relaxation != 0 ? ops.get(i).rawCompletedAt() : Long.MAX_VALUE;
        }
    }

    boolean linearizable(S start) {
        int mandatory = 0;
        for (boolean o : optional) {
            mandatory += o ? 0 : 1;
        }
        return search(new boolean[ops.size()], start, mandatory, Long.MIN_VALUE);
    }

    private boolean search(boolean[] done, S state, int mandatoryLeft, long maxInvoked) {
        if (mandatoryLeft == 0) {
            return true;
        }
        // Straight from the definition: an operation may go next if no operation still to go
        // (that must go) completed before it was invoked, and, if it has a deadline, no operation
        // already gone was invoked after that deadline.
        long minRet = Long.MAX_VALUE;
        for (int i = 0; i < ops.size(); i++) {
            if (!done[i] && !optional[i]) {
                minRet = Math.min(minRet, deadline[i]);
            }
        }
        for (int i = 0; i < ops.size(); i++) {
            Operation op = ops.get(i);
            if (done[i] || op.invokedAt() > minRet || maxInvoked > deadline[i]) {
                continue;
            }
            Response r = answerKnown[i] ? op.response() : Response.UNKNOWN;
            for (S next : model.step(state, op.call(), r)) {
                done[i] = true;
                boolean found = search(done, next, mandatoryLeft - (optional[i] ? 0 : 1), Math.max(maxInvoked, op.invokedAt()));
                done[i] = false;
                if (found) {
                    return true;
                }
            }
        }
        return false;
    }
}
