package io.leasehold.tck.faults;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** One raw HTTP/1.1 client connection, so the tests control framing, Expect and keep-alive byte by byte. */
final class RawClient implements AutoCloseable {
    /** A response as read from the wire. */
    record Response(int status, List<Map.Entry<String, String>> headers, byte[] body) {
        String header(String name) {
            return HttpIo.first(headers, name);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawClient(URI endpoint) throws IOException {
        socket = new Socket(endpoint.getHost(), endpoint.getPort());
        socket.setSoTimeout(10_000);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** Sends a request head (request line and headers, CRLF-separated, without the final empty line). */
    RawClient head(String requestLineAndHeaders) throws IOException {
        out.write((requestLineAndHeaders.replace("\n", "\r\n") + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return this;
    }

    RawClient bytes(byte[] b) throws IOException {
        out.write(b);
        out.flush();
        return this;
    }

    RawClient text(String s) throws IOException {
        return bytes(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** A complete request with a Content-Length body. */
    RawClient request(String method, String path, String extraHeaders, byte[] body) throws IOException {
        String h = method + " " + path + " HTTP/1.1\nHost: test" + (extraHeaders.isEmpty() ? "" : "\n" + extraHeaders)
                + (body == null ? "" : "\nContent-Length: " + body.length);
        head(h);
        if (body != null) {
            bytes(body);
        }
        return this;
    }

    /** Reads one response; {@code headRequest} says it answers a HEAD (no body). Null on a clean end of stream. */
    Response read(boolean headRequest) throws IOException {
        String statusLine = HttpIo.readLine(in);
        if (statusLine == null) {
            return null;
        }
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        List<Map.Entry<String, String>> headers = HttpIo.readHeaders(in);
        byte[] body = new byte[0];
        if (!headRequest && status != 204 && status != 304 && status >= 200) {
            if (HttpIo.isChunked(headers)) {
                body = HttpIo.readChunked(in).content();
            } else {
                long n = HttpIo.contentLength(headers);
                body = n >= 0 ? HttpIo.readFixed(in, n).content() : HttpIo.readToEnd(in).content();
            }
        }
        return new Response(status, headers, body);
    }

    Response read() throws IOException {
        return read(false);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
