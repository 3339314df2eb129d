package io.leasehold.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.head;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.leasehold.core.DeleteOptions;
import io.leasehold.core.ErrorCode;
import io.leasehold.core.GetOptions;
import io.leasehold.core.InvalidArgumentException;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.ObjectVersion;
import io.leasehold.core.OutcomeUnknownException;
import io.leasehold.core.PreconditionFailedException;
import io.leasehold.core.PutMode;
import io.leasehold.core.PutOptions;
import io.leasehold.core.TransientException;
import io.leasehold.spi.StoreDriver;
import io.leasehold.tck.ThroughAsyncRequests;
import java.io.File;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Every case of {@link S3WireTest} through the driver's non-blocking requests ({@link S3Driver#async()}
 * over {@code S3AsyncClient} and Netty), waited for: the same requests on the wire and the same
 * exceptions for the same answers, since the protocols are the same code. Plus what only the
 * asynchronous client has: a caller's asynchronous client, Netty's connection pool, and the driver
 * without Netty on the class path.
 */
class S3AsyncWireTest extends S3WireTest {
    private static final String BUCKET = "bucket";
    private static final String SECRET = "wire-test-secret-key-SHOULD-NEVER-APPEAR";

    @BeforeAll
    static void throughTheNonBlockingRequests() {
        viaAsync = true;
    }

    @AfterAll
    static void backToBlocking() {
        viaAsync = false;
    }

    private static WireMockServer own;

    @BeforeAll
    static void startOwnWireMock() {
        own = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        own.start();
    }

    @AfterAll
    static void stopOwnWireMock() {
        own.stop();
    }

    private static URI ownEndpoint() {
        return URI.create("http://127.0.0.1:" + own.port());
    }

