package io.leasehold.tck;

import static io.leasehold.tck.Support.assertNotSupported;
import static io.leasehold.tck.Support.assertReadVerdict;
import static io.leasehold.tck.Support.bytes;
import static io.leasehold.tck.Support.putOptions;
import static io.leasehold.tck.Support.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leasehold.core.Capability;
import io.leasehold.core.GetOptions;
import io.leasehold.core.GetResult;
import io.leasehold.core.ObjectInfo;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.ObjectVersion;
import io.leasehold.core.PreconditionFailedException;
import io.leasehold.core.PutMode;
import io.leasehold.core.PutOptions;
import io.leasehold.core.ReadConsistency;
import io.leasehold.tck.Support.Verdict;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Conditional reads and writes (CONFORMANCE.md cases 7, 8, 9, 13). Every read case runs on get and
 * on head and expects the same verdict (case 9).
 *
 * <p>Date conditions use times relative to the object's own last-modified time (that time, 10 s
 * before, 10 s after), never wall-clock sleeps, so stores with second-precision dates pass without
 * waiting.
 *
 * <p>Thread-safety: a contract holds no state; JUnit runs its cases one at a time per instance.
 */
public interface ConditionsContract extends ConformanceHarness {
    /** Distance of the "earlier" and "later" dates from the object's last-modified time. */
    Duration DATE_SLACK = Duration.ofSeconds(10);

    /** Case 7 and 9: If-Match current gives the object; stale or missing version gives "precondition failed". */
    @Test
    default void readIfMatch() {
        Store store = store();
        String key = uniqueKey("get-if-match");
        ObjectVersion stale = store.put(key, bytes("old")).version();
        ObjectVersion current = store.put(key, bytes("new")).version();
        assertReadVerdict(store, key, GetOptions.builder().ifMatch(current).build(), Verdict.OBJECT, bytes("new"));
        assertReadVerdict(store, key, GetOptions.builder().ifMatch(stale).build(), Verdict.PRECONDITION_FAILED, null);
        assertReadVerdict(store, key, GetOptions.builder().ifMatch("*").build(), Verdict.OBJECT, bytes("new"));
    }

    /** Case 7 and 9: If-None-Match current gives "not modified"; another ETag gives the object. */
    @Test
    default void readIfNoneMatch() {
        Store store = store();
        String key = uniqueKey("get-if-none-match");
        ObjectVersion stale = store.put(key, bytes("old")).version();
        ObjectVersion current = store.put(key, bytes("new")).version();
        assertReadVerdict(store, key, GetOptions.builder().ifNoneMatch(current).build(), Verdict.NOT_MODIFIED, null);
        assertReadVerdict(store, key, GetOptions.builder().ifNoneMatch(stale).build(), Verdict.OBJECT, bytes("new"));
        assertReadVerdict(store, key, GetOptions.builder().ifNoneMatch("*").build(), Verdict.NOT_MODIFIED, null);
        if (store.capabilities().supports(Capability.GET_IF_NONE_MATCH)) {
            GetResult notModified = store.get(key, GetOptions.builder().ifNoneMatch(current).build());
            notModified.version().ifPresent(v -> assertTrue(v.sameAs(current), "a not-modified result names the current version"));
            assertThrows(IllegalStateException.class, notModified::content, "not modified has no content");
            assertThrows(IllegalStateException.class, notModified::info);
        }
    }

    /** Case 7 and 9: If-Modified-Since its last-modified time gives "not modified"; an earlier date gives the object. */
    @Test
    default void readIfModifiedSince() {
        Store store = store();
        String key = uniqueKey("get-ims");
        store.put(key, bytes("body"));
        Instant lastModified = store.head(key).info().lastModified();
        assertReadVerdict(store, key, GetOptions.builder().ifModifiedSince(lastModified).build(), Verdict.NOT_MODIFIED, null);
        assertReadVerdict(store, key, GetOptions.builder().ifModifiedSince(lastModified.plus(DATE_SLACK)).build(),
                Verdict.NOT_MODIFIED, null);
        assertReadVerdict(store, key, GetOptions.builder().ifModifiedSince(lastModified.minus(DATE_SLACK)).build(),
                Verdict.OBJECT, bytes("body"));
    }

