package io.leasehold.tck;

import io.leasehold.core.AsyncObjectStore;
import io.leasehold.core.PutMode;
import io.leasehold.core.PutOptions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A concurrent workload of object requests through the asynchronous API, for tests that check where
 * (on which threads) a driver's requests run: every key created, updated, read and deleted, all keys
 * at once, plus concurrent updates of one counter (conflicts and retries). It checks its own results.
 *
 * <p>Thread-safety: stateless.
 */
public final class AsyncWorkload {
    private AsyncWorkload() {
    }

    /**
     * Runs the workload under a fresh prefix and waits for it (at most three minutes).
     *
     * @param store the store
     * @param keys how many distinct keys to create, update, read and delete concurrently
     * @param sameKeyUpdates how many concurrent increments of one counter
     * @throws AssertionError if a result is not what the operations imply
     * @throws ExecutionException if an operation failed (its exception is the cause)
     * @throws TimeoutException if the workload took longer than three minutes
     * @throws InterruptedException if interrupted while waiting
     */
    public static void run(AsyncObjectStore store, int keys, int sameKeyUpdates)
            throws ExecutionException, TimeoutException, InterruptedException {
        String run = "workload-" + UUID.randomUUID();
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (int i = 0; i < keys; i++) {
            String key = run + "/k" + i;
            all.add(store.put(key, bytes("0"), PutOptions.of(PutMode.create()))
                    .thenCompose(created -> store.update(key, AsyncWorkload::increment))
                    .thenCompose(updated -> store.get(key))
                    .thenCompose(read -> {
                        check("1", read.content());
                        return store.delete(key);
                    }));
        }
        String counter = run + "/counter";
        for (int i = 0; i < sameKeyUpdates; i++) {
            all.add(store.update(counter, AsyncWorkload::increment));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(3, TimeUnit.MINUTES);
        if (sameKeyUpdates > 0) {
            check(Integer.toString(sameKeyUpdates), store.get(counter).get(1, TimeUnit.MINUTES).content());
            store.delete(counter).get(1, TimeUnit.MINUTES);
        }
    }

    private static void check(String expected, byte[] content) {
        String actual = new String(content, StandardCharsets.UTF_8);
        if (!expected.equals(actual)) {
            throw new AssertionError("expected " + expected + " but read " + actual);
        }
    }

    private static byte[] increment(byte[] current) {
        int n = current == null ? 0 : Integer.parseInt(new String(current, StandardCharsets.UTF_8));
        return bytes(Integer.toString(n + 1));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
