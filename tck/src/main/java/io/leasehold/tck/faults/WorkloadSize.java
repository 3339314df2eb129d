package io.leasehold.tck.faults;

import java.util.Locale;

/**
 * How big a {@link FaultWorkloads} run is: threads, calls per thread, and the fault plan's seed.
 *
 * <p>{@link #fromSystem()} gives the CI-sized run by default and the large run (at least 10,000 calls
 * per workload) when {@code -Dleasehold.faults.large=true} or {@code LEASEHOLD_FAULTS_LARGE=1} is set;
 * {@code -Dleasehold.faults.threads=N}, {@code -Dleasehold.faults.calls=N} (per thread) and
 * {@code -Dleasehold.faults.seed=N} override single settings.
 *
 * <p>Thread-safety: immutable.
 */
public final class WorkloadSize {
    /** System property that selects the large run. */
    public static final String LARGE_PROPERTY = "leasehold.faults.large";
    /** Environment variable that selects the large run. */
    public static final String LARGE_ENV = "LEASEHOLD_FAULTS_LARGE";

    private final int threads;
    private final int callsPerThread;
    private final long seed;
    private final boolean large;

    private WorkloadSize(int threads, int callsPerThread, long seed, boolean large) {
        if (threads < 1 || callsPerThread < 1) {
            throw new IllegalArgumentException("threads and calls must be at least 1");
        }
        this.threads = threads;
        this.callsPerThread = callsPerThread;
        this.seed = seed;
        this.large = large;
    }

    /**
     * The CI-sized run: 8 threads × 125 calls = 1,000 calls per workload (about 10–25 s each on RGW
     * or Azurite here).
     *
     * @return the size
     */
    public static WorkloadSize ci() {
        return new WorkloadSize(8, 125, 7, false);
    }

    /**
     * The large run: 8 threads × 1,250 calls = 10,000 calls per workload.
     *
     * @return the size
     */
    public static WorkloadSize large() {
        return new WorkloadSize(8, 1250, 7, true);
    }

    /**
     * A custom size.
     *
     * @param threads concurrent callers
     * @param callsPerThread calls each makes
     * @param seed the fault plan's seed
     * @return the size
     */
    public static WorkloadSize of(int threads, int callsPerThread, long seed) {
        return new WorkloadSize(threads, callsPerThread, seed, false);
    }

    /**
     * The size the build asked for (see the class documentation).
     *
     * @return the CI size, the large size, or either with overrides
     */
    public static WorkloadSize fromSystem() {
        WorkloadSize base = isLargeRequested() ? large() : ci();
        int threads = Integer.getInteger("leasehold.faults.threads", base.threads);
        int calls = Integer.getInteger("leasehold.faults.calls", base.callsPerThread);
        long seed = Long.getLong("leasehold.faults.seed", base.seed);
        return new WorkloadSize(threads, calls, seed, base.large);
    }

    /**
     * Whether the large run was asked for.
     *
     * @return true if {@value #LARGE_PROPERTY} is {@code true} or {@value #LARGE_ENV} is {@code 1}/{@code true}
     */
    public static boolean isLargeRequested() {
        String env = System.getenv(LARGE_ENV);
        return Boolean.getBoolean(LARGE_PROPERTY)
                || env != null && (env.equals("1") || env.toLowerCase(Locale.ROOT).equals("true"));
    }

    /**
     * Concurrent callers.
     *
     * @return the count
     */
    public int threads() {
        return threads;
    }

    /**
     * Calls per caller.
     *
     * @return the count
     */
    public int callsPerThread() {
        return callsPerThread;
    }

    /**
     * All calls.
     *
     * @return threads × calls per thread
     */
    public int calls() {
        return threads * callsPerThread;
    }

    /**
     * The fault plan's seed.
     *
     * @return the seed
     */
    public long seed() {
        return seed;
    }

    /**
     * Whether this is the large run.
     *
     * @return true for the large run
     */
    public boolean isLarge() {
        return large;
    }

    @Override
    public String toString() {
        return threads + " threads x " + callsPerThread + " calls, seed " + seed + (large ? " (large)" : "");
    }
}
