package io.leasehold.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.head;
import static com.github.tomakehurst.wiremock.client.WireMock.headRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.github.resilience4j.retry.Retry;
import io.leasehold.core.Conflicts;
import io.leasehold.core.DeleteOptions;
import io.leasehold.core.ErrorCode;
import io.leasehold.core.GetOptions;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.ObjectStoreException;
import io.leasehold.core.ObjectVersion;
import io.leasehold.core.PutMode;
import io.leasehold.core.PutOptions;
import io.leasehold.core.PutResult;
import io.leasehold.spi.RequestKind;
import io.leasehold.spi.StagedUpload;
import io.leasehold.spi.StoreDriver;
import io.leasehold.tck.ThroughAsyncRequests;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Which S3 answers prove that a mutation was not applied ({@code S3Failures}' rule), answer by
 * answer against WireMock: without the store's error code, a 408, 409, 429 or 5xx (plain text, HTML
 * or no body, as proxies, load balancers and gateways send them) leaves a put, delete or multipart
 * commit's outcome unknown and a read transient; the store's own codes keep their proven meaning.
 * Every case also checks that the request was sent once.
 */
class S3EvidenceWireTest {
    private static final String BUCKET = "bucket";
    private static final String PATH = "/bucket/k";
    private static final int[] SILENT_STATUSES = {408, 409, 429, 500, 502, 503, 504};
    private static WireMockServer wire;

    @BeforeAll
    static void startWireMock() {
        wire = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort()
                .extensions(new S3WireTest.EchoWriteId()));
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

    /** Whether the driver's requests go through its non-blocking form ({@link S3AsyncEvidenceWireTest}). */
    static boolean viaAsync;

    private static StoreDriver driver(S3Profile profile) {
        return driver(profile, false);
    }

    private static StoreDriver driver(S3Profile profile, boolean versioned) {
        S3Driver driver = S3Driver.builder().bucket(BUCKET).profile(profile).endpoint(endpoint()).pathStyle(true)
                .versionedBucket(versioned).credentialsProvider(credentials()).build();
        return viaAsync ? ThroughAsyncRequests.of(driver) : driver;
    }

    private static URI endpoint() {
        return URI.create("http://127.0.0.1:" + wire.port());
    }

