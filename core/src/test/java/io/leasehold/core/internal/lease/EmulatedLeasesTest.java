package io.leasehold.core.internal.lease;

import io.leasehold.spi.GetResponse;
import io.leasehold.spi.LeaseGrant;
import io.leasehold.spi.kit.LeaseRecord;
import io.leasehold.spi.LeaseDriver;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leasehold.core.DeleteOptions;
import io.leasehold.core.ErrorCode;
import io.leasehold.core.GetResult;
import io.leasehold.core.InvalidArgumentException;
import io.leasehold.core.lease.Lease;
import io.leasehold.core.LeaseHeldException;
import io.leasehold.core.LeaseLostException;
import io.leasehold.core.LeaseMismatchException;
import io.leasehold.core.lease.LeaseOptions;
import io.leasehold.core.lease.LeaseState;
import io.leasehold.core.lease.Leases;
import io.leasehold.core.NotSupportedException;
import io.leasehold.core.ObjectAlreadyExistsException;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.ObjectStoreException;
import io.leasehold.core.OutcomeUnknownException;
import io.leasehold.core.PreconditionFailedException;
import io.leasehold.core.PutMode;
import io.leasehold.core.PutOptions;
import io.leasehold.core.TransientException;
import io.leasehold.core.UpdateOptions;
import io.leasehold.driver.memory.MemoryDriver;
import io.leasehold.core.internal.lease.EmulatedStoreDriver.Fault;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The emulated lease protocol on a linearizable store (memory), with processes as separate drivers
 * on clocks the test moves: expiry by observation only, one conditional write per step, settlement
 * of lost responses, fencing of guarded writes. Exact request counts, no timing.
 */
class EmulatedLeasesTest {
    private static final Duration D15 = Duration.ofSeconds(15);
    private static final String KEY = "jobs/report";
    private static final String RECORD = EmulatedLeases.RECORD_PREFIX + KEY;

    private final MemoryDriver shared = MemoryDriver.create();
    // Clocks of the two "processes" start far apart: only their rates matter.
    private final EmulatedStoreDriver a = new EmulatedStoreDriver(shared, new AtomicLong(7_000_000_000_000L), true);
    private final EmulatedStoreDriver b = new EmulatedStoreDriver(shared, new AtomicLong(-123_456_789_000L), true);
    private final ObjectStore storeA = ObjectStore.of(a);
    private final ObjectStore storeB = ObjectStore.of(b);

    private static LeaseOptions options(String id) {
        return LeaseOptions.builder().duration(D15).proposedId(id).build();
    }

