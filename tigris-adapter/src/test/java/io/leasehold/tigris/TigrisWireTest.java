package io.leasehold.tigris;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.head;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.headRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import io.leasehold.aws.S3Driver;
import io.leasehold.core.AccessDeniedException;
import io.leasehold.core.Capability;
import io.leasehold.core.DeleteOptions;
import io.leasehold.core.ErrorCode;
import io.leasehold.core.GetOptions;
import io.leasehold.core.InvalidArgumentException;
import io.leasehold.core.ObjectAlreadyExistsException;
import io.leasehold.core.ObjectNotFoundException;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.ObjectStoreException;
import io.leasehold.core.ObjectVersion;
import io.leasehold.core.OutcomeUnknownException;
import io.leasehold.core.PreconditionFailedException;
import io.leasehold.core.PutMode;
import io.leasehold.core.PutOptions;
import io.leasehold.core.ReadConsistency;
import io.leasehold.core.TransientException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Every Tigris request at the wire, against WireMock on loopback: method, path, the conditional
 * headers each portable mode maps to, {@code X-Tigris-Consistent} where (and only where) it belongs,
 * and how each error answer is mapped.
 */
class TigrisWireTest {
    private static final String CONSISTENT = "X-Tigris-Consistent";
    private static final String SECRET = "tigris-wire-secret-SHOULD-NEVER-APPEAR";
    private static WireMockServer wire;

