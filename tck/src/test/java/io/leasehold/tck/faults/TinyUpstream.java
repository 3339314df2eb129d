package io.leasehold.tck.faults;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A tiny object server for the proxy's self-tests (JDK HttpServer on 127.0.0.1): PUT stores the body
 * under the path, GET/HEAD return it, {@code /no-content} answers 204, {@code /not-modified} 304,
 * {@code /chunked} a chunked body. Every request it saw is kept.
 */
final class TinyUpstream implements AutoCloseable {
    /** One request as the upstream saw it. */
    record Seen(String method, String path, byte[] body, Map<String, List<String>> headers) {
        String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey() != null && e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }
    }

    private final HttpServer server;
    private final Map<String, byte[]> objects = new ConcurrentHashMap<>();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();

    TinyUpstream() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 50);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "tiny-upstream");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    List<Seen> seen() {
        return seen;
    }

    byte[] object(String path) {
        return objects.get(path);
    }

    private void handle(HttpExchange ex) throws IOException {
        byte[] body = ex.getRequestBody().readAllBytes();
        String path = ex.getRequestURI().getRawPath();
        seen.add(new Seen(ex.getRequestMethod(), path, body, Map.copyOf(ex.getRequestHeaders())));
        try (OutputStream out = ex.getResponseBody()) {
            switch (ex.getRequestMethod()) {
                case "PUT":
                    objects.put(path, body);
                    ex.getResponseHeaders().add("ETag", "\"" + WriteEvidence.sha256Hex(body).substring(0, 16) + "\"");
                    ex.sendResponseHeaders(200, -1);
                    return;
                case "HEAD":
                case "GET":
                    if (path.equals("/no-content")) {
                        ex.sendResponseHeaders(204, -1);
                        return;
                    }
                    if (path.equals("/not-modified")) {
                        ex.getResponseHeaders().add("ETag", "\"x\"");
                        ex.sendResponseHeaders(304, -1);
                        return;
                    }
                    if (path.equals("/chunked")) {
                        ex.sendResponseHeaders(200, 0); // length 0 = chunked
                        out.write("first part, ".getBytes());
                        out.flush();
                        out.write("second part".getBytes());
                        return;
                    }
                    byte[] content = objects.get(path);
                    if (content == null) {
                        ex.sendResponseHeaders(404, -1);
                        return;
                    }
                    if (ex.getRequestMethod().equals("HEAD")) {
                        ex.getResponseHeaders().add("Content-Length", Integer.toString(content.length));
                        ex.sendResponseHeaders(200, -1);
                        return;
                    }
                    ex.sendResponseHeaders(200, content.length);
                    out.write(content);
                    return;
                default:
                    ex.sendResponseHeaders(405, -1);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
