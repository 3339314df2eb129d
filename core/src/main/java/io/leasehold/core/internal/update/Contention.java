package io.leasehold.core.internal.update;

import io.leasehold.core.ObjectStoreException;
import io.leasehold.core.internal.Attempts;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What one store has seen of contention per key, for the backoff of {@code ObjectStore.update}'s
 * default retry: how likely an attempt is to lose its race (an exponentially weighted average over
 * recent attempts) and how long an attempt (read plus conditional write) takes. With a loss rate p
 * about {@code 1 / (1 - p)} writers are taking turns on the key, so a loser waits a uniformly random
 * time up to that many attempt-lengths ("full jitter" sized to the observed contention): under heavy
 * contention writers spread out over the slots they need instead of colliding again, and without
 * contention a retry comes at once. Writers in other processes show up in the loss rate, so this
 * adapts across processes, which coalescing ({@link UpdateCoalescer}) cannot.
 *
 * <p>Thread-safety: safe for concurrent use; estimates are advisory and updated without locks.
 */
public final class Contention {
    /** Keys tracked at most; beyond that the table is cleared (estimates rebuild in a few attempts). */
    static final int MAX_KEYS = 4096;
    /** Weight of the newest observation in the averages. */
    private static final double ALPHA = 0.2;
    /** Contenders assumed at most: bounds the window when nearly every attempt loses. */
    private static final double MAX_CONTENDERS = 64;
    /** Shortest and longest backoff windows, in nanoseconds. */
    private static final long MIN_WINDOW_NANOS = 1_000_000L;
    private static final long MAX_WINDOW_NANOS = 2_000_000_000L;
    /** Attempt length assumed before any was measured. */
    private static final long INITIAL_ATTEMPT_NANOS = 5_000_000L;

    private final ConcurrentHashMap<String, Key> keys = new ConcurrentHashMap<>();

    /**
     * The contention record of a key.
     *
     * @param key the key
     * @return its record
     */
    public Key of(String key) {
        Key k = keys.get(key);
        if (k != null) {
            return k;
        }
        if (keys.size() >= MAX_KEYS) {
            keys.clear();
        }
        return keys.computeIfAbsent(key, x -> new Key());
    }

    /** The estimates of one key. */
    /**
     * The default budget of a read-modify-write on a key: up to {@value #DEFAULT_MAX_ATTEMPTS} attempts,
     * retrying lost races, failures that applied nothing and unknown outcomes (the next read settles
     * them), with a backoff sized to the contention observed on the key.
     *
     * @param key the key
     * @return one loop's attempts
     */
    public Attempts adaptive(String key) {
        Key k = of(key);
        return new Attempts() {
            private long started;
            private int made;

            @Override
            public void starting() {
                started = System.nanoTime();
                made++;
            }

            @Override
            public long afterFailure(Throwable failure) {
                boolean lost = failure instanceof ObjectStoreException && lostRace((ObjectStoreException) failure);
                k.record(lost, System.nanoTime() - started);
                if (!(failure instanceof ObjectStoreException)
                        || !UpdateLoop.isRetriedAfterReread((ObjectStoreException) failure) || made >= DEFAULT_MAX_ATTEMPTS) {
                    return -1;
                }
                return k.backoffNanos(made);
            }

            @Override
            public void succeeded() {
                k.record(false, System.nanoTime() - started);
            }
        };
    }

    /** Attempts of the default budget. */
    public static final int DEFAULT_MAX_ATTEMPTS = 100;

    private static boolean lostRace(ObjectStoreException e) {
        return e.code() == io.leasehold.core.ErrorCode.PRECONDITION_FAILED || e.code() == io.leasehold.core.ErrorCode.ALREADY_EXISTS;
    }

    /** The estimates of one key. */
    static final class Key {
        private volatile double lossRate;
        private volatile double attemptNanos = INITIAL_ATTEMPT_NANOS;

        /** Records an attempt: whether it lost a race, and how long it took. */
        void record(boolean lost, long nanos) {
            lossRate = lossRate + ALPHA * ((lost ? 1.0 : 0.0) - lossRate);
            if (nanos > 0) {
                attemptNanos = attemptNanos + ALPHA * (nanos - attemptNanos);
            }
        }

        /** How many writers seem to be taking turns on the key. */
        double contenders() {
            return Math.min(MAX_CONTENDERS, 1.0 / Math.max(1.0 / MAX_CONTENDERS, 1.0 - lossRate));
        }

        /**
         * The wait before retry number {@code retry} (1 for the first retry of a call): uniform in
         * [0, window], the window being the estimated contenders times an attempt's length, doubled
         * for each of the call's own further losses up to three times.
         */
        long backoffNanos(int retry) {
            double window = contenders() * attemptNanos * (1L << Math.min(3, Math.max(0, retry - 1)));
            long bounded = (long) Math.max(MIN_WINDOW_NANOS, Math.min(MAX_WINDOW_NANOS, window));
            return ThreadLocalRandom.current().nextLong(bounded + 1);
        }

        double lossRate() {
            return lossRate;
        }
    }
}
