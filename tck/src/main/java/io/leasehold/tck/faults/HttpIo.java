package io.leasehold.tck.faults;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * HTTP/1.1 message framing for {@link FaultProxy}: lines, headers and the three body framings
 * (Content-Length, chunked, until close). Bodies are kept in their wire form, so the proxy forwards
 * exactly the bytes it received (signatures cover framing headers such as Content-Length).
 *
 * <p>Thread-safety: stateless.
 */
final class HttpIo {
    private static final int MAX_LINE = 64 * 1024;
    private static final int MAX_HEADERS = 200;

    /** A body as it travelled (raw, including chunk framing) and as its content (decoded). */
    record Body(byte[] raw, byte[] content) {
        static final Body EMPTY = new Body(new byte[0], new byte[0]);
    }

    private HttpIo() {
    }

    /**
     * Reads one line without its CRLF (or LF).
     *
     * @return the line, or null on end of stream before any byte
     */
    static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
            if (line.size() > MAX_LINE) {
                throw new IOException("HTTP line longer than " + MAX_LINE + " bytes");
            }
        }
        if (line.size() == 0) {
            return null;
        }
        throw new EOFException("stream ended inside an HTTP line");
    }

    /** Reads header lines up to the empty line. */
    static List<Map.Entry<String, String>> readHeaders(InputStream in) throws IOException {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        while (true) {
            String line = readLine(in);
            if (line == null) {
                throw new EOFException("stream ended inside the headers");
            }
            if (line.isEmpty()) {
                return headers;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException("malformed header line");
            }
            headers.add(Map.entry(line.substring(0, colon).trim(), line.substring(colon + 1).trim()));
            if (headers.size() > MAX_HEADERS) {
                throw new IOException("more than " + MAX_HEADERS + " headers");
            }
        }
    }

    static String first(List<Map.Entry<String, String>> headers, String name) {
        for (Map.Entry<String, String> h : headers) {
            if (h.getKey().equalsIgnoreCase(name)) {
                return h.getValue();
            }
        }
        return null;
    }

    /** Whether any value of a comma-separated header contains {@code token} (case-insensitive). */
    static boolean hasToken(List<Map.Entry<String, String>> headers, String name, String token) {
        for (Map.Entry<String, String> h : headers) {
            if (h.getKey().equalsIgnoreCase(name)) {
                for (String part : h.getValue().split(",")) {
                    if (part.trim().equalsIgnoreCase(token)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    static boolean isChunked(List<Map.Entry<String, String>> headers) {
        return hasToken(headers, "Transfer-Encoding", "chunked");
    }

    /** The Content-Length, or -1 if absent. */
    static long contentLength(List<Map.Entry<String, String>> headers) throws IOException {
        String value = first(headers, "Content-Length");
        if (value == null) {
            return -1;
        }
        try {
            long n = Long.parseLong(value.trim());
            if (n < 0) {
                throw new IOException("negative Content-Length");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IOException("malformed Content-Length");
        }
    }

    static Body readFixed(InputStream in, long length) throws IOException {
        if (length > Integer.MAX_VALUE - 8) {
            throw new IOException("body too large for the fault proxy: " + length);
        }
        byte[] bytes = in.readNBytes((int) length);
        if (bytes.length < length) {
            throw new EOFException("body ended after " + bytes.length + " of " + length + " bytes");
        }
        return new Body(bytes, bytes);
    }

    /** Reads a chunked body including its last chunk and trailers; keeps both forms. */
    static Body readChunked(InputStream in) throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine(in);
            if (sizeLine == null) {
                throw new EOFException("stream ended before the last chunk");
            }
            raw.write((sizeLine + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            int semicolon = sizeLine.indexOf(';');
            String hex = (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim();
            long size;
            try {
                size = Long.parseLong(hex, 16);
            } catch (NumberFormatException e) {
                throw new IOException("malformed chunk size");
            }
            if (size == 0) {
                // trailers, then the empty line
                while (true) {
                    String trailer = readLine(in);
                    if (trailer == null) {
                        throw new EOFException("stream ended inside the trailers");
                    }
                    raw.write((trailer + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    if (trailer.isEmpty()) {
                        return new Body(raw.toByteArray(), content.toByteArray());
                    }
                }
            }
            byte[] data = readFixed(in, size).content();
            raw.write(data);
            content.write(data);
            String end = readLine(in);
            if (end == null || !end.isEmpty()) {
                throw new IOException("chunk not followed by CRLF");
            }
            raw.write('\r');
            raw.write('\n');
        }
    }

    static Body readToEnd(InputStream in) throws IOException {
        byte[] bytes = in.readAllBytes();
        return new Body(bytes, bytes);
    }

    /** Lower-case hex SHA-256. */
    static String sha256Hex(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            StringBuilder hex = new StringBuilder(64);
            for (byte b : digest) {
                hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
