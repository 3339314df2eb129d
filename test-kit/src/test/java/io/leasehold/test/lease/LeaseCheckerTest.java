package io.leasehold.test.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leasehold.test.lease.LeaseCheckResult.Violation.Kind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Good lease histories pass; each kind of violation is caught and named, with its events. */
class LeaseCheckerTest {
    private static final Duration LEASE = Duration.ofSeconds(10);
    private final AtomicLong clock = new AtomicLong();
    private final LeaseHistory history = LeaseHistory.create(clock::get);
    private final List<String> store = new ArrayList<>();

    private void at(long millis) {
        clock.set(millis * 1_000_000);
    }

    private static long nanos(long millis) {
        return millis * 1_000_000;
    }

    private LeaseCheckResult check() {
        history.storeOrder("lock", store);
        LeaseCheckResult r = LeaseChecker.check(history);
        System.out.println(r.report());
        return r;
    }

    private List<Kind> kinds(LeaseCheckResult r) {
        return r.violations().stream().map(LeaseCheckResult.Violation::kind).collect(Collectors.toList());
    }

    /** A holder's tenure from {@code from} to {@code to} ms: acquire, one accepted write, a renewal, release. */
    private LeaseHistory.Tenure tenure(String process, long from, long to, String leaseId, long token) {
        LeaseHistory.Holder h = history.holder(process, "lock");
        at(from);
        LeaseHistory.Tenure t = h.acquireSent(LEASE);
        at(from + 5);
        t.acknowledged(leaseId, token, LEASE);
        t.believedHeldUntil(nanos(from) + LEASE.toNanos() - nanos(500));
        at(from + 10);
        String id = process + "-" + token;
        LeaseHistory.GuardedWrite w = t.guardedWriteSent(id);
        at(from + 20);
        w.accepted();
        store.add(id);
        at(from + 30);
        t.renewSent();
        at(from + 35);
        t.renewOk(token);
        t.believedHeldUntil(nanos(from + 30) + LEASE.toNanos() - nanos(500));
        at(to);
        t.releaseSent();
        at(to + 5);
        t.releaseDone();
        return t;
    }

    private void finalAcquire(long sentAt, Long ackAt, long token) {
        at(sentAt);
        LeaseHistory.Tenure t = history.holder("last", "lock").finalAcquireSent(LEASE);
        if (ackAt != null) {
            at(ackAt);
            t.acknowledged("final-lease", token, LEASE);
        }
    }

    @Test
    void takingTurnsPasses() {
        long token = 1;
        for (int round = 0; round < 3; round++) {
            for (String p : List.of("p1", "p2", "p3")) {
                long from = (round * 3 + List.of("p1", "p2", "p3").indexOf(p)) * 1000L;
                tenure(p, from, from + 900, "lease-" + token, token++);
            }
        }
        finalAcquire(9_000, 9_010L, token);
        LeaseCheckResult r = check();
        assertTrue(r.isOk(), r::report);
        assertTrue(r.notes().isEmpty(), r::report);
        assertTrue(r.report().startsWith("lease history OK: 10 tenures, 9 guarded writes"), r::report);
    }

    @Test
    void aPausedHolderIsFencedAndTheNextOneWaitsForExpiry() {
        // p1 acquires, then pauses past its lease (it stops believing at its deadline); p2 waits for
        // the expiry, takes over with a larger token; p1 wakes up and its write is refused as stale.
        LeaseHistory.Holder p1 = history.holder("p1", "lock");
        at(0);
        LeaseHistory.Tenure t1 = p1.acquireSent(LEASE);
        at(5);
        t1.acknowledged("lease-a", 1L, LEASE);
        LeaseHistory.GuardedWrite w1 = t1.guardedWriteSent("w1");
        at(10);
        w1.accepted();
        store.add("w1");
        LeaseHistory.Holder p2 = history.holder("p2", "lock");
        at(3_000);
        p2.acquireSent(LEASE).refused();
        at(10_100);
        LeaseHistory.Tenure t2 = p2.acquireSent(LEASE);
        at(10_110);
        t2.acknowledged("lease-b", 2L, LEASE);
        LeaseHistory.GuardedWrite w2 = t2.guardedWriteSent("w2");
        at(10_120);
        w2.accepted();
        store.add("w2");
        at(12_000);
        t1.lossReported();
        LeaseHistory.GuardedWrite late = t1.guardedWriteSent("w3");
        at(12_010);
        late.refusedAsStale();
        p1.stopped();
        at(13_000);
        t2.releaseSent();
        at(13_010);
        t2.releaseDone();
        p2.stopped();
        finalAcquire(13_020, 13_030L, 3);
        LeaseCheckResult r = check();
        assertTrue(r.isOk(), r::report);
    }

