package io.leasehold.test.lease;

import io.leasehold.test.lease.LeaseCheckResult.Violation;
import io.leasehold.test.lease.LeaseCheckResult.Violation.Kind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a {@link LeaseHistory} for the guarantees a lease with fencing must give, key by key:
 *
 * <ol>
 *   <li><b>No two holders at once.</b> No two tenures' believed-held intervals overlap. A tenure is
 *       believed held from its acknowledgement (a holder cannot act before it knows) until the first
 *       of: its own safe deadline ({@link LeaseHistory.Tenure#believedHeldUntil}, or, if never
 *       recorded, the send time of the acquire or latest successful renewal plus the duration),
 *       sending its release, the keeper reporting the loss, the process stopping. Its deadline counts
 *       from the send time, the earliest the store could have started the lease.</li>
 *   <li><b>Fencing tokens increase.</b> In acknowledgement order, each tenure's token is larger
 *       than the previous tenure's, including a new tenure under the same lease id; a renewal keeps
 *       the token.</li>
 *   <li><b>No stale write wins.</b> In the store's final order of accepted guarded writes
 *       ({@link LeaseHistory#storeOrder}), no write with token t comes after a write with a token
 *       above t, unless a holder with a larger token recorded that it detected that write
 *       ({@link LeaseHistory.Tenure#staleWriteDetected}). Also: every write recorded as accepted is in
 *       that order, and no write recorded as refused is.</li>
 *   <li><b>Nothing is stuck.</b> The final acquire ({@link LeaseHistory.Holder#finalAcquireSent})
 *       succeeds within the margin of the time by which every other lease was certainly free: when
 *       its release completed, or, for a holder that stopped without releasing (or an acquire whose
 *       outcome is unknown), when the lease expired at the latest (last successful acquire or renewal
 *       answer plus the duration).</li>
 * </ol>
 * All times come from the processes' own clocks ({@link System#nanoTime()} is comparable across the
 * JVMs of one Linux machine).
 *
 * <p>Thread-safety: stateless and safe for concurrent use.
 */
public final class LeaseChecker {
    private static final int MAX_PER_KIND = 20;

    private LeaseChecker() {
    }

    /**
     * Checks a history with the default options.
     *
     * @param history the recorded events (a snapshot is taken now)
     * @return the violations found
     */
    public static LeaseCheckResult check(LeaseHistory history) {
        return check(history, LeaseCheckOptions.defaults());
    }

    /**
     * Checks a history.
     *
     * @param history the recorded events (a snapshot is taken now)
     * @param options the options
     * @return the violations found
     */
    public static LeaseCheckResult check(LeaseHistory history, LeaseCheckOptions options) {
        List<LeaseEvent> events = history.events();
        Map<String, List<String>> orders = history.storeOrders();
        Map<String, List<LeaseEvent>> byKey = new LinkedHashMap<>();
        for (LeaseEvent e : events) {
            byKey.computeIfAbsent(e.key(), k -> new ArrayList<>()).add(e);
        }
        for (String key : orders.keySet()) {
            byKey.computeIfAbsent(key, k -> new ArrayList<>());
        }
        List<Violation> violations = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        int tenures = 0;
        int writes = 0;
        for (Map.Entry<String, List<LeaseEvent>> e : byKey.entrySet()) {
            KeyCheck check = new KeyCheck(e.getKey(), e.getValue(), orders.get(e.getKey()), options, violations, notes);
            check.run();
            tenures += check.acknowledged.size();
            writes += check.writesSent.size();
        }
        long origin = events.isEmpty() ? 0 : events.get(0).time();
        return new LeaseCheckResult(violations, notes, tenures, writes, origin);
    }

    /** One acquire attempt and what followed it. */
    private static final class Attempt {
        final int id;
        LeaseEvent sent;
        LeaseEvent acknowledged;
        LeaseEvent unknown;
        boolean refused;
        LeaseEvent releaseSent;
        LeaseEvent releaseDone;
        LeaseEvent lossReported;
        LeaseEvent deadline;
        LeaseEvent lastRenewSent;
        long renewedFrom = Long.MIN_VALUE;   // send time of the latest renewal that succeeded
        long lastRenewOk = Long.MIN_VALUE;
        LeaseEvent stopped;

        Attempt(int id) {
            this.id = id;
        }

        String process() {
            return sent.process();
        }

        Long token() {
            return acknowledged.rawToken();
        }

        Duration duration() {
            return acknowledged != null ? acknowledged.rawDuration() : sent.rawDuration();
        }

        /** The end of the believed-held interval (see rule 1). */
        long believedUntil() {
            long end = Long.MAX_VALUE;
            if (deadline != null) {
                end = Long.parseLong(deadline.rawDetail());
            } else if (duration() != null) {
                end = saturatedAdd(Math.max(sent.time(), renewedFrom), duration().toNanos());
            }
            for (LeaseEvent stop : new LeaseEvent[] {releaseSent, lossReported, stopped}) {
                if (stop != null) {
                    end = Math.min(end, stop.time());
                }
            }
            return end;
        }

        /** When the store certainly no longer held this lease, or MAX_VALUE if it may hold it forever. */
        long freeBy() {
            if (releaseDone != null) {
                return releaseDone.time();
            }
            if (duration() == null) {
                return Long.MAX_VALUE;
            }
            long lastGranted = acknowledged != null ? Math.max(acknowledged.time(), lastRenewOk)
                    : unknown != null ? unknown.time()
                    : stopped != null ? Math.max(sent.time(), stopped.time()) : Long.MAX_VALUE;
            return lastGranted == Long.MAX_VALUE ? Long.MAX_VALUE : saturatedAdd(lastGranted, duration().toNanos());
        }
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }

    /** The four checks on one key. */
    private static final class KeyCheck {
        final String key;
        final List<LeaseEvent> events;
        final List<String> storeOrder;
        final LeaseCheckOptions options;
        final List<Violation> violations;
        final List<String> notes;
        final Map<Integer, Attempt> attempts = new LinkedHashMap<>();
        final List<Attempt> acknowledged = new ArrayList<>();
        final Map<String, LeaseEvent> writesSent = new LinkedHashMap<>();
        final Map<String, LeaseEvent> writeOutcomes = new HashMap<>();
        final Map<String, Integer> writeTenure = new HashMap<>();
        final Map<String, List<LeaseEvent>> detections = new HashMap<>();
        final Map<Integer, List<LeaseEvent>> renewals = new HashMap<>();

        KeyCheck(String key, List<LeaseEvent> events, List<String> storeOrder, LeaseCheckOptions options, List<Violation> violations,
                List<String> notes) {
            this.key = key;
            this.events = events;
            this.storeOrder = storeOrder;
            this.options = options;
            this.violations = violations;
            this.notes = notes;
        }

        void run() {
            index();
            noOverlap();
            tokensIncrease();
            noStaleWrite();
            nothingStuck();
        }

        private void index() {
            Map<String, LeaseEvent> stops = new HashMap<>();
            for (LeaseEvent e : events) {
                if (e.type() == LeaseEvent.Type.STOPPED) {
                    stops.putIfAbsent(e.process(), e);
                    continue;
                }
                Attempt a = attempts.computeIfAbsent(e.tenure(), Attempt::new);
                switch (e.type()) {
                    case ACQUIRE_SENT:
                        a.sent = e;
                        break;
                    case ACQUIRE_ACKNOWLEDGED:
                        a.acknowledged = e;
                        break;
                    case ACQUIRE_UNKNOWN:
                        a.unknown = e;
                        break;
                    case ACQUIRE_REFUSED:
                        a.refused = true;
                        break;
                    case BELIEVED_HELD_UNTIL:
                        a.deadline = e;
                        break;
                    case RENEW_SENT:
                        a.lastRenewSent = e;
                        break;
                    case RENEW_OK:
                        a.renewedFrom = a.lastRenewSent != null ? a.lastRenewSent.time() : e.time();
                        a.lastRenewOk = e.time();
                        renewals.computeIfAbsent(a.id, x -> new ArrayList<>()).add(e);
                        break;
                    case LOSS_REPORTED:
                        if (a.lossReported == null) {
                            a.lossReported = e;
                        }
                        break;
                    case RELEASE_SENT:
                        if (a.releaseSent == null) {
                            a.releaseSent = e;
                        }
                        break;
                    case RELEASE_DONE:
                        a.releaseDone = e;
                        break;
                    case WRITE_SENT:
                        writesSent.put(e.rawWriteId(), e);
                        writeTenure.put(e.rawWriteId(), e.tenure());
                        break;
                    case WRITE_ACCEPTED:
                    case WRITE_REFUSED_STALE:
                    case WRITE_REFUSED:
                    case WRITE_UNKNOWN:
                        writeOutcomes.put(e.rawWriteId(), e);
                        break;
                    case STALE_WRITE_DETECTED:
                        detections.computeIfAbsent(e.rawWriteId(), x -> new ArrayList<>()).add(e);
                        break;
                    default:
                        break;
                }
            }
            for (Attempt a : attempts.values()) {
                if (a.sent == null) {
                    continue;
                }
                LeaseEvent stop = stops.get(a.process());
                if (stop != null && stop.time() >= a.sent.time()) {
                    a.stopped = stop;
                }
                if (a.acknowledged != null) {
                    acknowledged.add(a);
                }
            }
            acknowledged.sort(Comparator.comparingLong((Attempt a) -> a.acknowledged.time()).thenComparingLong(a -> a.acknowledged.sequence()));
        }

        private void add(Kind kind, String message, List<LeaseEvent> shown) {
            long already = violations.stream().filter(v -> v.kind() == kind && v.key().equals(key)).count();
            if (already < MAX_PER_KIND) {
                List<LeaseEvent> sorted = new ArrayList<>(shown);
                sorted.removeIf(java.util.Objects::isNull);
                sorted.sort(Comparator.comparingLong(LeaseEvent::time).thenComparingLong(LeaseEvent::sequence));
                violations.add(new Violation(kind, key, message, sorted));
            }
        }

        /** Check 1. */
        private void noOverlap() {
            List<Attempt> active = new ArrayList<>();
            for (Attempt b : acknowledged) {
                long start = b.acknowledged.time();
                active.removeIf(a -> a.believedUntil() <= start);
                for (Attempt a : active) {
                    add(Kind.OVERLAPPING_HOLDERS, "tenure #" + b.id + " of " + b.process() + " was acknowledged while tenure #" + a.id
                            + " of " + a.process() + " was still believed held (until " + ms(a.believedUntil() - start) + " ms later)",
                            endEvents(a, b));
                }
                active.add(b);
            }
        }

        private static List<LeaseEvent> endEvents(Attempt a, Attempt b) {
            List<LeaseEvent> shown = new ArrayList<>(List.of(a.sent, a.acknowledged, b.sent, b.acknowledged));
            for (Attempt x : new Attempt[] {a, b}) {
                shown.add(x.deadline);
                shown.add(x.releaseSent);
                shown.add(x.lossReported);
            }
            return shown;
        }

        /** Check 2. */
        private void tokensIncrease() {
            Attempt previous = null;
            int withToken = 0;
            for (Attempt a : acknowledged) {
                if (a.token() == null) {
                    continue;
                }
                withToken++;
                if (previous != null && a.token() <= previous.token()) {
                    boolean sameId = a.acknowledged.leaseIdDigest().equals(previous.acknowledged.leaseIdDigest());
                    String how = a.token().equals(previous.token()) ? "reuses token " + a.token() : "has token " + a.token()
                            + ", lower than " + previous.token();
                    add(Kind.TOKEN_NOT_INCREASING, "tenure #" + a.id + " of " + a.process() + " " + how + " of the earlier tenure #"
                            + previous.id + " of " + previous.process() + (sameId ? ", under the same lease id" : ""),
                            List.of(previous.acknowledged, a.acknowledged));
                }
                previous = a;
                for (LeaseEvent renewal : renewals.getOrDefault(a.id, List.of())) {
                    if (renewal.rawToken() != null && !renewal.rawToken().equals(a.token())) {
                        add(Kind.TOKEN_CHANGED_ON_RENEWAL, "a renewal of tenure #" + a.id + " of " + a.process() + " reported token "
                                + renewal.rawToken() + " instead of " + a.token(), List.of(a.acknowledged, renewal));
                    }
                }
            }
            if (!acknowledged.isEmpty() && withToken == 0) {
                notes.add("\"" + key + "\": no fencing tokens recorded; token checks skipped");
            }
        }

        /** Check 3. */
        private void noStaleWrite() {
            if (storeOrder == null) {
                if (!writesSent.isEmpty()) {
                    notes.add("\"" + key + "\": no store order recorded; accepted-write checks skipped");
                }
                return;
            }
            Long highest = null;
            String highestWrite = null;
            int unknownToHistory = 0;
            java.util.Set<String> inStore = new java.util.HashSet<>(storeOrder);
            for (String id : storeOrder) {
                LeaseEvent sent = writesSent.get(id);
                if (sent == null) {
                    unknownToHistory++;
                    continue;
                }
                LeaseEvent outcome = writeOutcomes.get(id);
                if (outcome != null && (outcome.type() == LeaseEvent.Type.WRITE_REFUSED_STALE || outcome.type() == LeaseEvent.Type.WRITE_REFUSED)) {
                    add(Kind.REFUSED_WRITE_APPLIED, "write " + id + " was answered " + outcome.type() + " but is in the store",
                            List.of(sent, outcome));
                }
                Long token = sent.rawToken();
                if (token == null) {
                    continue;
                }
                if (highest != null && token < highest && !detected(id, token)) {
                    LeaseEvent newer = writesSent.get(highestWrite);
                    add(Kind.STALE_WRITE_ACCEPTED, "write " + id + " with token " + token + " was accepted after write " + highestWrite
                            + " with token " + highest + ", and no newer holder recorded detecting it",
                            List.of(newer, writeOutcomes.getOrDefault(highestWrite, newer), sent, outcome == null ? sent : outcome));
                }
                if (highest == null || token > highest) {
                    highest = token;
                    highestWrite = id;
                }
            }
            for (Map.Entry<String, LeaseEvent> o : writeOutcomes.entrySet()) {
                if (o.getValue().type() == LeaseEvent.Type.WRITE_ACCEPTED && !inStore.contains(o.getKey())) {
                    add(Kind.ACCEPTED_WRITE_MISSING, "write " + o.getKey() + " was answered accepted but is not in the store",
                            List.of(writesSent.get(o.getKey()), o.getValue()));
                }
            }
            if (unknownToHistory > 0) {
                notes.add("\"" + key + "\": " + unknownToHistory + " writes in the store order were not recorded as guarded writes; ignored");
            }
        }

        /** Whether a holder with a token above the stale write's recorded detecting it. */
        private boolean detected(String id, long token) {
            for (LeaseEvent d : detections.getOrDefault(id, List.of())) {
                if (d.rawToken() != null && d.rawToken() > token) {
                    return true;
                }
            }
            return false;
        }

        /** Check 4. */
        private void nothingStuck() {
            List<Attempt> finals = new ArrayList<>();
            long freeBy = Long.MIN_VALUE;
            Attempt lastFree = null;
            for (Attempt a : attempts.values()) {
                if (a.sent == null) {
                    continue;
                }
                if (a.sent.finalAcquire()) {
                    finals.add(a);
                    continue;
                }
                if (a.refused) {
                    continue;
                }
                if (a.acknowledged == null && a.unknown == null && a.stopped == null) {
                    notes.add("\"" + key + "\": stuck check skipped: acquire #" + a.id + " of " + a.process()
                            + " never completed and its process never stopped");
                    return;
                }
                long free = a.freeBy();
                if (free > freeBy) {
                    freeBy = free;
                    lastFree = a;
                }
            }
            if (finals.isEmpty()) {
                if (!attempts.isEmpty()) {
                    notes.add("\"" + key + "\": no final acquire recorded; stuck check skipped");
                }
                return;
            }
            if (freeBy == Long.MAX_VALUE) {
                notes.add("\"" + key + "\": stuck check skipped: tenure #" + lastFree.id + " of " + lastFree.process()
                        + " holds an infinite lease it never released");
                return;
            }
            LeaseEvent firstAck = null;
            for (Attempt f : finals) {
                if (f.acknowledged != null && (firstAck == null || f.acknowledged.time() < firstAck.time())) {
                    firstAck = f.acknowledged;
                }
            }
            long limit = freeBy == Long.MIN_VALUE ? Long.MIN_VALUE : saturatedAdd(freeBy, options.stuckMargin().toNanos());
            List<LeaseEvent> shown = new ArrayList<>();
            if (lastFree != null) {
                shown.add(lastFree.acknowledged != null ? lastFree.acknowledged : lastFree.unknown);
                shown.add(lastFree.releaseDone != null ? lastFree.releaseDone : lastFree.stopped);
            }
            shown.add(finals.get(0).sent);
            if (firstAck == null) {
                add(Kind.STUCK, "the final acquire never succeeded", shown);
            } else if (limit != Long.MIN_VALUE && firstAck.time() > limit) {
                shown.add(firstAck);
                add(Kind.STUCK, "the final acquire succeeded " + ms(firstAck.time() - freeBy) + " ms after the last lease was certainly free"
                        + " (margin " + options.stuckMargin().toMillis() + " ms)", shown);
            }
        }

        private static String ms(long nanos) {
            return String.format(java.util.Locale.ROOT, "%.1f", nanos / 1e6);
        }
    }
}