    /** Case 7 and 9: If-Unmodified-Since an earlier date gives "precondition failed"; its own time or later gives the object. */
    @Test
    default void readIfUnmodifiedSince() {
        Store store = store();
        String key = uniqueKey("get-ius");
        store.put(key, bytes("body"));
        Instant lastModified = store.head(key).info().lastModified();
        assertReadVerdict(store, key, GetOptions.builder().ifUnmodifiedSince(lastModified.minus(DATE_SLACK)).build(),
                Verdict.PRECONDITION_FAILED, null);
        assertReadVerdict(store, key, GetOptions.builder().ifUnmodifiedSince(lastModified).build(), Verdict.OBJECT, bytes("body"));
        assertReadVerdict(store, key, GetOptions.builder().ifUnmodifiedSince(lastModified.plus(DATE_SLACK)).build(),
                Verdict.OBJECT, bytes("body"));
    }

    /**
     * Case 8 (RFC 9110 precedence): If-Match decides over If-Unmodified-Since, If-None-Match over
     * If-Modified-Since, and the If-Match/If-Unmodified-Since pair is evaluated before the other.
     */
    @Test
    default void readPrecedence() {
        Store store = store();
        String key = uniqueKey("get-precedence");
        ObjectVersion stale = store.put(key, bytes("old")).version();
        ObjectVersion current = store.put(key, bytes("body")).version();
        ObjectInfo info = store.head(key).info();
        Instant earlier = info.lastModified().minus(DATE_SLACK);
        Instant later = info.lastModified().plus(DATE_SLACK);
        // If-Match true + If-Unmodified-Since false -> object
        assertReadVerdict(store, key, GetOptions.builder().ifMatch(current).ifUnmodifiedSince(earlier).build(),
                Verdict.OBJECT, bytes("body"));
        // If-Match false + If-Unmodified-Since true -> precondition failed
        assertReadVerdict(store, key, GetOptions.builder().ifMatch(stale).ifUnmodifiedSince(later).build(),
                Verdict.PRECONDITION_FAILED, null);
        // If-None-Match false + If-Modified-Since true -> not modified
        assertReadVerdict(store, key, GetOptions.builder().ifNoneMatch(current).ifModifiedSince(earlier).build(),
                Verdict.NOT_MODIFIED, null);
        // If-None-Match true + If-Modified-Since false -> object
        assertReadVerdict(store, key, GetOptions.builder().ifNoneMatch(stale).ifModifiedSince(later).build(),
                Verdict.OBJECT, bytes("body"));
        // If-Match false wins over If-None-Match true: precondition failed, not an object
        assertReadVerdict(store, key, GetOptions.builder().ifMatch(stale).ifNoneMatch(stale).build(),
                Verdict.PRECONDITION_FAILED, null);
        // If-Match true + If-None-Match false -> not modified
        assertReadVerdict(store, key, GetOptions.builder().ifMatch(current).ifNoneMatch(current).build(),
                Verdict.NOT_MODIFIED, null);
    }

    /** Put with If-Unmodified-Since: its own time or later writes; an earlier date fails and changes nothing. */
    @Test
    default void putIfUnmodifiedSince() {
        Store store = store();
        String key = uniqueKey("put-ius");
        store.put(key, bytes("v1"));
        Instant lastModified = store.head(key).info().lastModified();
        PutOptions earlier = putOptions(store).ifUnmodifiedSince(lastModified.minus(DATE_SLACK)).build();
        PutOptions same = putOptions(store).ifUnmodifiedSince(lastModified).build();
        if (!store.capabilities().supports(Capability.PUT_IF_UNMODIFIED_SINCE)) {
            assertNotSupported(() -> store.put(key, bytes("v2"), same));
            assertEquals("v1", text(store.get(key).content()));
            return;
        }
        assertThrows(PreconditionFailedException.class, () -> store.put(key, bytes("v2"), earlier));
        assertEquals("v1", text(store.get(key).content()));
        store.put(key, bytes("v2"), same);
        assertEquals("v2", text(store.get(key).content()));
        String missing = uniqueKey("put-ius-missing");
        assertThrows(PreconditionFailedException.class, () -> store.put(missing, bytes("v"), same),
                "a date condition needs an object to compare with");
    }

