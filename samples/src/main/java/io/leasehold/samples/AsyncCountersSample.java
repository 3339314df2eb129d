package io.leasehold.samples;

import io.leasehold.core.AsyncObjectStore;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.PutMode;
import io.leasehold.core.PutOptions;
import io.leasehold.core.PutResult;
import io.leasehold.core.UpdateResult;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * Sample: the asynchronous API composed with plain {@link CompletableFuture}s. Every counter is
 * incremented at once (no thread waits for any of them), then the total is published only if no total
 * was published under that key yet.
 *
 * <p>Thread-safety: stateless.
 */
public final class AsyncCountersSample {
    private AsyncCountersSample() {
    }

    /**
     * Increments each counter once, all concurrently, then publishes the sum of the new values with a
     * conditional create.
     *
     * @param store the store
     * @param counters the counters' keys
     * @param totalKey where to publish the total
     * @return the published total's version; fails with {@code ObjectAlreadyExistsException} if a total
     *     was published there already, or with what an update failed with
     */
    public static CompletableFuture<PutResult> incrementAllAndPublish(ObjectStore store, List<String> counters,
                                                                      String totalKey) {
        AsyncObjectStore async = store.async();
        List<CompletableFuture<UpdateResult>> updates = counters.stream()
                .map(key -> async.update(key, AsyncCountersSample::increment))
                .collect(Collectors.toList());
        return CompletableFuture.allOf(updates.toArray(CompletableFuture[]::new)).thenCompose(allDone -> {
            long total = updates.stream().mapToLong(update -> value(update.join().content())).sum();
            byte[] content = Long.toString(total).getBytes(StandardCharsets.UTF_8);
            return async.put(totalKey, content, PutOptions.of(PutMode.create()));
        });
    }

    private static byte[] increment(byte[] current) {
        return Long.toString(value(current) + 1).getBytes(StandardCharsets.UTF_8);
    }

    private static long value(byte[] content) {
        return content == null ? 0 : Long.parseLong(new String(content, StandardCharsets.UTF_8));
    }
}
