package io.leasehold.bench;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The object the stub transports serve: a small JSON document with the bookkeeping metadata an object
 * written by Leasehold carries (a write id and a full history of 12 tokens), so that reads pay the
 * parsing they pay in production.
 *
 * <p>Thread-safety: immutable.
 */
public final class Fixture {
    /** The content size the benchmarks use unless told otherwise. */
    public static final int DEFAULT_SIZE = 1024;

    private final byte[] content;
    private final Map<String, String> metadata;

    private Fixture(byte[] content, Map<String, String> metadata) {
        this.content = content;
        this.metadata = metadata;
    }

    /**
     * A document of {@code size} bytes with a full history.
     *
     * @param size the content size in bytes
     * @return the fixture
     */
    public static Fixture of(int size) {
        byte[] content = new byte[size];
        Arrays.fill(content, (byte) 'x');
        byte[] prefix = "{\"counter\":41,\"pad\":\"".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(prefix, 0, content, 0, Math.min(prefix.length, size));
        if (size > prefix.length + 2) {
            content[size - 2] = '"';
            content[size - 1] = '}';
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("leasehold_w", "3f9c0b7d21e4a6c8");
        StringBuilder history = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            if (i > 0) {
                history.append(' ');
            }
            history.append(String.format("%016x", 0x1000_0000_0000_0000L + i * 7919L));
        }
        meta.put("leasehold_h", history.toString());
        return new Fixture(content, Map.copyOf(meta));
    }

    /** @return the content (shared: do not modify) */
    public byte[] content() {
        return content;
    }

    /** @return the current ETag, unquoted */
    public String etag() {
        return "0x8DCF1E2D3C4B5A6";
    }

    /** @return the ETag a write answers with, unquoted */
    public String nextEtag() {
        return "0x8DCF1E2D3C4B5A7";
    }

    /** @return the stored metadata, names without the store's prefix */
    public Map<String, String> metadata() {
        return metadata;
    }

    /**
     * The update function the benchmarks apply: a fresh array of the same size, one byte changed.
     *
     * @param current the current content
     * @return the new content
     */
    public static byte[] bump(byte[] current) {
        byte[] next = current == null ? new byte[DEFAULT_SIZE] : current.clone();
        if (next.length > 11) {
            next[11] = (byte) ('0' + (next[11] + 1) % 10);
        }
        return next;
    }
}