    @Test
    void overlappingHoldersAreCaught() {
        LeaseHistory.Tenure t1 = history.holder("p1", "lock").acquireSent(LEASE);
        at(5);
        t1.acknowledged("lease-a", 1L, LEASE);
        t1.believedHeldUntil(nanos(9_500));
        at(4_000);
        LeaseHistory.Tenure t2 = history.holder("p2", "lock").acquireSent(LEASE);
        at(4_005);
        t2.acknowledged("lease-b", 2L, LEASE);
        LeaseCheckResult r = check();
        assertEquals(List.of(Kind.OVERLAPPING_HOLDERS), kinds(r));
        assertTrue(r.violations().get(0).message().contains("tenure #2 of p2 was acknowledged while tenure #1 of p1 was still believed held"),
                r::report);
        assertTrue(r.violations().get(0).events().stream().anyMatch(e -> e.type() == LeaseEvent.Type.BELIEVED_HELD_UNTIL));
    }

    @Test
    void theDerivedDeadlineCountsFromTheSendTime() {
        // No deadline recorded: p1's lease runs from its acquire's send time (0) plus 10 s.
        at(0);
        LeaseHistory.Tenure t1 = history.holder("p1", "lock").acquireSent(LEASE);
        at(2_000);
        t1.acknowledged("lease-a", 1L, LEASE);
        at(10_001);
        LeaseHistory.Tenure t2 = history.holder("p2", "lock").acquireSent(LEASE);
        at(10_002);
        t2.acknowledged("lease-b", 2L, LEASE);
        assertTrue(check().isOk());
        at(9_999);
        LeaseHistory.Tenure t3 = history.holder("p3", "lock").acquireSent(LEASE);
        t3.acknowledged("lease-c", 3L, LEASE);
        assertTrue(kinds(check()).contains(Kind.OVERLAPPING_HOLDERS));
    }

    @Test
    void tokenReuseIsCaught() {
        tenure("p1", 0, 900, "lease-a", 7);
        tenure("p2", 1_000, 1_900, "lease-b", 7);
        LeaseCheckResult r = check();
        assertEquals(List.of(Kind.TOKEN_NOT_INCREASING), kinds(r));
        assertTrue(r.violations().get(0).message().contains("reuses token 7"), r::report);
    }

    @Test
    void aNewTenureUnderTheSameLeaseIdNeedsANewToken() {
        tenure("p1", 0, 900, "lease-a", 7);
        tenure("p1", 1_000, 1_900, "lease-a", 7);
        LeaseCheckResult r = check();
        assertEquals(List.of(Kind.TOKEN_NOT_INCREASING), kinds(r));
        assertTrue(r.violations().get(0).message().endsWith("under the same lease id"), r::report);
        assertFalse(r.report().contains("lease-a"), "lease ids are secrets: only digests may show");
    }

    @Test
    void aLowerTokenAndAChangedRenewalTokenAreCaught() {
        tenure("p1", 0, 900, "lease-a", 7);
        LeaseHistory.Tenure t = tenure("p2", 1_000, 1_900, "lease-b", 5);
        at(1_950);
        t.renewOk(6L);
        LeaseCheckResult r = check();
        // and so p2's write with token 5 after p1's with 7 is a stale write accepted
        assertEquals(List.of(Kind.TOKEN_NOT_INCREASING, Kind.TOKEN_CHANGED_ON_RENEWAL, Kind.STALE_WRITE_ACCEPTED), kinds(r));
        assertTrue(r.violations().get(0).message().contains("has token 5, lower than 7"), r::report);
    }

    /** p1 (token 1) pauses; p2 (token 2) writes; p1 wakes and its stale write is accepted after p2's. */
    private LeaseHistory.Tenure staleWriteAccepted() {
        LeaseHistory.Tenure t1 = history.holder("p1", "lock").acquireSent(LEASE);
        at(5);
        t1.acknowledged("lease-a", 1L, LEASE);
        t1.believedHeldUntil(nanos(9_500));
        LeaseHistory.GuardedWrite w1 = t1.guardedWriteSent("w1");
        at(10);
        w1.accepted();
        at(10_100);
        LeaseHistory.Tenure t2 = history.holder("p2", "lock").acquireSent(LEASE);
        at(10_110);
        t2.acknowledged("lease-b", 2L, LEASE);
        LeaseHistory.GuardedWrite w2 = t2.guardedWriteSent("w2");
        at(10_120);
        w2.accepted();
        at(10_200);
        LeaseHistory.GuardedWrite w3 = t1.guardedWriteSent("w3");   // after its deadline: a paused holder
        at(10_210);
        w3.accepted();
        store.addAll(List.of("w1", "w2", "w3"));
        return t2;
    }