    /** Put with If-Modified-Since: an earlier date writes; its own time fails and changes nothing. */
    @Test
    default void putIfModifiedSince() {
        Store store = store();
        String key = uniqueKey("put-ims");
        store.put(key, bytes("v1"));
        Instant lastModified = store.head(key).info().lastModified();
        PutOptions earlier = putOptions(store).ifModifiedSince(lastModified.minus(DATE_SLACK)).build();
        PutOptions same = putOptions(store).ifModifiedSince(lastModified).build();
        if (!store.capabilities().supports(Capability.PUT_IF_MODIFIED_SINCE)) {
            assertNotSupported(() -> store.put(key, bytes("v2"), earlier));
            assertEquals("v1", text(store.get(key).content()));
            return;
        }
        assertThrows(PreconditionFailedException.class, () -> store.put(key, bytes("v2"), same));
        assertEquals("v1", text(store.get(key).content()));
        store.put(key, bytes("v2"), earlier);
        assertEquals("v2", text(store.get(key).content()));
    }

    /** An update (If-Match) combined with a date condition needs both to hold. */
    @Test
    default void putIfMatchAndDateCondition() {
        Store store = store();
        String key = uniqueKey("put-match-date");
        ObjectVersion v1 = store.put(key, bytes("v1")).version();
        Instant lastModified = store.head(key).info().lastModified();
        PutOptions both = putOptions(store).mode(PutMode.update(v1)).ifUnmodifiedSince(lastModified.minus(DATE_SLACK)).build();
        if (!store.capabilities().supports(Capability.PUT_IF_MATCH)
                || !store.capabilities().supports(Capability.PUT_IF_UNMODIFIED_SINCE)) {
            assertNotSupported(() -> store.put(key, bytes("v2"), both));
            return;
        }
        assertThrows(PreconditionFailedException.class, () -> store.put(key, bytes("v2"), both));
        assertEquals("v1", text(store.get(key).content()));
    }

    /**
     * Case 13: a STRONG read sees the latest write at once (or NotSupported where the store has no
     * strong reads); conditional writes ask for strong evaluation where the store supports it.
     */
    @Test
    default void strongConsistency() {
        Store store = store();
        String key = uniqueKey("strong");
        GetOptions strong = GetOptions.builder().consistency(ReadConsistency.STRONG).build();
        store.put(key, bytes("v1"));
        if (!store.capabilities().supports(Capability.STRONG_READS)) {
            assertNotSupported(() -> store.get(key, strong));
            assertNotSupported(() -> store.put(key, bytes("v2"), PutOptions.builder().mode(PutMode.replace())
                    .consistency(ReadConsistency.STRONG).build()));
            return;
        }
        for (int i = 2; i <= 5; i++) {
            ObjectVersion written = store.put(key, bytes("v" + i)).version();
            GetResult read = store.get(key, strong);
            assertEquals("v" + i, text(read.content()), "read-after-write");
            assertTrue(read.info().version().sameAs(written));
            assertTrue(store.head(key, strong).info().version().sameAs(written));
        }
        String latest = "v5";
        if (store.capabilities().supports(Capability.PUT_IF_MATCH)) {
            ObjectVersion current = store.head(key, strong).info().version();
            store.put(key, bytes("cas"), PutOptions.builder().mode(PutMode.update(current)).consistency(ReadConsistency.STRONG).build());
            assertEquals("cas", text(store.get(key, strong).content()));
            latest = "cas";
        }
        if (store.capabilities().supports(Capability.GET_IF_MATCH)) {
            ObjectVersion current = store.head(key, strong).info().version();
            assertEquals(latest, text(store.get(key, strong.toBuilder().ifMatch(current).build()).content()));
        }
        // EVENTUAL is always accepted; it may be served by the same strong path.
        store.get(key, GetOptions.builder().consistency(ReadConsistency.EVENTUAL).build());
    }
}
