package io.leasehold.tck;

import io.leasehold.core.GetOptions;
import io.leasehold.core.GetResult;
import io.leasehold.core.LeaseException;
import io.leasehold.core.LeaseHeldException;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.ObjectStoreException;
import io.leasehold.core.OutcomeUnknownException;
import io.leasehold.core.PreconditionFailedException;
import io.leasehold.core.PutMode;
import io.leasehold.core.PutOptions;
import io.leasehold.core.StaleWriteException;
import io.leasehold.core.internal.lease.LeaseTimes;
import io.leasehold.core.lease.Lease;
import io.leasehold.core.lease.LeaseOptions;
import io.leasehold.test.lease.LeaseHistory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One process's part of a lease safety run: tenure after tenure on one key, each acquire (waiting
 * while someone else holds the lease), a few guarded writes, one renewal, release, all recorded in a
 * {@link LeaseHistory} for the test kit's {@link io.leasehold.test.lease.LeaseChecker}.
 *
 * <h2>What the object holds</h2>
 * The leased object's content is a log: one line per accepted guarded write, the write's id. Every
 * guarded write reads the object under the lease and writes the log plus its own id with
 * {@link PutMode#update} on the version read, so the accepted writes form one chain and the final
 * content is the store's order of accepted writes ({@link #storeOrder}), with which the checker
 * tells whether a stale holder's write was accepted after a newer holder's. A version written by a
 * stale holder (refused with {@link StaleWriteException} on emulated leases) is recorded as detected
 * and then acknowledged by writing on it.
 *
 * <p>Times: the holder's own deadline is the monotonic stamp of the request that won or renewed
 * the lease plus the duration less a safety margin; the process writes only before it.
 *
 * <p>Thread-safety: one instance per process (thread or JVM); not thread-safe.
 */
public final class LeaseSafetyWorkload {
    /** The first line of the object's log. */
    public static final String INITIAL = "init";

    private final ObjectStore store;
    private final LeaseHistory history;
    private final String process;
    private final String key;
    private final Duration duration;
    private final Duration margin;
    private final Duration wait;
    private final String leaseId;
    private final Counts counts = new Counts();

    /**
     * One process's workload.
     *
     * @param store the store (the process's own instance)
     * @param history where to record
     * @param process the process's name, unique in the run
     * @param key the leased key (the object must exist; see {@link #prepare})
     * @param duration the lease duration
     * @param wait how long an acquire waits while someone else holds the lease
     * @param fixedId true to use one lease id for every tenure (as a worker's name would be), false
     *     for a random id per tenure
     */
    public LeaseSafetyWorkload(ObjectStore store, LeaseHistory history, String process, String key, Duration duration,
                               Duration wait, boolean fixedId) {
        this.store = store;
        this.history = history;
        this.process = process;
        this.key = key;
        this.duration = duration;
        this.margin = LeaseOptions.ofDuration(duration).safetyMargin();
        this.wait = wait;
        this.leaseId = fixedId ? UUID.nameUUIDFromBytes(process.getBytes(StandardCharsets.UTF_8)).toString() : null;
    }

    /**
     * Creates the leased object with an empty log, unless it exists.
     *
     * @param store the store
     * @param key the key
     */
    public static void prepare(ObjectStore store, String key) {
        try {
            store.put(key, (INITIAL + "\n").getBytes(StandardCharsets.UTF_8), PutOptions.of(PutMode.create()));
        } catch (io.leasehold.core.ObjectAlreadyExistsException exists) {
            // another process made it
        }
    }

    /**
     * The store's order of accepted guarded writes: the object's log, read without a lease.
     *
     * @param store the store
     * @param key the key
     * @return write ids, earliest first
     */
    public static List<String> storeOrder(ObjectStore store, String key) {
        List<String> lines = new String(store.get(key).content(), StandardCharsets.UTF_8).lines()
                .collect(java.util.stream.Collectors.toList());
        return lines.subList(lines.isEmpty() || !lines.get(0).equals(INITIAL) ? 0 : 1, lines.size());
    }

    /**
     * The final acquire of the "nothing is stuck" check, after every process stopped; recorded, then
     * released.
     *
     * @param store the store
     * @param history where to record
     * @param key the key
     * @param duration the duration
     * @param wait how long to wait for the lease
     */
    public static void finalAcquire(ObjectStore store, LeaseHistory history, String key, Duration duration, Duration wait) {
        LeaseHistory.Tenure t = history.holder("final", key).finalAcquireSent(duration);
        Lease lease = store.leases().acquire(key, LeaseOptions.builder().duration(duration).waitUpTo(wait).build());
        t.acknowledged(lease.id(), lease.fencingToken().isPresent() ? lease.fencingToken().getAsLong() : null, duration);
        t.releaseSent();
        store.leases().release(lease);
        t.releaseDone();
    }

    /**
     * Runs tenures.
     *
     * @param tenures how many tenures to attempt
     * @param writesPerTenure guarded writes per tenure
     * @return what happened
     */
    public Counts run(int tenures, int writesPerTenure) {
        LeaseHistory.Holder holder = history.holder(process, key);
        try {
            for (int t = 1; t <= tenures; t++) {
                tenure(holder, t, writesPerTenure);
            }
        } finally {
            holder.stopped();
        }
        return counts;
    }

    private void tenure(LeaseHistory.Holder holder, int number, int writesPerTenure) {
        String id = leaseId != null ? leaseId : UUID.randomUUID().toString();
        LeaseHistory.Tenure tenure = holder.acquireSent(duration);
        Lease lease;
        try {
            lease = store.leases().acquire(key, LeaseOptions.builder().duration(duration).proposedId(id).waitUpTo(wait).build());
        } catch (OutcomeUnknownException unknown) {
            counts.unknownAcquires++;
            tenure.unknown(unknown.leaseId().orElse(id));
            release(tenure, unknown.leaseId().orElse(id));
            return;
        } catch (LeaseHeldException | io.leasehold.core.TransientException notNow) {
            counts.refusedAcquires++;
            tenure.refused();
            return;
        }
        counts.tenures++;
        tenure.acknowledged(lease.id(), token(lease), duration);
        long deadline = deadline(lease);
        tenure.believedHeldUntil(deadline);
        boolean held = true;
        for (int w = 1; w <= writesPerTenure && held; w++) {
            if (System.nanoTime() - deadline >= 0) {
                break;
            }
            held = write(tenure, lease, number, w);
            if (held && w == 1) {
                tenure.renewSent();
                try {
                    Lease renewed = store.leases().renew(lease);
                    tenure.renewOk(token(renewed));
                    deadline = deadline(renewed);
                    tenure.believedHeldUntil(deadline);
                } catch (LeaseException lost) {
                    tenure.renewFailed(lost.code().name());
                    tenure.lossReported();
                    held = false;
                } catch (ObjectStoreException failed) {
                    tenure.renewFailed(failed.code().name());
                }
            }
        }
        release(tenure, lease.id());
    }

    /** One guarded write; false if the lease turned out to be gone. */
    private boolean write(LeaseHistory.Tenure tenure, Lease lease, int number, int w) {
        GetResult read;
        try {
            read = store.get(key, GetOptions.builder().leaseId(lease.id()).build());
        } catch (StaleWriteException stale) {
            read = store.get(key);
            counts.staleDetected++;
            List<String> log = lines(read);
            tenure.staleWriteDetected(log.get(log.size() - 1));
        } catch (LeaseException lost) {
            return false;
        } catch (ObjectStoreException failed) {
            return true; // nothing was written; try again later
        }
        String writeId = process + "-" + number + "-" + w + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt());
        byte[] content = (new String(read.content(), StandardCharsets.UTF_8) + writeId + "\n").getBytes(StandardCharsets.UTF_8);
        LeaseHistory.GuardedWrite sent = tenure.guardedWriteSent(writeId);
        long started = System.nanoTime();
        try {
            store.put(key, content, PutOptions.builder().mode(PutMode.update(read.info().version())).leaseId(lease.id()).build());
            counts.writeNanos.add(System.nanoTime() - started);
            sent.accepted();
            counts.acceptedWrites++;
            return true;
        } catch (StaleWriteException stale) {
            sent.refused("a stale holder's version is current");
            return true;
        } catch (LeaseException lost) {
            sent.refusedAsStale();
            counts.refusedAsStale++;
            return false;
        } catch (PreconditionFailedException changed) {
            sent.refused("412");
            return true;
        } catch (OutcomeUnknownException unknown) {
            sent.unknown();
            counts.unknownWrites++;
            return true;
        } catch (ObjectStoreException failed) {
            sent.refused(failed.code().name());
            return true;
        }
    }

    private void release(LeaseHistory.Tenure tenure, String id) {
        tenure.releaseSent();
        try {
            store.leases().release(key, id);
            tenure.releaseDone();
        } catch (ObjectStoreException notReleased) {
            counts.failedReleases++;
        }
    }

    private long deadline(Lease lease) {
        long sent = LeaseTimes.sentNanos(lease).orElseThrow();
        return sent + duration.toNanos() - margin.toNanos();
    }

    private static Long token(Lease lease) {
        return lease.fencingToken().isPresent() ? lease.fencingToken().getAsLong() : null;
    }

    private static List<String> lines(GetResult read) {
        return new String(read.content(), StandardCharsets.UTF_8).lines().collect(java.util.stream.Collectors.toList());
    }

    /** What one process did. Thread-safety: not thread-safe. */
    public static final class Counts {
        /** Counts starting at zero. */
        public Counts() {
        }

        /** Tenures acquired. */
        public int tenures;
        /** Acquires refused (held by someone else when the wait ended, or not applied). */
        public int refusedAcquires;
        /** Acquires whose outcome was unknown. */
        public int unknownAcquires;
        /** Guarded writes accepted. */
        public int acceptedWrites;
        /** Guarded writes whose outcome was unknown. */
        public int unknownWrites;
        /** Guarded writes refused because the lease was gone. */
        public int refusedAsStale;
        /** Versions written by a stale holder that this process detected. */
        public int staleDetected;
        /** Releases that failed. */
        public int failedReleases;
        /**
         * How long each accepted guarded put took, guard included (its lease record read and object
         * HEAD on emulated leases): a stale holder's window from the store serving the record read
         * to its write being applied is at most this, plus any pause.
         */
        public final java.util.List<Long> writeNanos = new java.util.ArrayList<>();

        /**
         * A percentile of {@link #writeNanos}, in milliseconds.
         *
         * @param p 0 to 100
         * @return the value, or 0 without writes
         */
        public double writeMillis(double p) {
            if (writeNanos.isEmpty()) {
                return 0;
            }
            java.util.List<Long> sorted = new java.util.ArrayList<>(writeNanos);
            java.util.Collections.sort(sorted);
            int i = (int) Math.min(sorted.size() - 1, Math.max(0, Math.ceil(p / 100.0 * sorted.size()) - 1));
            return sorted.get(i) / 1e6;
        }

        /**
         * Adds another process's counts.
         *
         * @param other the counts
         */
        public void add(Counts other) {
            tenures += other.tenures;
            refusedAcquires += other.refusedAcquires;
            unknownAcquires += other.unknownAcquires;
            acceptedWrites += other.acceptedWrites;
            unknownWrites += other.unknownWrites;
            refusedAsStale += other.refusedAsStale;
            staleDetected += other.staleDetected;
            failedReleases += other.failedReleases;
            writeNanos.addAll(other.writeNanos);
        }

        /**
         * One line for reports and for a child process's last line of output.
         *
         * @return e.g. {@code tenures=10 refused=2 ...}
         */
        @Override
        public String toString() {
            return "tenures=" + tenures + " refusedAcquires=" + refusedAcquires + " unknownAcquires=" + unknownAcquires
                    + " acceptedWrites=" + acceptedWrites + " unknownWrites=" + unknownWrites + " refusedAsStale="
                    + refusedAsStale + " staleDetected=" + staleDetected + " failedReleases=" + failedReleases
                    + " writeMicros=" + writeNanos.stream().map(n -> Long.toString(n / 1000))
                            .collect(java.util.stream.Collectors.joining(",", "[", "]"));
        }

        /**
         * Parses {@link #toString()}.
         *
         * @param line the line
         * @return the counts
         */
        public static Counts parse(String line) {
            Counts c = new Counts();
            for (String field : line.trim().split(" ")) {
                String[] kv = field.split("=");
                if (kv[0].equals("writeMicros")) {
                    String list = kv[1].substring(1, kv[1].length() - 1);
                    for (String micros : list.isEmpty() ? new String[0] : list.split(",")) {
                        c.writeNanos.add(Long.parseLong(micros) * 1000);
                    }
                    continue;
                }
                int v = Integer.parseInt(kv[1]);
                switch (kv[0]) {
                    case "tenures": c.tenures = v; break;
                    case "refusedAcquires": c.refusedAcquires = v; break;
                    case "unknownAcquires": c.unknownAcquires = v; break;
                    case "acceptedWrites": c.acceptedWrites = v; break;
                    case "unknownWrites": c.unknownWrites = v; break;
                    case "refusedAsStale": c.refusedAsStale = v; break;
                    case "staleDetected": c.staleDetected = v; break;
                    default: c.failedReleases = v; break;
                }
            }
            return c;
        }
    }
}
