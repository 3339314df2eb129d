package io.leasehold.core.typed;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;

/**
 * Turns values into object content and back, for the typed views of a store
 * ({@link TypedStore#of(io.leasehold.core.ObjectStore, Codec)}).
 *
 * <pre>{@code
 * TypedStore<String> notes = TypedStore.of(store, Codec.utf8());
 * TypedStore<Settings> settings = TypedStore.of(store, Codec.json(Settings.class));
 * }</pre>
 *
 * <h2>Failures</h2>
 * {@link #encode} and {@link #decode} throw an unchecked exception for a value they cannot encode or
 * content they cannot decode; the typed views turn it into an
 * {@link io.leasehold.core.InvalidArgumentException} (encoding: nothing is sent) or an
 * {@link io.leasehold.core.ObjectStoreException} with {@link io.leasehold.core.ErrorCode#UNKNOWN}
 * naming the key (decoding), keeping it as the cause. Their messages never quote the content.
 *
 * <p>Thread-safety: implementations MUST be safe for concurrent use (the built-in ones are).
 *
 * @param <T> the value type
 */
public interface Codec<T> {

    /**
     * The content of a value.
     *
     * @param value the value, never null
     * @return its bytes; a new array the caller may keep
     */
    byte[] encode(T value);

    /**
     * The value of some content.
     *
     * @param content the bytes, never null (not to be modified)
     * @return the value; a null (e.g. JSON {@code null}) is refused by the typed views as content that
     *     cannot be decoded, since their update functions are given null only for an absent object
     */
    T decode(byte[] content);

    /**
     * The content type written with encoded values when the options name none.
     *
     * @return the media type, or empty to write none
     */
    default Optional<String> contentType() {
        return Optional.empty();
    }

    /**
     * Text in UTF-8; decoding refuses bytes that are not valid UTF-8 rather than replacing them.
     *
     * @return the codec, content type {@code text/plain; charset=utf-8}
     */
    static Codec<String> utf8() {
        return Codecs.UTF8;
    }

    /**
     * JSON through a plain Jackson {@link ObjectMapper} (with the Java time module when
     * {@code jackson-datatype-jsr310} is on the class path). For your own mapper, use
     * {@link #json(Class, ObjectMapper)}.
     *
     * @param type the value type
     * @param <T> the value type
     * @return the codec, content type {@code application/json}
     */
    static <T> Codec<T> json(Class<T> type) {
        return json(type, Codecs.defaultMapper());
    }

    /**
     * JSON through the given Jackson mapper.
     *
     * @param type the value type
     * @param mapper the mapper, used as it is (configure it before; Jackson mappers are thread-safe once configured)
     * @param <T> the value type
     * @return the codec, content type {@code application/json}
     * @throws io.leasehold.core.InvalidArgumentException if an argument is null
     */
    static <T> Codec<T> json(Class<T> type, ObjectMapper mapper) {
        if (type == null || mapper == null) {
            throw new io.leasehold.core.InvalidArgumentException(type == null ? "type" : "mapper", "must not be null");
        }
        return new Codecs.Json<>(type, mapper);
    }
}
