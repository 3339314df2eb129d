package io.leasehold.tck.faults;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One client connection of {@link FaultProxy}: reads requests one after the other (keep-alive),
 * asks the plan for a fault, forwards over a fresh upstream connection and answers the client as
 * the fault says, recording each exchange.
 *
 * <p>Thread-safety: confined to its connection thread.
 */
final class ProxyConnection {
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

    /** The upstream's complete answer in wire form. */
    private record Answer(int status, String etag, byte[] raw, int headLength, boolean keepAlive) {
    }

    private final FaultProxy proxy;
    private final Socket client;
    private OutputStream out;
    /** Whether the current exchange's record is already in the recorder. */
    private boolean published;

    ProxyConnection(FaultProxy proxy, Socket client) {
        this.proxy = proxy;
        this.client = client;
    }

    void serve() {
        try {
            client.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(client.getInputStream(), 16 * 1024);
            out = new BufferedOutputStream(client.getOutputStream(), 16 * 1024);
            while (!proxy.isClosed()) {
                String requestLine = HttpIo.readLine(in);
                if (requestLine == null) {
                    return;
                }
                if (requestLine.isEmpty()) {
                    continue; // a stray CRLF between requests is allowed (RFC 9112 2.2)
                }
                if (!exchange(requestLine, in)) {
                    return;
                }
            }
        } catch (IOException e) {
            // the client went away, or sent something this proxy does not speak: drop the connection
        }
    }

    /** Handles one request; returns whether the connection stays open. */
    private boolean exchange(String requestLine, InputStream in) throws IOException {
        String[] parts = requestLine.split(" ");
        if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.x request line");
        }
        String method = parts[0];
        String target = parts[1];
        List<Map.Entry<String, String>> headers = HttpIo.readHeaders(in);
        WireRecorder recorder = proxy.recorder();
        long seq = recorder.nextSequence();

        boolean chunked = HttpIo.isChunked(headers);
        long length = chunked ? -1 : HttpIo.contentLength(headers);
        boolean hasBody = chunked || length > 0;
        if (hasBody && HttpIo.hasToken(headers, "Expect", "100-continue")) {
            out.write(CONTINUE);
            out.flush();
        }
        HttpIo.Body body = chunked ? HttpIo.readChunked(in) : length > 0 ? HttpIo.readFixed(in, length) : HttpIo.Body.EMPTY;

