package io.leasehold.bench;

import io.leasehold.core.AsyncObjectStore;
import io.leasehold.core.ObjectStore;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * N updates in flight at once on one store, in the same run: through the asynchronous API (every update
 * a future; no thread waits) and through the blocking API on a pool of N threads (one thread per
 * update). Two shapes: N distinct keys (no contention) and N updates of one key (contention, coalesced).
 * Reports throughput, the JVM's peak live platform threads during the run, and the heap retained (after a
 * collection) while the N operations were in flight, per operation (a rough figure: operations that
 * already ended no longer count; a blocking thread's stack is outside the heap and not counted).
 *
 * <p>Thread-safety: one run at a time.
 */
public final class InFlightBench {
    private InFlightBench() {
    }

    /** How the updates are issued. */
    public enum Api {
        /** {@code store.async().update(…)}, all issued at once. */
        ASYNC,
        /** {@code store.update(…)} on a pool of N threads, all released at once. */
        BLOCKING
    }

    /** One measured cell. Thread-safety: immutable. */
    public static final class Row {
        final String store;
        final Api api;
        final String shape;
        final int n;
        final double seconds;
        final int peakThreads;
        final int baseThreads;
        final long heapGrowth;

        Row(String store, Api api, String shape, int n, double seconds, int peakThreads, int baseThreads, long heapGrowth) {
            this.store = store;
            this.api = api;
            this.shape = shape;
            this.n = n;
            this.seconds = seconds;
            this.peakThreads = peakThreads;
            this.baseThreads = baseThreads;
            this.heapGrowth = heapGrowth;
        }

        /**
         * Updates per second.
         *
         * @return the throughput
         */
        public double throughput() {
            return n / seconds;
        }

        /**
         * The peak of live platform threads during the run.
         *
         * @return the count
         */
        public int peakThreads() {
            return peakThreads;
        }

        /**
         * A Markdown table row.
         *
         * @return the row
         */
        public String markdown() {
            return String.format(Locale.ROOT, "| %s | %s | %s | %d | %.0f | %d (%+d) | %.1f |", store,
                    api.name().toLowerCase(Locale.ROOT), shape, n, throughput(), peakThreads, peakThreads - baseThreads,
                    heapGrowth / 1024.0 / n);
        }
    }

    /** The Markdown table header for {@link Row#markdown()}. */
    public static final String HEADER = "| store | api | keys | in flight | updates/s | peak platform threads (over idle) | heap KiB per in-flight op |\n"
            + "|---|---|---|---|---|---|---|";

    /**
     * Runs both APIs on both shapes.
     *
     * @param label the store's name in the table
     * @param store the store (its asynchronous API should be non-blocking to measure it)
     * @param n updates in flight on distinct keys
     * @param sameKey updates in flight on one key
     * @return the rows
     * @throws Exception if an update failed
     */
    public static List<Row> run(String label, ObjectStore store, int n, int sameKey) throws Exception {
        List<Row> rows = new ArrayList<>();
        for (Api api : Api.values()) {
            rows.add(measure(label, store, api, false, n));
            rows.add(measure(label, store, api, true, sameKey));
        }
        return rows;
    }

    private static Row measure(String label, ObjectStore store, Api api, boolean oneKey, int n) throws Exception {
        String run = "inflight-" + UUID.randomUUID();
        // warm the path (and the asynchronous API's threads, built on first use)
        store.async().update(run + "/warm", InFlightBench::increment).get(1, TimeUnit.MINUTES);
        store.update(run + "/warm", InFlightBench::increment);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        int baseThreads = threads.getThreadCount();
        long baseHeap = memory.getHeapMemoryUsage().getUsed();
        threads.resetPeakThreadCount();
        long start = System.nanoTime();
        long inFlightHeap;
        if (api == Api.ASYNC) {
            AsyncObjectStore async = store.async();
            List<CompletableFuture<?>> all = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                all.add(async.update(oneKey ? run + "/one" : run + "/k" + i, InFlightBench::increment));
            }
            inFlightHeap = retainedHeap(memory);
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
        } else {
            ExecutorService pool = Executors.newFixedThreadPool(n);
            try {
                CountDownLatch ready = new CountDownLatch(n);
                CountDownLatch go = new CountDownLatch(1);
                List<Future<?>> all = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    String key = oneKey ? run + "/one" : run + "/k" + i;
                    all.add(pool.submit(() -> {
                        ready.countDown();
                        go.await();
                        return store.update(key, InFlightBench::increment);
                    }));
                }
                ready.await();
                start = System.nanoTime();
                go.countDown();
                inFlightHeap = retainedHeap(memory);
                for (Future<?> f : all) {
                    f.get(10, TimeUnit.MINUTES);
                }
            } finally {
                pool.shutdown();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        int peak = threads.getPeakThreadCount();
        if (System.getProperty("leasehold.bench.threads") != null) {
            System.out.println(label + " " + api + " " + n + ": " + threadGroups());
        }
        if (oneKey) {
            int value = Integer.parseInt(new String(store.get(run + "/one").content(), StandardCharsets.UTF_8));
            if (value != n) {
                throw new IllegalStateException(label + " " + api + ": the shared counter is " + value + ", not " + n);
            }
        }
        return new Row(label, api, oneKey ? "1" : Integer.toString(n), n, seconds, peak, baseThreads,
                Math.max(0, inFlightHeap - baseHeap));
    }

    /** The heap still in use after a collection, taken while the operations are in flight. */
    private static long retainedHeap(MemoryMXBean memory) {
        System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    /**
     * The live threads grouped by name without digits, e.g. {@code leasehold-async-s-- ×2}.
     *
     * @return one line
     */
    public static String threadGroups() {
        java.util.Map<String, Integer> groups = new java.util.TreeMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            groups.merge(t.getName().replaceAll("[0-9]+", "#"), 1, Integer::sum);
        }
        StringBuilder b = new StringBuilder();
        groups.forEach((name, count) -> b.append(name).append(" x").append(count).append("; "));
        return b.toString();
    }

    private static byte[] increment(byte[] current) {
        int v = current == null ? 0 : Integer.parseInt(new String(current, StandardCharsets.UTF_8));
        return Integer.toString(v + 1).getBytes(StandardCharsets.UTF_8);
    }
}
