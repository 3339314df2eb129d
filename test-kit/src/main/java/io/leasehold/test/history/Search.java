package io.leasehold.test.history;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The linearizability search over one key's operations: Wing and Gong's depth-first search with
 * Lowe's memoisation of (operations linearized, model state), as in Porcupine, extended with
 * operations of unknown outcome. The rules and the proof that they lose no linearization are on
 * {@link Checker}; the comments here point at them by name.
 *
 * <p>Not thread-safe: one search per thread.
 */
final class Search<S> {
    /** How a search ended. */
    enum Outcome { LINEARIZABLE, NOT_LINEARIZABLE, BUDGET_EXHAUSTED }

    /** What a search found and how much it explored. */
    static final class Result {
        final Outcome outcome;
        final long states;
        final int definite;
        final int deepest;
        final int unknown;

        Result(Outcome outcome, long states, int definite, int deepest, int unknown) {
            this.outcome = outcome;
            this.states = states;
            this.definite = definite;
            this.deepest = deepest;
            this.unknown = unknown;
        }
    }

    private static final int CLEAN = Integer.MAX_VALUE;

    private final Model<S> model;
    private final S start;
    private final long maxStates;
    private final long deadline;

    // Operations that must take effect, sorted by invocation ("definite": ok, refused, and unknown
    // writes that a later operation observed).
    private final int n;
    private final long[] inv;
    private final long[] ret;
    private final Call[] calls;
    private final Response[] responses;
    private final long[] suffixMinRet;

    // Unknown-outcome operations, grouped into classes of equal calls, classes ordered by the
    // invocation of their first member, members by invocation.
    private final Call[] classCall;
    private final long[][] classInv;
    private final long[] classFirstInv;
    // Latest completion by which a class's member may take effect (the shrinker's cuts), else MAX.
    private final long[] classDeadline;
    private final int unknownCount;
    // Unknown classes by what they need of the state (Model#precondition), each in class order.
    private final int[] allClasses;
    private final int[] anyStateClasses;
    private final Map<Object, int[]> classesByPrecondition;
    private static final int[] NO_CLASSES = new int[0];

    private final Map<Key, Object> failed = new HashMap<>();
    private final Map<Key, Integer> onPath = new HashMap<>();
    private long states;
    private int deepest;

