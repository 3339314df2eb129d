package io.leasehold.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelineNextSyncPolicy;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobContainerClientBuilder;
import com.azure.storage.common.StorageSharedKeyCredential;
import io.leasehold.core.AsyncObjectStore;
import io.leasehold.core.ObjectStore;
import io.leasehold.spi.kit.ForwardingStoreDriver;
import io.leasehold.tck.AsyncWorkload;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Mono;

/**
 * With the driver's non-blocking requests, no thread of the asynchronous API's blocking pool
 * ({@code leasehold-blocking-*}) sends an object request: every request of a concurrent workload on
 * Azurite (creates, updates with their conflicts and retries, reads, deletes) enters the HTTP pipeline
 * on a callback thread, an HTTP client thread or the caller's. A pipeline policy records the thread
 * each request enters on. The control run, through a wrapper that hides the non-blocking requests,
 * shows that the recording sees the blocking pool when it is used.
 */
@ExtendWith(AzuriteExtension.class)
class AzuriteNonBlockingThreadsTest {
    /** The name prefix of the asynchronous API's blocking pool threads (documented in docs/async.md). */
    private static final String BLOCKING_POOL = "leasehold-blocking-";
    private static final int KEYS = 200;
    private static final int SAME_KEY_UPDATES = 50;

    @Test
    void noBlockingPoolThreadSendsAnObjectRequest() throws Exception {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        try (ObjectStore store = ObjectStore.of(AzureBlobDriver.of(container(threads)))) {
            AsyncObjectStore async = store.async();
            assertTrue(async.nonBlocking());
            AsyncWorkload.run(async, KEYS, SAME_KEY_UPDATES);
        }
        assertFalse(threads.isEmpty());
        Set<String> blocking = threads.stream().filter(t -> t.startsWith(BLOCKING_POOL)).collect(Collectors.toSet());
        assertEquals(Set.of(), blocking, "requests sent from the blocking pool: " + blocking);
    }

    @Test
    void withoutNonBlockingRequestsTheBlockingPoolSendsThem() throws Exception {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        try (ObjectStore store = ObjectStore.of(new ForwardingStoreDriver(AzureBlobDriver.of(container(threads))) { })) {
            AsyncObjectStore async = store.async();
            assertFalse(async.nonBlocking());
            AsyncWorkload.run(async, KEYS, SAME_KEY_UPDATES);
        }
        assertTrue(threads.stream().anyMatch(t -> t.startsWith(BLOCKING_POOL)), threads.toString());
    }

    /** A fresh container whose client's pipeline records the thread each request enters it on. */
    private static BlobContainerClient container(Set<String> threads) {
        String name = ("threads-" + UUID.randomUUID().toString().replace("-", "")).toLowerCase(Locale.ROOT);
        BlobContainerClient plain = new BlobContainerClientBuilder().endpoint(AzuriteExtension.endpoint() + "/" + name)
                .credential(new StorageSharedKeyCredential(AzureConnection.DEV_ACCOUNT, AzureConnection.DEV_ACCOUNT_KEY))
                .buildClient();
        plain.create();
        return new BlobContainerClientBuilder().endpoint(AzuriteExtension.endpoint() + "/" + name)
                .credential(new StorageSharedKeyCredential(AzureConnection.DEV_ACCOUNT, AzureConnection.DEV_ACCOUNT_KEY))
                .addPolicy(new HttpPipelinePolicy() {
                    @Override
                    public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
                        threads.add(Thread.currentThread().getName());
                        return next.process();
                    }

                    @Override
                    public HttpResponse processSync(HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
                        threads.add(Thread.currentThread().getName());
                        return next.processSync();
                    }
                })
                .buildClient();
    }
}
