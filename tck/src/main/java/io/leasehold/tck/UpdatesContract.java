package io.leasehold.tck;

import static io.leasehold.tck.Support.assertNotSupported;
import static io.leasehold.tck.Support.bytes;
import static io.leasehold.tck.Support.mode;
import static io.leasehold.tck.Support.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.leasehold.core.Capability;
import io.leasehold.core.Conflicts;
import io.leasehold.core.ErrorCode;
import io.leasehold.core.GetResult;
import io.leasehold.core.InvalidArgumentException;
import io.leasehold.core.ObjectNotFoundException;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.ObjectStoreException;
import io.leasehold.core.PreconditionFailedException;
import io.leasehold.core.PutMode;
import io.leasehold.core.UpdateFunction;
import io.leasehold.core.UpdateListener;
import io.leasehold.core.UpdateOptions;
import io.leasehold.core.UpdateResult;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Read-modify-write through {@link ObjectStore#update}: creates when absent, retries lost races
 * after re-reading, reports attempts and conflicts to listeners and Resilience4j, and surfaces the
 * last failure when it gives up. Races here are made deterministic by writing from inside the
 * update function, so these cases run on every store.
 *
 * <p>Thread-safety: a contract holds no state; JUnit runs its cases one at a time per instance.
 */
public interface UpdatesContract extends ConformanceHarness {

    /** Whether update can run at all here; if not, asserts that it is refused as not supported. */
    private boolean updateSupportedOrRefused(Store store) {
        if (store.capabilities().supports(Capability.PUT_IF_ABSENT) && store.capabilities().supports(Capability.PUT_IF_MATCH)) {
            return true;
        }
        assertNotSupported(() -> store.update(uniqueKey("update"), b -> b));
        return false;
    }

    /** Update on an absent key creates it (created, one attempt, no conflicts). */
    @Test
    default void updateCreatesWhenAbsent() {
        Store store = store();
        if (!updateSupportedOrRefused(store)) {
            return;
        }
        String key = uniqueKey("update-create");
        List<String> seen = new CopyOnWriteArrayList<>();
        UpdateResult r = store.update(key, current -> {
            seen.add(current == null ? "absent" : text(current));
            return bytes("created");
        });
        assertEquals(List.of("absent"), seen, "the function sees null for an absent key");
        assertTrue(r.created());
        assertEquals(1, r.attempts());
        assertEquals(0, r.conflicts());
        assertEquals("created", text(r.content()));
        GetResult now = store.get(key);
        assertEquals("created", text(now.content()));
        assertTrue(now.info().version().sameAs(r.version()));
    }

    /** Update of an existing key applies the function to its current content and returns the new version. */
    @Test
    default void updateAppliesFunctionToCurrentContent() {
        Store store = store();
        if (!updateSupportedOrRefused(store)) {
            return;
        }
        String key = uniqueKey("update-existing");
        store.put(key, bytes("a"));
        UpdateResult r = store.update(key, current -> bytes(text(current) + "b"));
        assertFalse(r.created());
        assertEquals(1, r.attempts());
        assertEquals("ab", text(store.get(key).content()));
        assertTrue(store.head(key).info().version().sameAs(r.version()));
    }

    /** Content type and user metadata given to update are written (metadata only where supported). */
    @Test
    default void updateWritesContentTypeAndMetadata() {
        Store store = store();
        if (!updateSupportedOrRefused(store)) {
            return;
        }
        String key = uniqueKey("update-meta");
        UpdateOptions.Builder options = UpdateOptions.builder().contentType("application/json");
        boolean metadata = store.capabilities().supports(Capability.USER_METADATA);
        if (metadata) {
            options.metadata("app", "tck");
        }
        store.update(key, b -> bytes("{}"), options.build());
        GetResult now = store.head(key);
        assertEquals("application/json", now.info().contentType().orElseThrow());
        if (metadata) {
            assertEquals("tck", now.info().userMetadata().get("app"));
        }
    }

    /** A lost race (another writer between read and write) is retried after re-reading; the other write is kept. */
    @Test
    default void updateRetriesALostUpdateRace() {
        Store store = store();
        if (!updateSupportedOrRefused(store)) {
            return;
        }
        String key = uniqueKey("update-race");
        store.put(key, bytes("0"));
        AtomicInteger calls = new AtomicInteger();
        List<String> events = new CopyOnWriteArrayList<>();
        UpdateListener listener = new UpdateListener() {
            @Override
            public void onConflict(String k, int attempt, ObjectStoreException cause) {
                events.add("conflict " + attempt + " " + cause.code());
            }

            @Override
            public void onSuccess(UpdateResult result) {
                events.add("success " + result.attempts());
            }
        };
        UpdateResult r = store.update(key, current -> {
            if (calls.incrementAndGet() == 1) {
                store.put(key, bytes(text(current) + "+other")); // a competing writer wins the race
            }
            return bytes(text(current) + "+mine");
        }, UpdateOptions.builder().listener(listener).build());
        assertEquals(2, calls.get(), "re-applied to the re-read content");
        assertEquals("0+other+mine", text(store.get(key).content()), "no update lost");
        assertEquals(2, r.attempts());
        assertEquals(1, r.conflicts());
        assertEquals(List.of("conflict 1 PRECONDITION_FAILED", "success 2"), events);
    }

    /** A lost create race (the key appears between read and create) is retried as an update. */
    @Test
    default void updateRetriesALostCreateRace() {
        Store store = store();
        if (!updateSupportedOrRefused(store)) {
            return;
        }
        String key = uniqueKey("update-create-race");
        AtomicInteger calls = new AtomicInteger();
        List<ErrorCode> conflicts = new CopyOnWriteArrayList<>();
        UpdateResult r = store.update(key, current -> {
            if (calls.incrementAndGet() == 1) {
                store.put(key, bytes("theirs"), mode(store, PutMode.create()));
            }
            return bytes((current == null ? "" : text(current) + "+") + "mine");
        }, UpdateOptions.builder().listener(new UpdateListener() {
            @Override
            public void onConflict(String k, int attempt, ObjectStoreException cause) {
                conflicts.add(cause.code());
            }
        }).build());
        assertEquals("theirs+mine", text(store.get(key).content()));
        assertFalse(r.created(), "the other writer created it");
        assertEquals(List.of(ErrorCode.ALREADY_EXISTS), conflicts);
    }

    /** A caller-supplied Resilience4j Retry sees the retries and the success as events. */
    @Test
    default void updateReportsResilience4jEvents() {
        Store store = store();
        if (!updateSupportedOrRefused(store)) {
            return;
        }
        String key = uniqueKey("update-r4j");
        store.put(key, bytes("0"));
        Retry retry = Retry.of("tck-update", RetryConfig.custom().maxAttempts(10).waitDuration(Duration.ofMillis(5))
                .retryOnException(Conflicts::isRetryableAfterReread).build());
        List<String> events = new CopyOnWriteArrayList<>();
        retry.getEventPublisher().onRetry(e -> events.add("retry " + e.getNumberOfRetryAttempts()));
        retry.getEventPublisher().onSuccess(e -> events.add("success " + e.getNumberOfRetryAttempts()));
        AtomicInteger calls = new AtomicInteger();
        UpdateResult r = store.update(key, current -> {
            if (calls.incrementAndGet() <= 2) {
                store.put(key, bytes("other" + calls.get()));
            }
            return bytes(text(current) + "!");
        }, UpdateOptions.builder().retry(retry).build());
        assertEquals(3, r.attempts());
        assertEquals("other2!", text(store.get(key).content()));
        assertEquals(List.of("retry 1", "retry 2", "success 2"), events);
        assertEquals(1, retry.getMetrics().getNumberOfSuccessfulCallsWithRetryAttempt());
    }

    /** When retries run out, the last failure surfaces and the listener hears of the give-up; nothing of ours is written. */
    @Test
    default void updateGivesUpWithTheLastFailure() {
        Store store = store();
        if (!updateSupportedOrRefused(store)) {
            return;
        }
        String key = uniqueKey("update-give-up");
        store.put(key, bytes("start"));
        AtomicInteger calls = new AtomicInteger();
        List<String> events = new CopyOnWriteArrayList<>();
        RuntimeException[] reported = new RuntimeException[1];
        UpdateListener listener = new UpdateListener() {
            @Override
            public void onConflict(String k, int attempt, ObjectStoreException cause) {
                events.add("conflict " + attempt);
            }

            @Override
            public void onGiveUp(String k, int attempts, RuntimeException cause) {
                events.add("give up " + attempts);
                reported[0] = cause;
            }
        };
        RetryConfig three = RetryConfig.custom().maxAttempts(3).waitDuration(Duration.ofMillis(5))
                .retryOnException(Conflicts::isRetryableAfterReread).build();
        PreconditionFailedException e = assertThrows(PreconditionFailedException.class, () -> store.update(key, current -> {
            store.put(key, bytes("interference " + calls.incrementAndGet())); // always loses the race
            return bytes("mine");
        }, UpdateOptions.builder().retryConfig(three).listener(listener).build()));
        assertEquals(ErrorCode.PRECONDITION_FAILED, e.code());
        assertEquals(3, calls.get());
        assertEquals(List.of("conflict 1", "conflict 2", "conflict 3", "give up 3"), events);
        assertSame(e, reported[0], "the listener gets the exception the caller gets");
        assertEquals("interference 3", text(store.get(key).content()));
    }

    /** A failure in the caller's function is not retried and reaches the caller unchanged. */
    @Test
    default void updateDoesNotRetryTheFunctionsOwnFailure() {
        Store store = store();
        if (!updateSupportedOrRefused(store)) {
            return;
        }
        String key = uniqueKey("update-fn-fails");
        store.put(key, bytes("kept"));
        AtomicInteger calls = new AtomicInteger();
        IllegalStateException boom = new IllegalStateException("bug in caller");
        assertSame(boom, assertThrows(IllegalStateException.class, () -> store.update(key, current -> {
            calls.incrementAndGet();
            throw boom;
        })));
        assertEquals(1, calls.get());
        assertEquals("kept", text(store.get(key).content()));
    }

    /**
     * An update starting from a held version applies the function to the held content without
     * reading; a held copy that went stale (another writer, including one that wrote the same bytes
     * back, A→B→A) is refused by the store and the loop re-reads, so no change is lost or applied to
     * old content.
     */
    @Test
    default void updateStartingFromAHeldVersion() {
        Store store = store();
        if (!updateSupportedOrRefused(store)) {
            return;
        }
        String key = uniqueKey("update-held");
        store.put(key, bytes("1"));
        GetResult held = store.get(key);
        List<String> seen = new CopyOnWriteArrayList<>();
        UpdateFunction increment = current -> {
            seen.add(text(current));
            return bytes(Integer.toString(Integer.parseInt(text(current)) + 1));
        };
        UpdateResult fresh = store.update(key, increment, UpdateOptions.builder().startingFrom(held).build());
        assertEquals(List.of("1"), seen, "the function saw the held content");
        assertEquals(1, fresh.attempts());
        assertEquals(0, fresh.conflicts());
        assertEquals("2", text(store.get(key).content()));

        // The held copy is stale now: its write is refused, the loop reads "2" and writes "3".
        seen.clear();
        UpdateResult stale = store.update(key, increment, UpdateOptions.builder().startingFrom(held).build());
        assertEquals(List.of("1", "2"), seen);
        assertEquals(2, stale.attempts());
        assertEquals(1, stale.conflicts());
        assertEquals("3", text(store.get(key).content()));

        // A→B→A: the same bytes written back by others. Where ETags are content hashes the held
        // If-Match matches again, which is right: the held content is the current content.
        GetResult heldA = store.get(key);
        store.put(key, bytes("other"));
        store.put(key, bytes("3"));
        seen.clear();
        store.update(key, increment, UpdateOptions.builder().startingFrom(heldA).build());
        assertEquals("3", seen.get(seen.size() - 1), "the function's last input was the current content");
        assertEquals("4", text(store.get(key).content()));

        assertThrows(InvalidArgumentException.class, () -> store.update(uniqueKey("update-held-other"), increment,
                UpdateOptions.builder().startingFrom(held).build()), "a held version of another key");
        assertThrows(InvalidArgumentException.class, () -> UpdateOptions.builder().startingFrom(store.head(key)),
                "a head result has no content");
        assertEquals("4", text(store.get(key).content()), "nothing was written by the refused calls");
    }

    // ---------------------------------------------------------------- "no change" answers

    /** A function answering {@link UpdateFunction#unchanged()} writes nothing; the result reports the version read. */
    @Test
    default void updateThatAnswersUnchangedWritesNothing() {
        Store store = store();
        if (!updateSupportedOrRefused(store)) {
            return;
        }
        String key = uniqueKey("update-unchanged");
        store.put(key, bytes("a"));
        GetResult before = store.head(key);
        UpdateResult r = store.update(key, current -> UpdateFunction.unchanged());
        assertFalse(r.changed());
        assertEquals("a", text(r.content()), "the content read");
        assertTrue(r.version().sameAs(before.info().version()), "the version read");
        assertEquals(1, r.attempts());
        assertFalse(r.created());
        GetResult after = store.head(key);
        assertTrue(after.info().version().sameAs(before.info().version()), "no new version");
        assertEquals(before.info().lastModified(), after.info().lastModified());

        String absent = uniqueKey("update-unchanged-absent");
        UpdateResult none = store.update(absent, current -> UpdateFunction.unchanged());
        assertFalse(none.changed());
        assertEquals(null, none.content(), "nothing was read");
        assertThrows(IllegalStateException.class, none::version, "no version was read");
        assertThrows(ObjectNotFoundException.class, () -> store.head(absent), "nothing was created");
    }

    /** After a lost race, a function may find its change already made and answer unchanged: nothing more is written. */
    @Test
    default void updateAnsweringUnchangedAfterALostRace() {
        Store store = store();
        if (!updateSupportedOrRefused(store)) {
            return;
        }
        String key = uniqueKey("update-unchanged-race");
        store.put(key, bytes("off"));
        AtomicInteger calls = new AtomicInteger();
        UpdateResult r = store.update(key, current -> {
            if (calls.incrementAndGet() == 1) {
                store.put(key, bytes("on")); // another writer made the change first
            }
            return text(current).equals("on") ? UpdateFunction.unchanged() : bytes("on");
        });
        assertEquals(2, calls.get());
        assertFalse(r.changed());
        assertEquals(2, r.attempts());
        assertEquals(1, r.conflicts());
        assertEquals("on", text(r.content()));
        assertTrue(r.version().sameAs(store.head(key).info().version()));
    }
}
