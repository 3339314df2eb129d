package io.leasehold.core.typed;

import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The built-in codecs and the default JSON mapper.
 *
 * <p>Thread-safety: the codecs are immutable; the mapper is configured once, then only used.
 */
final class Codecs {
    private static final String JAVA_TIME_MODULE = "com.fasterxml.jackson.datatype.jsr310.JavaTimeModule";

    static final Codec<String> UTF8 = new Codec<>() {
        @Override
        public byte[] encode(String value) {
            return value.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String decode(byte[] content) {
            try {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(content)).toString();
            } catch (CharacterCodingException e) {
                throw new IllegalArgumentException("not valid UTF-8", e);
            }
        }

        @Override
        public Optional<String> contentType() {
            return Optional.of("text/plain; charset=utf-8");
        }

        @Override
        public String toString() {
            return "Codec.utf8()";
        }
    };

    private Codecs() {
    }

    /** The shared default mapper (never handed out, so never reconfigured). */
    static ObjectMapper defaultMapper() {
        return DefaultMapper.INSTANCE;
    }

    /** Created on first use. */
    private static final class DefaultMapper {
        static final ObjectMapper INSTANCE = plainMapper();
    }

    /** A new plain mapper, with the Java time module when it is on the class path. */
    private static ObjectMapper plainMapper() {
        ObjectMapper mapper = new ObjectMapper();
        try {
            Class<?> module = Class.forName(JAVA_TIME_MODULE, true, Codecs.class.getClassLoader());
            mapper.registerModule((Module) module.getDeclaredConstructor().newInstance());
        } catch (ClassNotFoundException | LinkageError absent) {
            // Not on the class path: a plain mapper, which refuses java.time values with a message naming the module.
        } catch (ReflectiveOperationException | ClassCastException unusable) {
            // Present but not usable (another Jackson line): a plain mapper.
        }
        return mapper;
    }

    /** JSON of one type through one mapper. */
    static final class Json<T> implements Codec<T> {
        private final Class<T> type;
        private final ObjectMapper mapper;

        Json(Class<T> type, ObjectMapper mapper) {
            this.type = type;
            this.mapper = mapper;
        }

        @Override
        public byte[] encode(T value) {
            try {
                return mapper.writeValueAsBytes(value);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public T decode(byte[] content) {
            try {
                return mapper.readValue(content, type);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public Optional<String> contentType() {
            return Optional.of("application/json");
        }

        @Override
        public String toString() {
            return "Codec.json(" + type.getSimpleName() + ")";
        }
    }
}
