package io.leasehold.test.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leasehold.test.history.CheckResult.Verdict;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Each anomaly kind is caught, named by a minimal sub-history; correct histories pass. */
class CheckerTest {
    private static final Model<?> COUNTER = Models.counter();
    private static final Model<?> UNIQUE = Models.register(true);
    private static final Model<?> HASHED = Models.register(false);

    private static CheckResult check(Script s, Model<?> model) {
        CheckResult r = Checker.check(s.history, model);
        System.out.println(r.report());
        return r;
    }

    private static List<String> offending(CheckResult r) {
        return r.anomalies().get(0).offending().stream().map(op -> op.process() + " " + op.call() + " -> " + op.response())
                .collect(Collectors.toList());
    }

    // ---------------------------------------------------------------- counter

    @Test
    void sequentialCounterIsLinearizable() {
        Script s = new Script()
                .op("p1", 0, 10, Counter.add(1), Counter.value(1))
                .op("p2", 20, 30, Counter.add(-1), Counter.value(0))
                .op("p1", 40, 50, Counter.get(), Counter.value(0));
        assertTrue(check(s, COUNTER).isOk());
    }

    @Test
    void concurrentAdditionsMayTakeEffectInEitherOrder() {
        Script s = new Script()
                .op("p1", 0, 30, Counter.add(1), Counter.value(2))
                .op("p2", 10, 20, Counter.add(1), Counter.value(1));
        assertTrue(check(s, COUNTER).isOk());
    }

    @Test
    void lostUpdateIsCaught() {
        // Two additions one after the other both answer 2: the second overwrote the first.
        Script s = new Script()
                .op("p1", 0, 10, Counter.add(1), Counter.value(1))
                .op("p1", 20, 30, Counter.add(1), Counter.value(2))
                .op("p2", 40, 50, Counter.add(1), Counter.value(2))
                .op("p3", 60, 70, Counter.get(), Counter.value(2));
        CheckResult r = check(s, COUNTER);
        assertEquals(Verdict.ANOMALY, r.verdict());
        assertEquals(List.of("p1 add delta=1 -> ok value=2", "p2 add delta=1 -> ok value=2"), offending(r));
        assertTrue(r.report().contains("from any start state"), r.report());
    }

    @Test
    void doubleAppliedIncrementIsCaughtAmongAlternatingDeltas() {
        // +1 and -1 alternate, so values repeat; one +1 whose answer was lost took effect twice:
        // between "-1 -> 0" and "-1 -> 1" the value rose by 2 with one +1 in flight.
        Script s = new Script()
                .op("p1", 0, 10, Counter.add(1), Counter.value(1))
                .op("p1", 20, 30, Counter.add(-1), Counter.value(0))
                .op("p2", 40, 50, Counter.add(1), Response.unknown("timeout"))
                .op("p3", 60, 70, Counter.add(-1), Counter.value(1))
                .op("p3", 80, 90, Counter.get(), Counter.value(1));
        CheckResult r = check(s, COUNTER);
        assertEquals(Verdict.ANOMALY, r.verdict());
        assertEquals(List.of("p1 add delta=-1 -> ok value=0", "p2 add delta=1 -> unknown (timeout)",
                "p3 add delta=-1 -> ok value=1"), offending(r));
        Script once = new Script()
                .op("p1", 0, 10, Counter.add(1), Counter.value(1))
                .op("p1", 20, 30, Counter.add(-1), Counter.value(0))
                .op("p2", 40, 50, Counter.add(1), Response.unknown("timeout"))
                .op("p3", 60, 70, Counter.add(-1), Counter.value(0))
                .op("p3", 80, 90, Counter.get(), Counter.value(0));
        assertTrue(check(once, COUNTER).isOk());
    }

