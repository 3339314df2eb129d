package io.leasehold.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leasehold.aws.CephRgw;
import io.leasehold.aws.RgwSettings;
import io.leasehold.aws.S3Driver;
import io.leasehold.aws.S3Profile;
import io.leasehold.core.GetOptions;
import io.leasehold.core.GetResult;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.OutcomeUnknownException;
import io.leasehold.core.PutMode;
import io.leasehold.core.PutOptions;
import io.leasehold.core.PutResult;
import io.leasehold.core.UpdateOptions;
import io.leasehold.core.UpdateResult;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Requests per operation on the wire, S3 driver against Ceph RGW (real semantics), counted by a
 * transport wrapped around the Apache HTTP client. Counts are deterministic, so they are asserted
 * exactly, on each kind of client: one the driver builds, a caller's client with the SDK's default
 * retries (each driver request then carries the single-attempt plugin), and a caller's client prepared
 * with {@link S3Driver#configureClient} (no plugin).
 */
@ExtendWith(CephRgw.class)
class S3RequestCountTest {
    private static CephRgw rgw;

    enum Client { DRIVER_BUILT, CALLER_DEFAULT, CALLER_CONFIGURED }

    @BeforeAll
    static void connect(CephRgw server) {
        rgw = server;
    }

    /** A store over a counted transport; closes everything. */
    private static final class Counted implements AutoCloseable {
        final CountingS3Http http = new CountingS3Http(ApacheHttpClient.builder().build());
        final S3Client client;
        final S3Driver driver;
        final ObjectStore store;

        Counted(Client kind) {
            String prefix = "request-count/" + UUID.randomUUID();
            if (kind == Client.DRIVER_BUILT) {
                client = null;
                driver = S3Driver.builder().bucket(RgwSettings.bucket()).prefix(prefix).profile(S3Profile.CEPH_RGW)
                        .endpoint(RgwSettings.endpoint(rgw)).credentialsProvider(RgwSettings.credentials(rgw))
                        .httpClient(http).build();
            } else {
                S3ClientBuilder b = S3Client.builder().httpClient(http).region(Region.US_EAST_1).forcePathStyle(true)
                        .endpointOverride(RgwSettings.endpoint(rgw)).credentialsProvider(RgwSettings.credentials(rgw));
                client = (kind == Client.CALLER_CONFIGURED ? S3Driver.configureClient(b, S3Profile.CEPH_RGW) : b).build();
                driver = S3Driver.builder().client(client).bucket(RgwSettings.bucket()).prefix(prefix)
                        .profile(S3Profile.CEPH_RGW).build();
            }
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
            if (client != null) {
                client.close();
            }
            http.close();
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
    void onlyAnUnpreparedCallerClientCarriesThePerRequestPlugin(Client kind) {
        try (Counted c = new Counted(kind)) {
            assertEquals(kind == Client.CALLER_DEFAULT, RgwSettings.usesPerRequestPlugin(c.driver));
        }
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void everyOperationSendsItsMinimumOfRequests(Client kind) {
        try (Counted c = new Counted(kind)) {
            ObjectStore store = c.store;
            PutResult[] created = new PutResult[1];
            assertEquals(1, c.since(() -> created[0] = store.put("k", bytes("1"), PutOptions.of(PutMode.create()))), "create");
            PutResult[] updated = new PutResult[1];
            assertEquals(1, c.since(() -> updated[0] = store.put("k", bytes("2"),
                    PutOptions.of(PutMode.update(created[0].version())))), "conditional put (If-Match)");
            assertEquals(1, c.since(() -> store.put("k", bytes("3"))), "overwrite");
            GetResult[] read = new GetResult[1];
            assertEquals(1, c.since(() -> read[0] = store.get("k")), "get");
            GetResult[] notModified = new GetResult[1];
            assertEquals(1, c.since(() -> notModified[0] = store.get("k",
                    GetOptions.builder().ifNoneMatch(read[0].info().version().etag()).build())), "conditional get");
            assertTrue(notModified[0].isNotModified());
            assertEquals(1, c.since(() -> store.head("k")), "head");
            assertEquals(2, c.since(() -> store.update("k", S3RequestCountTest::increment)), "uncontended update");
            assertEquals(2, c.since(() -> store.update("fresh", S3RequestCountTest::increment)), "update that creates");
            assertArrayEquals(bytes("4"), store.get("k").content());
            GetResult held = store.get("k");
            UpdateOptions fromHeld = UpdateOptions.builder().startingFrom(held).build();
            assertEquals(1, c.since(() -> store.update("k", S3RequestCountTest::increment, fromHeld)), "update from a held version");
            assertEquals(3, c.since(() -> store.update("k", S3RequestCountTest::increment, fromHeld)),
                    "update from a stale held version (refused put, read, put)");
            assertArrayEquals(bytes("6"), store.get("k").content());
            // S3 answers 204 for a missing key, so RGW's profile proves existence with a HEAD first.
            assertEquals(2, c.since(() -> store.delete("k")), "delete (HEAD, then DELETE)");
        }
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void aLostResponseIsSettledByOneExtraReadAndNeverResent(Client kind) {
        try (Counted c = new Counted(kind)) {
            c.http.loseNextResponse(SdkHttpMethod.PUT);
            PutResult[] put = new PutResult[1];
            assertEquals(2, c.since(() -> put[0] = c.store.put("k", bytes("1"), PutOptions.of(PutMode.create()))),
                    "the put, then one read that finds its write id");
            assertEquals(1, c.http.requests(SdkHttpMethod.PUT));
            assertFalse(put[0].version().isUnknown());

            c.http.loseNextResponse(SdkHttpMethod.PUT);
            UpdateResult[] update = new UpdateResult[1];
            assertEquals(3, c.since(() -> update[0] = c.store.update("k", S3RequestCountTest::increment)),
                    "read, the put, then one read that finds its write id");
            assertEquals(1, c.http.requests(SdkHttpMethod.PUT));
            assertArrayEquals(bytes("2"), c.store.get("k").content(), "applied exactly once");
        }
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void theSdkNeverResendsADriverRequest(Client kind) {
        try (Counted c = new Counted(kind)) {
            c.store.put("k", bytes("1"));
            c.http.reset();
            c.http.failNext(SdkHttpMethod.PUT);
            // the driver alone: a 500 on a mutation is outcome unknown, and the SDK sent it once only
            assertThrows(OutcomeUnknownException.class, () -> c.driver.put("k", bytes("2"), PutOptions.defaults()));
            assertEquals(1, c.http.requests(SdkHttpMethod.PUT));
            assertEquals(1, c.http.requests());
        }
    }
}
