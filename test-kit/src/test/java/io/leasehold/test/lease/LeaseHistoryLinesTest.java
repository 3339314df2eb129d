package io.leasehold.test.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leasehold.test.lease.LeaseCheckResult.Violation.Kind;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The line format of lease histories: a child JVM's part survives the trip, and merged parts are checked as one. */
class LeaseHistoryLinesTest {
    private final AtomicLong clock = new AtomicLong();

    private LeaseHistory part(String process, long from, long token) {
        LeaseHistory h = LeaseHistory.create(clock::get);
        clock.set(from * 1_000_000);
        LeaseHistory.Tenure t = h.holder(process, "lock").acquireSent(Duration.ofSeconds(10));
        clock.addAndGet(5_000_000);
        t.acknowledged(process + "-lease id with spaces", token, Duration.ofSeconds(10));
        LeaseHistory.GuardedWrite w = t.guardedWriteSent(process + "-w1");
        clock.addAndGet(5_000_000);
        w.refused("412 on a\nsecond line");
        clock.addAndGet(5_000_000);
        t.releaseSent();
        t.releaseDone();
        return h;
    }

    private static LeaseHistory roundTrip(LeaseHistory h) {
        StringWriter out = new StringWriter();
        h.writeTo(out);
        return LeaseHistory.read(new StringReader(out.toString()));
    }

    @Test
    void aPartReadsBackAsWritten() {
        LeaseHistory h = part("p1", 0, 1);
        h.storeOrder("lock", List.of("p1-w1"));
        LeaseHistory back = roundTrip(h);
        assertEquals(h.events().stream().map(LeaseEvent::toString).collect(Collectors.toList()),
                back.events().stream().map(LeaseEvent::toString).collect(Collectors.toList()));
        assertEquals(h.storeOrders(), back.storeOrders());
        assertThrows(IllegalArgumentException.class, () -> LeaseHistory.read(new StringReader("something else\n")));
    }

    @Test
    void mergedPartsKeepTheirTenuresApartAndAreCheckedAsOne() {
        // Two processes whose tenures overlap (both numbered #1 in their own part).
        LeaseHistory merged = LeaseHistory.merge(roundTrip(part("p1", 0, 1)), roundTrip(part("p2", 8, 2)));
        assertEquals(2, merged.events().stream().map(LeaseEvent::tenure).filter(t -> t > 0).distinct().count());
        LeaseCheckResult r = LeaseChecker.check(merged);
        assertTrue(r.violations().stream().anyMatch(v -> v.kind() == Kind.OVERLAPPING_HOLDERS), r.report());
        LeaseHistory apart = LeaseHistory.merge(roundTrip(part("p1", 0, 1)), roundTrip(part("p2", 100, 2)));
        assertTrue(LeaseChecker.check(apart).isOk(), LeaseChecker.check(apart).report());
    }
}
