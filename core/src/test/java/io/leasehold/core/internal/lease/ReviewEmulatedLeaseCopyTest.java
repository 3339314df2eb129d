package io.leasehold.core.internal.lease;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leasehold.core.Capabilities;
import io.leasehold.core.Capability;
import io.leasehold.core.CopyOptions;
import io.leasehold.core.GetOptions;
import io.leasehold.core.LeaseHeldException;
import io.leasehold.core.ObjectInfo;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.ObjectVersion;
import io.leasehold.core.PutMode;
import io.leasehold.core.PutOptions;
import io.leasehold.core.lease.Lease;
import io.leasehold.core.lease.LeaseOptions;
import io.leasehold.driver.memory.MemoryDriver;
import io.leasehold.spi.PutResponse;
import io.leasehold.spi.StoreDriver;
import io.leasehold.spi.kit.ForwardingStoreDriver;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Hostile review of copy and rename on emulated leases: a copy carries no lease, so on a store that
 * enforces emulated leases it is refused on a leased target before anything is written (both ways of
 * copying), a rename never deletes a leased source, and no listing shows the lease records.
 */
class ReviewEmulatedLeaseCopyTest {
    private static final String KEY = "jobs/report";

    private final MemoryDriver shared = MemoryDriver.create();

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static LeaseOptions options() {
        return LeaseOptions.builder().duration(Duration.ofSeconds(15)).proposedId(UUID.randomUUID().toString()).build();
    }

    /** One process on the shared store, enforcing or not, copying server-side (to the shared memory store) or not. */
    private StoreDriver process(long clock, boolean enforced, boolean serverSide) {
        EmulatedStoreDriver emulated = new EmulatedStoreDriver(shared, new AtomicLong(clock), true, enforced);
        Capabilities caps = serverSide ? emulated.capabilities()
                : emulated.capabilities().without(Capability.SERVER_SIDE_COPY);
        return new ForwardingStoreDriver(emulated) {
            @Override
            public Capabilities capabilities() {
                return caps;
            }

            @Override
            public PutResponse copy(String sourceKey, ObjectVersion sourceVersion, long sourceSize, String targetKey,
                                    PutOptions targetOptions) {
                return shared.copy(sourceKey, sourceVersion, sourceSize, targetKey, targetOptions);
            }

            @Override
            public io.leasehold.spi.ListResponse list(String prefix, io.leasehold.core.ListOptions options) {
                return shared.list(prefix, options);
            }
        };
    }

    private void aCopyOntoALeasedTargetIsRefused(boolean serverSide) {
        ObjectStore holder = ObjectStore.of(process(1L, true, serverSide));
        ObjectStore other = ObjectStore.of(process(5_000_000_000L, true, serverSide));
        holder.put(KEY, bytes("held"));
        Lease lease = holder.leases().acquire(KEY, options());
        other.put("src", bytes("intruder"));
        assertThrows(LeaseHeldException.class, () -> other.copy("src", KEY));
        assertThrows(LeaseHeldException.class, () -> other.copy("src", KEY, CopyOptions.of(PutMode.replace())));
        assertThrows(LeaseHeldException.class, () -> other.rename("src", KEY, CopyOptions.of(PutMode.overwrite())));
        assertArrayEquals(bytes("held"), shared.get(KEY, GetOptions.defaults(), true).content());
        assertArrayEquals(bytes("intruder"), shared.get("src", GetOptions.defaults(), true).content(),
                "a refused rename keeps its source");
        holder.leases().release(lease);
        other.copy("src", KEY);
        assertArrayEquals(bytes("intruder"), shared.get(KEY, GetOptions.defaults(), true).content());
    }

    @Test
    void anEnforcingStoreRefusesAServerSideCopyOntoALeasedTarget() {
        aCopyOntoALeasedTargetIsRefused(true);
    }

    @Test
    void anEnforcingStoreRefusesACopyThroughTheClientOntoALeasedTarget() {
        aCopyOntoALeasedTargetIsRefused(false);
    }

    @Test
    void aRenameOfALeasedSourceOnAnEnforcingStoreKeepsTheSourceAndTakesTheCopyBack() {
        ObjectStore holder = ObjectStore.of(process(1L, true, true));
        ObjectStore other = ObjectStore.of(process(5_000_000_000L, true, true));
        holder.put(KEY, bytes("held"));
        Lease lease = holder.leases().acquire(KEY, options());
        assertThrows(LeaseHeldException.class, () -> other.rename(KEY, "moved"));
        assertArrayEquals(bytes("held"), shared.get(KEY, GetOptions.defaults(), true).content());
        assertFalse(other.exists("moved"), "the copy of a refused rename is taken back");
        holder.leases().renew(lease);
    }

    @Test
    void anAdvisoryStoreLetsTheCopyLandAndTheHoldersLeaseSurvives() {
        ObjectStore holder = ObjectStore.of(process(1L, false, true));
        ObjectStore other = ObjectStore.of(process(5_000_000_000L, false, true));
        holder.put(KEY, bytes("held"));
        Lease lease = holder.leases().acquire(KEY, options());
        other.put("src", bytes("copied"));
        other.copy("src", KEY);
        assertArrayEquals(bytes("copied"), shared.get(KEY, GetOptions.defaults(), true).content());
        holder.leases().renew(lease);
    }

    @Test
    void listingsNeverShowLeaseRecords() {
        ObjectStore holder = ObjectStore.of(process(1L, true, true));
        holder.put(KEY, bytes("held"));
        holder.put("team/x", bytes("x"));
        holder.leases().acquire(KEY, options());
        assertTrue(shared.list("", io.leasehold.core.ListOptions.defaults()).objects().stream()
                .anyMatch(i -> i.key().startsWith(EmulatedLeases.RECORD_PREFIX)), "the record exists");
        List<String> keys = holder.list("").map(ObjectInfo::key).collect(Collectors.toList());
        assertEquals(List.of(KEY, "team/x"), keys);
        assertEquals(List.of("jobs/", "team/"), holder.listPage("", io.leasehold.core.ListOptions.builder()
                .delimiter("/").build()).commonPrefixes());
        assertEquals(List.of(), holder.listPage("", io.leasehold.core.ListOptions.builder()
                .delimiter(".").build()).commonPrefixes(), "'.' holds only records");
    }
}