        int q = target.indexOf('?');
        WireRequest request = new WireRequest(method, q < 0 ? target : target.substring(0, q),
                q < 0 ? null : target.substring(q + 1), headers);
        WireRecord.Builder record = recorder.start(seq, request, HttpIo.sha256Hex(body.content()), body.content().length);
        boolean clientKeepAlive = parts[2].equals("HTTP/1.1") && !HttpIo.hasToken(headers, "Connection", "close");
        published = false;
        try {
            Fault fault = proxy.plan().decide(request);
            record.fault(fault);
            return apply(fault, method, target, headers, body, record, seq) && clientKeepAlive;
        } finally {
            if (!published) {
                recorder.put(record.build());
            }
        }
    }

    /** Records the exchange as it stands, before the client can observe its outcome. */
    private void publish(WireRecord.Builder record, WireRecord.Delivery delivery, int status) {
        record.delivered(delivery, status);
        proxy.recorder().put(record.build());
        published = true;
    }

    private boolean apply(Fault fault, String method, String target, List<Map.Entry<String, String>> headers,
                          HttpIo.Body body, WireRecord.Builder record, long seq) throws IOException {
        boolean head = method.equals("HEAD");
        pause(fault.delayBefore());
        switch (fault.kind()) {
            case REJECT_BEFORE_APPLY:
                sendToClient(proxy.dialect().response(fault.status(), fault.errorCode(), head, seq),
                        WireRecord.Delivery.SYNTHESIZED, fault.status(), record);
                return true;
            case RESET_BEFORE_APPLY:
                publish(record, WireRecord.Delivery.RESET, -1);
                FaultProxy.reset(client);
                return false;
            default:
                break;
        }
        Answer answer;
        Socket upstream;
        try {
            upstream = proxy.connectUpstream();
        } catch (IOException e) {
            record.upstream(WireRecord.NOT_FORWARDED, null);
            publish(record, WireRecord.Delivery.RESET, -1);
            FaultProxy.reset(client);
            return false;
        }
        try {
            answer = forward(upstream, method, target, headers, body);
        } catch (IOException e) {
            record.upstream(WireRecord.NO_ANSWER, null);
            publish(record, WireRecord.Delivery.RESET, -1);
            FaultProxy.reset(client);
            return false;
        } finally {
            FaultProxy.reset(upstream);
        }
        record.upstream(answer.status(), answer.etag());
        pause(fault.delayAfter());
        hold(fault);
        switch (fault.kind()) {
            case LOSE_RESPONSE:
                publish(record, WireRecord.Delivery.CLOSED, -1);
                FaultProxy.closeQuietly(client);
                return false;
            case ERROR_AFTER_APPLY:
                sendToClient(proxy.dialect().response(fault.status(), fault.errorCode(), head, seq),
                        WireRecord.Delivery.SYNTHESIZED, fault.status(), record);
                return true;
            case GATEWAY_ERROR_AFTER_APPLY:
                sendToClient(ErrorDialect.gatewayResponse(fault.status(), head), WireRecord.Delivery.SYNTHESIZED, fault.status(),
                        record);
                return true;
            case RESET_AFTER_APPLY:
                publish(record, WireRecord.Delivery.RESET, -1);
                FaultProxy.reset(client);
                return false;
            case DROP_MID_BODY:
                publish(record, WireRecord.Delivery.CLOSED, answer.status());
                int cut = (int) Math.min(answer.raw().length, answer.headLength() + fault.bodyBytes());
                try {
                    out.write(answer.raw(), 0, cut);
                    out.flush();
                } finally {
                    FaultProxy.closeQuietly(client);
                }
                return false;
            default:
                sendToClient(answer.raw(), WireRecord.Delivery.RELAYED, answer.status(), record);
                return answer.keepAlive();
        }
    }

    private void sendToClient(byte[] bytes, WireRecord.Delivery delivery, int status, WireRecord.Builder record)
            throws IOException {
        publish(record, delivery, status);
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            record.delivered(WireRecord.Delivery.CLIENT_GONE, -1);
            proxy.recorder().put(record.build());
            throw e;
        }
    }

    /** Sends the request as received (minus Expect) and reads the complete answer. */
    private static Answer forward(Socket upstream, String method, String target, List<Map.Entry<String, String>> headers,
                                  HttpIo.Body body) throws IOException {
        StringBuilder head = new StringBuilder(512);
        head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        for (Map.Entry<String, String> h : headers) {
            if (h.getKey().equalsIgnoreCase("Expect")) {
                continue; // the proxy already said 100 Continue and has the whole body
            }
            head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        }
        head.append("\r\n");
        OutputStream up = new BufferedOutputStream(upstream.getOutputStream(), 16 * 1024);
        up.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        up.write(body.raw());
        up.flush();

        InputStream in = new BufferedInputStream(upstream.getInputStream(), 16 * 1024);
        String statusLine;
        int status;
        List<Map.Entry<String, String>> answerHeaders;
        do {
            statusLine = HttpIo.readLine(in);
            if (statusLine == null) {
                throw new EOFException("upstream closed without answering");
            }
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                throw new IOException("malformed status line from upstream");
            }
            try {
                status = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                throw new IOException("malformed status from upstream");
            }
            answerHeaders = HttpIo.readHeaders(in);
        } while (status >= 100 && status < 200 && status != 101);

        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        StringBuilder answerHead = new StringBuilder(512).append(statusLine).append("\r\n");
        for (Map.Entry<String, String> h : answerHeaders) {
            answerHead.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        }
        answerHead.append("\r\n");
        byte[] headBytes = answerHead.toString().getBytes(StandardCharsets.ISO_8859_1);
        raw.write(headBytes);
        boolean keepAlive = !HttpIo.hasToken(answerHeaders, "Connection", "close");
        if (!(method.equals("HEAD") || status == 204 || status == 304 || status < 200)) {
            if (HttpIo.isChunked(answerHeaders)) {
                raw.write(HttpIo.readChunked(in).raw());
            } else {
                long length = HttpIo.contentLength(answerHeaders);
                if (length >= 0) {
                    raw.write(HttpIo.readFixed(in, length).raw());
                } else {
                    raw.write(HttpIo.readToEnd(in).raw()); // delimited by close: the client must see a close too
                    keepAlive = false;
                }
            }
        }
        return new Answer(status, HttpIo.first(answerHeaders, "ETag"), raw.toByteArray(), headBytes.length, keepAlive);
    }

    /** Waits for the fault's gate, if any (bounded, so a forgotten gate cannot hang a run). */
    private static void hold(Fault fault) throws IOException {
        if (fault.gate() == null) {
            return;
        }
        try {
            fault.gate().await(Fault.MAX_HOLD.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("fault proxy closing");
        }
    }

    private static void pause(Duration d) throws IOException {
        if (d.isZero()) {
            return;
        }
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("fault proxy closing");
        }
    }
}
