package io.leasehold.core.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leasehold.core.probe.ProbeFinding.Verdict;
import io.leasehold.driver.memory.MemoryDriver;
import io.leasehold.spi.ProbePlugin;
import io.leasehold.spi.ProbeWire;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The lost-race code rule of {@link ProbeEngine}, on a scripted wire: memory through the portable
 * wire, except that in chosen rounds of the If-Match race the losers are answered with a scripted
 * 5xx instead of 412 (and, where the script says so, their write lands first). The engine must learn
 * a code only from the same non-generic code in at least three rounds that proved no loser landed,
 * on a store without versions.
 */
class LostRaceRuleProbeTest {

    @Test
    void theSameStoreSpecificCodeInEveryRoundIsLearned() {
        Outcome o = probe(new Script().code(1, "UnknownError").code(2, "UnknownError").code(3, "UnknownError"), null);
        assertEquals(Optional.of("UnknownError"), o.learned);
        assertEquals(Verdict.ATOMIC, o.verdict("If-Match race (16 racers)"));
        assertTrue(o.lostRaceDetail().contains("read as a lost race"), o.table());
    }

    @Test
    void twoRoundsAreTooFewAndOneLoserIsNeverEnough() {
        Outcome two = probe(new Script().code(1, "UnknownError").code(3, "UnknownError"), null);
        assertEquals(Optional.empty(), two.learned);
        assertTrue(two.lostRaceDetail().contains("needed in 3 rounds"), two.table());
        Outcome one = probe(new Script().code(2, "UnknownError").onlyFirstLoser(), null);
        assertEquals(Optional.empty(), one.learned, one.table());
    }

    @Test
    void aGenericOrMissingCodeIsNeverLearned() {
        for (String generic : new String[] {"InternalError", "ServiceUnavailable", "SlowDown", null}) {
            Outcome o = probe(new Script().code(1, generic).code(2, generic).code(3, generic), null);
            assertEquals(Optional.empty(), o.learned, generic);
            assertTrue(o.lostRaceDetail().contains("left outcome unknown"), o.table());
        }
    }

    @Test
    void aStoreSpecificCodeIsNotLearnedWhereVersionsAreKept() {
        Outcome o = probe(new Script().code(1, "UnknownError").code(2, "UnknownError").code(3, "UnknownError").versioned(), null);
        assertEquals(Optional.empty(), o.learned);
        assertTrue(o.lostRaceDetail().contains("keeps versions"), o.table());
    }

    @Test
    void differentCodesOrALoserThatLandedProveNothing() {
        Outcome mixed = probe(new Script().code(1, "UnknownError").code(2, "UnknownError").code(3, "ConcurrentModification"), null);
        assertEquals(Optional.empty(), mixed.learned);
        Outcome landed = probe(new Script().code(1, "UnknownError").code(2, "UnknownError").code(3, "UnknownError").landing(3), null);
        assertEquals(Optional.empty(), landed.learned);
        assertEquals(Verdict.NOT_ATOMIC, landed.verdict("If-Match race (16 racers)"), landed.table());
    }

    @Test
    void aPlugInAdoptsAProfilesCodeOnlyWhereTheEvidenceAndTheRuleAllowIt() {
        assertEquals(Optional.of("UnknownError"), probe(new Script().code(2, "UnknownError"), "UnknownError").adopted);
        assertEquals(Optional.of("UnknownError"), probe(new Script(), "UnknownError").adopted, "no 5xx seen: nothing contradicts");
        assertEquals(Optional.empty(), probe(new Script(), "InternalError").adopted, "generic");
        Outcome versioned = probe(new Script().versioned(), "UnknownError");
        assertEquals(Optional.empty(), versioned.adopted, "versions kept");
        assertTrue(versioned.lostRaceDetail().contains("UnknownError from the test profile not taken: the bucket keeps versions"),
                versioned.table());
        assertEquals(Optional.empty(), probe(new Script().code(2, "SomethingElse"), "UnknownError").adopted, "contradicted");
        Outcome adopted = probe(new Script().code(2, "UnknownError"), "UnknownError");
        assertTrue(adopted.lostRaceDetail().startsWith("UnknownError (from the test profile"), adopted.table());
    }

