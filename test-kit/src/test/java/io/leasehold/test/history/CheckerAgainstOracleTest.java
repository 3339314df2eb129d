package io.leasehold.test.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The checker against a brute-force oracle on thousands of small random histories: simulated
 * correct executions (with many unknown outcomes, some applied after the caller gave up), then
 * randomly corrupted answers and times. The checker must agree on every one, its offending
 * sub-histories must really be non-linearizable and 1-minimal, and a model's "any state" must
 * explain everything a concrete start state explains.
 */
class CheckerAgainstOracleTest {
    private static final CheckOptions NO_SHRINK = CheckOptions.builder().shrink(false).parallelism(1).build();

    @Test
    void counterAgreesWithBruteForce() {
        agree(Simulation.Kind.COUNTER, Models.counter(), true, 3000);
    }

    @Test
    void uniqueEtagRegisterAgreesWithBruteForce() {
        agree(Simulation.Kind.REGISTER, Models.register(true), true, 3000);
    }

    @Test
    void contentEtagRegisterAgreesWithBruteForce() {
        agree(Simulation.Kind.REGISTER, Models.register(false), false, 3000);
    }

    @Test
    void uniqueEtagModelOnAContentEtagStoreAgreesWithBruteForce() {
        // The store matches by content, the model by write: A->B->A histories are anomalies here.
        agree(Simulation.Kind.REGISTER, Models.register(true), false, 2000);
    }

    private static <S> void agree(Simulation.Kind kind, Model<S> model, boolean storeUniqueEtags, int runs) {
        int linearizable = 0;
        int anomalies = 0;
        int withUnknown = 0;
        int shrunk = 0;
        for (int seed = 0; seed < runs; seed++) {
            Random random = new Random(seed * 7919L + kind.ordinal());
            History simulated = new Simulation(kind, seed)
                    .processes(2 + random.nextInt(2))
                    .unknownRate(random.nextInt(3) == 0 ? 0 : 0.3)
                    .readRate(0.3)
                    .storeUniqueEtags(storeUniqueEtags)
                    .run(4 + random.nextInt(4));
            List<Operation> ops = perturb(Simulation.ops(simulated), random);
            boolean expected = new Oracle<>(model, ops).linearizable(model.initial());
            CheckResult.KeyResult got = Checker.checkKey(model, "k", ops, NO_SHRINK);
            assertEquals(expected ? CheckResult.Verdict.OK : CheckResult.Verdict.ANOMALY, got.verdict(),
                    () -> "seed " + seedOf(ops) + ": checker disagrees with brute force on\n" + Timeline.render(ops, "  "));
            if (ops.stream().anyMatch(op -> op.response().kind() == Response.Kind.UNKNOWN)) {
                withUnknown++;
            }
            if (expected) {
                linearizable++;
                // "Any state" must explain at least what the initial state explains.
                model.anyState().ifPresent(any -> assertTrue(new Oracle<>(model, ops).linearizable(any),
                        () -> "any state explains less than the initial state:\n" + Timeline.render(ops, "  ")));
                continue;
            }
            anomalies++;
            if (seed % 3 == 0) {
                shrunk++;
                checkShrunk(model, ops);
            }
        }
        // Not vacuous: both verdicts, and unknown outcomes, are well represented.
        assertTrue(linearizable > runs / 10, "linearizable histories: " + linearizable);
        assertTrue(anomalies > runs / 10, "non-linearizable histories: " + anomalies);
        assertTrue(withUnknown > runs / 3, "histories with unknown outcomes: " + withUnknown);
        assertTrue(shrunk > 50, "shrunk: " + shrunk);
    }

