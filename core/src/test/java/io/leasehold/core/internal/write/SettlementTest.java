package io.leasehold.core.internal.write;

import io.leasehold.core.ETag;
import io.leasehold.core.ObjectInfo;
import io.leasehold.core.ObjectVersion;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.leasehold.core.internal.write.Settlement.Current;
import io.leasehold.core.internal.write.Settlement.SentWrite;
import io.leasehold.core.internal.write.Settlement.Verdict;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each evidence rule of {@link Settlement}, on stores with unique and with content-hash ETags. */
class SettlementTest {
    private static final String BASE = "00000000000000b0";
    private static final String MINE = "00000000000000a1";
    private static final String OTHER = "00000000000000c2";

    private static Current current(String etag, String writeId, String history) {
        Map<String, String> meta = new LinkedHashMap<>();
        if (writeId != null) {
            meta.put("leasehold_w", writeId);
        }
        if (history != null) {
            meta.put("leasehold_h", history);
        }
        return Current.of(new ObjectInfo("k", ObjectVersion.of(ETag.strong(etag), null), 1, Instant.EPOCH, null, meta));
    }

    private static SentWrite onBase(String writeId) {
        return SentWrite.onBase(writeId, ETag.strong("eb"), BASE);
    }

    @Test
    void foundAsCurrentOrInTheHistoryItLanded() {
        for (boolean unique : new boolean[] {true, false}) {
            assertEquals(Verdict.LANDED, Settlement.ofPut(onBase(MINE), current("e1", MINE, BASE), unique));
            assertEquals(Verdict.SUPERSEDED, Settlement.ofPut(onBase(MINE), current("e2", OTHER, MINE + " " + BASE), unique));
            assertEquals(Verdict.LANDED, Settlement.ofPut(SentWrite.unconditioned(MINE), current("e1", MINE, "-"), unique));
        }
    }

    @Test
    void theBaseStillCurrentByItsWriteIdProvesItDidNotLandOnEveryStore() {
        for (boolean unique : new boolean[] {true, false}) {
            assertEquals(Verdict.NOT_LANDED, Settlement.ofPut(onBase(MINE), current("eb", BASE, "-"), unique));
        }
    }

    @Test
    void anETagEqualToTheBasesProvesSomethingOnlyWhereETagsAreUniquePerWrite() {
        Current sameBytesOtherWrite = current("eb", OTHER, "");
        assertEquals(Verdict.NOT_LANDED, Settlement.ofPut(onBase(MINE), sameBytesOtherWrite, true));
        assertEquals(Verdict.UNKNOWN, Settlement.ofPut(onBase(MINE), sameBytesOtherWrite, false), "A->B->A on S3");
    }

    @Test
    void anotherSuccessorOfTheBaseProvesItOnlyWhereIfMatchPinsOneVersion() {
        Current successorIsOther = current("e3", OTHER, BASE + " -");
        assertEquals(Verdict.NOT_LANDED, Settlement.ofPut(onBase(MINE), successorIsOther, true));
        assertEquals(Verdict.UNKNOWN, Settlement.ofPut(onBase(MINE), successorIsOther, false),
                "with content-hash ETags an If-Match may land on a later version with the base's bytes");
        Current deeper = current("e4", "00000000000000d3", OTHER + " " + BASE);
        assertEquals(Verdict.NOT_LANDED, Settlement.ofPut(onBase(MINE), deeper, true));
    }

    @Test
    void aHistoryThatDoesNotReachTheBaseProvesNothing() {
        for (boolean unique : new boolean[] {true, false}) {
            assertEquals(Verdict.UNKNOWN, Settlement.ofPut(onBase(MINE), current("e5", OTHER, ""), unique));
            assertEquals(Verdict.UNKNOWN, Settlement.ofPut(onBase(MINE), current("e5", null, null), unique),
                    "a version written without bookkeeping");
            assertEquals(Verdict.UNKNOWN, Settlement.ofPut(onBase(MINE), Current.ABSENT, unique));
        }
    }

    @Test
    void aCreateIsOnlyEverFoundNeverProvenAbsent() {
        for (boolean unique : new boolean[] {true, false}) {
            assertEquals(Verdict.UNKNOWN, Settlement.ofPut(SentWrite.unconditioned(MINE), Current.ABSENT, unique),
                    "absent again: it may have landed and been deleted");
            assertEquals(Verdict.UNKNOWN, Settlement.ofPut(SentWrite.unconditioned(MINE), current("e1", OTHER, "-"), unique));
        }
    }

    @Test
    void aConditionalDeleteIsProvenNotAppliedWhileItsBaseLivesOn() {
        SentWrite delete = SentWrite.deleteOf(ETag.strong("eb"), BASE);
        for (boolean unique : new boolean[] {true, false}) {
            assertEquals(Verdict.NOT_LANDED, Settlement.ofDelete(delete, current("eb", BASE, ""), unique));
            assertEquals(Verdict.UNKNOWN, Settlement.ofDelete(delete, Current.ABSENT, unique));
        }
        assertEquals(Verdict.NOT_LANDED, Settlement.ofDelete(delete, current("e6", OTHER, BASE), true),
                "the base had a successor: it was not deleted");
        assertEquals(Verdict.UNKNOWN, Settlement.ofDelete(delete, current("e6", OTHER, BASE), false));
    }

    @Test
    void malformedBookkeepingCountsAsAbsent() {
        assertEquals(Verdict.UNKNOWN, Settlement.ofPut(onBase(MINE), current("e7", "not-a-write-id", MINE), true));
        assertEquals(Verdict.LANDED, Settlement.ofPut(onBase(MINE), current("e7", MINE, "garbage tokens!"), false),
                "a bad history is ignored, the write id still counts");
    }
}
