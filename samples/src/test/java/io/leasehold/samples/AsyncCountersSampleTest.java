package io.leasehold.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leasehold.aws.CephRgw;
import io.leasehold.aws.RgwAccess;
import io.leasehold.aws.S3Driver;
import io.leasehold.aws.S3Profile;
import io.leasehold.azure.AzuriteExtension;
import io.leasehold.core.ObjectAlreadyExistsException;
import io.leasehold.core.ObjectStore;
import io.leasehold.driver.memory.MemoryDriver;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** {@link AsyncCountersSample} on the memory store, Azurite and Ceph RGW (the last two with non-blocking requests). */
@ExtendWith(AzuriteExtension.class)
class AsyncCountersSampleTest {
    private static final int COUNTERS = 100;

    /** Twice over the same counters: each ends at 2; the first total is published, the second refused. */
    private static void everything(ObjectStore store) throws Exception {
        String run = "counters-" + UUID.randomUUID();
        List<String> counters = IntStream.range(0, COUNTERS).mapToObj(i -> run + "/c" + i).collect(Collectors.toList());
        AsyncCountersSample.incrementAllAndPublish(store, counters, run + "/total").get(2, TimeUnit.MINUTES);
        assertEquals(Integer.toString(COUNTERS), new String(store.get(run + "/total").content(), StandardCharsets.UTF_8));
        ExecutionException again = assertThrows(ExecutionException.class, () -> AsyncCountersSample
                .incrementAllAndPublish(store, counters, run + "/total").get(2, TimeUnit.MINUTES));
        assertInstanceOf(ObjectAlreadyExistsException.class, again.getCause());
        assertEquals("2", new String(store.get(counters.get(COUNTERS - 1)).content(), StandardCharsets.UTF_8));
        assertEquals(Integer.toString(COUNTERS), new String(store.get(run + "/total").content(), StandardCharsets.UTF_8));
    }

    @Test
    void onTheMemoryStore() throws Exception {
        try (ObjectStore store = ObjectStore.of(MemoryDriver.create())) {
            everything(store);
        }
    }

    @Test
    void onAzuriteWithNonBlockingRequests() throws Exception {
        try (ObjectStore store = AzuriteExtension.uniqueStore("samples")) {
            assertTrue(store.async().nonBlocking());
            everything(store);
        }
    }

    @Test
    @ExtendWith(CephRgw.class)
    void onCephRgwWithNonBlockingRequests(CephRgw rgw) throws Exception {
        S3Driver driver = S3Driver.builder().bucket(RgwAccess.bucket()).profile(S3Profile.CEPH_RGW)
                .endpoint(RgwAccess.endpoint(rgw)).credentialsProvider(StaticCredentialsProvider.create(RgwAccess.credentials(rgw)))
                .build();
        try (ObjectStore store = ObjectStore.of(driver)) {
            assertTrue(store.async().nonBlocking(), "netty-nio-client is a test dependency of the samples");
            everything(store);
        }
    }
}
