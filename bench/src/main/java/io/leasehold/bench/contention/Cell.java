package io.leasehold.bench.contention;

import io.leasehold.core.ObjectStore;
import io.leasehold.core.OutcomeUnknownException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Runs one cell in this JVM: {@code threads} writers increment one counter with one strategy, from
 * {@code startMillis} (wall clock, so that several JVMs share the window) through a warm-up and a
 * measured window. Writers start no update after the window; updates in flight then finish (bounded
 * by the strategies' own retry limits) and count only towards the counter check.
 */
final class Cell {
    /** Longest wait for writers to finish after the window: bounded even if a store hangs. */
    private static final long DRAIN_MILLIS = 120_000;

    private Cell() {
    }

    static CellResult run(Target target, String strategy, int threads, String key, long startMillis,
                          long warmupMillis, long windowMillis) throws InterruptedException {
        Target.Counted<ObjectStore> store = Strategy.usesLeasehold(strategy) ? target.leasehold() : null;
        Cas cas = store == null ? target.raw() : null;
        LongSupplier requests = store != null ? store.requests : cas::requests;
        long windowStart = startMillis + warmupMillis;
        long windowEnd = windowStart + windowMillis;
        List<Writer> writers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Writer w = new Writer(Strategy.of(strategy, store == null ? null : store.value, cas, key), startMillis,
                    windowStart, windowEnd);
            writers.add(w);
        }
        List<Thread> running = new ArrayList<>();
        for (Writer w : writers) {
            Thread t = new Thread(w, "writer");
            t.setDaemon(true);
            t.start();
            running.add(t);
        }
        sleepUntil(windowStart);
        long requestsAtStart = requests.getAsLong();
        sleepUntil(windowEnd);
        long requestsAtEnd = requests.getAsLong();
        long deadline = System.currentTimeMillis() + DRAIN_MILLIS;
        for (Thread t : running) {
            t.join(Math.max(1, deadline - System.currentTimeMillis()));
        }
        CellResult result = new CellResult();
        result.seconds = windowMillis / 1000.0;
        result.requests = requestsAtEnd - requestsAtStart;
        for (Writer w : writers) {
            result.merge(w.result);
        }
        result.seconds = windowMillis / 1000.0;
        for (Thread t : running) {
            if (t.isAlive()) {
                result.failures.merge("StillRunningAfterDrain", 1L, Long::sum);
            }
        }
        if (store != null) {
            store.value.close();
        }
        return result;
    }

    static void sleepUntil(long epochMillis) throws InterruptedException {
        long wait = epochMillis - System.currentTimeMillis();
        if (wait > 0) {
            TimeUnit.MILLISECONDS.sleep(wait);
        }
    }

    /** One writer thread. */
    private static final class Writer implements Runnable {
        private final Strategy.Updater updater;
        private final long start;
        private final long windowStart;
        private final long windowEnd;
        final CellResult result = new CellResult();
        private long[] latencies = new long[1024];
        private int count;

        Writer(Strategy.Updater updater, long start, long windowStart, long windowEnd) {
            this.updater = updater;
            this.start = start;
            this.windowStart = windowStart;
            this.windowEnd = windowEnd;
        }

        @Override
        public void run() {
            try {
                sleepUntil(start);
            } catch (InterruptedException e) {
                return;
            }
            while (System.currentTimeMillis() < windowEnd) {
                long t0 = System.nanoTime();
                int attempts;
                RuntimeException failure = null;
                try {
                    attempts = updater.update();
                } catch (Strategy.Failed f) {
                    attempts = f.attempts;
                    failure = f.cause;
                }
                long micros = (System.nanoTime() - t0) / 1000;
                long now = System.currentTimeMillis();
                boolean inWindow = now >= windowStart && now < windowEnd;
                if (failure == null) {
                    result.successesTotal++;
                } else if (failure instanceof OutcomeUnknownException) {
                    result.unknownTotal++;
                }
                if (!inWindow) {
                    continue;
                }
                result.attempts += attempts;
                if (failure == null) {
                    result.successes++;
                    if (count == latencies.length) {
                        latencies = java.util.Arrays.copyOf(latencies, count * 2);
                    }
                    latencies[count++] = micros;
                } else if (failure instanceof OutcomeUnknownException) {
                    result.unknown++;
                } else {
                    result.failures.merge(failure.getClass().getSimpleName(), 1L, Long::sum);
                }
            }
            result.latencyMicros = java.util.Arrays.copyOf(latencies, count);
        }
    }
}
