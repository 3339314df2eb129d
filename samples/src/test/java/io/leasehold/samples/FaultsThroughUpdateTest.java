package io.leasehold.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.resilience4j.retry.RetryConfig;
import io.leasehold.core.DeleteOptions;
import io.leasehold.core.ErrorCode;
import io.leasehold.core.GetResult;
import io.leasehold.core.lease.Lease;
import io.leasehold.core.LeaseLostException;
import io.leasehold.core.lease.LeaseOptions;
import io.leasehold.core.ObjectNotFoundException;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.ObjectStoreException;
import io.leasehold.core.OutcomeUnknownException;
import io.leasehold.core.PreconditionFailedException;
import io.leasehold.core.PutMode;
import io.leasehold.core.PutOptions;
import io.leasehold.core.TransientException;
import io.leasehold.core.UpdateOptions;
import io.leasehold.core.UpdateResult;
import io.leasehold.test.FaultInjectingDriver;
import io.leasehold.test.LeaseholdExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * docs/testing.md: what each scripted fault of the test kit does to a plain put or get, and what it
 * does to the same change made through {@code update}, which settles, retries or absorbs most of them.
 */
@ExtendWith(LeaseholdExtension.class)
class FaultsThroughUpdateTest {

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static UpdateResult appendOne(ObjectStore store) {
        return store.update("doc", current -> utf8(text(current) + "+1"));
    }

    @Test
    void aLostResponseIsSettledByOneRead(ObjectStore store, FaultInjectingDriver faults) {
        faults.nextPut().landsButResponseIsLost();
        store.put("doc", utf8("v1"));                       // success: reading back found the write id

        faults.nextPut().landsButResponseIsLost();
        UpdateResult updated = appendOne(store);
        assertEquals(1, updated.attempts());                // settled from one read, the function ran once
        assertEquals("v1+1", text(store.get("doc").content()));
    }

    @Test
    void anUnsettledOutcomeReachesAPutButUpdateSettlesIt(ObjectStore store, FaultInjectingDriver faults) {
        faults.nextPut().landsButOutcomeStaysUnknown();
        assertThrows(OutcomeUnknownException.class, () -> store.put("doc", utf8("v1")));
        assertEquals("v1", text(store.get("doc").content()));   // it landed all the same

        faults.nextPut().landsButOutcomeStaysUnknown();
        UpdateResult updated = appendOne(store);
        assertEquals(2, updated.attempts());                // the next attempt's read found the write id
        assertEquals("v1+1", text(store.get("doc").content()));   // applied once, not twice
    }

    @Test
    void updateReportsAnUnknownOutcomeWhenItsRetriesEndFirst(ObjectStore store, FaultInjectingDriver faults) {
        store.put("doc", utf8("v1"));
        GetResult held = store.get("doc");
        UpdateOptions threeAttempts = UpdateOptions.builder()
                .startingFrom(held)                                 // the first attempt writes without reading
                .retryConfig(RetryConfig.custom().maxAttempts(3).waitDuration(Duration.ofMillis(10)).build())
                .build();
        faults.nextPut().landsButOutcomeStaysUnknown();             // lands; its read-back fails
        faults.nextGet().forKey("doc").times(2).answers503();       // and so do the reads of attempts 2 and 3
        assertThrows(OutcomeUnknownException.class,
                () -> store.update("doc", current -> utf8(text(current) + "+1"), threeAttempts));
        assertEquals("v1+1", text(store.get("doc").content()));   // in the store: read before acting again
    }

    @Test
    void aTimeoutWithoutLandingIsResentWhenTheWriteWasConditional(ObjectStore store, FaultInjectingDriver faults) {
        faults.nextPut().timesOutWithoutLanding();
        assertThrows(OutcomeUnknownException.class, () -> store.put("doc", utf8("v1")));   // unconditional: cannot be ruled out
        faults.nextPut().timesOutWithoutLanding();
        assertThrows(OutcomeUnknownException.class, () -> store.put("doc", utf8("v1"), PutOptions.of(PutMode.create())));
        assertThrows(ObjectNotFoundException.class, () -> store.get("doc"));

        store.put("doc", utf8("v1"));
        GetResult read = store.get("doc");
        faults.nextPut().timesOutWithoutLanding();
        store.put("doc", utf8("v2"), PutOptions.of(PutMode.update(read.info().version())));   // base still current: sent again
        assertEquals("v2", text(store.get("doc").content()));

        faults.nextPut().timesOutWithoutLanding();
        UpdateResult updated = appendOne(store);
        assertEquals(2, updated.attempts());                // proven not applied: read again, applied again
        assertEquals("v2+1", text(store.get("doc").content()));
    }

