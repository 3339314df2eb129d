package io.leasehold.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.leasehold.core.ObjectStore;
import io.leasehold.test.FaultInjectingDriver;
import io.leasehold.test.LeaseholdExtension;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.opentest4j.AssertionFailedError;

/**
 * The README's worked example: a user's test, with the test kit, of how their code handles a write
 * whose response is lost. The same test passes on the careful ledger and fails on the naive one.
 */
@ExtendWith(LeaseholdExtension.class)
class PaymentLedgerTest {

    /** The user's test, written once against their code. */
    static void paymentsAreRecordedOnceWhenAResponseIsLost(Ledger ledger, FaultInjectingDriver faults) {
        ledger.record("alice", "p-1", 500);

        // The next write lands, but its response is lost and the read-back that would settle it fails:
        // the ledger gets OutcomeUnknownException although p-2 is in the store.
        faults.nextPut().landsButOutcomeStaysUnknown();
        ledger.record("alice", "p-2", 700);

        assertEquals(List.of("p-1 500", "p-2 700"), ledger.entries("alice"));
        assertEquals(2, faults.injected(), "the lost response and the failed read-back both happened");
    }

    @Test
    void theCarefulLedgerRecordsEachPaymentOnce(ObjectStore store, FaultInjectingDriver faults) {
        paymentsAreRecordedOnceWhenAResponseIsLost(new PaymentLedger(store), faults);
    }

    @Test
    void theSameTestCatchesTheNaiveLedger(ObjectStore store, FaultInjectingDriver faults) {
        AssertionFailedError caught = assertThrows(AssertionFailedError.class,
                () -> paymentsAreRecordedOnceWhenAResponseIsLost(new NaivePaymentLedger(store), faults));
        assertEquals(List.of("p-1 500", "p-2 700", "p-2 700"), caught.getActual().getValue(),
                "the naive ledger applied p-2 twice");
    }
}
