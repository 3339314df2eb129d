package io.leasehold.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.core.http.HttpMethod;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobContainerClientBuilder;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import io.leasehold.azure.AzureBlobDriver;
import io.leasehold.azure.AzuriteExtension;
import io.leasehold.core.GetOptions;
import io.leasehold.core.GetResult;
import io.leasehold.core.lease.Lease;
import io.leasehold.core.lease.LeaseOptions;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.OutcomeUnknownException;
import io.leasehold.core.PutMode;
import io.leasehold.core.PutOptions;
import io.leasehold.core.PutResult;
import io.leasehold.core.UpdateOptions;
import io.leasehold.core.UpdateResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Requests per operation on the wire, Azure driver against Azurite (real semantics), counted by a
 * transport wrapped around the JDK HTTP client, on a client configured as {@code azure://} URIs build it
 * (one try) and on a caller's client with the SDK's default retry policy.
 */
@ExtendWith(AzuriteExtension.class)
class AzureRequestCountTest {
    enum Client { DRIVER_LIKE, CALLER_DEFAULT }

    private static final String DEV_ACCOUNT = "devstoreaccount1";
    /** Azurite's public development key (documented by Microsoft). */
    private static final String DEV_KEY =
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /** A store over a counted transport on a fresh container. */
    private static final class Counted implements AutoCloseable {
        final CountingAzureHttp http;
        final AzureBlobDriver driver;
        final ObjectStore store;

        Counted(Client kind) {
            http = new CountingAzureHttp(new com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder(
                    java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1)).build());
            BlobContainerClientBuilder b = new BlobContainerClientBuilder()
                    .endpoint(AzuriteExtension.endpoint())
                    .containerName(("count-" + UUID.randomUUID()).toLowerCase(Locale.ROOT))
                    .credential(new StorageSharedKeyCredential(DEV_ACCOUNT, DEV_KEY))
                    .httpClient(http);
            if (kind == Client.DRIVER_LIKE) {
                b.retryOptions(new RequestRetryOptions(RetryPolicyType.FIXED, 1, (Integer) null, (Long) null, (Long) null,
                        (String) null));
            }
            BlobContainerClient container = b.buildClient();
            container.create();
            driver = AzureBlobDriver.of(container);
            store = ObjectStore.of(driver);
        }

        long since(Runnable op) {
            http.reset();
            op.run();
            return http.requests();
        }

        @Override
        public void close() {
            store.close();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] increment(byte[] current) {
        long n = current == null ? 0 : Long.parseLong(new String(current, StandardCharsets.US_ASCII));
        return Long.toString(n + 1).getBytes(StandardCharsets.US_ASCII);
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void everyOperationSendsItsMinimumOfRequests(Client kind) {
        try (Counted c = new Counted(kind)) {
            ObjectStore store = c.store;
            PutResult[] created = new PutResult[1];
            assertEquals(1, c.since(() -> created[0] = store.put("k", bytes("1"), PutOptions.of(PutMode.create()))), "create");
            assertEquals(1, c.since(() -> store.put("k", bytes("2"), PutOptions.of(PutMode.update(created[0].version())))),
                    "conditional put (If-Match)");
            assertEquals(1, c.since(() -> store.put("k", bytes("3"))), "overwrite");
            GetResult[] read = new GetResult[1];
            assertEquals(1, c.since(() -> read[0] = store.get("k")), "get");
            GetResult[] notModified = new GetResult[1];
            assertEquals(1, c.since(() -> notModified[0] = store.get("k",
                    GetOptions.builder().ifNoneMatch(read[0].info().version().etag()).build())), "conditional get");
            assertTrue(notModified[0].isNotModified());
            assertEquals(1, c.since(() -> store.head("k")), "head");
            assertEquals(2, c.since(() -> store.update("k", AzureRequestCountTest::increment)), "uncontended update");
            assertEquals(2, c.since(() -> store.update("fresh", AzureRequestCountTest::increment)), "update that creates");
            assertArrayEquals(bytes("4"), store.get("k").content());
            GetResult held = store.get("k");
            UpdateOptions fromHeld = UpdateOptions.builder().startingFrom(held).build();
            assertEquals(1, c.since(() -> store.update("k", AzureRequestCountTest::increment, fromHeld)), "update from a held version");
            assertEquals(3, c.since(() -> store.update("k", AzureRequestCountTest::increment, fromHeld)),
                    "update from a stale held version (refused put, read, put)");
            assertArrayEquals(bytes("6"), store.get("k").content());
            assertEquals(1, c.since(() -> store.delete("k")), "delete");
        }
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void leaseRenewAndReleaseAreOneRequestEachAcquireFourWithItsFencingToken(Client kind) {
        try (Counted c = new Counted(kind)) {
            c.store.put("leased", bytes("x"));
            Lease[] lease = new Lease[1];
            LeaseOptions options = LeaseOptions.builder().duration(Duration.ofSeconds(15)).build();
            // A new holder: the lease (1), then its fencing token from the counter blob (read, If-Match
            // write) and a renewal proving the lease outlived the token's issue (README "Request cost").
            assertEquals(4, c.since(() -> lease[0] = c.store.leases().acquire("leased", options)), "acquire");
            assertEquals(1, c.http.requests("lease:acquire"));
            assertEquals(1, c.since(() -> lease[0] = c.store.leases().renew(lease[0])), "renew");
            assertEquals(1, c.http.requests("lease:renew"));
            assertEquals(1, c.since(() -> c.store.leases().release(lease[0])), "release");
            assertEquals(1, c.http.requests("lease:release"));
        }
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void aLostResponseIsSettledByOneExtraReadAndNeverResent(Client kind) {
        try (Counted c = new Counted(kind)) {
            c.http.loseNextResponse(HttpMethod.PUT);
            PutResult[] put = new PutResult[1];
            assertEquals(2, c.since(() -> put[0] = c.store.put("k", bytes("1"), PutOptions.of(PutMode.create()))),
                    "the put, then one read that finds its write id");
            assertEquals(1, c.http.requests("PUT"));
            assertFalse(put[0].version().isUnknown());

            c.http.loseNextResponse(HttpMethod.PUT);
            UpdateResult[] update = new UpdateResult[1];
            assertEquals(3, c.since(() -> update[0] = c.store.update("k", AzureRequestCountTest::increment)),
                    "read, the put, then one read that finds its write id");
            assertEquals(1, c.http.requests("PUT"));
            assertArrayEquals(bytes("2"), c.store.get("k").content(), "applied exactly once");
        }
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void theSdkNeverResendsADriverRequest(Client kind) {
        try (Counted c = new Counted(kind)) {
            c.store.put("k", bytes("1"));
            c.http.reset();
            c.http.failNext(HttpMethod.PUT);
            assertThrows(OutcomeUnknownException.class, () -> c.driver.put("k", bytes("2"), PutOptions.defaults()));
            assertEquals(1, c.http.requests("PUT"));
            assertEquals(1, c.http.requests());
        }
    }
}
