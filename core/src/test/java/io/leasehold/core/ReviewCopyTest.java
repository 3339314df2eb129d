package io.leasehold.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leasehold.driver.file.FileDriver;
import io.leasehold.driver.memory.MemoryDriver;
import io.leasehold.spi.PutResponse;
import io.leasehold.spi.StoreDriver;
import io.leasehold.spi.kit.ForwardingStoreDriver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile review of copy and rename: races of copiers onto one absent target, sources changed or
 * deleted between the steps of a rename, and copies whose answers are lost.
 */
class ReviewCopyTest {

    @TempDir
    Path dir;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** A driver whose copies and deletes run a hook first and may lose their answers. */
    static final class Hooked extends ForwardingStoreDriver {
        private final Capabilities capabilities;
        final StoreDriver raw;
        volatile Consumer<String> beforeCopy = k -> { };
        volatile Consumer<String> beforeDelete = k -> { };
        volatile Consumer<String> afterDeleteLanded = k -> { };
        final AtomicInteger loseCopyAnswers = new AtomicInteger();
        final AtomicInteger loseDeleteAnswers = new AtomicInteger();
        final AtomicInteger failReads = new AtomicInteger();
        final AtomicInteger copies = new AtomicInteger();
        final AtomicInteger deletes = new AtomicInteger();

        Hooked(StoreDriver delegate) {
            this(delegate, delegate.capabilities());
        }

        Hooked(StoreDriver delegate, Capabilities capabilities) {
            super(delegate);
            this.raw = delegate;
            this.capabilities = capabilities;
        }

        @Override
        public Capabilities capabilities() {
            return capabilities;
        }

        @Override
        public PutResponse copy(String sourceKey, ObjectVersion sourceVersion, long sourceSize, String targetKey,
                                PutOptions targetOptions) {
            copies.incrementAndGet();
            beforeCopy.accept(targetKey);
            PutResponse r = super.copy(sourceKey, sourceVersion, sourceSize, targetKey, targetOptions);
            if (loseCopyAnswers.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new OutcomeUnknownException(targetKey, "injected: the copy landed, its answer was lost", null);
            }
            return r;
        }

        @Override
        public io.leasehold.spi.GetResponse get(String key, GetOptions options, boolean withContent) {
            if (failReads.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new ObjectStoreException(ErrorCode.UNKNOWN, key, "injected: read failed", null);
            }
            return super.get(key, options, withContent);
        }

        @Override
        public void delete(String key, DeleteOptions options) {
            deletes.incrementAndGet();
            beforeDelete.accept(key);
            super.delete(key, options);
            afterDeleteLanded.accept(key);
            if (loseDeleteAnswers.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new OutcomeUnknownException(key, "injected: the delete landed, its answer was lost", null);
            }
        }
    }

    // ---------------------------------------------------------------- copy-if-absent races

