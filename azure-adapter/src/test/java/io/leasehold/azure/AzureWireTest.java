package io.leasehold.azure;

import io.leasehold.tck.ThroughAsyncRequests;
import io.leasehold.spi.StoreDriver;
import io.leasehold.spi.LeaseGrant;
import io.leasehold.spi.GetResponse;
import io.leasehold.spi.PutResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.head;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.headRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobContainerClientBuilder;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.leasehold.core.DeleteOptions;
import io.leasehold.core.ErrorCode;
import io.leasehold.core.GetOptions;
import io.leasehold.core.GetResult;
import io.leasehold.core.lease.Lease;
import io.leasehold.core.LeaseHeldException;
import io.leasehold.core.LeaseLostException;
import io.leasehold.core.LeaseMismatchException;
import io.leasehold.core.lease.LeaseState;
import io.leasehold.core.lease.LeaseStatus;
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
import io.leasehold.spi.LeaseDriver;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Exact wire checks against WireMock: the method, path and headers of every lease operation and
 * conditional request, the mapping of every Azure error code the driver knows, and fault injection
 * (503, connection reset, timeout) with a count of what the SDK actually sent.
 */
class AzureWireTest {
    private static final String CONTAINER = "wire";
    private static final String KEY = "dir/obj";
    /** The SDK percent-encodes '/' inside blob names. */
    private static final String PATH = "/" + AzureConnection.DEV_ACCOUNT + "/" + CONTAINER + "/dir%2Fobj";
    /** The fencing counter blob of KEY. */
    private static final String COUNTER_PATH = "/" + AzureConnection.DEV_ACCOUNT + "/" + CONTAINER
            + "/.leasehold%2Ffence%2Fdir%2Fobj";
    private static final String COUNTER_ETAG = "\"0x8DC0FFEE00000C1\"";
    private static final String LEASE_A = "11111111-aaaa-4aaa-8aaa-aaaaaaaaaaaa";
    private static final String LEASE_B = "22222222-bbbb-4bbb-8bbb-bbbbbbbbbbbb";
    private static final String ETAG = "\"0x8DC0FFEE0000001\"";
    /** IMF-fixdate (RFC 9110), two-digit day, as HTTP clients send it. */
    private static final DateTimeFormatter IMF_FIXDATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US);
    private static final String HTTP_DATE = IMF_FIXDATE.format(Instant.parse("2024-05-01T10:00:00Z").atOffset(ZoneOffset.UTC));

    private static WireMockServer wm;
    private static AzureBlobDriver driver;
    /** Whether puts, gets and deletes go through the driver's non-blocking requests ({@link AzureAsyncWireTest}). */
    static boolean viaAsync;

    /** The driver as the tests send objects through it: its blocking methods, or its non-blocking requests waited for. */
    private static StoreDriver objects() {
        return viaAsync ? ThroughAsyncRequests.of(driver) : driver;
    }
    private static LeaseDriver leases;

    @BeforeAll
    static void start() {
        wm = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
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
    }

    private static String endpoint() {
        return "http://127.0.0.1:" + wm.port() + "/" + AzureConnection.DEV_ACCOUNT;
    }

    // ---------------------------------------------------------------- lease operations on the wire

    /** The lease facade over the driver: it issues Azure's fencing tokens from the counter blob. */
    private static io.leasehold.core.lease.Leases facade() {
        return ObjectStore.of(driver).leases(); // not closed: the driver is the test's
    }

    private static io.leasehold.core.lease.LeaseOptions as(String id, Duration duration) {
        io.leasehold.core.lease.LeaseOptions.Builder b = io.leasehold.core.lease.LeaseOptions.builder().proposedId(id);
        return (duration == null ? b.infinite() : b.duration(duration)).build();
    }

    private static void stubAcquire(String id) {
        wm.stubFor(put(urlPathEqualTo(PATH)).withQueryParam("comp", equalTo("lease"))
                .willReturn(aResponse().withStatus(201).withHeader("x-ms-lease-id", id).withHeader("ETag", ETAG)));
    }

    @Test
    void acquireSendsActionDurationAndProposedIdOnceThenTheLibraryIssuesTheFencingToken() {
        stubAcquire(LEASE_A);
        stubCounter(null, 0);
        LeaseGrant grant = leases.acquire(KEY, Duration.ofSeconds(15), LEASE_A);
        assertTrue(grant.fencingToken().isEmpty(), "the driver issues no token: the library does");
        assertEquals(1, wm.getAllServeEvents().size(), "the driver sends the acquire only");
        wm.resetRequests();

        io.leasehold.core.lease.Lease lease = facade().acquire(KEY, as(LEASE_A, Duration.ofSeconds(15)));
        assertEquals(LEASE_A, lease.id());
        assertEquals(Duration.ofSeconds(15), lease.duration().orElseThrow());
        assertEquals(1L, lease.fencingToken().getAsLong());
        wm.verify(1, leaseRequest("acquire")
                .withHeader("x-ms-lease-duration", equalTo("15"))
                .withHeader("x-ms-proposed-lease-id", equalTo(LEASE_A))
                .withHeader("x-ms-lease-id", absent()));
        // The token: read the counter, create it through the write engine (a write id on it), then
        // renew to prove the lease outlived the write.
        wm.verify(1, getRequestedFor(urlPathEqualTo(COUNTER_PATH)));
        wm.verify(1, putRequestedFor(urlPathEqualTo(COUNTER_PATH)).withHeader("If-None-Match", equalTo("*"))
                .withHeader("x-ms-meta-leasehold_w", matching("[0-9a-f]{16}"))
                .withHeader("x-ms-lease-id", absent()).withRequestBody(containing(sha256(LEASE_A)))
                .withRequestBody(notContaining(LEASE_A)));
        wm.verify(1, leaseRequest("renew").withHeader("x-ms-lease-id", equalTo(LEASE_A)));
        assertEquals(4, wm.getAllServeEvents().size(), "acquire, counter read, counter write, renew");
    }

    @Test
    void theSameIdStartingANewTenureGetsTheNextToken() {
        // Issue 16, item 4: the counter was issued to this id by an earlier tenure; a new tenure under
        // the same id (after a release or an expiry, or from another process) gets a larger token.
        stubAcquire(LEASE_A);
        stubCounter(LEASE_A, 7);
        assertEquals(8L, facade().acquire(KEY, as(LEASE_A, null)).fencingToken().getAsLong());
        wm.verify(1, leaseRequest("acquire").withHeader("x-ms-lease-duration", equalTo("-1")));
        wm.verify(1, putRequestedFor(urlPathEqualTo(COUNTER_PATH)).withHeader("If-Match", equalTo(COUNTER_ETAG))
                .withRequestBody(containing("\"token\":8")).withRequestBody(containing(sha256(LEASE_A))));
    }

    @Test
    void anAcquireByTheHoldersOwnIdWithinItsLeaseIsARenewalAndKeepsTheToken() {
        io.leasehold.core.lease.Leases same = facade();
        stubAcquire(LEASE_A);
        stubCounter(null, 0);
        assertEquals(1L, same.acquire(KEY, as(LEASE_A, Duration.ofSeconds(30))).fencingToken().getAsLong());
        wm.resetAll();
        stubAcquire(LEASE_A);
        stubCounter(LEASE_A, 1);
        assertEquals(1L, same.acquire(KEY, as(LEASE_A, Duration.ofSeconds(30))).fencingToken().getAsLong());
        wm.verify(1, leaseRequest("renew"));
        wm.verify(1, leaseRequest("acquire"));
        wm.verify(0, putRequestedFor(urlPathEqualTo(COUNTER_PATH)));
        assertEquals(3, wm.getAllServeEvents().size(), "renew (proves the tenure unbroken), acquire, counter read");
    }

    @Test
    void aNewHolderGetsTheNextTokenWrittenWithIfMatch() {
        stubAcquire(LEASE_B);
        stubCounter(LEASE_A, 7);
        assertEquals(8L, facade().acquire(KEY, as(LEASE_B, Duration.ofSeconds(15))).fencingToken().getAsLong());
        wm.verify(1, putRequestedFor(urlPathEqualTo(COUNTER_PATH)).withHeader("If-Match", equalTo(COUNTER_ETAG))
                .withRequestBody(containing("\"token\":8")).withRequestBody(containing(sha256(LEASE_B))));
    }

    @Test
    void aFailureToIssueTheTokenReleasesTheLease() {
        stubAcquire(LEASE_A);
        // Release answers 200 (a 201 without an error code is an answer Azure did not word: outcome unknown).
        wm.stubFor(put(urlPathEqualTo(PATH)).withQueryParam("comp", equalTo("lease"))
                .withHeader("x-ms-lease-action", equalTo("release")).willReturn(aResponse().withStatus(200)));
        stubCounter(null, 0);
        wm.stubFor(put(urlPathEqualTo(COUNTER_PATH)).willReturn(aResponse().withStatus(403)
                .withHeader("x-ms-error-code", "AuthorizationPermissionMismatch")));
        ObjectStoreException e = assertThrows(ObjectStoreException.class,
                () -> facade().acquire(KEY, as(LEASE_A, Duration.ofSeconds(15))));
        assertEquals(ErrorCode.ACCESS_DENIED, e.code());
        wm.verify(1, leaseRequest("release").withHeader("x-ms-lease-id", equalTo(LEASE_A)));
        wm.verify(0, leaseRequest("renew"));
    }

    @Test
    void losingTheLeaseWhileIssuingItsTokenIsLeaseHeld() {
        stubAcquire(LEASE_A);
        stubCounter(null, 0);
        wm.stubFor(put(urlPathEqualTo(PATH)).withQueryParam("comp", equalTo("lease"))
                .withHeader("x-ms-lease-action", equalTo("renew")).atPriority(0)
                .willReturn(aResponse().withStatus(409).withHeader("x-ms-error-code", "LeaseIdMismatchWithLeaseOperation")));
        assertThrows(LeaseHeldException.class, () -> facade().acquire(KEY, as(LEASE_A, Duration.ofSeconds(15))),
                "another holder acquired after the counter moved: no token is handed out");
    }

    @Test
    void renewSendsTheLeaseIdOnce() {
        io.leasehold.core.lease.Leases same = facade();
        stubAcquire(LEASE_A);
        stubCounter(null, 0);
        same.acquire(KEY, as(LEASE_A, Duration.ofSeconds(30)));
        wm.resetAll();
        wm.stubFor(put(urlPathEqualTo(PATH)).withQueryParam("comp", equalTo("lease"))
                .willReturn(aResponse().withStatus(200).withHeader("x-ms-lease-id", LEASE_A)));
        io.leasehold.core.lease.Lease renewed = same.renew(KEY, LEASE_A);
        assertEquals(Duration.ofSeconds(30), renewed.duration().orElseThrow(), "duration remembered from the acquire");
        assertEquals(1L, renewed.fencingToken().getAsLong(), "token remembered from the acquire");
        wm.verify(1, leaseRequest("renew").withHeader("x-ms-lease-id", equalTo(LEASE_A))
                .withHeader("x-ms-proposed-lease-id", absent()));
        assertEquals(1, wm.getAllServeEvents().size());
    }

    @Test
    void renewOfALeaseAcquiredElsewhereReadsItsDurationType() {
        wm.stubFor(put(urlPathEqualTo(PATH)).withQueryParam("comp", equalTo("lease"))
                .willReturn(aResponse().withStatus(200)));
        wm.stubFor(head(urlPathEqualTo(PATH)).willReturn(blobHeaders(200).withHeader("x-ms-lease-state", "leased")
                .withHeader("x-ms-lease-status", "locked").withHeader("x-ms-lease-duration", "fixed")));
        String elsewhere = java.util.UUID.randomUUID().toString();
        assertEquals(Duration.ofSeconds(15), leases.renew(KEY, elsewhere).duration().orElseThrow(),
                "an unknown fixed duration is reported as the shortest, so expiresBy never overstates");
        wm.verify(1, leaseRequest("renew"));
        wm.verify(1, headRequestedFor(urlPathEqualTo(PATH)));
    }

    @Test
    void releaseSendsTheLeaseIdOnce() {
        wm.stubFor(put(urlPathEqualTo(PATH)).withQueryParam("comp", equalTo("lease")).willReturn(aResponse().withStatus(200)));
        leases.release(KEY, LEASE_A);
        wm.verify(1, leaseRequest("release").withHeader("x-ms-lease-id", equalTo(LEASE_A)));
        assertEquals(1, wm.getAllServeEvents().size());
    }

    @Test
    void breakSendsThePeriodOrNone() {
        wm.stubFor(put(urlPathEqualTo(PATH)).withQueryParam("comp", equalTo("lease"))
                .willReturn(aResponse().withStatus(202).withHeader("x-ms-lease-time", "10")));
        assertEquals(Duration.ofSeconds(10), leases.breakLease(KEY, Duration.ofSeconds(10)));
        wm.verify(1, leaseRequest("break").withHeader("x-ms-lease-break-period", equalTo("10"))
                .withHeader("x-ms-lease-id", absent()));
        wm.resetRequests();
        leases.breakLease(KEY, null);
        wm.verify(1, leaseRequest("break").withHeader("x-ms-lease-break-period", absent()));
        wm.resetRequests();
        leases.breakLease(KEY, Duration.ZERO);
        wm.verify(1, leaseRequest("break").withHeader("x-ms-lease-break-period", equalTo("0")));
        assertEquals(1, wm.getAllServeEvents().size());
    }

    @Test
    void changeSendsCurrentAndProposedIdOnceAndMovesTheTokenToTheNewId() {
        io.leasehold.core.lease.Leases same = facade();
        stubAcquire(LEASE_A);
        stubCounter(null, 0);
        same.acquire(KEY, as(LEASE_A, Duration.ofSeconds(20)));
        wm.resetAll();
        wm.stubFor(put(urlPathEqualTo(PATH)).withQueryParam("comp", equalTo("lease"))
                .willReturn(aResponse().withStatus(200).withHeader("x-ms-lease-id", LEASE_B)));
        stubCounter(LEASE_A, 3);
        io.leasehold.core.lease.Lease changed = same.change(KEY, LEASE_A, LEASE_B);
        assertEquals(LEASE_B, changed.id());
        assertEquals(Duration.ofSeconds(20), changed.duration().orElseThrow());
        assertEquals(3L, changed.fencingToken().getAsLong(), "a change keeps the holder's token");
        wm.verify(1, leaseRequest("change").withHeader("x-ms-lease-id", equalTo(LEASE_A))
                .withHeader("x-ms-proposed-lease-id", equalTo(LEASE_B)));
        wm.verify(1, putRequestedFor(urlPathEqualTo(COUNTER_PATH)).withHeader("If-Match", equalTo(COUNTER_ETAG))
                .withRequestBody(containing("\"token\":3")).withRequestBody(containing(sha256(LEASE_B))));
        assertEquals(3, wm.getAllServeEvents().size(), "change, counter read, counter re-stamped");
    }

    @Test
    void statusReadsLeaseStateStatusAndDuration() {
        Map<String, LeaseState> states = Map.of("available", LeaseState.AVAILABLE, "leased", LeaseState.LEASED,
                "expired", LeaseState.EXPIRED, "breaking", LeaseState.BREAKING, "broken", LeaseState.BROKEN);
        for (Map.Entry<String, LeaseState> e : states.entrySet()) {
            wm.resetAll();
            boolean leased = e.getKey().equals("leased");
            ResponseDefinitionBuilder response = blobHeaders(200).withHeader("x-ms-lease-state", e.getKey())
                    .withHeader("x-ms-lease-status", leased ? "locked" : "unlocked");
            if (leased) {
                response.withHeader("x-ms-lease-duration", "infinite");
            }
            wm.stubFor(head(urlPathEqualTo(PATH)).willReturn(response));
            LeaseStatus status = leases.status(KEY);
            assertEquals(e.getValue(), status.state(), e.getKey());
            assertEquals(leased, status.isInfinite());
            assertTrue(status.remaining().isEmpty(), "Azure does not report the remaining time");
            wm.verify(1, headRequestedFor(urlPathEqualTo(PATH)));
        }
    }

    // ---------------------------------------------------------------- conditional requests on the wire

    @Test
    void createSendsIfNoneMatchStar() {
        stubUpload(201);
        PutResponse r = objects().put(KEY, bytes("x"), PutOptions.of(PutMode.create()));
        assertEquals("0x8DC0FFEE0000001", r.version().orElseThrow().etag().value());
        assertEquals(Instant.parse("2024-05-01T10:00:00Z"), r.lastModified().orElseThrow());
        wm.verify(1, putRequestedFor(urlPathEqualTo(PATH)).withHeader("If-None-Match", equalTo("*"))
                .withHeader("If-Match", absent()).withHeader("x-ms-blob-type", equalTo("BlockBlob")));
        assertEquals(1, wm.getAllServeEvents().size());
    }

    @Test
    void updateSendsIfMatchWithTheQuotedEtagWhateverFormItCameIn() {
        stubUpload(201);
        for (String form : new String[] {"0x8DC0FFEE0000001", ETAG}) {
            wm.resetRequests();
            objects().put(KEY, bytes("x"), PutOptions.of(PutMode.update(ObjectVersion.of(form))));
            wm.verify(1, putRequestedFor(urlPathEqualTo(PATH)).withHeader("If-Match", equalTo(ETAG))
                    .withHeader("If-None-Match", absent()));
        }
        wm.resetRequests();
        ObjectStore store = ObjectStore.of(driver); // not closed: the driver is the test's
        assertThrows(PreconditionFailedException.class, () -> store.put(KEY, bytes("x"),
                PutOptions.of(PutMode.update(ObjectVersion.of("W/" + ETAG)))));
        assertEquals(0, wm.getAllServeEvents().size(), "a weak If-Match fails without writing (the facade answers it)");
    }

    @Test
    void replaceSendsIfMatchStarAndOverwriteSendsNoCondition() {
        stubUpload(201);
        objects().put(KEY, bytes("x"), PutOptions.of(PutMode.replace()));
        wm.verify(1, putRequestedFor(urlPathEqualTo(PATH)).withHeader("If-Match", equalTo("*")));
        wm.resetRequests();
        objects().put(KEY, bytes("x"), PutOptions.builder().contentType("text/plain").metadata("owner", "me").build());
        wm.verify(1, putRequestedFor(urlPathEqualTo(PATH)).withHeader("If-Match", absent())
                .withHeader("If-None-Match", absent()).withHeader("If-Modified-Since", absent())
                .withHeader("x-ms-blob-content-type", equalTo("text/plain"))
                .withHeader("x-ms-meta-owner", equalTo("me")));
    }

    @Test
    void leaseGuardedPutAndDeleteSendTheLeaseId() {
        stubUpload(201);
        wm.stubFor(delete(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(202)));
        objects().put(KEY, bytes("x"), PutOptions.builder().mode(PutMode.update(ObjectVersion.of(ETAG))).leaseId(LEASE_A).build());
        wm.verify(1, putRequestedFor(urlPathEqualTo(PATH)).withHeader("x-ms-lease-id", equalTo(LEASE_A))
                .withHeader("If-Match", equalTo(ETAG)));
        objects().delete(KEY, DeleteOptions.builder().ifMatch(ETAG).leaseId(LEASE_A).build());
        wm.verify(1, deleteRequestedFor(urlPathEqualTo(PATH)).withHeader("x-ms-lease-id", equalTo(LEASE_A))
                .withHeader("If-Match", equalTo(ETAG)));
        objects().delete(KEY, DeleteOptions.defaults());
        wm.verify(1, deleteRequestedFor(urlPathEqualTo(PATH)).withHeader("x-ms-lease-id", absent()).withHeader("If-Match", absent()));
    }

    @Test
    void datedPutReadsThenWritesWithIfMatchOnTheVersionRead() {
        wm.stubFor(head(urlPathEqualTo(PATH)).willReturn(blobHeaders(200)));
        stubUpload(201);
        Instant after = Instant.parse("2024-05-01T10:00:00Z");
        objects().put(KEY, bytes("x"), PutOptions.builder().ifUnmodifiedSince(after).build());
        wm.verify(1, headRequestedFor(urlPathEqualTo(PATH)));
        wm.verify(1, putRequestedFor(urlPathEqualTo(PATH)).withHeader("If-Match", equalTo(ETAG))
                .withHeader("If-Unmodified-Since", absent()).withHeader("If-Modified-Since", absent()));

        wm.resetRequests();
        assertThrows(PreconditionFailedException.class, () -> objects().put(KEY, bytes("x"),
                PutOptions.builder().ifModifiedSince(after).build()), "not modified after its own time");
        wm.verify(0, putRequestedFor(urlPathEqualTo(PATH)));
    }

    @Test
    void getAndHeadSendConditionsInRfcPrecedence() {
        wm.stubFor(get(urlPathEqualTo(PATH)).willReturn(blobHeaders(200).withBody("body")));
        wm.stubFor(head(urlPathEqualTo(PATH)).willReturn(blobHeaders(200)));
        Instant t = Instant.parse("2024-04-01T00:00:00Z");
        String date = IMF_FIXDATE.format(t.atOffset(ZoneOffset.UTC));

        GetResponse r = objects().get(KEY, GetOptions.builder().ifMatch(ETAG).ifUnmodifiedSince(t)
                .ifNoneMatch("\"other\"").ifModifiedSince(t).leaseId(LEASE_A).build(), true);
        assertArrayEquals(bytes("body"), r.content());
        assertEquals("text/plain", r.info().contentType().orElseThrow());
        assertEquals(Map.of("owner", "me"), r.info().userMetadata());
        wm.verify(1, getRequestedFor(urlPathEqualTo(PATH)).withHeader("If-Match", equalTo(ETAG))
                .withHeader("If-None-Match", equalTo("\"other\"")).withHeader("If-Unmodified-Since", absent())
                .withHeader("If-Modified-Since", absent()).withHeader("x-ms-lease-id", equalTo(LEASE_A)));

        objects().get(KEY, GetOptions.builder().ifUnmodifiedSince(t).ifModifiedSince(t).build(), false);
        wm.verify(1, headRequestedFor(urlPathEqualTo(PATH)).withHeader("If-Unmodified-Since", equalTo(date))
                .withHeader("If-Modified-Since", equalTo(date)).withHeader("If-Match", absent()));

        wm.resetRequests();
        objects().get(KEY, GetOptions.builder().ifNoneMatch("W/\"weak\"").build(), false);
        wm.verify(1, headRequestedFor(urlPathEqualTo(PATH)).withHeader("If-None-Match", equalTo("\"weak\"")));
    }

    @Test
    void notModifiedAndIfNoneMatchStar() {
        wm.stubFor(get(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(304).withHeader("ETag", ETAG)));
        GetResponse r = objects().get(KEY, GetOptions.builder().ifNoneMatch(ETAG).build(), true);
        assertTrue(r.isNotModified());
        assertEquals("0x8DC0FFEE0000001", r.version().orElseThrow().etag().value());

        wm.stubFor(head(urlPathEqualTo(PATH)).willReturn(blobHeaders(200)));
        wm.resetRequests();
        GetResponse star = objects().get(KEY, GetOptions.builder().ifNoneMatch("*").build(), true);
        assertTrue(star.isNotModified(), "If-None-Match: * on an existing object");
        wm.verify(1, headRequestedFor(urlPathEqualTo(PATH)).withHeader("If-None-Match", absent()));
        wm.verify(0, getRequestedFor(urlPathEqualTo(PATH)));
    }

    // ---------------------------------------------------------------- error mapping

    /** One row of the mapping table: what was asked, what Azure answered, what the caller gets. */
    static Stream<Arguments> errorTable() {
        return Stream.of(
                row("update", 412, "ConditionNotMet", ErrorCode.PRECONDITION_FAILED, PreconditionFailedException.class),
                row("update", 404, "BlobNotFound", ErrorCode.PRECONDITION_FAILED, PreconditionFailedException.class),
                row("create", 409, "BlobAlreadyExists", ErrorCode.ALREADY_EXISTS, ObjectAlreadyExistsException.class),
                row("create", 412, "ConditionNotMet", ErrorCode.ALREADY_EXISTS, ObjectAlreadyExistsException.class),
                row("get", 404, "BlobNotFound", ErrorCode.NOT_FOUND, ObjectNotFoundException.class),
                row("get", 404, "ContainerNotFound", ErrorCode.NOT_FOUND, ObjectNotFoundException.class),
                row("put", 404, "ContainerNotFound", ErrorCode.NOT_FOUND, ObjectNotFoundException.class),
                row("delete", 404, "BlobNotFound", ErrorCode.NOT_FOUND, ObjectNotFoundException.class),
                row("get", 412, "ConditionNotMet", ErrorCode.PRECONDITION_FAILED, PreconditionFailedException.class),
                row("head", 412, "ConditionNotMet", ErrorCode.PRECONDITION_FAILED, PreconditionFailedException.class),
                row("put", 412, "LeaseIdMissing", ErrorCode.LEASE_HELD, LeaseHeldException.class),
                row("put", 412, "LeaseIdMismatchWithBlobOperation", ErrorCode.LEASE_MISMATCH, LeaseMismatchException.class),
                row("put", 412, "LeaseNotPresentWithBlobOperation", ErrorCode.LEASE_LOST, LeaseLostException.class),
                row("put", 412, "LeaseLost", ErrorCode.LEASE_LOST, LeaseLostException.class),
                row("delete", 412, "LeaseIdMissing", ErrorCode.LEASE_HELD, LeaseHeldException.class),
                row("delete", 412, "LeaseIdMismatchWithBlobOperation", ErrorCode.LEASE_MISMATCH, LeaseMismatchException.class),
                row("acquire", 409, "LeaseAlreadyPresent", ErrorCode.LEASE_HELD, LeaseHeldException.class),
                row("acquire", 409, "LeaseIsBreakingAndCannotBeAcquired", ErrorCode.LEASE_HELD, LeaseHeldException.class),
                row("acquire", 404, "BlobNotFound", ErrorCode.NOT_FOUND, ObjectNotFoundException.class),
                row("renew", 409, "LeaseIdMismatchWithLeaseOperation", ErrorCode.LEASE_MISMATCH, LeaseMismatchException.class),
                row("renew", 409, "LeaseIsBrokenAndCannotBeRenewed", ErrorCode.LEASE_LOST, LeaseLostException.class),
                row("renew", 409, "LeaseNotPresentWithLeaseOperation", ErrorCode.LEASE_LOST, LeaseLostException.class),
                row("release", 409, "LeaseIdMismatchWithLeaseOperation", ErrorCode.LEASE_MISMATCH, LeaseMismatchException.class),
                row("release", 409, "LeaseNotPresentWithLeaseOperation", ErrorCode.LEASE_LOST, LeaseLostException.class),
                row("change", 409, "LeaseIdMismatchWithLeaseOperation", ErrorCode.LEASE_MISMATCH, LeaseMismatchException.class),
                row("change", 409, "LeaseIsBreakingAndCannotBeChanged", ErrorCode.LEASE_LOST, LeaseLostException.class),
                row("change", 409, "LeaseNotPresentWithLeaseOperation", ErrorCode.LEASE_LOST, LeaseLostException.class),
                row("break", 409, "LeaseNotPresentWithLeaseOperation", ErrorCode.LEASE_LOST, LeaseLostException.class),
                row("put", 503, "ServerBusy", ErrorCode.OUTCOME_UNKNOWN, OutcomeUnknownException.class),
                row("get", 503, "ServerBusy", ErrorCode.THROTTLED, TransientException.class),
                row("acquire", 503, "ServerBusy", ErrorCode.OUTCOME_UNKNOWN, OutcomeUnknownException.class),
                row("get", 500, "OperationTimedOut", ErrorCode.TRANSIENT, TransientException.class),
                row("head", 500, "InternalError", ErrorCode.TRANSIENT, TransientException.class),
                row("put", 500, "OperationTimedOut", ErrorCode.OUTCOME_UNKNOWN, OutcomeUnknownException.class),
                row("update", 500, "InternalError", ErrorCode.OUTCOME_UNKNOWN, OutcomeUnknownException.class),
                row("delete", 500, "OperationTimedOut", ErrorCode.OUTCOME_UNKNOWN, OutcomeUnknownException.class),
                row("release", 500, "InternalError", ErrorCode.OUTCOME_UNKNOWN, OutcomeUnknownException.class),
                row("get", 502, null, ErrorCode.TRANSIENT, TransientException.class),
                row("create", 504, null, ErrorCode.OUTCOME_UNKNOWN, OutcomeUnknownException.class),
                row("get", 403, "AuthenticationFailed", ErrorCode.ACCESS_DENIED, io.leasehold.core.AccessDeniedException.class),
                row("put", 403, "AuthorizationPermissionMismatch", ErrorCode.ACCESS_DENIED, io.leasehold.core.AccessDeniedException.class),
                row("head", 403, null, ErrorCode.ACCESS_DENIED, io.leasehold.core.AccessDeniedException.class));
    }

    private static Arguments row(String op, int status, String code, ErrorCode expected, Class<? extends ObjectStoreException> type) {
        return Arguments.of(op, status, code, expected, type);
    }

    @ParameterizedTest(name = "{0}: {1} {2} -> {3}")
    @MethodSource("errorTable")
    void azureErrorsMapToPortableCodes(String op, int status, String code, ErrorCode expected,
                                       Class<? extends ObjectStoreException> type) {
        ResponseDefinitionBuilder error = aResponse().withStatus(status);
        if (code != null) {
            error.withHeader("x-ms-error-code", code);
            if (!op.equals("head")) {
                error.withHeader("Content-Type", "application/xml").withBody("<?xml version=\"1.0\" encoding=\"utf-8\"?>"
                        + "<Error><Code>" + code + "</Code><Message>simulated</Message></Error>");
            }
        }
        wm.stubFor(any(urlPathEqualTo(PATH)).willReturn(error));
        ObjectStoreException e = assertThrows(ObjectStoreException.class, () -> run(op));
        assertInstanceOf(type, e, e.toString());
        assertEquals(expected, e.code(), e.toString());
        assertFalse(e.getMessage().contains(LEASE_A), "no full lease id in messages");
        assertFalse(e.getMessage().contains(AzureConnection.DEV_ACCOUNT_KEY), "no key in messages");
        assertEquals(1, wm.getAllServeEvents().size(), "the SDK sent exactly one request");
    }

    private static void run(String op) {
        switch (op) {
            case "put":
                objects().put(KEY, bytes("x"), PutOptions.builder().leaseId(LEASE_A).build());
                break;
            case "create":
                objects().put(KEY, bytes("x"), PutOptions.of(PutMode.create()));
                break;
            case "update":
                objects().put(KEY, bytes("x"), PutOptions.of(PutMode.update(ObjectVersion.of(ETAG))));
                break;
            case "get":
                objects().get(KEY, GetOptions.builder().ifMatch(ETAG).build(), true);
                break;
            case "head":
                objects().get(KEY, GetOptions.builder().ifMatch(ETAG).build(), false);
                break;
            case "delete":
                objects().delete(KEY, DeleteOptions.builder().leaseId(LEASE_A).build());
                break;
            case "acquire":
                leases.acquire(KEY, Duration.ofSeconds(15), LEASE_A);
                break;
            case "renew":
                leases.renew(KEY, LEASE_A);
                break;
            case "release":
                leases.release(KEY, LEASE_A);
                break;
            case "change":
                leases.change(KEY, LEASE_A, LEASE_B);
                break;
            case "break":
                leases.breakLease(KEY, Duration.ofSeconds(5));
                break;
            default:
                throw new IllegalArgumentException(op);
        }
    }

    @Test
    void aFailedIfMatchDeleteOfAGoneObjectIsNotFound() {
        wm.stubFor(delete(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(412).withHeader("x-ms-error-code", "ConditionNotMet")));
        wm.stubFor(head(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(404).withHeader("x-ms-error-code", "BlobNotFound")));
        assertThrows(ObjectNotFoundException.class, () -> objects().delete(KEY, DeleteOptions.builder().ifMatch(ETAG).build()));
        wm.stubFor(head(urlPathEqualTo(PATH)).willReturn(blobHeaders(200)));
        assertThrows(PreconditionFailedException.class, () -> objects().delete(KEY, DeleteOptions.builder().ifMatch(ETAG).build()));
        wm.verify(2, deleteRequestedFor(urlPathEqualTo(PATH)));
    }

    // ---------------------------------------------------------------- faults and the single retry layer

    static Stream<Arguments> mutations() {
        return Stream.of(Arguments.of("create"), Arguments.of("update"), Arguments.of("put"), Arguments.of("delete"),
                Arguments.of("acquire"), Arguments.of("renew"), Arguments.of("release"), Arguments.of("change"),
                Arguments.of("break"));
    }

    @ParameterizedTest(name = "{0}: connection reset -> outcome unknown, sent once")
    @MethodSource("mutations")
    void connectionResetOnAMutationIsOutcomeUnknownAndNotResent(String op) {
        wm.stubFor(any(urlPathEqualTo(PATH)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        ObjectStoreException e = assertThrows(ObjectStoreException.class, () -> run(op));
        assertEquals(ErrorCode.OUTCOME_UNKNOWN, e.code(), e.toString());
        assertEquals(1, wm.getAllServeEvents().size(), "the mutation was sent exactly once");
    }

    @ParameterizedTest(name = "{0}: empty response -> outcome unknown, sent once")
    @MethodSource("mutations")
    void emptyResponseOnAMutationIsOutcomeUnknownAndNotResent(String op) {
        wm.stubFor(any(urlPathEqualTo(PATH)).willReturn(aResponse().withFault(Fault.EMPTY_RESPONSE)));
        ObjectStoreException e = assertThrows(ObjectStoreException.class, () -> run(op));
        assertEquals(ErrorCode.OUTCOME_UNKNOWN, e.code(), e.toString());
        assertEquals(1, wm.getAllServeEvents().size(), "the mutation was sent exactly once");
    }

    @ParameterizedTest(name = "{0}: 503 ServerBusy -> outcome unknown, sent once")
    @MethodSource("mutations")
    void serverBusyOnAMutationIsOutcomeUnknownAndNotResentBySdk(String op) {
        wm.stubFor(any(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(503).withHeader("x-ms-error-code", "ServerBusy")));
        ObjectStoreException e = assertThrows(ObjectStoreException.class, () -> run(op));
        assertEquals(ErrorCode.OUTCOME_UNKNOWN, e.code(), e.toString());
        assertEquals(1, wm.getAllServeEvents().size(), "the SDK did not retry");
    }

    @Test
    void timeoutOnAMutationIsOutcomeUnknownAndOnAReadTransient() {
        wm.stubFor(any(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(201).withFixedDelay(5_000)));
        ObjectStoreException put = assertThrows(ObjectStoreException.class,
                () -> objects().put(KEY, bytes("x"), PutOptions.of(PutMode.create())));
        assertEquals(ErrorCode.OUTCOME_UNKNOWN, put.code(), put.toString());
        assertEquals(1, wm.getAllServeEvents().size(), "sent once");
        ObjectStoreException release = assertThrows(ObjectStoreException.class, () -> leases.release(KEY, LEASE_A));
        assertEquals(ErrorCode.OUTCOME_UNKNOWN, release.code(), release.toString());
        assertEquals(2, wm.getAllServeEvents().size(), "sent once");
        ObjectStoreException get = assertThrows(ObjectStoreException.class, () -> objects().get(KEY, GetOptions.defaults(), true));
        assertEquals(ErrorCode.TRANSIENT, get.code(), get.toString());
    }

    @Test
    void connectionResetOnAReadIsTransient() {
        wm.stubFor(any(urlPathEqualTo(PATH)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        assertEquals(ErrorCode.TRANSIENT, assertThrows(ObjectStoreException.class,
                () -> objects().get(KEY, GetOptions.defaults(), true)).code());
        assertEquals(ErrorCode.TRANSIENT, assertThrows(ObjectStoreException.class, () -> leases.status(KEY)).code());
        // The JDK client repeats an idempotent GET/HEAD once after a reset (harmless for reads); it
        // never repeats PUT or DELETE (see connectionResetOnAMutationIsOutcomeUnknownAndNotResent).
        assertTrue(wm.getAllServeEvents().size() <= 4, "at most one transport-level repeat per read");
    }

    @Test
    void refusedConnectionIsTransientEvenForMutationsBecauseNothingWasSent() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            closedPort = s.getLocalPort();
        }
        AzureBlobDriver nowhere = AzureConnection.open(URI.create("azure://" + CONTAINER + "?endpoint=http://127.0.0.1:"
                + closedPort + "/" + AzureConnection.DEV_ACCOUNT), Map.of());
        ObjectStoreException e = assertThrows(ObjectStoreException.class,
                () -> nowhere.put(KEY, bytes("x"), PutOptions.of(PutMode.create())));
        assertEquals(ErrorCode.TRANSIENT, e.code(), e.toString());
        assertEquals(ErrorCode.TRANSIENT, assertThrows(ObjectStoreException.class,
                () -> nowhere.leases().orElseThrow().release(KEY, LEASE_A)).code());
    }

    @Test
    void theFacadeIsTheOnlyRetryLayer() {
        ObjectStore store = ObjectStore.of(driver);
        wm.stubFor(any(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(503).withHeader("x-ms-error-code", "ServerBusy")));
        assertEquals(ErrorCode.THROTTLED, assertThrows(TransientException.class, () -> store.get(KEY)).code());
        assertEquals(3, wm.getAllServeEvents().size(), "three facade attempts, one request each");

        wm.resetAll();
        wm.stubFor(any(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(500).withHeader("x-ms-error-code", "InternalError")));
        assertThrows(OutcomeUnknownException.class,
                () -> store.put(KEY, bytes("x"), PutOptions.of(PutMode.update(ObjectVersion.of(ETAG)))));
        wm.verify(1, putRequestedFor(urlPathEqualTo(PATH)));
        // reads to settle it (each 500: nothing read, so read again, 3 at most; still unknown), never a blind re-send
        wm.verify(3, headRequestedFor(urlPathEqualTo(PATH)));
        assertEquals(4, wm.getAllServeEvents().size(), "an ambiguous conditional write is never re-sent blindly");
    }

    @Test
    void aCallerSuppliedClientIsUsedWithoutItsSdkRetries() {
        BlobContainerClient callers = new BlobContainerClientBuilder()
                .endpoint(endpoint() + "/" + CONTAINER)
                .credential(new StorageSharedKeyCredential(AzureConnection.DEV_ACCOUNT, AzureConnection.DEV_ACCOUNT_KEY))
                .httpClient(AzureConnection.httpClient(Duration.ofSeconds(2)))
                .retryOptions(new RequestRetryOptions(RetryPolicyType.FIXED, 3, (Integer) null, 1L, 1L, null))
                .buildClient();
        assertTrue(AzureBlobDriver.sdkRetriesEnabled(callers));
        wm.stubFor(any(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(503).withHeader("x-ms-error-code", "ServerBusy")));

        assertThrows(RuntimeException.class, () -> callers.getBlobClient(KEY).getProperties());
        assertEquals(3, wm.getAllServeEvents().size(), "the caller's client itself retries (unchanged)");

        wm.resetRequests();
        AzureBlobDriver wrapped = AzureBlobDriver.of(callers);
        BlobContainerClient used = wrapped.unwrap(BlobContainerClient.class).orElseThrow();
        assertFalse(AzureBlobDriver.sdkRetriesEnabled(used));
        assertEquals(CONTAINER, wrapped.containerName());
        ObjectStoreException e = assertThrows(ObjectStoreException.class,
                () -> wrapped.put(KEY, bytes("x"), PutOptions.of(PutMode.create())));
        assertEquals(ErrorCode.OUTCOME_UNKNOWN, e.code());
        assertEquals(1, wm.getAllServeEvents().size(), "the driver sent once");
        LoggedRequest sent = wm.findAll(putRequestedFor(urlPathEqualTo(PATH))).get(0);
        assertTrue(sent.getHeader("Authorization").startsWith("SharedKey " + AzureConnection.DEV_ACCOUNT + ":"),
                "the caller's credential policy is kept");
    }

    @Test
    void sasTokensNeverAppearInMessages() {
        String secret = "sig=TOPSECRETSIGNATURE";
        AzureBlobDriver sas = AzureConnection.open(URI.create("azure://" + CONTAINER + "?endpoint=http://127.0.0.1:"
                + wm.port() + "/acct"), Map.of(AzureConnection.ENV_SAS_TOKEN, "sv=2024-01-01&sp=rw&" + secret));
        wm.stubFor(any(urlPathEqualTo("/acct/" + CONTAINER + "/dir%2Fobj")).willReturn(aResponse().withStatus(403)
                .withHeader("x-ms-error-code", "AuthenticationFailed")));
        ObjectStoreException e = assertThrows(ObjectStoreException.class, () -> sas.put(KEY, bytes("x"), PutOptions.defaults()));
        assertEquals(ErrorCode.ACCESS_DENIED, e.code());
        wm.verify(1, anyRequestedFor(urlPathEqualTo("/acct/" + CONTAINER + "/dir%2Fobj")).withQueryParam("sig", equalTo("TOPSECRETSIGNATURE")));
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertFalse(String.valueOf(t.getMessage()).contains("TOPSECRET"), "secret in " + t);
        }
    }

    @Test
    void invalidBlobNamesAreRefusedBeforeAnythingIsSent() {
        for (String bad : List.of("a/b.", "a/", "a./b", "x/../y", "x/./y", "back\\slash", "a".repeat(1025 - "x".length()) + "x/",
                "s/".repeat(254) + "s", "bad\uFFFE")) {
            assertThrows(io.leasehold.core.InvalidArgumentException.class,
                    () -> objects().put(bad, bytes("x"), PutOptions.defaults()), bad);
        }
        assertThrows(io.leasehold.core.InvalidArgumentException.class, () -> objects().put(KEY, bytes("x"),
                PutOptions.builder().metadata("owner", " padded").build()));
        assertEquals(0, wm.getAllServeEvents().size());
    }

    // ---------------------------------------------------------------- helpers

    /** Stubs the fencing counter blob: absent (leaseId null), or issued to leaseId; writes succeed. */
    private static void stubCounter(String leaseId, long token) {
        if (leaseId == null) {
            wm.stubFor(get(urlPathEqualTo(COUNTER_PATH)).willReturn(aResponse().withStatus(404)
                    .withHeader("x-ms-error-code", "BlobNotFound")));
        } else {
            String body = "{\"format\":1,\"token\":" + token + ",\"lease\":\"" + sha256(leaseId) + "\",\"nonce\":\"n\"}";
            wm.stubFor(get(urlPathEqualTo(COUNTER_PATH)).willReturn(aResponse().withStatus(200)
                    .withHeader("ETag", COUNTER_ETAG).withHeader("Last-Modified", HTTP_DATE)
                    .withHeader("Content-Type", "application/json").withHeader("x-ms-blob-type", "BlockBlob")
                    .withHeader("Content-Length", Integer.toString(bytes(body).length)).withBody(body)));
        }
        // The renewal that proves the lease outlived the counter write.
        wm.stubFor(put(urlPathEqualTo(PATH)).withQueryParam("comp", equalTo("lease"))
                .withHeader("x-ms-lease-action", equalTo("renew")).atPriority(1)
                .willReturn(aResponse().withStatus(200).withHeader("x-ms-lease-id", "ignored")));
        wm.stubFor(put(urlPathEqualTo(COUNTER_PATH)).willReturn(aResponse().withStatus(201)
                .withHeader("ETag", "\"0x8DC0FFEE00000C2\"").withHeader("Last-Modified", HTTP_DATE)));
    }

    private static String sha256(String s) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(bytes(s));
            StringBuilder hex = new StringBuilder();
            for (byte b : d) {
                hex.append(String.format("%02x", b));
            }
            return hex.toString();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RequestPatternBuilder leaseRequest(String action) {
        return putRequestedFor(urlPathEqualTo(PATH)).withQueryParam("comp", equalTo("lease"))
                .withHeader("x-ms-lease-action", equalTo(action));
    }

    private static void stubUpload(int status) {
        wm.stubFor(put(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(status).withHeader("ETag", ETAG)
                .withHeader("Last-Modified", HTTP_DATE).withHeader("x-ms-request-server-encrypted", "true")));
    }

    private static ResponseDefinitionBuilder blobHeaders(int status) {
        return aResponse().withStatus(status).withHeader("ETag", ETAG).withHeader("Last-Modified", HTTP_DATE)
                .withHeader("Content-Type", "text/plain").withHeader("x-ms-blob-type", "BlockBlob")
                .withHeader("x-ms-meta-owner", "me").withHeader("Content-Length", "4");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
