package io.leasehold.tck.history;

import io.leasehold.core.Capability;
import io.leasehold.core.DeleteOptions;
import io.leasehold.core.ErrorCode;
import io.leasehold.core.GetResult;
import io.leasehold.core.ObjectAlreadyExistsException;
import io.leasehold.core.ObjectNotFoundException;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.ObjectStoreException;
import io.leasehold.core.ObjectVersion;
import io.leasehold.core.OutcomeUnknownException;
import io.leasehold.core.PreconditionFailedException;
import io.leasehold.core.PutMode;
import io.leasehold.core.PutOptions;
import io.leasehold.core.PutResult;
import io.leasehold.core.UpdateListener;
import io.leasehold.core.UpdateOptions;
import io.leasehold.core.UpdateResult;
import io.leasehold.tck.faults.CallOutcome;
import io.leasehold.test.history.Counter;
import io.leasehold.test.history.History;
import io.leasehold.test.history.Register;
import io.leasehold.test.history.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Concurrent processes calling a store through the public API, every call recorded in a
 * {@link io.leasehold.test.history.History} for {@link io.leasehold.test.history.Checker}: the
 * proof that the write engine neither loses nor doubles a write, whatever the faults.
 *
 * <h2>Keys and calls</h2>
 * Each key set has three counter keys and two register keys; each operation picks a key at random.
 * <ul>
 *   <li><b>Counters</b> ({@link io.leasehold.test.history.Models#counter()}): {@code update} adding
 *       +1 or −1 (so values repeat), 30% {@code get}. On the key ending {@code coalesced} every
 *       update is coalesced, on {@code alone} none is, on {@code mixed} half are; a quarter of the
 *       updates after a read of the key start from that (by then often stale) read
 *       ({@link UpdateOptions.Builder#startingFrom}).</li>
 *   <li><b>Registers</b> ({@link io.leasehold.test.history.Models#register(boolean)}): contents
 *       alternate A → B → A through {@code put} with {@code PutMode.update(version)} on the version
 *       the process last read or wrote; creates when the process saw no object (and sometimes when
 *       it did, to be refused), overwrites, {@code get}, and {@code delete} with If-Match where the
 *       store {@linkplain Capability#DELETE_IF_MATCH has it}. Every put carries a tag unique to the
 *       call in user metadata ({@value #WRITE_TAG}); reads report the tag they saw, which is the
 *       register model's write id, and the library's own write id, checked against the one the put
 *       reported.</li>
 * </ul>
 *
 * <h2>How outcomes are recorded</h2>
 * A normal return is ok; {@link ObjectNotFoundException}, {@link ObjectAlreadyExistsException} and
 * {@link PreconditionFailedException} on a conditional put or delete are refusals; an
 * {@link OutcomeUnknownException}, and an {@link ErrorCode#UNKNOWN} failure (the library did not
 * classify it), are unknown; any other {@link ObjectStoreException} is failed, as the library's
 * contract promises that nothing was applied. That promise is what the checker tests: a "failed"
 * write that did land shows up as an anomaly later.
 *
 * <p>Thread-safety: immutable; {@link #run} may be called from any thread and runs its own threads.
 */
public final class HistoryWorkload {
    /** The user metadata name of the tag every register put carries. */
    public static final String WRITE_TAG = "history_write";
    /** Set to {@code true} for the flagged run: {@value #BIG_OPERATIONS} operations per store. */
    public static final String BIG_PROPERTY = "leasehold.history.big";
    /** Overrides the number of operations per store. */
    public static final String OPERATIONS_PROPERTY = "leasehold.history.operations";
    /** Operations per store in the default build. */
    public static final int DEFAULT_OPERATIONS = 10_000;
    /** Operations per store in the flagged run. */
    public static final int BIG_OPERATIONS = 100_000;
    /** Operations per key set: more operations get more key sets, so each key's history stays checkable. */
    static final int OPERATIONS_PER_KEY_SET = 5_000;

    static final String COALESCED = "counter-coalesced";
    static final String ALONE = "counter-alone";
    static final String MIXED = "counter-mixed";
    static final String REGISTER = "register";
    private static final Duration RUN_LIMIT = Duration.ofHours(2);

    /**
     * Injects faults before an operation, e.g. by scripting the test kit's
     * {@code FaultInjectingDriver} (stores without a fault proxy in front).
     *
     * <p>Thread-safety: called by every process concurrently.
     */
    @FunctionalInterface
    public interface FaultHook {
        /**
         * Called just before a process's operation on {@code key}.
         *
         * @param key the key the operation is about to use
         * @param register whether it is a register key (else a counter key)
         * @param random the process's seeded random source
         * @param part where to {@linkplain HistoryPart#countFault count} what was injected
         */
        void beforeOperation(String key, boolean register, Random random, HistoryPart part);
    }

    private final String runId;
    private final String processPrefix;
    private final int processes;
    private final int operationsPerProcess;
    private final long seed;
    private final int keySets;
    private final boolean deletes;
    private final FaultHook faults;

    private HistoryWorkload(Builder b) {
        this.runId = b.runId;
        this.processPrefix = b.processPrefix;
        this.processes = b.processes;
        this.operationsPerProcess = b.operationsPerProcess;
        this.seed = b.seed;
        this.keySets = b.keySets > 0 ? b.keySets : Math.max(1, (int) Math.ceil(b.expectedTotal / (double) OPERATIONS_PER_KEY_SET));
        this.deletes = b.deletes;
        this.faults = b.faults;
    }

    /**
     * A new builder.
     *
     * @param runId names this run's keys ({@code history-RUNID-...}), so that runs never share a key
     * @return the builder
     */
    public static Builder builder(String runId) {
        return new Builder(runId);
    }

    /**
     * A builder holding this workload's settings.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder(runId);
        b.processPrefix = processPrefix;
        b.processes = processes;
        b.operationsPerProcess = operationsPerProcess;
        b.seed = seed;
        b.keySets = keySets;
        b.deletes = deletes;
        b.faults = faults;
        return b;
    }

    /**
     * The operations per store the build asked for: {@value #DEFAULT_OPERATIONS}, or
     * {@value #BIG_OPERATIONS} with {@code -Dleasehold.history.big=true}, or
     * {@code -Dleasehold.history.operations=N}.
     *
     * @return the count
     */
    public static int operationsFromSystem() {
        int base = Boolean.getBoolean(BIG_PROPERTY) ? BIG_OPERATIONS : DEFAULT_OPERATIONS;
        return Integer.getInteger(OPERATIONS_PROPERTY, base);
    }

    /**
     * The counter keys.
     *
     * @return three per key set
     */
    public List<String> counterKeys() {
        List<String> keys = new ArrayList<>();
        for (int s = 0; s < keySets; s++) {
            keys.add(key(COALESCED, s));
            keys.add(key(ALONE, s));
            keys.add(key(MIXED, s));
        }
        return keys;
    }

    /**
     * The register keys.
     *
     * @return two per key set
     */
    public List<String> registerKeys() {
        List<String> keys = new ArrayList<>();
        for (int s = 0; s < keySets; s++) {
            keys.add(key(REGISTER, 2 * s));
            keys.add(key(REGISTER, 2 * s + 1));
        }
        return keys;
    }

    /**
     * The prefix all of this run's keys start with.
     *
     * @return {@code history-RUNID-}
     */
    public String keyPrefix() {
        return "history-" + runId + "-";
    }

    private String key(String kind, int index) {
        return keyPrefix() + kind + "-" + index;
    }

    long seed() {
        return seed;
    }

    /**
     * Operations this workload makes in one JVM.
     *
     * @return processes × operations per process
     */
    public int operations() {
        return processes * operationsPerProcess;
    }

    /**
     * The settings as command-line arguments for a child JVM ({@link #fromArgs}); the fault hook is
     * not included.
     *
     * @return the arguments
     */
    public List<String> args() {
        return List.of(runId, processPrefix, Integer.toString(processes), Integer.toString(operationsPerProcess),
                Long.toString(seed), Integer.toString(keySets), Boolean.toString(deletes));
    }

    /**
     * A workload from {@link #args()}.
     *
     * @param args the arguments
     * @return the workload, without a fault hook
     * @throws IllegalArgumentException if the arguments are not seven
     */
    public static HistoryWorkload fromArgs(List<String> args) {
        if (args.size() != 7) {
            throw new IllegalArgumentException("expected RUNID PREFIX PROCESSES OPERATIONS SEED KEYSETS DELETES, got " + args);
        }
        return builder(args.get(0)).processPrefix(args.get(1)).processes(Integer.parseInt(args.get(2)))
                .operationsPerProcess(Integer.parseInt(args.get(3))).seed(Long.parseLong(args.get(4)))
                .keySets(Integer.parseInt(args.get(5))).deletes(Boolean.parseBoolean(args.get(6))).build();
    }

    /**
     * Runs the processes against {@code store} until each has made its operations.
     *
     * @param store the store (its faults come from the hook, a proxy, or both)
     * @return what was recorded; a worker that did not finish within 2 hours is a
     *     {@linkplain HistoryPart#problems() problem}
     */
    public HistoryPart run(ObjectStore store) {
        HistoryPart part = HistoryPart.empty();
        boolean deleteIfMatch = deletes && store.capabilities().supports(Capability.DELETE_IF_MATCH);
        List<String> counterKeys = counterKeys();
        List<String> registerKeys = registerKeys();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < processes; i++) {
            Process p = new Process(processPrefix + "p" + i, new Random(seed * 1_000_003L + i * 7919L + processPrefix.hashCode()),
                    store, part, counterKeys, registerKeys, deleteIfMatch);
            Thread t = new Thread(() -> {
                try {
                    start.await();
                    for (int op = 0; op < operationsPerProcess; op++) {
                        p.next(op);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException | Error e) {
                    part.problem(p.name + " stopped: " + e);
                }
            }, "history-" + p.name);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        long began = System.nanoTime();
        start.countDown();
        long deadline = began + RUN_LIMIT.toNanos();
        for (Thread t : threads) {
            try {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                part.problem("interrupted while waiting for the processes");
                break;
            }
            if (t.isAlive()) {
                part.problem(t.getName() + " did not finish within " + RUN_LIMIT);
            }
        }
        part.elapsed(Duration.ofNanos(System.nanoTime() - began));
        return part;
    }

    // ---------------------------------------------------------------- one process

    /** What a process last knew of a register key. */
    private static final class Known {
        static final Known ABSENT = new Known(null, null, null);
        final String content;
        final String tag;
        final ObjectVersion version;

        Known(String content, String tag, ObjectVersion version) {
            this.content = content;
            this.tag = tag;
            this.version = version;
        }
    }

    /** One sequential client: one call at a time, its own random source. */
    private final class Process {
        final String name;
        final Random random;
        final ObjectStore store;
        final HistoryPart part;
        final List<String> counterKeys;
        final List<String> registerKeys;
        final boolean deleteIfMatch;
        final Map<String, Known> known = new HashMap<>();
        final Map<String, GetResult> lastCounterRead = new HashMap<>();

        Process(String name, Random random, ObjectStore store, HistoryPart part, List<String> counterKeys,
                List<String> registerKeys, boolean deleteIfMatch) {
            this.name = name;
            this.random = random;
            this.store = store;
            this.part = part;
            this.counterKeys = counterKeys;
            this.registerKeys = registerKeys;
            this.deleteIfMatch = deleteIfMatch;
        }

        void next(int index) {
            boolean register = random.nextDouble() < 0.45;
            List<String> keys = register ? registerKeys : counterKeys;
            String key = keys.get(random.nextInt(keys.size()));
            if (faults != null) {
                faults.beforeOperation(key, register, random, part);
            }
            String callId = name + "." + index;
            if (register) {
                registerOperation(key, callId);
            } else {
                counterOperation(key, callId);
            }
        }

        // ------------------------------------------------------------ counters

        void counterOperation(String key, String callId) {
            if (random.nextDouble() < 0.3) {
                History.Op op = part.counters().invoke(name, key, Counter.get());
                try {
                    GetResult r = store.get(key);
                    op.ok(Counter.value(number(r.content())));
                    lastCounterRead.put(key, r);
                } catch (ObjectNotFoundException absent) {
                    op.refused(Response.NOT_FOUND);
                } catch (ObjectStoreException e) {
                    op.failed(brief(e));
                } catch (RuntimeException e) {
                    op.failed(brief(e));
                    part.problem("get " + key + " threw outside the library's hierarchy: " + e);
                }
                return;
            }
            long delta = random.nextBoolean() ? 1 : -1;
            boolean coalesce = key.contains(COALESCED) || (key.contains(MIXED) && random.nextBoolean());
            Set<String> sent = ConcurrentHashMap.newKeySet();
            UpdateOptions.Builder options = UpdateOptions.builder().coalesce(coalesce).listener(new UpdateListener() {
                @Override
                public void onWriteSent(String k, int attempt, String writeId) {
                    sent.add(writeId);
                }
            });
            GetResult held = lastCounterRead.remove(key);
            if (held != null && random.nextDouble() < 0.25) {
                options.startingFrom(held);
            }
            History.Op op = part.counters().invoke(name, key, Counter.add(delta));
            CallOutcome outcome;
            try {
                UpdateResult r = store.update(key, current -> counter(number(current) + delta), options.build());
                op.ok(Counter.value(number(r.content())));
                outcome = CallOutcome.acknowledged();
            } catch (ObjectStoreException e) {
                outcome = recordMutationFailure(op, e);
            } catch (RuntimeException e) {
                op.unknown(brief(e));
                outcome = CallOutcome.of(e);
                part.problem("update " + key + " threw outside the library's hierarchy: " + e);
            }
            part.call(new MutationCall(callId, key, outcome, MutationCall.Evidence.WRITE_IDS, new ArrayList<>(sent), delta));
        }

        // ------------------------------------------------------------ registers

        void registerOperation(String key, String callId) {
            Known k = known.get(key);
            double r = random.nextDouble();
            if (k == null || r < 0.30) {
                registerGet(key);
            } else if (k == Known.ABSENT || r >= 0.95) {
                registerPut(key, callId, PutMode.create(), k == Known.ABSENT ? "A" : alternate(k.content), null);
            } else if (r < 0.80) {
                registerPut(key, callId, PutMode.update(k.version), alternate(k.content), k);
            } else if (r < 0.87) {
                registerPut(key, callId, PutMode.overwrite(), random.nextBoolean() ? "A" : "B", null);
            } else if (deleteIfMatch) {
                registerDelete(key, k);
            } else {
                registerPut(key, callId, PutMode.update(k.version), alternate(k.content), k);
            }
        }

        void registerGet(String key) {
            History.Op op = part.registers().invoke(name, key, Register.get());
            try {
                GetResult r = store.get(key);
                String content = new String(r.content(), StandardCharsets.UTF_8);
                String tag = r.info().userMetadata().get(WRITE_TAG);
                if (tag == null) {
                    part.problem("a read of " + key + " found no " + WRITE_TAG + " tag: " + r.info());
                    tag = "untagged";
                }
                op.ok(Register.found(content, tag));
                String writeId = r.info().version().writeId().orElse(null);
                if (writeId == null) {
                    part.problem("a read of " + key + " reported no write id: " + r.info());
                } else {
                    part.observedWriteId(tag, writeId);
                }
                known.put(key, new Known(content, tag, r.info().version()));
            } catch (ObjectNotFoundException absent) {
                op.refused(Response.NOT_FOUND);
                known.put(key, Known.ABSENT);
            } catch (ObjectStoreException e) {
                op.failed(brief(e));
                known.remove(key);
            } catch (RuntimeException e) {
                op.failed(brief(e));
                known.remove(key);
                part.problem("get " + key + " threw outside the library's hierarchy: " + e);
            }
        }

        void registerPut(String key, String tag, PutMode mode, String content, Known base) {
            io.leasehold.test.history.Call call;
            switch (mode.kind()) {
                case CREATE:
                    call = Register.putCreate(content, tag);
                    break;
                case UPDATE:
                    call = Register.putIfMatch(Register.version(base.content, base.tag), content, tag);
                    break;
                default:
                    call = Register.put(content, tag);
                    break;
            }
            PutOptions options = PutOptions.builder().mode(mode).metadata(WRITE_TAG, tag).build();
            History.Op op = part.registers().invoke(name, key, call);
            CallOutcome outcome;
            known.remove(key);
            try {
                PutResult r = store.put(key, content.getBytes(StandardCharsets.UTF_8), options);
                op.ok(Response.ok());
                outcome = CallOutcome.acknowledged();
                String writeId = r.writeId().orElse(null);
                if (writeId == null) {
                    part.problem("a put of " + key + " returned no write id: " + r);
                } else {
                    part.reportedWriteId(tag, writeId);
                }
                if (!r.isSuperseded()) {
                    known.put(key, new Known(content, tag, r.version()));
                }
            } catch (ObjectAlreadyExistsException e) {
                op.refused(Response.ALREADY_EXISTS);
                outcome = CallOutcome.of(e);
            } catch (PreconditionFailedException e) {
                op.refused(Response.PRECONDITION_FAILED);
                outcome = CallOutcome.of(e);
            } catch (ObjectNotFoundException e) {
                op.refused(Response.NOT_FOUND);
                outcome = CallOutcome.of(e);
            } catch (ObjectStoreException e) {
                outcome = recordMutationFailure(op, e);
                if (e instanceof OutcomeUnknownException) {
                    String writeId = ((OutcomeUnknownException) e).writeId().orElse(null);
                    if (writeId == null) {
                        part.problem("a put of " + key + " whose outcome is unknown carries no write id: " + e);
                    } else {
                        part.reportedWriteId(tag, writeId);
                    }
                }
            } catch (RuntimeException e) {
                op.unknown(brief(e));
                outcome = CallOutcome.of(e);
                part.problem("put " + key + " threw outside the library's hierarchy: " + e);
            }
            part.call(new MutationCall(tag, key, outcome, MutationCall.Evidence.TAG, List.of(tag), 0));
        }

        void registerDelete(String key, Known base) {
            History.Op op = part.registers().invoke(name, key, Register.deleteIfMatch(Register.version(base.content, base.tag)));
            known.remove(key);
            try {
                store.delete(key, DeleteOptions.ifMatch(base.version));
                op.ok(Response.ok());
                known.put(key, Known.ABSENT);
            } catch (PreconditionFailedException e) {
                op.refused(Response.PRECONDITION_FAILED);
            } catch (ObjectNotFoundException e) {
                op.refused(Response.NOT_FOUND);
            } catch (ObjectStoreException e) {
                recordMutationFailure(op, e);
            } catch (RuntimeException e) {
                op.unknown(brief(e));
                part.problem("delete " + key + " threw outside the library's hierarchy: " + e);
            }
        }

        /** Unknown for an unknown outcome or an unclassified failure; else failed, as the contract promises. */
        CallOutcome recordMutationFailure(History.Op op, ObjectStoreException e) {
            if (e.code() == ErrorCode.OUTCOME_UNKNOWN || e.code() == ErrorCode.UNKNOWN) {
                op.unknown(brief(e));
            } else {
                op.failed(brief(e));
            }
            return CallOutcome.of(e);
        }
    }

    private static String alternate(String content) {
        return content.equals("A") ? "B" : "A";
    }

    static byte[] counter(long value) {
        return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
    }

    static long number(byte[] content) {
        return content == null || content.length == 0 ? 0 : Long.parseLong(new String(content, StandardCharsets.US_ASCII).trim());
    }

    /** A failure in a few words for reports: its type and code, never its message (which may hold a key or id). */
    private static String brief(RuntimeException e) {
        return e instanceof ObjectStoreException ? e.getClass().getSimpleName() + "(" + ((ObjectStoreException) e).code() + ")"
                : e.getClass().getSimpleName();
    }

    // ---------------------------------------------------------------- a deliberately broken client

    /**
     * A deliberately broken client, to show that the checker catches real lost updates: each process
     * reads the counter, adds one, and writes it back <em>without a condition</em>, recording the
     * increment as the counter model's {@code add} answered with the value it wrote. On any store,
     * concurrent processes overwrite each other's increments, and the history is not linearizable.
     *
     * @param store the store
     * @param key the counter's key (absent or holding a decimal number)
     * @param processes concurrent processes
     * @param incrementsPerProcess increments each makes
     * @return the history (one key)
     */
    public static History unconditionalIncrements(ObjectStore store, String key, int processes, int incrementsPerProcess) {
        History history = History.create();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < processes; i++) {
            String name = "naive" + i;
            Thread t = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int n = 0; n < incrementsPerProcess; n++) {
                    History.Op op = history.invoke(name, key, Counter.add(1));
                    try {
                        long value;
                        try {
                            value = number(store.get(key).content());
                        } catch (ObjectNotFoundException absent) {
                            value = 0;
                        }
                        store.put(key, counter(value + 1), PutOptions.defaults());
                        op.ok(Counter.value(value + 1));
                    } catch (ObjectStoreException e) {
                        op.unknown(brief(e));
                    }
                }
            }, "history-" + name);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        start.countDown();
        for (Thread t : threads) {
            try {
                t.join(TimeUnit.MINUTES.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return history;
    }

    /**
     * Builds a {@link HistoryWorkload}. Not thread-safe.
     */
    public static final class Builder {
        private final String runId;
        private String processPrefix = "";
        private int processes = 8;
        private int operationsPerProcess = DEFAULT_OPERATIONS / 8;
        private long seed = 1;
        private int keySets;
        private long expectedTotal = DEFAULT_OPERATIONS;
        private boolean deletes = true;
        private FaultHook faults;

        private Builder(String runId) {
            if (Objects.requireNonNull(runId, "runId").isEmpty() || !runId.matches("[a-z0-9-]+")) {
                throw new IllegalArgumentException("runId must be lower-case letters, digits and '-'");
            }
            this.runId = runId;
        }

        /**
         * Prefixes every process name (process names must be unique across the JVMs of one run).
         *
         * @param prefix e.g. {@code jvm1-}
         * @return this builder
         */
        public Builder processPrefix(String prefix) {
            this.processPrefix = Objects.requireNonNull(prefix, "prefix");
            return this;
        }

        /**
         * Concurrent processes (threads) in this JVM.
         *
         * @param n at least 1 (default 8)
         * @return this builder
         */
        public Builder processes(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("processes must be at least 1");
            }
            this.processes = n;
            return this;
        }

        /**
         * Operations each process makes.
         *
         * @param n at least 1
         * @return this builder
         */
        public Builder operationsPerProcess(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("operations must be at least 1");
            }
            this.operationsPerProcess = n;
            return this;
        }

        /**
         * The seed of the processes' random sources.
         *
         * @param seed the seed (default 1)
         * @return this builder
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * How many key sets (three counters and two registers each) the operations spread over; by
         * default one per {@value #OPERATIONS_PER_KEY_SET} operations of {@link #expectedTotal}.
         *
         * @param n at least 1
         * @return this builder
         */
        public Builder keySets(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("keySets must be at least 1");
            }
            this.keySets = n;
            return this;
        }

        /**
         * The operations of the whole run, over all JVMs, which sizes the default number of key sets.
         *
         * @param total the total (default {@value #DEFAULT_OPERATIONS})
         * @return this builder
         */
        public Builder expectedTotal(long total) {
            this.expectedTotal = total;
            return this;
        }

        /**
         * Whether registers are also deleted with If-Match (only where the store has it).
         *
         * @param deletes default true
         * @return this builder
         */
        public Builder deletes(boolean deletes) {
            this.deletes = deletes;
            return this;
        }

        /**
         * Injects faults before each operation.
         *
         * @param hook the hook, or null for none
         * @return this builder
         */
        public Builder faultHook(FaultHook hook) {
            this.faults = hook;
            return this;
        }

        /**
         * Builds the workload.
         *
         * @return the workload
         */
        public HistoryWorkload build() {
            return new HistoryWorkload(this);
        }
    }
}