    private Search(Model<S> model, S start, boolean fromInitial, List<Operation> ops, long maxStates, long deadline) {
        this.model = model;
        this.start = start;
        this.maxStates = maxStates;
        this.deadline = deadline;

        // Drop what cannot matter: failed operations (no effect, no information) and unknown reads.
        List<Operation> kept = new ArrayList<>(ops.size());
        for (Operation op : ops) {
            Response.Kind kind = op.response().kind();
            if (kind == Response.Kind.FAILED || (kind == Response.Kind.UNKNOWN && model.readOnly(op.call()))) {
                continue;
            }
            if (kind != Response.Kind.UNKNOWN && op.rawCompletedAt() < op.invokedAt()) {
                throw new IllegalArgumentException("operation completed before it was invoked (clock?): " + op);
            }
            kept.add(op);
        }

        // Rule "unread write ids": a write id no operation refers to is replaced by a shared placeholder,
        // so states and unknown calls that differ only in such ids become equal.
        java.util.Set<String> referenced = new java.util.HashSet<>();
        for (Operation op : kept) {
            referenced.addAll(model.referencedWriteIds(op.call(), op.response()));
        }
        for (int i = 0; i < kept.size(); i++) {
            Operation op = kept.get(i);
            Optional<String> id = model.writeId(op.call());
            if (id.isPresent() && !referenced.contains(id.get())) {
                kept.set(i, new Operation(op.process(), op.key(), model.withoutWriteId(op.call()), op.response(),
                        op.invokedAt(), op.isCompleted() ? op.rawCompletedAt() : null));
            }
        }

        // Rule "observed writes": an unknown write whose unique id a definite operation observed took
        // effect before that operation completed. Only from the initial state: an arbitrary start
        // state may itself hold the id.
        Map<String, Integer> writers = new HashMap<>();
        for (int i = 0; i < kept.size() && fromInitial; i++) {
            Optional<String> id = model.writeId(kept.get(i).call());
            if (id.isPresent()) {
                writers.merge(id.get(), i, (a, b) -> -1);   // -1: not unique, proves nothing
            }
        }
        long[] observedBy = new long[kept.size()];
        Arrays.fill(observedBy, Long.MAX_VALUE);
        for (Operation op : kept) {
            if (op.response().kind() == Response.Kind.UNKNOWN) {
                continue;
            }
            for (String id : model.observedWriteIds(op.call(), op.response())) {
                Integer writer = writers.get(id);
                if (writer != null && writer >= 0 && kept.get(writer).response().kind() == Response.Kind.UNKNOWN) {
                    observedBy[writer] = Math.min(observedBy[writer], op.rawCompletedAt());
                }
            }
        }

        // Unknown operations are grouped by equal calls; one the shrinker bounded by its completion
        // is a class of its own (its deadline makes it unlike the others).
        List<Integer> definite = new ArrayList<>();
        Map<Object, List<Long>> unknownByCall = new LinkedHashMap<>();
        Map<Object, Call> callOfClass = new HashMap<>();
        Map<Object, Long> deadlineOfClass = new HashMap<>();
        for (int i = 0; i < kept.size(); i++) {
            Operation op = kept.get(i);
            Response r = op.response();
            if (r.kind() != Response.Kind.UNKNOWN || observedBy[i] != Long.MAX_VALUE) {
                definite.add(i);
            } else {
                Object group = r.relaxation == Response.BY_COMPLETION_IF_AT_ALL ? Integer.valueOf(i) : op.call();
                unknownByCall.computeIfAbsent(group, c -> new ArrayList<>()).add(op.invokedAt());
                callOfClass.put(group, op.call());
                deadlineOfClass.put(group, r.relaxation == Response.BY_COMPLETION_IF_AT_ALL ? op.rawCompletedAt() : Long.MAX_VALUE);
            }
        }
        definite.sort((a, b) -> Long.compare(kept.get(a).invokedAt(), kept.get(b).invokedAt()));
        n = definite.size();
        inv = new long[n];
        ret = new long[n];
        calls = new Call[n];
        responses = new Response[n];
        for (int j = 0; j < n; j++) {
            int i = definite.get(j);
            Operation op = kept.get(i);
            inv[j] = op.invokedAt();
            calls[j] = op.call();
            if (op.response().kind() == Response.Kind.UNKNOWN) {
                // Promoted: observed at observedBy[i]; an observation before the invocation (impossible
                // for a correct store) leaves a zero-length window, which the search then rejects.
                // A shrinker's optional write, once observed, took effect by its completion too.
                long due = op.response().relaxation != 0 ? Math.min(op.rawCompletedAt(), observedBy[i]) : observedBy[i];
                ret[j] = Math.max(inv[j], due);
                responses[j] = Response.UNKNOWN;
            } else {
                ret[j] = op.rawCompletedAt();
                responses[j] = op.response();
            }
        }
        suffixMinRet = new long[n + 1];
        suffixMinRet[n] = Long.MAX_VALUE;
        for (int j = n - 1; j >= 0; j--) {
            suffixMinRet[j] = Math.min(ret[j], suffixMinRet[j + 1]);
        }

        List<Map.Entry<Object, List<Long>>> classes = new ArrayList<>(unknownByCall.entrySet());
        for (Map.Entry<Object, List<Long>> c : classes) {
            c.getValue().sort(null);
        }
        classes.sort((a, b) -> Long.compare(a.getValue().get(0), b.getValue().get(0)));
        classCall = new Call[classes.size()];
        classInv = new long[classes.size()][];
        classFirstInv = new long[classes.size()];
        classDeadline = new long[classes.size()];
        int count = 0;
        for (int c = 0; c < classes.size(); c++) {
            classCall[c] = callOfClass.get(classes.get(c).getKey());
            classDeadline[c] = deadlineOfClass.get(classes.get(c).getKey());
            classInv[c] = classes.get(c).getValue().stream().mapToLong(Long::longValue).toArray();
            classFirstInv[c] = classInv[c][0];
            count += classInv[c].length;
        }
        unknownCount = count;
        allClasses = new int[classCall.length];
        List<Integer> free = new ArrayList<>();
        Map<Object, List<Integer>> needing = new HashMap<>();
        for (int c = 0; c < classCall.length; c++) {
            allClasses[c] = c;
            Optional<Object> need = model.precondition(classCall[c]);
            if (need.isPresent()) {
                needing.computeIfAbsent(need.get(), x -> new ArrayList<>()).add(c);
            } else {
                free.add(c);
            }
        }
        anyStateClasses = free.stream().mapToInt(Integer::intValue).toArray();
        classesByPrecondition = new HashMap<>();
        needing.forEach((need, list) -> classesByPrecondition.put(need, list.stream().mapToInt(Integer::intValue).toArray()));
    }