    private static String newId() {
        return UUID.randomUUID().toString();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void advance(EmulatedStoreDriver process, long millis) {
        process.nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    private String record() {
        return new String(shared.get(RECORD, io.leasehold.core.GetOptions.defaults(), true).content(), StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- the record

    @Test
    void everyStepIsOneConditionalWriteAndTheRecordHoldsOnlyTheIdsHash() {
        storeA.put(KEY, bytes("v0"));
        a.requests.clear();
        String id = newId();
        Lease lease = storeA.leases().acquire(KEY, options(id));
        assertEquals(List.of("get " + RECORD, "head " + KEY, "put " + RECORD + " CREATE"), a.requests,
                "acquire: read the record, check the object, create the record");
        assertEquals(1L, lease.fencingToken().getAsLong());
        assertFalse(record().contains(id), "the lease id is never stored");
        assertTrue(record().contains(LeaseRecord.idDigest(id)));

        a.requests.clear();
        storeA.leases().renew(lease);
        assertEquals(List.of("head " + KEY, "put " + RECORD + " UPDATE"), a.requests,
                "renew by the last writer: the object's HEAD (is it still there, who wrote it) and one If-Match write");
        a.requests.clear();
        String other = newId();
        storeA.leases().change(lease, other);
        storeA.leases().breakLease(KEY, Duration.ofSeconds(5));
        storeA.leases().release(KEY, other);
        for (String request : a.requests) {
            assertTrue(!request.startsWith("put ") || request.endsWith(" UPDATE"), "conditional: " + request);
        }
        assertTrue(record().contains("\"RELEASED\""), record());
        assertTrue(record().contains("\"generation\":1"), "a release keeps the generation: " + record());
    }

    @Test
    void aKeyTooLongForItsRecordIsRefusedBeforeAnythingIsSent() {
        String key = "k".repeat(1024 - EmulatedLeases.RECORD_PREFIX.length() + 1);
        storeA.put(key, bytes("v0"));
        a.requests.clear();
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
                () -> storeA.leases().acquire(key, options(newId())));
        assertEquals("key", e.field());
        assertEquals(List.of(), a.requests);
    }

    @Test
    void aDamagedRecordIsRefusedNotTreatedAsReleased() {
        storeA.put(KEY, bytes("v0"));
        shared.put(RECORD, bytes("{not json"), PutOptions.defaults());
        ObjectStoreException e = assertThrows(ObjectStoreException.class,
                () -> storeA.leases().acquire(KEY, options(newId())));
        assertEquals(ErrorCode.UNKNOWN, e.code());
    }

    // ---------------------------------------------------------------- expiry by observation

    @Test
    void anotherProcessTakesOverOnlyAfterWatchingTheSameRecordVersionForTheWholeDuration() {
        storeA.put(KEY, bytes("v0"));
        Lease held = storeA.leases().acquire(KEY, options(newId()));
        Leases leasesB = storeB.leases();
        LeaseHeldException first = assertThrows(LeaseHeldException.class, () -> leasesB.acquire(KEY, options(newId())));
        assertTrue(first.getMessage().contains("waitUpTo"), first.getMessage());
        assertEquals(LeaseState.LEASED, leasesB.status(KEY).state());

        advance(b, 14_999);
        assertThrows(LeaseHeldException.class, () -> leasesB.acquire(KEY, options(newId())));
        advance(a, 10_000); // the holder's own clock does not matter to B
        advance(b, 1);
        assertEquals(LeaseState.EXPIRED, leasesB.status(KEY).state());
        Lease taken = leasesB.acquire(KEY, options(newId()));
        assertEquals(2L, taken.fencingToken().getAsLong());

        assertThrows(LeaseMismatchException.class, () -> storeA.leases().renew(held));
        assertThrows(LeaseMismatchException.class,
                () -> storeA.put(KEY, bytes("late"), PutOptions.builder().leaseId(held.id()).build()));
    }

    @Test
    void aRenewalRestartsEveryObserversCount() {
        storeA.put(KEY, bytes("v0"));
        Lease held = storeA.leases().acquire(KEY, options(newId()));
        Leases leasesB = storeB.leases();
        assertThrows(LeaseHeldException.class, () -> leasesB.acquire(KEY, options(newId())));
        advance(b, 10_000);
        storeA.leases().renew(held); // a new record version
        advance(b, 5_001);
        assertThrows(LeaseHeldException.class, () -> leasesB.acquire(KEY, options(newId())),
                "15 s since B first saw the lease, but B sees the renewed version only now");
        advance(b, 14_999);
        assertThrows(LeaseHeldException.class, () -> leasesB.acquire(KEY, options(newId())));
        advance(b, 1);
        assertEquals(2L, leasesB.acquire(KEY, options(newId())).fencingToken().getAsLong());
    }

    @Test
    void aBreakPeriodCountsFromEachObserversFirstSightOfTheBreakingRecord() {
        storeA.put(KEY, bytes("v0"));
        Lease held = storeA.leases().acquire(KEY, options(newId()));
        Duration remaining = storeB.leases().breakLease(KEY, Duration.ofSeconds(10));
        assertEquals(Duration.ofSeconds(10), remaining);
        assertEquals(LeaseState.BREAKING, storeA.leases().status(KEY).state());
        assertThrows(LeaseLostException.class, () -> storeA.leases().renew(held));
        storeA.put(KEY, bytes("holder still writes"), PutOptions.builder().leaseId(held.id()).build());
        advance(b, 9_999);
        assertThrows(LeaseHeldException.class, () -> storeB.leases().acquire(KEY, options(newId())));
        advance(b, 1);
        assertEquals(LeaseState.BROKEN, storeB.leases().status(KEY).state());
        assertEquals(LeaseState.BREAKING, storeA.leases().status(KEY).state(),
                "A's clock has not moved since A first saw the breaking record: for A the break still runs");
        Lease next = storeB.leases().acquire(KEY, options(newId()));
        assertEquals(2L, next.fencingToken().getAsLong());
    }

    @Test
    void fencingTokensKeepIncreasingAcrossReleasesAndDeletion() {
        storeA.put(KEY, bytes("v0"));
        Leases leases = storeA.leases();
        Lease first = leases.acquire(KEY, options(newId()));
        leases.release(first);
        Lease second = leases.acquire(KEY, options(newId()));
        assertEquals(List.of(1L, 2L), List.of(first.fencingToken().getAsLong(), second.fencingToken().getAsLong()));
        storeA.delete(KEY, DeleteOptions.builder().leaseId(second.id()).build());
        storeA.put(KEY, bytes("again"));
        assertEquals(LeaseState.LEASED, leases.status(KEY).state(), "the record outlives the object");
        leases.release(second);
        assertEquals(3L, leases.acquire(KEY, options(newId())).fencingToken().getAsLong());
    }

    // ---------------------------------------------------------------- lost responses

    @Test
    void anAcquireWhoseResponseWasLostIsFoundByItsNonce() {
        storeA.put(KEY, bytes("v0"));
        a.failRecordWrites(Fault.LANDS_RESPONSE_LOST);
        LeaseGrant lease = ((LeaseService) storeA.leases()).leaseDriver().acquire(KEY, D15, newId());
        assertEquals(1L, lease.fencingToken().getAsLong());
        assertEquals(1L, a.recordWrites(), "settled by one read, not written again");
        assertEquals(LeaseState.LEASED, storeA.leases().status(KEY).state());
    }

    @Test
    void anInfiniteAcquireWhoseAnswerWasLostAndWhoseReadsFailEndsUnknownWithItsId() {
        // Issue 16, item 1: never "did not apply" for a step that may have applied, and the id chosen
        // before sending is carried so the caller can release the lease it may hold.
        storeA.put(KEY, bytes("v0"));
        a.failRecordWrites(Fault.LANDS_RESPONSE_LOST_THEN_READS_THROTTLED);
        OutcomeUnknownException unknown = assertThrows(OutcomeUnknownException.class,
                () -> storeA.leases().acquire(KEY, LeaseOptions.infinite()));
        String id = unknown.leaseId().orElseThrow(() -> new AssertionError("the exception must carry the lease id"));
        assertFalse(unknown.getMessage().contains(id), unknown.getMessage());
        a.throttleRecordReads(0);
        assertEquals(LeaseState.LEASED, storeA.leases().status(KEY).state(), "it landed");
        storeA.leases().release(KEY, id);
        assertEquals(LeaseState.AVAILABLE, storeA.leases().status(KEY).state());
    }

    @Test
    void aWriteThatDidNotLandIsSentAgainOnTheSameCondition() {
        storeA.put(KEY, bytes("v0"));
        String id = newId();
        storeA.leases().acquire(KEY, options(id));
        a.failRecordWrites(Fault.LOST_BEFORE_LANDING);
        a.requests.clear();
        ((LeaseService) storeA.leases()).leaseDriver().release(KEY, id);
        assertEquals(List.of("put " + RECORD + " UPDATE", "get " + RECORD, "get " + RECORD, "put " + RECORD + " UPDATE"),
                a.requests, "the engine settles at once (the base is still current: not landed), then reads and decides again");
        assertEquals(LeaseState.AVAILABLE, storeA.leases().status(KEY).state());
    }

    @Test
    void aLostResponseFollowedBySomeoneElsesLibraryWriteIsFoundInItsHistory() {
        storeA.put(KEY, bytes("v0"));
        a.intruder(() -> storeB.leases().breakLease(KEY, Duration.ZERO));
        a.failRecordWrites(Fault.LANDS_THEN_OVERWRITTEN_RESPONSE_LOST);
        String id = newId();
        LeaseGrant won = ((LeaseService) storeA.leases()).leaseDriver().acquire(KEY, D15, id);
        assertEquals(1L, won.fencingToken().getAsLong(), "the break names the acquire in its history: it landed");
        assertEquals(1L, a.recordWrites(), "never re-sent");
        assertThrows(LeaseLostException.class, () -> storeA.leases().renew(KEY, id), "and it was broken since");
    }

    @Test
    void aLostResponseFollowedByAForeignOverwriteOfTheRecordIsOutcomeUnknown() {
        storeA.put(KEY, bytes("v0"));
        a.intruder(() -> shared.put(RECORD, bytes("{\"format\":1,\"state\":\"RELEASED\",\"generation\":7,\"nonce\":\"x\"}"),
                PutOptions.defaults()));
        a.failRecordWrites(Fault.LANDS_THEN_OVERWRITTEN_RESPONSE_LOST);
        LeaseDriver leasesA = ((LeaseService) storeA.leases()).leaseDriver();
        OutcomeUnknownException e = assertThrows(OutcomeUnknownException.class, () -> leasesA.acquire(KEY, D15, newId()));
        assertTrue(e.writeId().isPresent(), "names the record write it could not settle");
        assertEquals(1L, a.recordWrites(), "never re-sent blindly");
    }

    @Test
    void aFailureKnownNotToHaveLandedIsRetriedWithinTheStep() {
        storeA.put(KEY, bytes("v0"));
        a.failRecordWrites(Fault.TRANSIENT_BEFORE_LANDING);
        assertEquals(1L, ((LeaseService) storeA.leases()).leaseDriver().acquire(KEY, D15, newId())
                .fencingToken().getAsLong());
        assertEquals(2L, a.recordWrites(), "the 503 said it did not apply: sent once more on the same condition");
    }

    @Test
    void aRecordWriteAnsweredWithoutAnETagIsReadBackOnceAndTheNextStepStartsFromIt() {
        storeA.put(KEY, bytes("v0"));
        a.failRecordWrites(Fault.LANDS_WITHOUT_VERSION);
        a.requests.clear();
        Lease lease = storeA.leases().acquire(KEY, options(newId()));
        assertEquals(List.of("get " + RECORD, "head " + KEY, "put " + RECORD + " CREATE", "head " + RECORD), a.requests,
                "the engine reads the write id back to learn the version it made");
        a.requests.clear();
        storeA.leases().renew(lease);
        assertEquals(List.of("head " + KEY, "put " + RECORD + " UPDATE"), a.requests);
    }

    // ---------------------------------------------------------------- guarded writes

    @Test
    void guardedWritesAreConditionalCarryTheTokenAndNeverTheLeaseId() {
        storeA.put(KEY, bytes("v0"));
        Lease lease = storeA.leases().acquire(KEY, options(newId()));
        a.requests.clear();
        storeA.put(KEY, bytes("v1"), PutOptions.builder().leaseId(lease.id()).build());
        assertEquals(List.of("get " + RECORD, "head " + KEY, "put " + KEY + " UPDATE"), a.requests);
        GetResponse written = shared.get(KEY, io.leasehold.core.GetOptions.defaults(), false);
        assertTrue(written.info().userMetadata().get(EmulatedLeases.FENCING_TOKEN_METADATA).matches("1\\.[0-9a-f]{8}"),
                "the object carries the token (and tenure) of the lease it was written under");
        assertFalse(storeA.head(KEY).info().userMetadata().containsKey(EmulatedLeases.FENCING_TOKEN_METADATA),
                "library bookkeeping, hidden from callers");
        assertArrayEquals(bytes("v1"), storeA.get(KEY, io.leasehold.core.GetOptions.builder().leaseId(lease.id()).build()).content());
        assertThrows(ObjectAlreadyExistsException.class, () -> storeA.put(KEY, bytes("x"),
                PutOptions.builder().mode(PutMode.create()).leaseId(lease.id()).build()));
        a.requests.clear();
        storeA.delete(KEY, DeleteOptions.builder().leaseId(lease.id()).build());
        assertEquals(List.of("get " + RECORD, "head " + KEY, "delete " + KEY + " IF-MATCH"), a.requests);
        assertThrows(LeaseLostException.class,
                () -> storeA.put(KEY, bytes("x"), PutOptions.builder().leaseId(lease.id()).build()),
                "a lease lives only as long as its object");
        List<String> withId = a.requests.stream().filter(r -> r.contains("LEASE-ID")).collect(Collectors.toList());
        assertEquals(List.of(), withId, "the lease id never reaches the store");
    }

    @Test
    void aStaleHoldersPreparedWriteNeverOverwritesTheNewerHoldersWrite() {
        storeA.put(KEY, bytes("v0"));
        Lease old = storeA.leases().acquire(KEY, options(newId()));
        // The old holder passes its checks, then pauses before sending.
        PutOptions prepared = ((EmulatedLeases) ((LeaseService) storeA.leases()).leaseDriver()).guardPut(KEY, PutOptions.builder().leaseId(old.id()).build());
        storeB.leases().breakLease(KEY, Duration.ZERO);
        Lease next = storeB.leases().acquire(KEY, options(newId()));
        storeB.put(KEY, bytes("newer"), PutOptions.builder().leaseId(next.id()).build());

        assertThrows(PreconditionFailedException.class, () -> a.put(KEY, bytes("stale"), prepared));
        assertThrows(LeaseMismatchException.class,
                () -> storeA.put(KEY, bytes("stale"), PutOptions.builder().leaseId(old.id()).build()));
        assertArrayEquals(bytes("newer"), storeB.get(KEY).content());
    }

    @Test
    void anObjectWrittenUnderANewerLeaseRefusesAnOlderLeasesWrite() {
        storeA.put(KEY, bytes("v0"));
        Lease lease = storeA.leases().acquire(KEY, options(newId()));
        // As if a newer lease (token 2) had written after this holder's record check passed.
        shared.put(KEY, bytes("newer"), PutOptions.builder().metadata(EmulatedLeases.FENCING_TOKEN_METADATA, "2").build());
        LeaseLostException e = assertThrows(LeaseLostException.class,
                () -> storeA.put(KEY, bytes("stale"), PutOptions.builder().leaseId(lease.id()).build()));
        assertTrue(e.getMessage().contains("fencing token 2"), e.getMessage());
        assertArrayEquals(bytes("newer"), storeA.get(KEY).content());
    }

    @Test
    void aWriteWithoutTheLeaseLandsButTheHoldersNextOverwriteNoticesIt() {
        storeA.put(KEY, bytes("v0"));
        Lease lease = storeA.leases().acquire(KEY, options(newId()));
        storeB.put(KEY, bytes("intruder")); // advisory: the store cannot refuse it
        assertThrows(PreconditionFailedException.class,
                () -> storeA.put(KEY, bytes("mine"), PutOptions.builder().leaseId(lease.id()).build()));
        assertArrayEquals(bytes("intruder"), storeA.get(KEY).content());
        GetResult seen = storeA.get(KEY);
        storeA.put(KEY, bytes("merged"), PutOptions.builder().mode(PutMode.update(seen.info().version()))
                .leaseId(lease.id()).build());
        storeA.put(KEY, bytes("next"), PutOptions.builder().leaseId(lease.id()).build());
        assertArrayEquals(bytes("next"), storeA.get(KEY).content());
    }

    @Test
    void updateRunsUnderAnEmulatedLease() {
        storeA.put(KEY, bytes("1"));
        Lease lease = storeA.leases().acquire(KEY, options(newId()));
        storeA.update(KEY, c -> bytes(Integer.toString(Integer.parseInt(new String(c, StandardCharsets.UTF_8)) + 1)),
                UpdateOptions.builder().leaseId(lease.id()).build());
        assertArrayEquals(bytes("2"), storeA.get(KEY).content());
        assertThrows(LeaseMismatchException.class, () -> storeA.update(KEY, c -> c,
                UpdateOptions.builder().leaseId(newId()).build()));
    }

    @Test
    void aGuardedDeleteWithoutAtomicConditionalDeleteIsRefusedBeforeSending() {
        EmulatedStoreDriver rgwLike = new EmulatedStoreDriver(shared, new AtomicLong(), false);
        ObjectStore store = ObjectStore.of(rgwLike);
        store.put(KEY, bytes("v0"));
        Lease lease = store.leases().acquire(KEY, options(newId()));
        rgwLike.requests.clear();
        assertThrows(NotSupportedException.class,
                () -> store.delete(KEY, DeleteOptions.builder().leaseId(lease.id()).build()));
        assertEquals(List.of(), rgwLike.requests);
        assertInstanceOf(GetResult.class, store.head(KEY));
    }
}