    private static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDWIRETEST", SECRET));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static int ownRequests() {
        return own.findAll(anyRequestedFor(anyUrl())).size();
    }

    private static S3Client callersClient() {
        return S3Client.builder().endpointOverride(ownEndpoint()).region(Region.US_EAST_1)
                .forcePathStyle(true).credentialsProvider(credentials()).build();
    }

    private static String s3Error(String code) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>" + code
                + "</Message><RequestId>REQ1</RequestId></Error>";
    }

    @Test
    void aCallersAsyncClientWithRetriesConfiguredSendsEachRequestOnce() {
        own.resetAll();
        own.stubFor(put(urlEqualTo("/bucket/k")).willReturn(aResponse().withStatus(500).withBody(s3Error("InternalError"))));
        own.stubFor(delete(urlEqualTo("/bucket/k")).willReturn(aResponse().withStatus(500).withBody(s3Error("InternalError"))));
        own.stubFor(get(urlEqualTo("/bucket/k")).willReturn(aResponse().withStatus(500).withBody(s3Error("InternalError"))));
        own.stubFor(head(urlEqualTo("/bucket/k")).willReturn(aResponse().withStatus(500)));
        S3Client blocking = callersClient();
        S3AsyncClient async = S3AsyncClient.builder().endpointOverride(ownEndpoint()).region(Region.US_EAST_1)
                .forcePathStyle(true).credentialsProvider(credentials())
                .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD)).build();
        try (StoreDriver d = ThroughAsyncRequests.of(S3Driver.builder().client(blocking).asyncClient(async).bucket(BUCKET).build())) {
            assertThrows(OutcomeUnknownException.class,
                    () -> d.put("k", bytes("x"), PutOptions.of(PutMode.update(ObjectVersion.of("e1")))));
            assertThrows(OutcomeUnknownException.class, () -> d.delete("k", DeleteOptions.ifMatch(ObjectVersion.of("e1"))));
            assertThrows(TransientException.class, () -> d.get("k", GetOptions.defaults(), true));
            assertEquals(3, ownRequests(), "each request sent exactly once");
        }
        // the driver closes neither of the caller's clients, and the asynchronous one still retries
        own.resetRequests();
        CompletionException e = assertThrows(CompletionException.class,
                () -> async.headObject(b -> b.bucket(BUCKET).key("k")).join());
        assertTrue(e.getCause() instanceof S3Exception, String.valueOf(e.getCause()));
        assertTrue(ownRequests() > 1, "the caller's own requests keep the caller's retry settings");
        async.close();
        blocking.close();
    }

    @Test
    void anErrorDocumentInAnOkAnswerFailsOnACallersAsyncClientToo() {
        own.resetAll();
        own.stubFor(put(urlEqualTo("/bucket/k")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/xml").withBody(s3Error("PreconditionFailed"))));
        S3Client blocking = callersClient();
        S3AsyncClient async = S3AsyncClient.builder().endpointOverride(ownEndpoint()).region(Region.US_EAST_1)
                .forcePathStyle(true).credentialsProvider(credentials()).build();
        S3AsyncClient prepared = S3Driver.configureAsyncClient(S3AsyncClient.builder().endpointOverride(ownEndpoint())
                .region(Region.US_EAST_1).forcePathStyle(true).credentialsProvider(credentials()), S3Profile.AWS).build();
        for (S3AsyncClient client : List.of(async, prepared)) {
            try (StoreDriver d = ThroughAsyncRequests.of(S3Driver.builder().client(blocking).asyncClient(client)
                    .bucket(BUCKET).build())) {
                PreconditionFailedException failed = assertThrows(PreconditionFailedException.class,
                        () -> d.put("k", bytes("x"), PutOptions.of(PutMode.update(ObjectVersion.of("e1")))));
                assertTrue(failed.getMessage().contains("HTTP 200 with an error body"), failed.getMessage());
            }
            client.close();
        }
        assertEquals(2, ownRequests());
        blocking.close();
    }

    @Test
    void anAsyncClientNeedsTheBlockingClientBesideIt() {
        S3AsyncClient async = S3AsyncClient.builder().endpointOverride(ownEndpoint()).region(Region.US_EAST_1)
                .credentialsProvider(credentials()).build();
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
                () -> S3Driver.builder().asyncClient(async).bucket(BUCKET).build());
        assertTrue(e.getMessage().contains("client("), e.getMessage());
        async.close();
    }

    @Test
    void aCallersBlockingClientAloneHasNoNonBlockingRequests() {
        S3Client blocking = callersClient();
        try (S3Driver d = S3Driver.builder().client(blocking).bucket(BUCKET).build();
             ObjectStore store = ObjectStore.of(d)) {
            assertFalse(d.async().isPresent());
            assertFalse(store.async().nonBlocking());
        }
        blocking.close();
    }

    @Test
    void unwrapExposesTheAsyncClientAndCloseClosesOnlyWhatTheDriverBuilt() {
        S3Client blocking = callersClient();
        S3AsyncClient async = S3AsyncClient.builder().endpointOverride(ownEndpoint()).region(Region.US_EAST_1)
                .forcePathStyle(true).credentialsProvider(credentials()).build();
        try (S3Driver d = S3Driver.builder().client(blocking).asyncClient(async).bucket(BUCKET).build()) {
            assertSame(async, d.unwrap(S3AsyncClient.class).orElseThrow());
            assertSame(blocking, d.unwrap(S3Client.class).orElseThrow());
        }
        own.resetAll();
        own.stubFor(head(urlEqualTo("/bucket/k")).willReturn(aResponse().withStatus(200).withHeader("ETag", "\"e1\"")));
        assertEquals("\"e1\"", async.headObject(b -> b.bucket(BUCKET).key("k")).join().eTag(), "still open");
        async.close();
        blocking.close();
        S3AsyncClient built;
        try (S3Driver d = S3Driver.builder().bucket(BUCKET).profile(S3Profile.AWS).endpoint(ownEndpoint()).pathStyle(true)
                .credentialsProvider(credentials()).build(); ObjectStore store = ObjectStore.of(d)) {
            assertTrue(store.async().nonBlocking());
            built = d.unwrap(S3AsyncClient.class).orElseThrow();
        }
        assertThrows(RuntimeException.class, () -> built.headObject(b -> b.bucket(BUCKET).key("k")).join(), "closed");
    }

    @Test
    void aRequestThatGetsNoConnectionFromThePoolWasNotSent() throws Exception {
        own.resetAll();
        own.stubFor(put(urlEqualTo("/bucket/slow")).willReturn(aResponse().withStatus(200).withHeader("ETag", "\"e1\"")
                .withFixedDelay(1500)));
        own.stubFor(put(urlEqualTo("/bucket/k")).willReturn(aResponse().withStatus(200).withHeader("ETag", "\"e2\"")));
        SdkAsyncHttpClient oneConnection = NettyNioAsyncHttpClient.builder().maxConcurrency(1)
                .connectionAcquisitionTimeout(Duration.ofMillis(200)).build();
        try (S3Driver d = S3Driver.builder().bucket(BUCKET).profile(S3Profile.AWS).endpoint(ownEndpoint()).pathStyle(true)
                .credentialsProvider(credentials()).asyncHttpClient(oneConnection).build()) {
            CompletableFuture<?> slow = d.async().orElseThrow().put("slow", bytes("x"), PutOptions.of(PutMode.create()));
            Thread.sleep(300); // the slow put holds the only connection
            CompletionException e = assertThrows(CompletionException.class,
                    () -> d.async().orElseThrow().put("k", bytes("x"), PutOptions.of(PutMode.update(ObjectVersion.of("e1")))).join());
            TransientException notSent = assertInstanceOf(TransientException.class, e.getCause());
            assertEquals(ErrorCode.TRANSIENT, notSent.code());
            slow.join();
        }
        own.verify(0, putRequestedFor(urlEqualTo("/bucket/k")));
        oneConnection.close();
    }

    private static <T> T assertInstanceOf(Class<T> type, Throwable t) {
        assertTrue(type.isInstance(t), "expected " + type.getSimpleName() + ", got " + t);
        return type.cast(t);
    }

    /**
     * Without {@code netty-nio-client} (an optional dependency) a driver that builds its clients has no
     * non-blocking requests, and says nothing is wrong: the asynchronous API runs on its pool.
     */
    @Test
    void closingADriverThatBuiltItsAsyncClientDoesNotWaitForNetty() {
        long start = System.nanoTime();
        try (S3Driver d = S3Driver.builder().bucket(BUCKET).profile(S3Profile.AWS).endpoint(ownEndpoint()).pathStyle(true)
                .credentialsProvider(credentials()).build()) {
            assertTrue(d.async().isPresent());
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis < 1500, "closing took " + millis + " ms (Netty's quiet period is 2 s)");
    }

    @Test
    void withoutNettyOnTheClassPathADriverHasNoNonBlockingRequests() throws Exception {
        List<URL> withoutNetty = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!new File(entry).getName().contains("netty")) {
                withoutNetty.add(new File(entry).toURI().toURL());
            }
        }
        try (URLClassLoader loader = new URLClassLoader(withoutNetty.toArray(new URL[0]),
                ClassLoader.getPlatformClassLoader())) {
            Class<?> driverClass = loader.loadClass(S3Driver.class.getName());
            Object driver = driverClass.getMethod("open", URI.class).invoke(null,
                    URI.create("s3://bucket?endpoint=" + ownEndpoint() + "&profile=aws&region=us-east-1"));
            Method async = driverClass.getMethod("async");
            assertEquals(Optional.empty(), async.invoke(driver));
            ((AutoCloseable) driver).close();
        }
    }
}
