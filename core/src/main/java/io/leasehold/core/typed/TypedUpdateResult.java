package io.leasehold.core.typed;

import io.leasehold.core.ObjectVersion;
import io.leasehold.core.UpdateResult;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a typed update did: the value it left (written, or found unchanged) and the update's result.
 *
 * <p>Thread-safety: immutable (the value is as mutable as its type makes it).
 *
 * @param <T> the value type
 */
public final class TypedUpdateResult<T> {
    private final @Nullable T value;
    private final UpdateResult result;

    TypedUpdateResult(@Nullable T value, UpdateResult result) {
        this.value = value;
        this.result = Objects.requireNonNull(result, "result");
    }

    /**
     * The value written, or when the function changed nothing the value it was given (decoded from
     * {@link UpdateResult#content()}).
     *
     * @return the value; null only when nothing was changed on an absent object
     */
    public @Nullable T value() {
        return value;
    }

    /**
     * Whether this call's change was written ({@link UpdateResult#changed()}).
     *
     * @return false if the function's value encoded to the bytes stored
     */
    public boolean changed() {
        return result.changed();
    }

    /**
     * The version written or read ({@link UpdateResult#version()}).
     *
     * @return the version
     * @throws IllegalStateException if nothing was changed on an absent object
     */
    public ObjectVersion version() {
        return result.version();
    }

    /**
     * The untyped result: attempts, conflicts, whether it created the object, the write.
     *
     * @return the result
     */
    public UpdateResult result() {
        return result;
    }

    @Override
    public String toString() {
        return "TypedUpdateResult{" + result + "}";
    }
}
