package io.leasehold.test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leasehold.core.ErrorCode;
import io.leasehold.core.GetResult;
import io.leasehold.core.lease.Lease;
import io.leasehold.core.LeaseLostException;
import io.leasehold.core.lease.LeaseOptions;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.OutcomeUnknownException;
import io.leasehold.core.PreconditionFailedException;
import io.leasehold.core.PutMode;
import io.leasehold.core.PutOptions;
import io.leasehold.core.TransientException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Each scripted fault, seen through the facade; and the extension's per-test stores. */
@ExtendWith(LeaseholdExtension.class)
class FaultInjectingDriverTest {
    private static ObjectStore previous;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(GetResult r) {
        return new String(r.content(), StandardCharsets.UTF_8);
    }

    @BeforeEach
    void sameStoreInBeforeEachAndTest(ObjectStore store) {
        store.put("seed", bytes("s"));
    }

    @Test
    void eachTestGetsAFreshStore(ObjectStore store) {
        assertEquals("s", text(store.get("seed")), "the @BeforeEach store is the test's store");
        assertTrue(previous == null || previous != store);
        assertNotSameAsLast(store);
    }

    @Test
    void anotherTestGetsAnotherStore(ObjectStore store) {
        assertNotSameAsLast(store);
    }

    private static void assertNotSameAsLast(ObjectStore store) {
        if (previous != null) {
            assertNotSame(previous, store);
        }
        previous = store;
    }

    @Test
    void aLostResponseIsSettledByTheFacade(ObjectStore store, FaultInjectingDriver faults) {
        faults.nextPut().landsButResponseIsLost();
        store.put("k", bytes("v"), PutOptions.of(PutMode.create()));   // settled as landed: success
        assertEquals("v", text(store.get("k")));
        assertEquals(1, faults.injected());
        assertEquals(0, faults.pending());
    }

    @Test
    void anUnsettledOutcomeReachesTheCallerButTheWriteIsThere(ObjectStore store, FaultInjectingDriver faults) {
        faults.nextPut().landsButOutcomeStaysUnknown();
        assertThrows(OutcomeUnknownException.class, () -> store.put("k", bytes("v")));
        assertEquals("v", text(store.get("k")));
    }

    @Test
    void a503IsRetriedByTheFacadeUnlessItKeepsComing(ObjectStore store, FaultInjectingDriver faults) {
        store.put("k", bytes("v"));
        faults.nextGet().answers503();
        assertEquals("v", text(store.get("k")));
        faults.nextGet().forKey("k").times(3).answers503();
        TransientException e = assertThrows(TransientException.class, () -> store.get("k"));
        assertEquals(ErrorCode.THROTTLED, e.code());
        assertEquals(4, faults.injected());
    }

    @Test
    void anotherWriterRightAfterTheRead(ObjectStore store, FaultInjectingDriver faults) {
        store.put("doc", bytes("v1"));
        faults.nextGet().forKey("doc").thenAnotherWriterPuts(bytes("theirs"));
        GetResult mine = store.get("doc");
        assertEquals("v1", text(mine));
        assertThrows(PreconditionFailedException.class, () -> store.put("doc", bytes("mine"),
                PutOptions.of(PutMode.update(mine.info().version()))));
        assertEquals("theirs", text(store.get("doc")), "a conditional write never overwrites the other writer");
        // update() re-reads and applies the change on top of the other writer's.
        faults.nextGet().forKey("doc").thenAnotherWriterChanges(c -> bytes(new String(c, StandardCharsets.UTF_8) + "+x"));
        store.update("doc", c -> bytes(new String(c, StandardCharsets.UTF_8) + "+mine"));
        assertEquals("theirs+x+mine", text(store.get("doc")));
    }

    @Test
    void aLeaseBrokenUnderTheHolder(ObjectStore store, FaultInjectingDriver faults) throws Exception {
        Lease lease = store.leases().acquire("job", LeaseOptions.builder().duration(Duration.ofSeconds(15))
                .createIfAbsent(true).build());
        faults.breakLeaseIn("job", Duration.ofMillis(100));
        PutOptions guarded = PutOptions.builder().leaseId(lease.id()).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        int writes = 0;
        try {
            while (System.nanoTime() < deadline) {
                store.put("job", bytes("step " + writes++), guarded);
                Thread.sleep(20);
            }
        } catch (LeaseLostException expected) {
            assertEquals(1, faults.injected());
            return;
        }
        throw new AssertionError("the guarded writes never failed");
    }

    @Test
    void onlyRetryableOrAmbiguousCodesCanBeScripted(FaultInjectingDriver faults) {
        assertThrows(IllegalArgumentException.class, () -> faults.nextPut().fails(ErrorCode.PRECONDITION_FAILED));
        assertThrows(IllegalStateException.class, () -> faults.nextGet().landsButResponseIsLost());
        assertThrows(IllegalStateException.class, () -> faults.nextPut().thenAnotherWriterPuts(bytes("x")));
    }

    static class FileStores {
        @RegisterExtension
        static LeaseholdExtension leasehold = LeaseholdExtension.file();

        @Test
        void aFileStoreWithFaults(ObjectStore store, FaultInjectingDriver faults) {
            faults.nextPut().landsButResponseIsLost();
            store.put("k", bytes("v"));
            assertArrayEquals(bytes("v"), store.get("k").content());
            assertEquals("file", store.driverName());
        }
    }
}
