package io.leasehold.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The drop-in for raw SDK code ({@link S3Conflicts}) against Ceph RGW, with faults injected by a
 * WireMock proxy in front of it: a throttled conditional put is retried and lands once; a conditional
 * put whose response is lost after it landed is never re-sent (where the SDK's default retries re-send
 * it and report a 412 against the caller's own write); raw exceptions classify through {@link Conflicts}.
 */
@ExtendWith(CephRgw.class)
class S3RawRetryTest {
    private WireMockServer proxy;
    private S3Client direct;
    private S3Client viaProxy;
    private S3Client viaProxyWithSdkRetries;
    private final String key = "raw-retry/" + UUID.randomUUID();
    private URI rgwEndpoint;

    /** Replaces a proxied answer by 500 InternalError: the request reached RGW and was applied. */
    static final class LoseResponse implements ResponseTransformerV2 {
        @Override
        public Response transform(Response response, ServeEvent event) {
            return Response.response().status(500)
                    .body("<Error><Code>InternalError</Code><Message>injected</Message></Error>").build();
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
    void start(CephRgw rgw) {
        // Keep the client's Host header, which the request signature covers.
        proxy = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort().preserveHostHeader(true)
                .extensions(new LoseResponse()));
        proxy.start();
        rgwEndpoint = rgw.endpoint();
        proxy.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().proxiedFrom(rgw.endpoint().toString())));
        direct = client(rgw, rgw.endpoint(), false);
        viaProxy = client(rgw, URI.create("http://127.0.0.1:" + proxy.port()), false);
        viaProxyWithSdkRetries = client(rgw, URI.create("http://127.0.0.1:" + proxy.port()), true);
    }

    private static S3Client client(CephRgw rgw, URI endpoint, boolean sdkRetries) {
        var b = S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(rgw.credentials())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        if (sdkRetries) {
            b.overrideConfiguration(o -> o.retryStrategy(software.amazon.awssdk.core.retry.RetryMode.STANDARD));
        }
        return b.build();
    }

    @AfterEach
    void stop() {
        direct.close();
        viaProxy.close();
        viaProxyWithSdkRetries.close();
        proxy.stop();
    }

    private String path() {
        return "/" + CephRgw.BUCKET + "/" + key;
    }

    /** The RGW ETag as If-Match wants it there (unquoted: RGW refuses the quoted form). */
    private String seed(String content) {
        return direct.putObject(b -> b.bucket(CephRgw.BUCKET).key(key), RequestBody.fromString(content))
                .eTag().replace("\"", "");
    }

    private String stored() {
        return direct.getObjectAsBytes(b -> b.bucket(CephRgw.BUCKET).key(key)).asUtf8String();
    }

    private void conditionalPut(S3Client client, String etag, String content) {
        client.putObject(b -> b.bucket(CephRgw.BUCKET).key(key).ifMatch(etag)
                .overrideConfiguration(o -> o.addPlugin(S3Conflicts.singleAttempt())), RequestBody.fromString(content));
    }

    @Test
    void aThrottledConditionalPutIsRetriedAndLandsOnce() {
        String etag = seed("v1");
        proxy.stubFor(put(urlEqualTo(path())).inScenario("slow").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503).withBody("<Error><Code>SlowDown</Code></Error>"))
                .willSetStateTo("served"));

        Retry retry = Retry.of("save", S3Conflicts.mutationRetryConfig());
        retry.executeRunnable(() -> conditionalPut(viaProxy, etag, "v2"));

        assertEquals("v2", stored());
        proxy.verify(2, putRequestedFor(urlEqualTo(path())));
        assertEquals(1, retry.getMetrics().getNumberOfSuccessfulCallsWithRetryAttempt());
    }

    @Test
    void aConditionalPutWhoseResponseIsLostIsNeverResent() {
        String etag = seed("v1");
        proxy.stubFor(put(urlEqualTo(path())).willReturn(aResponse().proxiedFrom(rgwUrl())
                .withTransformers("lose-response")));

        Retry retry = Retry.of("save", S3Conflicts.mutationRetryConfig());
        S3Exception lost = assertThrows(S3Exception.class, () -> retry.executeRunnable(() -> conditionalPut(viaProxy, etag, "v2")));

        proxy.verify(1, putRequestedFor(urlEqualTo(path())));
        assertEquals("v2", stored(), "the write landed although its answer was a 500");
        assertEquals(ErrorCode.OUTCOME_UNKNOWN, S3Conflicts.codeOf(lost, RequestKind.WRITE));
        assertFalse(Conflicts.isRetryable(lost), "registered classifier: a 5xx on a mutation is not retryable");
        assertFalse(Conflicts.isLostRace(lost));
    }

    @Test
    void withTheSdksDefaultRetriesTheSameFaultBecomesA412AgainstYourOwnWrite() {
        String etag = seed("v1");
        proxy.stubFor(put(urlEqualTo(path())).inScenario("lost").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().proxiedFrom(rgwUrl()).withTransformers("lose-response"))
                .willSetStateTo("landed"));

        // The "before" of the README: the SDK re-sends the If-Match put after the 500.
        S3Exception e = assertThrows(S3Exception.class, () -> viaProxyWithSdkRetries.putObject(
                b -> b.bucket(CephRgw.BUCKET).key(key).ifMatch(etag), RequestBody.fromString("v2")));

        assertEquals(412, e.statusCode());
        assertTrue(Conflicts.isLostRace(e), "it looks like a lost race, but the write that won is the caller's own");
        assertEquals("v2", stored());
        proxy.verify(2, putRequestedFor(urlEqualTo(path())));
    }

    @Test
    void readsRetryServerErrors() {
        seed("v1");
        proxy.stubFor(get(urlEqualTo(path())).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(500).withBody("<Error><Code>InternalError</Code></Error>"))
                .willSetStateTo("served"));

        String read = Retry.of("load", S3Conflicts.readRetryConfig()).executeSupplier(() ->
                viaProxy.getObjectAsBytes(b -> b.bucket(CephRgw.BUCKET).key(key)
                        .overrideConfiguration(o -> o.addPlugin(S3Conflicts.singleAttempt()))).asUtf8String());

        assertEquals("v1", read);
        proxy.verify(2, getRequestedFor(urlEqualTo(path())));
    }

    @Test
    void rawExceptionsFromTheRealServerClassify() {
        seed("v1");
        S3Exception stale = assertThrows(S3Exception.class, () -> conditionalPut(direct, "0123456789abcdef", "v2"));
        assertTrue(Conflicts.isLostRace(stale));
        assertEquals(ErrorCode.PRECONDITION_FAILED, Conflicts.codeOf(stale));
        S3Exception missing = assertThrows(S3Exception.class, () -> direct.getObjectAsBytes(b -> b.bucket(CephRgw.BUCKET)
                .key(key + "-missing")));
        assertEquals(ErrorCode.NOT_FOUND, S3Conflicts.codeOf(missing, RequestKind.READ));
        assertEquals("v1", stored());
    }

    private String rgwUrl() {
        return rgwEndpoint.toString();
    }
}
