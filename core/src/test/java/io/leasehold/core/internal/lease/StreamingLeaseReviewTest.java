package io.leasehold.core.internal.lease;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.leasehold.core.lease.Lease;
import io.leasehold.core.LeaseException;
import io.leasehold.core.lease.LeaseOptions;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.PutOptions;
import io.leasehold.core.transfer.TransferOptions;
import io.leasehold.driver.memory.MemoryDriver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Review finding: a streaming put under an emulated lease is guarded once, before the upload
 * starts; a lease that passes to another holder during the upload does not stop the commit, while
 * a single put after the same hand-over is refused. Clocks moved by the test, no timing.
 */
class StreamingLeaseReviewTest {
    private static final String KEY = "jobs/model.bin";
    private static final int PART = 1024;

    private final MemoryDriver shared = MemoryDriver.create();
    private final EmulatedStoreDriver a = new EmulatedStoreDriver(shared, new AtomicLong(7_000_000_000_000L), true);
    private final EmulatedStoreDriver b = new EmulatedStoreDriver(shared, new AtomicLong(-123_456_789_000L), true);
    private final ObjectStore storeA = ObjectStore.of(a);
    private final ObjectStore storeB = ObjectStore.of(b);

    private static LeaseOptions options() {
        return LeaseOptions.builder().duration(Duration.ofSeconds(15)).proposedId(UUID.randomUUID().toString()).build();
    }

    @Test
    void aLeaseTakenOverDuringAStreamingPutStopsItsCommit() {
        storeA.put(KEY, "v0".getBytes(StandardCharsets.UTF_8));
        Lease held = storeA.leases().acquire(KEY, options());
        assertThrows(io.leasehold.core.LeaseHeldException.class, () -> storeB.leases().acquire(KEY, options()));
        byte[] body = new byte[3 * PART];
        java.util.concurrent.atomic.AtomicReference<Lease> taken = new java.util.concurrent.atomic.AtomicReference<>();
        InputStream slow = new InputStream() {
            private final InputStream in = new ByteArrayInputStream(body);
            private boolean handedOver;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                if (!handedOver && in.available() < body.length - PART) {
                    // A's lease lapses while the upload runs (a slow link); B takes the key over.
                    handedOver = true;
                    b.nanos.addAndGet(TimeUnit.SECONDS.toNanos(15));
                    taken.set(storeB.leases().acquire(KEY, options()));
                }
                return in.read(buf, off, len);
            }
        };
        TransferOptions transfer = TransferOptions.builder().partSize(PART).buffers(1).build();
        Throwable outcome = null;
        try {
            storeA.put(KEY, slow, body.length, PutOptions.builder().leaseId(held.id()).build(), transfer);
        } catch (LeaseException refused) {
            outcome = refused;
        }
        assertNotNull(taken.get(), "B took the lease over during the upload");
        assertNotNull(outcome, "A no longer holds the lease when it commits, yet its streaming put landed");
        assertArrayEquals("v0".getBytes(StandardCharsets.UTF_8), shared.get(KEY, io.leasehold.core.GetOptions.defaults(),
                true).content(), "B's key was written by a former holder");
    }

    /** The control: after the same hand-over, a single put by the former holder is refused. */
    @Test
    void aSinglePutAfterTheHandOverIsRefused() {
        storeA.put(KEY, "v0".getBytes(StandardCharsets.UTF_8));
        Lease held = storeA.leases().acquire(KEY, options());
        assertThrows(io.leasehold.core.LeaseHeldException.class, () -> storeB.leases().acquire(KEY, options()));
        b.nanos.addAndGet(TimeUnit.SECONDS.toNanos(15));
        storeB.leases().acquire(KEY, options());
        assertThrows(LeaseException.class, () -> storeA.put(KEY, "late".getBytes(StandardCharsets.UTF_8),
                PutOptions.builder().leaseId(held.id()).build()));
    }
}