    private static void eightCopiersOneWinner(StoreDriver driver, String way) throws Exception {
        ObjectStore store = ObjectStore.of(driver);
        for (int round = 0; round < 20; round++) {
            String target = "race/" + way + "/" + round;
            for (int s = 0; s < 8; s++) {
                store.put("src/" + s, bytes("from " + s));
            }
            CyclicBarrier start = new CyclicBarrier(8);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<String>> outcomes = new ArrayList<>();
            try {
                for (int s = 0; s < 8; s++) {
                    int me = s;
                    outcomes.add(pool.submit(() -> {
                        start.await();
                        try {
                            store.copy("src/" + me, target, CopyOptions.of(PutMode.create()));
                            return "won " + me;
                        } catch (ObjectAlreadyExistsException lost) {
                            return "lost";
                        }
                    }));
                }
                List<String> winners = new ArrayList<>();
                for (Future<String> f : outcomes) {
                    String o = f.get(30, TimeUnit.SECONDS);
                    if (o.startsWith("won")) {
                        winners.add(o);
                    }
                }
                assertEquals(1, winners.size(), way + " round " + round + ": " + winners);
                String winner = winners.get(0).substring(4);
                assertEquals("from " + winner, text(store.get(target).content()), way + ": the winner's bytes");
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void eightCopiersOntoOneAbsentTargetHaveExactlyOneWinnerOnMemoryServerSide() throws Exception {
        eightCopiersOneWinner(MemoryDriver.create(), "memory-server-side");
    }

    @Test
    void eightCopiersOntoOneAbsentTargetHaveExactlyOneWinnerOnMemoryThroughTheClient() throws Exception {
        MemoryDriver memory = MemoryDriver.create();
        eightCopiersOneWinner(new Hooked(memory, memory.capabilities().without(Capability.SERVER_SIDE_COPY)),
                "memory-client");
    }

    @Test
    void eightCopiersOntoOneAbsentTargetHaveExactlyOneWinnerOnFile() throws Exception {
        eightCopiersOneWinner(FileDriver.open(dir.resolve("store")), "file-server-side");
    }

    @Test
    void eightCopiersOntoOneAbsentTargetHaveExactlyOneWinnerOnFileThroughTheClient() throws Exception {
        FileDriver file = FileDriver.open(dir.resolve("store2"));
        eightCopiersOneWinner(new Hooked(file, file.capabilities().without(Capability.SERVER_SIDE_COPY)), "file-client");
    }

    // ---------------------------------------------------------------- rename when the source changes

    @Test
    void aSourceDeletedBetweenTheCopyAndTheDeleteLeavesBothKeysAsTheyWere() {
        Hooked driver = new Hooked(MemoryDriver.create());
        ObjectStore store = ObjectStore.of(driver);
        store.put("old", bytes("v1"));
        ObjectStore other = ObjectStore.of(driver.raw);
        driver.beforeDelete = k -> {
            if (k.equals("old")) {
                driver.beforeDelete = x -> { };
                other.delete("old");
            }
        };
        PreconditionFailedException e = assertThrows(PreconditionFailedException.class, () -> store.rename("old", "new"));
        assertEquals("old", e.key().orElseThrow());
        assertFalse(store.exists("new"), "a copy-if-absent's copy is taken back: " + e.getMessage());
        assertFalse(store.exists("old"));
    }

    @Test
    void aRenameOverwritingTheTargetKeepsTheCopyAndTheChangedSourceWhenTheSourceChanges() {
        Hooked driver = new Hooked(MemoryDriver.create());
        ObjectStore store = ObjectStore.of(driver);
        store.put("old", bytes("v1"));
        store.put("new", bytes("target before"));
        ObjectStore other = ObjectStore.of(driver.raw);
        driver.beforeDelete = k -> {
            if (k.equals("old")) {
                driver.beforeDelete = x -> { };
                other.put("old", bytes("v2"));
            }
        };
        PreconditionFailedException e = assertThrows(PreconditionFailedException.class,
                () -> store.rename("old", "new", CopyOptions.of(PutMode.overwrite())));
        assertTrue(e.getMessage().contains("keeps the copy"), e.getMessage());
        assertEquals("v1", text(store.get("new").content()));
        assertEquals("v2", text(store.get("old").content()), "the source's new version is never lost");
    }

    @Test
    void aRenameWhoseTargetIsWrittenByAnotherBeforeTheUndoKeepsTheOthersWrite() {
        Hooked driver = new Hooked(MemoryDriver.create());
        ObjectStore store = ObjectStore.of(driver);
        store.put("old", bytes("v1"));
        ObjectStore other = ObjectStore.of(driver.raw);
        driver.beforeDelete = k -> {
            if (k.equals("old")) {
                driver.beforeDelete = x -> { };
                other.put("old", bytes("v2"));
                other.put("new", bytes("someone else's"));
            }
        };
        PreconditionFailedException e = assertThrows(PreconditionFailedException.class, () -> store.rename("old", "new"));
        assertEquals("someone else's", text(store.get("new").content()), e.getMessage());
        assertEquals("v2", text(store.get("old").content()));
    }

    @Test
    void aRenameWhoseSourceDeleteAnswerIsLostIsSettledAsDoneOrReportedUnknownNeverAsFailed() {
        Hooked driver = new Hooked(MemoryDriver.create());
        ObjectStore store = ObjectStore.of(driver);
        store.put("old", bytes("v1"));
        driver.loseDeleteAnswers.set(1);
        try {
            PutResult r = store.rename("old", "new");
            assertEquals("v1", text(store.get("new").content()), String.valueOf(r));
        } catch (OutcomeUnknownException unknown) {
            // Acceptable: both keys are as the rename left them.
        }
        assertEquals("v1", text(store.get("new").content()), "the copy stays");
        assertFalse(store.exists("old"));
    }

    // ---------------------------------------------------------------- lost answers

    @Test
    void aCopyWhoseAnswerIsLostAndWhoseSettlementReadFailsIsUnknownWithItsWriteIdAndIsNotSentAgain() {
        Hooked driver = new Hooked(MemoryDriver.create());
        ObjectStore store = ObjectStore.of(driver);
        store.put("src", bytes("payload"));
        driver.loseCopyAnswers.set(1);
        driver.beforeCopy = k -> driver.failReads.set(3); // every settlement read fails
        OutcomeUnknownException e = assertThrows(OutcomeUnknownException.class,
                () -> store.copy("src", "dst", CopyOptions.of(PutMode.create())));
        assertEquals(1, driver.copies.get(), "never sent again on a guess");
        driver.failReads.set(0);
        GetResult target = store.get("dst");
        assertEquals("payload", text(target.content()));
        assertEquals(e.writeId(), target.version().orElseThrow().writeId(), "the unknown outcome names the copy's write id");
    }

    @Test
    void aCopyLostAnswerFollowedByAnotherWriterIsUnknownNotAFailureOrSuccess() {
        Hooked driver = new Hooked(MemoryDriver.create());
        ObjectStore store = ObjectStore.of(driver);
        ObjectStore other = ObjectStore.of(driver.raw);
        store.put("src", bytes("payload"));
        driver.loseCopyAnswers.set(1);
        // The copy lands; before the settlement read another writer replaces the target.
        StoreDriver target = driver.raw;
        Hooked lateWriter = driver;
        lateWriter.failReads.set(0);
        StoreDriver wrapped = new ForwardingStoreDriver(driver) {
            final AtomicInteger gets = new AtomicInteger();

            @Override
            public io.leasehold.spi.GetResponse get(String key, GetOptions options, boolean withContent) {
                if (key.equals("dst") && gets.getAndIncrement() == 0) {
                    other.put("dst", bytes("other"));
                }
                return super.get(key, options, withContent);
            }
        };
        ObjectStore viaWrapped = ObjectStore.of(wrapped);
        assertThrows(OutcomeUnknownException.class, () -> viaWrapped.copy("src", "dst"));
        assertEquals("other", text(ObjectStore.of(target).get("dst").content()));
        assertEquals(1, driver.copies.get());
    }

    @Test
    void aCopyFromASourceUnderTheReservedSegmentIsRefusedAnywhereInTheKey() {
        ObjectStore store = ObjectStore.of(MemoryDriver.create());
        assertThrows(InvalidArgumentException.class, () -> store.copy("team/.leasehold/lease/k", "b"));
        assertThrows(InvalidArgumentException.class, () -> store.copy("a", "team/.leasehold/fence/k"));
        assertThrows(InvalidArgumentException.class, () -> store.rename("a", "x/.leasehold/lease/y"));
    }

    @Test
    void copyWithSourceIfMatchOnTheVersionReadCopiesExactlyThatVersionEvenOnAStoreWithoutServerSideCopy() {
        MemoryDriver memory = MemoryDriver.create();
        Hooked driver = new Hooked(memory, memory.capabilities().without(Capability.SERVER_SIDE_COPY));
        ObjectStore store = ObjectStore.of(driver);
        PutResult v1 = store.put("src", bytes("v1"));
        store.put("src", bytes("v2"));
        PreconditionFailedException e = assertThrows(PreconditionFailedException.class, () -> store.copy("src", "dst",
                CopyOptions.builder().sourceIfMatch(v1.version()).build()));
        assertEquals("src", e.key().orElseThrow());
        assertFalse(store.exists("dst"));
        PutResult v3 = store.put("src", bytes("v3"));
        store.copy("src", "dst", CopyOptions.builder().sourceIfMatch(v3.version()).build());
        assertArrayEquals(bytes("v3"), store.get("dst").content());
    }

    // ---------------------------------------------------------------- concurrent renames

    private static void eightRenamesOfOneSource(StoreDriver driver) throws Exception {
        ObjectStore store = ObjectStore.of(driver);
        for (int round = 0; round < 10; round++) {
            String src = "move/" + round;
            store.put(src, bytes("payload " + round));
            CyclicBarrier start = new CyclicBarrier(8);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<String>> outcomes = new ArrayList<>();
            try {
                for (int t = 0; t < 8; t++) {
                    String target = "moved/" + round + "/" + t;
                    outcomes.add(pool.submit(() -> {
                        start.await();
                        try {
                            store.rename(src, target);
                            return target;
                        } catch (PreconditionFailedException | ObjectNotFoundException lost) {
                            return null;
                        }
                    }));
                }
                List<String> winners = new ArrayList<>();
                for (Future<String> f : outcomes) {
                    String w = f.get(30, TimeUnit.SECONDS);
                    if (w != null) {
                        winners.add(w);
                    }
                }
                assertEquals(1, winners.size(), "round " + round + ": " + winners);
                assertFalse(store.exists(src));
                List<String> present = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    if (store.exists("moved/" + round + "/" + t)) {
                        present.add("moved/" + round + "/" + t);
                    }
                }
                assertEquals(winners, present, "the losers' copies are taken back");
                assertEquals("payload " + round, text(store.get(winners.get(0)).content()));
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void eightConcurrentRenamesOfOneSourceLeaveExactlyOneTargetOnMemory() throws Exception {
        eightRenamesOfOneSource(MemoryDriver.create());
    }

    @Test
    void eightConcurrentRenamesOfOneSourceLeaveExactlyOneTargetOnFile() throws Exception {
        eightRenamesOfOneSource(FileDriver.open(dir.resolve("renames")));
    }

    @Test
    void eightConcurrentRenamesOntoOneTargetHaveOneWinnerAndKeepTheLosersSources() throws Exception {
        ObjectStore store = ObjectStore.of(MemoryDriver.create());
        for (int s = 0; s < 8; s++) {
            store.put("in/" + s, bytes("from " + s));
        }
        CyclicBarrier start = new CyclicBarrier(8);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Boolean>> outcomes = new ArrayList<>();
        try {
            for (int s = 0; s < 8; s++) {
                int me = s;
                outcomes.add(pool.submit(() -> {
                    start.await();
                    try {
                        store.rename("in/" + me, "out");
                        return true;
                    } catch (ObjectAlreadyExistsException lost) {
                        return false;
                    }
                }));
            }
            int won = 0;
            for (Future<Boolean> f : outcomes) {
                won += f.get(30, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertEquals(1, won);
            int sources = 0;
            for (int s = 0; s < 8; s++) {
                sources += store.exists("in/" + s) ? 1 : 0;
            }
            assertEquals(7, sources, "a rename that lost the target keeps its source");
        } finally {
            pool.shutdownNow();
        }
    }

    // ---------------------------------------------------------------- a large source replaced mid-copy

    @Test
    void aLargeSourceReplacedDuringACopyThroughTheClientIsReadAgainAndCopiedWhole() {
        MemoryDriver memory = MemoryDriver.create();
        int size = 40 << 20; // more than one 32 MiB range
        byte[] a = new byte[size];
        java.util.Arrays.fill(a, (byte) 'A');
        byte[] b = new byte[size];
        java.util.Arrays.fill(b, (byte) 'B');
        AtomicInteger ranges = new AtomicInteger();
        StoreDriver replacing = new ForwardingStoreDriver(memory) {
            @Override
            public Capabilities capabilities() {
                return memory.capabilities().without(Capability.SERVER_SIDE_COPY);
            }

            @Override
            public io.leasehold.spi.RangeRead getRange(String key, GetOptions options, ObjectVersion pinned, long offset,
                                                       long length) {
                if (key.equals("src") && ranges.incrementAndGet() == 2) {
                    memory.put("src", b, PutOptions.defaults()); // replaced after the first range was served
                }
                return super.getRange(key, options, pinned, offset, length);
            }
        };
        ObjectStore store = ObjectStore.of(replacing);
        store.put("src", a);
        try {
            store.copy("src", "dst", CopyOptions.of(PutMode.create()));
        } catch (ObjectChangedException | TransientException acceptable) {
            assertFalse(store.exists("dst"), "nothing copied: " + acceptable);
            return;
        }
        assertTrue(ranges.get() >= 3, "the source was replaced mid-copy and read again: " + ranges.get() + " ranges");
        byte[] copied = store.get("dst").content();
        assertEquals(size, copied.length);
        assertArrayEquals(b, copied, "exactly one version of the source: the one read again");
    }

    @Test
    void aLargeSourceReplacedDuringACopyWithASourceConditionFailsThatConditionAndWritesNothing() {
        MemoryDriver memory = MemoryDriver.create();
        int size = 40 << 20;
        byte[] a = new byte[size];
        java.util.Arrays.fill(a, (byte) 'A');
        AtomicInteger ranges = new AtomicInteger();
        StoreDriver replacing = new ForwardingStoreDriver(memory) {
            @Override
            public Capabilities capabilities() {
                return memory.capabilities().without(Capability.SERVER_SIDE_COPY);
            }

            @Override
            public io.leasehold.spi.RangeRead getRange(String key, GetOptions options, ObjectVersion pinned, long offset,
                                                       long length) {
                if (key.equals("src") && ranges.incrementAndGet() == 2) {
                    memory.put("src", bytes("small now"), PutOptions.defaults());
                }
                return super.getRange(key, options, pinned, offset, length);
            }
        };
        ObjectStore store = ObjectStore.of(replacing);
        PutResult v1 = store.put("src", a);
        PreconditionFailedException e = assertThrows(PreconditionFailedException.class, () -> store.copy("src", "dst",
                CopyOptions.builder().sourceIfMatch(v1.version()).build()));
        assertEquals("src", e.key().orElseThrow());
        assertFalse(store.exists("dst"));
    }
}
