package io.leasehold.tck.faults;

import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.leasehold.core.Conflicts;
import io.leasehold.core.GetResult;
import io.leasehold.core.ObjectNotFoundException;
import io.leasehold.core.ObjectStoreException;
import io.leasehold.core.PutMode;
import io.leasehold.core.PutOptions;
import io.leasehold.core.UpdateListener;
import io.leasehold.core.UpdateOptions;
import io.leasehold.core.UpdateResult;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.LongFunction;

/**
 * Workloads that check "no lost and no doubled write" on a real server under injected faults: each
 * runs concurrent callers through a {@link FaultProxy}, then audits the wire ({@link WriteAudit}) and
 * the final content.
 *
 * <ul>
 *   <li>{@link #toggleUpdates()}: {@code update} adding +1 and −1 alternately, so the counter keeps
 *       returning to earlier values (same bytes, so the same ETag where ETags hash the content).</li>
 *   <li>{@link #setUpdates()}: {@code update} adding or removing a token of a sorted set, so sets repeat.</li>
 *   <li>{@link #conditionalPuts()}: plain {@code put} with {@code PutMode.update(version)} (and some
 *       creates) of a body unique to the call; each call is attributed by its body's hash.</li>
 *   <li>{@link #userRetryLoop()}: a get → +1/−1 → conditional put loop written as a user would, retried
 *       with Resilience4j on {@link Conflicts#isRetryableAfterReread}, as the {@code Conflicts} Javadoc
 *       recommends.</li>
 * </ul>
 * Update calls and the user's loop carry a user metadata tag ({@value #CALL_TAG} = the call's id),
 * which also lets a {@link FaultPlan} aim at one call's writes ({@link RequestMatch#metadata}). The update workloads
 * collect the write ids the library reports through {@link UpdateListener#onWriteSent}; the audit
 * recognises update writes by those ids alone, and checks that every tagged write carried one of the
 * ids reported for its call. Plain puts are recognised by their unique bodies, the user's loop by its
 * tag (a user cannot learn a plain put's write id).
 *
 * <p>The default {@link #standardPlan fault plan} fails about 18% of object writes (lost response,
 * 500 after applying, 503 before, resets, delays) and 7% of reads.
 *
 * <p>Thread-safety: run one workload at a time per instance; each run uses its own proxy and key.
 */
public final class FaultWorkloads {
    /** The user metadata name of the per-call tag. */
    public static final String CALL_TAG = "fault_call";

    private final FaultTarget target;
    private final WorkloadSize size;
    private final LongFunction<FaultPlan> plans;

    /**
     * Workloads with the {@link #standardPlan}.
     *
     * @param target the server
     * @param size threads, calls and seed
     */
    public FaultWorkloads(FaultTarget target, WorkloadSize size) {
        this(target, size, FaultWorkloads::standardPlan);
    }

    /**
     * Workloads with your own plan.
     *
     * @param target the server
     * @param size threads, calls and seed
     * @param plans makes a fresh plan from the seed, once per run
     */
    public FaultWorkloads(FaultTarget target, WorkloadSize size, LongFunction<FaultPlan> plans) {
        this.target = Objects.requireNonNull(target, "target");
        this.size = Objects.requireNonNull(size, "size");
        this.plans = Objects.requireNonNull(plans, "plans");
    }

    /**
     * The default faults. On object writes (18%): lost responses 4%, 500 after applying 4%, reset after
     * applying 3% (each half at once, half after holding the answer for {@value #HOLD_MS} ms, as a
     * slow server or a timeout would, so that other writers get in between), 503 before applying 3%,
     * reset before applying 2%, a {@value #HOLD_MS} ms delay 2%. On reads (7%): 503 3%, reset before
     * 2%, lost responses 2%.
     *
     * @param seed the seed
     * @return a new plan
     */
    public static FaultPlan standardPlan(long seed) {
        Duration hold = Duration.ofMillis(HOLD_MS);
        return FaultPlan.builder(seed)
                .random(RequestMatch.objectWrites(),
                        FaultPlan.weighted(0.02, Fault.loseResponse()),
                        FaultPlan.weighted(0.02, Fault.loseResponse().withDelay(Duration.ZERO, hold)),
                        FaultPlan.weighted(0.02, Fault.errorAfterApply(500)),
                        FaultPlan.weighted(0.02, Fault.errorAfterApply(500).withDelay(Duration.ZERO, hold)),
                        FaultPlan.weighted(0.015, Fault.resetAfterApply()),
                        FaultPlan.weighted(0.015, Fault.resetAfterApply().withDelay(Duration.ZERO, hold)),
                        FaultPlan.weighted(0.03, Fault.rejectBeforeApply(503)),
                        FaultPlan.weighted(0.02, Fault.resetBeforeApply()),
                        FaultPlan.weighted(0.02, Fault.delay(Duration.ZERO, hold)))
                .random(RequestMatch.reads(),
                        FaultPlan.weighted(0.03, Fault.rejectBeforeApply(503)),
                        FaultPlan.weighted(0.02, Fault.resetBeforeApply()),
                        FaultPlan.weighted(0.02, Fault.loseResponse()))
                .build();
    }

