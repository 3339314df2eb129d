package io.leasehold.tck.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leasehold.core.ErrorCode;
import io.leasehold.core.ObjectStoreException;
import io.leasehold.core.OutcomeUnknownException;
import io.leasehold.core.PreconditionFailedException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link WriteAudit} on hand-made wire records: each kind of violation is found and counted exactly. */
class WriteAuditTest {
    private final List<WireRecord> records = new ArrayList<>();
    private long seq;

    /** A whole-object PUT on /b/k with a write id, landed (2xx) or not. */
    private void put(String writeId, int upstreamStatus) {
        records.add(WireRecord.builder().sequence(++seq).request("PUT", "/b/k", null, true)
                .writeId(writeId).body(WriteEvidence.sha256Hex(writeId.getBytes(StandardCharsets.UTF_8)), 1)
                .upstream(upstreamStatus, null).delivered(WireRecord.Delivery.RELAYED, upstreamStatus).build());
    }

    private WriteAudit audit() {
        return WriteAudit.of(records, r -> r.path().equals("/b/k"));
    }

    @Test
    void cleanWhenEveryAcknowledgedCallLandedOnceAndFailuresDidNot() {
        put("a1", 200);
        put("b1", 412);
        put("c1", 200);
        AuditReport report = audit()
                .call("a", CallOutcome.acknowledged(), WriteEvidence.writeIds(Set.of("a1")))
                .call("b", CallOutcome.of(new PreconditionFailedException("k", "lost", null)), WriteEvidence.writeIds(Set.of("b1")))
                .call("c", CallOutcome.of(new OutcomeUnknownException("k", "lost response", null)),
                        WriteEvidence.writeIds(Set.of("c1")))
                .report("clean");
        assertTrue(report.isClean(), report.summary());
        assertEquals(3, report.calls());
        assertEquals(1, report.outcomes(CallOutcome.Kind.OUTCOME_UNKNOWN));
        assertEquals(1, report.unknownLanded());
        assertEquals(1, report.failuresByCode().get(ErrorCode.PRECONDITION_FAILED));
        assertEquals(2, report.writesLanded());
        assertEquals(3, report.writesForwarded());
    }

    @Test
    void findsDoubledLostFailedButLandedUnattributedAndUnclassified() {
        put("a1", 200);
        put("a2", 200); // call a landed twice
        put("b1", 412); // acknowledged b never landed
        put("c1", 200); // c failed definitively but landed
        put("x1", 200); // nobody's
        put("d1", 200);
        AuditReport report = audit()
                .call("a", CallOutcome.acknowledged(), WriteEvidence.writeIds(Set.of("a1", "a2")))
                .call("b", CallOutcome.acknowledged(), WriteEvidence.writeIds(Set.of("b1")))
                .call("c", CallOutcome.of(new PreconditionFailedException("k", "lost", null)), WriteEvidence.writeIds(Set.of("c1")))
                .call("d", CallOutcome.of(new ObjectStoreException(ErrorCode.UNKNOWN, "k", "?", null)),
                        WriteEvidence.writeIds(Set.of("d1")))
                .report("broken");
        assertFalse(report.isClean());
        assertEquals(1, report.doubled());
        assertEquals(1, report.doubledAcknowledged());
        assertEquals(1, report.acknowledgedNotLanded());
        assertEquals(1, report.failedButLanded());
        assertEquals(1, report.unattributed());
        assertEquals(1, report.unclassified());
        assertEquals(5, report.violations().size(), report.summary());
        assertTrue(report.summary().contains("1 calls landed more than once (1 of them acknowledged)"), report.summary());
    }

    @Test
    void sharedWritesLetACoalescedBatchClaimOneWriteForEachOfItsCallsAndStillCheckEachCall() {
        put("w1", 200); // one batch write carrying the changes of a and b
        put("w2", 200); // c's first write landed, and so did its second: doubled
        put("w3", 200);
        AuditReport report = audit().sharedWrites()
                .call("a", CallOutcome.acknowledged(), WriteEvidence.writeIds(Set.of("w1")))
                .call("b", CallOutcome.of(new OutcomeUnknownException("k", "lost response", null)),
                        WriteEvidence.writeIds(Set.of("w1")))
                .call("c", CallOutcome.acknowledged(), WriteEvidence.writeIds(Set.of("w2", "w3")))
                .report("coalesced");
        assertEquals(0, report.ambiguous(), report.summary());
        assertEquals(1, report.unknownLanded());
        assertEquals(1, report.doubled());
        assertEquals(1, report.violations().size(), report.summary());
        AuditReport strict = audit()
                .call("a", CallOutcome.acknowledged(), WriteEvidence.writeIds(Set.of("w1")))
                .call("b", CallOutcome.acknowledged(), WriteEvidence.writeIds(Set.of("w1")))
                .call("c", CallOutcome.acknowledged(), WriteEvidence.writeIds(Set.of("w2")))
                .call("d", CallOutcome.acknowledged(), WriteEvidence.writeIds(Set.of("w3")))
                .report("not shared");
        assertEquals(1, strict.ambiguous(), "by default a write claimed twice is a violation");
    }

    @Test
    void recognisesWritesByBodyHashAndMetadataTagAndFlagsDoubleClaims() {
        records.add(WireRecord.builder().sequence(1).request("PUT", "/b/k", null, true)
                .body(WriteEvidence.sha256Hex("body-1".getBytes(StandardCharsets.UTF_8)), 6).metadata("call", "t1")
                .upstream(200, null).delivered(WireRecord.Delivery.RELAYED, 200).build());
        AuditReport report = audit()
                .call("byBody", CallOutcome.acknowledged(), WriteEvidence.bodies(List.of("body-1".getBytes(StandardCharsets.UTF_8))))
                .call("byTag", CallOutcome.acknowledged(), WriteEvidence.metadata("CALL", "t1"))
                .report("claims");
        assertEquals(1, report.ambiguous(), report.summary());
        assertEquals(0, report.acknowledgedNotLanded());
    }

    @Test
    void aWriteTheProxyCouldNotSeeLandIsAViolation() {
        put("a1", WireRecord.NO_ANSWER);
        AuditReport report = audit()
                .call("a", CallOutcome.of(new OutcomeUnknownException("k", "reset", null)), WriteEvidence.writeIds(Set.of("a1")))
                .report("uncertain");
        assertEquals(1, report.uncertain());
        assertFalse(report.isClean());
    }

    @Test
    void recordsOutOfScopeAndNonObjectWritesAreIgnored() {
        records.add(WireRecord.builder().sequence(1).request("PUT", "/b/other", null, true).writeId("z")
                .upstream(200, null).build());
        records.add(WireRecord.builder().sequence(2).request("PUT", "/b/k", "comp=lease", false).upstream(200, null).build());
        AuditReport report = audit().report("scope");
        assertTrue(report.isClean(), report.summary());
        assertEquals(0, report.writesLanded());
    }
}