    /**
     * Prepares a search.
     *
     * @param start the state to start from
     * @param fromInitial whether {@code start} is the model's initial state (which, unlike an
     *     arbitrary one, holds no write id of the history)
     * @param ops one key's operations, any order, any kinds
     * @param deadline a {@link System#nanoTime()} after which the search gives up
     */
    static <S> Search<S> of(Model<S> model, S start, boolean fromInitial, Collection<Operation> ops, long maxStates, long deadline) {
        return new Search<>(model, start, fromInitial, new ArrayList<>(ops), maxStates, deadline);
    }

    Result run() {
        Node root = new Node(0, new BitSet(), start, new int[classCall.length], n, 0, null, Long.MIN_VALUE);
        if (n == 0) {
            return result(Outcome.LINEARIZABLE);
        }
        ArrayDeque<Node> stack = new ArrayDeque<>();
        stack.push(root);
        onPath.put(root.key, 0);
        states = 1;
        while (!stack.isEmpty()) {
            Node node = stack.peek();
            Node child = node.nextChild();
            if (child == null) {
                // Exhausted: no completion from here. Remember it only if no pruning in its subtree
                // leaned on an ancestor above it (rules "null segments" and "useless unknowns").
                stack.pop();
                onPath.remove(node.key);
                if (node.taint >= node.depth) {
                    rememberFailed(node);
                }
                Node parent = stack.peek();
                if (parent != null) {
                    parent.taint = Math.min(parent.taint, node.taint);
                }
                continue;
            }
            if (child.remaining == 0) {
                deepest = n;
                return result(Outcome.LINEARIZABLE);
            }
            // Rule "null segments": an ancestor with the same definite set and state.
            Integer ancestor = onPath.get(child.key);
            if (ancestor != null) {
                node.taint = Math.min(node.taint, ancestor);
                continue;
            }
            if (dominated(child)) {
                continue;
            }
            if (++states > maxStates || ((states & 1023) == 0 && System.nanoTime() - deadline > 0)) {
                return result(Outcome.BUDGET_EXHAUSTED);
            }
            deepest = Math.max(deepest, n - child.remaining);
            stack.push(child);
            onPath.put(child.key, child.depth);
        }
        return result(Outcome.NOT_LINEARIZABLE);
    }

    private Result result(Outcome outcome) {
        return new Result(outcome, states, n, deepest, unknownCount);
    }

    /** Rule "dominance": a failed state with the same definite set and state, and fewer unknowns applied. */
    private boolean dominated(Node child) {
        Object stored = failed.get(child.key);
        if (stored == null) {
            return false;
        }
        if (stored instanceof int[]) {
            return leq((int[]) stored, child.counts);
        }
        @SuppressWarnings("unchecked")
        List<int[]> list = (List<int[]>) stored;
        for (int[] counts : list) {
            if (leq(counts, child.counts)) {
                return true;
            }
        }
        return false;
    }

    private void rememberFailed(Node node) {
        Object stored = failed.get(node.key);
        if (stored == null) {
            failed.put(node.key, node.counts);
            return;
        }
        List<int[]> list;
        if (stored instanceof int[]) {
            list = new ArrayList<>(2);
            list.add((int[]) stored);
            failed.put(node.key, list);
        } else {
            @SuppressWarnings("unchecked")
            List<int[]> existing = (List<int[]>) stored;
            list = existing;
        }
        // Keep an antichain: entries the new one dominates prune nothing it does not.
        list.removeIf(counts -> leq(node.counts, counts));
        list.add(node.counts);
    }

