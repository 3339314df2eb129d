package io.leasehold.core.typed;

import io.leasehold.core.ErrorCode;
import io.leasehold.core.GetResult;
import io.leasehold.core.InvalidArgumentException;
import io.leasehold.core.ObjectStoreException;
import io.leasehold.core.PutOptions;
import io.leasehold.core.UpdateFunction;
import io.leasehold.core.UpdateOptions;
import io.leasehold.core.UpdateResult;
import java.util.Arrays;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * What the blocking and asynchronous typed views share: encoding and decoding with typed failures,
 * the codec's content type as the default, and the update function over values.
 *
 * <p>Thread-safety: immutable.
 */
final class Typing<T> {
    final Codec<T> codec;

    Typing(Codec<T> codec) {
        if (codec == null) {
            throw new InvalidArgumentException("codec", "must not be null");
        }
        this.codec = codec;
    }

    byte[] encode(String field, T value) {
        if (value == null) {
            throw new InvalidArgumentException(field, "must not be null");
        }
        byte[] content;
        try {
            content = codec.encode(value);
        } catch (ObjectStoreException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new InvalidArgumentException(field, codec + " cannot encode it (" + e.getClass().getSimpleName()
                    + "); see the cause", e);
        }
        if (content == null) {
            throw new InvalidArgumentException(field, codec + " encoded it as null");
        }
        return content;
    }

    T decode(String key, byte[] content) {
        T value;
        try {
            value = codec.decode(content);
        } catch (ObjectStoreException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ObjectStoreException(ErrorCode.UNKNOWN, key, "the stored content cannot be decoded by " + codec
                    + " (" + e.getClass().getSimpleName() + "); see the cause", e);
        }
        if (value == null) {
            // Null means "absent" to update functions: a present object must never look absent.
            throw new ObjectStoreException(ErrorCode.UNKNOWN, key, "the stored content decodes to null by " + codec
                    + " (e.g. JSON null); typed views give null only for an absent object", null);
        }
        return value;
    }

    TypedValue<T> value(String key, GetResult read) {
        return new TypedValue<>(decode(key, read.content()), read.info());
    }

    PutOptions putOptions(PutOptions options) {
        if (options == null) {
            throw new InvalidArgumentException("options", "must not be null");
        }
        return options.contentType().isPresent() || codec.contentType().isEmpty() ? options
                : options.toBuilder().contentType(codec.contentType().get()).build();
    }

    UpdateOptions updateOptions(UpdateOptions options) {
        if (options == null) {
            throw new InvalidArgumentException("options", "must not be null");
        }
        return options.contentType().isPresent() || codec.contentType().isEmpty() ? options
                : options.toBuilder().contentType(codec.contentType().get()).build();
    }

    /**
     * The update function over bytes: decodes the current content afresh for every run (the function
     * may change the value it is given), and answers "no change" when the new value encodes to the
     * bytes stored.
     */
    UpdateFunction function(String key, Function<? super @Nullable T, ? extends T> fn) {
        if (fn == null) {
            throw new InvalidArgumentException("fn", "must not be null");
        }
        return current -> {
            T next = fn.apply(current == null ? null : decode(key, current));
            if (next == null) {
                throw new InvalidArgumentException("fn", "returned null; return the value as it is to write nothing");
            }
            byte[] content = encode("fn", next);
            return current != null && Arrays.equals(content, current) ? UpdateFunction.unchanged() : content;
        };
    }

    TypedUpdateResult<T> result(String key, UpdateResult result) {
        byte[] content = result.content();
        return new TypedUpdateResult<>(content == null ? null : decode(key, content), result);
    }
}
