package io.leasehold.azure;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.extension.ResponseTransformerV2;
import com.github.tomakehurst.wiremock.http.Response;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.github.resilience4j.retry.Retry;
import io.leasehold.core.Conflicts;
import io.leasehold.core.ErrorCode;
import io.leasehold.spi.RequestKind;
import java.net.URI;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The drop-in for raw SDK code ({@link AzureConflicts}) against Azurite, with faults injected by a
 * WireMock proxy in front of it: a 503 ServerBusy on an If-Match upload is not re-sent blindly (Azure
 * never says such a request was not applied), a read shows that it did not land; an upload whose
 * response is lost after it landed is never re-sent; raw exceptions classify through {@link Conflicts}.
 */
@ExtendWith(AzuriteExtension.class)
class AzureRawRetryTest {
    private WireMockServer proxy;
    private BlobContainerClient direct;
    private BlobContainerClient viaProxy;
    private final String container = "raw-" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    private final String blob = "config.json";
    private String origin;

    /** Replaces a proxied answer by 500 InternalError: the request reached Azurite and was applied. */
    static final class LoseResponse implements ResponseTransformerV2 {
        @Override
        public Response transform(Response response, ServeEvent event) {
            return Response.response().status(500).headers(new com.github.tomakehurst.wiremock.http.HttpHeaders(
                    new com.github.tomakehurst.wiremock.http.HttpHeader("x-ms-error-code", "InternalError"))).body("").build();
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public String getName() {
            return "lose-response";
        }
    }

    @BeforeEach
    void start() {
        URI azurite = URI.create(AzuriteExtension.endpoint());
        origin = azurite.getScheme() + "://" + azurite.getAuthority();
        proxy = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort().extensions(new LoseResponse()));
        proxy.start();
        proxy.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().proxiedFrom(origin)));
        direct = client(AzuriteExtension.endpoint());
        direct.create();
        // The caller's client as most code has it (SDK retries on), made single-attempt for mutations.
        viaProxy = AzureConflicts.withoutSdkRetries(client("http://127.0.0.1:" + proxy.port() + azurite.getPath()));
    }

    private BlobContainerClient client(String endpoint) {
        return new BlobServiceClientBuilder().endpoint(endpoint)
                .credential(new StorageSharedKeyCredential(AzureConnection.DEV_ACCOUNT, AzureConnection.DEV_ACCOUNT_KEY))
                .buildClient().getBlobContainerClient(container);
    }

    @AfterEach
    void stop() {
        direct.delete();
        proxy.stop();
    }

    private String path() {
        return "/" + AzureConnection.DEV_ACCOUNT + "/" + container + "/" + blob;
    }

    private String seed(String content) {
        return direct.getBlobClient(blob).getBlockBlobClient().upload(BinaryData.fromString(content), true).getETag();
    }

    private String stored() {
        return direct.getBlobClient(blob).downloadContent().toString();
    }

    private void conditionalUpload(BlobContainerClient client, String etag, String content) {
        client.getBlobClient(blob).getBlockBlobClient().uploadWithResponse(
                new BlockBlobSimpleUploadOptions(BinaryData.fromString(content))
                        .setRequestConditions(new BlobRequestConditions().setIfMatch(etag)), null, Context.NONE);
    }

    @Test
    void aServerBusyUploadIsNotResentBlindlyAndAReadShowsWhetherToSendItAgain() {
        String etag = seed("v1");
        proxy.stubFor(put(urlPathEqualTo(path())).inScenario("busy").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503).withHeader("x-ms-error-code", "ServerBusy"))
                .willSetStateTo("served"));

        // Azure never says a ServerBusy mutation was not applied: the drop-in does not re-send it.
        Retry retry = Retry.of("save", AzureConflicts.mutationRetryConfig());
        BlobStorageException busy = assertThrows(BlobStorageException.class,
                () -> retry.executeRunnable(() -> conditionalUpload(viaProxy, etag, "v2")));
        proxy.verify(1, putRequestedFor(urlPathEqualTo(path())));
        assertEquals(ErrorCode.OUTCOME_UNKNOWN, AzureConflicts.codeOf(busy, RequestKind.WRITE));
        assertEquals(ErrorCode.THROTTLED, AzureConflicts.codeOf(busy, RequestKind.READ), "the same answer to a read");

        // The blob still has the ETag the upload was conditioned on: it did not land, send it again.
        String current = Retry.of("load", AzureConflicts.readRetryConfig()).executeSupplier(() ->
                viaProxy.getBlobClient(blob).getProperties().getETag());
        assertEquals(etag, current);
        conditionalUpload(viaProxy, etag, "v2");
        assertEquals("v2", stored());
        proxy.verify(2, putRequestedFor(urlPathEqualTo(path())));
    }

    @Test
    void anUploadWhoseResponseIsLostIsNeverResent() {
        String etag = seed("v1");
        proxy.stubFor(put(urlPathEqualTo(path())).willReturn(aResponse().proxiedFrom(origin)
                .withTransformers("lose-response")));

        Retry retry = Retry.of("save", AzureConflicts.mutationRetryConfig());
        BlobStorageException lost = assertThrows(BlobStorageException.class,
                () -> retry.executeRunnable(() -> conditionalUpload(viaProxy, etag, "v2")));

        proxy.verify(1, putRequestedFor(urlPathEqualTo(path())));
        assertEquals("v2", stored(), "the upload landed although its answer was a 500");
        assertEquals(ErrorCode.OUTCOME_UNKNOWN, AzureConflicts.codeOf(lost, RequestKind.WRITE));
        assertEquals(ErrorCode.TRANSIENT, AzureConflicts.codeOf(lost, RequestKind.READ), "the same answer to a read");
        assertFalse(Conflicts.isRetryable(lost));
    }

    @Test
    void rawExceptionsFromAzuriteClassify() {
        seed("v1");
        BlobStorageException stale = assertThrows(BlobStorageException.class,
                () -> conditionalUpload(direct, "\"0x8D000000000000\"", "v2"));
        assertTrue(Conflicts.isLostRace(stale));
        assertEquals(ErrorCode.PRECONDITION_FAILED, Conflicts.codeOf(stale));
        BlobStorageException exists = assertThrows(BlobStorageException.class, () -> direct.getBlobClient(blob)
                .getBlockBlobClient().uploadWithResponse(new BlockBlobSimpleUploadOptions(BinaryData.fromString("x"))
                        .setRequestConditions(new BlobRequestConditions().setIfNoneMatch("*")), null, Context.NONE));
        assertTrue(Conflicts.isLostRace(exists));
        assertEquals("v1", stored());
    }
}
