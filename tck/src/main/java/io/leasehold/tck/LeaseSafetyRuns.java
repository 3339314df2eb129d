package io.leasehold.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.leasehold.core.ObjectStore;
import io.leasehold.test.lease.LeaseCheckOptions;
import io.leasehold.test.lease.LeaseCheckResult;
import io.leasehold.test.lease.LeaseChecker;
import io.leasehold.test.lease.LeaseHistory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs lease safety workloads ({@link LeaseSafetyWorkload}) on a store, in threads or child JVMs,
 * checks the merged history with the lease checker and prints the figures. The size: a seconds-long
 * run by default; with {@code -Dleasehold.leaseSafety.tenures=N} at least N tenures in all.
 */
public final class LeaseSafetyRuns {
    /** The lease duration of every run: the shortest Azure allows. */
    public static final Duration DURATION = Duration.ofSeconds(15);

    private LeaseSafetyRuns() {
    }

    /**
     * Tenures each of {@code processes} attempts: the default, or the flag's total spread over them.
     *
     * @param processes the processes
     * @param byDefault tenures per process by default
     * @return tenures per process
     */
    public static int tenuresPerProcess(int processes, int byDefault) {
        String flag = System.getProperty("leasehold.leaseSafety.tenures");
        return flag == null ? byDefault : (Integer.parseInt(flag) + processes - 1) / processes;
    }

