package io.leasehold.aws;

import io.leasehold.spi.GetResponse;
import io.leasehold.spi.PutResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.head;
import static com.github.tomakehurst.wiremock.client.WireMock.headRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.extension.ResponseTransformerV2;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.http.Response;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.leasehold.core.AccessDeniedException;
import io.leasehold.core.Capability;
import io.leasehold.core.DeleteOptions;
import io.leasehold.core.ETag;
import io.leasehold.core.ErrorCode;
import io.leasehold.core.GetOptions;
import io.leasehold.core.GetResult;
import io.leasehold.core.InvalidArgumentException;
import io.leasehold.core.NotSupportedException;
import io.leasehold.core.ObjectAlreadyExistsException;
import io.leasehold.core.ObjectNotFoundException;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.ObjectStoreException;
import io.leasehold.core.ObjectVersion;
import io.leasehold.core.OutcomeUnknownException;
import io.leasehold.core.PreconditionFailedException;
import io.leasehold.core.PutMode;
import io.leasehold.core.PutOptions;
import io.leasehold.core.PutResult;
import io.leasehold.core.TransientException;
import io.leasehold.spi.StoreDriver;
import io.leasehold.tck.ThroughAsyncRequests;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The exact requests {@link S3Driver} sends and how it maps each answer, against WireMock on
 * loopback: method, path, conditional headers, and every error or fault the S3 API can produce.
 * Each test also counts requests, which proves that nothing was sent (NotSupported) or re-sent
 * (SDK retries off).
 */
class S3WireTest {
    private static final String BUCKET = "bucket";
    private static final String SECRET = "wire-test-secret-key-SHOULD-NEVER-APPEAR";
    private static WireMockServer wire;

