package io.leasehold.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.leasehold.core.DeleteOptions;
import io.leasehold.core.GetOptions;
import io.leasehold.core.ObjectVersion;
import io.leasehold.core.OutcomeUnknownException;
import io.leasehold.core.PreconditionFailedException;
import io.leasehold.core.PutMode;
import io.leasehold.core.PutOptions;
import io.leasehold.core.TransientException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * A caller's client prepared with {@link S3Driver#configureClient} needs no per-request plugin, and
 * still never re-sends a driver request and still turns a 200 with an error body into the error; an
 * unprepared client keeps the plugin. Also the 200-with-error-body parser itself.
 */
class S3ConfiguredClientTest {
    private static WireMockServer wire;

    @BeforeAll
    static void start() {
        wire = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        wire.start();
    }

    @AfterAll
    static void stop() {
        wire.stop();
    }

    @BeforeEach
    void reset() {
        wire.resetAll();
    }

    private static S3ClientBuilder builder() {
        return S3Client.builder().endpointOverride(URI.create("http://127.0.0.1:" + wire.port())).region(Region.US_EAST_1)
                .forcePathStyle(true).credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("AKIDCONFIGURED", "configured-client-secret")));
    }

    private static int requests() {
        return wire.findAll(anyRequestedFor(anyUrl())).size();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aPreparedClientCarriesNoPluginAndAnUnpreparedOneDoes() {
        for (S3Profile profile : new S3Profile[] {S3Profile.AWS, S3Profile.CEPH_RGW, S3Profile.S3_COMPATIBLE}) {
            try (S3Client prepared = S3Driver.configureClient(builder(), profile).build();
                 S3Client plain = builder().build();
                 S3Client preparedForAnother = S3Driver.configureClient(builder(), S3Profile.AWS).build()) {
                assertFalse(S3Driver.builder().client(prepared).bucket("bucket").profile(profile).build().usesPerRequestPlugin(),
                        profile.name());
                assertTrue(S3Driver.builder().client(plain).bucket("bucket").profile(profile).build().usesPerRequestPlugin(),
                        profile.name());
                // prepared for AWS (chunked signing, default checksums): not enough for RGW's profile
                assertEquals(profile != S3Profile.AWS, S3Driver.builder().client(preparedForAnother).bucket("bucket")
                        .profile(profile).build().usesPerRequestPlugin(), profile.name());
            }
        }
    }

    @Test
    void retriesAddedBackAfterPreparingBringThePluginBack() {
        S3ClientBuilder b = S3Driver.configureClient(builder(), S3Profile.AWS);
        b.overrideConfiguration(b.overrideConfiguration().toBuilder().retryStrategy(RetryMode.STANDARD).build());
        try (S3Client client = b.build()) {
            assertTrue(S3Driver.builder().client(client).bucket("bucket").build().usesPerRequestPlugin());
        }
    }

    @Test
    void aPreparedClientSendsEachDriverRequestOnce() {
        wire.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(500).withHeader("Content-Type", "application/xml")
                .withBody("<Error><Code>InternalError</Code><Message>x</Message></Error>")));
        try (S3Client client = S3Driver.configureClient(builder(), S3Profile.AWS).build()) {
            S3Driver d = S3Driver.builder().client(client).bucket("bucket").build();
            assertThrows(OutcomeUnknownException.class,
                    () -> d.put("k", bytes("x"), PutOptions.of(PutMode.update(ObjectVersion.of("e1")))));
            assertThrows(OutcomeUnknownException.class, () -> d.delete("k", DeleteOptions.ifMatch(ObjectVersion.of("e1"))));
            assertThrows(TransientException.class, () -> d.get("k", GetOptions.defaults(), true));
            assertEquals(3, requests(), "each request sent exactly once");
        }
    }

    @Test
    void aPreparedClientStillReadsErrorBodiesOfOkAnswers() {
        wire.stubFor(put(urlEqualTo("/bucket/k")).willReturn(aResponse().withStatus(200)
                .withBody("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>PreconditionFailed</Code>"
                        + "<Message>At least one of the pre-conditions you specified did not hold</Message></Error>")));
        try (S3Client client = S3Driver.configureClient(builder(), S3Profile.AWS).build()) {
            S3Driver d = S3Driver.builder().client(client).bucket("bucket").build();
            assertThrows(PreconditionFailedException.class,
                    () -> d.put("k", bytes("x"), PutOptions.of(PutMode.update(ObjectVersion.of("e1")))));
        }
        assertEquals(1, requests());
    }

    @Test
    void errorCodesAreFoundOnlyInErrorDocuments() {
        assertEquals("PreconditionFailed", ErrorBodyInterceptor.errorCode(
                bytes("<?xml version=\"1.0\"?>\n<Error>\n  <Code>PreconditionFailed</Code>\n</Error>")));
        assertEquals("Slow.Down2", ErrorBodyInterceptor.errorCode(bytes("<Error><Message>m</Message><Code>Slow.Down2</Code></Error>")));
        assertNull(ErrorBodyInterceptor.errorCode(bytes("")));
        assertNull(ErrorBodyInterceptor.errorCode(bytes("<Result><Code>NotAnError</Code></Result>")));
        assertNull(ErrorBodyInterceptor.errorCode(bytes("<Code>Before</Code><Error></Error>")), "a code must follow <Error>");
        assertNull(ErrorBodyInterceptor.errorCode(bytes("<Error><Code>bad code!</Code></Error>")));
        assertNull(ErrorBodyInterceptor.errorCode(bytes("<Error><Code></Code></Error>")));
        // a long body: the code far beyond the first read
        String pad = "x".repeat(5000);
        assertEquals("InternalError", ErrorBodyInterceptor.errorCode(bytes("<Error><Message>" + pad
                + "</Message><Code>InternalError</Code></Error>")));
    }

    @Test
    void aLongErrorBodyOfAnOkAnswerIsReadPastTheFirstBuffer() {
        wire.stubFor(put(urlEqualTo("/bucket/k")).willReturn(aResponse().withStatus(200)
                .withBody("<Error><Message>" + "y".repeat(3000) + "</Message><Code>PreconditionFailed</Code></Error>")));
        try (S3Client client = builder().build()) {
            S3Driver d = S3Driver.builder().client(client).bucket("bucket").build();
            assertThrows(PreconditionFailedException.class,
                    () -> d.put("k", bytes("x"), PutOptions.of(PutMode.update(ObjectVersion.of("e1")))));
        }
    }
}
