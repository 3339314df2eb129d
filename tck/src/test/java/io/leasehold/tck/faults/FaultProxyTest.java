package io.leasehold.tck.faults;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The proxy against a tiny JDK HTTP server: each fault does what it says, and HTTP/1.1 is relayed faithfully. */
class FaultProxyTest {
    private TinyUpstream upstream;
    private WireRecorder recorder;
    private FaultProxy proxy;

    @BeforeEach
    void start() throws IOException {
        upstream = new TinyUpstream();
        recorder = new WireRecorder();
        proxy = FaultProxy.builder(upstream.uri()).dialect(ErrorDialect.S3).recorder(recorder).start();
    }

    @AfterEach
    void stop() {
        proxy.close();
        upstream.close();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private RawClient client() throws IOException {
        return new RawClient(proxy.endpoint());
    }

    private WireRecord onlyRecord() {
        List<WireRecord> all = recorder.records();
        assertEquals(1, all.size(), "records: " + all);
        return all.get(0);
    }

    @Test
    void passesRequestsThroughAndRecordsWhatTheClientSent() throws IOException {
        try (RawClient c = client()) {
            c.request("PUT", "/bucket/key", "If-Match: \"abc\"\nx-amz-meta-leasehold_w: 0123456789abcdef\nx-amz-meta-Color: blue",
                    bytes("hello"));
            RawClient.Response r = c.read();
            assertEquals(200, r.status());
            assertNotNull(r.header("ETag"));
        }
        assertEquals(1, upstream.seen().size());
        assertArrayEquals(bytes("hello"), upstream.object("/bucket/key"));
        WireRecord rec = onlyRecord();
        assertEquals("PUT", rec.method());
        assertEquals("/bucket/key", rec.path());
        assertNull(rec.query());
        assertTrue(rec.isObjectWrite());
        assertEquals("\"abc\"", rec.conditions().get("If-Match"));
        assertEquals("0123456789abcdef", rec.writeId());
        assertEquals("blue", rec.userMetadata().get("color"));
        assertEquals(WriteEvidence.sha256Hex(bytes("hello")), rec.bodySha256());
        assertEquals(5, rec.bodyLength());
        assertTrue(rec.forwarded());
        assertEquals(200, rec.upstreamStatus());
        assertEquals(WireRecord.Delivery.RELAYED, rec.delivery());
        assertEquals(200, rec.clientStatus());
        assertTrue(rec.landed());
        assertEquals(Fault.none(), rec.fault());
    }

    @Test
    void keepsTheClientConnectionAliveAcrossBodiesAndBodylessAnswers() throws IOException {
        try (RawClient c = client()) {
            c.request("PUT", "/o/a", "", bytes("abc"));
            assertEquals(200, c.read().status());
            c.request("HEAD", "/o/a", "", null);
            RawClient.Response head = c.read(true);
            assertEquals(200, head.status());
            assertEquals("3", head.header("Content-Length"), "HEAD keeps the length header, without a body");
            c.request("GET", "/no-content", "", null);
            assertEquals(204, c.read().status());
            c.request("GET", "/not-modified", "", null);
            assertEquals(304, c.read().status());
            c.request("GET", "/chunked", "", null);
            RawClient.Response chunked = c.read();
            assertEquals("first part, second part", chunked.text());
            c.request("GET", "/o/a", "", null);
            RawClient.Response get = c.read();
            assertEquals("abc", get.text());
            c.request("GET", "/o/missing", "", null);
            assertEquals(404, c.read().status());
        }
        assertEquals(7, recorder.size());
        assertEquals(7, upstream.seen().size());
    }

    @Test
    void answersExpectContinueItselfAndForwardsAChunkedBodyInItsFraming() throws IOException {
        try (RawClient c = client()) {
            c.head("PUT /o/chunked HTTP/1.1\nHost: test\nTransfer-Encoding: chunked\nExpect: 100-continue");
            RawClient.Response interim = c.read();
            assertEquals(100, interim.status(), "the proxy says 100 Continue before the body is sent");
            // (the JDK server upstream does not accept trailers; HttpIoTest covers them)
            c.text("5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
            assertEquals(200, c.read().status());
            c.request("GET", "/o/chunked", "", null);
            assertEquals("hello world", c.read().text(), "the same connection serves the next request");
        }
        assertArrayEquals(bytes("hello world"), upstream.object("/o/chunked"));
        TinyUpstream.Seen put = upstream.seen().get(0);
        assertNull(put.header("Expect"), "Expect is answered by the proxy, not forwarded");
        assertEquals("chunked", put.header("Transfer-Encoding").toLowerCase(Locale.ROOT));
        WireRecord rec = recorder.records().get(0);
        assertEquals(WriteEvidence.sha256Hex(bytes("hello world")), rec.bodySha256(), "hash of the content, not the framing");
        assertTrue(rec.landed());
    }

    @Test
    void answersExpectContinueForAContentLengthBody() throws IOException {
        try (RawClient c = client()) {
            c.head("PUT /o/fixed HTTP/1.1\nHost: test\nContent-Length: 4\nExpect: 100-continue");
            assertEquals(100, c.read().status());
            c.text("data");
            assertEquals(200, c.read().status());
        }
        assertArrayEquals(bytes("data"), upstream.object("/o/fixed"));
    }

    @Test
    void relaysALargeBodyIntact() throws IOException {
        byte[] big = new byte[3 * 1024 * 1024 + 17];
        new Random(7).nextBytes(big);
        try (RawClient c = client()) {
            c.request("PUT", "/o/big", "", big);
            assertEquals(200, c.read().status());
            c.request("GET", "/o/big", "", null);
            assertArrayEquals(big, c.read().body());
        }
        assertEquals(WriteEvidence.sha256Hex(big), recorder.records().get(0).bodySha256());
    }

    @Test
    void loseResponseAppliesTheRequestAndClosesWithoutAnswering() throws IOException {
        proxy.plan(FaultPlan.builder(1).always(RequestMatch.objectWrites(), Fault.loseResponse()).build());
        try (RawClient c = client()) {
            c.request("PUT", "/o/lost", "", bytes("v1"));
            assertNull(c.read(), "the client sees the connection end without an answer");
        }
        assertArrayEquals(bytes("v1"), upstream.object("/o/lost"), "the upstream applied it");
        WireRecord rec = onlyRecord();
        assertEquals(Fault.Kind.LOSE_RESPONSE, rec.fault().kind());
        assertEquals(200, rec.upstreamStatus());
        assertEquals(WireRecord.Delivery.CLOSED, rec.delivery());
        assertEquals(-1, rec.clientStatus());
        assertTrue(rec.landed());
    }

    @Test
    void loseResponseEndsAJdkHttpClientCallWithAnIOException() throws Exception {
        proxy.plan(FaultPlan.builder(1).always(RequestMatch.objectWrites(), Fault.loseResponse()).build());
        java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1).build();
        java.net.http.HttpRequest put = java.net.http.HttpRequest.newBuilder(proxy.endpoint().resolve("/o/jdk"))
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("x")).build();
        assertThrows(IOException.class, () -> http.send(put, java.net.http.HttpResponse.BodyHandlers.ofString()));
        assertEquals(1, upstream.seen().size(), "sent once, not retried");
        assertArrayEquals(bytes("x"), upstream.object("/o/jdk"));
    }

