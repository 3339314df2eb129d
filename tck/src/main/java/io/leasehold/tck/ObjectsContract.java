package io.leasehold.tck;

import static io.leasehold.tck.Support.assertNotSupported;
import static io.leasehold.tck.Support.bytes;
import static io.leasehold.tck.Support.mode;
import static io.leasehold.tck.Support.putOptions;
import static io.leasehold.tck.Support.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leasehold.core.Capability;
import io.leasehold.core.DeleteOptions;
import io.leasehold.core.ETag;
import io.leasehold.core.ErrorCode;
import io.leasehold.core.GetOptions;
import io.leasehold.core.GetResult;
import io.leasehold.core.ObjectAlreadyExistsException;
import io.leasehold.core.ObjectInfo;
import io.leasehold.core.ObjectNotFoundException;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.ObjectVersion;
import io.leasehold.core.PreconditionFailedException;
import io.leasehold.core.PutMode;
import io.leasehold.core.PutOptions;
import io.leasehold.core.PutResult;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Objects: put, get, head and delete with their modes (CONFORMANCE.md cases 1, 3, 4, 10, 11, 12).
 *
 * <p>Where the store lacks a capability a case needs, the case asserts
 * {@link io.leasehold.core.NotSupportedException} instead.
 */
public interface ObjectsContract extends ConformanceHarness {

    /** Unconditional put, then get and head return the bytes, size, content type and metadata; missing keys are not found. */
    @Test
    default void putGetHeadRoundTrip() {
        Store store = store();
        String key = uniqueKey("roundtrip");
        PutOptions.Builder options = PutOptions.builder().contentType("text/plain; charset=utf-8");
        boolean metadata = store.capabilities().supports(Capability.USER_METADATA);
        if (metadata) {
            options.metadata("owner", "tck").metadata("run_id", "42");
        } else {
            assertNotSupported(() -> store.put(key, bytes("x"), PutOptions.builder().metadata("owner", "tck").build()));
        }
        PutResult put = store.put(key, bytes("hello, store"), options.build());
        assertEquals(key, put.key());
        assertNotNull(put.version());
        assertEquals(12, put.size());

        GetResult got = store.get(key);
        assertFalse(got.isNotModified());
        assertArrayEquals(bytes("hello, store"), got.content());
        ObjectInfo info = got.info();
        assertEquals(key, info.key());
        assertEquals(12, info.size());
        assertTrue(info.version().sameAs(put.version()), "get returns the version the put returned");
        // RFC 9110 8.3.1: whitespace around ';' in a media type is optional (S3Mock drops it).
        assertEquals("text/plain;charset=utf-8", info.contentType().orElseThrow().replaceAll("\\s*;\\s*", ";"));
        if (metadata) {
            assertEquals(Map.of("owner", "tck", "run_id", "42"), info.userMetadata());
        }
        put.lastModified().ifPresent(t -> assertEquals(t.getEpochSecond(), info.lastModified().getEpochSecond(), 1));

        GetResult head = store.head(key);
        assertFalse(head.hasContent());
        assertTrue(head.info().version().sameAs(put.version()));
        assertEquals(12, head.info().size());

        store.put(key, new byte[0]);
        assertArrayEquals(new byte[0], store.get(key).content(), "empty objects are objects");

        String missing = uniqueKey("missing");
        assertEquals(ErrorCode.NOT_FOUND, assertThrows(ObjectNotFoundException.class, () -> store.get(missing)).code());
        assertThrows(ObjectNotFoundException.class, () -> store.head(missing));
    }

    /** Case 1: create on an absent key succeeds; a second create fails "already exists" and the first content stays. */
    @Test
    default void createIfAbsent() {
        Store store = store();
        String key = uniqueKey("create");
        PutOptions create = mode(store, PutMode.create());
        if (!store.capabilities().supports(Capability.PUT_IF_ABSENT)) {
            assertNotSupported(() -> store.put(key, bytes("first"), create));
            return;
        }
        PutResult first = store.put(key, bytes("first"), create);
        assertNotNull(first.version());
        ObjectAlreadyExistsException e = assertThrows(ObjectAlreadyExistsException.class,
                () -> store.put(key, bytes("second"), create));
        assertEquals(ErrorCode.ALREADY_EXISTS, e.code());
        GetResult now = store.get(key);
        assertEquals("first", text(now.content()));
        assertTrue(now.info().version().sameAs(first.version()));
    }