    @Test
    void aLostIncrementIsMaskedByAnUnknownDecrementThatMayHaveTakenEffect() {
        // The store lost p2's +1 (p3 reads 1). But p4's -1 has an unknown outcome: had it taken
        // effect, 1 is right. Linearizable, so correctly not an anomaly: to catch lost updates,
        // settle unknown outcomes or keep them rare and of one sign.
        Script masked = new Script()
                .op("p1", 0, 10, Counter.add(1), Counter.value(1))
                .op("p4", 5, 15, Counter.add(-1), Response.unknown("timeout"))
                .op("p2", 20, 30, Counter.add(1), Counter.value(2))
                .op("p3", 40, 50, Counter.get(), Counter.value(1));
        assertTrue(check(masked, COUNTER).isOk());
        Script bare = new Script()
                .op("p1", 0, 10, Counter.add(1), Counter.value(1))
                .op("p2", 20, 30, Counter.add(1), Counter.value(2))
                .op("p3", 40, 50, Counter.get(), Counter.value(1));
        assertEquals(Verdict.ANOMALY, check(bare, COUNTER).verdict());
    }

    @Test
    void unknownAdditionsMayHaveTakenEffectOrNot() {
        Script s = new Script()
                .op("p1", 0, 10, Counter.add(1), Response.unknown("reset"))
                .op("p2", 5, 15, Counter.add(1), Response.unknown("504"))
                .op("p3", 20, 30, Counter.get(), Counter.value(1))       // one of them so far
                .op("p3", 40, 50, Counter.get(), Counter.value(2));      // and the other, later
        assertTrue(check(s, COUNTER).isOk());
    }

    @Test
    void anUnknownAdditionTakesEffectAtMostOnce() {
        Script s = new Script()
                .op("p1", 0, 10, Counter.add(1), Response.unknown("reset"))
                .op("p3", 20, 30, Counter.get(), Counter.value(2));
        assertEquals(Verdict.ANOMALY, check(s, COUNTER).verdict());
    }

    @Test
    void correctHistoryWithManyUnknownOutcomesIsLinearizable() {
        History h = new Simulation(Simulation.Kind.COUNTER, 42).processes(8).unknownRate(0.3).run(3000);
        CheckResult r = check(new ScriptOf(h).script, COUNTER);
        assertTrue(r.isOk(), r::report);
        assertTrue(r.keys().get(0).unknownOperations() > 700, r::report);
    }

    @Test
    void failedOperationsAreIgnored() {
        Script s = new Script()
                .op("p1", 0, 10, Counter.add(1), Response.failed("400 invalid argument"))
                .op("p2", 20, 30, Counter.get(), Counter.value(0));
        assertTrue(check(s, COUNTER).isOk());
    }

    @Test
    void operationsNeverCompletedCountAsUnknown() {
        Script ok = new Script()
                .pending("p1", 0, Counter.add(1))
                .op("p2", 10, 20, Counter.get(), Counter.value(1));
        assertTrue(check(ok, COUNTER).isOk());
        Script twice = new Script()
                .pending("p1", 0, Counter.add(1))
                .op("p2", 10, 20, Counter.get(), Counter.value(2));
        assertEquals(Verdict.ANOMALY, check(twice, COUNTER).verdict());
    }

    @Test
    void aMissingCounterReadsAsNotFoundOrZero() {
        Script s = new Script()
                .op("p1", 0, 10, Counter.get(), Response.refused(Response.NOT_FOUND))
                .op("p1", 20, 30, Counter.add(1), Counter.value(1))
                .op("p2", 40, 50, Counter.get(), Response.refused(Response.NOT_FOUND));
        CheckResult r = check(s, COUNTER);
        assertEquals(Verdict.ANOMALY, r.verdict());
    }

    // ---------------------------------------------------------------- register

    @Test
    void staleReadIsCaught() {
        Script s = new Script()
                .op("p1", 0, 10, Register.put("A", "w1"), Response.ok())
                .op("p2", 20, 30, Register.put("B", "w2"), Response.ok())
                .op("p3", 40, 50, Register.get(), Register.found("A", "w1"));
        CheckResult r = check(s, UNIQUE);
        assertEquals(Verdict.ANOMALY, r.verdict());
        assertEquals(List.of("p2 put content=B writeId=w2 -> ok", "p3 get -> ok content=A writeId=w1"), offending(r));
    }