    @Test
    void errorAfterApplyAppliesTheRequestAndAnswersWithAnS3Error() throws IOException {
        proxy.plan(FaultPlan.builder(1).always(RequestMatch.objectWrites(), Fault.errorAfterApply(500)).build());
        try (RawClient c = client()) {
            c.request("PUT", "/o/e", "", bytes("v"));
            RawClient.Response r = c.read();
            assertEquals(500, r.status());
            assertTrue(r.text().contains("<Code>InternalError</Code>"), r.text());
            assertEquals("application/xml", r.header("Content-Type"));
            assertNotNull(r.header("x-amz-request-id"));
            c.request("GET", "/o/e", "", null);
            assertEquals("v", c.read().text(), "the connection stays usable after a made-up error");
        }
        assertArrayEquals(bytes("v"), upstream.object("/o/e"));
        WireRecord rec = recorder.records().get(0);
        assertEquals(200, rec.upstreamStatus());
        assertEquals(WireRecord.Delivery.SYNTHESIZED, rec.delivery());
        assertEquals(500, rec.clientStatus());
        assertTrue(rec.landed());
    }

    @Test
    void errorAfterApplySpeaksAzureWithTheAzureDialect() throws IOException {
        proxy.close();
        proxy = FaultProxy.builder(upstream.uri()).dialect(ErrorDialect.AZURE).recorder(recorder)
                .plan(FaultPlan.builder(1).always(RequestMatch.any(), Fault.errorAfterApply(500)).build()).start();
        try (RawClient c = client()) {
            c.request("PUT", "/acct/c/blob", "", bytes("v"));
            RawClient.Response r = c.read();
            assertEquals(500, r.status());
            assertEquals("InternalError", r.header("x-ms-error-code"));
            assertTrue(r.text().contains("<Code>InternalError</Code>"), r.text());
            c.request("HEAD", "/acct/c/blob", "", null);
            RawClient.Response head = c.read(true);
            assertEquals(500, head.status());
            assertEquals("0", head.header("Content-Length"), "a made-up answer to HEAD has no body");
            c.request("GET", "/acct/c/blob", "", null);
            assertEquals(500, c.read().status(), "and the connection is still in step");
        }
    }