    /** How long the standard plan holds an answer it then loses, replaces or resets. */
    public static final long HOLD_MS = 50;

    /**
     * ±1 toggles through {@code update}; the counter's values repeat.
     *
     * @return the report; {@link WorkloadReport#assertClean()} to assert
     */
    public WorkloadReport toggleUpdates() {
        try (WorkloadRun run = new WorkloadRun(target, "toggle-updates", plans.apply(size.seed()))) {
            run.setup(run.key, counter(0));
            run.run(size, (thread, index) -> {
                int delta = (thread + index) % 2 == 0 ? 1 : -1;
                CallLog call = run.newCall(thread, index, delta > 0 ? "+1" : "-1");
                update(run, call, current -> counter(value(current) + delta));
            });
            AuditReport audit = run.audit(FaultWorkloads::updateEvidence);
            List<String> violations = new ArrayList<>();
            List<String> notes = new ArrayList<>();
            checkCounter(run, audit, value(content(run.read(run.key))), violations, notes);
            checkReportedWriteIds(run, violations);
            return run.report(audit, violations, notes);
        }
    }

    /**
     * Add/remove of each caller's own token in a sorted set through {@code update}; sets repeat.
     *
     * @return the report
     */
    public WorkloadReport setUpdates() {
        try (WorkloadRun run = new WorkloadRun(target, "set-updates", plans.apply(size.seed()))) {
            run.setup(run.key, new byte[0]);
            run.run(size, (thread, index) -> {
                String token = "t" + thread;
                boolean add = index % 2 == 0;
                CallLog call = run.newCall(thread, index, (add ? "+" : "-") + token);
                update(run, call, current -> {
                    TreeSet<String> set = tokens(current);
                    if (add) {
                        set.add(token);
                    } else {
                        set.remove(token);
                    }
                    return String.join(",", set).getBytes(StandardCharsets.US_ASCII);
                });
            });
            AuditReport audit = run.audit(FaultWorkloads::updateEvidence);
            List<String> violations = new ArrayList<>();
            List<String> notes = new ArrayList<>();
            checkSet(run, tokens(content(run.read(run.key))), violations);
            checkReportedWriteIds(run, violations);
            return run.report(audit, violations, notes);
        }
    }

    /**
     * Plain conditional puts of bodies unique to each call: {@code PutMode.update(version)} on the
     * version just read, and every 5th call a create on one of four create-only keys.
     *
     * @return the report
     */
    public WorkloadReport conditionalPuts() {
        SecureRandom nonces = new SecureRandom();
        try (WorkloadRun run = new WorkloadRun(target, "conditional-puts", plans.apply(size.seed()))) {
            run.setup(run.key, "initial".getBytes(StandardCharsets.US_ASCII));
            run.run(size, (thread, index) -> {
                boolean create = index % 5 == 4;
                String k = create ? run.key + "-new-" + (index / 5) % 4 : run.key;
                CallLog call = run.newCall(thread, index, create ? "create " + k : "update");
                PutMode mode = PutMode.create();
                if (!create) {
                    GetResult current = run.read(k);
                    mode = current == null ? PutMode.create() : PutMode.update(current.info().version());
                }
                byte[] body = ("put " + call.id + " " + Long.toHexString(nonces.nextLong())).getBytes(StandardCharsets.US_ASCII);
                call.bodies.add(body);
                try {
                    run.store.put(k, body, PutOptions.of(mode));
                    call.outcome = CallOutcome.acknowledged();
                } catch (ObjectStoreException e) {
                    call.outcome = CallOutcome.of(e);
                }
            });
            AuditReport audit = run.audit(c -> WriteEvidence.bodies(c.bodies));
            List<String> violations = new ArrayList<>();
            List<String> keys = new ArrayList<>(List.of(run.key));
            for (int i = 0; i < 4; i++) {
                keys.add(run.key + "-new-" + i);
            }
            for (String k : keys) {
                checkLastLandedBody(run, k, content(run.read(k)), violations);
            }
            return run.report(audit, violations, List.of());
        }
    }

