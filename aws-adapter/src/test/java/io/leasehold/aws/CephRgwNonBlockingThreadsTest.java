package io.leasehold.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leasehold.core.AsyncObjectStore;
import io.leasehold.core.ObjectStore;
import io.leasehold.spi.kit.ForwardingStoreDriver;
import io.leasehold.tck.AsyncWorkload;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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

    private static void workload(AsyncObjectStore store) throws Exception {
        AsyncWorkload.run(store, KEYS, SAME_KEY_UPDATES);
    }
}
