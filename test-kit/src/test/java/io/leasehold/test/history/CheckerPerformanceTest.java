package io.leasehold.test.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The brief's targets, measured on simulated histories (the figures are printed; the limits
 * asserted are a few times the figures measured on a shared 2-core machine, to catch a regression
 * without being flaky).
 */
class CheckerPerformanceTest {

    @Test
    void tenThousandCounterOperationsOnOneKeyFromEightProcesses() {
        History h = new Simulation(Simulation.Kind.COUNTER, 1).processes(8).unknownRate(0.02).run(10_000);
        CheckResult r = timed("counter, 10^4 ops, 1 key, 8 processes, 2% unknown", h, Models.counter());
        assertTrue(r.isOk(), r::report);
        assertTrue(r.elapsed().compareTo(Duration.ofSeconds(15)) < 0, r::report);
    }

    @Test
    void aHundredThousandCounterOperationsOverTenKeys() {
        History h = new Simulation(Simulation.Kind.COUNTER, 2).processes(8).keys(10).unknownRate(0.02).run(100_000);
        CheckResult r = timed("counter, 10^5 ops, 10 keys, 8 processes, 2% unknown", h, Models.counter());
        assertTrue(r.isOk(), r::report);
        assertEquals(10, r.keys().size());
        assertTrue(r.elapsed().compareTo(Duration.ofSeconds(50)) < 0, r::report);
    }

    @Test
    void tenThousandRegisterOperationsOnOneKey() {
        History h = new Simulation(Simulation.Kind.REGISTER, 3).processes(8).unknownRate(0.02).run(10_000);
        CheckResult r = timed("register, 10^4 ops, 1 key, 8 processes, 2% unknown", h, Models.register(true));
        assertTrue(r.isOk(), r::report);
        assertTrue(r.elapsed().compareTo(Duration.ofSeconds(15)) < 0, r::report);
    }

    @Test
    void aLostUpdateDeepInTenThousandOperationsIsFoundAndShrunk() {
        // No unknown outcomes here: a lost +1 among unknown -1s is indistinguishable from one of them
        // having taken effect (see CheckerTest), so the history would rightly be linearizable.
        History h = new Simulation(Simulation.Kind.COUNTER, 4).processes(8).unknownRate(0)
                .bug(Simulation.Bug.LOST_UPDATE, 7_000).run(10_000);
        CheckResult r = timed("counter, 10^4 ops, no unknown, lost update at op 7000", h, Models.counter());
        assertEquals(CheckResult.Verdict.ANOMALY, r.verdict(), r::report);
        // Excluding every interleaving of 8 processes' +1/-1 around one lost update takes a few dozen answers.
        assertTrue(r.anomalies().get(0).offending().size() <= 60, r::report);
        assertTrue(r.report().contains(", minimal,"), r::report);
        assertTrue(r.elapsed().compareTo(Duration.ofSeconds(60)) < 0, r::report);
    }

    @Test
    void aStaleReadDeepInTenThousandRegisterOperationsIsFoundAndShrunk() {
        History h = new Simulation(Simulation.Kind.REGISTER, 5).processes(8).unknownRate(0.02)
                .bug(Simulation.Bug.STALE_READ, 6_000).run(10_000);
        CheckResult r = timed("register, 10^4 ops, stale read at op 6000", h, Models.register(true));
        assertEquals(CheckResult.Verdict.ANOMALY, r.verdict(), r::report);
        assertTrue(r.report().contains("writes read above but cut away"), r::report);
        assertTrue(r.elapsed().compareTo(Duration.ofSeconds(90)) < 0, r::report);
    }

    private static CheckResult timed(String what, History h, Model<?> model) {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpu = os.getProcessCpuTime();
        CheckResult r = Checker.check(h, model);
        double cpuSeconds = (os.getProcessCpuTime() - cpu) / 1e9;
        System.out.printf(Locale.ROOT, "FIGURE %-60s %s, %d states, %.2f s wall, %.2f s process CPU, load %.1f%n", what,
                r.verdict(), r.statesExplored(), r.elapsed().toNanos() / 1e9, cpuSeconds, os.getSystemLoadAverage());
        System.out.println(r.report());
        return r;
    }
}