    /**
     * A user's own read-modify-write loop: get, ±1, put with If-Match (create when absent), retried
     * with Resilience4j on {@link Conflicts#isRetryableAfterReread} (up to 100 attempts, full jitter
     * 2–250 ms); an {@code OutcomeUnknownException} ends the call.
     *
     * @return the report
     */
    public WorkloadReport userRetryLoop() {
        RetryConfig config = RetryConfig.custom()
                .maxAttempts(100)
                .intervalFunction(Conflicts.fullJitter(Duration.ofMillis(2), Duration.ofMillis(250)))
                .retryOnException(Conflicts::isRetryableAfterReread)
                .build();
        try (WorkloadRun run = new WorkloadRun(target, "user-retry-loop", plans.apply(size.seed()))) {
            run.setup(run.key, counter(0));
            run.run(size, (thread, index) -> {
                int delta = (thread + index) % 2 == 0 ? 1 : -1;
                CallLog call = run.newCall(thread, index, delta > 0 ? "+1" : "-1");
                Retry retry = Retry.of("user-loop-" + call.id, config);
                try {
                    retry.executeRunnable(() -> {
                        call.attempts++;
                        GetResult current;
                        try {
                            current = run.store.get(run.key);
                        } catch (ObjectNotFoundException absent) {
                            current = null;
                        }
                        PutMode mode = current == null ? PutMode.create() : PutMode.update(current.info().version());
                        run.store.put(run.key, counter(value(content(current)) + delta),
                                PutOptions.builder().mode(mode).metadata(CALL_TAG, call.id).build());
                    });
                    call.outcome = CallOutcome.acknowledged();
                } catch (ObjectStoreException e) {
                    call.outcome = CallOutcome.of(e);
                }
            });
            AuditReport audit = run.audit(c -> WriteEvidence.metadata(CALL_TAG, c.id));
            List<String> violations = new ArrayList<>();
            List<String> notes = new ArrayList<>();
            checkCounter(run, audit, value(content(run.read(run.key))), violations, notes);
            return run.report(audit, violations, notes);
        }
    }

    // ---------------------------------------------------------------- update calls and evidence

    static void update(WorkloadRun run, CallLog call, io.leasehold.core.UpdateFunction fn) {
        // Each call must be its own write for a per-call audit, and the threads stand for separate
        // processes racing on the server: no coalescing of concurrent updates inside this store.
        UpdateOptions options = UpdateOptions.builder()
                .metadata(CALL_TAG, call.id)
                .listener(new WriteIdCollector(call))
                .coalesce(false)
                .build();
        try {
            UpdateResult result = run.store.update(run.key, fn, options);
            call.attempts = result.attempts();
            call.outcome = CallOutcome.acknowledged();
        } catch (ObjectStoreException e) {
            call.outcome = CallOutcome.of(e);
        }
    }

    /** Update calls by the write ids the library reported for them; the setup put by its tag. */
    static WriteEvidence updateEvidence(CallLog call) {
        return call.thread >= 0 ? WriteEvidence.writeIds(call.writeIds) : WriteEvidence.metadata(CALL_TAG, call.id);
    }

    /** Collects the write ids of one update call, as the library reports them before each write. */
    private static final class WriteIdCollector implements UpdateListener {
        private final CallLog call;

        WriteIdCollector(CallLog call) {
            this.call = call;
        }

        @Override
        public void onWriteSent(String key, int attempt, String writeId) {
            call.writeIds.add(writeId);
        }
    }

    /**
     * Where write ids are reported: every tagged write of an update call must carry one of the ids
     * reported for that call.
     */
    private static void checkReportedWriteIds(WorkloadRun run, List<String> violations) {
        Map<String, CallLog> byId = new HashMap<>();
        for (CallLog c : run.calls()) {
            byId.put(c.id, c);
        }
        int unreported = 0;
        String example = null;
        for (WireRecord r : run.recorder.records(run.scope())) {
            CallLog c = byId.get(r.userMetadata().get(CALL_TAG));
            if (!r.isObjectWrite() || c == null || c.thread < 0) {
                continue;
            }
            if (r.writeId() == null || !c.writeIds.contains(r.writeId())) {
                unreported++;
                if (example == null) {
                    example = r + " of " + c.id + " (reported " + c.writeIds + ")";
                }
            }
        }
        if (unreported > 0) {
            violations.add(unreported + " update writes carried no write id or one not reported by onWriteSent, e.g. "
                    + example);
        }
    }

    // ---------------------------------------------------------------- content checks