    @Test
    void gatewayErrorAfterApplyAppliesTheRequestAndAnswersPlainTextWithNoStoreErrorCode() throws IOException {
        for (ErrorDialect dialect : ErrorDialect.values()) {
            proxy.close();
            recorder.clear();
            proxy = FaultProxy.builder(upstream.uri()).dialect(dialect).recorder(recorder)
                    .plan(FaultPlan.builder(1).always(RequestMatch.objectWrites(), Fault.gatewayErrorAfterApply(503)).build())
                    .start();
            String path = "/o/gateway-" + dialect;
            try (RawClient c = client()) {
                c.request("PUT", path, "", bytes("v"));
                RawClient.Response r = c.read();
                assertEquals(503, r.status(), dialect.name());
                assertTrue(r.header("Content-Type").startsWith("text/plain"), r.header("Content-Type"));
                assertFalse(r.text().contains("<Code>"), r.text());
                assertNull(r.header("x-amz-request-id"), "no store request id: the store did not answer");
                assertNull(r.header("x-ms-error-code"));
                assertNull(r.header("x-ms-request-id"));
                c.request("GET", path, "", null);
                assertEquals("v", c.read().text(), "the connection stays usable");
            }
            assertArrayEquals(bytes("v"), upstream.object(path), "the write was forwarded and applied");
            WireRecord rec = recorder.records().get(0);
            assertEquals(200, rec.upstreamStatus());
            assertEquals(WireRecord.Delivery.SYNTHESIZED, rec.delivery());
            assertEquals(503, rec.clientStatus());
            assertTrue(rec.landed());
            assertEquals("GATEWAY_ERROR_AFTER_APPLY(503)", rec.fault().toString());
        }
    }

    @Test
    void gatewayErrorsAreTheStatusesIntermediariesSend() {
        for (int status : new int[] {502, 503, 504}) {
            String answer = new String(ErrorDialect.gatewayResponse(status, false), StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("HTTP/1.1 " + status + " "), answer);
            assertFalse(answer.contains("<Error>"), answer);
        }
        assertEquals(0, ErrorDialect.gatewayResponse(502, true).length
                - new String(ErrorDialect.gatewayResponse(502, true), StandardCharsets.ISO_8859_1).indexOf("\r\n\r\n") - 4,
                "no body for HEAD");
        assertThrows(IllegalArgumentException.class, () -> Fault.gatewayErrorAfterApply(412));
        assertThrows(IllegalArgumentException.class, () -> Fault.gatewayErrorAfterApply(600));
    }

