package io.leasehold.tck.faults;

import static io.leasehold.tck.faults.FaultWorkloads.CALL_TAG;
import static io.leasehold.tck.faults.FaultWorkloads.content;
import static io.leasehold.tck.faults.FaultWorkloads.counter;
import static io.leasehold.tck.faults.FaultWorkloads.value;

import io.leasehold.core.GetResult;
import io.leasehold.core.ObjectStoreException;
import io.leasehold.core.PutMode;
import io.leasehold.core.PutOptions;
import io.leasehold.core.UpdateFunction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Deterministic fault scenarios on a real server: each stages one interleaving of issue 7 with
 * one-shot faults whose answers are held behind a gate ({@link Fault#heldUntil}) while other writers
 * act, then audits the wire like {@link FaultWorkloads}. No timing is involved: every step waits for
 * an observable state (a function called, content visible on the server, a call returned).
 *
 * <ul>
 *   <li>{@link #updateLostResponseThenAba()}: issue 7 defect 1(a).</li>
 *   <li>{@link #updateLostResponseThenPlainPutRestores()}: defect 1(b).</li>
 *   <li>{@link #putAnswered500ThenOverwritten()}: defect 3.</li>
 *   <li>{@link #lostAnswersToPutsSettle()}: "a plain conditional put whose response is lost (or that
 *       got a 500 after applying) is settled with at most one extra read".</li>
 * </ul>
 *
 * <p>Thread-safety: run one scenario at a time per instance.
 */
public final class FaultScenarios {
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(30);

    private final FaultTarget target;

    /**
     * Scenarios on a server.
     *
     * @param target the server
     */
    public FaultScenarios(FaultTarget target) {
        this.target = Objects.requireNonNull(target, "target");
    }

    /**
     * A reads "0" and pauses in its update function. B's +1 lands ("1"), its answer held. C's −1
     * makes it "0" again (same bytes: on S3 the same ETag). A resumes: its If-Match on the first "0"
     * matches the second, and A writes "1" with a history that lacks B. B's answer is then lost: B must
     * not apply +1 a second time (expected: every call landed once, final value 1).
     *
     * @return the report
     */
    public WorkloadReport updateLostResponseThenAba() {
        try (WorkloadRun run = new WorkloadRun(target, "scenario-update-aba", FaultPlan.none())) {
            run.setup(run.key, counter(0));
            FaultPlan plan = FaultPlan.builder(0).build();
            run.proxy.plan(plan);
            CallLog a = run.newCall(0, 0, "+1");
            CallLog b = run.newCall(1, 0, "+1");
            CallLog c = run.newCall(2, 0, "-1");
            CountDownLatch aHasRead = new CountDownLatch(1);
            CountDownLatch aMayWrite = new CountDownLatch(1);
            CountDownLatch bAnswer = new CountDownLatch(1);
            plan.enqueue(writesOf(b), Fault.loseResponse().heldUntil(bAnswer));
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                Future<?> fa = pool.submit(() -> FaultWorkloads.update(run, a, new UpdateFunction() {
                    private boolean first = true;

                    @Override
                    public byte[] apply(byte[] current) {
                        if (first) {
                            first = false;
                            aHasRead.countDown();
                            await(aMayWrite);
                        }
                        return counter(value(current) + 1);
                    }
                }));
                await(aHasRead);
                Future<?> fb = pool.submit(() -> FaultWorkloads.update(run, b, current -> counter(value(current) + 1)));
                awaitContent(run, run.key, counter(1));
                FaultWorkloads.update(run, c, current -> counter(value(current) - 1));
                aMayWrite.countDown();
                join(fa);
                bAnswer.countDown();
                join(fb);
            } finally {
                aMayWrite.countDown();
                bAnswer.countDown();
                pool.shutdownNow();
            }
            return counterReport(run);
        }
    }

    /**
     * B's +1 lands ("1"), its answer held; C, outside {@code update}, puts "0" with If-Match on B's
     * version (same bytes as B's base: on S3 the same ETag, and no write history). B's answer is then
     * lost: B must not take "the ETag is back to my base" as proof that its write did not land
     * (expected: B landed once, final value 0).
     *
     * @return the report
     */
    public WorkloadReport updateLostResponseThenPlainPutRestores() {
        try (WorkloadRun run = new WorkloadRun(target, "scenario-update-restored", FaultPlan.none())) {
            run.setup(run.key, counter(0));
            FaultPlan plan = FaultPlan.builder(0).build();
            run.proxy.plan(plan);
            CallLog b = run.newCall(1, 0, "+1");
            CallLog c = run.newCall(2, 0, "-1");
            CountDownLatch bAnswer = new CountDownLatch(1);
            plan.enqueue(writesOf(b), Fault.loseResponse().heldUntil(bAnswer));
            ExecutorService pool = Executors.newFixedThreadPool(1);
            try {
                Future<?> fb = pool.submit(() -> FaultWorkloads.update(run, b, current -> counter(value(current) + 1)));
                GetResult afterB = awaitContent(run, run.key, counter(1));
                plainPut(run, c, run.key, counter(0), PutMode.update(afterB.info().version()));
                bAnswer.countDown();
                join(fb);
            } finally {
                bAnswer.countDown();
                pool.shutdownNow();
            }
            return counterReport(run);
        }
    }

    /**
     * A's conditional put lands and is answered 500 (held); C overwrites it with If-Match on A's
     * version; then A gets its 500. The same for a create that C then overwrites unconditionally. A
     * must not be told "precondition failed" / "already exists" (a lost race) — its write landed
     * (expected: acknowledged or outcome unknown).
     *
     * @return the report
     */
    public WorkloadReport putAnswered500ThenOverwritten() {
        try (WorkloadRun run = new WorkloadRun(target, "scenario-put-500-overwritten", FaultPlan.none())) {
            run.setup(run.key, bytes("initial"));
            FaultPlan plan = FaultPlan.builder(0).build();
            run.proxy.plan(plan);
            String createKey = run.key + "-new-0";
            ExecutorService pool = Executors.newFixedThreadPool(1);
            try {
                for (boolean create : new boolean[] {false, true}) {
                    String k = create ? createKey : run.key;
                    CallLog a = run.newCall(0, create ? 1 : 0, create ? "create" : "update");
                    CallLog c = run.newCall(2, create ? 1 : 0, create ? "overwrite" : "update");
                    byte[] aBody = bytes("put by " + a.id);
                    CountDownLatch aAnswer = new CountDownLatch(1);
                    plan.enqueue(writesOf(a), Fault.errorAfterApply(500).heldUntil(aAnswer));
                    PutMode aMode = create ? PutMode.create() : PutMode.update(run.read(k).info().version());
                    Future<?> fa = pool.submit(() -> plainPut(run, a, k, aBody, aMode));
                    GetResult afterA = awaitContent(run, k, aBody);
                    plainPut(run, c, k, bytes("put by " + c.id),
                            create ? PutMode.overwrite() : PutMode.update(afterA.info().version()));
                    aAnswer.countDown();
                    join(fa);
                }
            } finally {
                pool.shutdownNow();
            }
            AuditReport audit = run.audit(call -> call.thread < 0 ? WriteEvidence.metadata(CALL_TAG, call.id)
                    : WriteEvidence.bodies(call.bodies));
            List<String> violations = new ArrayList<>();
            for (String k : List.of(run.key, createKey)) {
                FaultWorkloads.checkLastLandedBody(run, k, content(run.read(k)), violations);
            }
            return run.report(audit, violations, List.of());
        }
    }

    /**
     * One writer, no competition: a create and an If-Match put, each once with its answer lost, once
     * answered 500 after applying, once reset after applying. Each must end acknowledged (settled, not
     * {@code OutcomeUnknownException}) after at most one extra read.
     *
     * @return the report
     */
    public WorkloadReport lostAnswersToPutsSettle() {
        List<Fault> faults = List.of(Fault.loseResponse(), Fault.errorAfterApply(500), Fault.resetAfterApply());
        try (WorkloadRun run = new WorkloadRun(target, "scenario-puts-settle", FaultPlan.none())) {
            run.setup(run.key, bytes("initial"));
            FaultPlan plan = FaultPlan.builder(0).build();
            run.proxy.plan(plan);
            List<String> violations = new ArrayList<>();
            List<String> notes = new ArrayList<>();
            int index = 0;
            for (Fault fault : faults) {
                for (boolean create : new boolean[] {true, false}) {
                    String k = create ? run.key + "-new-" + index : run.key;
                    CallLog call = run.newCall(0, index++, (create ? "create" : "update") + " with " + fault);
                    PutMode mode = create ? PutMode.create() : PutMode.update(run.read(k).info().version());
                    plan.enqueue(writesOf(call), fault);
                    long before = lastSequence(run);
                    plainPut(run, call, k, bytes("put by " + call.id), mode);
                    long reads = run.recorder.records(r -> r.sequence() > before
                            && (r.method().equals("GET") || r.method().equals("HEAD"))).size();
                    String what = call.change + " ended " + call.outcome + " after " + reads + " extra read(s)";
                    notes.add(what);
                    if (call.outcome.kind() != CallOutcome.Kind.ACKNOWLEDGED) {
                        violations.add("not settled: " + what + (call.outcome.failure() == null ? ""
                                : " [" + call.outcome.failure() + "]"));
                    } else if (reads > 1) {
                        violations.add("settled with more than one extra read: " + what);
                    }
                }
            }
            AuditReport audit = run.audit(call -> call.thread < 0 ? WriteEvidence.metadata(CALL_TAG, call.id)
                    : WriteEvidence.bodies(call.bodies));
            return run.report(audit, violations, notes);
        }
    }

    // ---------------------------------------------------------------- steps

    private static RequestMatch writesOf(CallLog call) {
        return RequestMatch.objectWrites().and(RequestMatch.metadata(CALL_TAG, call.id));
    }

    /** A plain put, tagged with the call's id, recorded in the call's log. */
    private static void plainPut(WorkloadRun run, CallLog call, String k, byte[] body, PutMode mode) {
        call.bodies.add(body);
        try {
            run.store.put(k, body, PutOptions.builder().mode(mode).metadata(CALL_TAG, call.id).build());
            call.outcome = CallOutcome.acknowledged();
        } catch (ObjectStoreException e) {
            call.outcome = CallOutcome.of(e);
        }
    }

    /** Reads until the key holds exactly these bytes (a write landed) and returns that version. */
    private static GetResult awaitContent(WorkloadRun run, String k, byte[] expected) {
        long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            GetResult r = run.read(k);
            if (r != null && Arrays.equals(expected, r.content())) {
                return r;
            }
            sleep(5);
        }
        throw new AssertionError(k + " never held " + new String(expected, StandardCharsets.UTF_8));
    }

    private static long lastSequence(WorkloadRun run) {
        List<WireRecord> all = run.recorder.records();
        return all.isEmpty() ? 0 : all.get(all.size() - 1).sequence();
    }

    private static WorkloadReport counterReport(WorkloadRun run) {
        // update calls by write id (or tag); plain puts (which logged their bodies) by tag
        AuditReport audit = run.audit(c -> c.bodies.isEmpty() ? FaultWorkloads.updateEvidence(c)
                : WriteEvidence.metadata(CALL_TAG, c.id));
        List<String> violations = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        FaultWorkloads.checkCounter(run, audit, value(content(run.read(run.key))), violations, notes);
        return run.report(audit, violations, notes);
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(STEP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("a scenario step did not happen within " + STEP_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static void join(Future<?> f) {
        try {
            f.get(STEP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("a scenario call failed unexpectedly: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("a scenario call did not return within " + STEP_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
