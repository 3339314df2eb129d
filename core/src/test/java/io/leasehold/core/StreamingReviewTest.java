package io.leasehold.core;

import io.leasehold.spi.GetResponse;
import io.leasehold.spi.PutResponse;
import io.leasehold.core.transfer.TransferOptions;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leasehold.driver.memory.MemoryDriver;
import io.leasehold.spi.StagedUpload;
import io.leasehold.spi.StoreDriver;
import io.leasehold.spi.UploadLimits;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Review findings on streaming puts: each test demonstrates a defect (it fails before the fix).
 * Exact outcomes, no timing.
 */
class StreamingReviewTest {
    private static final int PART = 1024;

    private static byte[] content(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        return b;
    }

    private static TransferOptions transfer(int buffers) {
        return TransferOptions.builder().partSize(PART).buffers(buffers).build();
    }

    /**
     * A declared length of more than one part with a stream of exactly one part must fail "invalid
     * argument" and write nothing; it committed the one part as the whole object.
     */
    @Test
    void aStreamOfExactlyOnePartShorterThanItsDeclaredLengthWritesNothing() {
        try (ObjectStore store = ObjectStore.of(MemoryDriver.create())) {
            byte[] onePart = content(PART);
            InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> store.put("k",
                    new ByteArrayInputStream(onePart), PART + 1L, PutOptions.defaults(), transfer(2)));
            assertEquals("length", e.field());
            assertThrows(ObjectNotFoundException.class, () -> store.head("k"), "nothing became visible");
        }
    }

    /** A memory store whose uploads are observed, with a small object limit. */
    static final class Limited implements StoreDriver {
        final MemoryDriver target = MemoryDriver.create();
        final List<String> calls = new CopyOnWriteArrayList<>();
        volatile CountDownLatch partOneEntered = new CountDownLatch(1);
        volatile CountDownLatch releasePartOne = new CountDownLatch(0);
        final long maxObjectSize;

        Limited(long maxObjectSize) {
            this.maxObjectSize = maxObjectSize;
        }

        @Override
        public String name() {
            return "limited";
        }

        @Override
        public Capabilities capabilities() {
            return target.capabilities().with(Capability.STREAMING_PUT);
        }

        @Override
        public PutResponse put(String key, byte[] content, PutOptions options) {
            return target.put(key, content, options);
        }

        @Override
        public GetResponse get(String key, GetOptions options, boolean withContent) {
            return target.get(key, options, withContent);
        }

        @Override
        public void delete(String key, DeleteOptions options) {
            target.delete(key, options);
        }

        @Override
        public UploadLimits uploadLimits() {
            return new UploadLimits(1, 1 << 20, 1000, maxObjectSize);
        }

        @Override
        public StagedUpload startUpload(String key, PutOptions options, long size, long partSize) {
            StagedUpload inner = new StreamingTransferTest.PartsInMemory(target, key, options);
            return new StagedUpload() {
                @Override
                public void uploadPart(int partNumber, byte[] data, int length) {
                    calls.add("part " + partNumber);
                    if (partNumber == 1) {
                        partOneEntered.countDown();
                        // An HTTP send that does not answer to interrupts.
                        boolean interrupted = false;
                        while (true) {
                            try {
                                releasePartOne.await();
                                break;
                            } catch (InterruptedException e) {
                                interrupted = true;
                            }
                        }
                        if (interrupted) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    inner.uploadPart(partNumber, data, length);
                    calls.add("part " + partNumber + " done");
                }

                @Override
                public PutResponse commit(int parts, long size, byte[] contentMd5) {
                    calls.add("commit " + size);
                    return inner.commit(parts, size, contentMd5);
                }

                @Override
                public void abort() {
                    calls.add("abort");
                    inner.abort();
                }
            };
        }
    }

    /**
     * A stream of unknown length larger than the store's largest object must be refused once it
     * passes the limit, not buffered and uploaded to the end (the memory store's buffered upload
     * holds it all, then commits it).
     */
    @Test
    void anUnknownLengthStreamIsStoppedAtTheStoresLargestObject() {
        Limited driver = new Limited(3 * PART);
        byte[] body = content(8 * PART);
        try (ObjectStore store = ObjectStore.of(driver)) {
            InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> store.put("k",
                    new ByteArrayInputStream(body), ObjectStore.UNKNOWN_LENGTH, PutOptions.defaults(), transfer(2)));
            assertEquals("length", e.field());
            assertThrows(ObjectNotFoundException.class, () -> store.head("k"));
        }
        assertTrue(driver.calls.stream().noneMatch(c -> c.startsWith("commit")), driver.calls.toString());
        assertTrue(driver.calls.stream().filter(c -> c.startsWith("part") && !c.endsWith("done")).count() <= 4,
                "parts beyond the limit were uploaded: " + driver.calls);
    }

    /**
     * An interrupted streaming put aborts the upload only after the parts in flight returned (the
     * code's own rule: S3 keeps a part that lands after the abort). With the interrupt flag set,
     * awaitTermination returns at once and the abort overtakes part 1.
     */
    @Test
    void anInterruptedPutAbortsOnlyAfterThePartsInFlight() throws Exception {
        Limited driver = new Limited(1 << 30);
        driver.releasePartOne = new CountDownLatch(1);
        byte[] body = content(4 * PART);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        try (ObjectStore store = ObjectStore.of(driver)) {
            Thread putter = new Thread(() -> {
                try {
                    store.put("k", new ByteArrayInputStream(body), body.length, PutOptions.defaults(), transfer(1));
                } catch (Throwable t) {
                    thrown.set(t);
                }
            });
            putter.start();
            assertTrue(driver.partOneEntered.await(30, TimeUnit.SECONDS));
            putter.interrupt(); // the put waits for a free buffer (buffers = 1) or is about to
            // Give the put thread every chance to finish on its own while part 1 is still in flight.
            putter.join(TimeUnit.SECONDS.toMillis(10));
            boolean abortedWhilePartInFlight = driver.calls.contains("abort") && !driver.calls.contains("part 1 done");
            driver.releasePartOne.countDown();
            putter.join(TimeUnit.SECONDS.toMillis(30));
            assertTrue(thrown.get() instanceof ObjectStoreException, String.valueOf(thrown.get()));
            assertTrue(!abortedWhilePartInFlight, "abort was sent while part 1 was still in flight: " + driver.calls);
        }
    }
}
