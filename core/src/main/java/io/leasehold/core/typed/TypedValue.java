package io.leasehold.core.typed;

import io.leasehold.core.ObjectInfo;
import io.leasehold.core.ObjectVersion;
import java.util.Objects;

/**
 * An object read through a typed view: its decoded value and its version, to pass to
 * {@link io.leasehold.core.PutMode#update(ObjectVersion)} for the next compare-and-swap.
 *
 * <p>Thread-safety: immutable (the value is as mutable as its type makes it; each read decodes a new one).
 *
 * @param <T> the value type
 */
public final class TypedValue<T> {
    private final T value;
    private final ObjectInfo info;

    TypedValue(T value, ObjectInfo info) {
        this.value = value;
        this.info = Objects.requireNonNull(info, "info");
    }

    /**
     * The decoded value.
     *
     * @return the value
     */
    public T value() {
        return value;
    }

    /**
     * The version read.
     *
     * @return {@code info().version()}
     */
    public ObjectVersion version() {
        return info.version();
    }

    /**
     * The object's information (size, last modified, content type, user metadata).
     *
     * @return the information
     */
    public ObjectInfo info() {
        return info;
    }

    @Override
    public String toString() {
        return "TypedValue{" + info + "}";
    }
}
