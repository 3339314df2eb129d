package io.leasehold.core;

import io.leasehold.spi.GetResponse;
import io.leasehold.spi.PutResponse;
import io.leasehold.core.transfer.ObjectStream;
import io.leasehold.core.transfer.TransferOptions;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leasehold.driver.memory.MemoryDriver;
import io.leasehold.spi.kit.ContentDigest;
import io.leasehold.spi.RangeRead;
import io.leasehold.spi.StagedUpload;
import io.leasehold.spi.StoreDriver;
import io.leasehold.spi.UploadLimits;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The facade's streaming machinery against an instrumented memory driver: which driver calls a
 * streaming put and get make, how a commit whose outcome is unknown is settled (never blindly
 * re-sent), that failures abort the upload, that memory stays within the buffers, and that downloads
 * resume and verify checksums. Exact counts, no timing.
 */
class StreamingTransferTest {
    private static final int PART = 1024;

    @TempDir
    Path dir;

    private static byte[] content(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        return b;
    }

    private static TransferOptions transfer(int buffers) {
        return TransferOptions.builder().partSize(PART).buffers(buffers).build();
    }

    /** The memory driver's parts, kept until the commit puts them as one object. */
    static final class PartsInMemory implements StagedUpload {
        private final MemoryDriver target;
        private final String key;
        private final PutOptions options;
        private final java.util.concurrent.ConcurrentSkipListMap<Integer, byte[]> parts =
                new java.util.concurrent.ConcurrentSkipListMap<>();

        PartsInMemory(MemoryDriver target, String key, PutOptions options) {
            this.target = target;
            this.key = key;
            this.options = options;
        }

        @Override
        public void uploadPart(int partNumber, byte[] data, int length) {
            parts.put(partNumber, java.util.Arrays.copyOf(data, length));
        }

        @Override
        public PutResponse commit(int count, long size, byte[] contentMd5) {
            java.io.ByteArrayOutputStream joined = new java.io.ByteArrayOutputStream();
            parts.headMap(count, true).values().forEach(joined::writeBytes);
            return target.put(key, joined.toByteArray(), options);
        }

        @Override
        public void abort() {
            parts.clear();
        }
    }

    /** A memory store whose staged uploads and ranged reads can be observed and disturbed. */
    static final class Staging implements StoreDriver {
        final MemoryDriver target = MemoryDriver.create();
        final List<String> calls = new CopyOnWriteArrayList<>();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger maxInFlight = new AtomicInteger();
        /** Applied to each commit: may throw before or after calling the real one. */
        Function<java.util.function.Supplier<io.leasehold.spi.PutResponse>, io.leasehold.spi.PutResponse> commit = java.util.function.Supplier::get;
        int failPartsOnce = -1;
        long dropRangeAfter = -1;
        ContentDigest digest;
        Capabilities capabilities = target.capabilities().with(Capability.STREAMING_PUT);

        @Override
        public String name() {
            return "staging";
        }

        @Override
        public Capabilities capabilities() {
            return capabilities;
        }

        @Override
        public PutResponse put(String key, byte[] content, PutOptions options) {
            calls.add("put");
            return target.put(key, content, options);
        }

        @Override
        public GetResponse get(String key, GetOptions options, boolean withContent) {
            calls.add(withContent ? "get" : "head");
            return target.get(key, options, withContent);
        }

        @Override
        public void delete(String key, DeleteOptions options) {
            target.delete(key, options);
        }

        @Override
        public UploadLimits uploadLimits() {
            return new UploadLimits(1, 1 << 20, 1000, 1 << 30);
        }

