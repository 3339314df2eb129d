package io.leasehold.core;

import java.util.Objects;

/**
 * How a store's asynchronous API ({@link ObjectStore#async()}) runs: how many operations may be in
 * flight at once, how many may wait beyond that, and the threads it owns.
 *
 * <h2>Threads</h2>
 * The asynchronous API owns two small pools per store, created on first use and stopped when the store
 * is closed:
 * <ul>
 *   <li><b>callback threads</b> ({@link #callbackThreads()}, named {@code leasehold-async-…}): every
 *       step of the library's protocols after an answer arrives, your update functions and listeners,
 *       and the completion of the futures you get (so your own {@code thenApply} stages run there
 *       unless you pass an executor). They never wait for I/O. Do not block them either: an update
 *       function that calls the blocking API stalls every operation of the store.</li>
 *   <li><b>blocking threads</b> ({@link #blockingThreads()}, named {@code leasehold-blocking-…}): the
 *       requests of drivers without non-blocking requests (memory, file, a driver wrapped by your own
 *       {@link io.leasehold.spi.kit.ForwardingStoreDriver}), lease operations, and streaming to or from
 *       files. Past their number, such requests queue.</li>
 * </ul>
 * A non-blocking driver's threads (an SDK's event loops) only deliver answers; the library moves its
 * work off them at once.
 *
 * <h2>Past the bound</h2>
 * At most {@link #maxInFlight()} operations run at once; further ones wait in arrival order without
 * holding a thread, up to {@link #maxQueued()}; beyond that a call fails at once with
 * {@link TransientException} ({@link ErrorCode#THROTTLED}): nothing was sent, retry later.
 *
 * <p>Thread-safety: immutable; the builder is not thread-safe.
 */
public final class AsyncOptions {
    private static final AsyncOptions DEFAULTS = builder().build();

    private final int maxInFlight;
    private final int maxQueued;
    private final int callbackThreads;
    private final int blockingThreads;

    private AsyncOptions(Builder b) {
        this.maxInFlight = b.maxInFlight;
        this.maxQueued = b.maxQueued;
        this.callbackThreads = b.callbackThreads;
        this.blockingThreads = b.blockingThreads;
    }

    /**
     * The defaults: 1024 operations in flight, 65536 waiting, 2 callback threads (or as many as cores,
     * if more), 16 blocking threads.
     *
     * @return the defaults
     */
    public static AsyncOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Starts a builder with the defaults.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Operations that may run at once.
     *
     * @return the bound, at least 1
     */
    public int maxInFlight() {
        return maxInFlight;
    }

    /**
     * Operations that may wait for a free slot; beyond that a call fails at once.
     *
     * @return the bound, 0 or more
     */
    public int maxQueued() {
        return maxQueued;
    }

    /**
     * Threads that run the protocols' steps, update functions, listeners and future completions.
     *
     * @return the number, at least 1
     */
    public int callbackThreads() {
        return callbackThreads;
    }

    /**
     * Threads that run blocking driver calls (drivers without non-blocking requests, leases, files).
     *
     * @return the number, at least 1
     */
    public int blockingThreads() {
        return blockingThreads;
    }

    @Override
    public String toString() {
        return "AsyncOptions{maxInFlight=" + maxInFlight + ", maxQueued=" + maxQueued + ", callbackThreads="
                + callbackThreads + ", blockingThreads=" + blockingThreads + "}";
    }

    /** Builds {@link AsyncOptions}. Thread-safety: not thread-safe. */
    public static final class Builder {
        private int maxInFlight = 1024;
        private int maxQueued = 65_536;
        private int callbackThreads = Math.max(2, Runtime.getRuntime().availableProcessors());
        private int blockingThreads = 16;

        private Builder() {
        }

        /**
         * Operations that may run at once (default 1024).
         *
         * @param n at least 1
         * @return this builder
         * @throws InvalidArgumentException if out of range
         */
        public Builder maxInFlight(int n) {
            this.maxInFlight = atLeast("maxInFlight", n, 1);
            return this;
        }

        /**
         * Operations that may wait for a slot (default 65536).
         *
         * @param n 0 or more
         * @return this builder
         * @throws InvalidArgumentException if out of range
         */
        public Builder maxQueued(int n) {
            this.maxQueued = atLeast("maxQueued", n, 0);
            return this;
        }

        /**
         * Callback threads (default 2, or the number of cores if more).
         *
         * @param n at least 1
         * @return this builder
         * @throws InvalidArgumentException if out of range
         */
        public Builder callbackThreads(int n) {
            this.callbackThreads = atLeast("callbackThreads", n, 1);
            return this;
        }

        /**
         * Blocking threads (default 16).
         *
         * @param n at least 1
         * @return this builder
         * @throws InvalidArgumentException if out of range
         */
        public Builder blockingThreads(int n) {
            this.blockingThreads = atLeast("blockingThreads", n, 1);
            return this;
        }

        /**
         * Builds the options.
         *
         * @return the options
         */
        public AsyncOptions build() {
            return new AsyncOptions(this);
        }

        private static int atLeast(String field, int n, int min) {
            if (n < min) {
                throw new InvalidArgumentException(field, "must be at least " + min + "; was " + n);
            }
            return n;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AsyncOptions && ((AsyncOptions) o).maxInFlight == maxInFlight
                && ((AsyncOptions) o).maxQueued == maxQueued && ((AsyncOptions) o).callbackThreads == callbackThreads
                && ((AsyncOptions) o).blockingThreads == blockingThreads;
    }

    @Override
    public int hashCode() {
        return Objects.hash(maxInFlight, maxQueued, callbackThreads, blockingThreads);
    }
}
