package io.leasehold.samples;

import io.leasehold.core.AsyncObjectStore;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.UpdateFunction;
import io.leasehold.core.UpdateResult;
import io.leasehold.core.typed.TypedStore;
import io.leasehold.core.typed.TypedUpdateResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The everyday calls beyond put, get and update, as the manual shows them: typed values, existence
 * checks and deletes of what may be gone, an update that may decide to write nothing, and the
 * asynchronous API composing many updates at once.
 *
 * <p>Thread-safety: stateless; each method is safe to call from any thread.
 */
public final class EverydayApiSample {
    private EverydayApiSample() {
    }

    /**
     * A settings document, stored as JSON.
     *
     * @param theme the colour theme
     * @param fontSize the font size in points
     */
    public record Settings(String theme, int fontSize) {
    }

    /**
     * Writes settings as JSON and enlarges the font with a typed read-modify-write.
     *
     * @param store the store
     * @return the settings left in the store
     */
    public static Settings typedSettings(ObjectStore store) {
        TypedStore<Settings> settings = TypedStore.of(store, Settings.class);
        settings.put("settings.json", new Settings("light", 12));
        TypedUpdateResult<Settings> larger = settings.update("settings.json",
                current -> new Settings(current.theme(), current.fontSize() + 2));
        return larger.value();
    }

    /**
     * Deletes a key if it is there.
     *
     * @param store the store
     * @param key the key
     * @return whether this call deleted it
     */
    public static boolean removeIfThere(ObjectStore store, String key) {
        if (!store.exists(key)) {
            return false;
        }
        return store.deleteIfPresent(key); // false, not an exception, when someone deleted it first
    }

    /**
     * Claims a key for an owner once: the first claim writes, every later one writes nothing.
     *
     * @param store the store
     * @param key the claim's key
     * @param owner who claims it
     * @return the update's result ({@link UpdateResult#changed()} is false when already claimed)
     */
    public static UpdateResult claimOnce(ObjectStore store, String key, String owner) {
        return store.update(key, current -> current != null
                ? UpdateFunction.unchanged() // already claimed: write nothing
                : owner.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Increments several counters many times, all at once, through the asynchronous API.
     *
     * @param store the store
     * @param counters how many counters
     * @param increments increments per counter
     * @return the sum of the counters afterwards
     */
    public static long countConcurrently(ObjectStore store, int counters, int increments) {
        AsyncObjectStore async = store.async();
        List<CompletableFuture<UpdateResult>> pending = new ArrayList<>();
        for (int i = 0; i < counters * increments; i++) {
            pending.add(async.update("counter-" + (i % counters), EverydayApiSample::increment));
        }
        CompletableFuture.allOf(pending.toArray(new CompletableFuture<?>[0])).join();
        long sum = 0;
        for (int c = 0; c < counters; c++) {
            sum += Long.parseLong(new String(store.get("counter-" + c).content(), StandardCharsets.UTF_8));
        }
        return sum;
    }

    private static byte[] increment(byte[] current) {
        long value = current == null ? 0 : Long.parseLong(new String(current, StandardCharsets.UTF_8));
        return Long.toString(value + 1).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Runs every example on an in-memory store.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        try (ObjectStore store = ObjectStore.open("mem://everyday")) {
            System.out.println("settings: " + typedSettings(store));
            System.out.println("first claim wrote: " + claimOnce(store, "leader", "a").changed());
            System.out.println("second claim wrote: " + claimOnce(store, "leader", "b").changed());
            System.out.println("removed: " + removeIfThere(store, "leader") + ", again: " + removeIfThere(store, "leader"));
            System.out.println("counted: " + countConcurrently(store, 4, 250));
        }
    }
}
