package io.leasehold.tck;

import static io.leasehold.tck.Support.assertNotSupported;
import static io.leasehold.tck.Support.bytes;
import static io.leasehold.tck.Support.race;
import static io.leasehold.tck.Support.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.leasehold.core.Capabilities;
import io.leasehold.core.Capability;
import io.leasehold.core.CopyOptions;
import io.leasehold.core.GetResult;
import io.leasehold.core.NotSupportedException;
import io.leasehold.core.ObjectAlreadyExistsException;
import io.leasehold.core.ObjectNotFoundException;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.OutcomeUnknownException;
import io.leasehold.core.PreconditionFailedException;
import io.leasehold.core.PutMode;
import io.leasehold.core.PutOptions;
import io.leasehold.core.PutResult;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Conditional copy and rename ({@link ObjectStore#copy}, {@link ObjectStore#rename}): what the target
 * receives, the source condition, the target's modes, a race of copiers to one target, rename, and a
 * copy larger than one part. A mode the store can honour neither server-side nor through the client
 * must be refused with {@code NotSupportedException} before anything is written.
 *
 * <p>Thread-safety: a contract holds no state; JUnit runs its cases one at a time per instance.
 */
public interface CopyContract extends ConformanceHarness {

    /**
     * Copiers per race round.
     *
     * @return the number of concurrent copies to one target
     */
    default int copyContenders() {
        return 8;
    }

    /**
     * Rounds of the copy race, each on a fresh target.
     *
     * @return the number of rounds
     */
    default int copyRaceRounds() {
        return 5;
    }

    /** Whether a copy with this target mode can be made on the store, server-side or through the client. */
    private static boolean copies(Store store, PutMode mode) {
        Capabilities c = store.capabilities();
        boolean serverSide = c.supports(Capability.SERVER_SIDE_COPY) && c.supports(Capability.COPY_SOURCE_IF_MATCH);
        switch (mode.kind()) {
            case CREATE:
                return serverSide && c.supports(Capability.COPY_IF_ABSENT) || c.supports(Capability.PUT_IF_ABSENT);
            case UPDATE:
                return serverSide && c.supports(Capability.COPY_IF_MATCH) || c.supports(Capability.PUT_IF_MATCH);
            case REPLACE:
                return serverSide && c.supports(Capability.COPY_IF_PRESENT) || c.supports(Capability.PUT_IF_PRESENT);
            default:
                return true;
        }
    }

    private static PutResult putWithType(Store store, String key, String content) {
        PutOptions.Builder b = PutOptions.builder().contentType("text/plain");
        if (store.capabilities().supports(Capability.USER_METADATA)) {
            b.metadata("owner", "ann").metadata("kind", "memo");
        }
        return store.put(key, bytes(content), b.build());
    }

    /**
     * The target receives the source version's bytes, content type and user metadata, and its own
     * version (tagged with the copy's write id); the source is untouched; an existing target is
     * overwritten by default.
     */
    @Test
    default void aCopyCarriesBytesContentTypeAndMetadataAndLeavesTheSource() {
        Store store = store();
        String source = uniqueKey("copy-src");
        String target = uniqueKey("copy-dst");
        PutResult original = putWithType(store, source, "the source");
        store.put(target, bytes("to be overwritten"));
        PutResult copied = store.copy(source, target);
        GetResult read = store.get(target);
        assertEquals("the source", text(read.content()));
        assertEquals("text/plain", read.info().contentType().orElse(null));
        if (store.capabilities().supports(Capability.USER_METADATA)) {
            assertEquals(Map.of("owner", "ann", "kind", "memo"), read.info().userMetadata());
            assertTrue(copied.writeId().isPresent(), "the copy is a write with its own write id");
            assertEquals(copied.writeId(), read.info().version().writeId());
            assertTrue(!copied.writeId().equals(original.writeId()), "never the source's write id");
        }
        assertTrue(read.info().version().sameAs(copied.version()), "the result names the target's version");
        assertEquals(10, copied.size());
        GetResult sourceNow = store.get(source);
        assertTrue(sourceNow.info().version().sameAs(original.version()), "the source is not changed");
        assertEquals("the source", text(sourceNow.content()));
    }

    /** A missing source is "not found" naming the source, and the target is not created. */
    @Test
    default void aMissingSourceIsNotFoundAndNothingIsWritten() {
        Store store = store();
        String source = uniqueKey("copy-missing");
        String target = uniqueKey("copy-dst");
        ObjectNotFoundException e = assertThrows(ObjectNotFoundException.class, () -> store.copy(source, target));
        assertEquals(source, e.key().orElse(null));
        assertThrows(ObjectNotFoundException.class, () -> store.head(target));
    }

    /** A source If-Match on a replaced version fails naming the source; on the current version it copies. */
    @Test
    default void aSourceConditionCopiesOnlyThatVersion() {
        Store store = store();
        String source = uniqueKey("copy-src");
        String target = uniqueKey("copy-dst");
        PutResult first = store.put(source, bytes("first"));
        PutResult second = store.put(source, bytes("second"));
        PreconditionFailedException stale = assertThrows(PreconditionFailedException.class,
                () -> store.copy(source, target, CopyOptions.builder().sourceIfMatch(first.version()).build()));
        assertEquals(source, stale.key().orElse(null), "the source's condition failed");
        assertThrows(ObjectNotFoundException.class, () -> store.head(target), "nothing was written");
        store.copy(source, target, CopyOptions.builder().sourceIfMatch(second.version()).build());
        assertEquals("second", text(store.get(target).content()));
    }

    /** Copy-if-absent creates a missing target and fails "already exists" on a present one, which keeps its content. */
    @Test
    default void copyIfAbsent() {
        Store store = store();
        String source = uniqueKey("copy-src");
        String target = uniqueKey("copy-dst");
        store.put(source, bytes("payload"));
        CopyOptions create = CopyOptions.of(PutMode.create());
        if (!copies(store, PutMode.create())) {
            assertNotSupported(() -> store.copy(source, target, create));
            assertThrows(ObjectNotFoundException.class, () -> store.head(target));
            return;
        }
        store.copy(source, target, create);
        assertEquals("payload", text(store.get(target).content()));
        store.put(source, bytes("newer"));
        assertThrows(ObjectAlreadyExistsException.class, () -> store.copy(source, target, create));
        assertEquals("payload", text(store.get(target).content()));
    }

    /** Copy-if-match replaces the target only at the version given; a stale or missing target fails and keeps its state. */
    @Test
    default void copyIfMatch() {
        Store store = store();
        String source = uniqueKey("copy-src");
        String target = uniqueKey("copy-dst");
        store.put(source, bytes("payload"));
        PutResult old = store.put(target, bytes("old"));
        PutResult current = store.put(target, bytes("current"));
        if (!copies(store, PutMode.update(current.version()))) {
            assertNotSupported(() -> store.copy(source, target, CopyOptions.of(PutMode.update(current.version()))));
            assertEquals("current", text(store.get(target).content()));
            return;
        }
        PreconditionFailedException stale = assertThrows(PreconditionFailedException.class,
                () -> store.copy(source, target, CopyOptions.of(PutMode.update(old.version()))));
        assertEquals(target, stale.key().orElse(null), "the target's condition failed");
        assertEquals("current", text(store.get(target).content()));
        PutResult copied = store.copy(source, target, CopyOptions.of(PutMode.update(current.version())));
        assertEquals("payload", text(store.get(target).content()));
        assertTrue(store.head(target).info().version().sameAs(copied.version()));
        String missing = uniqueKey("copy-missing-target");
        assertThrows(PreconditionFailedException.class,
                () -> store.copy(source, missing, CopyOptions.of(PutMode.update(current.version()))));
        assertThrows(ObjectNotFoundException.class, () -> store.head(missing));
    }

    /** Copy-if-present fails on a missing target and replaces a present one. */
    @Test
    default void copyIfPresent() {
        Store store = store();
        String source = uniqueKey("copy-src");
        String target = uniqueKey("copy-dst");
        store.put(source, bytes("payload"));
        CopyOptions replace = CopyOptions.of(PutMode.replace());
        if (!copies(store, PutMode.replace())) {
            assertNotSupported(() -> store.copy(source, target, replace));
            assertThrows(ObjectNotFoundException.class, () -> store.head(target));
            return;
        }
        assertThrows(PreconditionFailedException.class, () -> store.copy(source, target, replace));
        assertThrows(ObjectNotFoundException.class, () -> store.head(target));
        store.put(target, bytes("present"));
        store.copy(source, target, replace);
        assertEquals("payload", text(store.get(target).content()));
    }

    /**
     * {@link #copyContenders()} copies of different sources race to one fresh target with
     * copy-if-absent: exactly one wins, the others fail "already exists", and the target holds the
     * winner's source. Run where the server is atomic under concurrency.
     *
     * @throws Exception if a worker is interrupted
     */
    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    default void concurrentCopiesIfAbsentHaveExactlyOneWinner() throws Exception {
        Store store = store();
        if (!copies(store, PutMode.create())) {
            assertNotSupported(() -> store.copy(uniqueKey("race-src"), uniqueKey("race-dst"), CopyOptions.of(PutMode.create())));
            return;
        }
        Assumptions.assumeTrue(atomicUnderConcurrency(), "the server under test is not atomic under concurrent requests");
        int n = copyContenders();
        List<String> sources = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String source = uniqueKey("race-src-" + i);
            store.put(source, bytes("source-" + i));
            sources.add(source);
        }
        for (int round = 1; round <= copyRaceRounds(); round++) {
            String target = uniqueKey("race-copy-target");
            List<Callable<Object>> tasks = new ArrayList<>();
            for (String source : sources) {
                tasks.add(() -> store.copy(source, target, CopyOptions.of(PutMode.create())));
            }
            List<Object> results = race(tasks, 120);
            int winner = -1;
            int lost = 0;
            for (int i = 0; i < n; i++) {
                Object r = results.get(i);
                if (r instanceof PutResult) {
                    assertEquals(-1, winner, "round " + round + ": copiers " + winner + " and " + i + " both won");
                    winner = i;
                } else if (r instanceof ObjectAlreadyExistsException
                        || r instanceof OutcomeUnknownException && Support.mayLeaveUnknown(store)) {
                    lost++;
                } else {
                    fail("round " + round + ": unexpected outcome " + r, r instanceof Throwable ? (Throwable) r : null);
                }
            }
            assertTrue(winner >= 0, "round " + round + ": nobody won");
            assertEquals(n - 1, lost, "round " + round);
            GetResult now = store.get(target);
            assertEquals("source-" + winner, text(now.content()), "round " + round + ": the winner's copy is stored");
            assertTrue(now.info().version().sameAs(((PutResult) results.get(winner)).version()));
        }
    }

    /**
     * Rename moves the version and deletes the source; onto an existing target it fails and leaves
     * both. A store without conditional delete refuses it before anything is sent.
     */
    @Test
    default void renameMovesAVersionOrIsRefused() {
        Store store = store();
        String source = uniqueKey("rename-src");
        String target = uniqueKey("rename-dst");
        putWithType(store, source, "moving");
        boolean renames = store.capabilities().supports(Capability.DELETE_IF_MATCH) && copies(store, PutMode.create());
        if (!renames) {
            assertNotSupported(() -> store.rename(source, target));
            assertEquals("moving", text(store.get(source).content()));
            assertThrows(ObjectNotFoundException.class, () -> store.head(target));
            return;
        }
        PutResult moved = store.rename(source, target);
        assertThrows(ObjectNotFoundException.class, () -> store.head(source));
        GetResult read = store.get(target);
        assertEquals("moving", text(read.content()));
        assertEquals("text/plain", read.info().contentType().orElse(null));
        assertTrue(read.info().version().sameAs(moved.version()));
        String other = uniqueKey("rename-other");
        store.put(other, bytes("occupied"));
        assertThrows(ObjectAlreadyExistsException.class, () -> store.rename(target, other));
        assertEquals("moving", text(store.get(target).content()), "a refused rename keeps its source");
        assertEquals("occupied", text(store.get(other).content()));
    }

    /**
     * A copy larger than one part (9 MiB): unconditionally it always works; with copy-if-absent it
     * works where the store copies server-side or commits parts under a condition, and elsewhere is
     * refused before anything is written.
     *
     * @throws Exception if hashing fails
     */
    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    default void aCopyLargerThanOnePart() throws Exception {
        Store store = store();
        String source = uniqueKey("copy-large-src");
        byte[] content = new byte[9 << 20];
        new Random(18).nextBytes(content);
        store.put(source, content);
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(content);
        String plain = uniqueKey("copy-large-dst");
        store.copy(source, plain);
        assertArrayEquals(digest, MessageDigest.getInstance("SHA-256").digest(store.get(plain).content()));
        String created = uniqueKey("copy-large-created");
        if (!copies(store, PutMode.create())) {
            assertNotSupported(() -> store.copy(source, created, CopyOptions.of(PutMode.create())));
            return;
        }
        try {
            store.copy(source, created, CopyOptions.of(PutMode.create()));
            assertArrayEquals(digest, MessageDigest.getInstance("SHA-256").digest(store.get(created).content()));
        } catch (NotSupportedException refused) {
            Capabilities c = store.capabilities();
            assertTrue(!c.supports(Capability.CONDITIONAL_MULTIPART_COMMIT) && !(c.supports(Capability.SERVER_SIDE_COPY)
                    && c.supports(Capability.COPY_IF_ABSENT)), "refused although the store could: " + refused);
            assertThrows(ObjectNotFoundException.class, () -> store.head(created), "nothing was written");
        }
    }
}
