package io.leasehold.aws;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leasehold.core.Capability;
import io.leasehold.core.DeleteOptions;
import io.leasehold.core.lease.Lease;
import io.leasehold.core.LeaseHeldException;
import io.leasehold.core.LeaseMismatchException;
import io.leasehold.core.lease.LeaseOptions;
import io.leasehold.core.NotSupportedException;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.PutOptions;
import io.leasehold.core.internal.lease.EmulatedLeases;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * Emulated leases on a real Ceph RGW beyond the shared contract: contenders that are separate
 * "processes" (each its own driver, so its own observations), takeover of an abandoned lease only
 * after the newcomer watched it for a full duration, the record as stored, and RGW's missing
 * conditional delete.
 */
@ExtendWith(CephRgw.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CephRgwEmulatedLeasesTest {
    private static final Duration D15 = Duration.ofSeconds(15);
    private CephRgw rgw;
    private ObjectStore store;

    @BeforeAll
    void open(CephRgw gateway) {
        rgw = gateway;
        store = newProcess();
    }

    @AfterAll
    void close() {
        if (store != null) {
            store.close();
        }
    }

    private ObjectStore newProcess() {
        return ObjectStore.of(rgw.driverBuilder().prefix("emulated-leases").build());
    }

    private static String key(String name) {
        return name + "/" + UUID.randomUUID();
    }

    private static LeaseOptions options(String id) {
        return LeaseOptions.builder().duration(D15).proposedId(id).build();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void capabilitiesSayEmulatedWithFencingAndNoGuardedDelete() {
        assertTrue(store.capabilities().supports(Capability.LEASES));
        assertTrue(store.capabilities().supports(Capability.EMULATED_LEASES));
        assertTrue(store.capabilities().supports(Capability.FENCING_TOKENS));
        assertFalse(store.capabilities().supports(Capability.NATIVE_LEASES));
        String key = key("no-guarded-delete");
        store.put(key, bytes("v0"));
        Lease lease = store.leases().acquire(key, options(UUID.randomUUID().toString()));
        assertThrows(NotSupportedException.class,
                () -> store.delete(key, DeleteOptions.builder().leaseId(lease.id()).build()),
                "RGW ignores If-Match on DeleteObject: a guarded delete cannot be fenced");
        assertArrayEquals(bytes("v0"), store.get(key).content());
        store.leases().release(lease);
    }

    @Test
    void profileAutoOffersEmulatedLeasesWhereTheProbeMeasuredAtomicConditions() {
        try (ObjectStore auto = ObjectStore.of(S3Driver.builder().bucket(CephRgw.BUCKET).prefix("emulated-leases")
                .endpoint(rgw.endpoint()).credentialsProvider(rgw.credentials()).autoProfile().build())) {
            assertTrue(auto.capabilities().supports(Capability.EMULATED_LEASES), auto.capabilities().toString());
            assertFalse(auto.capabilities().supports(Capability.DELETE_IF_MATCH), "RGW ignores If-Match on delete");
            String key = key("auto");
            auto.put(key, bytes("v0"));
            Lease lease = auto.leases().acquire(key, options(UUID.randomUUID().toString()));
            assertEquals(1L, lease.fencingToken().getAsLong());
            auto.leases().release(lease);
        }
    }

    @Test
    void theRecordHoldsNoLeaseIdAndEveryWriteHasANewETag() {
        String key = key("record");
        store.put(key, bytes("v0"));
        String id = UUID.randomUUID().toString();
        Lease lease = store.leases().acquire(key, options(id));
        try (S3Client raw = S3Client.builder().endpointOverride(rgw.endpoint()).forcePathStyle(true)
                .region(software.amazon.awssdk.regions.Region.US_EAST_1).credentialsProvider(rgw.credentials()).build()) {
            String recordKey = "emulated-leases/" + EmulatedLeases.RECORD_PREFIX + key;
            ResponseBytes<GetObjectResponse> first = raw.getObjectAsBytes(b -> b.bucket(CephRgw.BUCKET).key(recordKey));
            assertFalse(first.asUtf8String().contains(id), "the lease id is never stored");
            assertTrue(first.asUtf8String().contains("\"LEASED\""), first.asUtf8String());
            store.leases().renew(lease);
            store.leases().renew(lease);
            ResponseBytes<GetObjectResponse> third = raw.getObjectAsBytes(b -> b.bucket(CephRgw.BUCKET).key(recordKey));
            assertNotEquals(first.response().eTag(), third.response().eTag(),
                    "same lease state, new bytes (nonce): the content-hash ETag never repeats");
        }
        store.leases().release(lease);
    }

    /**
     * The pause test across processes: a holder stops renewing (it crashed or is paused); another
     * process can take over only after watching the record unchanged for the whole lease duration;
     * then the old holder's writes are refused and the newer data survives.
     *
     * @throws Exception if interrupted
     */
    @Test
    @Tag("slow")
    @Timeout(90)
    void anAbandonedLeaseIsTakenOverOnlyAfterAFullDurationOfWatching() throws Exception {
        String key = key("abandoned");
        store.put(key, bytes("v0"));
        try (ObjectStore other = newProcess()) {
            Lease abandoned = store.leases().acquire(key, options(UUID.randomUUID().toString()));
            long aSent = System.nanoTime();
            store.put(key, bytes("old holder"), PutOptions.builder().leaseId(abandoned.id()).build());
            assertThrows(LeaseHeldException.class, () -> other.leases().acquire(key, options(UUID.randomUUID().toString())),
                    "without a wait, another process cannot know the lease expired");
            long watchStart = System.nanoTime();
            Lease next = other.leases().acquire(key, options(UUID.randomUUID().toString()).toBuilder()
                    .waitUpTo(Duration.ofSeconds(40)).build());
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - watchStart);
            long sinceHolderSent = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - aSent);
            assertTrue(sinceHolderSent >= D15.toMillis(), "never before the holder's own deadline: " + sinceHolderSent);
            assertTrue(next.fencingToken().getAsLong() > abandoned.fencingToken().getAsLong());
            other.put(key, bytes("newer"), PutOptions.builder().leaseId(next.id()).build());

            assertThrows(LeaseMismatchException.class,
                    () -> store.put(key, bytes("late"), PutOptions.builder().leaseId(abandoned.id()).build()));
            assertThrows(LeaseMismatchException.class, () -> store.leases().renew(abandoned));
            assertArrayEquals(bytes("newer"), store.get(key).content());
            System.out.printf("[leases] s3 (RGW): abandoned 15 s lease taken over by another process %d ms after it"
                    + " started watching (%d ms after the holder's last acquire was sent)%n", took, sinceHolderSent);
            other.leases().release(next);
        }
    }

    /**
     * 20 contenders, each a separate driver with its own observations, race for one lease in
     * several rounds: exactly one holder per round.
     *
     * @throws Exception if interrupted
     */
    @Test
    @Timeout(180)
    void twentySeparateProcessesRaceExactlyOneHolderPerRound() throws Exception {
        String key = key("race");
        store.put(key, bytes("v0"));
        int contenders = 20;
        int rounds = 10;
        List<ObjectStore> processes = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(contenders);
        try {
            for (int i = 0; i < contenders; i++) {
                processes.add(newProcess());
            }
            for (int round = 1; round <= rounds; round++) {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Lease>> attempts = new ArrayList<>();
                for (ObjectStore p : processes) {
                    attempts.add(pool.submit(() -> {
                        start.await();
                        try {
                            return p.leases().acquire(key, options(UUID.randomUUID().toString()));
                        } catch (LeaseHeldException held) {
                            return null;
                        }
                    }));
                }
                start.countDown();
                List<Lease> winners = new ArrayList<>();
                for (Future<Lease> f : attempts) {
                    Lease won = f.get(60, TimeUnit.SECONDS);
                    if (won != null) {
                        winners.add(won);
                    }
                }
                assertEquals(1, winners.size(), "round " + round + ": " + winners);
                assertEquals(round, winners.get(0).fencingToken().getAsLong(), "one new token per round");
                store.leases().release(winners.get(0));
            }
            System.out.printf("[leases] s3 (RGW): %d rounds x %d separate drivers: exactly 1 holder per round%n",
                    rounds, contenders);
        } finally {
            pool.shutdownNow();
            processes.forEach(ObjectStore::close);
        }
    }
}
