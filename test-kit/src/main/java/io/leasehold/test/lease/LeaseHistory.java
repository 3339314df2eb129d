package io.leasehold.test.lease;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A recorder of what lease holders did and saw, for {@link LeaseChecker}: N processes taking turns
 * (tenures) holding leases on one or more keys, renewing them, writing under fencing tokens and
 * letting go.
 *
 * <pre>{@code
 * LeaseHistory history = LeaseHistory.create();
 * LeaseHistory.Holder me = history.holder("worker-2", "jobs/leader");
 * LeaseHistory.Tenure t = me.acquireSent(Duration.ofSeconds(15));
 * Lease lease = tryAcquire();                               // your code under test
 * if (lease == null) { t.refused(); return; }
 * t.acknowledged(lease.id(), lease.fencingToken().orElse(null), Duration.ofSeconds(15));
 * t.believedHeldUntil(mySafeDeadlineNanos);                 // as your holder computes it
 * LeaseHistory.GuardedWrite w = t.guardedWriteSent(writeId);
 * ... w.accepted() / w.refusedAsStale() / w.refused("412") / w.unknown()
 * t.releaseSent(); release(lease); t.releaseDone();
 * ...
 * history.storeOrder("jobs/leader", acceptedWriteIdsInStoreOrder);   // reconstructed by the test
 * LeaseChecker.check(history).assertOk();
 * }</pre>
 *
 * <p>Times are taken when each method is called, by {@link System#nanoTime()} (or the clock given to
 * {@link #create(LongSupplier)}); call the "sent" methods just before sending and the outcome methods
 * just after the answer. Lease ids are kept only as a digest.
 *
 * <h2>Several processes</h2>
 * {@link System#nanoTime()} is {@code CLOCK_MONOTONIC} on Linux, comparable across the JVMs of one
 * machine: each process records its own history, writes it with {@link #writeTo(Path)} (one event
 * per line), and the test reads the parts back ({@link #read(Path)}) and checks
 * {@link #merge(Collection)} of them. Tenure numbers are renumbered apart on merging.
 *
 * <p>Thread-safety: safe for concurrent use; handles may be used from any thread.
 */
public final class LeaseHistory {
    private final LongSupplier clock;
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicInteger tenures = new AtomicInteger();
    private final ConcurrentLinkedQueue<LeaseEvent> events = new ConcurrentLinkedQueue<>();
    private final Map<String, List<String>> storeOrders = new LinkedHashMap<>();

    private LeaseHistory(LongSupplier clock) {
        this.clock = clock;
    }

    /**
     * An empty history stamped with {@link System#nanoTime()}.
     *
     * @return the history
     */
    public static LeaseHistory create() {
        return new LeaseHistory(System::nanoTime);
    }

    /**
     * An empty history stamped by another monotonic clock in nanoseconds (e.g. a manual clock in a
     * test that builds a history with exact times).
     *
     * @param clock the clock; it must never go backwards
     * @return the history
     */
    public static LeaseHistory create(LongSupplier clock) {
        return new LeaseHistory(Objects.requireNonNull(clock, "clock"));
    }

    /**
     * The recording handle of one process on one key.
     *
     * @param process the process (one holder at a time per name and key)
     * @param key the leased key
     * @return the handle
     * @throws IllegalArgumentException if the process or key is empty
     */
    public Holder holder(String process, String key) {
        if (Objects.requireNonNull(process, "process").isEmpty() || Objects.requireNonNull(key, "key").isEmpty()) {
            throw new IllegalArgumentException("process and key must not be empty");
        }
        return new Holder(process, key);
    }

    /**
     * Records the store's final order of accepted guarded writes on a key, as the test reconstructed
     * it (e.g. a chain of compare-and-swap writes whose content names the previous write).
     *
     * @param key the key
     * @param acceptedWriteIds write ids, earliest first
     */
    public void storeOrder(String key, List<String> acceptedWriteIds) {
        synchronized (storeOrders) {
            storeOrders.put(Objects.requireNonNull(key, "key"), List.copyOf(acceptedWriteIds));
        }
    }

    /**
     * A snapshot of all events, ordered by time (then by recording order).
     *
     * @return an immutable list
     */
    public List<LeaseEvent> events() {
        List<LeaseEvent> all = new ArrayList<>(events);
        all.sort(Comparator.comparingLong(LeaseEvent::time).thenComparingLong(LeaseEvent::sequence));
        return List.copyOf(all);
    }

    // ---------------------------------------------------------------- lines, for several processes

    /** The first line of the line format. */
    private static final String HEADER = "leasehold-lease-history 1";

    /**
     * Writes a snapshot of the events (and any store orders) in the line format: a header line, then
     * one line per event, {@code E seq type process key tenure final time id token duration write detail},
     * then one line per store order, {@code O key write...}; fields are URL-encoded, {@code ~} for none.
     *
     * @param out where to write; flushed, not closed
     * @throws UncheckedIOException if writing fails
     */
    public void writeTo(Writer out) {
        try {
            out.write(HEADER);
            out.write('\n');
            for (LeaseEvent e : events()) {
                out.write(String.join(" ", "E", Long.toString(e.sequence()), e.type().name(), field(e.process()), field(e.key()),
                        Integer.toString(e.tenure()), e.finalAcquire() ? "1" : "0", Long.toString(e.time()),
                        field(e.leaseIdDigest().orElse(null)), field(e.rawToken() == null ? null : e.rawToken().toString()),
                        field(e.rawDuration() == null ? null : e.rawDuration().toString()), field(e.rawWriteId()),
                        field(e.rawDetail())));
                out.write('\n');
            }
            for (Map.Entry<String, List<String>> order : storeOrders().entrySet()) {
                StringBuilder line = new StringBuilder("O ").append(field(order.getKey()));
                for (String id : order.getValue()) {
                    line.append(' ').append(field(id));
                }
                out.write(line.append('\n').toString());
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes a snapshot to a file, replacing it (see {@link #writeTo(Writer)}).
     *
     * @param file the file
     * @throws UncheckedIOException if writing fails
     */
    public void writeTo(Path file) {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads a history written by {@link #writeTo(Writer)}.
     *
     * @param in the text; not closed
     * @return the history (further events are stamped with {@link System#nanoTime()})
     * @throws IllegalArgumentException if the text is not in the line format (the message names the line)
     * @throws UncheckedIOException if reading fails
     */
    public static LeaseHistory read(Reader in) {
        LeaseHistory h = create();
        BufferedReader lines = in instanceof BufferedReader ? (BufferedReader) in : new BufferedReader(in);
        int number = 0;
        int maxTenure = 0;
        long maxSequence = 0;
        try {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.strip().split(" ");
                if (number == 1) {
                    if (!line.strip().equals(HEADER)) {
                        throw new IllegalArgumentException("line 1: expected '" + HEADER + "'");
                    }
                    continue;
                }
                try {
                    if (f[0].equals("O")) {
                        List<String> ids = new ArrayList<>();
                        for (int i = 2; i < f.length; i++) {
                            ids.add(unfield(f[i]));
                        }
                        h.storeOrder(unfield(f[1]), ids);
                        continue;
                    }
                    if (!f[0].equals("E") || f.length != 13) {
                        throw new IllegalArgumentException("not an event line");
                    }
                    String token = unfield(f[9]);
                    String duration = unfield(f[10]);
                    LeaseEvent e = new LeaseEvent(Long.parseLong(f[1]), LeaseEvent.Type.valueOf(f[2]), unfield(f[3]),
                            unfield(f[4]), Integer.parseInt(f[5]), f[6].equals("1"), Long.parseLong(f[7]), unfield(f[8]),
                            token == null ? null : Long.valueOf(token), duration == null ? null : Duration.parse(duration),
                            unfield(f[11]), unfield(f[12]));
                    h.events.add(e);
                    maxTenure = Math.max(maxTenure, e.tenure());
                    maxSequence = Math.max(maxSequence, e.sequence());
                } catch (RuntimeException bad) {
                    throw new IllegalArgumentException("line " + number + ": " + bad.getMessage(), bad);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (number == 0) {
            throw new IllegalArgumentException("line 1: expected '" + HEADER + "'");
        }
        h.tenures.set(maxTenure);
        h.sequence.set(maxSequence);
        return h;
    }

    /**
     * Reads a history from a file (see {@link #read(Reader)}).
     *
     * @param file the file
     * @return the history
     * @throws IllegalArgumentException if the file is not in the line format
     * @throws UncheckedIOException if reading fails
     */
    public static LeaseHistory read(Path file) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * One history of the events of several (e.g. one per process), tenures renumbered apart so that
     * each part's stay its own; store orders are taken from the parts (a later part's replaces an
     * earlier one's for the same key).
     *
     * @param parts the histories
     * @return the merged history (further events are stamped with {@link System#nanoTime()})
     */
    public static LeaseHistory merge(Collection<LeaseHistory> parts) {
        LeaseHistory merged = create();
        int offset = 0;
        List<LeaseEvent> all = new ArrayList<>();
        for (LeaseHistory part : parts) {
            int highest = 0;
            for (LeaseEvent e : part.events()) {
                int tenure = e.tenure() == 0 ? 0 : e.tenure() + offset;
                highest = Math.max(highest, e.tenure());
                all.add(new LeaseEvent(0, e.type(), e.process(), e.key(), tenure, e.finalAcquire(), e.time(),
                        e.leaseIdDigest().orElse(null), e.rawToken(), e.rawDuration(), e.rawWriteId(), e.rawDetail()));
            }
            offset += highest;
            part.storeOrders().forEach(merged::storeOrder);
        }
        all.sort(Comparator.comparingLong(LeaseEvent::time));
        for (LeaseEvent e : all) {
            merged.events.add(new LeaseEvent(merged.sequence.incrementAndGet(), e.type(), e.process(), e.key(), e.tenure(),
                    e.finalAcquire(), e.time(), e.leaseIdDigest().orElse(null), e.rawToken(), e.rawDuration(),
                    e.rawWriteId(), e.rawDetail()));
        }
        merged.tenures.set(offset);
        return merged;
    }

    /**
     * The merge of some histories (see {@link #merge(Collection)}).
     *
     * @param parts the histories
     * @return the merged history
     */
    public static LeaseHistory merge(LeaseHistory... parts) {
        return merge(List.of(parts));
    }

    private static String field(String value) {
        if (value == null) {
            return "~";
        }
        return value.isEmpty() ? "~e" : URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String unfield(String token) {
        if (token.equals("~")) {
            return null;
        }
        return token.equals("~e") ? "" : URLDecoder.decode(token, StandardCharsets.UTF_8);
    }

    Map<String, List<String>> storeOrders() {
        synchronized (storeOrders) {
            return new LinkedHashMap<>(storeOrders);
        }
    }

    private LeaseEvent record(LeaseEvent.Type type, String process, String key, int tenure, boolean finalAcquire, String idDigest,
            Long token, Duration duration, String writeId, String detail) {
        LeaseEvent e = new LeaseEvent(sequence.incrementAndGet(), type, process, key, tenure, finalAcquire, clock.getAsLong(), idDigest,
                token, duration, writeId, detail);
        events.add(e);
        return e;
    }

    /** The first 12 hex digits of the SHA-256 of a lease id: enough to tell tenures apart, useless as a credential. */
    static String digest(String leaseId) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(leaseId.getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder();
            for (int i = 0; i < 6; i++) {
                hex.append(String.format("%02x", hash[i]));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * One process on one key: starts acquire attempts and records that it stopped.
     *
     * <p>Thread-safety: safe for concurrent use.
     */
    public final class Holder {
        private final String process;
        private final String key;

        private Holder(String process, String key) {
            this.process = process;
            this.key = key;
        }

        /**
         * Records that an acquire is about to be sent.
         *
         * @param requested the duration asked for, or null for an infinite lease
         * @return the attempt, to complete with its outcome
         */
        public Tenure acquireSent(Duration requested) {
            return start(requested, false);
        }

        /**
         * Records that the final acquire of the "nothing is stuck" check is about to be sent: the
         * test makes it once every other holder has released or stopped.
         *
         * @param requested the duration asked for, or null for an infinite lease
         * @return the attempt
         */
        public Tenure finalAcquireSent(Duration requested) {
            return start(requested, true);
        }

        private Tenure start(Duration requested, boolean finalAcquire) {
            int id = tenures.incrementAndGet();
            record(LeaseEvent.Type.ACQUIRE_SENT, process, key, id, finalAcquire, null, null, requested, null, null);
            return new Tenure(this, id, finalAcquire);
        }

        /**
         * Records that the process stopped (crashed, was killed or paused for good, or finished)
         * without necessarily releasing.
         */
        public void stopped() {
            record(LeaseEvent.Type.STOPPED, process, key, 0, false, null, null, null, null, null);
        }
    }

    /**
     * One acquire attempt and, once acknowledged, the tenure it started.
     *
     * <p>Thread-safety: safe for concurrent use; the acquire outcome may be recorded only once.
     */
    public final class Tenure {
        private final Holder holder;
        private final int id;
        private final boolean finalAcquire;
        private final AtomicInteger outcome = new AtomicInteger();   // 0 none, 1 acknowledged, 2 refused or unknown
        private volatile Long token;

        private Tenure(Holder holder, int id, boolean finalAcquire) {
            this.holder = holder;
            this.id = id;
            this.finalAcquire = finalAcquire;
        }

        private void event(LeaseEvent.Type type, String idDigest, Long token, Duration duration, String writeId, String detail) {
            record(type, holder.process, holder.key, id, finalAcquire, idDigest, token, duration, writeId, detail);
        }

        private void outcome(int value) {
            if (!outcome.compareAndSet(0, value)) {
                throw new IllegalStateException("the outcome of acquire attempt #" + id + " was already recorded");
            }
        }

        /**
         * Records that the acquire succeeded: a new tenure.
         *
         * @param leaseId the lease id (kept only as a digest)
         * @param fencingToken the fencing token, or null if the store gives none
         * @param duration the lease duration, or null for infinite
         * @throws IllegalStateException if the outcome was already recorded
         */
        public void acknowledged(String leaseId, Long fencingToken, Duration duration) {
            outcome(1);
            this.token = fencingToken;
            event(LeaseEvent.Type.ACQUIRE_ACKNOWLEDGED, digest(Objects.requireNonNull(leaseId, "leaseId")), fencingToken, duration, null, null);
        }

        /**
         * Records that the acquire was refused.
         *
         * @throws IllegalStateException if the outcome was already recorded
         */
        public void refused() {
            outcome(2);
            event(LeaseEvent.Type.ACQUIRE_REFUSED, null, null, null, null, null);
        }

        /**
         * Records that the acquire's outcome is unknown: the store may hold the lease under this id.
         *
         * @param leaseId the proposed lease id (kept only as a digest)
         * @throws IllegalStateException if the outcome was already recorded
         */
        public void unknown(String leaseId) {
            outcome(2);
            event(LeaseEvent.Type.ACQUIRE_UNKNOWN, digest(Objects.requireNonNull(leaseId, "leaseId")), null, null, null, null);
        }

        /**
         * Records the holder's own safe deadline, as it computed it (e.g. after each renewal): it will
         * not act as holder after this time. If never recorded, the checker derives it as the holder
         * should: the send time of the acquire or of the latest successful renewal, plus the duration.
         *
         * @param deadlineNanos a time on the history's clock
         */
        public void believedHeldUntil(long deadlineNanos) {
            event(LeaseEvent.Type.BELIEVED_HELD_UNTIL, null, null, null, null, Long.toString(deadlineNanos));
        }

        /** Records that a renewal is about to be sent. */
        public void renewSent() {
            event(LeaseEvent.Type.RENEW_SENT, null, null, null, null, null);
        }

        /**
         * Records that the renewal succeeded.
         *
         * @param fencingToken the token the store reported, or null if it reported none
         */
        public void renewOk(Long fencingToken) {
            event(LeaseEvent.Type.RENEW_OK, null, fencingToken, null, null, null);
        }

        /**
         * Records that the renewal failed.
         *
         * @param reason why, for reports (never a secret)
         */
        public void renewFailed(String reason) {
            event(LeaseEvent.Type.RENEW_FAILED, null, null, null, null, reason);
        }

        /** Records that the keeper reported the lease lost. */
        public void lossReported() {
            event(LeaseEvent.Type.LOSS_REPORTED, null, null, null, null, null);
        }

        /** Records that a release is about to be sent (the holder stops acting as holder). */
        public void releaseSent() {
            event(LeaseEvent.Type.RELEASE_SENT, null, null, null, null, null);
        }

        /** Records that the release completed. */
        public void releaseDone() {
            event(LeaseEvent.Type.RELEASE_DONE, null, null, null, null, null);
        }

        /**
         * Records that a write guarded by this tenure's fencing token is about to be sent.
         *
         * @param writeId the write's unique id (as in the store order)
         * @return the write, to complete with its outcome
         */
        public GuardedWrite guardedWriteSent(String writeId) {
            event(LeaseEvent.Type.WRITE_SENT, null, token, null, Objects.requireNonNull(writeId, "writeId"), null);
            return new GuardedWrite(this, writeId);
        }

        /**
         * Records that this holder's guarded operation found a stale write accepted after one of its
         * own, and handled it (e.g. rewrote its own).
         *
         * @param staleWriteId the id of the stale write
         */
        public void staleWriteDetected(String staleWriteId) {
            event(LeaseEvent.Type.STALE_WRITE_DETECTED, null, token, null, Objects.requireNonNull(staleWriteId, "staleWriteId"), null);
        }
    }

    /**
     * One guarded write.
     *
     * <p>Thread-safety: safe for concurrent use; the outcome may be recorded only once.
     */
    public final class GuardedWrite {
        private final Tenure tenure;
        private final String writeId;
        private final AtomicInteger outcome = new AtomicInteger();

        private GuardedWrite(Tenure tenure, String writeId) {
            this.tenure = tenure;
            this.writeId = writeId;
        }

        private void outcome(LeaseEvent.Type type, String detail) {
            if (!outcome.compareAndSet(0, 1)) {
                throw new IllegalStateException("the outcome of write " + writeId + " was already recorded");
            }
            tenure.event(type, null, tenure.token, null, writeId, detail);
        }

        /**
         * The store accepted it.
         *
         * @throws IllegalStateException if the outcome was already recorded
         */
        public void accepted() {
            outcome(LeaseEvent.Type.WRITE_ACCEPTED, null);
        }

        /**
         * The store refused it because its fencing token is stale.
         *
         * @throws IllegalStateException if the outcome was already recorded
         */
        public void refusedAsStale() {
            outcome(LeaseEvent.Type.WRITE_REFUSED_STALE, null);
        }

        /**
         * The store refused it for another reason.
         *
         * @param reason why, for reports
         * @throws IllegalStateException if the outcome was already recorded
         */
        public void refused(String reason) {
            outcome(LeaseEvent.Type.WRITE_REFUSED, reason);
        }

        /**
         * Its outcome is unknown.
         *
         * @throws IllegalStateException if the outcome was already recorded
         */
        public void unknown() {
            outcome(LeaseEvent.Type.WRITE_UNKNOWN, null);
        }
    }
}