    private static <S> void checkShrunk(Model<S> model, List<Operation> ops) {
        CheckResult.KeyResult r = Checker.checkKey(model, "k", ops, CheckOptions.builder().parallelism(1).build());
        List<Operation> core = r.offending();
        String why = r.explanation().orElseThrow();
        boolean fromAny = why.contains("from any start state");
        S start = fromAny ? model.anyState().orElseThrow() : model.initial();
        assertFalse(new Oracle<>(model, core).linearizable(start), () -> "offending core is linearizable:\n" + why);
        assertTrue(why.contains(", minimal,"), why);
        // 1-minimal: no read or refusal can go with the rest still failing.
        for (int i = 0; i < core.size(); i++) {
            Operation op = core.get(i);
            List<Operation> less = new ArrayList<>(core);
            if (op.response().kind() == Response.Kind.REFUSED || (op.response().kind() == Response.Kind.OK && model.readOnly(op.call()))) {
                less.remove(i);
            } else {
                continue;
            }
            int dropped = i;
            assertTrue(less.isEmpty() || new Oracle<>(model, less).linearizable(start),
                    () -> "not minimal: still fails without operation " + dropped + ":\n" + why);
        }
    }

    /**
     * The shrinker's steps are relaxations: applied to a linearizable history, each leaves it
     * linearizable (the cut from "any state"). This is what makes its cores genuine.
     */
    @Test
    void shrinkingStepsKeepLinearizableHistoriesLinearizable() {
        relaxationsKeepLinearizable(Simulation.Kind.COUNTER, Models.counter(), true);
        relaxationsKeepLinearizable(Simulation.Kind.REGISTER, Models.register(true), true);
        relaxationsKeepLinearizable(Simulation.Kind.REGISTER, Models.register(false), false);
    }

    /** Histories with the shrinker's optional, deadline-bounded writes: the search agrees with brute force. */
    @Test
    void cutHistoriesAgreeWithBruteForce() {
        cutsAgree(Simulation.Kind.COUNTER, Models.counter(), true);
        cutsAgree(Simulation.Kind.REGISTER, Models.register(true), true);
    }

    private static <S> void cutsAgree(Simulation.Kind kind, Model<S> model, boolean uniqueEtags) {
        Shrinker<S> shrinker = new Shrinker<>(model, 1000, System.nanoTime());
        CheckOptions options = CheckOptions.builder().shrink(false).parallelism(1).build();
        int optional = 0;
        for (int seed = 0; seed < 1500; seed++) {
            Random random = new Random(seed + 77);
            List<Operation> ops = perturb(Simulation.ops(new Simulation(kind, seed).processes(3).unknownRate(0.2).readRate(0.3)
                    .storeUniqueEtags(uniqueEtags).run(5 + random.nextInt(3))), random);
            Operation pick = ops.get(random.nextInt(ops.size()));
            long t = pick.invokedAt() + random.nextInt(40);
            S any = model.anyState().orElseThrow();
            for (List<Operation> cut : List.of(shrinker.prefix(ops, t), shrinker.suffix(ops, t))) {
                S start = cut.size() > 0 && random.nextBoolean() ? any : model.initial();
                optional += (int) cut.stream().filter(op -> op.response().relaxation != 0).count();
                boolean expected = new Oracle<>(model, cut).linearizable(start);
                boolean got = Search.of(model, start, start != any, cut, 1_000_000, System.nanoTime() + 3_600_000_000_000L).run().outcome
                        == Search.Outcome.LINEARIZABLE;
                assertEquals(expected, got, () -> "search disagrees with brute force on\n" + Timeline.render(cut, "  "));
            }
        }
        assertTrue(optional > 500, "optional writes: " + optional);
    }

