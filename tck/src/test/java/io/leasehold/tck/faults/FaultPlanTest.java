package io.leasehold.tck.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Rules of {@link FaultPlan}: matching, order, every n-th, one-shot queue, seeded randomness. */
class FaultPlanTest {
    private static WireRequest req(String method, String path, String... headerNameValues) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (int i = 0; i < headerNameValues.length; i += 2) {
            headers.add(Map.entry(headerNameValues[i], headerNameValues[i + 1]));
        }
        int q = path.indexOf('?');
        return new WireRequest(method, q < 0 ? path : path.substring(0, q), q < 0 ? null : path.substring(q + 1), headers);
    }

    @Test
    void matchesByMethodPathQueryAndHeaderPresence() {
        WireRequest casPut = req("PUT", "/b/k", "If-Match", "\"e\"");
        WireRequest plainPut = req("PUT", "/b/k");
        WireRequest lease = req("PUT", "/a/c/k?comp=lease");
        WireRequest get = req("GET", "/b/other");
        RequestMatch casWrites = RequestMatch.objectWrites().and(RequestMatch.header("if-match"));
        assertTrue(casWrites.test(casPut));
        assertTrue(!casWrites.test(plainPut) && !casWrites.test(lease) && !casWrites.test(get));
        assertTrue(RequestMatch.query("comp=lease").test(lease));
        assertTrue(!RequestMatch.query("comp").test(plainPut));
        assertTrue(RequestMatch.path("/other$").test(get));
        assertTrue(RequestMatch.reads().test(get) && !RequestMatch.reads().test(plainPut));
        assertTrue(RequestMatch.method("PUT").negate().test(get));
        assertTrue(RequestMatch.method("DELETE").or(RequestMatch.reads()).test(get));
        assertTrue(RequestMatch.metadata("fault_call", "c1").test(req("PUT", "/b/k", "x-amz-meta-fault_call", "c1")));
        assertTrue(RequestMatch.metadata("FAULT_CALL", "c1").test(req("PUT", "/a/c/k", "x-ms-meta-fault_call", "c1")));
        assertTrue(!RequestMatch.metadata("fault_call", "c1").test(req("PUT", "/b/k", "x-amz-meta-fault_call", "c2")));
    }

    @Test
    void everyNthMatchingRequestGetsTheFault() {
        FaultPlan plan = FaultPlan.builder(0).everyNth(RequestMatch.method("PUT"), 3, Fault.loseResponse()).build();
        List<Integer> hit = new ArrayList<>();
        int put = 0;
        for (int i = 0; i < 20; i++) {
            WireRequest r = i % 2 == 0 ? req("PUT", "/b/k") : req("GET", "/b/k");
            Fault f = plan.decide(r);
            if (r.method().equals("PUT")) {
                put++;
                if (f.kind() == Fault.Kind.LOSE_RESPONSE) {
                    hit.add(put);
                }
            } else {
                assertEquals(Fault.none(), f);
            }
        }
        assertEquals(List.of(3, 6, 9), hit);
        assertEquals(20, plan.decisions());
        assertEquals(3, plan.faults());
    }

    @Test
    void oneShotFaultsGoToTheNextMatchingRequestsOnceAndBeforeOtherRules() {
        FaultPlan plan = FaultPlan.builder(0)
                .oneShot(RequestMatch.header("If-Match"), Fault.errorAfterApply(500), Fault.resetAfterApply())
                .always(RequestMatch.any(), Fault.rejectBeforeApply(503))
                .build();
        assertEquals(503, plan.decide(req("PUT", "/b/k")).status(), "no If-Match: the always rule");
        assertEquals(Fault.errorAfterApply(500), plan.decide(req("PUT", "/b/k", "If-Match", "x")));
        assertEquals(Fault.resetAfterApply(), plan.decide(req("PUT", "/b/k", "If-Match", "x")));
        assertEquals(503, plan.decide(req("PUT", "/b/k", "If-Match", "x")).status(), "queue used up");
        plan.enqueue(RequestMatch.reads(), Fault.loseResponse());
        assertEquals(1, plan.pending());
        assertEquals(Fault.loseResponse(), plan.decide(req("GET", "/b/k")));
        assertEquals(0, plan.pending());
    }

    @Test
    void theSameSeedGivesTheSameDecisionsAndAnotherSeedOthers() {
        List<Fault> a = decisions(42);
        assertEquals(a, decisions(42));
        assertNotEquals(a, decisions(43));
        long faults = a.stream().filter(Fault::isFault).count();
        assertTrue(faults > 100 && faults < 400, "about 25% of 1000 requests: " + faults);
    }

    private static List<Fault> decisions(long seed) {
        FaultPlan plan = FaultPlan.builder(seed)
                .random(RequestMatch.objectWrites(),
                        FaultPlan.weighted(0.10, Fault.loseResponse()),
                        FaultPlan.weighted(0.15, Fault.errorAfterApply(500)))
                .build();
        List<Fault> out = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            out.add(plan.decide(req("PUT", "/b/k")));
        }
        return out;
    }

    @Test
    void everyBuiltPlanHasItsOwnCounters() {
        FaultPlan.Builder b = FaultPlan.builder(0).everyNth(RequestMatch.any(), 2, Fault.loseResponse());
        FaultPlan first = b.build();
        FaultPlan second = b.build();
        first.decide(req("GET", "/x"));
        assertEquals(Fault.none(), second.decide(req("GET", "/x")), "second plan's first request");
        assertEquals(Fault.loseResponse(), first.decide(req("GET", "/x")));
    }

    @Test
    void rejectsImpossibleSettings() {
        assertThrows(IllegalArgumentException.class, () -> FaultPlan.weighted(1.5, Fault.loseResponse()));
        assertThrows(IllegalArgumentException.class, () -> FaultPlan.builder(0).random(RequestMatch.any(),
                FaultPlan.weighted(0.6, Fault.loseResponse()), FaultPlan.weighted(0.6, Fault.resetAfterApply())));
        assertThrows(IllegalArgumentException.class, () -> Fault.errorAfterApply(200));
        assertThrows(IllegalArgumentException.class, () -> FaultPlan.builder(0).everyNth(RequestMatch.any(), 0, Fault.none()));
    }
}
