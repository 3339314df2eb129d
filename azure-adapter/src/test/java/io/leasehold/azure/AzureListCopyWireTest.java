package io.leasehold.azure;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.head;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.azure.storage.blob.BlobContainerClientBuilder;
import io.leasehold.core.Capability;
import io.leasehold.core.CopyOptions;
import io.leasehold.core.ListOptions;
import io.leasehold.core.ListPage;
import io.leasehold.core.NotSupportedException;
import io.leasehold.core.ObjectInfo;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.ObjectVersion;
import io.leasehold.core.OutcomeUnknownException;
import io.leasehold.core.PutMode;
import io.leasehold.core.PutOptions;
import io.leasehold.core.PutResult;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The exact Copy Blob From URL and List Blobs requests {@link AzureBlobDriver} sends, against
 * WireMock on loopback: the source named with a read-only SAS and pinned with
 * {@code x-ms-source-if-match}, the target's condition and metadata (with the copy's write id), the
 * SAS never in a failure's text, and listing names under a driver prefix.
 */
class AzureListCopyWireTest {
    private static final String CONTAINER = "wire";
    private static final String ROOT = "/" + AzureConnection.DEV_ACCOUNT + "/" + CONTAINER;
    private static final String SOURCE_ETAG = "\"0x8DC0FFEE00000A1\"";
    private static WireMockServer wm;

