package io.leasehold.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leasehold.core.ETag;
import io.leasehold.core.ObjectInfo;
import io.leasehold.core.ObjectVersion;
import io.leasehold.core.PutResult;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;

/**
 * The CLI's JSON output: one compact object per line, dates in ISO-8601 (UTC), absent values as
 * {@code null}. ETags are printed without quotes (weak ones keep their {@code W/"..."} form); every
 * {@code --if-match} / {@code --if-none-match} accepts that form back.
 *
 * <p>Thread-safety: stateless; the shared mapper is thread-safe.
 */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    /**
     * A new, empty JSON object to fill and print with {@link #line(ObjectNode)}.
     *
     * @return the object
     */
    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /**
     * The line for a write: {@code {"key","etag","size","lastModified","versionId","writeId"}}, plus
     * {@code "superseded":true} when the write landed but a later write had replaced it before its
     * version was known (its {@code etag} is then {@code null}).
     *
     * @param result what the put returned
     * @return the JSON object
     */
    public static ObjectNode of(PutResult result) {
        ObjectNode node = version(result.key(), result.version(), result.size(), result.lastModified().orElse(null));
        node.put("writeId", result.writeId().orElse(null));
        if (result.isSuperseded()) {
            node.put("superseded", true);
        }
        return node;
    }

    /**
     * The line for an object's metadata: the same five fields as a write, then {@code contentType}
     * and {@code metadata}.
     *
     * @param info what a head or get saw
     * @return the JSON object
     */
    public static ObjectNode of(ObjectInfo info) {
        ObjectNode node = version(info.key(), info.version(), info.size(), info.lastModified());
        node.put("contentType", info.contentType().orElse(null));
        ObjectNode meta = node.putObject("metadata");
        for (Map.Entry<String, String> e : info.userMetadata().entrySet()) {
            meta.put(e.getKey(), e.getValue());
        }
        return node;
    }

    /**
     * The line for a listed object ({@code ls}): {@code {"key","etag","size","lastModified"}}.
     *
     * @param info a listing's entry
     * @return the JSON object
     */
    public static ObjectNode listed(ObjectInfo info) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("key", info.key());
        node.put("etag", info.version().isUnknown() ? null : etag(info.version().etag()));
        node.put("size", info.size());
        node.put("lastModified", instant(info.lastModified()));
        return node;
    }

    /**
     * An ETag as printed: the opaque value for strong tags, {@code W/"value"} for weak ones.
     *
     * @param etag the tag
     * @return the printed form
     */
    public static String etag(ETag etag) {
        return etag.isWeak() || etag.isAny() ? etag.quoted() : etag.value();
    }

    /**
     * An instant as printed (ISO-8601, UTC), or null.
     *
     * @param instant the instant, or null
     * @return the text, or null
     */
    public static String instant(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    /**
     * Serialises a JSON object on one line.
     *
     * @param node the object
     * @return compact JSON without a line break
     */
    public static String line(ObjectNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode version(String key, ObjectVersion version, long size, Instant lastModified) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("key", key);
        node.put("etag", version.isUnknown() ? null : etag(version.etag()));
        node.put("size", size);
        node.put("lastModified", instant(lastModified));
        node.put("versionId", version.versionId().orElse(null));
        return node;
    }
}
