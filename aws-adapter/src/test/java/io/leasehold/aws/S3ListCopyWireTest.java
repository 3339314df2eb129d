package io.leasehold.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.head;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
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
import io.leasehold.core.Capability;
import io.leasehold.core.CopyOptions;
import io.leasehold.core.ETag;
import io.leasehold.core.InvalidArgumentException;
import io.leasehold.core.ListOptions;
import io.leasehold.core.ListPage;
import io.leasehold.core.NotSupportedException;
import io.leasehold.core.ObjectAlreadyExistsException;
import io.leasehold.core.ObjectInfo;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.ObjectVersion;
import io.leasehold.core.OutcomeUnknownException;
import io.leasehold.core.PreconditionFailedException;
import io.leasehold.core.PutMode;
import io.leasehold.core.PutOptions;
import io.leasehold.core.PutResult;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The exact CopyObject and ListObjectsV2 requests {@link S3Driver} sends and how it reads their
 * answers, against WireMock on loopback (AWS itself is not reachable from the tests): the headers
 * that pin the source and condition the target, the metadata that carries the copy's write id, how a
 * 412 is attributed, and the keys of a listing under a driver prefix.
 */
class S3ListCopyWireTest {
    private static final String BUCKET = "bucket";
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

    private static S3Driver.Builder driver(S3Profile profile) {
        return S3Driver.builder().bucket(BUCKET).profile(profile).endpoint(URI.create("http://127.0.0.1:" + wire.port()))
                .pathStyle(true).credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("AKIDWIRETEST", "wire-test-secret")));
    }

    private static ResponseDefinitionBuilder head200(String etag) {
        return aResponse().withStatus(200).withHeader("ETag", "\"" + etag + "\"")
                .withHeader("Last-Modified", "Wed, 21 Oct 2026 07:28:00 GMT")
                .withHeader("Content-Length", "5")
                .withHeader("Content-Type", "text/plain")
                .withHeader("x-amz-meta-owner", "ann")
                .withHeader("x-amz-meta-leasehold_w", "00000000000000aa");
    }

    private static ResponseDefinitionBuilder copied(String etag) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/xml")
                .withBody("<?xml version=\"1.0\" encoding=\"UTF-8\"?><CopyObjectResult><ETag>&quot;" + etag
                        + "&quot;</ETag><LastModified>2026-10-21T07:28:01.000Z</LastModified></CopyObjectResult>");
    }

    private static ResponseDefinitionBuilder s3Error(int status, String code) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/xml")
                .withBody("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>"
                        + code + "</Message><RequestId>R</RequestId></Error>");
    }

    @Test
    void theAwsProfileCopiesServerSidePinnedToTheSourceWithTheTargetsConditionAndItsOwnWriteId() {
        wire.stubFor(head(urlEqualTo("/bucket/src")).willReturn(head200("s1")));
        wire.stubFor(put(urlEqualTo("/bucket/dst")).willReturn(copied("d1")));
        try (ObjectStore store = ObjectStore.of(driver(S3Profile.AWS).build())) {
            PutResult result = store.copy("src", "dst", CopyOptions.of(PutMode.create()));
            assertEquals("d1", result.version().etag().value());
            assertTrue(result.writeId().isPresent());
            wire.verify(exactly(1), putRequestedFor(urlEqualTo("/bucket/dst"))
                    .withHeader("x-amz-copy-source", equalTo("bucket/src"))
                    .withHeader("x-amz-copy-source-if-match", equalTo("\"s1\""))
                    .withHeader("If-None-Match", equalTo("*"))
                    .withHeader("If-Match", absent())
                    .withHeader("x-amz-metadata-directive", equalTo("REPLACE"))
                    .withHeader("Content-Type", equalTo("text/plain"))
                    .withHeader("x-amz-meta-owner", equalTo("ann"))
                    .withHeader("x-amz-meta-leasehold_w", equalTo(result.writeId().get()))
                    .withHeader("x-amz-meta-leasehold_h", equalTo("-")));
        }
        assertEquals(2, wire.countRequestsMatching(anyRequestedFor(anyUrl()).build()).getCount(), "HEAD, then CopyObject");
    }

    @Test
    void anUpdateCopySendsIfMatchOnTheTarget() {
        wire.stubFor(head(urlEqualTo("/bucket/src")).willReturn(head200("s1")));
        wire.stubFor(put(urlEqualTo("/bucket/dst")).willReturn(copied("d2")));
        try (ObjectStore store = ObjectStore.of(driver(S3Profile.AWS).build())) {
            store.copy("src", "dst", CopyOptions.of(PutMode.update(ObjectVersion.of("d1"))));
        }
        wire.verify(exactly(1), putRequestedFor(urlEqualTo("/bucket/dst"))
                .withHeader("If-Match", equalTo("\"d1\""))
                .withHeader("If-None-Match", absent())
                .withHeader("x-amz-copy-source-if-match", equalTo("\"s1\"")));
    }

    @Test
    void a412WithTheSourceUnchangedIsTheTargetsAndOneWithTheSourceReplacedIsTheSourcesLostRace() {
        wire.stubFor(head(urlEqualTo("/bucket/src")).willReturn(head200("s1")));
        wire.stubFor(put(urlEqualTo("/bucket/dst")).willReturn(s3Error(412, "PreconditionFailed")));
        try (ObjectStore store = ObjectStore.of(driver(S3Profile.AWS).build())) {
            ObjectAlreadyExistsException exists = assertThrows(ObjectAlreadyExistsException.class,
                    () -> store.copy("src", "dst", CopyOptions.of(PutMode.create())));
            assertEquals("dst", exists.key().orElseThrow());
        }
        wire.verify(exactly(1), putRequestedFor(urlEqualTo("/bucket/dst")));

        wire.resetAll();
        wire.stubFor(head(urlEqualTo("/bucket/src")).inScenario("src").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(head200("s1")).willSetStateTo("replaced"));
        wire.stubFor(head(urlEqualTo("/bucket/src")).inScenario("src").whenScenarioStateIs("replaced")
                .willReturn(head200("s2")));
        wire.stubFor(put(urlEqualTo("/bucket/dst")).willReturn(s3Error(412, "PreconditionFailed")));
        try (ObjectStore store = ObjectStore.of(driver(S3Profile.AWS).build())) {
            PreconditionFailedException stale = assertThrows(PreconditionFailedException.class, () -> store.copy("src",
                    "dst", CopyOptions.builder().mode(PutMode.create()).sourceIfMatch(ETag.strong("s1")).build()));
            assertEquals("src", stale.key().orElseThrow(), "the source was replaced: its condition failed");
        }
        wire.verify(exactly(1), putRequestedFor(urlEqualTo("/bucket/dst")));
    }

    @Test
    void aCopyAnswered200WithAnErrorBodyIsAnUnknownOutcomeThatIsNotSentAgain() {
        wire.stubFor(head(urlEqualTo("/bucket/src")).willReturn(head200("s1")));
        wire.stubFor(put(urlEqualTo("/bucket/dst")).willReturn(s3Error(200, "InternalError")));
        wire.stubFor(head(urlEqualTo("/bucket/dst")).willReturn(aResponse().withStatus(404)));
        try (ObjectStore store = ObjectStore.of(driver(S3Profile.AWS).build())) {
            assertThrows(OutcomeUnknownException.class, () -> store.copy("src", "dst", CopyOptions.of(PutMode.create())));
        }
        wire.verify(exactly(1), putRequestedFor(urlEqualTo("/bucket/dst")));
    }

    @Test
    void aSourceOverFiveGibibytesIsRefusedBeforeSending() {
        try (S3Driver driver = driver(S3Profile.AWS).build()) {
            assertThrows(NotSupportedException.class, () -> driver.copy("src", ObjectVersion.of("s1"), (5L << 30) + 1,
                    "dst", PutOptions.defaults()));
        }
        assertEquals(0, wire.countRequestsMatching(anyRequestedFor(anyUrl()).build()).getCount());
    }

    @Test
    void onCephRgwAConditionalCopyIsAPinnedReadAndAConditionalPutNeverACopyObject() {
        assertFalse(S3Profile.CEPH_RGW.capabilities(false).supports(Capability.SERVER_SIDE_COPY));
        assertFalse(S3Profile.S3_COMPATIBLE.capabilities(false).supports(Capability.SERVER_SIDE_COPY));
        assertTrue(S3Profile.CEPH_RGW.capabilities(false).supports(Capability.LIST));
        wire.stubFor(get(urlEqualTo("/bucket/src")).willReturn(head200("s1").withBody("hello")));
        wire.stubFor(put(urlEqualTo("/bucket/dst")).willReturn(aResponse().withStatus(200).withHeader("ETag", "\"d1\"")));
        try (ObjectStore store = ObjectStore.of(driver(S3Profile.CEPH_RGW).build())) {
            store.copy("src", "dst", CopyOptions.of(PutMode.create()));
        }
        wire.verify(exactly(1), putRequestedFor(urlEqualTo("/bucket/dst"))
                .withHeader("If-None-Match", equalTo("*"))
                .withHeader("x-amz-copy-source", absent())
                .withHeader("Content-Type", equalTo("text/plain"))
                .withHeader("x-amz-meta-owner", equalTo("ann")));
    }

    @Test
    void aListingUnderADriverPrefixReturnsKeysAsCallersNameThemAndPassesTheTokenOn() {
        wire.stubFor(get(urlPathEqualTo("/bucket")).withQueryParam("list-type", equalTo("2"))
                .withQueryParam("prefix", equalTo("app/docs/")).withQueryParam("max-keys", equalTo("2"))
                .withQueryParam("delimiter", equalTo("/"))
                .withQueryParam("continuation-token", absent())
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/xml").withBody(
                        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListBucketResult><Name>bucket</Name>"
                                + "<Prefix>app/docs/</Prefix><KeyCount>2</KeyCount><MaxKeys>2</MaxKeys>"
                                + "<Delimiter>/</Delimiter><IsTruncated>true</IsTruncated>"
                                + "<NextContinuationToken>opaque+token/1</NextContinuationToken>"
                                + "<Contents><Key>app/docs/a</Key><LastModified>2026-10-21T07:28:00.000Z</LastModified>"
                                + "<ETag>&quot;e-a&quot;</ETag><Size>3</Size><StorageClass>STANDARD</StorageClass></Contents>"
                                + "<CommonPrefixes><Prefix>app/docs/sub/</Prefix></CommonPrefixes>"
                                + "</ListBucketResult>")));
        wire.stubFor(get(urlPathEqualTo("/bucket")).withQueryParam("list-type", equalTo("2"))
                .withQueryParam("continuation-token", equalTo("opaque+token/1"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/xml").withBody(
                        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListBucketResult><Name>bucket</Name>"
                                + "<IsTruncated>false</IsTruncated>"
                                + "<Contents><Key>app/docs/zeta</Key><LastModified>2026-10-21T07:28:02.000Z</LastModified>"
                                + "<ETag>&quot;e-b&quot;</ETag><Size>4</Size></Contents></ListBucketResult>")));
        try (ObjectStore store = ObjectStore.of(driver(S3Profile.AWS).prefix("app").build())) {
            ListPage first = store.listPage("docs/", ListOptions.builder().pageSize(2).delimiter("/").build());
            assertEquals(List.of("docs/a"), first.objects().stream().map(ObjectInfo::key).collect(Collectors.toList()));
            ObjectInfo a = first.objects().get(0);
            assertEquals("e-a", a.version().etag().value());
            assertEquals(3, a.size());
            assertEquals(Instant.parse("2026-10-21T07:28:00Z"), a.lastModified());
            assertEquals(List.of("docs/sub/"), first.commonPrefixes());
            assertTrue(first.hasMore());
            ListPage second = store.listPage("docs/", ListOptions.builder().pageSize(2).delimiter("/")
                    .continuationToken(first.continuationToken().get()).build());
            assertEquals("docs/zeta", second.objects().get(0).key());
            assertFalse(second.hasMore());
        }
        wire.verify(exactly(2), getRequestedFor(urlPathEqualTo("/bucket")));
    }

    @Test
    void aTokenNotIssuedByTheDriverIsRefusedBeforeSendingAndOneTheServerRefusesIsAnInvalidArgumentToo() {
        try (ObjectStore store = ObjectStore.of(driver(S3Profile.AWS).build())) {
            InvalidArgumentException forged = assertThrows(InvalidArgumentException.class,
                    () -> store.listPage("", ListOptions.builder().continuationToken("forged").build()));
            assertEquals("continuationToken", forged.field());
            assertEquals(0, wire.countRequestsMatching(anyRequestedFor(anyUrl()).build()).getCount());

            wire.stubFor(get(urlPathEqualTo("/bucket")).withQueryParam("continuation-token", absent())
                    .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/xml").withBody(
                            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListBucketResult><IsTruncated>true</IsTruncated>"
                                    + "<NextContinuationToken>expired</NextContinuationToken><Contents><Key>a</Key>"
                                    + "<ETag>&quot;e&quot;</ETag><Size>1</Size></Contents></ListBucketResult>")));
            wire.stubFor(get(urlPathEqualTo("/bucket")).withQueryParam("continuation-token", equalTo("expired"))
                    .willReturn(s3Error(400, "InvalidArgument")));
            ListPage first = store.listPage("", ListOptions.defaults());
            InvalidArgumentException refused = assertThrows(InvalidArgumentException.class, () -> store.listPage("",
                    ListOptions.builder().continuationToken(first.continuationToken().orElseThrow()).build()));
            assertEquals("continuationToken", refused.field());
        }
        wire.verify(exactly(1), getRequestedFor(urlPathEqualTo("/bucket")).withQueryParam("continuation-token",
                matching("expired")));
    }

    @Test
    void aServerThatRepeatsCommonPrefixesAndOverfillsPagesStillYieldsPagesWithinTheContract() {
        // S3Mock 5.2 with a delimiter: every page holds max-keys objects plus all common prefixes after them.
        String body1 = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListBucketResult><IsTruncated>true</IsTruncated>"
                + "<NextContinuationToken>after-y</NextContinuationToken>"
                + "<Contents><Key>y</Key><ETag>&quot;e-y&quot;</ETag><Size>1</Size></Contents>"
                + "<CommonPrefixes><Prefix>x/</Prefix></CommonPrefixes><CommonPrefixes><Prefix>z/</Prefix></CommonPrefixes>"
                + "</ListBucketResult>";
        String body2 = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListBucketResult><IsTruncated>false</IsTruncated>"
                + "<Contents><Key>zz</Key><ETag>&quot;e-zz&quot;</ETag><Size>1</Size></Contents>"
                + "<CommonPrefixes><Prefix>z/</Prefix></CommonPrefixes></ListBucketResult>";
        wire.stubFor(get(urlPathEqualTo("/bucket")).withQueryParam("continuation-token", absent())
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/xml").withBody(body1)));
        wire.stubFor(get(urlPathEqualTo("/bucket")).withQueryParam("continuation-token", equalTo("after-y"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/xml").withBody(body2)));
        List<String> seen = new java.util.ArrayList<>();
        try (ObjectStore store = ObjectStore.of(driver(S3Profile.AWS).build())) {
            String token = null;
            do {
                ListPage page = store.listPage("", ListOptions.builder().pageSize(1).delimiter("/")
                        .continuationToken(token).build());
                assertTrue(page.objects().size() + page.commonPrefixes().size() <= 1, page.toString());
                page.commonPrefixes().forEach(seen::add);
                page.objects().forEach(o -> seen.add(o.key()));
                token = page.continuationToken().orElse(null);
            } while (token != null);
        }
        assertEquals(List.of("x/", "y", "z/", "zz"), seen);
    }
}
