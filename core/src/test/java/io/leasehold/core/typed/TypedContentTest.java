package io.leasehold.core.typed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.leasehold.core.ErrorCode;
import io.leasehold.core.InvalidArgumentException;
import io.leasehold.core.ObjectNotFoundException;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.ObjectStoreException;
import io.leasehold.core.PutOptions;
import io.leasehold.driver.memory.MemoryDriver;
import io.leasehold.spi.PutResponse;
import io.leasehold.spi.kit.ForwardingStoreDriver;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Typed content: String and JSON views of a store, blocking and asynchronous. */
class TypedContentTest {

    /** A JSON value. */
    public record Settings(String theme, int fontSize) {
        Settings withTheme(String t) {
            return new Settings(t, fontSize);
        }
    }

    /** A mutable JSON value, changed in place by update functions. */
    public static final class Cart {
        public List<String> items = new ArrayList<>();
        public Instant updated;
    }

    /** Counts puts. */
    static final class Counting extends ForwardingStoreDriver {
        final AtomicInteger puts = new AtomicInteger();

        Counting() {
            super(MemoryDriver.create());
        }

        @Override
        public PutResponse put(String key, byte[] content, PutOptions options) {
            puts.incrementAndGet();
            return super.put(key, content, options);
        }
    }

    @Test
    void textRoundTripsAsUtf8AndRefusesOtherBytes() {
        try (ObjectStore store = ObjectStore.of(MemoryDriver.create())) {
            TypedStore<String> notes = TypedStore.of(store, Codec.utf8());
            notes.put("note", "grüße");
            TypedValue<String> read = notes.get("note");
            assertEquals("grüße", read.value());
            assertEquals("text/plain; charset=utf-8", read.info().contentType().orElseThrow());
            assertTrue(read.version().sameAs(store.head("note").info().version()));

            store.put("binary", new byte[] {(byte) 0xC3, (byte) 0x28});
            ObjectStoreException e = assertThrows(ObjectStoreException.class, () -> notes.get("binary"));
            assertEquals(ErrorCode.UNKNOWN, e.code());
            assertEquals(java.util.Optional.of("binary"), e.key());
            assertTrue(e.getMessage().contains("Codec.utf8()"), e.getMessage());
        }
    }

    @Test
    void jsonRoundTripsWithItsContentType() {
        try (ObjectStore store = ObjectStore.of(MemoryDriver.create())) {
            TypedStore<Settings> settings = TypedStore.of(store, Settings.class);
            settings.put("settings.json", new Settings("light", 12));
            assertEquals(new Settings("light", 12), settings.get("settings.json").value());
            assertEquals("application/json", store.head("settings.json").info().contentType().orElseThrow());
            assertEquals("{\"theme\":\"light\",\"fontSize\":12}",
                    new String(store.get("settings.json").content(), StandardCharsets.UTF_8));
            settings.put("other.json", new Settings("dark", 10), PutOptions.builder().contentType("application/vnd.x+json").build());
            assertEquals("application/vnd.x+json", store.head("other.json").info().contentType().orElseThrow(),
                    "the options' content type wins");
        }
    }

    @Test
    void updateByTypeCreatesChangesAndRecognisesNoChange() {
        Counting driver = new Counting();
        try (ObjectStore store = ObjectStore.of(driver)) {
            List<Settings> seen = new ArrayList<>();
            TypedUpdateResult<Settings> created = TypedStore.of(store, Settings.class).update("s", current -> {
                seen.add(current);
                return current == null ? new Settings("light", 12) : current;
            });
            assertEquals(Collections.singletonList(null), seen, "absent: the function is given null");
            assertTrue(created.changed());
            assertTrue(created.result().created());
            assertEquals(new Settings("light", 12), created.value());

            TypedUpdateResult<Settings> dark = TypedStore.of(store, Settings.class).update("s", s -> s.withTheme("dark"));
            assertTrue(dark.changed());
            assertEquals("dark", TypedStore.of(store, Settings.class).get("s").value().theme());
            assertEquals(2, driver.puts.get());

            TypedUpdateResult<Settings> same = TypedStore.of(store, Settings.class).update("s", s -> s.withTheme("dark"));
            assertFalse(same.changed(), "an equal value encodes to the stored bytes: no write");
            assertEquals(new Settings("dark", 12), same.value());
            assertTrue(same.version().sameAs(dark.version()));
            assertEquals(2, driver.puts.get());
        }
    }

