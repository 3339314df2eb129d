package io.leasehold.core;

import io.leasehold.core.internal.Validation;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;


import io.leasehold.testing.RecordingDriver;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad input gives an InvalidArgumentException naming the field, and the driver never sees a call. */
class ValidationBeforeSendingTest {
    private RecordingDriver driver;
    private ObjectStore store;

    @BeforeEach
    void setUp() {
        driver = new RecordingDriver();
        store = ObjectStore.of(driver);
    }

    private void assertRejectedBeforeSending(String field, Executable call) {
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class, call);
        assertEquals(field, e.field(), e.getMessage());
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().startsWith(field + ":"), e.getMessage());
        assertEquals(List.of(), driver.calls(), "nothing may reach the driver");
    }

    static Stream<Arguments> badKeys() {
        return Stream.of(
                Arguments.of("null", null),
                Arguments.of("empty", ""),
                Arguments.of("1025 ASCII bytes", "k".repeat(1025)),
                Arguments.of("1026 UTF-8 bytes in 513 chars", "é".repeat(513)),
                Arguments.of("lone high surrogate at end", "abc\uD83D"),
                Arguments.of("high surrogate before a normal char", "a\uD83Db"),
                Arguments.of("lone low surrogate", "a\uDE00b"),
                Arguments.of("NUL", "a\u0000b"),
                Arguments.of("LF", "a\nb"),
                Arguments.of("CR", "a\rb"),
                Arguments.of("TAB", "a\tb"),
                Arguments.of("DEL", "a\u007fb"),
                Arguments.of("C1 control", "a\u0085b"),
                Arguments.of("the library's reserved prefix", ".leasehold/lease/k"),
                // A store at the bucket root must not reach the records of a store with prefix team/.
                Arguments.of("the reserved segment under a prefix", "team/.leasehold/lease/k"),
                Arguments.of("the reserved fence segment deep down", "a/b/.leasehold/fence/k"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badKeys")
    void badKeysAreRejectedOnEveryOperation(String why, String key) {
        assertRejectedBeforeSending("key", () -> store.put(key, new byte[1]));
        assertRejectedBeforeSending("key", () -> store.put(key, new byte[1], PutOptions.of(PutMode.create())));
        assertRejectedBeforeSending("key", () -> store.put(key, new ByteArrayInputStream(new byte[1]), 1, PutOptions.defaults()));
        assertRejectedBeforeSending("key", () -> store.get(key));
        assertRejectedBeforeSending("key", () -> store.head(key));
        assertRejectedBeforeSending("key", () -> store.delete(key));
        assertRejectedBeforeSending("key", () -> store.update(key, b -> b));
    }

    @Test
    void keysAtTheLimitAndWithPairedSurrogatesAreAccepted() {
        String ascii = "k".repeat(Validation.MAX_KEY_BYTES);
        String multiByte = "é".repeat(512); // 1024 bytes
        String emoji = "logs/\uD83D\uDE00/today";
        // Near misses of the reserved segment are ordinary keys.
        for (String key : List.of(ascii, multiByte, emoji, "a b/c?d#e%f", "team/x.leasehold/k", "team/.leasehold")) {
            store.put(key, "x".getBytes(StandardCharsets.UTF_8));
            assertEquals("x", new String(store.get(key).content(), StandardCharsets.UTF_8));
        }
        assertEquals(12, driver.calls().size());
    }

    static Stream<Arguments> badMetadata() {
        Map<String, String> nullName = new HashMap<>();
        nullName.put(null, "v");
        Map<String, String> nullValue = new HashMap<>();
        nullValue.put("name", null);
        return Stream.of(
                Arguments.of("uppercase name", Map.of("Name", "v")),
                Arguments.of("dash in name", Map.of("my-name", "v")),
                Arguments.of("name starting with digit", Map.of("1abc", "v")),
                Arguments.of("empty name", Map.of("", "v")),
                Arguments.of("name with CRLF", Map.of("a\r\nb", "v")),
                Arguments.of("129-char name", Map.of("a".repeat(129), "v")),
                Arguments.of("null name", nullName),
                Arguments.of("null value", nullValue),
                Arguments.of("value with CRLF", Map.of("name", "v\r\nX-Amz-Injected: 1")),
                Arguments.of("value with LF", Map.of("name", "v\n")),
                Arguments.of("non-ASCII value", Map.of("name", "café")),
                Arguments.of("DEL in value", Map.of("name", "a\u007f")),
                Arguments.of("over 2 KiB in total", Map.of("a", "x".repeat(1500), "b", "y".repeat(600))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badMetadata")
    void badMetadataIsRejectedOnPutAndUpdate(String why, Map<String, String> metadata) {
        assertRejectedBeforeSending("userMetadata",
                () -> store.put("k", new byte[1], PutOptions.builder().userMetadata(metadata).build()));
        UpdateOptions.Builder update = UpdateOptions.builder();
        metadata.forEach(update::metadata);
        assertRejectedBeforeSending("userMetadata", () -> store.update("k", b -> b, update.build()));
    }

    @Test
    void portableMetadataIsAcceptedAndRoundTrips() {
        Map<String, String> metadata = Map.of("owner", "team a", "_v2", "~!@#$%^&*()");
        store.put("k", new byte[1], PutOptions.builder().userMetadata(metadata).build());
        assertEquals(metadata, store.head("k").info().userMetadata());
    }

    static Stream<Arguments> badContentTypes() {
        return Stream.of(Arguments.of("text/plain\r\nX: 1"), Arguments.of(""), Arguments.of(" text/plain"),
                Arguments.of("text/plain; charset=ü"), Arguments.of("t/" + "x".repeat(300)));
    }

    @ParameterizedTest
    @MethodSource("badContentTypes")
    void badContentTypesAreRejected(String contentType) {
        assertRejectedBeforeSending("contentType",
                () -> store.put("k", new byte[1], PutOptions.builder().contentType(contentType).build()));
        assertRejectedBeforeSending("contentType",
                () -> store.update("k", b -> b, UpdateOptions.builder().contentType(contentType).build()));
    }

    @Test
    void etagsAreCheckedWhereTheyEnterTheApi() {
        // ETags enter through parse, so a malformed one cannot even be put into options.
        assertRejectedBeforeSending("ifMatch", () -> store.get("k", GetOptions.builder().ifMatch("\"a\"b\"").build()));
        assertRejectedBeforeSending("ifNoneMatch", () -> store.head("k", GetOptions.builder().ifNoneMatch("a\r\n").build()));
        assertRejectedBeforeSending("ifMatch", () -> store.delete("k", DeleteOptions.builder().ifMatch("W/abc").build()));
        assertRejectedBeforeSending("etag",
                () -> store.put("k", new byte[1], PutOptions.of(PutMode.update(ObjectVersion.of("a\nb")))));
    }

    @Test
    void nullsAndBadSizesAreRejected() {
        assertRejectedBeforeSending("content", () -> store.put("k", (byte[]) null));
        assertRejectedBeforeSending("content", () -> store.put("k", null, 1, PutOptions.defaults()));
        assertRejectedBeforeSending("options", () -> store.put("k", new byte[1], null));
        assertRejectedBeforeSending("options", () -> store.get("k", null));
        assertRejectedBeforeSending("options", () -> store.head("k", null));
        assertRejectedBeforeSending("options", () -> store.delete("k", null));
        assertRejectedBeforeSending("options", () -> store.update("k", b -> b, null));
        assertRejectedBeforeSending("fn", () -> store.update("k", null));
        assertRejectedBeforeSending("mode", () -> PutOptions.builder().mode(null));
        assertRejectedBeforeSending("mode", () -> PutMode.update(null));
        assertRejectedBeforeSending("consistency", () -> GetOptions.builder().consistency(null));
        assertRejectedBeforeSending("length",
                () -> store.put("k", new ByteArrayInputStream(new byte[4]), -2, PutOptions.defaults()));
        assertRejectedBeforeSending("length",
                () -> store.put("k", new ByteArrayInputStream(new byte[4]), 5, PutOptions.defaults()));
        assertRejectedBeforeSending("length",
                () -> store.put("k", new ByteArrayInputStream(new byte[4]), 3, PutOptions.defaults()));
        assertRejectedBeforeSending("uri", () -> ObjectStore.open(""));
        assertRejectedBeforeSending("uri", () -> ObjectStore.open("no-scheme"));
        assertRejectedBeforeSending("uri", () -> ObjectStore.open("nosuchscheme://x"));
    }

    @Test
    void badLeaseIdsAreRejected() {
        for (String id : List.of("", "has space", "x".repeat(129), "nl\n")) {
            assertRejectedBeforeSending("leaseId",
                    () -> store.put("k", new byte[1], PutOptions.builder().leaseId(id).build()));
            assertRejectedBeforeSending("leaseId", () -> store.get("k", GetOptions.builder().leaseId(id).build()));
            assertRejectedBeforeSending("leaseId", () -> store.delete("k", DeleteOptions.builder().leaseId(id).build()));
            assertRejectedBeforeSending("leaseId", () -> store.update("k", b -> b, UpdateOptions.builder().leaseId(id).build()));
        }
    }

    @Test
    void updateFunctionReturningNullIsAnInvalidArgumentAndNotWritten() {
        assertEquals("fn", assertThrows(InvalidArgumentException.class, () -> store.update("k", b -> null)).field());
        assertEquals(List.of("get k"), driver.calls());
    }

    @Test
    void validStreamPutIsSentOnce() {
        store.put("k", new ByteArrayInputStream("abcd".getBytes(StandardCharsets.UTF_8)), 4, PutOptions.defaults());
        assertEquals(List.of("put k"), driver.calls());
        assertEquals("abcd", new String(store.get("k").content(), StandardCharsets.UTF_8));
    }
}
