package io.leasehold.tck.faults;

import io.leasehold.core.ErrorCode;
import io.leasehold.core.GetResult;
import io.leasehold.core.ObjectNotFoundException;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.ObjectStoreException;
import io.leasehold.core.PutMode;
import io.leasehold.core.PutOptions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One workload run: a fresh recorder and proxy in front of the target, a store through the proxy,
 * a unique key, worker threads, the clean read-back and the audit.
 *
 * <p>Thread-safety: driven by the test thread; {@link #newCall} is called by workers.
 */
final class WorkloadRun implements AutoCloseable {
    /** One call of one worker. */
    @FunctionalInterface
    interface Call {
        void run(int thread, int index);
    }

    private static final SecureRandom IDS = new SecureRandom();

    final String workload;
    final String targetName;
    final String runId;
    final String key;
    final WireRecorder recorder = new WireRecorder();
    final FaultProxy proxy;
    final ObjectStore store;
    private final FaultPlan faults;
    private final ConcurrentLinkedQueue<CallLog> calls = new ConcurrentLinkedQueue<>();
    private Duration elapsed = Duration.ZERO;

    WorkloadRun(FaultTarget target, String workload, FaultPlan faults) {
        this.workload = workload;
        this.targetName = target.name();
        this.runId = String.format("%08x", IDS.nextInt());
        this.key = "fault-" + workload + "-" + runId;
        this.faults = faults;
        this.proxy = FaultProxy.builder(target.upstream()).dialect(target.dialect()).recorder(recorder).start();
        ObjectStore opened;
        try {
            opened = target.openThrough(proxy.endpoint());
        } catch (RuntimeException e) {
            proxy.close();
            throw e;
        }
        this.store = opened;
    }

    /** A new call, logged for the audit. Ids are unique across runs and valid metadata values. */
    CallLog newCall(int thread, int index, String change) {
        CallLog call = new CallLog(runId + "." + thread + "." + index, thread, index, change);
        calls.add(call);
        return call;
    }

    List<CallLog> calls() {
        return new ArrayList<>(calls);
    }

    /** Creates {@code k} with {@code content}, without faults, as an acknowledged call tagged "setup". */
    CallLog setup(String k, byte[] content) {
        CallLog setup = newCall(-1, calls.size(), "setup " + k);
        store.put(k, content, PutOptions.builder().mode(PutMode.create())
                .metadata(FaultWorkloads.CALL_TAG, setup.id).build());
        setup.bodies.add(content);
        setup.outcome = CallOutcome.acknowledged();
        return setup;
    }

    /** Runs every worker's calls with the faults on, then turns them off. */
    void run(WorkloadSize size, Call call) {
        Duration deadline = Duration.ofMinutes(10).plus(Duration.ofMillis(500L * size.calls()));
        ExecutorService pool = Executors.newFixedThreadPool(size.threads(), r -> {
            Thread t = new Thread(r, "fault-workload-" + workload);
            t.setDaemon(true);
            return t;
        });
        long start = System.nanoTime();
        proxy.plan(faults);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < size.threads(); t++) {
                int thread = t;
                workers.add(pool.submit(() -> {
                    for (int i = 0; i < size.callsPerThread(); i++) {
                        call.run(thread, i);
                    }
                }));
            }
            long end = start + deadline.toNanos();
            for (Future<?> w : workers) {
                try {
                    w.get(Math.max(1, end - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    throw new AssertionError(workload + " on " + targetName + " did not finish within " + deadline);
                } catch (ExecutionException e) {
                    throw new AssertionError(workload + " worker failed: " + e.getCause(), e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted", e);
                }
            }
        } finally {
            proxy.plan(FaultPlan.none());
            pool.shutdownNow();
            elapsed = Duration.ofNanos(System.nanoTime() - start);
        }
    }

    /**
     * Reads a key, retrying transient failures (faults are off by then, but the server may still be
     * busy); null if absent.
     */
    GetResult read(String k) {
        for (int attempt = 1; ; attempt++) {
            try {
                return store.get(k);
            } catch (ObjectNotFoundException absent) {
                return null;
            } catch (ObjectStoreException e) {
                if (attempt >= 50 || !(e.retryable() || e.code() == ErrorCode.OUTCOME_UNKNOWN)) {
                    throw e;
                }
                sleep(20);
            }
        }
    }

    /** The records of this run's keys. */
    Predicate<WireRecord> scope() {
        String marker = "/" + key;
        return r -> r.path().contains(marker);
    }

    /** The records of exactly one key. */
    Predicate<WireRecord> onKey(String k) {
        String suffix = "/" + k;
        return r -> r.path().endsWith(suffix);
    }

    AuditReport audit(Function<CallLog, WriteEvidence> evidence) {
        WriteAudit audit = WriteAudit.of(recorder.records(), scope());
        for (CallLog c : calls) {
            if (c.outcome == null) {
                throw new IllegalStateException("call " + c.id + " has no outcome");
            }
            audit.call(c.id, c.outcome, evidence.apply(c));
        }
        return audit.report(workload + " on " + targetName + " (" + (calls.size() - 1) + " calls + setup, key " + key + ")");
    }

    WorkloadReport report(AuditReport audit, List<String> contentViolations, List<String> notes) {
        WorkloadReport report = new WorkloadReport(workload + " on " + targetName, audit, contentViolations, notes, elapsed);
        System.out.println(report.summary());
        return report;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            store.close();
        } finally {
            proxy.close();
        }
    }
}
