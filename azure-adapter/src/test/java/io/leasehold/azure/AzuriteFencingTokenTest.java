package io.leasehold.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leasehold.core.ObjectStore;
import io.leasehold.core.PutOptions;
import io.leasehold.core.lease.Lease;
import io.leasehold.core.lease.LeaseOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 16, item 4: on Azure the same lease id acquiring again after a release or an expiry started a
 * new tenure with the same fencing token (the counter was "issued to this id" already). Fixed ids
 * (a worker's name) are the common case. A renewal and an acquire that renews keep the token.
 */
@ExtendWith(AzuriteExtension.class)
class AzuriteFencingTokenTest {
    private static final Duration D15 = Duration.ofSeconds(15);
    private static ObjectStore store;

    @BeforeAll
    static void open() {
        store = AzuriteExtension.uniqueStore("fencing");
    }

    @AfterAll
    static void close() {
        store.close();
    }

    private static String object() {
        String key = "fencing/" + UUID.randomUUID();
        store.put(key, "v0".getBytes(StandardCharsets.UTF_8));
        return key;
    }

    private static LeaseOptions as(String id) {
        return LeaseOptions.builder().duration(D15).proposedId(id).build();
    }

    @Test
    void theSameIdAcquiringAgainAfterAReleaseGetsALargerToken() {
        String key = object();
        String worker = UUID.randomUUID().toString();
        Lease first = store.leases().acquire(key, as(worker));
        store.leases().release(first);
        Lease second = store.leases().acquire(key, as(worker));
        assertTrue(second.fencingToken().getAsLong() > first.fencingToken().getAsLong(),
                first.fencingToken() + " then " + second.fencingToken());
        store.put(key, "w".getBytes(StandardCharsets.UTF_8), PutOptions.builder().leaseId(worker).build());
    }

    @Test
    void renewalsAndAnAcquireThatRenewsKeepTheToken() {
        String key = object();
        String worker = UUID.randomUUID().toString();
        Lease first = store.leases().acquire(key, as(worker));
        assertEquals(first.fencingToken(), store.leases().renew(first).fencingToken());
        assertEquals(first.fencingToken(), store.leases().acquire(key, as(worker)).fencingToken(),
                "acquiring with the holder's own id while it holds the lease renews it");
    }

    @Test
    void theSameIdAcquiringAgainAfterExpiryGetsALargerToken() throws InterruptedException {
        String key = object();
        String worker = UUID.randomUUID().toString();
        Lease first = store.leases().acquire(key, as(worker));
        Thread.sleep(D15.toMillis() + 1_000);
        Lease second = store.leases().acquire(key, as(worker));
        assertTrue(second.fencingToken().getAsLong() > first.fencingToken().getAsLong(),
                first.fencingToken() + " then " + second.fencingToken());
    }
}