    @Test
    void anEngineRunsOnce() {
        ProbeEngine engine = new ProbeEngine(ProbeOptions.defaults());
        ProbeWire wire = new ScriptedWire(new Script(), engine.budget());
        engine.run(wire, new ProbePlugin() { });
        assertThrows(IllegalStateException.class, () -> engine.run(wire, new ProbePlugin() { }));
    }

    private static Outcome probe(Script script, String adopt) {
        ProbeEngine engine = new ProbeEngine(ProbeOptions.defaults());
        Outcome outcome = new Outcome();
        outcome.report = engine.run(new ScriptedWire(script, engine.budget()), new ProbePlugin() {
            @Override
            public void finish(ProbeRun run) {
                outcome.learned = run.lostRaceCode();
                outcome.adopted = adopt == null ? Optional.empty() : run.adoptLostRaceCode(adopt, "the test profile");
            }
        });
        return outcome;
    }

    private static final class Outcome {
        ProbeReport report;
        Optional<String> learned;
        Optional<String> adopted;

        String lostRaceDetail() {
            return report.finding(ProbeEngine.LOST_RACE).orElseThrow().detail();
        }

        Verdict verdict(String check) {
            return report.finding(check).orElseThrow(() -> new AssertionError(table())).verdict();
        }

        String table() {
            return report.toTable();
        }
    }

    /** Which rounds of the If-Match race answer losers with which 5xx code. */
    private static final class Script {
        final Map<Integer, String> codes = new java.util.HashMap<>();
        final java.util.Set<Integer> landing = new java.util.HashSet<>();
        boolean versioned;
        boolean onlyFirstLoser;

        Script code(int round, String code) {
            codes.put(round, code);
            return this;
        }

        /** In this round the scripted losers' writes land before they are answered with the 5xx. */
        Script landing(int round) {
            landing.add(round);
            return this;
        }

        Script versioned() {
            versioned = true;
            return this;
        }

        Script onlyFirstLoser() {
            onlyFirstLoser = true;
            return this;
        }
    }

    /** Memory through the portable wire, with the script applied to the If-Match race's losers. */
    private static final class ScriptedWire implements ProbeWire {
        private final Script script;
        private final DriverWire memory;
        private final AtomicInteger versions = new AtomicInteger();
        private final AtomicInteger scriptedLosers = new AtomicInteger();
        private volatile int round;

        ScriptedWire(Script script, ProbeBudget budget) {
            this.script = script;
            this.memory = new DriverWire(MemoryDriver.create(), budget);
        }

        @Override
        public String target() {
            return "scripted memory";
        }

        @Override
        public Answer put(String key, byte[] content, Conditions conditions, Map<String, String> metadata) {
            boolean race = key.endsWith("/race-if-match");
            if (race && conditions.ifMatch().isEmpty()) {
                String seed = new String(content, java.nio.charset.StandardCharsets.UTF_8);
                round = Integer.parseInt(seed.substring("seed-".length()));
                scriptedLosers.set(0);
            }
            Answer a = memory.put(key, content, conditions, metadata);
            if (race && a.status() == 412 && script.codes.containsKey(round)
                    && (!script.onlyFirstLoser || scriptedLosers.getAndIncrement() == 0)) {
                if (script.landing.contains(round)) {
                    memory.put(key, content, Conditions.NONE, metadata);
                }
                return Answer.error(500, script.codes.get(round));
            }
            return script.versioned && a.succeeded() ? a.withVersionId("v" + versions.incrementAndGet()) : a;
        }

        @Override
        public Answer get(String key, Conditions conditions) {
            return memory.get(key, conditions);
        }

        @Override
        public Answer head(String key, Conditions conditions) {
            return memory.head(key, conditions);
        }

        @Override
        public Answer delete(String key, Conditions conditions) {
            return memory.delete(key, conditions);
        }
    }
}
