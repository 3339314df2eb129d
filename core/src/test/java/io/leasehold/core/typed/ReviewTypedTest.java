package io.leasehold.core.typed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leasehold.core.InvalidArgumentException;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.ObjectStoreException;
import io.leasehold.core.PutOptions;
import io.leasehold.driver.memory.MemoryDriver;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Hostile review of typed content: codec failures write nothing; null is never mistaken for "absent". */
class ReviewTypedTest {

    /** A JSON value. */
    public record Counter(int n) {
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A codec that cannot encode some values (as a serializer failing on a cycle or a missing module). */
    private static final class Picky implements Codec<String> {
        @Override
        public byte[] encode(String value) {
            if (value.startsWith("bad")) {
                throw new IllegalStateException("cannot encode " + value);
            }
            if (value.startsWith("error")) {
                throw new AssertionError("an Error from the codec");
            }
            return bytes(value);
        }

        @Override
        public String decode(byte[] content) {
            return new String(content, StandardCharsets.UTF_8);
        }

        @Override
        public Optional<String> contentType() {
            return Optional.of("text/plain");
        }
    }

    @Test
    void anEncodingFailureWritesNothingOnPutAndUpdate() {
        MemoryDriver memory = MemoryDriver.create();
        ObjectStore store = ObjectStore.of(memory);
        TypedStore<String> typed = TypedStore.of(store, new Picky());
        typed.put("k", "good");
        InvalidArgumentException put = assertThrows(InvalidArgumentException.class, () -> typed.put("k", "bad one"));
        assertEquals("value", put.field());
        InvalidArgumentException update = assertThrows(InvalidArgumentException.class, () -> typed.update("k", s -> "bad"));
        assertEquals("fn", update.field());
        assertThrows(AssertionError.class, () -> typed.update("k", s -> "error"));
        assertEquals("good", typed.get("k").value());
        assertThrows(InvalidArgumentException.class, () -> typed.put("absent", "bad"));
        assertFalse(store.exists("absent"));
        assertThrows(InvalidArgumentException.class, () -> typed.update("absent", s -> "bad"));
        assertFalse(store.exists("absent"));
    }

    @Test
    void anEncodingFailureInACoalescedBatchFailsOnlyItsCaller() throws Exception {
        ObjectStore store = ObjectStore.of(MemoryDriver.create());
        TypedStore<String> typed = TypedStore.of(store, new Picky());
        typed.put("k", "0");
        List<CompletableFuture<Object>> calls = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            boolean bad = i % 4 == 1;
            calls.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return typed.update("k", s -> bad ? "bad" : String.valueOf(Integer.parseInt(s) + 1));
                } catch (InvalidArgumentException e) {
                    return e;
                }
            }));
        }
        int applied = 0;
        for (CompletableFuture<Object> c : calls) {
            if (c.get(30, TimeUnit.SECONDS) instanceof TypedUpdateResult) {
                applied++;
            }
        }
        assertEquals(30, applied);
        assertEquals("30", typed.get("k").value());
    }

    @Test
    void storedJsonNullIsNotMistakenForAnAbsentObject() {
        MemoryDriver memory = MemoryDriver.create();
        ObjectStore store = ObjectStore.of(memory);
        memory.put("c", bytes("null"), PutOptions.defaults()); // written by another tool: JSON null
        List<Counter> given = new ArrayList<>();
        // The function is documented as given null only when the object is absent; a present object
        // whose content decodes to null must not be presented as absent (a "create" branch would run
        // and overwrite it).
        ObjectStoreException e = assertThrows(ObjectStoreException.class,
                () -> TypedStore.of(store, Counter.class).update("c", c -> {
                    given.add(c);
                    return c == null ? new Counter(1) : new Counter(c.n() + 1);
                }));
        assertTrue(given.isEmpty(), "the function was given " + given);
        assertTrue(e.getMessage().contains("null"), e.getMessage());
        assertArrayEquals(bytes("null"), memory.get("c", io.leasehold.core.GetOptions.defaults(), true).content(),
                "nothing written");
        assertThrows(ObjectStoreException.class, () -> TypedStore.of(store, Counter.class).get("c"));
    }
}
