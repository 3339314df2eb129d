package io.leasehold.cli;

import io.leasehold.core.Capability;
import io.leasehold.core.GetOptions;
import io.leasehold.core.InvalidArgumentException;
import io.leasehold.core.NotSupportedException;
import io.leasehold.core.ObjectNotFoundException;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.ObjectStoreException;
import io.leasehold.core.ReadConsistency;
import io.leasehold.core.UpdateListener;
import io.leasehold.core.UpdateOptions;
import io.leasehold.core.UpdateResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The demo's workload: N writers increment one counter object K times each through
 * {@link ObjectStore#update}, all starting at once, then the counter is read back.
 *
 * <p>Thread-safety: one instance runs one race.
 */
final class CounterRace {
    private final ObjectStore store;
    private final String key;
    private final int writers;
    private final int increments;
    private final boolean coalesce;

    private final AtomicLong successes = new AtomicLong();
    private final AtomicLong unknown = new AtomicLong();
    private final java.util.Set<String> writesSent = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final AtomicLong attempts = new AtomicLong();
    private final AtomicLong conflicts = new AtomicLong();
    private final AtomicLong givenUp = new AtomicLong();
    private final AtomicReference<RuntimeException> firstFailure = new AtomicReference<>();

    CounterRace(ObjectStore store, String key, int writers, int increments, boolean coalesce) {
        this.store = store;
        this.key = key;
        this.writers = writers;
        this.increments = increments;
        this.coalesce = coalesce;
    }

    /** What one race measured. */
    record Report(int writers, long requested, long initial, long finalValue, long successes, long unknown,
                  long givenUp, long conflicts, long attempts, long writes, long elapsedNanos,
                  RuntimeException firstFailure) {
        /** Acknowledged increments missing from the counter; anything but 0 is a bug. */
        long lostUpdates() {
            return Math.max(0, successes - (finalValue - initial));
        }

        /** Increments in the counter beyond every acknowledged or unknown one; anything but 0 is a bug. */
        long doubledUpdates() {
            return Math.max(0, (finalValue - initial) - successes - unknown);
        }

        /** Of the calls whose outcome is unknown, how many the counter shows landed. */
        long unknownLanded() {
            return Math.max(0, Math.min(unknown, (finalValue - initial) - successes));
        }

        double writesPerSuccess() {
            return successes == 0 ? 0 : (double) writes / successes;
        }

        double attemptsPerSuccess() {
            return successes == 0 ? 0 : (double) attempts / successes;
        }

        double updatesPerSecond() {
            return elapsedNanos == 0 ? 0 : successes * 1e9 / elapsedNanos;
        }
    }

    Report run() throws InterruptedException {
        for (Capability needed : new Capability[] {Capability.PUT_IF_ABSENT, Capability.PUT_IF_MATCH}) {
            if (!store.capabilities().supports(needed)) {
                // Checked before the first read, so a store that cannot run the demo sees no request.
                throw new NotSupportedException(null, store.driverName() + " driver cannot run update (needs "
                        + needed + ")", null);
            }
        }
        long initial = read();
        UpdateOptions options = UpdateOptions.builder().contentType("text/plain").coalesce(coalesce)
                .listener(new UpdateListener() {
                    @Override
                    public void onConflict(String k, int attempt, ObjectStoreException cause) {
                        conflicts.incrementAndGet();
                    }

                    @Override
                    public void onWriteSent(String k, int attempt, String writeId) {
                        writesSent.add(writeId); // a coalesced write is reported to each of its callers
                    }
                }).build();
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger threadNumber = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(writers, r -> {
            Thread t = new Thread(r, "demo-writer-" + threadNumber.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        long elapsed;
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < increments; i++) {
                        incrementOnce(options);
                    }
                    return null;
                }));
            }
            long t0 = System.nanoTime();
            start.countDown();
            for (Future<?> f : done) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    throw new IllegalStateException("a demo writer failed unexpectedly", e.getCause());
                }
            }
            elapsed = System.nanoTime() - t0;
        } finally {
            pool.shutdownNow();
        }
        return new Report(writers, (long) writers * increments, initial, read(), successes.get(), unknown.get(),
                givenUp.get(), conflicts.get(), attempts.get(), writesSent.size(), elapsed, firstFailure.get());
    }

    private void incrementOnce(UpdateOptions options) {
        try {
            UpdateResult result = store.update(key, CounterRace::increment, options);
            successes.incrementAndGet();
            attempts.addAndGet(result.attempts());
        } catch (io.leasehold.core.OutcomeUnknownException e) {
            // Not a failure of the guarantee: the write may or may not be in the counter, and the
            // final value tells how many of these landed.
            unknown.incrementAndGet();
        } catch (RuntimeException e) {
            // A give-up is reported, not hidden: it shows up in the table and the exit code.
            givenUp.incrementAndGet();
            firstFailure.compareAndSet(null, e);
        }
    }

    /** The update function: decimal text in, decimal text plus one out (absent counts as 0). */
    static byte[] increment(byte[] current) {
        return Long.toString(parse(current) + 1).getBytes(StandardCharsets.US_ASCII);
    }

    private long read() {
        GetOptions strong = GetOptions.builder().consistency(store.capabilities().supports(Capability.STRONG_READS)
                ? ReadConsistency.STRONG : ReadConsistency.EVENTUAL).build();
        try {
            return parse(store.get(key, strong).content());
        } catch (ObjectNotFoundException absent) {
            return 0;
        }
    }

    private static long parse(byte[] current) {
        if (current == null) {
            return 0;
        }
        String text = new String(current, StandardCharsets.US_ASCII).trim();
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new InvalidArgumentException("--key", "the existing object is not a decimal counter");
        }
    }
}
