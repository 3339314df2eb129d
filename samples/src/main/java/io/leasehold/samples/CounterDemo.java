package io.leasehold.samples;

import io.leasehold.core.GetResult;
import io.leasehold.core.ObjectNotFoundException;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.ObjectStoreException;
import io.leasehold.core.UpdateListener;
import io.leasehold.core.UpdateOptions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sample: many writers increment one counter object at the same time, and no increment is lost.
 *
 * <p>Each increment is a read-modify-write through {@link ObjectStore#update}: read the counter,
 * add one, write it back only if nobody changed it meanwhile (If-Match), and on a lost race re-read
 * and try again. A plain read-then-overwrite would silently lose increments under the same load.
 *
 * <p>Thread-safety: stateless; {@link #run} may be called from any thread.
 */
public final class CounterDemo {
    private CounterDemo() {
    }

    /**
     * What a run produced.
     *
     * @param expected the starting value plus writers times increments
     * @param counter the counter's value afterwards
     * @param conflictsRetried attempts that lost a race and were retried
     */
    public record Result(long expected, long counter, long conflictsRetried) {
    }

    /**
     * Runs 8 writers x 100 increments on {@code mem://counter-demo} and prints the outcome.
     *
     * @param args ignored
     * @throws Exception if a writer failed
     */
    public static void main(String[] args) throws Exception {
        try (ObjectStore store = ObjectStore.open("mem://counter-demo")) {
            Result result = run(store, "counter", 8, 100);
            System.out.printf("expected %d, counter %d, conflicts retried %d%n",
                    result.expected(), result.counter(), result.conflictsRetried());
        }
    }

    /**
     * Lets {@code writers} threads increment the counter at {@code key} {@code increments} times each.
     *
     * @param store any store with conditional writes
     * @param key the counter's key; its current value (or 0 when absent) is the starting point
     * @param writers concurrent writers
     * @param increments increments per writer
     * @return the expected and the actual final value, and the conflicts retried
     * @throws InterruptedException if interrupted while waiting for the writers
     * @throws ExecutionException if a writer failed (e.g. gave up after the retry limit)
     */
    public static Result run(ObjectStore store, String key, int writers, int increments)
            throws InterruptedException, ExecutionException {
        AtomicLong conflicts = new AtomicLong();
        UpdateOptions options = UpdateOptions.builder()
                .listener(new UpdateListener() {
                    @Override
                    public void onConflict(String k, int attempt, ObjectStoreException cause) {
                        conflicts.incrementAndGet();
                    }
                })
                .build();
        long before = valueOf(store, key);

        List<Callable<Void>> tasks = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            tasks.add(() -> {
                for (int i = 0; i < increments; i++) {
                    // read, +1, write only if unchanged; on a lost race re-read and retry
                    store.update(key, CounterDemo::increment, options);
                }
                return null;
            });
        }
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            for (Future<Void> done : pool.invokeAll(tasks)) {
                done.get();
            }
        } finally {
            pool.shutdown();
        }
        return new Result(before + (long) writers * increments, valueOf(store, key), conflicts.get());
    }

    /**
     * Increments the counter twice, the second time from the copy read at the start: one request
     * when nobody wrote in between, a refused write and the usual loop when somebody did.
     *
     * @param store the store
     * @param key the counter's key (must exist)
     * @param between runs between the two increments (e.g. another writer)
     * @return the value after both increments
     */
    public static long incrementFromCachedCopy(ObjectStore store, String key, Runnable between) {
        GetResult cached = store.get(key);
        store.update(key, CounterDemo::increment, UpdateOptions.builder().startingFrom(cached).build());
        between.run();
        // ... later
        store.update(key, CounterDemo::increment, UpdateOptions.builder().startingFrom(cached).build());
        return valueOf(store, key);
    }

    /** The update function: it may run several times, so it only computes. */
    private static byte[] increment(byte[] current) {
        long value = current == null ? 0 : Long.parseLong(new String(current, StandardCharsets.US_ASCII));
        return Long.toString(value + 1).getBytes(StandardCharsets.US_ASCII);
    }

    private static long valueOf(ObjectStore store, String key) {
        try {
            return Long.parseLong(new String(store.get(key).content(), StandardCharsets.US_ASCII));
        } catch (ObjectNotFoundException absent) {
            return 0;
        }
    }
}