    /**
     * Runs {@code processes} threads, each with its own store instance, then the final acquire.
     *
     * @param name the store's name for the figures
     * @param stores makes a store instance (one per process, one for the final acquire)
     * @param key the key
     * @param processes threads
     * @param tenures tenures per thread
     * @param writes guarded writes per tenure
     * @param stuckMargin the checker's "nothing is stuck" margin
     * @return the check's result (asserted ok)
     * @throws Exception on failure
     */
    public static LeaseCheckResult inThreads(String name, Supplier<ObjectStore> stores, String key, int processes,
                                             int tenures, int writes, Duration stuckMargin) throws Exception {
        LeaseHistory history = LeaseHistory.create();
        try (ObjectStore setup = stores.get()) {
            LeaseSafetyWorkload.prepare(setup, key);
        }
        LeaseSafetyWorkload.Counts total = new LeaseSafetyWorkload.Counts();
        long started = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<LeaseSafetyWorkload.Counts> counts = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int p = 0; p < processes; p++) {
            String process = name + "-" + p;
            Thread t = new Thread(() -> {
                try (ObjectStore store = stores.get()) {
                    counts.add(new LeaseSafetyWorkload(store, history, process, key, DURATION, Duration.ofMinutes(5), true)
                            .run(tenures, writes));
                } catch (Throwable e) {
                    failures.add(e);
                }
            }, process);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join(TimeUnit.MINUTES.toMillis(30));
        }
        if (!failures.isEmpty()) {
            throw new AssertionError("a process failed", failures.get(0));
        }
        counts.forEach(total::add);
        return check(name, stores, key, history, total, processes, started, stuckMargin, "threads");
    }

    /**
     * Runs {@code processes} child JVMs ({@link LeaseSafetyChild}), merges their histories, then the
     * final acquire.
     *
     * @param name the store's name for the figures
     * @param uri the store URI the children open
     * @param environment extra environment of the children (credentials)
     * @param stores makes a store instance here (setup, final acquire)
     * @param key the key
     * @param processes child JVMs
     * @param tenures tenures per child
     * @param writes guarded writes per tenure
     * @param dir a scratch directory
     * @param stuckMargin the checker's "nothing is stuck" margin
     * @return the check's result (asserted ok)
     * @throws Exception on failure
     */
    public static LeaseCheckResult inJvms(String name, String uri, Map<String, String> environment,
                                          Supplier<ObjectStore> stores, String key, int processes, int tenures,
                                          int writes, Path dir, Duration stuckMargin) throws Exception {
        try (ObjectStore setup = stores.get()) {
            LeaseSafetyWorkload.prepare(setup, key);
        }
        Path start = dir.resolve("start");
        List<Process> children = new ArrayList<>();
        long started = System.nanoTime();
        try {
            for (int p = 0; p < processes; p++) {
                children.add(child(uri, environment, key, name + "-jvm" + p, tenures, writes, dir.resolve("h" + p), start,
                        dir.resolve("o" + p), 0));
            }
            Files.createFile(start);
            LeaseSafetyWorkload.Counts total = new LeaseSafetyWorkload.Counts();
            List<LeaseHistory> parts = new ArrayList<>();
            for (int p = 0; p < processes; p++) {
                total.add(awaitDone(children.get(p), dir.resolve("o" + p), 30));
                parts.add(LeaseHistory.read(dir.resolve("h" + p)));
            }
            return check(name, stores, key, LeaseHistory.merge(parts), total, processes, started, stuckMargin, "JVMs");
        } finally {
            children.forEach(Process::destroyForcibly);
        }
    }

    /**
     * Starts a child JVM running {@link LeaseSafetyChild}.
     *
     * @param uri the store URI
     * @param environment extra environment
     * @param key the key
     * @param process the process name
     * @param tenures tenures
     * @param writes writes per tenure
     * @param historyFile where it writes its history
     * @param start the file whose creation starts it
     * @param out its standard output (and error, as {@code out.err})
     * @param pauseBeforeWrite 0, or the write to hold before sending (see {@link LeaseSafetyChild})
     * @return the process
     * @throws java.io.IOException if it cannot start
     */
    public static Process child(String uri, Map<String, String> environment, String key, String process, int tenures,
                                int writes, Path historyFile, Path start, Path out, int pauseBeforeWrite)
            throws java.io.IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx128m",
                "-cp", System.getProperty("java.class.path"), LeaseSafetyChild.class.getName(), uri, key, process,
                Integer.toString(tenures), Integer.toString(writes), Long.toString(DURATION.getSeconds()),
                historyFile.toString(), start.toString(), Integer.toString(pauseBeforeWrite))
                .redirectOutput(out.toFile()).redirectError(Path.of(out + ".err").toFile());
        pb.environment().putAll(environment);
        return pb.start();
    }

    /**
     * Waits for a child and reads its counts.
     *
     * @param child the child
     * @param out its output file
     * @param minutes how long to wait
     * @return its counts
     * @throws Exception on failure
     */
    public static LeaseSafetyWorkload.Counts awaitDone(Process child, Path out, int minutes) throws Exception {
        if (!child.waitFor(minutes, TimeUnit.MINUTES)) {
            fail("a lease safety child did not finish");
        }
        assertEquals(0, child.exitValue(), Files.readString(Path.of(out + ".err")));
        String done = Files.readAllLines(out).stream().filter(l -> l.startsWith("DONE ")).findFirst()
                .orElseThrow(() -> new AssertionError("no DONE line"));
        return LeaseSafetyWorkload.Counts.parse(done.substring(5));
    }

    private static LeaseCheckResult check(String name, Supplier<ObjectStore> stores, String key, LeaseHistory history,
                                          LeaseSafetyWorkload.Counts total, int processes, long started,
                                          Duration stuckMargin, String how) {
        try (ObjectStore store = stores.get()) {
            LeaseSafetyWorkload.finalAcquire(store, history, key, DURATION, DURATION.multipliedBy(3));
            history.storeOrder(key, LeaseSafetyWorkload.storeOrder(store, key));
        }
        LeaseCheckResult result = LeaseChecker.check(history, LeaseCheckOptions.builder().stuckMargin(stuckMargin).build());
        System.out.printf(Locale.ROOT, "[lease-safety] %s: %d %s, %d tenures, %d guarded writes accepted (%d unknown), "
                        + "%d acquires refused after waiting, %d unknown, %d stale versions detected, %d writes refused as stale;"
                        + " guarded put p50 %.1f ms, p99 %.1f ms, max %.1f ms; %.1f s; violations %d%n",
                name, processes, how, total.tenures, total.acceptedWrites, total.unknownWrites, total.refusedAcquires,
                total.unknownAcquires, total.staleDetected, total.refusedAsStale, total.writeMillis(50),
                total.writeMillis(99), total.writeMillis(100), (System.nanoTime() - started) / 1e9,
                result.violations().size());
        result.notes().forEach(n -> System.out.println("[lease-safety] " + name + " note: " + n));
        result.assertOk();
        return result;
    }
}