    @BeforeAll
    static void start() {
        wm = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        wm.start();
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

    private static ObjectStore store(String prefix) {
        return ObjectStore.of(AzureConnection.open(URI.create("azure://" + CONTAINER + prefix + "?endpoint=" + endpoint()
                + "&timeout=2s"), Map.of()));
    }

    private static ResponseDefinitionBuilder sourceProperties() {
        return aResponse().withStatus(200).withHeader("ETag", SOURCE_ETAG)
                .withHeader("Last-Modified", "Wed, 21 Oct 2026 07:28:00 GMT")
                .withHeader("Content-Length", "5").withHeader("Content-Type", "text/plain")
                .withHeader("x-ms-blob-type", "BlockBlob").withHeader("x-ms-meta-owner", "ann");
    }

    @Test
    void aCopyNamesItsSourceWithAReadOnlySasPinsItAndConditionsTheTarget() {
        wm.stubFor(head(urlPathEqualTo(ROOT + "/src")).willReturn(sourceProperties()));
        wm.stubFor(put(urlPathEqualTo(ROOT + "/dst")).willReturn(aResponse().withStatus(202)
                .withHeader("ETag", "\"0x8DC0FFEE00000D1\"").withHeader("Last-Modified", "Wed, 21 Oct 2026 07:28:01 GMT")
                .withHeader("x-ms-copy-status", "success").withHeader("x-ms-copy-id", "c1")));
        try (ObjectStore store = store("")) {
            assertTrue(store.capabilities().supports(Capability.SERVER_SIDE_COPY), "a Shared Key client can sign the SAS");
            PutResult result = store.copy("src", "dst", CopyOptions.of(PutMode.create()));
            assertEquals("0x8DC0FFEE00000D1", result.version().etag().value());
            wm.verify(1, putRequestedFor(urlPathEqualTo(ROOT + "/dst"))
                    .withHeader("x-ms-requires-sync", equalTo("true"))
                    .withHeader("x-ms-copy-source", matching("http://127\\.0\\.0\\.1:\\d+" + ROOT + "/src\\?.*"))
                    .withHeader("x-ms-copy-source", containing("sp=r&"))
                    .withHeader("x-ms-copy-source", containing("sig="))
                    .withHeader("x-ms-source-if-match", equalTo(SOURCE_ETAG))
                    .withHeader("If-None-Match", equalTo("*"))
                    .withHeader("If-Match", absent())
                    .withHeader("x-ms-meta-owner", equalTo("ann"))
                    .withHeader("x-ms-meta-leasehold_w", equalTo(result.writeId().orElseThrow()))
                    .withHeader("x-ms-meta-leasehold_h", equalTo("-")));
        }
    }

    @Test
    void aFailedCopyNeverShowsTheSasAndAnUnknownOutcomeIsNotSentAgain() {
        wm.stubFor(head(urlPathEqualTo(ROOT + "/src")).willReturn(sourceProperties()));
        wm.stubFor(put(urlPathEqualTo(ROOT + "/dst")).willReturn(aResponse().withStatus(500)
                .withHeader("x-ms-error-code", "InternalError")));
        wm.stubFor(head(urlPathEqualTo(ROOT + "/dst")).willReturn(aResponse().withStatus(404)
                .withHeader("x-ms-error-code", "BlobNotFound")));
        try (ObjectStore store = store("")) {
            OutcomeUnknownException e = assertThrows(OutcomeUnknownException.class,
                    () -> store.copy("src", "dst", CopyOptions.of(PutMode.create())));
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            LoggedRequest sent = wm.findAll(putRequestedFor(urlPathEqualTo(ROOT + "/dst"))).get(0);
            String source = sent.getHeader("x-ms-copy-source");
            String sig = source.substring(source.indexOf("sig=") + 4).split("&")[0];
            assertFalse(trace.toString().contains(sig), "the SAS signature appears nowhere in the failure");
            assertFalse(trace.toString().contains("sig="));
        }
        wm.verify(1, putRequestedFor(urlPathEqualTo(ROOT + "/dst")));
    }

    @Test
    void aSourceLargerThanOneCopyFromUrlIsRefusedBeforeSending() {
        try (AzureBlobDriver driver = AzureConnection.open(URI.create("azure://" + CONTAINER + "?endpoint=" + endpoint()),
                Map.of())) {
            assertThrows(NotSupportedException.class, () -> driver.copy("src", ObjectVersion.of("e"),
                    AzureBlobDriver.MAX_SYNC_COPY_BYTES + 1, "dst", PutOptions.defaults()));
        }
        assertEquals(0, wm.getAllServeEvents().size());
    }

    @Test
    void aSasTokenClientCannotSignACopySourceSoItCopiesThroughTheClient() {
        AzureBlobDriver driver = AzureBlobDriver.of(new BlobContainerClientBuilder().endpoint(endpoint() + "/" + CONTAINER)
                .sasToken("sv=2024-08-04&ss=b&srt=co&sp=rwdl&se=2099-01-01T00:00:00Z&sig=c2ln").buildClient());
        assertFalse(driver.capabilities().supports(Capability.SERVER_SIDE_COPY));
        assertTrue(driver.capabilities().supports(Capability.LIST));
    }

    @Test
    void aListingUnderADriverPrefixReturnsNamesAsCallersNameThem() {
        wm.stubFor(get(urlPathEqualTo(ROOT)).withQueryParam("comp", equalTo("list"))
                .withQueryParam("prefix", equalTo("app/docs/")).withQueryParam("delimiter", equalTo("/"))
                .withQueryParam("maxresults", equalTo("2")).withQueryParam("marker", absent())
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/xml").withBody(
                        "<?xml version=\"1.0\" encoding=\"utf-8\"?><EnumerationResults ContainerName=\"wire\">"
                                + "<Prefix>app/docs/</Prefix><MaxResults>2</MaxResults><Delimiter>/</Delimiter><Blobs>"
                                + "<Blob><Name>app/docs/a</Name><Properties><Last-Modified>Wed, 21 Oct 2026 07:28:00 GMT"
                                + "</Last-Modified><Etag>0x8DC0FFEE0000AAA</Etag><Content-Length>3</Content-Length>"
                                + "<BlobType>BlockBlob</BlobType></Properties></Blob>"
                                + "<BlobPrefix><Name>app/docs/sub/</Name></BlobPrefix>"
                                + "</Blobs><NextMarker>marker-2</NextMarker></EnumerationResults>")));
        wm.stubFor(get(urlPathEqualTo(ROOT)).withQueryParam("comp", equalTo("list"))
                .withQueryParam("marker", equalTo("marker-2"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/xml").withBody(
                        "<?xml version=\"1.0\" encoding=\"utf-8\"?><EnumerationResults ContainerName=\"wire\"><Blobs>"
                                + "<Blob><Name>app/docs/zeta</Name><Properties><Last-Modified>Wed, 21 Oct 2026 07:28:02 GMT"
                                + "</Last-Modified><Etag>0x8DC0FFEE0000BBB</Etag><Content-Length>4</Content-Length>"
                                + "<BlobType>BlockBlob</BlobType></Properties></Blob></Blobs><NextMarker/></EnumerationResults>")));
        try (ObjectStore store = store("/app")) {
            ListPage first = store.listPage("docs/", ListOptions.builder().pageSize(2).delimiter("/").build());
            assertEquals(List.of("docs/a"), first.objects().stream().map(ObjectInfo::key).collect(Collectors.toList()));
            assertEquals("0x8DC0FFEE0000AAA", first.objects().get(0).version().etag().value());
            assertEquals(3, first.objects().get(0).size());
            assertEquals(List.of("docs/sub/"), first.commonPrefixes());
            assertEquals("marker-2", first.continuationToken().orElseThrow());
            ListPage second = store.listPage("docs/", ListOptions.builder().pageSize(2).delimiter("/")
                    .continuationToken("marker-2").build());
            assertEquals("docs/zeta", second.objects().get(0).key());
            assertFalse(second.hasMore());
        }
        // (The JDK HTTP client may repeat an idempotent GET once on a connection WireMock closed: not counted.)
        wm.verify(1, getRequestedFor(urlPathEqualTo(ROOT)).withQueryParam("marker", equalTo("marker-2")));
    }
}