    /**
     * The final counter must equal the sum of the changes that landed (else the wire record is
     * incomplete or the server is not atomic) and the sum of what callers were told: acknowledged
     * changes plus the outcome-unknown ones that landed.
     */
    static void checkCounter(WorkloadRun run, AuditReport audit, long finalValue, List<String> violations,
                                     List<String> notes) {
        long landedSum = 0;
        long toldSum = 0;
        long attempts = 0;
        for (CallLog c : run.calls()) {
            if (c.thread < 0) {
                continue;
            }
            long delta = c.change.equals("+1") ? 1 : -1;
            int landed = audit.landedByCall().getOrDefault(c.id, 0);
            landedSum += landed * delta;
            attempts += c.attempts;
            switch (c.outcome.kind()) {
                case ACKNOWLEDGED:
                    toldSum += delta;
                    break;
                case OUTCOME_UNKNOWN:
                    toldSum += landed > 0 ? delta : 0;
                    break;
                default:
                    break;
            }
        }
        notes.add("final value " + finalValue + "; changes that landed add up to " + landedSum
                + "; acknowledged (+ landed outcome-unknown) changes add up to " + toldSum + "; attempts " + attempts);
        if (finalValue != landedSum) {
            violations.add("final value " + finalValue + " but the writes that landed add up to " + landedSum
                    + " (the wire record is incomplete, or the server applied conditional writes non-atomically)");
        }
        if (finalValue != toldSum) {
            violations.add("final value " + finalValue + " but what the callers were told adds up to " + toldSum);
        }
    }

    /**
     * Replays the landed writes in wire order (each applies its call's add/remove) and compares with
     * the final set; then, for each caller whose last call was acknowledged, its token must be present
     * exactly when that call added it.
     */
    private static void checkSet(WorkloadRun run, TreeSet<String> finalSet, List<String> violations) {
        Map<String, CallLog> byId = new HashMap<>();
        Map<Integer, CallLog> lastOfThread = new HashMap<>();
        for (CallLog c : run.calls()) {
            byId.put(c.id, c);
            if (c.thread >= 0 && (!lastOfThread.containsKey(c.thread) || lastOfThread.get(c.thread).index < c.index)) {
                lastOfThread.put(c.thread, c);
            }
        }
        TreeSet<String> replay = new TreeSet<>();
        for (WireRecord r : run.recorder.records(run.onKey(run.key))) {
            CallLog c = byId.get(r.userMetadata().get(CALL_TAG));
            if (!r.landed() || c == null || c.thread < 0) {
                continue;
            }
            String token = c.change.substring(1);
            if (c.change.startsWith("+")) {
                replay.add(token);
            } else {
                replay.remove(token);
            }
        }
        if (!replay.equals(finalSet)) {
            violations.add("final set " + finalSet + " but replaying the landed writes gives " + replay
                    + " (the wire record is incomplete, or the server applied conditional writes non-atomically)");
        }
        for (CallLog last : lastOfThread.values()) {
            if (last.outcome.kind() != CallOutcome.Kind.ACKNOWLEDGED) {
                continue;
            }
            String token = last.change.substring(1);
            boolean shouldHave = last.change.startsWith("+");
            if (finalSet.contains(token) != shouldHave) {
                violations.add("final set " + finalSet + (shouldHave ? " lacks " : " has ") + token
                        + " although the acknowledged last call of its caller was " + last.change);
            }
        }
    }

    /** The final content of a key must be the body of the last write that landed on it. */
    static void checkLastLandedBody(WorkloadRun run, String k, byte[] finalContent, List<String> violations) {
        WireRecord last = null;
        for (WireRecord r : run.recorder.records(run.onKey(k))) {
            if (r.landed()) {
                last = r;
            }
        }
        if (last == null) {
            if (finalContent != null) {
                violations.add(k + " exists but no write to it landed");
            }
            return;
        }
        if (finalContent == null || !WriteEvidence.sha256Hex(finalContent).equals(last.bodySha256())) {
            violations.add(k + " does not hold the body of the last write that landed on it (" + last + ")");
        }
    }

    // ---------------------------------------------------------------- encodings

    static byte[] content(GetResult r) {
        return r == null ? null : r.content();
    }

    static byte[] counter(long value) {
        return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
    }

    static long value(byte[] content) {
        return content == null || content.length == 0 ? 0 : Long.parseLong(new String(content, StandardCharsets.US_ASCII).trim());
    }

    private static TreeSet<String> tokens(byte[] content) {
        TreeSet<String> set = new TreeSet<>();
        if (content != null) {
            for (String t : new String(content, StandardCharsets.US_ASCII).split(",")) {
                if (!t.isEmpty()) {
                    set.add(t);
                }
            }
        }
        return set;
    }
}
