package io.leasehold.driver.file;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leasehold.core.ETag;
import io.leasehold.core.ObjectInfo;
import io.leasehold.core.ObjectVersion;
import java.io.IOException;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The JSON header of one object file (see {@link FileDriver} for the layout). Fields this version
 * does not know are kept in {@link #extra} and written back unchanged, so that later versions (e.g.
 * lease state) and older readers can share a directory.
 *
 * <p>Thread-safety: immutable.
 */
final class ObjectHeader {
    /** The header format this code writes. Readers refuse newer formats. */
    static final int FORMAT = 1;
    private static final Set<String> KNOWN = Set.of("format", "key", "etag", "generation", "lastModified",
            "contentType", "metadata", "size");

    final String key;
    final ETag etag;
    final long generation;
    final Instant lastModified;
    final String contentType;
    final Map<String, String> metadata;
    final long size;
    /** Fields this version does not interpret (e.g. lease state), kept as JSON. */
    final Map<String, JsonNode> extra;

    ObjectHeader(String key, ETag etag, long generation, Instant lastModified, String contentType,
                 Map<String, String> metadata, long size, Map<String, JsonNode> extra) {
        this.key = key;
        this.etag = etag;
        this.generation = generation;
        this.lastModified = lastModified;
        this.contentType = contentType;
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        this.size = size;
        this.extra = Collections.unmodifiableMap(new LinkedHashMap<>(extra));
    }

    ObjectInfo info() {
        return new ObjectInfo(key, ObjectVersion.of(etag, null), size, lastModified, contentType, metadata);
    }

    /** The same object state with one extra field set (or removed when {@code value} is null). */
    ObjectHeader withExtra(String name, JsonNode value) {
        if (KNOWN.contains(name)) {
            throw new IllegalArgumentException("not an extra field: " + name);
        }
        Map<String, JsonNode> e = new LinkedHashMap<>(extra);
        if (value == null) {
            e.remove(name);
        } else {
            e.put(name, value);
        }
        return new ObjectHeader(key, etag, generation, lastModified, contentType, metadata, size, e);
    }

    byte[] toJson(ObjectMapper json) {
        ObjectNode node = json.createObjectNode();
        node.put("format", FORMAT);
        node.put("key", key);
        node.put("etag", etag.value());
        node.put("generation", generation);
        node.put("lastModified", lastModified.toString());
        if (contentType != null) {
            node.put("contentType", contentType);
        }
        ObjectNode meta = node.putObject("metadata");
        metadata.forEach(meta::put);
        node.put("size", size);
        extra.forEach(node::set);
        try {
            return json.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise an object header", e);
        }
    }

    static ObjectHeader fromJson(ObjectMapper json, byte[] bytes) throws IOException {
        JsonNode node = json.readTree(bytes);
        if (node == null || !node.isObject()) {
            throw new IOException("object header is not a JSON object");
        }
        int format = node.path("format").asInt(-1);
        if (format < 1 || format > FORMAT) {
            throw new IOException("unsupported object header format " + node.path("format")
                    + " (this version reads up to " + FORMAT + ")");
        }
        String key = required(node, "key").asText();
        ETag etag = ETag.strong(required(node, "etag").asText());
        long generation = node.path("generation").asLong(0);
        Instant lastModified = Instant.parse(required(node, "lastModified").asText());
        String contentType = node.hasNonNull("contentType") ? node.get("contentType").asText() : null;
        Map<String, String> metadata = new LinkedHashMap<>();
        JsonNode meta = node.path("metadata");
        for (Map.Entry<String, JsonNode> e : meta.properties()) {
            metadata.put(e.getKey(), e.getValue().asText());
        }
        long size = required(node, "size").asLong(-1);
        if (size < 0) {
            throw new IOException("object header has no valid size");
        }
        Map<String, JsonNode> extra = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!KNOWN.contains(e.getKey())) {
                extra.put(e.getKey(), e.getValue());
            }
        }
        return new ObjectHeader(key, etag, generation, lastModified, contentType, metadata, size, extra);
    }

    private static JsonNode required(JsonNode node, String field) throws IOException {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw new IOException("object header lacks '" + field + "'");
        }
        return v;
    }
}