    @Test
    void aValueChangedInPlaceIsWrittenAndEachRunGetsAFreshValue() {
        try (ObjectStore store = ObjectStore.of(MemoryDriver.create())) {
            TypedStore<Cart> carts = TypedStore.of(store, Cart.class);
            carts.put("cart", new Cart());
            AtomicInteger runs = new AtomicInteger();
            TypedUpdateResult<Cart> r = carts.update("cart", cart -> {
                if (runs.incrementAndGet() == 1) {
                    Cart other = new Cart();
                    other.items.add("from another writer");
                    carts.put("cart", other); // the first run loses the race
                }
                cart.items.add("book");
                return cart;
            });
            assertTrue(r.changed());
            assertEquals(2, runs.get());
            assertEquals(List.of("from another writer", "book"), carts.get("cart").value().items,
                    "the second run's value was decoded afresh, not the first run's changed one");
        }
    }

    @Test
    void refusalsAreTypedAndWriteNothing() {
        Counting driver = new Counting();
        try (ObjectStore store = ObjectStore.of(driver)) {
            InvalidArgumentException nul = assertThrows(InvalidArgumentException.class,
                    () -> TypedStore.of(store, Settings.class).update("s", current -> null));
            assertEquals("fn", nul.field());
            assertThrows(InvalidArgumentException.class, () -> TypedStore.of(store, Settings.class).put("s", null));
            assertThrows(InvalidArgumentException.class, () -> TypedStore.of(store, (Class<Settings>) null));
            assertThrows(InvalidArgumentException.class, () -> TypedStore.of(store, (Codec<Settings>) null));

            InvalidArgumentException unencodable = assertThrows(InvalidArgumentException.class,
                    () -> TypedStore.of(store, Object.class).put("o", new Object()));
            assertEquals("value", unencodable.field());
            assertTrue(unencodable.getCause() != null);
            assertEquals(0, driver.puts.get(), "nothing was sent");

            store.put("s", "{not json".getBytes(StandardCharsets.UTF_8));
            ObjectStoreException undecodable = assertThrows(ObjectStoreException.class,
                    () -> TypedStore.of(store, Settings.class).update("s", s -> s));
            assertEquals(ErrorCode.UNKNOWN, undecodable.code());
            assertFalse(undecodable.getMessage().contains("not json"), "the content is never quoted");
            assertEquals(1, driver.puts.get(), "the update wrote nothing");
        }
    }

    @Test
    void aCallersMapperIsUsedAndTheDefaultKnowsJavaTime() {
        ObjectMapper snake = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
        try (ObjectStore store = ObjectStore.of(MemoryDriver.create())) {
            TypedStore.of(store, Codec.json(Settings.class, snake)).update("s", s -> new Settings("light", 12));
            assertEquals("{\"theme\":\"light\",\"font_size\":12}",
                    new String(store.get("s").content(), StandardCharsets.UTF_8));
            assertEquals(12, AsyncTypedStore.of(store.async(), Codec.json(Settings.class, snake)).get("s").join().value()
                    .fontSize());
        }
        try (ObjectStore store = ObjectStore.of(MemoryDriver.create())) {
            Cart cart = new Cart();
            cart.updated = Instant.parse("2026-01-02T03:04:05Z");
            TypedStore.of(store, Cart.class).put("cart", cart);
            assertEquals(cart.updated, TypedStore.of(store, Cart.class).get("cart").value().updated);
        }
    }

    @Test
    void theAsynchronousViewsFollowTheSameRules() {
        Counting driver = new Counting();
        try (ObjectStore store = ObjectStore.of(driver)) {
            AsyncTypedStore<Settings> settings = AsyncTypedStore.of(store.async(), Codec.json(Settings.class));
            settings.put("s", new Settings("light", 12)).join();
            assertEquals("light", settings.get("s").join().value().theme());
            TypedUpdateResult<Settings> same = AsyncTypedStore.of(store.async(), Settings.class).update("s", s -> s).join();
            assertFalse(same.changed());
            assertEquals(1, driver.puts.get());
            TypedUpdateResult<Settings> dark = settings.update("s", s -> s.withTheme("dark")).join();
            assertTrue(dark.changed());
            CompletionException nul = assertThrows(CompletionException.class, () -> settings.put("s", null).join());
            assertTrue(nul.getCause() instanceof InvalidArgumentException);
            assertTrue(assertThrows(CompletionException.class, () -> settings.get("missing").join()).getCause()
                    instanceof ObjectNotFoundException);
            TypedUpdateResult<Settings> created = AsyncTypedStore.of(store.async(), Settings.class).update("absent", s -> s == null ? new Settings("x", 1) : s).join();
            assertTrue(created.result().created());
        }
    }
}
