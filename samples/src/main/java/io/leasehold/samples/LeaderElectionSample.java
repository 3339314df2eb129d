package io.leasehold.samples;

import io.leasehold.core.lease.Lease;
import io.leasehold.core.LeaseException;
import io.leasehold.core.LeaseHeldException;
import io.leasehold.core.lease.LeaseKeeper;
import io.leasehold.core.lease.LeaseListener;
import io.leasehold.core.lease.LeaseOptions;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.ObjectStoreException;
import io.leasehold.core.PutOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Sample: an exclusive job runner (leader election) on a lease. Several instances run the same job;
 * the one holding the lease on the job's object works, the others wait. Stop the leader and another
 * instance takes over: at once if it released the lease, after the lease ran out if it crashed or
 * lost the network.
 *
 * <p>The leader keeps its lease with a {@link LeaseKeeper} (renewed in the background at about a
 * third of its duration) and writes its progress to the leased object with the lease id, so a
 * leader that lost its lease cannot overwrite its successor's work: the store refuses the write.
 * When renewals keep failing, the keeper reports the loss before the lease can have expired, and
 * the runner stops working before anyone else can start.
 *
 * <p>Thread-safety: {@link JobRunner} is safe to start and close from any thread.
 */
public final class LeaderElectionSample {
    private LeaderElectionSample() {
    }

    /**
     * Runs two instances on {@code mem://leader-election}: the first leads, the second waits; the
     * first is stopped and the second takes over.
     *
     * @param args ignored
     * @throws InterruptedException if interrupted while waiting
     */
    public static void main(String[] args) throws InterruptedException {
        try (ObjectStore store = ObjectStore.open("mem://leader-election")) {
            Duration lease = Duration.ofSeconds(15);
            JobRunner a = new JobRunner(store, "jobs/nightly-report", "runner-a", lease, System.out::println);
            JobRunner b = new JobRunner(store, "jobs/nightly-report", "runner-b", lease, System.out::println);
            a.start();
            a.awaitLeadership(Duration.ofSeconds(10));
            b.start();
            Thread.sleep(1_000);
            System.out.println("stopping runner-a (it releases the lease)");
            a.close();
            b.awaitLeadership(Duration.ofSeconds(10));
            Thread.sleep(500);
            b.close();
            System.out.printf("runner-a did %d steps, runner-b did %d steps; progress: %s%n", a.steps(), b.steps(),
                    new String(store.get("jobs/nightly-report").content(), StandardCharsets.UTF_8));
        }
    }

    /**
     * One instance of the job runner. {@link #start()} starts a background thread that competes for
     * the lease on {@code key}, works while it holds it, and competes again after losing it, until
     * {@link #close()}.
     *
     * <p>Thread-safety: safe for concurrent use.
     */
    public static final class JobRunner implements AutoCloseable {
        private static final Duration STEP_PAUSE = Duration.ofMillis(100);
        private static final Duration POLL = Duration.ofSeconds(1);

        private final ObjectStore store;
        private final String key;
        private final String name;
        private final Duration leaseDuration;
        private final Consumer<String> log;
        private final AtomicBoolean running = new AtomicBoolean();
        private final AtomicBoolean leader = new AtomicBoolean();
        private final AtomicLong steps = new AtomicLong();
        private final AtomicLong leaderSinceNanos = new AtomicLong();
        private final AtomicLong leaderUntilNanos = new AtomicLong();
        private final AtomicLong lostAtNanos = new AtomicLong();
        private final Object leadership = new Object();
        private Thread thread;

        /**
         * Creates a runner; nothing happens until {@link #start()}.
         *
         * @param store the store (each instance may have its own, on the same data)
         * @param key the job's object; created empty if absent
         * @param name this instance's name, written into the progress record
         * @param leaseDuration 15 to 60 s: how long a crashed leader blocks the others at most
         * @param log where to report what happens
         */
        public JobRunner(ObjectStore store, String key, String name, Duration leaseDuration, Consumer<String> log) {
            this.store = store;
            this.key = key;
            this.name = name;
            this.leaseDuration = leaseDuration;
            this.log = log;
        }

