package io.leasehold.core;

import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.leasehold.spi.StoreDriver;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Combines concurrent {@link ObjectStore#update} calls on the same key through one store: one
 * caller at a time leads; it takes the queued calls (in arrival order), reads once, applies their
 * functions one after the other, and writes the result with one conditional write. Under contention
 * inside a process this turns N racing compare-and-swaps (each lost race a wasted read and write)
 * into one write per round trip, while every caller still gets its own result.
 *
 * <h2>Semantics</h2>
 * <ul>
 *   <li>Linearizable: the calls of a batch take effect at the batch's write, in arrival order; each
 *       function sees the output of the one before. The batch lands atomically or not at all; a
 *       lost race or an unknown outcome retries or fails the batch as a whole, under the same
 *       settlement rules as a single update (never applied twice).</li>
 *   <li>A function that throws fails only its caller; the others go on without it.</li>
 *   <li>Each caller gets its own {@link UpdateResult}: its own output as content, and the batch's
 *       attempts and conflicts. Only the last caller of a batch gets the stored version; for the
 *       others, a later call in the same batch replaced their output, so their result is
 *       {@linkplain PutResult#isSuperseded() superseded}.</li>
 *   <li>Only calls with the same content type, metadata, lease and retry configuration (the same
 *       {@link RetryConfig} instance, or none) share a batch; a call with its own {@link Retry}
 *       instance, or with coalescing turned off ({@link UpdateOptions.Builder#coalesce(boolean)}),
 *       runs alone.</li>
 * </ul>
 *
 * <p>Thread-safety: safe for concurrent use; callers block until their call completes.
 */
final class UpdateCoalescer {
    /** Most calls one batch takes, so one write's function chain stays short. */
    static final int MAX_BATCH = 256;

    private final ObjectStore store;
    private final StoreDriver driver;
    private final ConcurrentHashMap<String, Lane> lanes = new ConcurrentHashMap<>();
    private final Contention contention = new Contention();

    UpdateCoalescer(ObjectStore store, StoreDriver driver) {
        this.store = store;
        this.driver = driver;
    }

    /**
     * Runs one read-modify-write loop with the caller's retry, else the default one whose backoff
     * follows the contention seen on the key.
     */
    UpdateResult runLoop(String key, UpdateFunction fn, UpdateOptions options) {
        return runLoop(key, new ReadModifyWrite(store, driver, key, fn, options), options);
    }

    private UpdateResult runLoop(String key, ReadModifyWrite loop, UpdateOptions retrySource) {
        if (retrySource.retry().isPresent()) {
            return loop.run(retrySource.retry().get());
        }
        if (retrySource.retryConfig().isPresent()) {
            return loop.run(Retry.of("leasehold-update", retrySource.retryConfig().get()));
        }
        return loop.runAdaptive(contention.of(key));
    }

    /** Whether a call can share a batch at all. */
    static boolean coalescible(UpdateOptions options) {
        return options.coalesce() && options.retry().isEmpty() && options.startingFrom().isEmpty();
    }

    UpdateResult update(String key, UpdateFunction fn, UpdateOptions options) {
        Lane current = lanes.get(key);
        if (current != null && current.leader == Thread.currentThread()) {
            // An update function updating its own key (re-entrant): queueing behind ourselves would
            // never return, so this nested call runs on its own.
            return runLoop(key, fn, options);
        }
        Call me = new Call(fn, options);
        Lane lane;
        while (true) {
            lane = lanes.computeIfAbsent(key, k -> new Lane());
            synchronized (lane) {
                if (lane.retired) {
                    continue; // removed from the map just now; take the fresh one
                }
                lane.queue.add(me);
                if (!lane.running) {
                    lane.running = true;
                    me.lead = true;
                }
            }
            break;
        }
        boolean interrupted = false;
        try {
            while (true) {
                if (me.isLeader()) {
                    lead(key, lane, me);
                    return me.outcome();
                }
                synchronized (me) {
                    while (!me.done && !me.lead) {
                        try {
                            me.wait();
                        } catch (InterruptedException e) {
                            // The call is queued or running in someone's batch: finish it, then re-interrupt.
                            interrupted = true;
                        }
                    }
                    if (me.done) {
                        return me.outcome();
                    }
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Runs batches until the leader's own call is done, then hands leadership on. */
    private void lead(String key, Lane lane, Call me) {
        lane.leader = Thread.currentThread();
        try {
            while (!me.done) {
                List<Call> batch = takeBatch(lane);
                run(key, batch);
            }
        } finally {
            lane.leader = null;
        }
        Call next;
        synchronized (lane) {
            next = lane.queue.peek();
            if (next == null) {
                lane.running = false;
                lane.retired = true;
                lanes.remove(key, lane);
                return;
            }
        }
        synchronized (next) {
            next.lead = true;
            next.notifyAll();
        }
    }

    /** The calls at the head of the queue that can share one write. */
    private static List<Call> takeBatch(Lane lane) {
        List<Call> batch = new ArrayList<>();
        synchronized (lane) {
            Call first = lane.queue.poll();
            batch.add(first);
            if (!coalescible(first.options)) {
                return batch;
            }
            for (Iterator<Call> it = lane.queue.iterator(); it.hasNext() && batch.size() < MAX_BATCH; ) {
                Call c = it.next();
                if (!c.sameShape(first)) {
                    break; // keep arrival order: a different call ends the batch
                }
                it.remove();
                batch.add(c);
            }
        }
        return batch;
    }

    private void run(String key, List<Call> batch) {
        UpdateOptions shape = batch.get(0).options;
        if (batch.size() == 1) {
            Call only = batch.get(0);
            try {
                only.complete(runLoop(key, only.fn, only.options), null);
            } catch (RuntimeException e) {
                only.complete(null, e);
            }
            return;
        }
        UpdateOptions batchOptions = UpdateOptions.builder()
                .contentType(shape.contentType().orElse(null))
                .userMetadata(shape.userMetadata())
                .leaseId(shape.leaseId().orElse(null))
                .listener(new BatchListener(batch))
                .coalesce(false)
                .build();
        int[] applications = {0};
        UpdateFunction composite = current -> {
            applications[0]++;
            byte[] value = current;
            boolean anyLive = false;
            for (Call c : batch) {
                if (c.done) {
                    continue;
                }
                try {
                    byte[] out = c.fn.apply(value);
                    if (out == null) {
                        throw new InvalidArgumentException("fn", "returned null");
                    }
                    c.output = out;
                    value = out;
                    anyLive = true;
                } catch (RuntimeException e) {
                    // Only this caller fails; the batch goes on without its change.
                    c.options.listener().onGiveUp(key, applications[0], e);
                    c.complete(null, e);
                }
            }
            if (!anyLive) {
                throw new NothingToWrite();
            }
            return value;
        };
        UpdateResult written;
        ReadModifyWrite loop = new ReadModifyWrite(store, driver, key, composite, batchOptions);
        try {
            written = runLoop(key, loop, shape);
        } catch (NothingToWrite allFailed) {
            return;
        } catch (RuntimeException e) {
            for (Call c : batch) {
                if (!c.done) {
                    c.options.listener().onGiveUp(key, loop.attempts(), e);
                    c.complete(null, e);
                }
            }
            return;
        }
        // The outputs are those of the last application, which produced the write that landed (a
        // write found later than its own attempt is the last one sent: nothing is sent after it).
        Call last = null;
        for (Call c : batch) {
            if (!c.done) {
                last = c;
            }
        }
        boolean first = true;
        for (Call c : batch) {
            if (c.done) {
                continue;
            }
            PutResult put = c == last ? written.put()
                    : PutResult.superseded(key, c.output.length, written.put().writeId().orElse(""));
            UpdateResult own = new UpdateResult(put, c.output, written.attempts(), written.conflicts(),
                    written.created() && first);
            first = false;
            c.options.listener().onSuccess(own);
            c.complete(own, null);
        }
    }

    /** The calls waiting on one key, and whether a leader is processing them. */
    private static final class Lane {
        final ArrayDeque<Call> queue = new ArrayDeque<>();
        boolean running;
        /** The thread running batches now, to recognise a function that updates its own key. */
        volatile Thread leader;
        /** Removed from the map: callers that still hold it take a fresh lane. */
        boolean retired;
    }

    /** One caller's update. */
    private static final class Call {
        final UpdateFunction fn;
        final UpdateOptions options;
        byte[] output;
        boolean lead;
        boolean done;
        UpdateResult result;
        RuntimeException failure;

        Call(UpdateFunction fn, UpdateOptions options) {
            this.fn = fn;
            this.options = options;
        }

        synchronized boolean isLeader() {
            return lead;
        }

        boolean sameShape(Call other) {
            return coalescible(options)
                    && Objects.equals(options.contentType(), other.options.contentType())
                    && options.userMetadata().equals(other.options.userMetadata())
                    && Objects.equals(options.leaseId(), other.options.leaseId())
                    && options.retryConfig().orElse(null) == other.options.retryConfig().orElse(null);
        }

        synchronized void complete(UpdateResult r, RuntimeException e) {
            if (done) {
                return;
            }
            result = r;
            failure = e;
            done = true;
            notifyAll();
        }

        synchronized UpdateResult outcome() {
            if (failure != null) {
                throw failure;
            }
            return result;
        }
    }

    /** Tells every live caller of a batch about the batch's attempts. */
    private static final class BatchListener implements UpdateListener {
        private final List<Call> batch;

        BatchListener(List<Call> batch) {
            this.batch = batch;
        }

        @Override
        public void onConflict(String key, int attempt, ObjectStoreException cause) {
            for (Call c : batch) {
                if (!c.done) {
                    c.options.listener().onConflict(key, attempt, cause);
                }
            }
        }

        @Override
        public void onWriteSent(String key, int attempt, String writeId) {
            for (Call c : batch) {
                if (!c.done) {
                    c.options.listener().onWriteSent(key, attempt, writeId);
                }
            }
        }

        @Override
        public void onAmbiguousWriteResolved(String key, int attempt) {
            for (Call c : batch) {
                if (!c.done) {
                    c.options.listener().onAmbiguousWriteResolved(key, attempt);
                }
            }
        }
    }

    /** Internal signal: every function of a batch failed, so there is nothing to write. */
    private static final class NothingToWrite extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NothingToWrite() {
            super(null, null, false, false);
        }
    }
}