    @Test
    void rejectBeforeApplyNeverReachesTheUpstream() throws IOException {
        proxy.plan(FaultPlan.builder(1).always(RequestMatch.objectWrites(), Fault.rejectBeforeApply(503)).build());
        try (RawClient c = client()) {
            c.head("PUT /o/r HTTP/1.1\nHost: test\nContent-Length: 1\nExpect: 100-continue");
            assertEquals(100, c.read().status());
            c.text("v");
            RawClient.Response r = c.read();
            assertEquals(503, r.status());
            assertTrue(r.text().contains("<Code>SlowDown</Code>"), r.text());
        }
        assertTrue(upstream.seen().isEmpty(), "never forwarded");
        WireRecord rec = onlyRecord();
        assertFalse(rec.forwarded());
        assertEquals(WireRecord.NOT_FORWARDED, rec.upstreamStatus());
        assertFalse(rec.landed());
        assertEquals(WireRecord.Delivery.SYNTHESIZED, rec.delivery());
        assertEquals(503, rec.clientStatus());
    }

    @Test
    void rejectBeforeApplyInAzureWordsIsServerBusy() throws IOException {
        assertTrue(new String(ErrorDialect.AZURE.response(503, null, false, 1), StandardCharsets.UTF_8)
                .contains("x-ms-error-code: ServerBusy"));
    }

    @Test
    void resetBeforeApplyResetsTheClientAndNeverReachesTheUpstream() throws IOException {
        proxy.plan(FaultPlan.builder(1).always(RequestMatch.objectWrites(), Fault.resetBeforeApply()).build());
        try (RawClient c = client()) {
            c.request("PUT", "/o/rb", "", bytes("v"));
            assertThrows(SocketException.class, c::read, "connection reset");
        }
        assertTrue(upstream.seen().isEmpty());
        WireRecord rec = onlyRecord();
        assertFalse(rec.forwarded());
        assertEquals(WireRecord.Delivery.RESET, rec.delivery());
    }

    @Test
    void resetAfterApplyAppliesAndThenResets() throws IOException {
        proxy.plan(FaultPlan.builder(1).always(RequestMatch.objectWrites(), Fault.resetAfterApply()).build());
        try (RawClient c = client()) {
            c.request("PUT", "/o/ra", "", bytes("v"));
            assertThrows(SocketException.class, c::read, "connection reset");
        }
        assertArrayEquals(bytes("v"), upstream.object("/o/ra"));
        WireRecord rec = onlyRecord();
        assertEquals(200, rec.upstreamStatus());
        assertEquals(WireRecord.Delivery.RESET, rec.delivery());
        assertTrue(rec.landed());
    }

    @Test
    void delayForwardsAndRelaysFaithfully() throws IOException {
        Fault delay = Fault.delay(Duration.ofMillis(5), Duration.ofMillis(5));
        proxy.plan(FaultPlan.builder(1).always(RequestMatch.any(), delay).build());
        try (RawClient c = client()) {
            c.request("PUT", "/o/d", "", bytes("v"));
            assertEquals(200, c.read().status());
        }
        WireRecord rec = onlyRecord();
        assertEquals(delay, rec.fault());
        assertEquals(WireRecord.Delivery.RELAYED, rec.delivery());
        assertTrue(rec.landed());
    }

    @Test
    void aHeldAnswerWaitsForItsGateWhileTheWriteHasLanded() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        FaultPlan plan = FaultPlan.builder(1).build();
        plan.enqueue(RequestMatch.objectWrites().and(RequestMatch.metadata("tag", "a")), Fault.errorAfterApply(500).heldUntil(gate));
        proxy.plan(plan);
        try (RawClient c = client()) {
            c.request("PUT", "/o/held", "x-amz-meta-tag: a", bytes("v"));
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (upstream.object("/o/held") == null && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertArrayEquals(bytes("v"), upstream.object("/o/held"), "landed while the answer is held");
            assertTrue(recorder.records().isEmpty(), "recorded only when the client is answered");
            gate.countDown();
            assertEquals(500, c.read().status());
        }
        assertEquals("ERROR_AFTER_APPLY(500)+held", onlyRecord().fault().toString());
        assertEquals(0, plan.pending());
    }

