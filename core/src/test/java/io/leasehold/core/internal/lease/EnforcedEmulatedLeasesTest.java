package io.leasehold.core.internal.lease;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.leasehold.core.DeleteOptions;
import io.leasehold.core.LeaseHeldException;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.PutOptions;
import io.leasehold.core.lease.Lease;
import io.leasehold.core.lease.LeaseOptions;
import io.leasehold.driver.memory.MemoryDriver;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Issue 16, item 12: with enforced leases (opt-in, {@code enforceLeases=true}) a write or delete
 * without the lease id on an emulated-lease store is refused with LEASE_HELD while another process
 * holds the lease, as on Azure, memory and file; it costs one record read per unguarded write.
 * Without the setting such writes land (advisory), as documented.
 */
class EnforcedEmulatedLeasesTest {
    private static final String KEY = "jobs/report";
    private static final String RECORD = EmulatedLeases.RECORD_PREFIX + KEY;

    private final MemoryDriver shared = MemoryDriver.create();
    private final EmulatedStoreDriver holder = new EmulatedStoreDriver(shared, new AtomicLong(), true, true);
    private final EmulatedStoreDriver other = new EmulatedStoreDriver(shared, new AtomicLong(5_000_000_000L), true, true);
    private final EmulatedStoreDriver advisory = new EmulatedStoreDriver(shared, new AtomicLong(9L), true, false);
    private final ObjectStore holderStore = ObjectStore.of(holder);
    private final ObjectStore otherStore = ObjectStore.of(other);

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void writesWithoutTheLeaseAreRefusedWhileItIsHeld() {
        holderStore.put(KEY, bytes("v0"));
        Lease lease = holderStore.leases().acquire(KEY, LeaseOptions.builder().duration(Duration.ofSeconds(15))
                .proposedId(UUID.randomUUID().toString()).build());
        other.requests.clear();
        assertThrows(LeaseHeldException.class, () -> otherStore.put(KEY, bytes("intruder")));
        assertEquals(List.of("get " + RECORD, "head " + KEY), other.requests,
                "one record read, a HEAD (a lease lives only as long as its object), and nothing written");
        assertThrows(LeaseHeldException.class, () -> otherStore.delete(KEY));
        assertThrows(LeaseHeldException.class, () -> otherStore.update(KEY, b -> bytes("x")));
        assertThrows(LeaseHeldException.class, () -> holderStore.put(KEY, bytes("the holder without its id")));
        holderStore.put(KEY, bytes("mine"), PutOptions.builder().leaseId(lease.id()).build());

        ObjectStore.of(advisory).put(KEY, bytes("advisory store")); // a store without the setting: lands
        assertArrayEquals(bytes("advisory store"), shared.get(KEY, io.leasehold.core.GetOptions.defaults(), true).content());

        holderStore.leases().release(lease);
        otherStore.put(KEY, bytes("after the release"));
        otherStore.delete(KEY, DeleteOptions.defaults());
    }

    @Test
    void aKeyThatWasNeverLeasedCostsOneRecordReadPerWrite() {
        other.requests.clear();
        otherStore.put("free", bytes("x"));
        assertEquals(List.of("get " + EmulatedLeases.RECORD_PREFIX + "free", "put free OVERWRITE"), other.requests);
    }
}
