package io.leasehold.azure;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.head;
import static com.github.tomakehurst.wiremock.client.WireMock.headRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseTransformerV2;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.http.Response;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.github.resilience4j.retry.Retry;
import io.leasehold.core.Conflicts;
import io.leasehold.core.DeleteOptions;
import io.leasehold.core.ErrorCode;
import io.leasehold.core.GetOptions;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.ObjectStoreException;
import io.leasehold.core.ObjectVersion;
import io.leasehold.core.OutcomeUnknownException;
import io.leasehold.core.PutMode;
import io.leasehold.core.PutOptions;
import io.leasehold.core.PutResult;
import io.leasehold.tck.ThroughAsyncRequests;
import io.leasehold.spi.StoreDriver;
import io.leasehold.spi.LeaseDriver;
import io.leasehold.spi.RequestKind;
import io.leasehold.spi.StagedUpload;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Which Azure answers prove that a mutation was not applied ({@code AzureErrors}' rule), answer by
 * answer against WireMock: without {@code x-ms-error-code}, a 408, 409, 429 or 5xx (plain text, HTML
 * or no body, as proxies, load balancers and gateways send them) leaves a put, delete, block commit
 * or lease operation's outcome unknown and a read transient; Azure's own codes keep their meaning.
 * Every case also checks that the request was sent once.
 */
class AzureEvidenceWireTest {
    private static final String CONTAINER = "evidence";
    private static final String KEY = "dir/obj";
    private static final String PATH = "/" + AzureConnection.DEV_ACCOUNT + "/" + CONTAINER + "/dir%2Fobj";
    private static final String LEASE_A = "11111111-aaaa-4aaa-8aaa-aaaaaaaaaaaa";
    private static final String LEASE_B = "22222222-bbbb-4bbb-8bbb-bbbbbbbbbbbb";
    private static final String ETAG = "\"0x8DC0FFEE0000001\"";
    private static final String LAST_MODIFIED = "Wed, 01 May 2024 10:00:00 GMT";
    private static final int[] SILENT_STATUSES = {408, 409, 429, 500, 502, 503, 504};

    private static WireMockServer wm;
    private static AzureBlobDriver driver;
    /** Whether puts, gets and deletes go through the driver's non-blocking requests ({@link AzureAsyncEvidenceWireTest}). */
    static boolean viaAsync;

    /** The driver as the tests send objects through it: its blocking methods, or its non-blocking requests waited for. */
    private static StoreDriver objects() {
        return viaAsync ? ThroughAsyncRequests.of(driver) : driver;
    }
    private static LeaseDriver leases;

    /** Remembers the write id a put carried and adds it to later answers (the object "as written"). */
    static final class EchoWriteId implements ResponseTransformerV2 {
        static final String NAME = "azure-echo-write-id";
        private static final String HEADER = "x-ms-meta-leasehold_w";
        static final AtomicReference<String> LAST = new AtomicReference<>();

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

    @BeforeAll
    static void start() {
        wm = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().extensions(new EchoWriteId()));
        wm.start();
        driver = AzureConnection.open(URI.create("azure://" + CONTAINER + "?endpoint=" + endpoint() + "&timeout=2s"), Map.of());
        leases = driver.leases().orElseThrow();
    }

    @AfterAll
    static void stop() {
        wm.stop();
    }

    @BeforeEach
    void reset() {
        wm.resetAll();
        EchoWriteId.LAST.set(null);
    }

    private static String endpoint() {
        return "http://127.0.0.1:" + wm.port() + "/" + AzureConnection.DEV_ACCOUNT;
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
                .withBody("<html><head><title>" + status + "</title></head><body><h1>" + status + "</h1></body></html>"));
        answers.add(aResponse().withStatus(status));
        answers.add(aResponse().withStatus(status).withBody("Bad Gateway"));
        return answers;
    }

    private static ResponseDefinitionBuilder azureError(int status, String code) {
        return aResponse().withStatus(status).withHeader("x-ms-error-code", code)
                .withHeader("Content-Type", "application/xml")
                .withBody("<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>" + code + "</Code><Message>"
                        + code + "</Message></Error>");
    }

    // ------------------------------------------------------------------ the requests

    /** One kind of request; its answer is stubbed on the blob's path, block staging always succeeds. */
    enum Request {
        CREATE(true) {
            @Override
            void send() {
                objects().put(KEY, bytes("x"), PutOptions.of(PutMode.create()));
            }
        },
        UPDATE(true) {
            @Override
            void send() {
                objects().put(KEY, bytes("x"), PutOptions.of(PutMode.update(ObjectVersion.of(ETAG))));
            }
        },
        OVERWRITE(true) {
            @Override
            void send() {
                objects().put(KEY, bytes("x"), PutOptions.defaults());
            }
        },
        DELETE(true) {
            @Override
            void send() {
                objects().delete(KEY, DeleteOptions.defaults());
            }
        },
        COMMIT(true) {
            @Override
            void send() {
                StagedUpload upload = driver.startUpload(KEY, PutOptions.of(PutMode.create()), 1, 4 << 20);
                upload.uploadPart(1, bytes("x"), 1);
                upload.commit(1, 1, new byte[16]);
            }
        },
        ACQUIRE(true) {
            @Override
            void send() {
                leases.acquire(KEY, Duration.ofSeconds(15), LEASE_A);
            }
        },
        RENEW(true) {
            @Override
            void send() {
                leases.renew(KEY, LEASE_A);
            }
        },
        RELEASE(true) {
            @Override
            void send() {
                leases.release(KEY, LEASE_A);
            }
        },
        CHANGE(true) {
            @Override
            void send() {
                leases.change(KEY, LEASE_A, LEASE_B);
            }
        },
        BREAK(true) {
            @Override
            void send() {
                leases.breakLease(KEY, Duration.ofSeconds(5));
            }
        },
        STAGE(false) {
            @Override
            void send() {
                driver.startUpload(KEY, PutOptions.of(PutMode.create()), 1, 4 << 20).uploadPart(1, bytes("x"), 1);
            }
        },
        GET(false) {
            @Override
            void send() {
                objects().get(KEY, GetOptions.defaults(), true);
            }
        },
        HEAD(false) {
            @Override
            void send() {
                objects().get(KEY, GetOptions.defaults(), false);
            }
        },
        LEASE_STATUS(false) {
            @Override
            void send() {
                leases.status(KEY);
            }
        };

        final boolean mutation;

        Request(boolean mutation) {
            this.mutation = mutation;
        }

        abstract void send();

        void answer(ResponseDefinitionBuilder answer) {
            if (this == COMMIT) {
                wm.stubFor(put(urlPathEqualTo(PATH)).withQueryParam("comp", equalTo("block")).atPriority(1)
                        .willReturn(aResponse().withStatus(201)));
            }
            wm.stubFor(any(urlPathEqualTo(PATH)).atPriority(5).willReturn(answer));
        }

        /** Requests of the one under test that reached WireMock (a commit's staged block excluded). */
        int sent() {
            int all = wm.findAll(anyRequestedFor(anyUrl())).size();
            return this == COMMIT ? all - 1 : all;
        }

        ObjectStoreException failure() {
            return assertThrows(ObjectStoreException.class, this::send, name());
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

    // ------------------------------------------------------------------ answers without x-ms-error-code

    @ParameterizedTest(name = "{0}: HTTP {1} without x-ms-error-code")
    @MethodSource("silentAnswers")
    void aStatusWithoutAzuresCodeLeavesAMutationUnknownAndAReadTransient(Request request, int status) {
        for (ResponseDefinitionBuilder answer : withoutCode(status)) {
            wm.resetAll();
            request.answer(answer);
            ObjectStoreException e = request.failure();
            ErrorCode expected = request.mutation ? ErrorCode.OUTCOME_UNKNOWN : ErrorCode.TRANSIENT;
            assertEquals(expected, e.code(), request + " " + status + ": " + e);
            assertEquals(1, request.sent(), request + " " + status + ": sent once");
        }
    }

    // ------------------------------------------------------------------ answers in Azure's words

    static Stream<Arguments> azureCodes() {
        List<Arguments> cases = new ArrayList<>();
        for (Request r : Request.values()) {
            boolean m = r.mutation;
            // ServerBusy: Azure never says the request was not applied (see AzureErrors), so not for a mutation.
            cases.add(Arguments.of(r, 503, "ServerBusy", m ? ErrorCode.OUTCOME_UNKNOWN : ErrorCode.THROTTLED));
            cases.add(Arguments.of(r, 500, "OperationTimedOut", m ? ErrorCode.OUTCOME_UNKNOWN : ErrorCode.TRANSIENT));
            cases.add(Arguments.of(r, 500, "InternalError", m ? ErrorCode.OUTCOME_UNKNOWN : ErrorCode.TRANSIENT));
        }
        cases.add(Arguments.of(Request.CREATE, 409, "BlobAlreadyExists", ErrorCode.ALREADY_EXISTS));
        cases.add(Arguments.of(Request.CREATE, 412, "ConditionNotMet", ErrorCode.ALREADY_EXISTS));
        cases.add(Arguments.of(Request.UPDATE, 412, "ConditionNotMet", ErrorCode.PRECONDITION_FAILED));
        cases.add(Arguments.of(Request.COMMIT, 412, "ConditionNotMet", ErrorCode.ALREADY_EXISTS));
        cases.add(Arguments.of(Request.ACQUIRE, 409, "LeaseAlreadyPresent", ErrorCode.LEASE_HELD));
        cases.add(Arguments.of(Request.RENEW, 409, "LeaseIdMismatchWithLeaseOperation", ErrorCode.LEASE_MISMATCH));
        cases.add(Arguments.of(Request.BREAK, 409, "LeaseNotPresentWithLeaseOperation", ErrorCode.LEASE_LOST));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}: {1} {2} -> {3}")
    @MethodSource("azureCodes")
    void azuresOwnCodesKeepTheirMeaning(Request request, int status, String code, ErrorCode expected) {
        request.answer(azureError(status, code));
        ObjectStoreException e = request.failure();
        assertEquals(expected, e.code(), e.toString());
        assertEquals(1, request.sent(), "sent once");
    }

    // ------------------------------------------------------------------ through the facade

    private static ResponseDefinitionBuilder blobAsWritten(String etag) {
        return aResponse().withStatus(200).withHeader("ETag", etag).withHeader("Last-Modified", LAST_MODIFIED)
                .withHeader("Content-Type", "application/octet-stream").withHeader("x-ms-blob-type", "BlockBlob")
                .withHeader("Content-Length", "1").withTransformers(EchoWriteId.NAME);
    }

    @Test
    void aCreateForwardedAndAnswered503IsTheCallersOwnSuccessNeverAlreadyExists() {
        // The gateway forwarded the create (Azure applied it) and answered 503 itself; a re-send gets 409.
        wm.stubFor(put(urlPathEqualTo(PATH)).inScenario("forwarded").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503).withBody("no healthy upstream").withTransformers(EchoWriteId.NAME))
                .willSetStateTo("landed"));
        wm.stubFor(put(urlPathEqualTo(PATH)).inScenario("forwarded").whenScenarioStateIs("landed")
                .willReturn(azureError(409, "BlobAlreadyExists")));
        wm.stubFor(head(urlPathEqualTo(PATH)).willReturn(blobAsWritten("\"0x8DC0FFEE0000002\"")));
        ObjectStore store = ObjectStore.of(objects());
        PutResult r = store.put(KEY, bytes("x"), PutOptions.of(PutMode.create()));
        assertEquals(EchoWriteId.LAST.get(), r.writeId().orElseThrow());
        wm.verify(1, putRequestedFor(urlPathEqualTo(PATH)));
        wm.verify(1, headRequestedFor(urlPathEqualTo(PATH)));
    }

    @Test
    void serverBusyOnAnUpdateIsSettledByOneReadThenSentAgain() {
        wm.stubFor(put(urlPathEqualTo(PATH)).inScenario("busy").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(azureError(503, "ServerBusy")).willSetStateTo("served"));
        wm.stubFor(put(urlPathEqualTo(PATH)).inScenario("busy").whenScenarioStateIs("served")
                .willReturn(aResponse().withStatus(201).withHeader("ETag", "\"0x8DC0FFEE0000003\"")
                        .withHeader("Last-Modified", LAST_MODIFIED)));
        // the base is still current (Azure gives every write a new ETag): the update did not land
        wm.stubFor(head(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(200).withHeader("ETag", ETAG)
                .withHeader("Last-Modified", LAST_MODIFIED).withHeader("x-ms-blob-type", "BlockBlob")
                .withHeader("Content-Length", "1")));
        PutResult r = ObjectStore.of(objects()).put(KEY, bytes("x"), PutOptions.of(PutMode.update(ObjectVersion.of(ETAG))));
        assertEquals("0x8DC0FFEE0000003", r.version().etag().value());
        wm.verify(2, putRequestedFor(urlPathEqualTo(PATH)));
        wm.verify(1, headRequestedFor(urlPathEqualTo(PATH)));
    }

    @Test
    void serverBusyOnACreateOfAnAbsentKeyCannotBeRuledOutAndIsNotResent() {
        wm.stubFor(put(urlPathEqualTo(PATH)).willReturn(azureError(503, "ServerBusy")));
        wm.stubFor(head(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(404).withHeader("x-ms-error-code", "BlobNotFound")));
        OutcomeUnknownException e = assertThrows(OutcomeUnknownException.class,
                () -> ObjectStore.of(objects()).put(KEY, bytes("x"), PutOptions.of(PutMode.create())));
        assertTrue(e.writeId().isPresent());
        wm.verify(1, putRequestedFor(urlPathEqualTo(PATH)));
    }

    // ------------------------------------------------------------------ raw SDK calls (AzureConflicts, Conflicts)

    @Test
    void rawSdkFailuresFollowTheSameRule() {
        BlobContainerClient raw = AzureConflicts.withoutSdkRetries(new BlobServiceClientBuilder().endpoint(endpoint())
                .credential(new StorageSharedKeyCredential(AzureConnection.DEV_ACCOUNT, AzureConnection.DEV_ACCOUNT_KEY))
                .httpClient(AzureConnection.httpClient(Duration.ofSeconds(2)))
                .buildClient().getBlobContainerClient(CONTAINER));
        wm.stubFor(any(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(502).withBody("Bad Gateway")));
        Retry retry = Retry.of("save", AzureConflicts.mutationRetryConfig());
        RuntimeException put = assertThrows(RuntimeException.class, () -> retry.executeRunnable(() ->
                raw.getBlobClient(KEY).getBlockBlobClient().upload(BinaryData.fromString("x"), true)));
        wm.verify(1, putRequestedFor(urlPathEqualTo(PATH)));
        assertEquals(ErrorCode.OUTCOME_UNKNOWN, AzureConflicts.codeOf(put, RequestKind.WRITE));
        assertFalse(AzureConflicts.isRetryable(put, RequestKind.WRITE));
        assertEquals(ErrorCode.OUTCOME_UNKNOWN, Conflicts.codeOf(put));
        assertFalse(Conflicts.isRetryableAfterReread(put), "a loop following Conflicts must not re-apply its change");

        RuntimeException delete = assertThrows(RuntimeException.class, () -> raw.getBlobClient(KEY).delete());
        assertEquals(ErrorCode.OUTCOME_UNKNOWN, AzureConflicts.codeOf(delete, RequestKind.WRITE), delete.toString());
        assertEquals(ErrorCode.OUTCOME_UNKNOWN, Conflicts.codeOf(delete), "through the registered classifier too: " + delete + " / " + delete.getCause());

        RuntimeException read = assertThrows(RuntimeException.class, () -> raw.getBlobClient(KEY).getProperties());
        assertTrue(AzureConflicts.isRetryable(read, RequestKind.READ));
        assertEquals(ErrorCode.TRANSIENT, AzureConflicts.codeOf(read, RequestKind.READ));

        wm.stubFor(any(urlPathEqualTo(PATH)).willReturn(azureError(503, "ServerBusy")));
        RuntimeException busy = assertThrows(RuntimeException.class, () -> raw.getBlobClient(KEY).getProperties());
        assertEquals(ErrorCode.THROTTLED, AzureConflicts.codeOf(busy, RequestKind.READ));
        assertEquals(ErrorCode.OUTCOME_UNKNOWN, AzureConflicts.codeOf(busy, RequestKind.LEASE));
    }
}