    @Test
    void throttlingExhaustsAPlainCallButNotUpdate(ObjectStore store, FaultInjectingDriver faults) {
        store.put("doc", utf8("v1"));
        faults.nextGet().answers503();
        assertEquals("v1", text(store.get("doc").content()));   // one 503: retried by the store

        faults.nextGet().times(3).answers503();             // times(...) first: answers503() arms the fault
        TransientException throttled = assertThrows(TransientException.class, () -> store.get("doc"));
        assertEquals(ErrorCode.THROTTLED, throttled.code());   // three: the default retry (3 attempts) is spent

        faults.nextPut().answers503();
        store.put("doc", utf8("v1"));                       // one 503 on a put: retried too
        faults.nextPut().times(3).answers503();
        assertThrows(TransientException.class, () -> store.put("doc", utf8("v2")));

        faults.nextGet().answers503();
        assertEquals(2, appendOne(store).attempts());       // one 503 under update: one more attempt
        faults.nextPut().answers503();
        assertEquals(2, appendOne(store).attempts());
        store.put("doc", utf8("v1"));

        faults.nextGet().times(3).answers503();
        faults.nextPut().times(3).answers503();
        UpdateResult updated = appendOne(store);
        assertEquals(7, updated.attempts());                // update's own loop (up to 100 attempts) absorbs them
        assertEquals("v1+1", text(store.get("doc").content()));
    }

    @Test
    void anotherWriterAfterTheReadLosesAConditionalPutButNotAnUpdate(ObjectStore store, FaultInjectingDriver faults) {
        store.put("doc", utf8("v1"));
        faults.nextGet().forKey("doc").thenAnotherWriterPuts(utf8("theirs"));
        GetResult mine = store.get("doc");
        assertThrows(PreconditionFailedException.class,
                () -> store.put("doc", utf8("mine"), PutOptions.of(PutMode.update(mine.info().version()))));

        faults.nextGet().forKey("doc").thenAnotherWriterPuts(utf8("theirs again"));
        UpdateResult updated = appendOne(store);
        assertEquals(1, updated.conflicts());               // lost the race once, re-read, applied on top
        assertEquals("theirs again+1", text(store.get("doc").content()));
    }

    @Test
    void anUnclassifiedFailureIsRetriedNowhere(ObjectStore store, FaultInjectingDriver faults) {
        store.put("doc", utf8("v1"));
        faults.nextPut().fails(ErrorCode.UNKNOWN);
        ObjectStoreException failed = assertThrows(ObjectStoreException.class, () -> appendOne(store));
        assertEquals(ErrorCode.UNKNOWN, failed.code());
        assertEquals("v1", text(store.get("doc").content()));
    }

    @Test
    void aBrokenLeaseStopsGuardedUpdates(ObjectStore store, FaultInjectingDriver faults) throws InterruptedException {
        Lease lease = store.leases().acquire("doc", LeaseOptions.builder()
                .duration(Duration.ofSeconds(15)).createIfAbsent(true).build());
        faults.breakLeaseIn("doc", Duration.ofMillis(50));
        Thread.sleep(500);
        assertThrows(LeaseLostException.class, () -> store.update("doc", current -> utf8("mine"),
                UpdateOptions.builder().leaseId(lease.id()).build()));
    }

    @Test
    void aDeleteWhoseResponseIsLostStaysUnknown(ObjectStore store, FaultInjectingDriver faults) {
        store.put("doc", utf8("v1"));
        GetResult read = store.get("doc");
        faults.nextDelete().landsButResponseIsLost();
        assertThrows(OutcomeUnknownException.class,          // gone: this delete, or another one? even with If-Match
                () -> store.delete("doc", DeleteOptions.ifMatch(read.info().version())));
        assertThrows(ObjectNotFoundException.class, () -> store.get("doc"));

        store.put("doc", utf8("v1"));
        faults.nextDelete().landsButOutcomeStaysUnknown();
        assertThrows(OutcomeUnknownException.class, () -> store.delete("doc"));
        assertEquals(1, faults.pending());                  // no read-back was made: the failing read is still scripted
        assertThrows(ObjectStoreException.class, () -> store.get("doc"));   // and fails the next read of the key
        assertEquals(0, faults.pending());
    }
}
