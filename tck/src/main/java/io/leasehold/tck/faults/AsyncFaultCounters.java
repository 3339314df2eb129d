package io.leasehold.tck.faults;

import io.leasehold.core.AsyncObjectStore;
import io.leasehold.core.ErrorCode;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.ObjectStoreException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Many increments in flight at once through the asynchronous API, with a fault proxy between the
 * library and the server that loses answers to applied writes, answers others as an intermediary would
 * (plain 502, 503, 504 after forwarding: the write landed, the client cannot tell) or refuses them before
 * forwarding, and loses some answers to reads. Afterwards every counter must stand exactly at the
 * increments reported done, plus at most those reported unknown: a write reported failed never landed,
 * and one reported done landed once.
 *
 * <p>Thread-safety: not thread-safe; one run at a time.
 */
public final class AsyncFaultCounters {
    private AsyncFaultCounters() {
    }

    /**
     * The faults: on object writes lost answers 3%, plain 502, 503 and 504 after forwarding 2% each,
     * 503 before forwarding 2%; on reads lost answers 2%.
     *
     * @param seed the seed
     * @return a new plan
     */
    public static FaultPlan plan(long seed) {
        return FaultPlan.builder(seed)
                .random(RequestMatch.objectWrites(),
                        FaultPlan.weighted(0.03, Fault.loseResponse()),
                        FaultPlan.weighted(0.02, Fault.gatewayErrorAfterApply(502)),
                        FaultPlan.weighted(0.02, Fault.gatewayErrorAfterApply(503)),
                        FaultPlan.weighted(0.02, Fault.gatewayErrorAfterApply(504)),
                        FaultPlan.weighted(0.02, Fault.rejectBeforeApply(503)))
                .random(RequestMatch.reads(), FaultPlan.weighted(0.02, Fault.loseResponse()))
                .build();
    }

    /**
     * Runs {@code counters × increments} concurrent increments through a store opened through a fault
     * proxy, waits for all (at most five minutes), then reads every counter without faults.
     *
     * @param target the server and how to open a store through the proxy
     * @param counters how many counters
     * @param increments increments per counter, all in flight at once
     * @param seed the fault plan's seed
     * @return the report
     * @throws ExecutionException if reading a counter back failed
     * @throws TimeoutException if the increments took longer than five minutes
     * @throws InterruptedException if interrupted while waiting
     */
    public static Report run(FaultTarget target, int counters, int increments, long seed)
            throws ExecutionException, TimeoutException, InterruptedException {
        FaultPlan plan = plan(seed);
        String run = "async-faults-" + UUID.randomUUID();
        Map<String, AtomicInteger> done = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> unknown = new ConcurrentHashMap<>();
        List<String> failed = Collections.synchronizedList(new ArrayList<>());
        List<String> wrong = new ArrayList<>();
        try (FaultProxy proxy = FaultProxy.builder(target.upstream()).dialect(target.dialect()).plan(plan).start();
             ObjectStore store = target.openThrough(proxy.endpoint())) {
            AsyncObjectStore async = store.async();
            List<CompletableFuture<?>> all = new ArrayList<>();
            for (int i = 0; i < increments; i++) {
                for (int c = 0; c < counters; c++) {
                    String key = run + "/c" + c;
                    all.add(async.update(key, AsyncFaultCounters::increment).handle((result, failure) -> {
                        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                                ? failure.getCause() : failure;
                        if (cause == null) {
                            done.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                        } else if (cause instanceof ObjectStoreException
                                && ((ObjectStoreException) cause).code() == ErrorCode.OUTCOME_UNKNOWN) {
                            unknown.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                        } else {
                            failed.add(key + ": " + cause);
                        }
                        return null;
                    }));
                }
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
            proxy.plan(FaultPlan.none());
            for (int c = 0; c < counters; c++) {
                String key = run + "/c" + c;
                int value = value(async.get(key).get(1, TimeUnit.MINUTES).content());
                int d = count(done, key);
                int u = count(unknown, key);
                if (value < d || value > d + u) {
                    wrong.add(key + ": value " + value + ", done " + d + ", unknown " + u);
                }
            }
            return new Report(target.name(), counters * increments, sum(done), sum(unknown), List.copyOf(failed),
                    wrong, async.nonBlocking(), plan.faults(), plan.decisions());
        }
    }

    /** What a run saw. Thread-safety: immutable. */
    public static final class Report {
        private final String target;
        private final int increments;
        private final int done;
        private final int unknown;
        private final List<String> failed;
        private final List<String> wrong;
        private final boolean nonBlocking;
        private final long faults;
        private final long decisions;

        Report(String target, int increments, int done, int unknown, List<String> failed, List<String> wrong,
               boolean nonBlocking, long faults, long decisions) {
            this.target = target;
            this.increments = increments;
            this.done = done;
            this.unknown = unknown;
            this.failed = failed;
            this.wrong = wrong;
            this.nonBlocking = nonBlocking;
            this.faults = faults;
            this.decisions = decisions;
        }

        /**
         * Checks that faults were injected, the store's requests were non-blocking, every increment was
         * reported, and every counter matches the increments reported done (and at most those unknown).
         *
         * @return this report
         * @throws AssertionError naming what does not hold
         */
        public Report assertClean() {
            List<String> problems = new ArrayList<>(wrong);
            if (faults == 0) {
                problems.add("no fault was injected");
            }
            if (!nonBlocking) {
                problems.add("the store's requests were not non-blocking");
            }
            if (done + unknown + failed.size() != increments) {
                problems.add(increments + " increments, " + (done + unknown + failed.size()) + " reported");
            }
            if (!problems.isEmpty()) {
                throw new AssertionError(this + ": " + problems);
            }
            return this;
        }

        /**
         * The increments reported done.
         *
         * @return the count
         */
        public int done() {
            return done;
        }

        @Override
        public String toString() {
            return "async faults on " + target + ": " + increments + " increments, " + done + " done, " + unknown
                    + " unknown, " + failed.size() + " failed" + (failed.isEmpty() ? "" : " " + failed.subList(0,
                    Math.min(5, failed.size()))) + "; " + faults + " faults in " + decisions + " decisions";
        }
    }

    private static int sum(Map<String, AtomicInteger> counts) {
        return counts.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    private static int count(Map<String, AtomicInteger> counts, String key) {
        AtomicInteger n = counts.get(key);
        return n == null ? 0 : n.get();
    }

    private static int value(byte[] content) {
        return content == null ? 0 : Integer.parseInt(new String(content, StandardCharsets.UTF_8));
    }

    private static byte[] increment(byte[] current) {
        return Integer.toString(value(current) + 1).getBytes(StandardCharsets.UTF_8);
    }
}