        @Override
        public StagedUpload startUpload(String key, PutOptions options, long size, long partSize) {
            calls.add("start");
            StagedUpload inner = new PartsInMemory(target, key, options);
            return new StagedUpload() {
                @Override
                public void uploadPart(int partNumber, byte[] data, int length) {
                    int now = inFlight.incrementAndGet();
                    maxInFlight.accumulateAndGet(now, Math::max);
                    try {
                        calls.add("part " + partNumber);
                        if (partNumber == failPartsOnce) {
                            failPartsOnce = -1;
                            throw new TransientException(ErrorCode.TRANSIENT, key, "part lost", null);
                        }
                        Thread.yield();
                        inner.uploadPart(partNumber, data, length);
                    } finally {
                        inFlight.decrementAndGet();
                    }
                }

                @Override
                public PutResponse commit(int parts, long size, byte[] contentMd5) {
                    calls.add("commit " + parts);
                    return Staging.this.commit.apply(() -> inner.commit(parts, size, contentMd5));
                }

                @Override
                public void abort() {
                    calls.add("abort");
                    inner.abort();
                }
            };
        }

        @Override
        public RangeRead getRange(String key, GetOptions options, ObjectVersion pinned, long offset, long length) {
            calls.add("range " + offset + (pinned == null ? "" : " pinned"));
            RangeRead r = target.getRange(key, options, pinned, offset, length);
            if (r.isNotModified()) {
                return r;
            }
            InputStream body = r.content();
            if (dropRangeAfter >= 0) {
                long cut = dropRangeAfter;
                dropRangeAfter = -1;
                body = new FilterInputStream(body) {
                    long left = cut;

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        if (left <= 0) {
                            throw new IOException("connection reset");
                        }
                        int n = super.read(b, off, (int) Math.min(len, left));
                        left -= Math.max(n, 0);
                        return n;
                    }
                };
            }
            return RangeRead.of(r.info(), r.offset(), r.length(), body, digest);
        }
    }

    @Test
    void contentOfOnePartIsOneOrdinaryPut() {
        Staging driver = new Staging();
        try (ObjectStore store = ObjectStore.of(driver)) {
            store.put("k", new ByteArrayInputStream(content(PART)), ObjectStore.UNKNOWN_LENGTH, PutOptions.defaults(), transfer(2));
            store.put("k", new ByteArrayInputStream(content(PART)), PART, PutOptions.defaults(), transfer(2));
        }
        assertEquals(List.of("put", "put"), driver.calls);
    }

    @Test
    void largerContentIsStagedInPartsAndCommittedOnce() {
        Staging driver = new Staging();
        byte[] body = content(PART * 3 + 5);
        try (ObjectStore store = ObjectStore.of(driver)) {
            PutResult r = store.put("k", new ByteArrayInputStream(body), ObjectStore.UNKNOWN_LENGTH,
                    PutOptions.of(PutMode.create()), transfer(2));
            assertEquals(body.length, r.size());
            assertArrayEquals(body, store.get("k").content());
        }
        assertEquals("start", driver.calls.get(0));
        assertEquals(List.of("part 1", "part 2", "part 3", "part 4"), driver.calls.stream()
                .filter(c -> c.startsWith("part")).sorted().toList());
        assertEquals(1, driver.calls.stream().filter(c -> c.equals("commit 4")).count());
        assertFalse(driver.calls.contains("abort"));
        assertTrue(driver.maxInFlight.get() <= 2, "at most as many parts in flight as buffers");
    }

    @Test
    void aLostPartIsSentAgain() {
        Staging driver = new Staging();
        driver.failPartsOnce = 2;
        byte[] body = content(PART * 2 + 1);
        try (ObjectStore store = ObjectStore.of(driver)) {
            store.put("k", new ByteArrayInputStream(body), body.length, PutOptions.defaults(), transfer(1));
            assertArrayEquals(body, store.get("k").content());
        }
        assertEquals(2, driver.calls.stream().filter(c -> c.equals("part 2")).count());
    }

    @Test
    void aCommitWhoseAnswerWasLostIsSettledByOneReadAndNotSentAgain() {
        Staging driver = new Staging();
        driver.commit = real -> {
            real.get();
            throw new OutcomeUnknownException("k", "answer lost", null);
        };
        byte[] body = content(PART * 2 + 1);
        try (ObjectStore store = ObjectStore.of(driver)) {
            PutResult r = store.put("k", new ByteArrayInputStream(body), body.length, PutOptions.of(PutMode.create()), transfer(2));
            assertTrue(r.version().sameAs(store.head("k").info().version()), "landed, found by its write id");
        }
        assertEquals(1, driver.calls.stream().filter(c -> c.startsWith("commit")).count());
        assertFalse(driver.calls.contains("abort"));
    }

    @Test
    void aCommitProvenNotAppliedIsSentAgain() {
        Staging driver = new Staging();
        AtomicInteger commits = new AtomicInteger();
        driver.commit = real -> {
            if (commits.incrementAndGet() == 1) {
                throw new OutcomeUnknownException("k", "failed before applying", null);
            }
            return real.get();
        };
        byte[] body = content(PART * 2 + 1);
        try (ObjectStore store = ObjectStore.of(driver)) {
            PutResult base = store.put("k", content(10));
            store.put("k", new ByteArrayInputStream(body), body.length, PutOptions.of(PutMode.update(base.version())), transfer(2));
            assertArrayEquals(body, store.get("k").content());
        }
        assertEquals(2, commits.get(), "the base was still current by its write id: the same commit went again");
    }

    @Test
    void aConflictAtCommitIsNotSentAgainAndAbortsTheUpload() {
        Staging driver = new Staging();
        driver.commit = real -> {
            throw new TransientException(ErrorCode.CONFLICT, "k", "staged parts discarded", null);
        };
        byte[] body = content(PART * 2 + 1);
        try (ObjectStore store = ObjectStore.of(driver)) {
            TransientException e = assertThrows(TransientException.class,
                    () -> store.put("k", new ByteArrayInputStream(body), body.length, PutOptions.defaults(), transfer(2)));
            assertEquals(ErrorCode.CONFLICT, e.code());
            assertThrows(ObjectNotFoundException.class, () -> store.head("k"));
        }
        assertEquals(1, driver.calls.stream().filter(c -> c.startsWith("commit")).count());
        assertEquals(1, driver.calls.stream().filter(c -> c.equals("abort")).count());
    }

    @Test
    void aFailingStreamAbortsTheUploadAndWritesNothing() {
        Staging driver = new Staging();
        byte[] body = content(PART * 3);
        InputStream failing = new FilterInputStream(new ByteArrayInputStream(body)) {
            int read;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (read > PART * 2) {
                    throw new IOException("disk gone");
                }
                int n = super.read(b, off, Math.min(len, 100));
                read += Math.max(n, 0);
                return n;
            }
        };
        try (ObjectStore store = ObjectStore.of(driver)) {
            ObjectStoreException e = assertThrows(ObjectStoreException.class,
                    () -> store.put("k", failing, body.length, PutOptions.defaults(), transfer(2)));
            assertEquals(ErrorCode.UNKNOWN, e.code());
            assertInstanceOf(IOException.class, e.getCause());
            assertThrows(ObjectNotFoundException.class, () -> store.head("k"));
        }
        assertEquals(1, driver.calls.stream().filter(c -> c.equals("abort")).count());
        assertFalse(driver.calls.stream().anyMatch(c -> c.startsWith("commit")));
    }

    @Test
    void conditionalLargePutsNeedAConditionalCommitAndAreRefusedBeforeSending() {
        Staging driver = new Staging();
        driver.capabilities = driver.capabilities.without(Capability.CONDITIONAL_MULTIPART_COMMIT);
        byte[] body = content(PART * 2 + 1);
        try (ObjectStore store = ObjectStore.of(driver)) {
            ByteArrayInputStream source = new ByteArrayInputStream(body);
            assertThrows(NotSupportedException.class, () -> store.put("k", source, body.length,
                    PutOptions.of(PutMode.create()), transfer(2)));
            assertTrue(driver.calls.isEmpty(), "nothing was sent: " + driver.calls);
            assertEquals(body.length, source.available(), "nothing was taken from the caller's stream");
            store.put("k", new ByteArrayInputStream(body), body.length, PutOptions.defaults(), transfer(2));
            assertArrayEquals(body, store.get("k").content(), "an unconditional overwrite still streams");
        }
    }

    @Test
    void aListenerFailingAfterTheCommitDoesNotFailThePut() {
        Staging driver = new Staging();
        byte[] body = content(PART * 2 + 1);
        java.util.concurrent.atomic.AtomicInteger complete = new java.util.concurrent.atomic.AtomicInteger();
        TransferOptions throwing = TransferOptions.builder().partSize(PART).buffers(2).listener((done, total) -> {
            if (done == total && complete.incrementAndGet() == 2) {
                throw new IllegalStateException("listener bug after the commit");
            }
        }).build();
        try (ObjectStore store = ObjectStore.of(driver)) {
            PutResult put = store.put("k", new ByteArrayInputStream(body), body.length, PutOptions.defaults(), throwing);
            assertEquals(body.length, put.size());
            assertEquals(2, complete.get(), "the last part, then the commit");
            assertArrayEquals(body, store.get("k").content());
        }
    }

    @Test
    void aDroppedRangeResumesFromTheLastByteReceived() throws IOException {
        Staging driver = new Staging();
        byte[] body = content(PART * 5);
        try (ObjectStore store = ObjectStore.of(driver)) {
            store.put("k", body);
            driver.calls.clear();
            driver.dropRangeAfter = 1500;
            TransferOptions ranges = TransferOptions.builder().rangeSize(2048).build();
            try (ObjectStream stream = store.openStream("k", GetOptions.defaults(), ranges)) {
                assertArrayEquals(body, stream.content().readAllBytes());
            }
        }
        assertEquals(List.of("range 0", "range 1500 pinned", "range 3548 pinned"), driver.calls);
    }

    @Test
    void checksumsAreVerifiedAndAMismatchLeavesTheTargetUntouched() throws Exception {
        Staging driver = new Staging();
        byte[] body = content(PART * 3);
        try (ObjectStore store = ObjectStore.of(driver)) {
            store.put("k", body);
            driver.digest = ContentDigest.md5(MessageDigest.getInstance("MD5").digest(body));
            try (ObjectStream stream = store.openStream("k", GetOptions.defaults(),
                    TransferOptions.builder().rangeSize(1000).build())) {
                assertArrayEquals(body, stream.content().readAllBytes());
                assertEquals("MD5", stream.verifiedChecksum().orElseThrow());
            }
            driver.digest = ContentDigest.md5(new byte[16]);
            Path target = dir.resolve("out.bin");
            Files.write(target, new byte[] {42});
            assertThrows(ChecksumMismatchException.class, () -> store.getToFile("k", target, GetOptions.defaults()));
            assertArrayEquals(new byte[] {42}, Files.readAllBytes(target), "the target is untouched");
            try (var files = Files.list(dir)) {
                assertEquals(1, files.count(), "no temporary file is left");
            }
            driver.digest = null;
            ChecksumMismatchException off = null;
            try (ObjectStream stream = store.openStream("k", GetOptions.defaults(),
                    TransferOptions.builder().verifyChecksums(false).build())) {
                assertArrayEquals(body, stream.content().readAllBytes());
            } catch (ChecksumMismatchException e) {
                off = e;
            }
            assertEquals(null, off);
        }
    }

    @Test
    void md5OfPartsIsComputedOverTheRecordedPartSize() throws Exception {
        Staging driver = new Staging();
        byte[] body = content(2500);
        MessageDigest outer = MessageDigest.getInstance("MD5");
        for (int at = 0; at < body.length; at += 1000) {
            outer.update(MessageDigest.getInstance("MD5").digest(java.util.Arrays.copyOfRange(body, at,
                    Math.min(body.length, at + 1000))));
        }
        try (ObjectStore store = ObjectStore.of(driver)) {
            store.put("k", body);
            driver.digest = ContentDigest.md5OfParts(outer.digest(), 1000, 3);
            try (ObjectStream stream = store.openStream("k", GetOptions.defaults(),
                    TransferOptions.builder().rangeSize(700).build())) {
                assertArrayEquals(body, stream.content().readAllBytes());
                assertEquals("MD5 of 3 MD5s of 1000-byte parts", stream.verifiedChecksum().orElseThrow());
            }
        }
    }
}
