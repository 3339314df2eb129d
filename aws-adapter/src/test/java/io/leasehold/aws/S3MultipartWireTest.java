package io.leasehold.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.head;
import static com.github.tomakehurst.wiremock.client.WireMock.headRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import io.leasehold.core.ChecksumMismatchException;
import io.leasehold.core.ErrorCode;
import io.leasehold.core.GetOptions;
import io.leasehold.core.NotSupportedException;
import io.leasehold.core.ObjectAlreadyExistsException;
import io.leasehold.core.ObjectChangedException;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.transfer.ObjectStream;
import io.leasehold.core.PutMode;
import io.leasehold.core.PutOptions;
import io.leasehold.core.PutResult;
import io.leasehold.core.transfer.TransferOptions;
import io.leasehold.core.TransientException;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The exact requests of streaming puts and gets on S3, against WireMock: the multipart sequence,
 * the commit's condition, one settlement read (never a re-sent commit) after a 5xx, abort after a
 * lost race or conflict, refusal before sending where the profile's commit cannot carry the
 * condition, ranged GETs pinned with If-Match, and checksum verification.
 */
class S3MultipartWireTest {
    private static final String BUCKET = "bucket";
    private static final String PATH = "/bucket/big";
    private static final int PART = 5 << 20;
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

    private static ObjectStore store(S3Profile profile) {
        return ObjectStore.of(S3Driver.builder().bucket(BUCKET).profile(profile)
                .endpoint(URI.create("http://127.0.0.1:" + wire.port())).pathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDWIRE", "wire-secret")))
                .build());
    }

    private static byte[] content(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        return b;
    }

    private static TransferOptions transfer() {
        return TransferOptions.builder().partSize(PART).buffers(2).build();
    }

    private static ResponseDefinitionBuilder xml(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/xml").withBody(body);
    }

    private static ResponseDefinitionBuilder s3Error(int status, String code) {
        return xml(status, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>m</Message>"
                + "<RequestId>R</RequestId></Error>");
    }

    /** CreateMultipartUpload (capturing the write id) and UploadPart answered as S3 does. */
    private static void stubUploadAndParts() {
        wire.stubFor(post(urlPathEqualTo(PATH)).withQueryParam("uploads", matching(".*"))
                .willReturn(xml(200, "<InitiateMultipartUploadResult><Bucket>bucket</Bucket><Key>big</Key>"
                        + "<UploadId>U1</UploadId></InitiateMultipartUploadResult>").withTransformers(S3WireTest.EchoWriteId.NAME)));
        wire.stubFor(put(urlPathEqualTo(PATH)).withQueryParam("uploadId", equalTo("U1"))
                .willReturn(aResponse().withStatus(200).withHeader("ETag", "\"part-etag\"")));
        wire.stubFor(delete(urlPathEqualTo(PATH)).withQueryParam("uploadId", equalTo("U1"))
                .willReturn(aResponse().withStatus(204)));
    }

    private static RequestPatternBuilder complete() {
        return postRequestedFor(urlPathEqualTo(PATH)).withQueryParam("uploadId", equalTo("U1"));
    }

    private static int requests() {
        return wire.findAll(anyRequestedFor(anyUrl())).size();
    }