    private static <S> void relaxationsKeepLinearizable(Simulation.Kind kind, Model<S> model, boolean uniqueEtags) {
        Shrinker<S> shrinker = new Shrinker<>(model, 1000, System.nanoTime());
        int checked = 0;
        for (int seed = 0; seed < 1500; seed++) {
            Random random = new Random(seed);
            List<Operation> ops = Simulation.ops(new Simulation(kind, seed).processes(3).unknownRate(0.3).readRate(0.3)
                    .storeUniqueEtags(uniqueEtags).run(5 + random.nextInt(3)));
            if (!new Oracle<>(model, ops).linearizable(model.initial())) {
                continue;
            }
            checked++;
            Operation pick = ops.get(random.nextInt(ops.size()));
            long t = random.nextBoolean() ? pick.invokedAt() : pick.rawCompletedAt() + random.nextInt(3) - 1;
            List<Operation> prefix = shrinker.prefix(ops, t);
            assertTrue(new Oracle<>(model, prefix).linearizable(model.initial()), () -> "prefix at " + (t - ops.get(0).invokedAt())
                    + " of\n" + Timeline.render(ops, "  ") + "\nis\n" + Timeline.render(prefix, "  "));
            model.anyState().ifPresent(any -> {
                List<Operation> suffix = shrinker.suffix(ops, t);
                assertTrue(new Oracle<>(model, suffix).linearizable(any), () -> "suffix at " + (t - ops.get(0).invokedAt())
                        + " of\n" + Timeline.render(ops, "  ") + "\nis\n" + Timeline.render(suffix, "  "));
            });
        }
        assertTrue(checked > 1000, "linearizable histories checked: " + checked);
    }

    /** Corrupts some answers and times, so that about half the histories are anomalies. */
    private static List<Operation> perturb(List<Operation> ops, Random random) {
        List<Operation> out = new ArrayList<>(ops);
        int changes = random.nextInt(3);
        for (int c = 0; c < changes && !out.isEmpty(); c++) {
            int i = random.nextInt(out.size());
            Operation op = out.get(i);
            if (!op.isCompleted()) {
                continue;
            }
            Response r = op.response();
            long completed = op.rawCompletedAt();
            switch (random.nextInt(4)) {
                case 0:
                    // Shorten the interval: fewer overlaps, more real-time order.
                    completed = op.invokedAt() + (completed - op.invokedAt()) / 3;
                    break;
                case 1:
                    if (r.kind() != Response.Kind.UNKNOWN) {
                        r = Response.unknown("perturbed");
                    }
                    break;
                default:
                    r = otherAnswer(op, out, random);
                    break;
            }
            out.set(i, new Operation(op.process(), op.key(), op.call(), r, op.invokedAt(), completed));
        }
        return out;
    }

    private static Response otherAnswer(Operation op, List<Operation> all, Random random) {
        Response r = op.response();
        String name = op.call().name();
        if (r.kind() == Response.Kind.UNKNOWN) {
            return r;
        }
        if (r.raw("value") != null) {
            return Counter.value(Long.parseLong(r.raw("value")) + (random.nextBoolean() ? 1 : -1));
        }
        switch (name) {
            case Register.GET: {
                List<Call> writes = new ArrayList<>();
                for (Operation o : all) {
                    if (o.call().raw("writeId") != null) {
                        writes.add(o.call());
                    }
                }
                if (writes.isEmpty() || random.nextInt(4) == 0) {
                    return r.kind() == Response.Kind.OK ? Response.refused(Response.NOT_FOUND) : r;
                }
                Call w = writes.get(random.nextInt(writes.size()));
                return Register.found(w.raw("content"), w.raw("writeId"));
            }
            case Register.PUT_CREATE:
                return r.kind() == Response.Kind.OK ? Response.refused(Response.ALREADY_EXISTS) : Response.ok();
            case Register.PUT_IF_MATCH:
            case Register.DELETE_IF_MATCH:
                return r.kind() == Response.Kind.OK ? Response.refused(Response.PRECONDITION_FAILED) : Response.ok();
            case Register.DELETE:
                return r.kind() == Response.Kind.OK ? Response.refused(Response.NOT_FOUND) : Response.ok();
            default:
                return r;
        }
    }

    private static String seedOf(List<Operation> ops) {
        return ops.size() + " ops";
    }
}