    private static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEVIDENCE", "evidence-secret"));
    }

    private static int requests() {
        return wire.findAll(anyRequestedFor(anyUrl())).size();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The same status as an intermediary words it: plain text (Envoy), HTML (nginx), no body, a body of no declared type. */
    private static List<ResponseDefinitionBuilder> withoutCode(int status) {
        List<ResponseDefinitionBuilder> answers = new ArrayList<>();
        answers.add(aResponse().withStatus(status).withHeader("Content-Type", "text/plain")
                .withBody("upstream connect error or disconnect/reset before headers. reset reason: connection termination"));
        answers.add(aResponse().withStatus(status).withHeader("Content-Type", "text/html")
                .withBody("<html><head><title>" + status + " Bad Gateway</title></head><body><center><h1>" + status
                        + "</h1></center><hr><center>nginx</center></body></html>"));
        answers.add(aResponse().withStatus(status));
        answers.add(aResponse().withStatus(status).withBody("Bad Gateway"));
        return answers;
    }

    private static ResponseDefinitionBuilder s3Error(int status, String code) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/xml")
                .withHeader("x-amz-request-id", "REQ1")
                .withBody("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>"
                        + code + "</Message><RequestId>REQ1</RequestId></Error>");
    }

    // ------------------------------------------------------------------ the requests

    /** One kind of request, sent through a fresh AWS-profile driver; stubs for its answer come first. */
    enum Request {
        CREATE(true, d -> d.put("k", bytes("x"), PutOptions.of(PutMode.create()))),
        UPDATE(true, d -> d.put("k", bytes("x"), PutOptions.of(PutMode.update(ObjectVersion.of("e1"))))),
        OVERWRITE(true, d -> d.put("k", bytes("x"), PutOptions.defaults())),
        DELETE_IF_MATCH(true, d -> d.delete("k", DeleteOptions.ifMatch(ObjectVersion.of("e1")))),
        DELETE(true, d -> d.delete("k", DeleteOptions.defaults())),
        COMMIT(true, d -> {
            StagedUpload upload = d.startUpload("k", PutOptions.of(PutMode.create()), 1, 5 << 20);
            upload.uploadPart(1, bytes("x"), 1);
            upload.commit(1, 1, null);
        }),
        UPLOAD_PART(false, d -> d.startUpload("k", PutOptions.of(PutMode.create()), 1, 5 << 20)
                .uploadPart(1, bytes("x"), 1)),
        GET(false, d -> d.get("k", GetOptions.defaults(), true)),
        HEAD(false, d -> d.get("k", GetOptions.defaults(), false));

        final boolean mutation;
        final Consumer<StoreDriver> send;

        Request(boolean mutation, Consumer<StoreDriver> send) {
            this.mutation = mutation;
            this.send = send;
        }

        /** Stubs every request but the one under test to succeed, and that one with {@code answer}. */
        void answer(ResponseDefinitionBuilder answer) {
            wire.stubFor(post(urlPathEqualTo(PATH)).withQueryParam("uploads", matching(".*"))
                    .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/xml")
                            .withBody("<InitiateMultipartUploadResult><Bucket>bucket</Bucket><Key>k</Key>"
                                    + "<UploadId>U1</UploadId></InitiateMultipartUploadResult>")));
            wire.stubFor(put(urlPathEqualTo(PATH)).withQueryParam("uploadId", equalTo("U1"))
                    .willReturn(this == UPLOAD_PART ? answer : aResponse().withStatus(200).withHeader("ETag", "\"p1\"")));
            switch (this) {
                case CREATE:
                case UPDATE:
                case OVERWRITE:
                    wire.stubFor(put(urlEqualTo(PATH)).willReturn(answer));
                    break;
                case DELETE_IF_MATCH:
                case DELETE:
                    wire.stubFor(delete(urlEqualTo(PATH)).willReturn(answer));
                    break;
                case COMMIT:
                    wire.stubFor(post(urlPathEqualTo(PATH)).withQueryParam("uploadId", equalTo("U1")).willReturn(answer));
                    break;
                case GET:
                    wire.stubFor(get(urlEqualTo(PATH)).willReturn(answer));
                    break;
                case HEAD:
                    wire.stubFor(head(urlEqualTo(PATH)).willReturn(answer));
                    break;
                default:
                    break;
            }
        }

        /** The requests that reached WireMock for the one under test (its preparations excluded). */
        int sent() {
            switch (this) {
                case COMMIT:
                    return wire.findAll(postRequestedFor(urlPathEqualTo(PATH)).withQueryParam("uploadId", equalTo("U1"))).size();
                case UPLOAD_PART:
                    return wire.findAll(putRequestedFor(urlPathEqualTo(PATH)).withQueryParam("uploadId", equalTo("U1"))).size();
                default:
                    return requests();
            }
        }

        ObjectStoreException failure() {
            try (StoreDriver d = driver(S3Profile.AWS)) {
                return assertThrows(ObjectStoreException.class, () -> send.accept(d), name());
            }
        }
    }

    static Stream<Arguments> silentAnswers() {
        List<Arguments> cases = new ArrayList<>();
        for (Request r : Request.values()) {
            for (int status : SILENT_STATUSES) {
                cases.add(Arguments.of(r, status));
            }
        }
        return cases.stream();
    }

    // ------------------------------------------------------------------ answers without the store's code

    @ParameterizedTest(name = "{0}: HTTP {1} without an S3 error code")
    @MethodSource("silentAnswers")
    void aStatusWithoutTheStoresCodeLeavesAMutationUnknownAndAReadTransient(Request request, int status) {
        for (ResponseDefinitionBuilder answer : withoutCode(status)) {
            wire.resetAll();
            request.answer(answer);
            ObjectStoreException e = request.failure();
            ErrorCode expected = request.mutation ? ErrorCode.OUTCOME_UNKNOWN : ErrorCode.TRANSIENT;
            assertEquals(expected, e.code(), request + " " + status + ": " + e);
            assertEquals(1, request.sent(), request + " " + status + ": sent once");
        }
    }

    // ------------------------------------------------------------------ answers in the store's words

    /** Mutations: the S3 codes that prove "not applied", and those that do not. */
    static Stream<Arguments> storeCodesOnMutations() {
        List<Arguments> cases = new ArrayList<>();
        for (Request r : new Request[] {Request.CREATE, Request.UPDATE, Request.OVERWRITE, Request.DELETE_IF_MATCH,
                Request.COMMIT}) {
            cases.add(Arguments.of(r, 503, "SlowDown", ErrorCode.THROTTLED));
            cases.add(Arguments.of(r, 409, "ConditionalRequestConflict", ErrorCode.CONFLICT));
            cases.add(Arguments.of(r, 400, "RequestTimeout", ErrorCode.TRANSIENT));
            cases.add(Arguments.of(r, 500, "InternalError", ErrorCode.OUTCOME_UNKNOWN));
            cases.add(Arguments.of(r, 503, "ServiceUnavailable", ErrorCode.OUTCOME_UNKNOWN));
            cases.add(Arguments.of(r, 409, "OperationAborted", ErrorCode.OUTCOME_UNKNOWN));
            cases.add(Arguments.of(r, 408, "RequestTimeout", ErrorCode.OUTCOME_UNKNOWN));
            cases.add(Arguments.of(r, 429, "TooManyRequests", ErrorCode.OUTCOME_UNKNOWN));
            cases.add(Arguments.of(r, 500, "UnknownError", ErrorCode.OUTCOME_UNKNOWN));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}: {1} {2} -> {3}")
    @MethodSource("storeCodesOnMutations")
    void onAMutationOnlyTheStoresOwnRefusalsProveNotApplied(Request request, int status, String code, ErrorCode expected) {
        request.answer(s3Error(status, code));
        ObjectStoreException e = request.failure();
        assertEquals(expected, e.code(), e.toString());
        assertEquals(1, request.sent(), "sent once");
    }

    static Stream<Arguments> storeCodesOnReads() {
        List<Arguments> cases = new ArrayList<>();
        for (Request r : new Request[] {Request.GET, Request.UPLOAD_PART}) {
            cases.add(Arguments.of(r, 503, "SlowDown", ErrorCode.THROTTLED));
            cases.add(Arguments.of(r, 503, "ServiceUnavailable", ErrorCode.THROTTLED));
            cases.add(Arguments.of(r, 500, "InternalError", ErrorCode.TRANSIENT));
            cases.add(Arguments.of(r, 409, "OperationAborted", ErrorCode.TRANSIENT));
            cases.add(Arguments.of(r, 408, "RequestTimeout", ErrorCode.TRANSIENT));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}: {1} {2} -> {3}")
    @MethodSource("storeCodesOnReads")
    void readsAndPartsStayRetryable(Request request, int status, String code, ErrorCode expected) {
        request.answer(s3Error(status, code));
        assertEquals(expected, request.failure().code());
        assertEquals(1, request.sent(), "sent once");
    }

    @Test
    void aThrottlingCodeInsideAnOkAnswerCameAfterTheWriteBeganAndProvesNothing() {
        // S3 may answer 200 and then report an error in the body: the request was being processed.
        Request.CREATE.answer(s3Error(200, "SlowDown"));
        assertEquals(ErrorCode.OUTCOME_UNKNOWN, Request.CREATE.failure().code());
        wire.resetAll();
        Request.COMMIT.answer(s3Error(200, "SlowDown"));
        assertEquals(ErrorCode.OUTCOME_UNKNOWN, Request.COMMIT.failure().code());
        // a refusal stays a refusal
        wire.resetAll();
        Request.UPDATE.answer(s3Error(200, "PreconditionFailed"));
        assertEquals(ErrorCode.PRECONDITION_FAILED, Request.UPDATE.failure().code());
    }

    // ------------------------------------------------------------------ Ceph RGW's UnknownError

    @Test
    void rgwsUnknownErrorIsALostRaceOnlyForAnIfMatchPutInABucketWithoutVersioning() {
        PutOptions update = PutOptions.of(PutMode.update(ObjectVersion.of("e1")));
        wire.stubFor(put(urlEqualTo(PATH)).willReturn(s3Error(500, "UnknownError")));
        try (StoreDriver d = driver(S3Profile.CEPH_RGW)) {
            assertEquals(ErrorCode.PRECONDITION_FAILED, assertThrows(ObjectStoreException.class,
                    () -> d.put("k", bytes("x"), update)).code());
            // not for a create, an overwrite or If-Match: * (RGW answers those races otherwise)
            assertEquals(ErrorCode.OUTCOME_UNKNOWN, assertThrows(ObjectStoreException.class,
                    () -> d.put("k", bytes("x"), PutOptions.of(PutMode.create()))).code());
            assertEquals(ErrorCode.OUTCOME_UNKNOWN, assertThrows(ObjectStoreException.class,
                    () -> d.put("k", bytes("x"), PutOptions.of(PutMode.replace()))).code());
        }
        // In a versioned bucket the write can land and then fail with an unnamed errno (set_olh): unknown.
        S3Profile conditionalOnVersions = S3Profile.CEPH_RGW.toBuilder().conditionalPutsOnVersionedBuckets(true).build();
        try (StoreDriver d = driver(conditionalOnVersions, true)) {
            assertEquals(ErrorCode.OUTCOME_UNKNOWN, assertThrows(ObjectStoreException.class,
                    () -> d.put("k", bytes("x"), update)).code());
        }
        // A codeless 500 is never RGW's own word.
        wire.stubFor(put(urlEqualTo(PATH)).willReturn(aResponse().withStatus(500).withBody("Internal Server Error")));
        try (StoreDriver d = driver(S3Profile.CEPH_RGW)) {
            assertEquals(ErrorCode.OUTCOME_UNKNOWN, assertThrows(ObjectStoreException.class,
                    () -> d.put("k", bytes("x"), update)).code());
        }
    }

    @Test
    void aCommitsUnknownErrorOrInternalErrorIsNeverALostRace() {
        // RGW evaluates no condition on CompleteMultipartUpload, and answers 500 InternalError to a
        // completion already in progress that may still apply.
        S3Profile conditionalCommits = S3Profile.CEPH_RGW.toBuilder().conditionalMultipartCommit(true).build();
        for (String code : new String[] {"UnknownError", "InternalError"}) {
            wire.resetAll();
            Request.COMMIT.answer(s3Error(500, code));
            try (StoreDriver d = driver(conditionalCommits)) {
                StagedUpload upload = d.startUpload("k", PutOptions.of(PutMode.update(ObjectVersion.of("e1"))), 1, 5 << 20);
                upload.uploadPart(1, bytes("x"), 1);
                assertEquals(ErrorCode.OUTCOME_UNKNOWN, assertThrows(ObjectStoreException.class,
                        () -> upload.commit(1, 1, null)).code(), code);
            }
        }
    }

    // ------------------------------------------------------------------ through the facade

    @Test
    void aCreateForwardedAndAnswered503IsTheCallersOwnSuccessNeverAlreadyExists() {
        // The proxy forwarded the create (S3 applied it) and answered 503 itself; a re-send would get 412.
        wire.stubFor(put(urlEqualTo(PATH)).inScenario("forwarded").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503).withBody("no healthy upstream").withTransformers(S3WireTest.EchoWriteId.NAME))
                .willSetStateTo("landed"));
        wire.stubFor(put(urlEqualTo(PATH)).inScenario("forwarded").whenScenarioStateIs("landed")
                .willReturn(s3Error(412, "PreconditionFailed")));
        wire.stubFor(head(urlEqualTo(PATH)).willReturn(aResponse().withStatus(200).withHeader("ETag", "\"mine\"")
                .withHeader("Last-Modified", "Wed, 21 Oct 2026 07:28:00 GMT").withTransformers(S3WireTest.EchoWriteId.NAME)));
        try (ObjectStore store = ObjectStore.of(driver(S3Profile.AWS))) {
            PutResult r = store.put("k", bytes("x"), PutOptions.of(PutMode.create()));
            assertEquals("mine", r.version().etag().value());
            assertEquals(S3WireTest.EchoWriteId.last(), r.writeId().orElseThrow());
        }
        wire.verify(exactly(1), putRequestedFor(urlEqualTo(PATH)));
        wire.verify(exactly(1), headRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void anUpdateForwardedAndAnswered502IsAppliedOnceNeverAPreconditionFailure() {
        wire.stubFor(put(urlEqualTo(PATH)).inScenario("forwarded").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(502).withHeader("Content-Type", "text/html")
                        .withBody("<html><body><h1>502 Bad Gateway</h1></body></html>").withTransformers(S3WireTest.EchoWriteId.NAME))
                .willSetStateTo("landed"));
        wire.stubFor(put(urlEqualTo(PATH)).inScenario("forwarded").whenScenarioStateIs("landed")
                .willReturn(s3Error(412, "PreconditionFailed")));
        wire.stubFor(head(urlEqualTo(PATH)).willReturn(aResponse().withStatus(200).withHeader("ETag", "\"e2\"")
                .withHeader("Last-Modified", "Wed, 21 Oct 2026 07:28:00 GMT").withTransformers(S3WireTest.EchoWriteId.NAME)));
        try (ObjectStore store = ObjectStore.of(driver(S3Profile.AWS))) {
            PutResult r = store.put("k", bytes("x"), PutOptions.of(PutMode.update(ObjectVersion.of("e1"))));
            assertEquals("e2", r.version().etag().value());
        }
        wire.verify(exactly(1), putRequestedFor(urlEqualTo(PATH)));
    }

    // ------------------------------------------------------------------ raw SDK calls (S3Conflicts, Conflicts)

    @Test
    void rawSdkFailuresFollowTheSameRule() {
        wire.stubFor(put(urlEqualTo(PATH)).willReturn(aResponse().withStatus(503).withBody("Service Unavailable")));
        wire.stubFor(get(urlEqualTo(PATH)).willReturn(aResponse().withStatus(503).withBody("Service Unavailable")));
        try (S3Client raw = S3Client.builder().endpointOverride(endpoint()).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(credentials()).build()) {
            Retry retry = Retry.of("save", S3Conflicts.mutationRetryConfig());
            S3Exception put = assertThrows(S3Exception.class, () -> retry.executeRunnable(() -> raw.putObject(
                    b -> b.bucket(BUCKET).key("k").ifMatch("\"e1\"")
                            .overrideConfiguration(o -> o.addPlugin(S3Conflicts.singleAttempt())),
                    RequestBody.fromString("x"))));
            wire.verify(exactly(1), putRequestedFor(urlEqualTo(PATH)));
            assertEquals(ErrorCode.OUTCOME_UNKNOWN, S3Conflicts.codeOf(put, RequestKind.WRITE));
            assertFalse(S3Conflicts.isRetryable(put, RequestKind.WRITE));
            assertFalse(Conflicts.isRetryableAfterReread(put), "a loop following Conflicts must not re-apply its change");
            assertEquals(ErrorCode.OUTCOME_UNKNOWN, Conflicts.codeOf(put));

            S3Exception read = assertThrows(S3Exception.class, () -> raw.getObjectAsBytes(b -> b.bucket(BUCKET).key("k")
                    .overrideConfiguration(o -> o.addPlugin(S3Conflicts.singleAttempt()))));
            assertTrue(S3Conflicts.isRetryable(read, RequestKind.READ));
            assertEquals(ErrorCode.TRANSIENT, S3Conflicts.codeOf(read, RequestKind.READ));

            wire.stubFor(put(urlEqualTo(PATH)).willReturn(s3Error(503, "SlowDown")));
            S3Exception slow = assertThrows(S3Exception.class, () -> raw.putObject(b -> b.bucket(BUCKET).key("k")
                    .overrideConfiguration(o -> o.addPlugin(S3Conflicts.singleAttempt())), RequestBody.fromString("x")));
            assertTrue(S3Conflicts.isRetryable(slow, RequestKind.WRITE));
            assertTrue(Conflicts.isRetryable(slow));
        }
    }
}