    /** Case 3: update with the current version succeeds with a new version; with a stale one it fails and nothing changes. */
    @Test
    default void updateIfMatch() {
        Store store = store();
        String key = uniqueKey("update");
        ObjectVersion v1 = store.put(key, bytes("v1")).version();
        if (!store.capabilities().supports(Capability.PUT_IF_MATCH)) {
            assertNotSupported(() -> store.put(key, bytes("v2"), mode(store, PutMode.update(v1))));
            return;
        }
        ObjectVersion v2 = store.put(key, bytes("v2"), mode(store, PutMode.update(v1))).version();
        assertFalse(v2.sameAs(v1), "an update returns a new version");
        assertTrue(store.head(key).info().version().sameAs(v2));

        PreconditionFailedException e = assertThrows(PreconditionFailedException.class,
                () -> store.put(key, bytes("stale"), mode(store, PutMode.update(v1))));
        assertEquals(ErrorCode.PRECONDITION_FAILED, e.code());
        GetResult now = store.get(key);
        assertEquals("v2", text(now.content()), "a failed update changes nothing");
        assertTrue(now.info().version().sameAs(v2));

        // The version a write returns feeds the next compare-and-swap directly.
        ObjectVersion v3 = store.put(key, bytes("v3"), mode(store, PutMode.update(v2))).version();
        assertEquals("v3", text(store.get(key).content()));
        assertFalse(v3.sameAs(v2));
    }

    /** Case 4: update of a missing key fails "precondition failed" (never "not found", never a create). */
    @Test
    default void updateOfMissingKeyFailsPrecondition() {
        Store store = store();
        String key = uniqueKey("update-missing");
        String other = uniqueKey("other");
        ObjectVersion someVersion = store.put(other, bytes("x")).version();
        PutOptions update = mode(store, PutMode.update(someVersion));
        if (!store.capabilities().supports(Capability.PUT_IF_MATCH)) {
            assertNotSupported(() -> store.put(key, bytes("v"), update));
            return;
        }
        assertEquals(ErrorCode.PRECONDITION_FAILED,
                assertThrows(PreconditionFailedException.class, () -> store.put(key, bytes("v"), update)).code());
        assertThrows(ObjectNotFoundException.class, () -> store.head(key), "nothing was created");
    }

    /** Replace-if-present: fails "precondition failed" on a missing key, replaces an existing one. */
    @Test
    default void replaceIfPresent() {
        Store store = store();
        String key = uniqueKey("replace");
        PutOptions replace = mode(store, PutMode.replace());
        if (!store.capabilities().supports(Capability.PUT_IF_PRESENT)) {
            assertNotSupported(() -> store.put(key, bytes("v"), replace));
            return;
        }
        assertThrows(PreconditionFailedException.class, () -> store.put(key, bytes("v"), replace));
        assertThrows(ObjectNotFoundException.class, () -> store.head(key));
        store.put(key, bytes("v1"));
        store.put(key, bytes("v2"), replace);
        assertEquals("v2", text(store.get(key).content()));
    }

    /** Case 10: delete with the current version deletes; with a stale one fails and the object survives; a missing key is "not found". */
    @Test
    default void conditionalDelete() {
        Store store = store();
        String key = uniqueKey("delete");
        ObjectVersion v1 = store.put(key, bytes("v1")).version();
        ObjectVersion v2 = store.put(key, bytes("v2")).version();
        if (!store.capabilities().supports(Capability.DELETE_IF_MATCH)) {
            assertNotSupported(() -> store.delete(key, DeleteOptions.ifMatch(v2)));
            assertEquals("v2", text(store.get(key).content()), "a refused delete deletes nothing");
        } else {
            assertThrows(PreconditionFailedException.class, () -> store.delete(key, DeleteOptions.ifMatch(v1)));
            assertEquals("v2", text(store.get(key).content()), "the object survives a stale delete");
            store.delete(key, DeleteOptions.ifMatch(v2));
            assertThrows(ObjectNotFoundException.class, () -> store.get(key));
            assertThrows(ObjectNotFoundException.class, () -> store.delete(key, DeleteOptions.ifMatch(v2)),
                    "a conditional delete of a missing key is not found");
        }
        String plain = uniqueKey("delete-plain");
        store.put(plain, bytes("x"));
        store.delete(plain);
        assertThrows(ObjectNotFoundException.class, () -> store.head(plain));
        assertEquals(ErrorCode.NOT_FOUND, assertThrows(ObjectNotFoundException.class, () -> store.delete(plain)).code(),
                "deleting a missing key is never a silent success");
    }