    private static boolean leq(int[] a, int[] b) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] > b[i]) {
                return false;
            }
        }
        return true;
    }

    /** Definite operations linearized (all before {@code p}, and the set bits of {@code window} from p), and the state. */
    private record Key(int p, BitSet window, Object state) {
    }

    /** A search state, and the iteration over its children. */
    private final class Node {
        final int p;
        final BitSet window;
        final S state;
        final int[] counts;
        final int remaining;
        final int depth;
        final Key key;
        /** The parent's state if this node was reached by applying an unknown operation, else null. */
        final S beforeUnknown;
        /** The latest invocation among the operations linearized so far. */
        final long maxInv;
        int taint = CLEAN;

        private boolean expanded;
        private long minRet;
        private int defCursor;
        private int[][] classLists;
        private int classList;
        private int classCursor;
        private int pending;
        private List<S> alternatives = List.of();
        private int alternative;

        Node(int p, BitSet window, S state, int[] counts, int remaining, int depth, S beforeUnknown, long maxInv) {
            this.beforeUnknown = beforeUnknown;
            this.maxInv = maxInv;
            this.p = p;
            this.window = window;
            this.state = state;
            this.counts = counts;
            this.remaining = remaining;
            this.depth = depth;
            this.key = new Key(p, window, state);
        }

        /** The next child not yet tried, or null when all have been. */
        Node nextChild() {
            if (!expanded) {
                expand();
            }
            while (true) {
                if (alternative < alternatives.size()) {
                    return child(pending, alternatives.get(alternative++));
                }
                if (!advance()) {
                    return null;
                }
            }
        }

        private void expand() {
            expanded = true;
            // An operation may go next if no operation still to linearize returned before it was
            // invoked (ties count as concurrent).
            long m = suffixMinRet[Math.min(n, p + window.length())];
            for (int i = window.nextClearBit(0); p + i < n && i < window.length(); i = window.nextClearBit(i + 1)) {
                m = Math.min(m, ret[p + i]);
            }
            minRet = m;
            defCursor = p;
            Optional<Object> stateKey = classCall.length == 0 ? Optional.empty() : model.preconditionKey(state);
            classLists = stateKey.isEmpty() ? new int[][] {allClasses}
                    : new int[][] {anyStateClasses, classesByPrecondition.getOrDefault(stateKey.get(), NO_CLASSES)};
        }

        /** Moves to the next candidate operation and computes its next states. */
        private boolean advance() {
            // Definite operations first, then unknown ones: applying unknowns lazily finds the usual
            // linearization of a correct history with little backtracking.
            while (defCursor < n && inv[defCursor] <= minRet) {
                int i = defCursor++;
                if (i > p && window.get(i - p)) {
                    continue;
                }
                pending = i;
                alternatives = unsuperseded(model.step(state, calls[i], responses[i]), calls[i], responses[i]);
                alternative = 0;
                return true;
            }
            // Rule "interchangeable unknowns": only the earliest unapplied member of each class.
            while (classList < classLists.length) {
                int[] list = classLists[classList];
                if (classCursor >= list.length || classFirstInv[list[classCursor]] > minRet) {
                    classList++;
                    classCursor = 0;
                    continue;
                }
                int c = list[classCursor++];
                int k = counts[c];
                // A member bounded by its completion may not follow an operation invoked after it.
                if (k < classInv[c].length && classInv[c][k] <= minRet && classDeadline[c] >= maxInv) {
                    pending = -1 - c;
                    alternatives = unsuperseded(model.step(state, classCall[c], Response.UNKNOWN), classCall[c], Response.UNKNOWN);
                    alternative = 0;
                    return true;
                }
            }
            return false;
        }

        /**
         * Rule "useless unknowns": right after an unknown operation, drop the next states that this
         * call (definite or unknown) reaches from the state before that unknown too: the unknown was
         * applied for nothing. Depends on the edge from the parent, hence the taint.
         */
        private List<S> unsuperseded(List<S> next, Call call, Response response) {
            if (beforeUnknown == null || next.isEmpty()) {
                return next;
            }
            List<S> direct = model.step(beforeUnknown, call, response);
            if (direct.isEmpty()) {
                return next;
            }
            List<S> kept = new ArrayList<>(next.size());
            for (S s : next) {
                if (!direct.contains(s)) {
                    kept.add(s);
                }
            }
            if (kept.size() < next.size()) {
                taint = Math.min(taint, depth - 1);
            }
            return kept;
        }

        private Node child(int op, S next) {
            if (op >= 0) {
                BitSet w = (BitSet) window.clone();
                w.set(op - p);
                int shift = w.nextClearBit(0);
                BitSet shifted = shift == 0 ? w : w.get(shift, Math.max(shift, w.length()));
                return new Node(p + shift, shifted, next, counts, remaining - 1, depth + 1, null, Math.max(maxInv, inv[op]));
            }
            int c = -1 - op;
            int[] applied = counts.clone();
            long invoked = classInv[c][applied[c]++];
            return new Node(p, window, next, applied, remaining, depth + 1, state, Math.max(maxInv, invoked));
        }
    }
}
