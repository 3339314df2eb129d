package io.leasehold.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.leasehold.core.Capability;
import io.leasehold.core.ErrorCode;
import io.leasehold.core.GetOptions;
import io.leasehold.core.GetResult;
import io.leasehold.core.InvalidArgumentException;
import io.leasehold.core.lease.Lease;
import io.leasehold.core.LeaseException;
import io.leasehold.core.lease.LeaseOptions;
import io.leasehold.core.NotSupportedException;
import io.leasehold.core.ObjectAlreadyExistsException;
import io.leasehold.core.ObjectChangedException;
import io.leasehold.core.ObjectNotFoundException;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.ObjectStoreException;
import io.leasehold.core.transfer.ObjectStream;
import io.leasehold.core.ObjectVersion;
import io.leasehold.core.PreconditionFailedException;
import io.leasehold.core.PutMode;
import io.leasehold.core.PutOptions;
import io.leasehold.core.PutResult;
import io.leasehold.core.transfer.TransferOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Large objects: streaming puts of known and unknown length committed under the put's conditions,
 * races between multi-part uploads, and streaming gets that never mix two versions. Objects here are
 * a few parts of {@link #partSize()} bytes, so the multi-part path is always taken.
 *
 * <p>Where the store cannot condition a multi-part commit
 * ({@link Capability#CONDITIONAL_MULTIPART_COMMIT} absent, e.g. Ceph RGW 16.2) the conditional cases
 * assert that the put is refused before anything is uploaded and leaves no staged parts behind.
 *
 * <p>Thread-safety: a contract holds no state; JUnit runs its cases one at a time per instance.
 */
public interface LargeObjectsContract extends ConformanceHarness {

    /**
     * The part size the cases use; at least the store's minimum (S3: 5 MiB).
     *
     * @return bytes per part
     */
    default int partSize() {
        return 1 << 20;
    }

    /**
     * The size of the multi-part objects the cases write: more than one part. Keep it small on
     * servers with little room (a memstore RGW reclaims overwritten bytes only hours later).
     *
     * @return bytes
     */
    default int largeSize() {
        return partSize() * 2 + partSize() / 2;
    }

    /**
     * The size of the object the torn-read cases replace over and over (written in one request each).
     *
     * @return bytes
     */
    default int tornReadObjectSize() {
        return partSize() * 2;
    }

    /**
     * Uploaders in the overwrite race.
     *
     * @return at least 2
     */
    default int overwriteRacers() {
        return 4;
    }

    /**
     * How many staged parts or blocks of uploads to {@code key} are still in the store (S3: parts of
     * multipart uploads in progress; file store: upload files), or empty where the store offers no
     * way to tell or to clean them up (then the cases do not assert it).
     *
     * @param key the key
     * @return the count, or empty
     */
    default OptionalInt stagedLeft(String key) {
        return OptionalInt.empty();
    }

    /**
     * Whether staged parts of a failed or losing upload can remain in the store, invisible, because
     * the store offers no way to discard them (Azure: uncommitted blocks stay until the blob's next
     * commit, or a week). Then the cases report the count instead of asserting it is 0.
     *
     * @return true if leftovers are possible
     */
    default boolean stagedPartsMayRemain() {
        return false;
    }

    /**
     * The checksum a download of a multi-part object written by this library is verified against,
     * e.g. {@code MD5} (Azure, whose Content-MD5 the library sets at commit) or the S3 multipart
     * form; empty where the store keeps none (memory, file).
     *
     * @param parts the number of parts the object was uploaded in
     * @return a prefix of {@link ObjectStream#verifiedChecksum()}, or empty
     */
    default java.util.Optional<String> expectedChecksum(int parts) {
        return java.util.Optional.empty();
    }

    /**
     * Rounds of the torn-read case with a replacement triggered half-way through the download (and
     * as many without).
     *
     * @return rounds
     */
    default int tornReadRounds() {
        return 4;
    }

    // ---------------------------------------------------------------- round trips

    /**
     * A put of known length larger than one part, read back as a stream and into a file (replacing
     * an existing file, no temporary file left); metadata, content type and write id as for any put.
     *
     * @throws IOException if the temporary directory fails
     */
    @Test
    default void knownLengthRoundTripStreamsBothWays() throws IOException {
        Store store = store();
        String key = uniqueKey("large-known");
        byte[] content = Content.random(1, largeSize());
        PutResult put = store.put(key, new ByteArrayInputStream(content), content.length,
                PutOptions.builder().contentType("application/octet-stream").metadata("origin", "tck").build(), transfer());
        assertEquals(content.length, put.size());
        assertTrue(put.writeId().isPresent(), "a streaming put carries a write id like any put");

        GetResult head = store.head(key);
        assertEquals(content.length, head.info().size());
        assertEquals(Map.of("origin", "tck"), head.info().userMetadata(), "bookkeeping stays hidden");
        assertTrue(put.version().sameAs(head.info().version()), "the put names the version stored");
        assertEquals("application/octet-stream", head.info().contentType().orElse(null));

        try (ObjectStream stream = store.openStream(key, GetOptions.defaults(), transfer())) {
            assertArrayEquals(content, stream.content().readAllBytes());
            assertEquals(content.length, stream.info().size());
            expectedChecksum((largeSize() + partSize() - 1) / partSize()).ifPresent(expected -> assertTrue(stream.verifiedChecksum().orElse("").startsWith(expected),
                    "verified against " + stream.verifiedChecksum() + ", expected " + expected));
        }
        Path dir = Files.createTempDirectory("leasehold-tck");
        try {
            Path target = dir.resolve("copy.bin");
            Files.write(target, new byte[] {1, 2, 3});
            GetResult written = store.getToFile(key, target, GetOptions.defaults(), transfer());
            assertEquals(content.length, written.info().size());
            assertArrayEquals(content, Files.readAllBytes(target));
            try (var listed = Files.list(dir)) {
                assertEquals(1, listed.count(), "no temporary file left next to the target");
            }
        } finally {
            deleteTree(dir);
        }
        assertNoStagedParts(key);
    }

    /**
     * Puts of unknown length: several parts, exactly one part, and an empty stream.
     *
     * @throws IOException if reading a stream fails
     */
    @Test
    default void unknownLengthRoundTrip() throws IOException {
        Store store = store();
        String key = uniqueKey("large-unknown");
        byte[] content = Content.random(2, largeSize() + 17);
        // A stream that hands out odd-sized chunks, as network streams do.
        PutResult put = store.put(key, Content.chunky(content), ObjectStore.UNKNOWN_LENGTH, PutOptions.defaults(), transfer());
        assertEquals(content.length, put.size());
        try (ObjectStream stream = store.openStream(key, GetOptions.defaults(), transfer())) {
            assertArrayEquals(content, stream.content().readAllBytes());
        }
        // Exactly one part and an empty stream take the single-request path.
        byte[] onePart = Content.random(3, partSize());
        store.put(key, new ByteArrayInputStream(onePart), ObjectStore.UNKNOWN_LENGTH, PutOptions.defaults(), transfer());
        assertArrayEquals(onePart, store.get(key).content());
        store.put(key, InputStream.nullInputStream(), ObjectStore.UNKNOWN_LENGTH, PutOptions.defaults(), transfer());
        try (ObjectStream stream = store.openStream(key, GetOptions.defaults(), transfer())) {
            assertEquals(0, stream.content().readAllBytes().length);
            assertEquals(0, stream.info().size());
        }
        assertNoStagedParts(key);
    }

    /** A stream shorter or longer than its declared length fails "invalid argument" and writes nothing. */
    @Test
    default void streamShorterThanItsLengthWritesNothing() {
        Store store = store();
        String key = uniqueKey("large-short");
        byte[] content = Content.random(4, largeSize());
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
                () -> store.put(key, new ByteArrayInputStream(content), content.length + 1L, PutOptions.defaults(), transfer()));
        assertEquals("length", e.field());
        assertThrows(ObjectNotFoundException.class, () -> store.head(key), "nothing became visible");
        assertThrows(InvalidArgumentException.class,
                () -> store.put(key, new ByteArrayInputStream(content), content.length - 1L, PutOptions.defaults(), transfer()));
        assertThrows(ObjectNotFoundException.class, () -> store.head(key));
        assertNoStagedParts(key);
    }

    // ---------------------------------------------------------------- conditional commits

    /**
     * 8 multi-part create-if-absent uploads race on one fresh key: exactly one wins, the others fail
     * "already exists", the winner's bytes are stored and the losers' parts are cleaned up (or,
     * without {@link Capability#CONDITIONAL_MULTIPART_COMMIT}, the put is refused before uploading).
     *
     * @throws InterruptedException if interrupted
     */
    @Test
    @Timeout(300)
    default void multiPartCreateRaceHasExactlyOneWinnerAndLeavesNoParts() throws InterruptedException {
        Store store = store();
        String key = uniqueKey("large-create-race");
        int uploaders = 8;
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 0; i < uploaders; i++) {
            bodies.add(Content.random(100 + i, largeSize() + i));
        }
        if (!store.capabilities().supports(Capability.CONDITIONAL_MULTIPART_COMMIT)) {
            NotSupportedException refused = assertThrows(NotSupportedException.class, () -> store.put(key,
                    new ByteArrayInputStream(bodies.get(0)), bodies.get(0).length, PutOptions.of(PutMode.create()), transfer()));
            assertTrue(refused.getMessage().contains(Capability.CONDITIONAL_MULTIPART_COMMIT.name()), refused.getMessage());
            assertThrows(ObjectNotFoundException.class, () -> store.head(key), "refused before anything was uploaded");
            assertNoStagedParts(key);
            return;
        }
        List<Callable<Object>> racers = new ArrayList<>();
        for (byte[] body : bodies) {
            racers.add(() -> store.put(key, new ByteArrayInputStream(body), body.length, PutOptions.of(PutMode.create()),
                    transfer()));
        }
        List<Object> results = Support.race(racers, 240);
        int winners = 0;
        byte[] winner = null;
        for (int i = 0; i < uploaders; i++) {
            Object r = results.get(i);
            if (r instanceof PutResult) {
                winners++;
                winner = bodies.get(i);
            } else if (!(r instanceof ObjectAlreadyExistsException)) {
                fail("a losing create must fail ALREADY_EXISTS, got " + r);
            }
        }
        assertEquals(1, winners, "exactly one create wins: " + results);
        assertArrayEquals(winner, store.get(key).content(), "the winner's bytes are stored");
        assertNoStagedParts(key);
    }

    /**
     * A multi-part If-Match commit on the current version replaces it; on a stale version it is
     * refused and replaces nothing; a multi-part create on a present key fails.
     */
    @Test
    default void multiPartIfMatchCommitWithStaleVersionIsRefused() {
        Store store = store();
        String key = uniqueKey("large-if-match");
        byte[] v1 = Content.random(10, largeSize() + 1);
        byte[] v2 = Content.random(11, largeSize() + 2);
        byte[] v3 = Content.random(12, largeSize() + 3);
        PutResult first = store.put(key, new ByteArrayInputStream(v1), v1.length, PutOptions.defaults(), transfer());
        if (!store.capabilities().supports(Capability.CONDITIONAL_MULTIPART_COMMIT)) {
            assertThrows(NotSupportedException.class, () -> store.put(key, new ByteArrayInputStream(v2), v2.length,
                    PutOptions.of(PutMode.update(first.version())), transfer()));
            assertArrayEquals(v1, store.get(key).content());
            assertNoStagedParts(key);
            return;
        }
        PutResult second = store.put(key, new ByteArrayInputStream(v2), v2.length,
                PutOptions.of(PutMode.update(first.version())), transfer());
        assertArrayEquals(v2, store.get(key).content());
        ObjectVersion stale = first.version();
        assertThrows(PreconditionFailedException.class, () -> store.put(key, new ByteArrayInputStream(v3), v3.length,
                PutOptions.of(PutMode.update(stale)), transfer()));
        assertArrayEquals(v2, store.get(key).content(), "a stale If-Match commit replaces nothing");
        assertTrue(second.version().sameAs(store.head(key).info().version()));
        assertNoStagedParts(key);
        assertThrows(ObjectAlreadyExistsException.class, () -> store.put(key, new ByteArrayInputStream(v3), v3.length,
                PutOptions.of(PutMode.create()), transfer()));
        assertArrayEquals(v2, store.get(key).content());
        assertNoStagedParts(key);
    }

    /**
     * Concurrent multi-part overwrites: each lands or fails {@link ErrorCode#CONFLICT}, and the
     * stored bytes are exactly one acknowledged upload's.
     *
     * @throws InterruptedException if interrupted
     */
    @Test
    @Timeout(300)
    default void concurrentMultiPartOverwritesLeaveOneWholeVersion() throws InterruptedException {
        Store store = store();
        String key = uniqueKey("large-overwrite-race");
        int uploaders = overwriteRacers();
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 0; i < uploaders; i++) {
            bodies.add(Content.random(200 + i, largeSize() + i));
        }
        List<Callable<Object>> racers = new ArrayList<>();
        for (byte[] body : bodies) {
            racers.add(() -> store.put(key, new ByteArrayInputStream(body), body.length, PutOptions.defaults(), transfer()));
        }
        List<Object> results = Support.race(racers, 240);
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < uploaders; i++) {
            Object r = results.get(i);
            if (r instanceof PutResult) {
                acknowledged.add(Content.sha256(bodies.get(i)));
            } else if (!(r instanceof ObjectStoreException && ((ObjectStoreException) r).code() == ErrorCode.CONFLICT)) {
                // Azure discards an upload's staged blocks when another upload of the blob commits first.
                fail("an overwrite either lands or fails CONFLICT (its staged parts discarded), got " + r);
            }
        }
        assertFalse(acknowledged.isEmpty(), "at least one overwrite lands");
        assertTrue(acknowledged.contains(Content.sha256(store.get(key).content())), "the stored bytes are one whole acknowledged version");
        assertNoStagedParts(key);
    }

    /** On a leased object a streaming put without the lease is refused, and with it succeeds. */
    @Test
    default void leaseGuardsStreamingPuts() {
        Store store = store();
        if (!store.capabilities().supports(Capability.LEASES)) {
            return;
        }
        String key = uniqueKey("large-lease");
        byte[] v1 = Content.random(20, largeSize() + 1);
        store.put(key, new ByteArrayInputStream(v1), v1.length, PutOptions.defaults(), transfer());
        Lease lease = store.leases().acquire(key, LeaseOptions.builder().duration(Duration.ofSeconds(60)).build());
        try {
            byte[] v2 = Content.random(21, largeSize() + 2);
            if (!store.capabilities().supports(Capability.EMULATED_LEASES)) {
                // Emulated leases cannot block writers that do not use them; native ones refuse them.
                assertThrows(LeaseException.class, () -> store.put(key, new ByteArrayInputStream(v2), v2.length,
                        PutOptions.defaults(), transfer()), "a streaming put without the lease is refused");
                assertArrayEquals(v1, store.get(key).content());
            }
            PutOptions underLease = PutOptions.builder().leaseId(lease.id()).build();
            if (store.capabilities().supports(Capability.EMULATED_LEASES)
                    && !store.capabilities().supports(Capability.CONDITIONAL_MULTIPART_COMMIT)) {
                // The emulated guard makes the write an If-Match write, which this store cannot commit.
                assertThrows(NotSupportedException.class, () -> store.put(key, new ByteArrayInputStream(v2), v2.length,
                        underLease, transfer()));
                assertArrayEquals(v1, store.get(key).content());
                assertNoStagedParts(key);
                return;
            }
            store.put(key, new ByteArrayInputStream(v2), v2.length, underLease, transfer());
            assertArrayEquals(v2, store.get(key).content());
            assertNoStagedParts(key);
        } finally {
            store.leases().release(key, lease.id());
        }
    }

    // ---------------------------------------------------------------- torn reads

    /**
     * Torn reads: a replacement half-way through a ranged download stops it with
     * {@link ObjectChangedException} (where versions are pinned by id it completes with the first
     * version); then writers replace the object in a loop while downloads run, and every completed
     * download is exactly one version written.
     *
     * @throws Exception if a writer thread is interrupted
     */
    @Test
    @Timeout(600)
    default void downloadsNeverMixTwoVersions() throws Exception {
        Store store = store();
        String key = uniqueKey("large-torn");
        int size = tornReadObjectSize();
        TransferOptions ranges = transfer().toBuilder().rangeSize(Math.max(1, size / 16)).build();
        Map<String, Integer> written = new ConcurrentHashMap<>();
        AtomicInteger versions = new AtomicInteger();
        byte[] initial = Content.random(1000, size);
        store.put(key, initial);
        written.put(Content.sha256(initial), 0);

        // Deterministic rounds: a replacement half-way through must stop the download typed; without
        // one it must complete with the current version.
        int failedTyped = 0;
        long downloadNanos = 0;
        for (int round = 0; round < tornReadRounds() * 2; round++) {
            boolean replaceMidway = round % 2 == 0;
            byte[] current = store.get(key).content();
            AtomicBoolean replaced = new AtomicBoolean();
            TransferOptions withTrigger = ranges.toBuilder().listener((done, total) -> {
                if (replaceMidway && done >= total / 2 && replaced.compareAndSet(false, true)) {
                    byte[] next = Content.random(1000 + versions.incrementAndGet(), size);
                    written.put(Content.sha256(next), versions.get());
                    store.put(key, next);
                }
            }).build();
            long started = System.nanoTime();
            try (ObjectStream stream = store.openStream(key, GetOptions.defaults(), withTrigger)) {
                byte[] read = stream.content().readAllBytes();
                downloadNanos = Math.max(downloadNanos, System.nanoTime() - started);
                assertFalse(replaceMidway && !store.capabilities().supports(Capability.VERSION_IDS),
                        "a download across a replacement must not complete (round " + round + ")");
                assertArrayEquals(current, read, "round " + round);
            } catch (ObjectChangedException expected) {
                assertTrue(replaceMidway, "only a replacement stops a download: " + expected);
                assertEquals(ErrorCode.PRECONDITION_FAILED, expected.code());
                failedTyped++;
            }
        }
        if (!store.capabilities().supports(Capability.VERSION_IDS)) {
            assertEquals(tornReadRounds(), failedTyped);
        }

        // Free-running: writers replace the object in a loop while downloads run; every completed
        // download is exactly one version written, every other one fails typed. Writers pause up to
        // about two download times between writes, so that both outcomes occur.
        long pauseMillis = Math.max(1, 2 * downloadNanos / 1_000_000);
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> writers = new ArrayList<>();
        List<Throwable> writerFailures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int w = 0; w < 2; w++) {
            Random pauses = new Random(w);
            Thread t = new Thread(() -> {
                while (!stop.get()) {
                    try {
                        Thread.sleep(pauses.nextInt((int) Math.min(Integer.MAX_VALUE, pauseMillis)) + 1);
                    } catch (InterruptedException e) {
                        return;
                    }
                    int v = versions.incrementAndGet();
                    byte[] next = Content.random(1000 + v, size);
                    written.put(Content.sha256(next), v);
                    try {
                        store.put(key, next);
                    } catch (RuntimeException e) {
                        writerFailures.add(e);
                        return;
                    }
                }
            });
            t.setDaemon(true);
            writers.add(t);
            t.start();
        }
        int completed = 0;
        int changed = 0;
        try {
            for (int round = 0; round < 40 && (completed < 3 || changed < 3 || round < 10); round++) {
                try (ObjectStream stream = store.openStream(key, GetOptions.defaults(), ranges)) {
                    String digest = Content.sha256(stream.content().readAllBytes());
                    assertTrue(written.containsKey(digest), "a completed download is exactly one version written");
                    completed++;
                } catch (ObjectChangedException e) {
                    changed++;
                }
            }
        } finally {
            stop.set(true);
            for (Thread t : writers) {
                t.join(60_000);
            }
        }
        assertTrue(writerFailures.isEmpty(), "writers failed: " + writerFailures);
        System.out.println("[tck] " + store.driverName() + " torn-read: " + tornReadRounds() + " of "
                + tornReadRounds() * 2 + " deterministic rounds stopped typed; free-running: " + completed
                + " completed (each one whole version), " + changed + " stopped typed, " + versions.get()
                + " versions written");
        assertTrue(completed + changed > 0);
    }

    /**
     * Under {@link TransferOptions.OnReplace#RESTART} a file download replaced half-way starts over on
     * the new version; a stream that has handed out bytes fails typed instead.
     *
     * @throws Exception if the temporary directory fails
     */
    @Test
    @Timeout(300)
    default void fileDownloadRestartsOnTheNewVersionWhenAsked() throws Exception {
        Store store = store();
        String key = uniqueKey("large-restart");
        int size = tornReadObjectSize();
        byte[] v1 = Content.random(3000, size);
        byte[] v2 = Content.random(3001, size);
        store.put(key, v1);
        AtomicBoolean replaced = new AtomicBoolean();
        TransferOptions restart = transfer().toBuilder().rangeSize(Math.max(1, size / 8))
                .onReplace(TransferOptions.OnReplace.RESTART)
                .listener((done, total) -> {
                    if (done >= total / 2 && replaced.compareAndSet(false, true)) {
                        store.put(key, v2);
                    }
                }).build();
        Path dir = Files.createTempDirectory("leasehold-tck");
        try {
            Path target = dir.resolve("restarted.bin");
            GetResult result = store.getToFile(key, target, GetOptions.defaults(), restart);
            assertTrue(replaced.get());
            byte[] expected = store.capabilities().supports(Capability.VERSION_IDS) ? v1 : v2;
            assertArrayEquals(expected, Files.readAllBytes(target), "restarted from the first byte on the new version");
            assertEquals(size, result.info().size());
            // A stream that has handed out bytes cannot restart: it fails typed instead.
            store.put(key, v1);
            AtomicBoolean again = new AtomicBoolean();
            TransferOptions streamRestart = restart.toBuilder().listener((done, total) -> {
                if (done >= total / 2 && again.compareAndSet(false, true)) {
                    store.put(key, v2);
                }
            }).build();
            if (!store.capabilities().supports(Capability.VERSION_IDS)) {
                try (ObjectStream stream = store.openStream(key, GetOptions.defaults(), streamRestart)) {
                    assertThrows(ObjectChangedException.class, () -> stream.content().readAllBytes());
                }
            }
        } finally {
            deleteTree(dir);
        }
    }

    // ---------------------------------------------------------------- helpers

    /**
     * A unique key, remembered so that {@link #deleteLargeObjects()} removes what the case wrote.
     *
     * @param name a readable part
     * @return the key
     */
    @Override
    default String uniqueKey(String name) {
        String key = ConformanceHarness.super.uniqueKey(name);
        Content.WRITTEN.computeIfAbsent(this, t -> ConcurrentHashMap.newKeySet()).add(key);
        return key;
    }

    /** Deletes the objects a case wrote: large objects should not pile up on test servers. */
    @AfterEach
    default void deleteLargeObjects() {
        Set<String> keys = Content.WRITTEN.remove(this);
        if (keys == null) {
            return;
        }
        for (String key : keys) {
            try {
                store().delete(key);
            } catch (RuntimeException alreadyGone) {
                // absent, or refused: nothing more to clean
            }
        }
    }

    /**
     * The transfer options of the cases: {@link #partSize()} parts, 3 buffers.
     *
     * @return the options
     */
    default TransferOptions transfer() {
        return TransferOptions.builder().partSize(partSize()).buffers(3).build();
    }

    /**
     * Asserts no staged parts of uploads to {@code key} remain, where the store can tell.
     *
     * @param key the key
     */
    default void assertNoStagedParts(String key) {
        OptionalInt left = stagedLeft(key);
        if (left.isEmpty()) {
            return;
        }
        if (stagedPartsMayRemain()) {
            if (left.getAsInt() > 0) {
                System.out.println("[tck] " + store().driverName() + ": " + left.getAsInt() + " staged parts remain for "
                        + key + " (invisible; discarded by the store at the next commit or on expiry)");
            }
            return;
        }
        assertEquals(0, left.getAsInt(), "staged parts or blocks left behind for " + key);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    /** Test content: deterministic random bytes, digests, and streams that read in odd chunks. */
    final class Content {
        /** Keys each test instance wrote, for cleanup. */
        static final Map<Object, Set<String>> WRITTEN = java.util.Collections.synchronizedMap(new java.util.IdentityHashMap<>());

        private Content() {
        }

        /**
         * Random bytes from a seed.
         *
         * @param seed the seed
         * @param size bytes
         * @return the bytes
         */
        public static byte[] random(long seed, int size) {
            byte[] b = new byte[size];
            new Random(seed).nextBytes(b);
            return b;
        }

        /**
         * SHA-256 in hex.
         *
         * @param b bytes
         * @return the digest
         */
        public static String sha256(byte[] b) {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        /**
         * A stream of {@code content} that returns at most 7,919 bytes per read.
         *
         * @param content the bytes
         * @return the stream
         */
        public static InputStream chunky(byte[] content) {
            return new SequenceInputStream(new ByteArrayInputStream(content, 0, 0), new ByteArrayInputStream(content) {
                @Override
                public synchronized int read(byte[] b, int off, int len) {
                    return super.read(b, off, Math.min(len, 7919));
                }
            });
        }
    }
}
