package io.leasehold.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leasehold.core.AsyncObjectStore;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.PutMode;
import io.leasehold.core.PutOptions;
import io.leasehold.spi.kit.ForwardingStoreDriver;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * With the driver's non-blocking requests, no thread of the asynchronous API's blocking pool
 * ({@code leasehold-blocking-*}) sends an object request: every request of a concurrent workload on
 * Ceph RGW (creates, updates with their conflicts and retries, reads, deletes) is built on a callback
 * thread, an SDK thread or the caller's. The threads are recorded by the driver's request customizer,
 * which the driver calls on the thread that builds each request. The control run, through a wrapper
 * that hides the non-blocking requests, shows that the recording sees the blocking pool when it is used.
 */
@ExtendWith(CephRgw.class)
class CephRgwNonBlockingThreadsTest {
    /** The name prefix of the asynchronous API's blocking pool threads (documented in docs/async.md). */
    private static final String BLOCKING_POOL = "leasehold-blocking-";
    private static final int KEYS = 200;
    private static final int SAME_KEY_UPDATES = 50;

    @Test
    void noBlockingPoolThreadSendsAnObjectRequest(CephRgw rgw) throws Exception {
        Map<String, S3Operation> threads = new ConcurrentHashMap<>();
        try (ObjectStore store = ObjectStore.of(rgw.driverBuilder().requestCustomizer(recordingInto(threads)).build())) {
            AsyncObjectStore async = store.async();
            assertTrue(async.nonBlocking());
            workload(async);
        }
        assertFalse(threads.isEmpty());
        Set<String> blocking = threads.keySet().stream().filter(t -> t.startsWith(BLOCKING_POOL))
                .collect(Collectors.toSet());
        assertEquals(Set.of(), blocking, "requests sent from the blocking pool: " + blocking);
    }

    @Test
    void withoutNonBlockingRequestsTheBlockingPoolSendsThem(CephRgw rgw) throws Exception {
        Map<String, S3Operation> threads = new ConcurrentHashMap<>();
        S3Driver driver = rgw.driverBuilder().requestCustomizer(recordingInto(threads)).build();
        try (ObjectStore store = ObjectStore.of(new ForwardingStoreDriver(driver) { })) {
            AsyncObjectStore async = store.async();
            assertFalse(async.nonBlocking());
            workload(async);
        }
        assertTrue(threads.keySet().stream().anyMatch(t -> t.startsWith(BLOCKING_POOL)), threads.keySet().toString());
    }

    private static S3RequestCustomizer recordingInto(Map<String, S3Operation> threads) {
        return (operation, conditional, consistency) -> {
            threads.put(Thread.currentThread().getName(), operation);
            return Map.of();
        };
    }

    /** Creates, updates, reads and deletes on distinct keys, and concurrent updates of one counter. */
    private static void workload(AsyncObjectStore store) throws Exception {
        String run = "threads-" + UUID.randomUUID();
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (int i = 0; i < KEYS; i++) {
            String key = run + "/k" + i;
            all.add(store.put(key, bytes("0"), PutOptions.of(PutMode.create()))
                    .thenCompose(created -> store.update(key, CephRgwNonBlockingThreadsTest::increment))
                    .thenCompose(updated -> store.get(key))
                    .thenCompose(read -> {
                        assertEquals("1", new String(read.content(), StandardCharsets.UTF_8));
                        return store.delete(key);
                    }));
        }
        String counter = run + "/counter";
        for (int i = 0; i < SAME_KEY_UPDATES; i++) {
            all.add(store.update(counter, CephRgwNonBlockingThreadsTest::increment));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(3, TimeUnit.MINUTES);
        assertEquals(Integer.toString(SAME_KEY_UPDATES),
                new String(store.get(counter).get(1, TimeUnit.MINUTES).content(), StandardCharsets.UTF_8));
        store.delete(counter).get(1, TimeUnit.MINUTES);
    }

    private static byte[] increment(byte[] current) {
        int n = current == null ? 0 : Integer.parseInt(new String(current, StandardCharsets.UTF_8));
        return bytes(Integer.toString(n + 1));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