        /** Starts competing for the lease on a daemon thread. */
        public synchronized void start() {
            if (!running.compareAndSet(false, true)) {
                return;
            }
            thread = new Thread(this::run, "job-runner-" + name);
            thread.setDaemon(true);
            thread.start();
        }

        /**
         * Whether this instance currently leads (holds the lease and works).
         *
         * @return true while leading
         */
        public boolean isLeader() {
            return leader.get();
        }

        /**
         * How many steps of the job this instance has done.
         *
         * @return the count
         */
        public long steps() {
            return steps.get();
        }

        /**
         * When this instance last became leader, by {@link System#nanoTime()}.
         *
         * @return the time, or 0 if never
         */
        public long leaderSinceNanos() {
            return leaderSinceNanos.get();
        }

        /**
         * When this instance last stopped leading, by {@link System#nanoTime()}.
         *
         * @return the time, or 0 if never
         */
        public long leaderUntilNanos() {
            return leaderUntilNanos.get();
        }

        /**
         * When this instance's keeper last reported the lease lost, by {@link System#nanoTime()}.
         *
         * @return the time, or 0 if never
         */
        public long lostAtNanos() {
            return lostAtNanos.get();
        }

        /**
         * Waits until this instance leads.
         *
         * @param timeout how long to wait
         * @return true if it leads
         * @throws InterruptedException if interrupted
         */
        public boolean awaitLeadership(Duration timeout) throws InterruptedException {
            long end = System.nanoTime() + timeout.toNanos();
            synchronized (leadership) {
                while (!leader.get()) {
                    long left = end - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    TimeUnit.NANOSECONDS.timedWait(leadership, left);
                }
                return true;
            }
        }

        /** Stops working and releases the lease, so another instance can take over at once. */
        @Override
        public void close() {
            Thread t;
            synchronized (this) {
                running.set(false);
                t = thread;
            }
            if (t != null) {
                try {
                    t.join(TimeUnit.SECONDS.toMillis(30));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private void run() {
            LeaseOptions options = LeaseOptions.builder()
                    .duration(leaseDuration)
                    .createIfAbsent(true)
                    .waitUpTo(POLL) // poll in short waits so that close() is noticed
                    .build();
            LeaseListener listener = new LeaseListener() {
                @Override
                public void onRenewalFailed(Lease lease, ObjectStoreException cause, Duration remainingSafeTime) {
                    log.accept(name + ": renewal failed (" + cause.code() + "), still safe for "
                            + remainingSafeTime.toMillis() + " ms");
                }

                @Override
                public void onLost(Lease lease, ObjectStoreException cause) {
                    lostAtNanos.set(System.nanoTime());
                    log.accept(name + ": lost the lease (" + cause.code() + "), stopping work");
                }
            };
            while (running.get()) {
                LeaseKeeper keeper;
                try {
                    keeper = store.leases().keep(key, options, listener);
                } catch (LeaseHeldException busy) {
                    continue; // another instance leads; keep waiting
                } catch (ObjectStoreException unavailable) {
                    pause(POLL);
                    continue;
                }
                try (keeper) {
                    becomeLeader(true);
                    log.accept(name + ": leading");
                    while (running.get() && keeper.isHeld()) {
                        long step = steps.incrementAndGet();
                        byte[] progress = (name + " step " + step).getBytes(StandardCharsets.UTF_8);
                        store.put(key, progress, PutOptions.builder().leaseId(keeper.leaseId()).build());
                        pause(STEP_PAUSE);
                    }
                } catch (LeaseException refused) {
                    log.accept(name + ": the store refused a write under the lease (" + refused.code() + ")");
                } catch (ObjectStoreException failed) {
                    log.accept(name + ": a step failed (" + failed.code() + "); competing again");
                } finally {
                    becomeLeader(false);
                }
            }
            log.accept(name + ": stopped");
        }

        private void becomeLeader(boolean leads) {
            synchronized (leadership) {
                if (leads) {
                    leaderSinceNanos.set(System.nanoTime());
                } else {
                    leaderUntilNanos.set(System.nanoTime());
                }
                leader.set(leads);
                leadership.notifyAll();
            }
        }

        private static void pause(Duration d) {
            try {
                Thread.sleep(d.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
