package io.leasehold.tck.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link Fault#dropMidBody}: the client gets the head and exactly the first n body bytes, then the connection closes. */
class FaultProxyMidBodyTest {
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

    @Test
    void relaysTheHeadAndPartOfTheBodyThenCloses() throws IOException {
        byte[] content = new byte[10_000];
        Arrays.fill(content, (byte) 'x');
        try (Socket put = new Socket(proxy.address().getAddress(), proxy.port())) {
            OutputStream out = put.getOutputStream();
            out.write(("PUT /o/big HTTP/1.1\r\nHost: x\r\nContent-Length: " + content.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.write(content);
            out.flush();
            assertTrue(new String(put.getInputStream().readNBytes(12), StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 200"));
        }
        proxy.plan(FaultPlan.builder(1).always(RequestMatch.method("GET"), Fault.dropMidBody(1234)).build());
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        try (Socket get = new Socket(proxy.address().getAddress(), proxy.port())) {
            get.getOutputStream().write("GET /o/big HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = get.getInputStream();
            byte[] buffer = new byte[4096];
            try {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    received.write(buffer, 0, n);
                }
            } catch (IOException reset) {
                // a close may also surface as a reset on some systems
            }
        }
        String all = received.toString(StandardCharsets.ISO_8859_1);
        int bodyStart = all.indexOf("\r\n\r\n") + 4;
        assertTrue(all.startsWith("HTTP/1.1 200"), all.substring(0, Math.min(40, all.length())));
        assertTrue(all.contains("Content-length: 10000") || all.contains("Content-Length: 10000"), "the head is relayed whole");
        assertEquals(1234, all.length() - bodyStart, "exactly the first 1234 body bytes");
        List<WireRecord> records = recorder.records();
        WireRecord get = records.get(records.size() - 1);
        assertEquals(WireRecord.Delivery.CLOSED, get.delivery());
        assertEquals(Fault.Kind.DROP_MID_BODY, get.fault().kind());
    }
}
