package io.leasehold.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leasehold.core.internal.write.WriteTag;
import io.leasehold.driver.memory.MemoryDriver;
import io.leasehold.spi.PutResponse;
import io.leasehold.spi.kit.ForwardingStoreDriver;
import io.leasehold.testing.RecordingDriver;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * How {@link ObjectStore#copy} and {@link ObjectStore#rename} choose their way, tag the target, settle
 * lost answers and cope with a source that changes under them, on the memory driver.
 */
class CopyProtocolTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static Capabilities memory() {
        return MemoryDriver.create().capabilities();
    }

    // ---------------------------------------------------------------- refusals before sending

    @Test
    void aModeTheStoreCanHonourNeitherWayIsRefusedBeforeAnythingIsSent() {
        RecordingDriver driver = new RecordingDriver(memory().without(Capability.COPY_IF_ABSENT, Capability.PUT_IF_ABSENT));
        ObjectStore store = ObjectStore.of(driver);
        NotSupportedException e = assertThrows(NotSupportedException.class,
                () -> store.copy("a", "b", CopyOptions.of(PutMode.create())));
        assertTrue(e.getMessage().contains("COPY_IF_ABSENT") && e.getMessage().contains("PUT_IF_ABSENT"), e.getMessage());
        RecordingDriver noMatch = new RecordingDriver(memory().without(Capability.COPY_IF_MATCH, Capability.PUT_IF_MATCH));
        assertThrows(NotSupportedException.class, () -> ObjectStore.of(noMatch).copy("a", "b",
                CopyOptions.of(PutMode.update(ObjectVersion.of("v1")))));
        RecordingDriver noReplace = new RecordingDriver(memory().without(Capability.COPY_IF_PRESENT, Capability.PUT_IF_PRESENT));
        assertThrows(NotSupportedException.class, () -> ObjectStore.of(noReplace).copy("a", "b",
                CopyOptions.of(PutMode.replace())));
        assertEquals(List.of(), driver.calls());
        assertEquals(List.of(), noMatch.calls());
        assertEquals(List.of(), noReplace.calls());
    }

    @Test
    void renameWithoutConditionalDeleteIsRefusedBeforeAnythingIsSent() {
        RecordingDriver driver = new RecordingDriver(memory().without(Capability.DELETE_IF_MATCH));
        ObjectStore store = ObjectStore.of(driver);
        NotSupportedException e = assertThrows(NotSupportedException.class, () -> store.rename("a", "b"));
        assertTrue(e.getMessage().contains("DELETE_IF_MATCH"), e.getMessage());
        assertEquals(List.of(), driver.calls());
    }

    @Test
    void invalidKeysAndACopyOntoItselfAreRefusedBeforeSending() {
        RecordingDriver driver = new RecordingDriver();
        ObjectStore store = ObjectStore.of(driver);
        assertEquals("target", assertThrows(InvalidArgumentException.class, () -> store.copy("a", "a")).field());
        assertEquals("source", assertThrows(InvalidArgumentException.class, () -> store.copy("", "a")).field());
        assertEquals("target", assertThrows(InvalidArgumentException.class,
                () -> store.copy("a", ".leasehold/lease/a")).field());
        assertEquals("source", assertThrows(InvalidArgumentException.class,
                () -> store.rename(".leasehold/fence/a", "b")).field());
        assertThrows(InvalidArgumentException.class, () -> store.copy("a", "b", null));
        assertEquals(List.of(), driver.calls());
    }

    // ---------------------------------------------------------------- which way

    @Test
    void aStoreThatCopiesAndHonoursTheModeCopiesServerSideAfterOneHead() {
        RecordingDriver driver = new RecordingDriver();
        ObjectStore store = ObjectStore.of(driver);
        store.put("src", bytes("hello"));
        driver.calls().clear();
        store.copy("src", "dst", CopyOptions.of(PutMode.create()));
        assertEquals(List.of("head src", "copy src dst"), driver.calls());
    }

    @Test
    void withoutTheModesCopyCapabilityTheCopyIsAReadAndAConditionalPut() {
        RecordingDriver driver = new RecordingDriver(memory().without(Capability.COPY_IF_ABSENT));
        ObjectStore store = ObjectStore.of(driver);
        store.put("src", bytes("hello"), PutOptions.builder().contentType("text/plain").metadata("owner", "ann").build());
        driver.calls().clear();
        PutResult copied = store.copy("src", "dst", CopyOptions.of(PutMode.create()));
        assertEquals(List.of("get src", "put dst"), driver.calls());
        GetResult target = store.get("dst");
        assertEquals("hello", text(target.content()));
        assertEquals("text/plain", target.info().contentType().orElseThrow());
        assertEquals(Map.of("owner", "ann"), target.info().userMetadata());
        assertTrue(target.info().version().sameAs(copied.version()));
        assertThrows(ObjectAlreadyExistsException.class, () -> store.copy("src", "dst", CopyOptions.of(PutMode.create())));
    }

    // ---------------------------------------------------------------- the target is the copy's own write

    @Test
    void theTargetCarriesItsOwnWriteIdAndTheSourcesUserMetadataOnly() {
        MemoryDriver driver = MemoryDriver.create();
        ObjectStore store = ObjectStore.of(driver);
        PutResult source = store.put("src", bytes("x"), PutOptions.builder().metadata("owner", "ann").build());
        PutResult target = store.copy("src", "dst");
        String sourceId = source.writeId().orElseThrow();
        String targetId = target.writeId().orElseThrow();
        assertNotEquals(sourceId, targetId, "a write id names one write: the copy has its own");
        Map<String, String> raw = driver.get("dst", GetOptions.defaults(), false).info().userMetadata();
        assertEquals(targetId, raw.get(WriteTag.WRITE_ID));
        assertEquals("ann", raw.get("owner"));
        assertEquals(Map.of("owner", "ann"), store.head("dst").info().userMetadata());
        assertEquals(targetId, store.head("dst").info().version().writeId().orElseThrow());
        assertEquals(sourceId, store.head("src").info().version().writeId().orElseThrow(), "the source is untouched");
    }

    @Test
    void aCopyWhoseAnswerIsLostIsSettledFromTheTargetsWriteIdAndNotSentAgain() {
        AtomicInteger copies = new AtomicInteger();
        MemoryDriver memory = MemoryDriver.create();
        ObjectStore store = ObjectStore.of(new ForwardingStoreDriver(memory) {
            @Override
            public PutResponse copy(String sourceKey, ObjectVersion sourceVersion, long size, String targetKey,
                                    PutOptions options) {
                copies.incrementAndGet();
                super.copy(sourceKey, sourceVersion, size, targetKey, options);
                throw new OutcomeUnknownException(targetKey, "response lost after the copy landed", null);
            }
        });
        store.put("src", bytes("payload"));
        PutResult copied = store.copy("src", "dst", CopyOptions.of(PutMode.create()));
        assertEquals(1, copies.get(), "a copy that may have landed is never sent twice");
        assertFalse(copied.isSuperseded());
        assertTrue(store.head("dst").info().version().sameAs(copied.version()));
        assertEquals(copied.writeId(), store.head("dst").info().version().writeId());
    }

    @Test
    void aCopyProvenNotAppliedIsSentAgain() {
        AtomicInteger copies = new AtomicInteger();
        ObjectStore store = ObjectStore.of(new ForwardingStoreDriver(MemoryDriver.create()) {
            @Override
            public PutResponse copy(String sourceKey, ObjectVersion sourceVersion, long size, String targetKey,
                                    PutOptions options) {
                if (copies.incrementAndGet() == 1) {
                    throw new OutcomeUnknownException(targetKey, "reset before the copy was applied", null);
                }
                return super.copy(sourceKey, sourceVersion, size, targetKey, options);
            }
        });
        store.put("src", bytes("payload"));
        PutResult before = store.put("dst", bytes("old"));
        PutResult copied = store.copy("src", "dst", CopyOptions.of(PutMode.update(before.version())));
        assertEquals(2, copies.get(), "the target's base was still current: proven not applied, sent again");
        assertEquals("payload", text(store.get("dst").content()));
        assertTrue(store.head("dst").info().version().sameAs(copied.version()));
    }

    // ---------------------------------------------------------------- a source that changes

    /** A memory store whose source is rewritten by "another writer" just before the first copies land. */
    private static ObjectStore sourceRewrittenBeforeCopies(MemoryDriver memory, int rewrites, AtomicInteger copies) {
        return ObjectStore.of(new ForwardingStoreDriver(memory) {
            @Override
            public PutResponse copy(String sourceKey, ObjectVersion sourceVersion, long size, String targetKey,
                                    PutOptions options) {
                if (copies.incrementAndGet() <= rewrites) {
                    memory.put(sourceKey, bytes("rewritten-" + copies.get()), PutOptions.defaults());
                }
                return super.copy(sourceKey, sourceVersion, size, targetKey, options);
            }
        });
    }

    @Test
    void withoutASourceConditionASourceChangedMeanwhileIsReadAgain() {
        MemoryDriver memory = MemoryDriver.create();
        AtomicInteger copies = new AtomicInteger();
        ObjectStore store = sourceRewrittenBeforeCopies(memory, 1, copies);
        store.put("src", bytes("first"));
        store.copy("src", "dst");
        assertEquals(2, copies.get());
        assertEquals("rewritten-1", text(store.get("dst").content()), "one whole version: the one read again");
    }

    @Test
    void aSourceThatKeepsChangingEndsInATransientConflictWithNothingCopied() {
        MemoryDriver memory = MemoryDriver.create();
        AtomicInteger copies = new AtomicInteger();
        ObjectStore store = sourceRewrittenBeforeCopies(memory, Integer.MAX_VALUE, copies);
        store.put("src", bytes("first"));
        TransientException e = assertThrows(TransientException.class, () -> store.copy("src", "dst"));
        assertEquals(ErrorCode.CONFLICT, e.code());
        assertEquals("src", e.key().orElseThrow());
        assertEquals(3, copies.get());
        assertThrows(ObjectNotFoundException.class, () -> store.head("dst"));
    }

    @Test
    void withASourceConditionASourceChangedMeanwhileFailsTheCopy() {
        MemoryDriver memory = MemoryDriver.create();
        AtomicInteger copies = new AtomicInteger();
        ObjectStore store = sourceRewrittenBeforeCopies(memory, 1, copies);
        PutResult source = store.put("src", bytes("first"));
        PreconditionFailedException e = assertThrows(PreconditionFailedException.class,
                () -> store.copy("src", "dst", CopyOptions.builder().sourceIfMatch(source.version()).build()));
        assertEquals("src", e.key().orElseThrow(), "the source's condition failed, not the target's");
        assertEquals(1, copies.get());
        assertThrows(ObjectNotFoundException.class, () -> store.head("dst"));
    }

    @Test
    void sourceConditionsAreEvaluatedBeforeAnythingIsWrittenOnBothWays() {
        for (Capabilities capabilities : List.of(memory(), memory().without(Capability.SERVER_SIDE_COPY))) {
            RecordingDriver driver = new RecordingDriver(capabilities);
            ObjectStore store = ObjectStore.of(driver);
            PutResult old = store.put("src", bytes("one"));
            store.put("src", bytes("two"));
            PreconditionFailedException stale = assertThrows(PreconditionFailedException.class,
                    () -> store.copy("src", "dst", CopyOptions.builder().sourceIfMatch(old.version()).build()));
            assertEquals("src", stale.key().orElseThrow());
            assertThrows(PreconditionFailedException.class, () -> store.copy("src", "dst",
                    CopyOptions.builder().sourceIfMatch(ETag.weak(old.version().etag().value())).build()));
            ObjectNotFoundException missing = assertThrows(ObjectNotFoundException.class, () -> store.copy("nope", "dst"));
            assertEquals("nope", missing.key().orElseThrow());
            assertTrue(driver.calls().stream().noneMatch(c -> c.startsWith("put dst") || c.startsWith("copy")),
                    capabilities + ": " + driver.calls());
            PutResult current = store.copy("src", "dst", CopyOptions.builder().sourceIfMatch("*").build());
            assertEquals("two", text(store.get("dst").content()));
            assertTrue(store.head("dst").info().version().sameAs(current.version()));
        }
    }

    // ---------------------------------------------------------------- rename

    @Test
    void renameMovesTheVersionAndDeletesTheSource() {
        ObjectStore store = ObjectStore.of(MemoryDriver.create());
        store.put("old", bytes("doc"), PutOptions.builder().metadata("kind", "memo").build());
        PutResult moved = store.rename("old", "new");
        assertThrows(ObjectNotFoundException.class, () -> store.head("old"));
        assertEquals("doc", text(store.get("new").content()));
        assertEquals(Map.of("kind", "memo"), store.head("new").info().userMetadata());
        assertTrue(store.head("new").info().version().sameAs(moved.version()));
        store.put("other", bytes("x"));
        assertThrows(ObjectAlreadyExistsException.class, () -> store.rename("new", "other"));
        assertEquals("doc", text(store.get("new").content()), "a refused rename leaves the source");
    }

    @Test
    void aSourceWrittenBetweenTheCopyAndTheDeleteSurvivesAndTheCopyIsTakenBack() {
        MemoryDriver memory = MemoryDriver.create();
        ObjectStore store = ObjectStore.of(new ForwardingStoreDriver(memory) {
            @Override
            public PutResponse copy(String sourceKey, ObjectVersion sourceVersion, long size, String targetKey,
                                    PutOptions options) {
                PutResponse copied = super.copy(sourceKey, sourceVersion, size, targetKey, options);
                memory.put(sourceKey, bytes("newer"), PutOptions.defaults()); // after the copy, before the delete
                return copied;
            }
        });
        store.put("old", bytes("doc"));
        PreconditionFailedException e = assertThrows(PreconditionFailedException.class, () -> store.rename("old", "new"));
        assertEquals("old", e.key().orElseThrow());
        assertTrue(e.getMessage().contains("deleted again"), e.getMessage());
        assertEquals("newer", text(store.get("old").content()), "the newer source was not deleted");
        assertThrows(ObjectNotFoundException.class, () -> store.head("new"), "nothing changed");
    }

    @Test
    void twoRenamesOfOneSourceToTwoTargetsLeaveExactlyOneTarget() {
        // The loser's copy lands too, but its delete of the source finds it gone and takes the copy back.
        MemoryDriver memory = MemoryDriver.create();
        ObjectStore winner = ObjectStore.of(memory);
        AtomicInteger copies = new AtomicInteger();
        ObjectStore loser = ObjectStore.of(new ForwardingStoreDriver(memory) {
            @Override
            public PutResponse copy(String sourceKey, ObjectVersion sourceVersion, long size, String targetKey,
                                    PutOptions options) {
                PutResponse copied = super.copy(sourceKey, sourceVersion, size, targetKey, options);
                if (copies.incrementAndGet() == 1) {
                    winner.rename(sourceKey, "b");
                }
                return copied;
            }
        });
        winner.put("src", bytes("only one"));
        assertThrows(PreconditionFailedException.class, () -> loser.rename("src", "a"));
        assertThrows(ObjectNotFoundException.class, () -> winner.head("a"));
        assertArrayEquals(bytes("only one"), winner.get("b").content());
        assertThrows(ObjectNotFoundException.class, () -> winner.head("src"));
    }

    @Test
    void copiesAreObservedWithTheTargetAsKey() {
        RecordingObserver observer = new RecordingObserver();
        ObjectStore store = ObjectStore.builder().driver(MemoryDriver.create()).observer(observer).build();
        store.put("src", bytes("x"));
        store.copy("src", "dst");
        store.rename("dst", "moved");
        assertThrows(ObjectNotFoundException.class, () -> store.copy("gone", "dst"));
        assertEquals(List.of("PUT src null", "COPY dst null", "RENAME moved null", "COPY dst NOT_FOUND"),
                observer.ended());
    }

    /** Records the operation scopes that end. */
    private static final class RecordingObserver implements StoreObserver {
        private final List<String> ended = new java.util.concurrent.CopyOnWriteArrayList<>();

        List<String> ended() {
            return ended;
        }

        @Override
        public Scope operationStarted(String driver, Operation operation, String key) {
            return (outcome, attempts, failure) -> ended.add(operation + " " + key + " " + outcome);
        }
    }
}