    @BeforeAll
    static void startWireMock() {
        wire = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
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
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("tid_wire", SECRET));
    }

    private static Tigris.Builder builder() {
        return Tigris.builder().bucket("bucket").endpoint(endpoint()).pathStyle(true).credentialsProvider(credentials());
    }

    private static S3Driver tigris() {
        return builder().build();
    }

    private static ResponseDefinitionBuilder error(int status, String code) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/xml")
                .withBody("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>m</Message>"
                        + "<RequestId>T1</RequestId></Error>");
    }

    private static ResponseDefinitionBuilder putOk(String etag) {
        return aResponse().withStatus(200).withHeader("ETag", "\"" + etag + "\"");
    }

    private static ResponseDefinitionBuilder object(String etag) {
        return aResponse().withStatus(200).withHeader("ETag", "\"" + etag + "\"")
                .withHeader("Last-Modified", "Wed, 21 Oct 2026 07:28:00 GMT").withBody("body");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static int requests() {
        return wire.findAll(anyRequestedFor(anyUrl())).size();
    }

    private static void verifyOne(RequestPatternBuilder pattern) {
        wire.verify(exactly(1), pattern);
        assertEquals(1, requests(), "exactly one request");
        wire.resetRequests();
    }

    // ------------------------------------------------------------------ defaults and URIs

    @Test
    void defaultsAreTheGlobalEndpointAndRegionAutoWithVirtualHostedUrls() {
        try (S3Driver d = Tigris.builder().bucket("bucket").credentialsProvider(credentials()).build()) {
            S3Client client = d.unwrap(S3Client.class).orElseThrow();
            assertEquals(URI.create("https://t3.storage.dev"), client.serviceClientConfiguration().endpointOverride().orElseThrow());
            assertEquals(Region.of("auto"), client.serviceClientConfiguration().region());
            assertEquals("tigris", d.name());
            assertSame(Tigris.PROFILE, d.profile());
        }
    }

    @Test
    void tigrisUrisOpenTheTigrisDriver() {
        wire.stubFor(put(urlEqualTo("/bucket/app/k")).willReturn(putOk("e1")));
        System.setProperty("aws.accessKeyId", "tid_wire");
        System.setProperty("aws.secretAccessKey", SECRET);
        try (ObjectStore store = ObjectStore.open("tigris://bucket/app?endpoint=" + endpoint()
                + "&pathStyle=true&consistentWrites=false")) {
            assertEquals("tigris", store.driverName());
            store.put("k", bytes("x"), PutOptions.of(PutMode.create()));
        } finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
        }
        verifyOne(putRequestedFor(urlEqualTo("/bucket/app/k")).withHeader("If-None-Match", equalTo("*"))
                .withHeader(CONSISTENT, absent()));
        for (String bad : new String[] {"tigris://", "tigris://bucket?consistentReads=sometimes", "tigris://bucket?colour=red"}) {
            assertThrows(InvalidArgumentException.class, () -> ObjectStore.open(bad), bad);
        }
    }

    @Test
    void capabilitiesIncludeDateConditionedAndReplacePutsAndConditionalDelete() {
        try (S3Driver d = tigris()) {
            for (Capability c : new Capability[] {Capability.PUT_IF_ABSENT, Capability.PUT_IF_MATCH, Capability.PUT_IF_PRESENT,
                    Capability.PUT_IF_MODIFIED_SINCE, Capability.PUT_IF_UNMODIFIED_SINCE, Capability.GET_IF_MATCH,
                    Capability.GET_IF_NONE_MATCH, Capability.GET_IF_MODIFIED_SINCE, Capability.GET_IF_UNMODIFIED_SINCE,
                    Capability.DELETE_IF_MATCH, Capability.STRONG_READS, Capability.USER_METADATA}) {
                assertTrue(d.capabilities().supports(c), c.toString());
            }
            assertTrue(d.capabilities().supports(Capability.LEASES));
            assertTrue(d.capabilities().supports(Capability.EMULATED_LEASES));
            assertTrue(d.capabilities().supports(Capability.FENCING_TOKENS));
            assertFalse(d.capabilities().supports(Capability.NATIVE_LEASES));
            assertTrue(d.leases().isEmpty(), "the library emulates leases over the driver's conditional requests");
        }
        for (S3Driver d : new S3Driver[] {builder().consistentReads(false).build(),
                builder().consistentConditionalWrites(false).build()}) {
            try (d) {
                assertFalse(d.capabilities().supports(Capability.LEASES),
                        "a lease record read or written off the leader could be stale: no leases");
                assertTrue(d.leases().isEmpty());
            }
        }
    }

    // ------------------------------------------------------------------ emulated leases on the wire

    private static final String RECORD = "/bucket/.leasehold/lease/k";

    private static String sha256(String s) {
        try {
            StringBuilder hex = new StringBuilder();
            for (byte b : java.security.MessageDigest.getInstance("SHA-256").digest(bytes(s))) {
                hex.append(String.format("%02x", b));
            }
            return hex.toString();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A stored lease record as Tigris would return it. */
    private static ResponseDefinitionBuilder record(String etag, String leaseId, long generation, String nonce) {
        return aResponse().withStatus(200).withHeader("ETag", "\"" + etag + "\"").withHeader("Content-Type", "application/json")
                .withHeader("Last-Modified", "Wed, 21 Oct 2026 07:28:00 GMT")
                .withBody("{\"format\":1,\"state\":\"LEASED\",\"lease\":\"" + sha256(leaseId)
                        + "\",\"durationSeconds\":15,\"generation\":" + generation
                        + ",\"dataETag\":\"d1\",\"nonce\":\"" + nonce + "\"}");
    }

    @Test
    void acquireReadsTheRecordAndTheObjectThenCreatesTheRecordAllThroughTheLeader() {
        wire.stubFor(get(urlEqualTo(RECORD)).willReturn(error(404, "NoSuchKey")));
        wire.stubFor(head(urlEqualTo("/bucket/k")).willReturn(object("d1")));
        wire.stubFor(put(urlEqualTo(RECORD)).willReturn(putOk("r1")));
        String id = java.util.UUID.randomUUID().toString();
        try (ObjectStore store = ObjectStore.of(tigris())) {
            io.leasehold.core.lease.Lease lease = store.leases().acquire("k", io.leasehold.core.lease.LeaseOptions.builder()
                    .duration(java.time.Duration.ofSeconds(15)).proposedId(id).build());
            assertEquals(1L, lease.fencingToken().getAsLong());
            wire.verify(exactly(1), getRequestedFor(urlEqualTo(RECORD)).withHeader(CONSISTENT, equalTo("true")));
            wire.verify(exactly(1), headRequestedFor(urlEqualTo("/bucket/k")).withHeader(CONSISTENT, equalTo("true")));
            wire.verify(exactly(1), putRequestedFor(urlEqualTo(RECORD)).withHeader("If-None-Match", equalTo("*"))
                    .withHeader("If-Match", absent()).withHeader(CONSISTENT, equalTo("true"))
                    .withHeader("Content-Type", equalTo("application/json"))
                    .withRequestBody(containing(sha256(id))).withRequestBody(notContaining(id))
                    .withRequestBody(containing("\"generation\":1")));
            assertEquals(3, requests());

            wire.resetRequests();
            store.leases().renew(lease);
            wire.verify(exactly(1), headRequestedFor(urlEqualTo("/bucket/k")).withHeader(CONSISTENT, equalTo("true")));
            wire.verify(exactly(1), putRequestedFor(urlEqualTo(RECORD)).withHeader("If-Match", equalTo("\"r1\""))
                    .withHeader(CONSISTENT, equalTo("true")));
            assertEquals(2, requests(), "renew by the last writer: the object's HEAD and one If-Match write");
            wire.resetRequests();
            store.leases().release(lease);
            verifyOne(putRequestedFor(urlEqualTo(RECORD)).withHeader("If-Match", equalTo("\"r1\""))
                    .withRequestBody(containing("\"RELEASED\"")));
        }
    }

    @Test
    void aGuardedPutIsConditionalOnTheVersionReadAndCarriesTheFencingToken() {
        String id = java.util.UUID.randomUUID().toString();
        wire.stubFor(get(urlEqualTo(RECORD)).willReturn(record("r1", id, 3, "n1")));
        wire.stubFor(head(urlEqualTo("/bucket/k")).willReturn(object("d1")));
        wire.stubFor(put(urlEqualTo("/bucket/k")).willReturn(putOk("d2")));
        wire.stubFor(delete(urlEqualTo("/bucket/k")).willReturn(aResponse().withStatus(204)));
        wire.stubFor(put(urlEqualTo(RECORD)).willReturn(putOk("r2")));
        try (ObjectStore store = ObjectStore.of(tigris())) {
            store.put("k", bytes("x"), PutOptions.builder().leaseId(id).build());
            wire.verify(exactly(1), putRequestedFor(urlEqualTo("/bucket/k")).withHeader("If-Match", equalTo("\"d1\""))
                    .withHeader("x-amz-meta-leasehold_f", equalTo("3")).withHeader(CONSISTENT, equalTo("true")));
            assertEquals(3, requests(), "record read, object HEAD, conditional put");
            wire.resetRequests();
            store.delete("k", DeleteOptions.builder().leaseId(id).build());
            wire.verify(exactly(1), deleteRequestedFor(urlEqualTo("/bucket/k")).withHeader("If-Match", equalTo("\"d1\""))
                    .withHeader(CONSISTENT, equalTo("true")));
            // The lease ends with its object, as on Azure: the record is released (If-Match on the record read).
            wire.verify(exactly(1), putRequestedFor(urlEqualTo(RECORD)).withHeader("If-Match", equalTo("\"r1\""))
                    .withRequestBody(containing("\"RELEASED\"")));
            assertEquals(4, requests(), "record read, object HEAD, conditional delete, record released");
            wire.resetRequests();
            assertThrows(io.leasehold.core.LeaseMismatchException.class,
                    () -> store.put("k", bytes("x"), PutOptions.builder().leaseId("someone-else").build()));
            wire.verify(exactly(0), putRequestedFor(urlEqualTo("/bucket/k")));
        }
        for (com.github.tomakehurst.wiremock.stubbing.ServeEvent e : wire.getAllServeEvents()) {
            assertFalse(e.getRequest().getAllHeaderKeys().stream().anyMatch(h -> h.toLowerCase().contains("lease-id")),
                    "no lease id on the wire");
        }
    }

    @Test
    void aLostRecordWriteWithTheRecordUnchangedIsSentAgainOnTheSameCondition() {
        String id = java.util.UUID.randomUUID().toString();
        wire.stubFor(get(urlEqualTo(RECORD)).willReturn(record("r1", id, 1, "n1")));
        wire.stubFor(head(urlEqualTo("/bucket/k")).willReturn(object("d1")));
        wire.stubFor(put(urlEqualTo(RECORD)).inScenario("lost").whenScenarioStateIs(
                com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED).willSetStateTo("again")
                .willReturn(error(500, "InternalError")));
        wire.stubFor(put(urlEqualTo(RECORD)).inScenario("lost").whenScenarioStateIs("again").willReturn(putOk("r2")));
        try (S3Driver d = tigris()) {
            io.leasehold.core.ObjectStore.of(d).leases().renew("k", id);
        }
        java.util.List<com.github.tomakehurst.wiremock.verification.LoggedRequest> puts =
                wire.findAll(putRequestedFor(urlEqualTo(RECORD)).withHeader("If-Match", equalTo("\"r1\"")));
        assertEquals(2, puts.size(), "re-sent once, on the same If-Match: at most one of the two can land");
        assertFalse(puts.get(0).getBodyAsString().equals(puts.get(1).getBodyAsString()), "each write has its own nonce");
        assertFalse(puts.get(0).getHeader("x-amz-meta-leasehold_w").equals(puts.get(1).getHeader("x-amz-meta-leasehold_w")),
                "and its own write id");
        wire.verify(exactly(3), getRequestedFor(urlEqualTo(RECORD)));  // the first read, the settlement, the retry's
    }

    @Test
    void aLostRecordWriteFollowedByAnotherWriterIsOutcomeUnknownNeverAGuess() {
        String id = java.util.UUID.randomUUID().toString();
        wire.stubFor(get(urlEqualTo(RECORD)).inScenario("raced").whenScenarioStateIs(
                com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED).willReturn(record("r1", id, 1, "n1")));
        wire.stubFor(put(urlEqualTo(RECORD)).inScenario("raced").willSetStateTo("changed")
                .willReturn(error(500, "InternalError")));
        wire.stubFor(get(urlEqualTo(RECORD)).inScenario("raced").whenScenarioStateIs("changed")
                .willReturn(record("r9", "another-holder", 2, "n9")));
        wire.stubFor(head(urlEqualTo("/bucket/k")).willReturn(object("d1")));
        try (S3Driver d = tigris()) {
            assertThrows(OutcomeUnknownException.class, () -> io.leasehold.core.ObjectStore.of(d).leases().renew("k", id));
        }
        wire.verify(exactly(1), putRequestedFor(urlEqualTo(RECORD)));
    }

    // ------------------------------------------------------------------ puts: each mode's headers

    @Test
    void eachPutModeMapsToTigrisConditionsAndConditionalOnesAreConsistent() {
        wire.stubFor(put(urlEqualTo("/bucket/k")).willReturn(putOk("e2")));
        Instant t = Instant.parse("2026-05-06T07:08:09Z");
        try (S3Driver d = tigris()) {
            d.put("k", bytes("x"), PutOptions.of(PutMode.create()));
            verifyOne(putRequestedFor(urlEqualTo("/bucket/k")).withHeader("If-None-Match", equalTo("*"))
                    .withHeader("If-Match", absent()).withHeader(CONSISTENT, equalTo("true")));

            d.put("k", bytes("x"), PutOptions.of(PutMode.update(ObjectVersion.of("e1"))));
            verifyOne(putRequestedFor(urlEqualTo("/bucket/k")).withHeader("If-Match", equalTo("\"e1\""))
                    .withHeader("If-None-Match", absent()).withHeader(CONSISTENT, equalTo("true")));

            d.put("k", bytes("x"), PutOptions.of(PutMode.replace()));
            verifyOne(putRequestedFor(urlEqualTo("/bucket/k")).withHeader("If-None-Match", equalTo("\"\""))
                    .withHeader("If-Match", absent()).withHeader(CONSISTENT, equalTo("true")));

            d.put("k", bytes("x"), PutOptions.builder().ifUnmodifiedSince(t).build());
            verifyOne(putRequestedFor(urlEqualTo("/bucket/k")).withHeader("If-Unmodified-Since", equalTo("Wed, 06 May 2026 07:08:09 GMT"))
                    .withHeader("If-Match", absent()).withHeader("If-None-Match", absent()).withHeader(CONSISTENT, equalTo("true")));

            d.put("k", bytes("x"), PutOptions.builder().ifModifiedSince(t).build());
            verifyOne(putRequestedFor(urlEqualTo("/bucket/k")).withHeader("If-Modified-Since", equalTo("Wed, 06 May 2026 07:08:09 GMT"))
                    .withHeader(CONSISTENT, equalTo("true")));

            // several conditions at once: all are sent, Tigris requires all to hold
            d.put("k", bytes("x"), PutOptions.builder().mode(PutMode.update(ObjectVersion.of("e1")))
                    .ifUnmodifiedSince(t).ifModifiedSince(t.minusSeconds(60)).build());
            verifyOne(putRequestedFor(urlEqualTo("/bucket/k")).withHeader("If-Match", equalTo("\"e1\""))
                    .withHeader("If-Unmodified-Since", equalTo("Wed, 06 May 2026 07:08:09 GMT"))
                    .withHeader("If-Modified-Since", equalTo("Wed, 06 May 2026 07:07:09 GMT"))
                    .withHeader(CONSISTENT, equalTo("true")));

            d.put("k", bytes("x"), PutOptions.defaults());
            verifyOne(putRequestedFor(urlEqualTo("/bucket/k")).withHeader("If-Match", absent())
                    .withHeader("If-None-Match", absent()).withHeader(CONSISTENT, absent()));
        }
    }

    @Test
    void consistencyHeadersCanBeTurnedOff() {
        wire.stubFor(put(urlEqualTo("/bucket/k")).willReturn(putOk("e2")));
        wire.stubFor(get(urlEqualTo("/bucket/k")).willReturn(object("e2")));
        try (S3Driver d = builder().consistentConditionalWrites(false).consistentReads(false).build()) {
            d.put("k", bytes("x"), PutOptions.of(PutMode.create()));
            verifyOne(putRequestedFor(urlEqualTo("/bucket/k")).withHeader("If-None-Match", equalTo("*")).withHeader(CONSISTENT, absent()));
            d.get("k", GetOptions.builder().consistency(ReadConsistency.STRONG).build(), true);
            verifyOne(getRequestedFor(urlEqualTo("/bucket/k")).withHeader(CONSISTENT, absent()));
        }
    }

    // ------------------------------------------------------------------ reads

    @Test
    void strongReadsAreConsistentAndEventualOnesAreNot() {
        wire.stubFor(get(urlEqualTo("/bucket/k")).willReturn(object("e1")));
        wire.stubFor(head(urlEqualTo("/bucket/k")).willReturn(object("e1")));
        try (S3Driver d = tigris(); ObjectStore store = ObjectStore.of(tigris())) {
            d.get("k", GetOptions.builder().consistency(ReadConsistency.STRONG).build(), true);
            verifyOne(getRequestedFor(urlEqualTo("/bucket/k")).withHeader(CONSISTENT, equalTo("true")));
            d.get("k", GetOptions.builder().consistency(ReadConsistency.STRONG).build(), false);
            verifyOne(headRequestedFor(urlEqualTo("/bucket/k")).withHeader(CONSISTENT, equalTo("true")));
            d.get("k", GetOptions.defaults(), true);
            verifyOne(getRequestedFor(urlEqualTo("/bucket/k")).withHeader(CONSISTENT, absent()));
            store.get("k", GetOptions.builder().ifMatch("e1").ifUnmodifiedSince(Instant.EPOCH)
                    .consistency(ReadConsistency.STRONG).build());
            verifyOne(getRequestedFor(urlEqualTo("/bucket/k")).withHeader("If-Match", equalTo("\"e1\""))
                    .withHeader("If-Unmodified-Since", absent()).withHeader(CONSISTENT, equalTo("true")));
            store.get("k", GetOptions.builder().ifNoneMatch("e0").ifModifiedSince(Instant.EPOCH).build());
            verifyOne(getRequestedFor(urlEqualTo("/bucket/k")).withHeader("If-None-Match", equalTo("\"e0\""))
                    .withHeader("If-Modified-Since", absent()).withHeader(CONSISTENT, absent()));
        }
    }

    @Test
    void readModifyWriteReadsAndWritesConsistently() {
        wire.stubFor(get(urlEqualTo("/bucket/k")).willReturn(object("e1")));
        wire.stubFor(put(urlEqualTo("/bucket/k")).willReturn(putOk("e2")));
        try (ObjectStore store = ObjectStore.of(tigris())) {
            store.update("k", current -> bytes("next"));
        }
        wire.verify(exactly(1), getRequestedFor(urlEqualTo("/bucket/k")).withHeader(CONSISTENT, equalTo("true")));
        wire.verify(exactly(1), putRequestedFor(urlEqualTo("/bucket/k")).withHeader("If-Match", equalTo("\"e1\""))
                .withHeader(CONSISTENT, equalTo("true")).withHeader("x-amz-meta-leasehold_w", matching("[0-9a-f]{16}")));
        assertEquals(2, requests());
    }

    // ------------------------------------------------------------------ deletes

    @Test
    void unconditionalDeleteHeadsThenDeletesWithIfMatchConsistently() {
        wire.stubFor(head(urlEqualTo("/bucket/k")).willReturn(object("e1")));
        wire.stubFor(delete(urlEqualTo("/bucket/k")).willReturn(aResponse().withStatus(204)));
        try (S3Driver d = tigris()) {
            d.delete("k", DeleteOptions.defaults());
        }
        wire.verify(exactly(1), headRequestedFor(urlEqualTo("/bucket/k")).withHeader(CONSISTENT, equalTo("true")));
        wire.verify(exactly(1), deleteRequestedFor(urlEqualTo("/bucket/k")).withHeader("If-Match", equalTo("\"e1\""))
                .withHeader(CONSISTENT, equalTo("true")));
        assertEquals(2, requests());
        wire.resetAll();
        wire.stubFor(head(urlEqualTo("/bucket/k")).willReturn(aResponse().withStatus(404)));
        try (S3Driver d = tigris()) {
            assertThrows(ObjectNotFoundException.class, () -> d.delete("k", DeleteOptions.defaults()));
        }
        wire.verify(exactly(0), deleteRequestedFor(urlEqualTo("/bucket/k")));
    }

    @Test
    void conditionalDeleteSendsIfMatchAndTellsMissingFromStale() {
        DeleteOptions ifMatch = DeleteOptions.ifMatch(ObjectVersion.of("e1"));
        wire.stubFor(delete(urlEqualTo("/bucket/k")).willReturn(aResponse().withStatus(204)));
        try (S3Driver d = tigris()) {
            d.delete("k", ifMatch);
            verifyOne(deleteRequestedFor(urlEqualTo("/bucket/k")).withHeader("If-Match", equalTo("\"e1\""))
                    .withHeader(CONSISTENT, equalTo("true")));
            wire.stubFor(delete(urlEqualTo("/bucket/k")).willReturn(error(412, "PreconditionFailed")));
            wire.stubFor(head(urlEqualTo("/bucket/k")).willReturn(object("e2")));
            assertThrows(PreconditionFailedException.class, () -> d.delete("k", ifMatch));
            wire.stubFor(head(urlEqualTo("/bucket/k")).willReturn(aResponse().withStatus(404)));
            assertThrows(ObjectNotFoundException.class, () -> d.delete("k", ifMatch));
        }
    }

    // ------------------------------------------------------------------ error mapping

    @Test
    void errorAnswersMapToPortableCodesAndAreSentOnce() {
        Object[][] cases = {
            {PutMode.create(), 412, "PreconditionFailed", ObjectAlreadyExistsException.class, ErrorCode.ALREADY_EXISTS},
            {PutMode.update(ObjectVersion.of("e1")), 412, "PreconditionFailed", PreconditionFailedException.class, ErrorCode.PRECONDITION_FAILED},
            {PutMode.replace(), 412, "PreconditionFailed", PreconditionFailedException.class, ErrorCode.PRECONDITION_FAILED},
            {PutMode.update(ObjectVersion.of("e1")), 404, "NoSuchKey", PreconditionFailedException.class, ErrorCode.PRECONDITION_FAILED},
            {PutMode.create(), 409, "ConditionalRequestConflict", TransientException.class, ErrorCode.CONFLICT},
            {PutMode.create(), 503, "SlowDown", TransientException.class, ErrorCode.THROTTLED},
            {PutMode.update(ObjectVersion.of("e1")), 500, "InternalError", OutcomeUnknownException.class, ErrorCode.OUTCOME_UNKNOWN},
            {PutMode.create(), 403, "AccessDenied", AccessDeniedException.class, ErrorCode.ACCESS_DENIED},
            {PutMode.update(ObjectVersion.of("e1")), 200, "PreconditionFailed", PreconditionFailedException.class, ErrorCode.PRECONDITION_FAILED},
        };
        try (S3Driver d = tigris()) {
            for (Object[] c : cases) {
                wire.resetAll();
                wire.stubFor(put(urlEqualTo("/bucket/k")).willReturn(error((Integer) c[1], (String) c[2])));
                ObjectStoreException e = assertThrows(ObjectStoreException.class,
                        () -> d.put("k", bytes("x"), PutOptions.of((PutMode) c[0])));
                String what = c[0] + " " + c[1] + " " + c[2];
                assertInstanceOf((Class<?>) c[3], e, what);
                assertEquals(c[4], e.code(), what);
                assertFalse(e.getMessage().contains(SECRET), what);
                assertEquals(1, requests(), what + ": sent once");
            }
        }
    }

    @Test
    void answersWithoutAnS3CodeLeaveWritesUnknownAndReadsTransient() {
        // What a proxy in front of Tigris answers, possibly after forwarding the write: no S3 error code.
        ResponseDefinitionBuilder[] answers = {
            aResponse().withStatus(503).withHeader("Content-Type", "text/plain").withBody("no healthy upstream"),
            aResponse().withStatus(502).withHeader("Content-Type", "text/html").withBody("<html><body>502 Bad Gateway</body></html>"),
            aResponse().withStatus(504),
            aResponse().withStatus(429).withBody("Too Many Requests"),
            aResponse().withStatus(409).withHeader("Content-Type", "text/plain").withBody("conflict"),
        };
        try (S3Driver d = tigris()) {
            for (ResponseDefinitionBuilder answer : answers) {
                for (PutMode mode : new PutMode[] {PutMode.create(), PutMode.update(ObjectVersion.of("e1")), PutMode.replace()}) {
                    wire.resetAll();
                    wire.stubFor(put(urlEqualTo("/bucket/k")).willReturn(answer));
                    ObjectStoreException e = assertThrows(ObjectStoreException.class,
                            () -> d.put("k", bytes("x"), PutOptions.of(mode)));
                    assertEquals(ErrorCode.OUTCOME_UNKNOWN, e.code(), mode + ": " + e);
                    assertEquals(1, requests(), mode + ": sent once");
                }
                wire.resetAll();
                wire.stubFor(get(urlEqualTo("/bucket/k")).willReturn(answer));
                assertEquals(ErrorCode.TRANSIENT, assertThrows(ObjectStoreException.class,
                        () -> d.get("k", GetOptions.defaults(), true)).code());
            }
        }
    }

    @Test
    void notModifiedOnADateConditionedPutIsAFailedCondition() {
        wire.stubFor(put(urlEqualTo("/bucket/k")).willReturn(aResponse().withStatus(304)));
        try (S3Driver d = tigris()) {
            assertThrows(PreconditionFailedException.class,
                    () -> d.put("k", bytes("x"), PutOptions.builder().ifModifiedSince(Instant.now()).build()));
        }
        assertEquals(1, requests());
    }

    @Test
    void faultsOnWritesAreOutcomeUnknownAndOnReadsTransient() {
        wire.stubFor(put(urlEqualTo("/bucket/k")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        wire.stubFor(get(urlEqualTo("/bucket/k")).willReturn(aResponse().withFault(Fault.EMPTY_RESPONSE)));
        try (ObjectStore store = ObjectStore.of(tigris())) {
            assertThrows(OutcomeUnknownException.class, () -> store.put("k", bytes("x"), PutOptions.of(PutMode.create())));
            wire.verify(exactly(1), putRequestedFor(urlEqualTo("/bucket/k")).withHeader(CONSISTENT, equalTo("true")));
            // one strong read settles it: the key is absent, which proves nothing for a create (it may
            // have landed and been deleted), so it stays unknown and is not re-sent
            wire.verify(exactly(1), headRequestedFor(urlEqualTo("/bucket/k")).withHeader(CONSISTENT, equalTo("true")));
            assertEquals(2, requests(), "a conditional write is never re-sent");
            wire.resetRequests();
            TransientException e = assertThrows(TransientException.class, () -> store.get("k"));
            assertEquals(ErrorCode.TRANSIENT, e.code());
            assertEquals(3, requests(), "reads are retried by the facade (3 attempts), not by the SDK");
        }
    }
}