    @Test
    void aStaleAcceptedWriteIsCaught() {
        staleWriteAccepted();
        LeaseCheckResult r = check();
        assertEquals(List.of(Kind.STALE_WRITE_ACCEPTED), kinds(r));
        assertTrue(r.violations().get(0).message().startsWith("write w3 with token 1 was accepted after write w2 with token 2"), r::report);
    }

    @Test
    void aStaleWriteTheNewerHolderDetectedIsAllowed() {
        LeaseHistory.Tenure t2 = staleWriteAccepted();
        at(10_300);
        t2.staleWriteDetected("w3");
        assertTrue(check().isOk());
    }

    @Test
    void outcomesMustMatchTheStore() {
        LeaseHistory.Tenure t = history.holder("p1", "lock").acquireSent(LEASE);
        t.acknowledged("lease-a", 1L, LEASE);
        t.guardedWriteSent("w1").accepted();
        t.guardedWriteSent("w2").refusedAsStale();
        t.guardedWriteSent("w3").unknown();
        store.addAll(List.of("w2", "w3"));
        LeaseCheckResult r = check();
        assertEquals(List.of(Kind.REFUSED_WRITE_APPLIED, Kind.ACCEPTED_WRITE_MISSING), kinds(r));
    }

    @Test
    void aLeaseNotFreedInTimeIsStuck() {
        LeaseHistory.Holder p1 = history.holder("p1", "lock");
        LeaseHistory.Tenure t = p1.acquireSent(LEASE);
        at(5);
        t.acknowledged("lease-a", 1L, LEASE);
        at(1_000);
        p1.stopped();                                   // crashed holding it: free by 10.005 s at the latest
        finalAcquire(1_100, 14_000L, 2);                // within the 5 s margin
        assertTrue(check().isOk());
    }

    @Test
    void aFinalAcquireTooLateIsStuck() {
        LeaseHistory.Holder p1 = history.holder("p1", "lock");
        LeaseHistory.Tenure t = p1.acquireSent(LEASE);
        at(5);
        t.acknowledged("lease-a", 1L, LEASE);
        at(1_000);
        p1.stopped();
        finalAcquire(1_100, 16_000L, 2);
        LeaseCheckResult r = check();
        assertEquals(List.of(Kind.STUCK), kinds(r));
        assertTrue(r.violations().get(0).message().contains("5995.0 ms after the last lease was certainly free"), r::report);
    }

    @Test
    void aReleasedLeaseMustBeFreeAtOnceAndAFinalAcquireMustSucceed() {
        tenure("p1", 0, 900, "lease-a", 1);
        finalAcquire(1_000, 6_000L, 2);   // released at 0.905 s: 5.095 s later is over the 5 s margin
        assertEquals(List.of(Kind.STUCK), kinds(check()));
    }

    @Test
    void aFinalAcquireThatNeverSucceedsIsStuck() {
        tenure("p1", 0, 900, "lease-a", 1);
        finalAcquire(1_000, null, 0);
        LeaseCheckResult r = check();
        assertEquals(List.of(Kind.STUCK), kinds(r));
        assertEquals("the final acquire never succeeded", r.violations().get(0).message());
    }

    @Test
    void anUnknownAcquireMayHoldTheLeaseUntilItExpires() {
        LeaseHistory.Tenure t = history.holder("p1", "lock").acquireSent(LEASE);
        at(50);
        t.unknown("proposed-id");
        finalAcquire(100, 10_040L, 1);
        assertTrue(check().isOk());
    }

    @Test
    void checksThatCannotRunSaySo() {
        LeaseHistory.Tenure t = history.holder("p1", "lock").acquireSent(null);
        t.acknowledged("lease-a", null, null);
        t.guardedWriteSent("w1").accepted();
        finalAcquire(100, null, 0);
        LeaseCheckResult r = LeaseChecker.check(history);
        assertTrue(r.isOk(), r::report);
        assertEquals(3, r.notes().size(), r::report);
        assertTrue(r.report().contains("no fencing tokens recorded"), r::report);
        assertTrue(r.report().contains("no store order recorded"), r::report);
        assertTrue(r.report().contains("holds an infinite lease it never released"), r::report);
    }

    @Test
    void outcomesAreRecordedOnce() {
        LeaseHistory.Tenure t = history.holder("p1", "lock").acquireSent(LEASE);
        t.refused();
        assertThrows(IllegalStateException.class, () -> t.acknowledged("x", 1L, LEASE));
        LeaseHistory.GuardedWrite w = t.guardedWriteSent("w");
        w.accepted();
        assertThrows(IllegalStateException.class, w::unknown);
    }
}