    @Test
    void readConcurrentWithAWriteMaySeeEitherVersion() {
        Script s = new Script()
                .op("p1", 0, 10, Register.put("A", "w1"), Response.ok())
                .op("p2", 20, 50, Register.put("B", "w2"), Response.ok())
                .op("p3", 30, 40, Register.get(), Register.found("A", "w1"))
                .op("p4", 30, 40, Register.get(), Register.found("B", "w2"));
        assertTrue(check(s, UNIQUE).isOk());
    }

    /** A, then B, then A again; a compare-and-swap based on the first A. */
    private static Script abaThenSwap(Response swap) {
        return new Script()
                .op("p1", 0, 10, Register.put("A", "w1"), Response.ok())
                .op("p1", 11, 12, Register.get(), Register.found("A", "w1"))
                .op("p2", 20, 30, Register.put("B", "w2"), Response.ok())
                .op("p3", 40, 50, Register.put("A", "w3"), Response.ok())
                .op("p1", 60, 70, Register.putIfMatch(Register.version("A", "w1"), "C", "w4"), swap);
    }

    @Test
    void abaSwapSucceedingIsAnAnomalyOnlyWithUniqueEtags() {
        CheckResult unique = check(abaThenSwap(Response.ok()), UNIQUE);
        assertEquals(Verdict.ANOMALY, unique.verdict());
        assertTrue(offending(unique).contains("p1 put-if-match expectedContent=A expectedWriteId=w1 content=C writeId=w4 -> ok"));
        assertTrue(check(abaThenSwap(Response.ok()), HASHED).isOk(), "a content-hash ETag matches the second A");
    }

    @Test
    void abaSwapRefusedIsAnAnomalyOnlyWithContentEtags() {
        assertTrue(check(abaThenSwap(Response.refused(Response.PRECONDITION_FAILED)), UNIQUE).isOk());
        assertEquals(Verdict.ANOMALY, check(abaThenSwap(Response.refused(Response.PRECONDITION_FAILED)), HASHED).verdict());
    }

    @Test
    void refusalsMustBeLegalWhereTheyTakeEffect() {
        Script create = new Script()
                .op("p1", 0, 10, Register.putCreate("A", "w1"), Response.refused(Response.ALREADY_EXISTS));
        assertEquals(Verdict.ANOMALY, check(create, UNIQUE).verdict(), "refused a create of an absent object");
        Script delete = new Script()
                .op("p1", 0, 10, Register.put("A", "w1"), Response.ok())
                .op("p2", 20, 30, Register.delete(), Response.refused(Response.NOT_FOUND));
        assertEquals(Verdict.ANOMALY, check(delete, UNIQUE).verdict(), "delete said not found after a write");
        Script twoCreates = new Script()
                .op("p1", 0, 30, Register.putCreate("A", "w1"), Response.ok())
                .op("p2", 0, 30, Register.putCreate("B", "w2"), Response.ok());
        assertEquals(Verdict.ANOMALY, check(twoCreates, UNIQUE).verdict(), "two creates both won");
    }

    @Test
    void anUnknownWriteMayExplainARefusal() {
        Script s = new Script()
                .op("p1", 0, 10, Register.put("A", "w1"), Response.ok())
                .op("p2", 15, 25, Register.put("B", "w2"), Response.unknown("502 after forwarding"))
                .op("p3", 30, 40, Register.putIfMatch(Register.version("A", "w1"), "C", "w3"),
                        Response.refused(Response.PRECONDITION_FAILED));
        assertTrue(check(s, UNIQUE).isOk());
        Script none = new Script()
                .op("p1", 0, 10, Register.put("A", "w1"), Response.ok())
                .op("p3", 30, 40, Register.putIfMatch(Register.version("A", "w1"), "C", "w3"),
                        Response.refused(Response.PRECONDITION_FAILED));
        assertEquals(Verdict.ANOMALY, check(none, UNIQUE).verdict());
    }

    @Test
    void anUnknownWriteSeenByAReadTookEffectBeforeIt() {
        Script seen = new Script()
                .op("p1", 0, 10, Register.put("A", "w1"), Response.unknown("timeout"))
                .op("p2", 20, 30, Register.get(), Register.found("A", "w1"))
                .op("p2", 40, 50, Register.get(), Register.found("A", "w1"));
        assertTrue(check(seen, UNIQUE).isOk());
        Script early = new Script()
                .op("p2", 0, 10, Register.get(), Register.found("A", "w1"))
                .op("p1", 20, 30, Register.put("A", "w1"), Response.unknown("timeout"));
        assertEquals(Verdict.ANOMALY, check(early, UNIQUE).verdict(), "read a write not yet sent");
    }