    @BeforeAll
    static void startWireMock() {
        wire = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort()
                .extensions(new EchoWriteId()));
        wire.start();
    }

    @AfterAll
    static void stopWireMock() {
        wire.stop();
    }

    @BeforeEach
    void reset() {
        wire.resetAll();
    }

    private static URI endpoint() {
        return URI.create("http://127.0.0.1:" + wire.port());
    }

    private static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDWIRETEST", SECRET));
    }

    /** Whether the driver's requests go through its non-blocking form ({@link S3AsyncWireTest}). */
    static boolean viaAsync;

    /** The driver as the tests send through it: its blocking methods, or its non-blocking requests waited for. */
    static StoreDriver through(S3Driver driver) {
        return viaAsync ? ThroughAsyncRequests.of(driver) : driver;
    }

    private static StoreDriver driver(S3Profile profile) {
        return through(S3Driver.builder().bucket(BUCKET).profile(profile).endpoint(endpoint()).pathStyle(true)
                .credentialsProvider(credentials()).build());
    }

    private static StoreDriver aws() {
        return driver(S3Profile.AWS);
    }

    private static ResponseDefinitionBuilder s3Error(int status, String code) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/xml")
                .withHeader("x-amz-request-id", "REQ123")
                .withBody("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>"
                        + code + " happened</Message><RequestId>REQ123</RequestId></Error>");
    }

    private static ResponseDefinitionBuilder putOk(String etag) {
        return aResponse().withStatus(200).withHeader("ETag", "\"" + etag + "\"");
    }

    private static ResponseDefinitionBuilder objectOk(String etag, String body) {
        return aResponse().withStatus(200).withHeader("ETag", "\"" + etag + "\"")
                .withHeader("Last-Modified", "Wed, 21 Oct 2026 07:28:00 GMT")
                .withHeader("Content-Type", "text/plain")
                .withHeader("x-amz-meta-owner", "alice")
                .withBody(body);
    }

    private static int requests() {
        return wire.findAll(anyRequestedFor(anyUrl())).size();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------ put: the wire form

    @Test
    void createSendsIfNoneMatchStarAndReturnsTheVersion() {
        wire.stubFor(put(urlEqualTo("/bucket/k")).willReturn(putOk("e1").withHeader("x-amz-version-id", "v1")));
        try (StoreDriver d = aws()) {
            PutResponse r = d.put("k", bytes("hello"), PutOptions.of(PutMode.create()));
            assertEquals("e1", r.version().orElseThrow().etag().value());
            assertEquals("v1", r.version().orElseThrow().versionId().orElseThrow());
            assertEquals(5, r.size());
        }
        wire.verify(exactly(1), putRequestedFor(urlEqualTo("/bucket/k"))
                .withHeader("If-None-Match", equalTo("*")).withHeader("If-Match", absent()));
        assertEquals(1, requests());
    }

    @Test
    void updateSendsQuotedIfMatchOnAwsAndBareOnRgw() {
        wire.stubFor(put(urlEqualTo("/bucket/k")).willReturn(putOk("e2")));
        PutOptions update = PutOptions.of(PutMode.update(ObjectVersion.of("e1")));
        try (StoreDriver d = aws()) {
            d.put("k", bytes("x"), update);
        }
        wire.verify(exactly(1), putRequestedFor(urlEqualTo("/bucket/k"))
                .withHeader("If-Match", equalTo("\"e1\"")).withHeader("If-None-Match", absent()));
        wire.resetRequests();
        try (StoreDriver d = driver(S3Profile.CEPH_RGW)) {
            d.put("k", bytes("x"), update);
        }
        wire.verify(exactly(1), putRequestedFor(urlEqualTo("/bucket/k")).withHeader("If-Match", equalTo("e1")));
    }

    @Test
    void overwriteSendsNoConditionButMetadataAndContentType() {
        wire.stubFor(put(urlEqualTo("/bucket/k")).willReturn(putOk("e1")));
        try (StoreDriver d = aws()) {
            d.put("k", bytes("x"), PutOptions.builder().contentType("text/plain").metadata("owner", "alice").build());
        }
        wire.verify(exactly(1), putRequestedFor(urlEqualTo("/bucket/k"))
                .withHeader("If-Match", absent()).withHeader("If-None-Match", absent())
                .withHeader("If-Unmodified-Since", absent()).withHeader("If-Modified-Since", absent())
                .withHeader("Content-Type", equalTo("text/plain")).withHeader("x-amz-meta-owner", equalTo("alice")));
    }

    @Test
    void replaceIsIfMatchStarOnRgwAndNotSupportedOnAwsWithoutSending() {
        wire.stubFor(put(urlEqualTo("/bucket/k")).willReturn(putOk("e1")));
        try (StoreDriver d = aws()) {
            assertFalse(d.capabilities().supports(Capability.PUT_IF_PRESENT));
            assertThrows(NotSupportedException.class, () -> d.put("k", bytes("x"), PutOptions.of(PutMode.replace())));
        }
        assertEquals(0, requests());
        try (StoreDriver d = driver(S3Profile.CEPH_RGW)) {
            d.put("k", bytes("x"), PutOptions.of(PutMode.replace()));
        }
        wire.verify(exactly(1), putRequestedFor(urlEqualTo("/bucket/k")).withHeader("If-Match", equalTo("*")));
    }

    @Test
    void dateConditionedPutIsNotSupportedOnAwsAndNothingIsSent() {
        try (StoreDriver d = aws(); ObjectStore store = ObjectStore.of(aws())) {
            assertFalse(d.capabilities().supports(Capability.PUT_IF_UNMODIFIED_SINCE));
            assertThrows(NotSupportedException.class, () -> d.put("k", bytes("x"),
                    PutOptions.builder().ifUnmodifiedSince(Instant.now()).build()));
            assertThrows(NotSupportedException.class, () -> store.put("k", bytes("x"),
                    PutOptions.builder().mode(PutMode.update(ObjectVersion.of("e1"))).ifModifiedSince(Instant.now()).build()));
        }
        assertEquals(0, requests());
    }

    @Test
    void weakETagInIfMatchNeverMatchesAndIsNotSent() {
        try (ObjectStore store = ObjectStore.of(aws())) {
            assertThrows(PreconditionFailedException.class, () -> store.put("k", bytes("x"),
                    PutOptions.of(PutMode.update(ObjectVersion.of("W/\"e1\"")))));
        }
        assertEquals(0, requests());
    }

    @Test
    void prefixIsPrependedAndTooLongKeysAreRefusedBeforeSending() {
        wire.stubFor(put(urlEqualTo("/bucket/app/data/k")).willReturn(putOk("e1")));
        try (StoreDriver d = through(S3Driver.builder().bucket(BUCKET).prefix("app/data").profile(S3Profile.AWS)
                .endpoint(endpoint()).pathStyle(true).credentialsProvider(credentials()).build())) {
            assertEquals(1, d.put("k", bytes("x"), PutOptions.defaults()).size());
            assertThrows(InvalidArgumentException.class, () -> d.put("k".repeat(1020), bytes("x"), PutOptions.defaults()));
        }
        assertEquals(1, requests());
    }

    // ------------------------------------------------------------------ put: error mapping

    @Test
    void lostCreateIsAlreadyExistsAndLostUpdateIsPreconditionFailed() {
        wire.stubFor(put(urlEqualTo("/bucket/k")).willReturn(s3Error(412, "PreconditionFailed")));
        try (StoreDriver d = aws()) {
            ObjectStoreException create = assertThrows(ObjectAlreadyExistsException.class,
                    () -> d.put("k", bytes("x"), PutOptions.of(PutMode.create())));
            assertTrue(create.getMessage().contains("412") && create.getMessage().contains("REQ123"), create.getMessage());
            assertThrows(PreconditionFailedException.class,
                    () -> d.put("k", bytes("x"), PutOptions.of(PutMode.update(ObjectVersion.of("e1")))));
        }
        assertEquals(2, requests());
    }

    @Test
    void ifMatchOnAMissingKeyIs404OnAwsAnd412OnRgwAndBothArePreconditionFailed() {
        wire.stubFor(put(urlEqualTo("/bucket/k")).willReturn(s3Error(404, "NoSuchKey")));
        PutOptions update = PutOptions.of(PutMode.update(ObjectVersion.of("e1")));
        try (StoreDriver d = aws()) {
            assertThrows(PreconditionFailedException.class, () -> d.put("k", bytes("x"), update));
        }
        wire.stubFor(put(urlEqualTo("/bucket/k")).willReturn(s3Error(412, "PreconditionFailed")));
        try (StoreDriver d = driver(S3Profile.CEPH_RGW)) {
            assertThrows(PreconditionFailedException.class, () -> d.put("k", bytes("x"), update));
        }
        assertEquals(2, requests());
    }

    @Test
    void conditionalRequestConflictIsATransientConflictNeverAlreadyExists() {
        wire.stubFor(put(urlEqualTo("/bucket/k")).willReturn(s3Error(409, "ConditionalRequestConflict")));
        try (StoreDriver d = aws()) {
            TransientException e = assertThrows(TransientException.class,
                    () -> d.put("k", bytes("x"), PutOptions.of(PutMode.create())));
            assertEquals(ErrorCode.CONFLICT, e.code());
            assertTrue(e.retryable());
        }
        assertEquals(1, requests());
    }

    @Test
    void theFacadeRetriesA409CreateAndTheSecondAttemptWins() {
        wire.stubFor(put(urlEqualTo("/bucket/k")).inScenario("409").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(s3Error(409, "ConditionalRequestConflict")).willSetStateTo("second"));
        wire.stubFor(put(urlEqualTo("/bucket/k")).inScenario("409").whenScenarioStateIs("second")
                .willReturn(putOk("e1")));
        try (ObjectStore store = ObjectStore.of(aws())) {
            assertEquals("e1", store.put("k", bytes("x"), PutOptions.of(PutMode.create())).version().etag().value());
        }
        wire.verify(exactly(2), putRequestedFor(urlEqualTo("/bucket/k")).withHeader("If-None-Match", equalTo("*")));
    }

    @Test
    void okStatusWithAPreconditionFailedBodyIsAFailedCondition() {
        wire.stubFor(put(urlEqualTo("/bucket/k")).willReturn(s3Error(200, "PreconditionFailed")));
        try (StoreDriver d = aws()) {
            PreconditionFailedException e = assertThrows(PreconditionFailedException.class,
                    () -> d.put("k", bytes("x"), PutOptions.of(PutMode.update(ObjectVersion.of("e1")))));
            assertTrue(e.getMessage().contains("HTTP 200 with an error body"), e.getMessage());
            assertThrows(ObjectAlreadyExistsException.class,
                    () -> d.put("k", bytes("x"), PutOptions.of(PutMode.create())));
        }
        assertEquals(2, requests());
        // the same over a caller-supplied client, where the interceptor arrives with each request
        S3Client client = S3Client.builder().endpointOverride(endpoint()).region(Region.US_EAST_1)
                .forcePathStyle(true).credentialsProvider(credentials()).build();
        try (S3Driver d = S3Driver.builder().client(client).bucket(BUCKET).build()) {
            assertThrows(PreconditionFailedException.class,
                    () -> d.put("k", bytes("x"), PutOptions.of(PutMode.update(ObjectVersion.of("e1")))));
        }
        client.close();
        assertEquals(3, requests());
    }

    @Test
    void slowDownIsThrottledAndTheFacadeRetriesIt() {
        wire.stubFor(put(urlEqualTo("/bucket/k")).inScenario("503").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(s3Error(503, "SlowDown")).willSetStateTo("ok"));
        wire.stubFor(put(urlEqualTo("/bucket/k")).inScenario("503").whenScenarioStateIs("ok").willReturn(putOk("e1")));
        try (StoreDriver d = aws()) {
            TransientException e = assertThrows(TransientException.class,
                    () -> d.put("k", bytes("x"), PutOptions.of(PutMode.create())));
            assertEquals(ErrorCode.THROTTLED, e.code());
        }
        assertEquals(1, requests());
        try (ObjectStore store = ObjectStore.of(aws())) {
            store.put("k", bytes("x"), PutOptions.of(PutMode.create()));
        }
        assertEquals(2, requests());
    }

    @Test
    void serverErrorOnAMutationIsOutcomeUnknownSentOnceAndSettledByOneRead() {
        wire.stubFor(put(urlEqualTo("/bucket/k")).willReturn(s3Error(500, "InternalError")));
        // The object as read back holds someone else's write: no evidence either way.
        wire.stubFor(head(urlEqualTo("/bucket/k")).willReturn(objectOk("other", "")));
        try (ObjectStore store = ObjectStore.of(aws())) {
            assertThrows(OutcomeUnknownException.class,
                    () -> store.put("k", bytes("x"), PutOptions.of(PutMode.update(ObjectVersion.of("e1")))));
        }
        wire.verify(exactly(1), putRequestedFor(urlEqualTo("/bucket/k")));
        wire.verify(exactly(1), headRequestedFor(urlEqualTo("/bucket/k")));
        assertEquals(2, requests());
    }

    @Test
    void connectionResetAfterSendingAPutIsOutcomeUnknownAndIsNotResent() {
        wire.stubFor(put(urlEqualTo("/bucket/k")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        try (ObjectStore store = ObjectStore.of(aws())) {
            ObjectStoreException e = assertThrows(OutcomeUnknownException.class,
                    () -> store.put("k", bytes("x"), PutOptions.of(PutMode.create())));
            assertEquals(ErrorCode.OUTCOME_UNKNOWN, e.code());
        }
        // absent again: a create that may have landed and been deleted is never re-sent
        wire.verify(exactly(1), putRequestedFor(urlEqualTo("/bucket/k")));
        wire.verify(exactly(1), headRequestedFor(urlEqualTo("/bucket/k")));
    }

    @Test
    void aLandedWriteWhoseResponseIsLostIsRecognisedByItsWriteIdWithOneRead() {
        // The server applies the write, then the connection dies before the response. An SDK retry
        // would now get 412 and report the caller's own success as "already exists" (#6580); the
        // facade instead reads once and finds its own write id.
        wire.stubFor(put(urlEqualTo("/bucket/k")).willReturn(aResponse().withFault(Fault.EMPTY_RESPONSE)
                .withTransformers(EchoWriteId.NAME)));
        wire.stubFor(head(urlEqualTo("/bucket/k")).willReturn(objectOk("e9", "").withTransformers(EchoWriteId.NAME)));
        try (ObjectStore store = ObjectStore.of(aws())) {
            PutResult result = store.put("k", bytes("x"), PutOptions.of(PutMode.create()));
            assertEquals("e9", result.version().etag().value());
            assertEquals(EchoWriteId.last(), result.writeId().orElseThrow());
        }
        wire.verify(exactly(1), putRequestedFor(urlEqualTo("/bucket/k"))
                .withHeader("x-amz-meta-leasehold_w", matching("[0-9a-f]{16}"))
                .withHeader("x-amz-meta-leasehold_h", equalTo("-")));
        wire.verify(exactly(1), headRequestedFor(urlEqualTo("/bucket/k")));
        assertEquals(2, requests());
    }

    @Test
    void aPutAnsweredWithoutAnETagIsCreditedOnlyWithAVersionCarryingItsWriteId() {
        wire.stubFor(put(urlEqualTo("/bucket/k")).willReturn(aResponse().withStatus(200)
                .withTransformers(EchoWriteId.NAME)));
        wire.stubFor(head(urlEqualTo("/bucket/k")).willReturn(objectOk("mine", "").withTransformers(EchoWriteId.NAME)));
        try (ObjectStore store = ObjectStore.of(aws())) {
            assertEquals("mine", store.put("k", bytes("x")).version().etag().value());
        }
        // someone else's write is current by the time of the read: never credited with it
        wire.stubFor(head(urlEqualTo("/bucket/k")).willReturn(objectOk("theirs", "")));
        try (ObjectStore store = ObjectStore.of(aws())) {
            PutResult result = store.put("k", bytes("x"));
            assertTrue(result.version().isUnknown());
            assertTrue(result.isSuperseded());
        }
    }

    @Test
    void aResponseWithoutAnETagIsAServerFaultNotAnInvalidArgument() {
        wire.stubFor(head(urlEqualTo("/bucket/k")).willReturn(aResponse().withStatus(200)
                .withHeader("Last-Modified", "Wed, 21 Oct 2026 07:28:00 GMT")));
        try (ObjectStore store = ObjectStore.of(aws())) {
            ObjectStoreException e = assertThrows(ObjectStoreException.class, () -> store.head("k"));
            assertEquals(ErrorCode.UNKNOWN, e.code());
            assertTrue(e.getMessage().contains("without an ETag"), e.getMessage());
        }
    }

    @Test
    void connectFailureIsTransientBecauseNothingWasSent() throws Exception {
        int closedPort = S3MockServer.freePort();
        try (StoreDriver d = through(S3Driver.builder().bucket(BUCKET).profile(S3Profile.AWS)
                .endpoint(URI.create("http://127.0.0.1:" + closedPort)).pathStyle(true).credentialsProvider(credentials()).build())) {
            TransientException e = assertThrows(TransientException.class,
                    () -> d.put("k", bytes("x"), PutOptions.of(PutMode.create())));
            assertEquals(ErrorCode.TRANSIENT, e.code());
        }
    }

    @Test
    void rgwsOwnLostRaceAnswerIsALostRaceAndAnyOther5xxStaysUnknown() {
        PutOptions update = PutOptions.of(PutMode.update(ObjectVersion.of("e1")));
        // 500 UnknownError is how RGW answers a lost If-Match race (its atomic head write cancelled):
        // translated like its 412s, with no read.
        wire.stubFor(put(urlEqualTo("/bucket/k")).willReturn(s3Error(500, "UnknownError")));
        try (ObjectStore store = ObjectStore.of(driver(S3Profile.CEPH_RGW))) {
            assertThrows(PreconditionFailedException.class, () -> store.put("k", bytes("x"), update));
        }
        wire.verify(exactly(1), putRequestedFor(urlEqualTo("/bucket/k")));
        wire.verify(exactly(0), headRequestedFor(urlEqualTo("/bucket/k")));
        // any other 5xx may follow a write that landed (and was then overwritten): someone else's
        // content proves nothing, so the facade settles it by the write id, here: unknown
        wire.resetAll();
        wire.stubFor(put(urlEqualTo("/bucket/k")).willReturn(s3Error(500, "InternalError")));
        wire.stubFor(head(urlEqualTo("/bucket/k")).willReturn(objectOk("other", "")));
        try (ObjectStore store = ObjectStore.of(driver(S3Profile.CEPH_RGW))) {
            assertThrows(OutcomeUnknownException.class, () -> store.put("k", bytes("x"), update));
        }
        wire.verify(exactly(1), putRequestedFor(urlEqualTo("/bucket/k")));
        wire.verify(exactly(1), headRequestedFor(urlEqualTo("/bucket/k")));
        // AWS never answers a lost race with 5xx: UnknownError there is an unknown outcome as well
        wire.resetAll();
        wire.stubFor(put(urlEqualTo("/bucket/k")).willReturn(s3Error(500, "UnknownError")));
        try (ObjectStore store = ObjectStore.of(aws())) {
            assertThrows(OutcomeUnknownException.class, () -> store.put("k", bytes("x"), update));
        }
        // and a create is never read as a lost race from a 5xx
        wire.resetAll();
        wire.stubFor(put(urlEqualTo("/bucket/k")).willReturn(s3Error(500, "UnknownError")));
        try (ObjectStore store = ObjectStore.of(driver(S3Profile.CEPH_RGW))) {
            assertThrows(OutcomeUnknownException.class, () -> store.put("k", bytes("x"), PutOptions.of(PutMode.create())));
        }
    }

    @Test
    void forbiddenIsAccessDeniedAndNoSecretAppearsAnywhere() {
        wire.stubFor(any(anyUrl()).willReturn(s3Error(403, "SignatureDoesNotMatch")));
        try (StoreDriver d = aws()) {
            AccessDeniedException e = assertThrows(AccessDeniedException.class,
                    () -> d.put("k", bytes("x"), PutOptions.defaults()));
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            assertFalse(trace.toString().contains(SECRET), "the secret key leaked into an exception");
            assertThrows(AccessDeniedException.class, () -> d.get("k", GetOptions.defaults(), true));
        }
    }

    // ------------------------------------------------------------------ the SDK never retries

    @Test
    void aCallerSuppliedClientWithRetriesConfiguredSendsEachRequestOnce() {
        wire.stubFor(any(anyUrl()).willReturn(s3Error(500, "InternalError")));
        S3Client standard = S3Client.builder().endpointOverride(endpoint()).region(Region.US_EAST_1)
                .forcePathStyle(true).credentialsProvider(credentials())
                .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD)).build();
        @SuppressWarnings("deprecation")
        ClientOverrideConfiguration legacy = ClientOverrideConfiguration.builder()
                .retryPolicy(software.amazon.awssdk.core.retry.RetryPolicy.builder().numRetries(4).build()).build();
        S3Client legacyClient = S3Client.builder().endpointOverride(endpoint()).region(Region.US_EAST_1)
                .forcePathStyle(true).credentialsProvider(credentials()).overrideConfiguration(legacy).build();
        for (S3Client client : new S3Client[] {standard, legacyClient}) {
            wire.resetRequests();
            S3Driver d = S3Driver.builder().client(client).bucket(BUCKET).build();
            assertThrows(OutcomeUnknownException.class,
                    () -> d.put("k", bytes("x"), PutOptions.of(PutMode.update(ObjectVersion.of("e1")))));
            assertThrows(OutcomeUnknownException.class, () -> d.delete("k", DeleteOptions.ifMatch(ObjectVersion.of("e1"))));
            assertThrows(TransientException.class, () -> d.get("k", GetOptions.defaults(), true));
            assertEquals(3, requests(), "each request sent exactly once");
            d.close();
            // the driver does not close a caller's client, and the client itself still retries
            wire.resetRequests();
            assertThrows(software.amazon.awssdk.services.s3.model.S3Exception.class,
                    () -> client.headObject(b -> b.bucket(BUCKET).key("k")));
            assertTrue(requests() > 1, "the caller's own requests keep the caller's retry settings");
            client.close();
        }
    }

    @Test
    void unwrapExposesTheClient() {
        S3Client client = S3Client.builder().endpointOverride(endpoint()).region(Region.US_EAST_1)
                .forcePathStyle(true).credentialsProvider(credentials()).build();
        try (S3Driver d = S3Driver.builder().client(client).bucket(BUCKET).build(); ObjectStore store = ObjectStore.of(d)) {
            assertSame(client, store.unwrap(S3Client.class).orElseThrow());
            assertSame(S3Profile.AWS, store.unwrap(S3Profile.class).orElseThrow());
            assertSame(d, store.unwrap(S3Driver.class).orElseThrow());
            assertFalse(store.unwrap(String.class).isPresent());
        }
        client.close();
    }

    // ------------------------------------------------------------------ get / head

    @Test
    void getSendsTheConditionsAndReturnsTheObject() {
        wire.stubFor(get(urlEqualTo("/bucket/k")).willReturn(objectOk("e1", "hello").withHeader("x-amz-version-id", "v7")));
        try (StoreDriver d = aws()) {
            GetResponse r = d.get("k", GetOptions.builder().ifMatch("e1").build(), true);
            assertArrayEquals(bytes("hello"), r.content());
            assertEquals("e1", r.info().version().etag().value());
            assertEquals("v7", r.info().version().versionId().orElseThrow());
            assertEquals("text/plain", r.info().contentType().orElseThrow());
            assertEquals(Map.of("owner", "alice"), r.info().userMetadata());
            assertEquals(Instant.parse("2026-10-21T07:28:00Z"), r.info().lastModified());
        }
        wire.verify(exactly(1), getRequestedFor(urlEqualTo("/bucket/k")).withHeader("If-Match", equalTo("\"e1\"")));
        wire.resetRequests();
        try (StoreDriver d = aws()) {
            d.get("k", GetOptions.builder().ifNoneMatch("other").build(), true);
        }
        wire.verify(exactly(1), getRequestedFor(urlEqualTo("/bucket/k")).withHeader("If-None-Match", equalTo("\"other\"")));
    }

    @Test
    void dateConditionsAreHttpDatesAndTheOnesRfc9110IgnoresAreNotSent() {
        wire.stubFor(get(urlEqualTo("/bucket/k")).willReturn(objectOk("e1", "x")));
        Instant t = Instant.parse("2026-03-04T05:06:07Z");
        try (StoreDriver d = aws()) {
            d.get("k", GetOptions.builder().ifModifiedSince(t).ifUnmodifiedSince(t.plusSeconds(60)).build(), true);
            wire.verify(exactly(1), getRequestedFor(urlEqualTo("/bucket/k"))
                    .withHeader("If-Modified-Since", equalTo("Wed, 04 Mar 2026 05:06:07 GMT"))
                    .withHeader("If-Unmodified-Since", equalTo("Wed, 04 Mar 2026 05:07:07 GMT")));
            wire.resetRequests();
            d.get("k", GetOptions.builder().ifMatch("e1").ifUnmodifiedSince(t).build(), true);
            d.get("k", GetOptions.builder().ifNoneMatch("x").ifModifiedSince(t).build(), true);
            wire.verify(exactly(1), getRequestedFor(urlEqualTo("/bucket/k")).withHeader("If-Match", equalTo("\"e1\""))
                    .withHeader("If-Modified-Since", absent()).withHeader("If-Unmodified-Since", absent()));
            wire.verify(exactly(1), getRequestedFor(urlEqualTo("/bucket/k")).withHeader("If-None-Match", equalTo("\"x\""))
                    .withHeader("If-Modified-Since", absent()).withHeader("If-Unmodified-Since", absent()));
        }
    }

    @Test
    void notModifiedIsAResultWithTheCurrentVersion() {
        wire.stubFor(get(urlEqualTo("/bucket/k")).willReturn(aResponse().withStatus(304).withHeader("ETag", "\"e1\"")));
        wire.stubFor(head(urlEqualTo("/bucket/k")).willReturn(aResponse().withStatus(304).withHeader("ETag", "\"e1\"")));
        try (StoreDriver d = aws()) {
            for (boolean content : new boolean[] {true, false}) {
                GetResponse r = d.get("k", GetOptions.builder().ifNoneMatch("e1").build(), content);
                assertTrue(r.isNotModified());
                assertEquals(ETag.parse("e1"), r.version().orElseThrow().etag());
            }
        }
        assertEquals(2, requests());
    }

    @Test
    void readErrorsMapToPortableCodes() {
        Object[][] cases = {
            {412, "PreconditionFailed", PreconditionFailedException.class, ErrorCode.PRECONDITION_FAILED},
            {404, "NoSuchKey", ObjectNotFoundException.class, ErrorCode.NOT_FOUND},
            {403, "AccessDenied", AccessDeniedException.class, ErrorCode.ACCESS_DENIED},
            {503, "SlowDown", TransientException.class, ErrorCode.THROTTLED},
            {500, "InternalError", TransientException.class, ErrorCode.TRANSIENT},
            {404, "NoSuchBucket", ObjectStoreException.class, ErrorCode.UNKNOWN},
        };
        try (StoreDriver d = aws()) {
            for (Object[] c : cases) {
                wire.resetAll();
                wire.stubFor(get(urlEqualTo("/bucket/k")).willReturn(s3Error((Integer) c[0], (String) c[1])));
                ObjectStoreException e = assertThrows(ObjectStoreException.class, () -> d.get("k", GetOptions.defaults(), true));
                assertInstanceOf((Class<?>) c[2], e, c[1] + ": " + e);
                assertEquals(c[3], e.code(), (String) c[1]);
                assertEquals(1, requests(), c[1] + " sent once");
            }
            wire.resetAll();
            wire.stubFor(head(urlEqualTo("/bucket/k")).willReturn(aResponse().withStatus(404)));
            assertThrows(ObjectNotFoundException.class, () -> d.get("k", GetOptions.defaults(), false));
            wire.stubFor(get(urlEqualTo("/bucket/k")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
            TransientException reset = assertThrows(TransientException.class, () -> d.get("k", GetOptions.defaults(), true));
            assertEquals(ErrorCode.TRANSIENT, reset.code());
        }
    }

    @Test
    void rgwIgnoresIfNoneMatchStarOnReadsSoTheDriverEvaluatesIt() {
        wire.stubFor(head(urlEqualTo("/bucket/k")).willReturn(objectOk("e1", "")));
        try (StoreDriver d = driver(S3Profile.CEPH_RGW)) {
            GetResponse r = d.get("k", GetOptions.builder().ifNoneMatch(ETag.ANY).build(), true);
            assertTrue(r.isNotModified());
            assertEquals("e1", r.version().orElseThrow().etag().value());
        }
        wire.verify(exactly(1), headRequestedFor(urlEqualTo("/bucket/k")).withHeader("If-None-Match", absent()));
        assertEquals(1, requests());
        wire.resetAll();
        wire.stubFor(get(urlEqualTo("/bucket/k")).willReturn(aResponse().withStatus(304)));
        try (StoreDriver d = aws()) {
            assertTrue(d.get("k", GetOptions.builder().ifNoneMatch(ETag.ANY).build(), true).isNotModified());
        }
        wire.verify(exactly(1), getRequestedFor(urlEqualTo("/bucket/k")).withHeader("If-None-Match", equalTo("*")));
    }

    @Test
    void rgwAnswersIfMatchStarWith412SoItIsNotSent() {
        wire.stubFor(get(urlEqualTo("/bucket/k")).willReturn(objectOk("e1", "x")));
        Instant t = Instant.parse("2026-03-04T05:06:07Z");
        try (StoreDriver d = driver(S3Profile.CEPH_RGW)) {
            assertEquals("x", new String(d.get("k", GetOptions.builder().ifMatch(ETag.ANY).ifUnmodifiedSince(t).build(), true)
                    .content(), StandardCharsets.UTF_8));
        }
        wire.verify(exactly(1), getRequestedFor(urlEqualTo("/bucket/k"))
                .withHeader("If-Match", absent()).withHeader("If-Unmodified-Since", absent()));
    }

    @Test
    void withAConcreteIfMatchTheIfNoneMatchVerdictIsKnownAndOnlyIfMatchIsSent() {
        wire.stubFor(head(urlEqualTo("/bucket/k")).willReturn(objectOk("e1", "")));
        wire.stubFor(get(urlEqualTo("/bucket/k")).willReturn(objectOk("e1", "x")));
        try (StoreDriver d = aws()) {
            assertTrue(d.get("k", GetOptions.builder().ifMatch("e1").ifNoneMatch("e1").build(), true).isNotModified());
            wire.verify(exactly(1), headRequestedFor(urlEqualTo("/bucket/k"))
                    .withHeader("If-Match", equalTo("\"e1\"")).withHeader("If-None-Match", absent()));
            assertFalse(d.get("k", GetOptions.builder().ifMatch("e1").ifNoneMatch("e0").build(), true).isNotModified());
            wire.verify(exactly(1), getRequestedFor(urlEqualTo("/bucket/k"))
                    .withHeader("If-Match", equalTo("\"e1\"")).withHeader("If-None-Match", absent()));
        }
        assertEquals(2, requests());
    }

    @Test
    void weakIfMatchOnAReadNeverMatchesButAMissingKeyIsStillNotFound() {
        wire.stubFor(head(urlEqualTo("/bucket/k")).willReturn(objectOk("e1", "")));
        wire.stubFor(head(urlEqualTo("/bucket/gone")).willReturn(aResponse().withStatus(404)));
        try (ObjectStore store = ObjectStore.of(aws())) {
            assertThrows(PreconditionFailedException.class,
                    () -> store.get("k", GetOptions.builder().ifMatch("W/\"e1\"").build()));
            assertThrows(ObjectNotFoundException.class,
                    () -> store.get("gone", GetOptions.builder().ifMatch("W/\"e1\"").build()));
        }
        wire.verify(exactly(0), getRequestedFor(anyUrl()));
        wire.verify(exactly(2), headRequestedFor(anyUrl()).withHeader("If-Match", absent()));
    }

    @Test
    void rgwAndCompatibleProfilesSignWholePayloadsOnBothKindsOfClient() {
        wire.stubFor(put(anyUrl()).willReturn(putOk("d41d8cd98f00b204e9800998ecf8427e")));
        S3Client client = S3Client.builder().endpointOverride(endpoint()).region(Region.US_EAST_1)
                .forcePathStyle(true).credentialsProvider(credentials()).build();
        try (StoreDriver own = driver(S3Profile.CEPH_RGW);
             S3Driver callers = S3Driver.builder().client(client).bucket(BUCKET).profile(S3Profile.S3_COMPATIBLE).build();
             StoreDriver awsDriver = aws()) {
            own.put("empty", new byte[0], PutOptions.defaults());
            callers.put("empty", new byte[0], PutOptions.defaults());
            wire.verify(exactly(2), putRequestedFor(urlEqualTo("/bucket/empty"))
                    .withHeader("Content-Encoding", absent())
                    .withHeader("x-amz-content-sha256", equalTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")));
            awsDriver.put("aws", new byte[0], PutOptions.defaults());
            wire.verify(exactly(1), putRequestedFor(urlEqualTo("/bucket/aws"))
                    .withHeader("Content-Encoding", equalTo("aws-chunked")));
        }
        client.close();
    }

    @Test
    void rgwMetadataNamesComeBackWithHyphensAndAreMappedBack() {
        wire.stubFor(head(urlEqualTo("/bucket/k")).willReturn(objectOk("e1", "").withHeader("x-amz-meta-app-write", "w1")));
        try (StoreDriver d = driver(S3Profile.CEPH_RGW)) {
            assertEquals("w1", d.get("k", GetOptions.defaults(), false).info().userMetadata().get("app_write"));
        }
        try (StoreDriver d = aws()) {
            assertEquals("w1", d.get("k", GetOptions.defaults(), false).info().userMetadata().get("app-write"));
        }
    }

    // ------------------------------------------------------------------ delete

    @Test
    void awsDeleteProvesExistenceWithIfMatchStarInOneRequest() {
        wire.stubFor(delete(urlEqualTo("/bucket/k")).willReturn(aResponse().withStatus(204)));
        try (StoreDriver d = aws()) {
            d.delete("k", DeleteOptions.defaults());
        }
        wire.verify(exactly(1), deleteRequestedFor(urlEqualTo("/bucket/k")).withHeader("If-Match", equalTo("*")));
        assertEquals(1, requests());
        wire.stubFor(delete(urlEqualTo("/bucket/k")).willReturn(s3Error(404, "NoSuchKey")));
        try (StoreDriver d = aws()) {
            assertThrows(ObjectNotFoundException.class, () -> d.delete("k", DeleteOptions.defaults()));
        }
    }

    @Test
    void awsConditionalDeleteSendsIfMatchAndMapsTheAnswers() {
        DeleteOptions ifMatch = DeleteOptions.ifMatch(ObjectVersion.of("e1"));
        wire.stubFor(delete(urlEqualTo("/bucket/k")).willReturn(aResponse().withStatus(204)));
        try (StoreDriver d = aws()) {
            d.delete("k", ifMatch);
            wire.verify(exactly(1), deleteRequestedFor(urlEqualTo("/bucket/k")).withHeader("If-Match", equalTo("\"e1\"")));
            wire.stubFor(delete(urlEqualTo("/bucket/k")).willReturn(s3Error(412, "PreconditionFailed")));
            wire.stubFor(head(urlEqualTo("/bucket/k")).willReturn(objectOk("e2", "")));
            assertThrows(PreconditionFailedException.class, () -> d.delete("k", ifMatch));
            // a store that answers If-Match on a missing key with 412: the follow-up HEAD says missing
            wire.stubFor(head(urlEqualTo("/bucket/k")).willReturn(aResponse().withStatus(404)));
            assertThrows(ObjectNotFoundException.class, () -> d.delete("k", ifMatch));
            wire.stubFor(delete(urlEqualTo("/bucket/k")).willReturn(s3Error(404, "NoSuchKey")));
            assertThrows(ObjectNotFoundException.class, () -> d.delete("k", ifMatch));
            wire.stubFor(delete(urlEqualTo("/bucket/k")).willReturn(s3Error(500, "InternalError")));
            assertThrows(OutcomeUnknownException.class, () -> d.delete("k", ifMatch));
        }
        wire.verify(exactly(5), deleteRequestedFor(urlEqualTo("/bucket/k")));
        wire.verify(exactly(2), headRequestedFor(urlEqualTo("/bucket/k")));
    }

    @Test
    void rgwDeleteHeadsFirstAndRefusesConditionsWithoutSending() {
        wire.stubFor(head(urlEqualTo("/bucket/k")).willReturn(aResponse().withStatus(404)));
        try (StoreDriver d = driver(S3Profile.CEPH_RGW)) {
            assertFalse(d.capabilities().supports(Capability.DELETE_IF_MATCH));
            assertThrows(NotSupportedException.class, () -> d.delete("k", DeleteOptions.ifMatch(ObjectVersion.of("e1"))));
            assertEquals(0, requests());
            assertThrows(ObjectNotFoundException.class, () -> d.delete("k", DeleteOptions.defaults()));
            wire.verify(exactly(0), deleteRequestedFor(urlPathEqualTo("/bucket/k")));
            wire.stubFor(head(urlEqualTo("/bucket/k")).willReturn(objectOk("e1", "")));
            wire.stubFor(delete(urlEqualTo("/bucket/k")).willReturn(aResponse().withStatus(204)));
            d.delete("k", DeleteOptions.defaults());
        }
        wire.verify(exactly(1), deleteRequestedFor(urlEqualTo("/bucket/k")).withHeader("If-Match", absent()));
    }

    @Test
    void headThenIfMatchDeleteRetriesWhenTheObjectChangedInBetween() {
        S3Profile profile = S3Profile.AWS.toBuilder()
                .deleteExistenceCheck(S3Profile.DeleteExistenceCheck.HEAD_THEN_IF_MATCH).build();
        wire.stubFor(head(urlEqualTo("/bucket/k")).inScenario("d").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(objectOk("e1", "")).willSetStateTo("changed"));
        wire.stubFor(head(urlEqualTo("/bucket/k")).inScenario("d").whenScenarioStateIs("changed")
                .willReturn(objectOk("e2", "")));
        wire.stubFor(delete(urlEqualTo("/bucket/k")).withHeader("If-Match", equalTo("\"e1\""))
                .willReturn(s3Error(412, "PreconditionFailed")));
        wire.stubFor(delete(urlEqualTo("/bucket/k")).withHeader("If-Match", equalTo("\"e2\""))
                .willReturn(aResponse().withStatus(204)));
        try (StoreDriver d = driver(profile)) {
            d.delete("k", DeleteOptions.defaults());
        }
        wire.verify(exactly(2), headRequestedFor(urlEqualTo("/bucket/k")));
        wire.verify(exactly(2), deleteRequestedFor(urlEqualTo("/bucket/k")));
    }

    // ------------------------------------------------------------------ URIs and profiles

    @Test
    void openByUriAppliesBucketPrefixEndpointAndProfile() {
        wire.stubFor(put(urlEqualTo("/bucket/pre/k")).willReturn(putOk("e1")));
        System.setProperty("aws.accessKeyId", "AKIDWIRETEST");
        System.setProperty("aws.secretAccessKey", SECRET);
        try (ObjectStore store = ObjectStore.open("s3://bucket/pre?endpoint=" + endpoint()
                + "&region=eu-west-1&pathStyle=true&profile=ceph-rgw");
             ObjectStore versioned = ObjectStore.open("s3://bucket/pre?endpoint=" + endpoint()
                + "&region=eu-west-1&pathStyle=true&profile=ceph-rgw&versioned=true")) {
            assertEquals("s3", store.driverName());
            assertFalse(store.capabilities().supports(Capability.DELETE_IF_MATCH));
            assertEquals(S3Profile.CEPH_RGW, store.unwrap(S3Profile.class).orElseThrow());
            store.put("k", bytes("x"), PutOptions.of(PutMode.update(ObjectVersion.of("e0"))));
            assertTrue(versioned.capabilities().supports(Capability.VERSION_IDS));
            // RGW 16 does not enforce PutObject conditions in versioned buckets (defect 9): refused, nothing sent
            assertThrows(NotSupportedException.class,
                    () -> versioned.put("k", bytes("x"), PutOptions.of(PutMode.update(ObjectVersion.of("e0")))));
        } finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
        }
        wire.verify(exactly(1), putRequestedFor(urlEqualTo("/bucket/pre/k")).withHeader("If-Match", equalTo("e0")));
    }

    @Test
    void malformedUrisAreInvalidArguments() {
        for (String uri : new String[] {"s3://", "s3://bucket?colour=blue", "s3://bucket?profile=minio",
                "s3://user:pass@bucket", "s3://B?region=x", "s3://bucket?pathStyle=maybe"}) {
            assertThrows(InvalidArgumentException.class, () -> ObjectStore.open(uri), uri);
        }
        S3Client client = S3Client.builder().region(Region.US_EAST_1).credentialsProvider(credentials()).build();
        assertThrows(InvalidArgumentException.class,
                () -> S3Driver.builder().client(client).bucket(BUCKET).region("eu-west-1").build());
        client.close();
    }

    @Test
    void profilesDeclareTheirCapabilitiesAsData() {
        assertTrue(S3Profile.AWS.capabilities(false).supports(Capability.DELETE_IF_MATCH));
        assertFalse(S3Profile.AWS.capabilities(false).supports(Capability.PUT_IF_UNMODIFIED_SINCE));
        assertFalse(S3Profile.AWS.capabilities(false).supports(Capability.VERSION_IDS));
        assertFalse(S3Profile.AWS.capabilities(false).supports(Capability.ETAG_CHANGES_ON_IDENTICAL_REWRITE));
        assertFalse(S3Profile.CEPH_RGW.capabilities(false).supports(Capability.DELETE_IF_MATCH));
        assertTrue(S3Profile.CEPH_RGW.capabilities(false).supports(Capability.PUT_IF_PRESENT));
        assertFalse(S3Profile.S3_COMPATIBLE.capabilities(false).supports(Capability.DELETE_IF_MATCH));
        assertFalse(S3Profile.S3_COMPATIBLE.capabilities(false).supports(Capability.PUT_IF_PRESENT));
        for (S3Profile p : new S3Profile[] {S3Profile.AWS, S3Profile.CEPH_RGW, S3Profile.S3_COMPATIBLE}) {
            assertTrue(p.capabilities(false).supports(Capability.PUT_IF_ABSENT));
            assertTrue(p.capabilities(false).supports(Capability.PUT_IF_MATCH));
            assertTrue(p.capabilities(false).supports(Capability.STRONG_READS));
            assertFalse(p.capabilities(false).supports(Capability.NATIVE_LEASES), "S3 has no leases of its own");
            assertEquals(p, S3Profile.named(p.name()));
        }
        for (S3Profile p : new S3Profile[] {S3Profile.AWS, S3Profile.CEPH_RGW}) {
            assertTrue(p.capabilities(false).supports(Capability.LEASES), p.name());
            assertTrue(p.capabilities(false).supports(Capability.EMULATED_LEASES), p.name());
            assertTrue(p.capabilities(false).supports(Capability.FENCING_TOKENS), p.name());
        }
        assertFalse(S3Profile.S3_COMPATIBLE.capabilities(false).supports(Capability.LEASES),
                "no leases where the server's atomicity is unproven");
        assertFalse(S3Profile.AWS.toBuilder().strongReads(false).build().capabilities(false).supports(Capability.LEASES),
                "no leases without strong reads of the record");
        assertThrows(InvalidArgumentException.class, () -> S3Profile.builder("x")
                .deleteExistenceCheck(S3Profile.DeleteExistenceCheck.IF_MATCH_ANY).build());
    }

    /**
     * Remembers the write id of the last request that carried one and adds it to responses of the
     * stubs that name this transformer: a HEAD after a lost PUT then shows the write that landed.
     */
    static final class EchoWriteId implements ResponseTransformerV2 {
        static final String NAME = "echo-write-id";
        private static final String HEADER = "x-amz-meta-leasehold_w";
        private static final java.util.concurrent.atomic.AtomicReference<String> LAST =
                new java.util.concurrent.atomic.AtomicReference<>();

        static String last() {
            return LAST.get();
        }

        @Override
        public Response transform(Response response, ServeEvent event) {
            String sent = event.getRequest().getHeader(HEADER);
            if (sent != null) {
                LAST.set(sent);
                return response;
            }
            return LAST.get() == null ? response : Response.Builder.like(response)
                    .headers(response.getHeaders().plus(new HttpHeader(HEADER, LAST.get()))).build();
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public String getName() {
            return NAME;
        }
    }
}