    /**
     * Case 11: an ETag given quoted, unquoted or weak is handled the same way everywhere: If-Match
     * compares strongly (a weak tag never matches), If-None-Match weakly.
     */
    @Test
    default void etagFormsAreHandledTheSameWay() {
        Store store = store();
        String key = uniqueKey("etag-forms");
        PutResult put = store.put(key, bytes("body"));
        String value = put.version().etag().value();
        String quoted = "\"" + value + "\"";
        String weak = "W/\"" + value + "\"";
        boolean ifMatch = store.capabilities().supports(Capability.GET_IF_MATCH);
        boolean ifNoneMatch = store.capabilities().supports(Capability.GET_IF_NONE_MATCH);
        for (String form : new String[] {value, quoted, " " + quoted + " "}) {
            GetOptions matching = GetOptions.builder().ifMatch(form).build();
            GetOptions notMatching = GetOptions.builder().ifNoneMatch(form).build();
            if (ifMatch) {
                assertEquals("body", text(store.get(key, matching).content()), form);
            } else {
                assertNotSupported(() -> store.get(key, matching));
            }
            if (ifNoneMatch) {
                assertTrue(store.get(key, notMatching).isNotModified(), form);
            } else {
                assertNotSupported(() -> store.get(key, notMatching));
            }
        }
        if (ifMatch) {
            assertThrows(PreconditionFailedException.class,
                    () -> store.get(key, GetOptions.builder().ifMatch(weak).build()), "If-Match compares strongly");
        }
        if (ifNoneMatch) {
            assertTrue(store.get(key, GetOptions.builder().ifNoneMatch(weak).build()).isNotModified(),
                    "If-None-Match compares weakly");
        }
        if (store.capabilities().supports(Capability.PUT_IF_MATCH)) {
            assertThrows(PreconditionFailedException.class, () -> store.put(key, bytes("weak"),
                    mode(store, PutMode.update(ObjectVersion.of(weak)))), "a weak tag never satisfies an update");
            ObjectVersion unquoted = store.put(key, bytes("unquoted"),
                    mode(store, PutMode.update(ObjectVersion.of(value)))).version();
            store.put(key, bytes("quoted"), mode(store, PutMode.update(ObjectVersion.of("\"" + unquoted.etag().value() + "\""))));
            assertEquals("quoted", text(store.get(key).content()));
        }
        if (store.capabilities().supports(Capability.DELETE_IF_MATCH)) {
            String current = store.head(key).info().version().etag().value();
            assertThrows(PreconditionFailedException.class,
                    () -> store.delete(key, DeleteOptions.builder().ifMatch("W/\"" + current + "\"").build()));
            store.delete(key, DeleteOptions.builder().ifMatch(current).build());
            assertThrows(ObjectNotFoundException.class, () -> store.head(key));
        }
        assertEquals(ETag.parse(quoted), ETag.parse(value));
    }

    /**
     * Case 12: rewriting identical bytes. The suite records whether the ETag changes and checks that
     * the store declares it ({@link Capability#ETAG_CHANGES_ON_IDENTICAL_REWRITE}); where it does
     * not change (content-hash ETags), an A-B-A rewrite is invisible to If-Match.
     */
    @Test
    default void identicalRewriteEtagBehaviourMatchesCapability() {
        Store store = store();
        String key = uniqueKey("rewrite");
        ObjectVersion first = store.put(key, bytes("same bytes")).version();
        ObjectVersion second = store.put(key, bytes("same bytes")).version();
        boolean changes = !first.sameAs(second);
        System.out.println("[tck] " + store.driverName() + ": ETag changes on identical rewrite = " + changes);
        assertEquals(store.capabilities().supports(Capability.ETAG_CHANGES_ON_IDENTICAL_REWRITE), changes,
                "the declared capability must match the observed behaviour");
        assertTrue(store.head(key).info().version().sameAs(second));

        store.put(key, bytes("other bytes"));
        store.put(key, bytes("same bytes"));
        if (!store.capabilities().supports(Capability.PUT_IF_MATCH)) {
            return;
        }
        PutOptions ifFirst = mode(store, PutMode.update(second));
        if (changes) {
            assertThrows(PreconditionFailedException.class, () -> store.put(key, bytes("after ABA"), ifFirst),
                    "with per-write ETags an A-B-A rewrite is detected");
            assertEquals("same bytes", text(store.get(key).content()));
        } else {
            store.put(key, bytes("after ABA"), ifFirst);
            assertEquals("after ABA", text(store.get(key).content()), "content-hash ETags cannot see A-B-A");
        }
    }

    /** Keys with slashes, spaces, unicode and 1024 UTF-8 bytes are stored and read back exactly. */
    @Test
    default void unusualKeysRoundTrip() {
        Store store = store();
        String base = uniqueKey("keys");
        String[] keys = {
            base + "/a b/c+d%20e?f#g&h=i",
            base + "/ünïcødé/日本語/\uD83D\uDE00",
            base + "/" + "k".repeat(1024 - base.length() - 1),
        };
        for (String key : keys) {
            store.put(key, bytes(key));
        }
        for (String key : keys) {
            GetResult got = store.get(key);
            assertEquals(key, got.info().key());
            assertEquals(key, text(got.content()));
        }
    }

    /** Put options are immutable values: building from the same builder twice gives independent options. */
    @Test
    default void optionsAreValues() {
        Store store = store();
        PutOptions.Builder b = putOptions(store).mode(PutMode.create());
        PutOptions a = b.build();
        b.mode(PutMode.overwrite());
        assertEquals(PutMode.create(), a.mode());
    }
}