    @Test
    void anUnknownWriteMayTakeEffectLongAfterItsCallerGaveUp() {
        Script s = new Script()
                .op("p1", 0, 10, Register.put("A", "w1"), Response.ok())
                .op("p2", 20, 30, Register.put("B", "w2"), Response.unknown("timeout"))
                .op("p3", 40, 50, Register.get(), Register.found("A", "w1"))
                .op("p3", 60, 70, Register.get(), Register.found("B", "w2"));
        assertTrue(check(s, UNIQUE).isOk());
    }

    // ---------------------------------------------------------------- results

    @Test
    void keysAreCheckedApartAndTheWorstVerdictWins() {
        Script s = new Script();
        s.key("good").op("p1", 0, 10, Counter.add(1), Counter.value(1));
        s.key("bad").op("p1", 0, 10, Counter.add(1), Counter.value(5));
        s.key("good").op("p2", 20, 30, Counter.get(), Counter.value(1));
        CheckResult r = check(s, COUNTER);
        assertEquals(Verdict.ANOMALY, r.verdict());
        assertEquals(List.of("good", "bad"), r.keys().stream().map(CheckResult.KeyResult::key).collect(Collectors.toList()));
        assertEquals(Verdict.OK, r.keys().get(0).verdict());
        assertEquals("bad", r.anomalies().get(0).key());
        AssertionError e = assertThrows(AssertionError.class, r::assertOk);
        assertTrue(e.getMessage().contains("key \"bad\": not linearizable"), e.getMessage());
        assertTrue(e.getMessage().contains("from the initial state 0"), e.getMessage());
    }

    @Test
    void anExhaustedBudgetIsInconclusiveNeverOk() {
        History h = new Simulation(Simulation.Kind.COUNTER, 7).processes(8).unknownRate(0.2)
                .bug(Simulation.Bug.LOST_UPDATE, 2500).run(3000);
        CheckResult r = Checker.check(h, COUNTER, CheckOptions.builder().maxStates(100).build());
        assertEquals(Verdict.INCONCLUSIVE, r.verdict(), r::report);
        assertFalse(r.isOk());
        assertTrue(r.report().contains("Neither proved nor refuted"), r::report);
    }

    @Test
    void aRecordingMistakeIsAnErrorNotAnAnomaly() {
        Script s = new Script()
                .op("p1", 0, 10, Register.putCreate("A", "w1"), Response.refused("conflict"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checker.check(s.history, UNIQUE));
        assertTrue(e.getMessage().contains("put-create refused with 'conflict'"), e.getMessage());
    }

    @Test
    void theOffendingTimelineIsShortAndReadable() {
        Script s = new Script();
        for (int i = 0; i < 50; i++) {
            s.op("p" + (i % 3), i * 1000L, i * 1000L + 500, Counter.add(1), Counter.value(i + 1));
        }
        s.op("p9", 60_000, 61_000, Counter.get(), Counter.value(49));   // lost one
        String report = check(s, COUNTER).report();
        String[] lines = report.split("\n");
        assertTrue(lines.length <= 8, report);
        assertTrue(report.contains("p1  [ 0.0 ..  0.5]  add delta=1  -> ok value=50"), report);
        assertTrue(report.contains("p9  [11.0 .. 12.0]  get          -> ok value=49"), report);
    }

    /** Copies a simulated history into a script-built one (same operations). */
    private static final class ScriptOf {
        final Script script = new Script();

        ScriptOf(History h) {
            for (Operation op : h.operations()) {
                if (op.isCompleted()) {
                    script.key(op.key()).op(op.process(), op.invokedAt(), op.rawCompletedAt(), op.call(), op.response());
                } else {
                    script.key(op.key()).pending(op.process(), op.invokedAt(), op.call());
                }
            }
        }
    }
}