    @Test
    void createIsAMultipartUploadWhoseCommitCarriesIfNoneMatch() throws Exception {
        stubUploadAndParts();
        wire.stubFor(post(urlPathEqualTo(PATH)).withQueryParam("uploadId", equalTo("U1"))
                .willReturn(xml(200, "<CompleteMultipartUploadResult><ETag>\"abc-2\"</ETag></CompleteMultipartUploadResult>")));
        byte[] body = content(PART + 7);
        try (ObjectStore store = store(S3Profile.AWS)) {
            PutResult r = store.put("big", new ByteArrayInputStream(body), body.length, PutOptions.of(PutMode.create()), transfer());
            assertEquals("abc-2", r.version().etag().value());
            assertEquals(body.length, r.size());
        }
        wire.verify(1, postRequestedFor(urlPathEqualTo(PATH)).withQueryParam("uploads", matching(".*"))
                .withHeader("x-amz-meta-leasehold_w", matching("[0-9a-f]{16}"))
                .withHeader("x-amz-meta-leasehold_p", equalTo(Integer.toString(PART))));
        String md5First = Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(Arrays.copyOf(body, PART)));
        wire.verify(1, putRequestedFor(urlPathEqualTo(PATH)).withQueryParam("partNumber", equalTo("1"))
                .withHeader("Content-MD5", equalTo(md5First)));
        wire.verify(1, putRequestedFor(urlPathEqualTo(PATH)).withQueryParam("partNumber", equalTo("2"))
                .withHeader("x-amz-decoded-content-length", equalTo("7")));
        wire.verify(1, complete().withHeader("If-None-Match", equalTo("*")).withHeader("If-Match", absent()));
        wire.verify(0, deleteRequestedFor(urlPathEqualTo(PATH)));
        assertEquals(4, requests());
    }

    @Test
    void aPartGetsLongerThanAnOrdinaryRequestInProportionToItsSize() {
        // The client's attempt timeout is 1 s; a 5 MiB part may take 1 s + 5 s (a 1 MiB/s floor),
        // so parts answered after 2 s arrive, while an ordinary request that slow times out. (The
        // driver's own client has the same timeout as its socket read timeout; a caller's transport
        // with a longer read timeout shows the attempt timeout alone.)
        stubUploadAndParts();
        wire.stubFor(put(urlPathEqualTo(PATH)).withQueryParam("uploadId", equalTo("U1"))
                .willReturn(aResponse().withStatus(200).withHeader("ETag", "\"part-etag\"").withFixedDelay(2000)));
        wire.stubFor(post(urlPathEqualTo(PATH)).withQueryParam("uploadId", equalTo("U1"))
                .willReturn(xml(200, "<CompleteMultipartUploadResult><ETag>\"abc-2\"</ETag></CompleteMultipartUploadResult>")));
        wire.stubFor(get(urlPathEqualTo("/bucket/small")).willReturn(aResponse().withStatus(200).withFixedDelay(2000)
                .withHeader("ETag", "\"e\"").withHeader("Last-Modified", "Wed, 21 Oct 2026 07:28:00 GMT").withBody("x")));
        byte[] body = content(2 * PART);
        try (ObjectStore store = ObjectStore.of(S3Driver.builder().bucket(BUCKET).profile(S3Profile.AWS)
                .endpoint(URI.create("http://127.0.0.1:" + wire.port())).pathStyle(true)
                .requestTimeout(java.time.Duration.ofSeconds(1)) // the attempt timeout; reads may idle 10 s
                .httpClient(software.amazon.awssdk.http.apache.ApacheHttpClient.builder()
                        .socketTimeout(java.time.Duration.ofSeconds(10)).build())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDWIRE", "wire-secret")))
                .build())) {
            PutResult r = store.put("big", new ByteArrayInputStream(body), body.length, PutOptions.defaults(), transfer());
            assertEquals("abc-2", r.version().etag().value());
            TransientException slow = assertThrows(TransientException.class, () -> store.get("small"));
            assertEquals(ErrorCode.TRANSIENT, slow.code(), "an ordinary read keeps the client's 1 s");
        }
    }

    @Test
    void lostCreateRaceAbortsTheUpload() {
        stubUploadAndParts();
        wire.stubFor(post(urlPathEqualTo(PATH)).withQueryParam("uploadId", equalTo("U1"))
                .willReturn(s3Error(412, "PreconditionFailed")));
        byte[] body = content(PART + 1);
        try (ObjectStore store = store(S3Profile.AWS)) {
            assertThrows(ObjectAlreadyExistsException.class, () -> store.put("big", new ByteArrayInputStream(body),
                    body.length, PutOptions.of(PutMode.create()), transfer()));
        }
        wire.verify(1, complete());
        wire.verify(1, deleteRequestedFor(urlPathEqualTo(PATH)).withQueryParam("uploadId", equalTo("U1")));
    }

    @Test
    void commitAnswered500IsSettledByOneReadNeverResent() {
        stubUploadAndParts();
        wire.stubFor(post(urlPathEqualTo(PATH)).withQueryParam("uploadId", equalTo("U1"))
                .willReturn(s3Error(500, "InternalError")));
        // The read back finds this upload's write id: the commit landed.
        wire.stubFor(get(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(200).withHeader("ETag", "\"landed-2\"")
                .withHeader("Last-Modified", "Wed, 21 Oct 2026 07:28:00 GMT").withBody("")
                .withTransformers(S3WireTest.EchoWriteId.NAME)));
        wire.stubFor(head(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(200).withHeader("ETag", "\"landed-2\"")
                .withHeader("Last-Modified", "Wed, 21 Oct 2026 07:28:00 GMT").withHeader("Content-Length", "0")
                .withTransformers(S3WireTest.EchoWriteId.NAME)));
        byte[] body = content(PART + 1);
        try (ObjectStore store = store(S3Profile.AWS)) {
            PutResult r = store.put("big", new ByteArrayInputStream(body), body.length, PutOptions.of(PutMode.create()), transfer());
            assertEquals("landed-2", r.version().etag().value());
        }
        wire.verify(1, complete());
        wire.verify(0, deleteRequestedFor(urlPathEqualTo(PATH)));
    }

    @Test
    void conflictOnCommitIsNotResentAndAbortsTheUpload() {
        stubUploadAndParts();
        wire.stubFor(post(urlPathEqualTo(PATH)).withQueryParam("uploadId", equalTo("U1"))
                .willReturn(s3Error(409, "ConditionalRequestConflict")));
        byte[] body = content(PART + 1);
        try (ObjectStore store = store(S3Profile.AWS)) {
            TransientException e = assertThrows(TransientException.class, () -> store.put("big",
                    new ByteArrayInputStream(body), body.length, PutOptions.of(PutMode.create()), transfer()));
            assertEquals(ErrorCode.CONFLICT, e.code());
        }
        wire.verify(1, complete());
        wire.verify(1, deleteRequestedFor(urlPathEqualTo(PATH)).withQueryParam("uploadId", equalTo("U1")));
    }

    @Test
    void profilesWhoseCommitIgnoresConditionsRefuseBeforeSending() {
        byte[] body = content(PART + 1);
        try (ObjectStore store = store(S3Profile.CEPH_RGW)) {
            assertThrows(NotSupportedException.class, () -> store.put("big", new ByteArrayInputStream(body), body.length,
                    PutOptions.of(PutMode.create()), transfer()));
        }
        assertEquals(0, requests());
    }

    @Test
    void laterRangesArePinnedWithIfMatchAndAReplacementFailsTyped() throws Exception {
        byte[] body = "0123456789".getBytes(StandardCharsets.US_ASCII);
        wire.stubFor(get(urlPathEqualTo(PATH)).withHeader("Range", equalTo("bytes=0-4")).willReturn(aResponse().withStatus(206)
                .withHeader("ETag", "\"e1\"").withHeader("Content-Range", "bytes 0-4/10")
                .withHeader("Last-Modified", "Wed, 21 Oct 2026 07:28:00 GMT").withBody(Arrays.copyOf(body, 5))));
        wire.stubFor(get(urlPathEqualTo(PATH)).withHeader("Range", equalTo("bytes=5-9"))
                .willReturn(s3Error(412, "PreconditionFailed")));
        try (ObjectStore store = store(S3Profile.AWS);
             ObjectStream stream = store.openStream("big", GetOptions.defaults(), TransferOptions.builder().rangeSize(5).build())) {
            byte[] first = stream.content().readNBytes(5);
            assertArrayEquals(Arrays.copyOf(body, 5), first);
            assertThrows(ObjectChangedException.class, () -> stream.content().read());
        }
        wire.verify(1, getRequestedFor(urlPathEqualTo(PATH)).withHeader("Range", equalTo("bytes=0-4"))
                .withHeader("If-Match", absent()));
        wire.verify(1, getRequestedFor(urlPathEqualTo(PATH)).withHeader("Range", equalTo("bytes=5-9"))
                .withHeader("If-Match", equalTo("\"e1\"")));
    }

    @Test
    void multipartObjectsAreVerifiedOnlyWhenTheirPartsMatchTheRecordedPartSize() throws Exception {
        byte[] body = "0123456789".getBytes(StandardCharsets.US_ASCII);
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        java.io.ByteArrayOutputStream md5s = new java.io.ByteArrayOutputStream();
        for (int from = 0; from < body.length; from += 4) {
            md5s.write(md5.digest(Arrays.copyOfRange(body, from, Math.min(body.length, from + 4))));
        }
        String ofParts = HexFormat.of().formatHex(md5.digest(md5s.toByteArray()));
        // Uploaded by this library in parts of 4 bytes: three parts, the MD5 of their MD5s.
        stubRanged(body, ofParts + "-3", "4");
        try (ObjectStore store = store(S3Profile.AWS); ObjectStream stream = store.openStream("big")) {
            assertArrayEquals(body, stream.content().readAllBytes());
            assertTrue(stream.verifiedChecksum().isPresent());
        }
        // The same metadata on an object re-uploaded in two parts (copied by another tool): its ETag
        // is not the MD5 of 4-byte parts, and it must not be reported as corrupted.
        stubRanged(body, ofParts.replace('0', '1') + "-2", "4");
        try (ObjectStore store = store(S3Profile.AWS); ObjectStream stream = store.openStream("big")) {
            assertArrayEquals(body, stream.content().readAllBytes());
            assertTrue(stream.verifiedChecksum().isEmpty());
        }
    }

    private static void stubRanged(byte[] body, String etag, String partSize) {
        wire.stubFor(get(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(206).withHeader("ETag", "\"" + etag + "\"")
                .withHeader("x-amz-meta-leasehold_p", partSize)
                .withHeader("Content-Range", "bytes 0-" + (body.length - 1) + "/" + body.length)
                .withHeader("Last-Modified", "Wed, 21 Oct 2026 07:28:00 GMT").withBody(body)));
    }

    @Test
    void singlePartObjectsAreVerifiedAgainstTheETagsMd5() throws Exception {
        byte[] body = "0123456789".getBytes(StandardCharsets.US_ASCII);
        String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body));
        wire.stubFor(get(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(206).withHeader("ETag", "\"" + md5 + "\"")
                .withHeader("Content-Range", "bytes 0-9/10").withHeader("Last-Modified", "Wed, 21 Oct 2026 07:28:00 GMT")
                .withBody(body)));
        try (ObjectStore store = store(S3Profile.AWS); ObjectStream stream = store.openStream("big")) {
            assertArrayEquals(body, stream.content().readAllBytes());
            assertEquals("MD5", stream.verifiedChecksum().orElseThrow());
        }
        // The same bytes under an ETag that is another MD5: corrupted on the way.
        wire.stubFor(get(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(206)
                .withHeader("ETag", "\"0123456789abcdef0123456789abcdef\"")
                .withHeader("Content-Range", "bytes 0-9/10").withHeader("Last-Modified", "Wed, 21 Oct 2026 07:28:00 GMT")
                .withBody(body)));
        try (ObjectStore store = store(S3Profile.AWS); ObjectStream stream = store.openStream("big")) {
            ChecksumMismatchException e = assertThrows(ChecksumMismatchException.class, () -> stream.content().readAllBytes());
            assertEquals(ErrorCode.CHECKSUM_MISMATCH, e.code());
        }
        // An s3-compatible server's ETag is not assumed to be an MD5.
        try (ObjectStore store = store(S3Profile.S3_COMPATIBLE); ObjectStream stream = store.openStream("big")) {
            assertArrayEquals(body, stream.content().readAllBytes());
            assertTrue(stream.verifiedChecksum().isEmpty());
        }
        wire.verify(0, headRequestedFor(urlPathEqualTo(PATH)));
    }
}