    @Test
    void anUpstreamThatDiesMidRequestIsRecordedAsNoAnswerAndTheClientIsReset() throws Exception {
        try (ServerSocket dying = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
            Thread t = new Thread(() -> {
                try (Socket s = dying.accept()) {
                    InputStream in = s.getInputStream();
                    in.read(new byte[4096]); // read (part of) the request, then vanish without answering
                } catch (IOException e) {
                    // test ends
                }
            });
            t.start();
            try (FaultProxy p = FaultProxy.builder(URI.create("http://127.0.0.1:" + dying.getLocalPort())).recorder(recorder).start();
                 RawClient c = new RawClient(p.endpoint())) {
                c.request("PUT", "/o/x", "", bytes("v"));
                assertThrows(SocketException.class, c::read);
                t.join(5000);
            }
        }
        WireRecord rec = onlyRecord();
        assertEquals(WireRecord.NO_ANSWER, rec.upstreamStatus());
        assertTrue(rec.forwarded());
        assertTrue(rec.landingUnknown());
        assertFalse(rec.landed());
    }

    @Test
    void subResourcePutsAreRecordedButAreNotObjectWrites() throws IOException {
        try (RawClient c = client()) {
            c.request("PUT", "/acct/c/blob?comp=lease", "x-ms-lease-action: acquire", bytes(""));
            assertEquals(200, c.read().status());
            c.request("PUT", "/bucket/key?x-id=PutObject", "", bytes("k"));
            assertEquals(200, c.read().status());
        }
        List<WireRecord> all = recorder.records();
        assertEquals("comp=lease", all.get(0).query());
        assertFalse(all.get(0).isObjectWrite());
        assertFalse(all.get(0).landed());
        assertTrue(all.get(1).isObjectWrite());
        assertTrue(all.get(1).landed());
    }

    @Test
    void listensOnLoopbackOnly() throws IOException {
        assertEquals("127.0.0.1", proxy.address().getAddress().getHostAddress());
        Path tcp = Paths.get("/proc/net/tcp");
        if (Files.exists(tcp)) {
            // The JDK may use an IPv6 socket bound to ::ffff:127.0.0.1 (listed in tcp6).
            String port = String.format("%04X", proxy.port());
            boolean seen = false;
            for (Path table : List.of(tcp, Paths.get("/proc/net/tcp6"))) {
                if (!Files.exists(table)) {
                    continue;
                }
                List<String> lines = Files.readAllLines(table);
                for (String line : lines.subList(1, lines.size())) {
                    String[] f = line.trim().split("\\s+");
                    if (f[3].equals("0A") && f[1].endsWith(":" + port)) {
                        String address = f[1].substring(0, f[1].indexOf(':'));
                        assertTrue(address.equals("0100007F") || address.equals("0000000000000000FFFF00000100007F"),
                                "listening socket on another address: " + line);
                        seen = true;
                    }
                }
            }
            assertTrue(seen, "the proxy's listening socket is in /proc/net/tcp or tcp6");
        }
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress()) {
                    try (Socket s = new Socket()) {
                        assertThrows(ConnectException.class, () -> s.connect(new InetSocketAddress(a, proxy.port()), 2000),
                                "reachable on " + a);
                    }
                }
            }
        }
    }

    @Test
    void aClientThatSendsHttp10OrConnectionCloseGetsItsConnectionClosed() throws IOException {
        try (RawClient c = client()) {
            c.request("GET", "/no-content", "Connection: close", null);
            assertEquals(204, c.read().status());
            assertNull(c.read(), "closed after the answer");
        }
        try (Socket s = new Socket("127.0.0.1", proxy.port())) {
            OutputStream out = s.getOutputStream();
            out.write("GET /no-content HTTP/1.0\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            byte[] all = s.getInputStream().readAllBytes();
            assertTrue(new String(all, StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 204"));
        }
    }
}
