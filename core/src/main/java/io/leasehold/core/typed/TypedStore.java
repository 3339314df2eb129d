package io.leasehold.core.typed;

import io.leasehold.core.GetOptions;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.PutOptions;
import io.leasehold.core.PutResult;
import io.leasehold.core.UpdateOptions;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A view of a store whose objects hold values of one type, encoded by a {@link Codec}: the store's
 * get, put and update with values instead of bytes, with the same conditions, retries, settlement and
 * errors. Obtain it with {@link #of(ObjectStore, Class)} (JSON) or {@link #of(ObjectStore, Codec)}.
 *
 * <pre>{@code
 * TypedStore<Settings> settings = TypedStore.of(store, Settings.class);   // JSON
 * settings.put("settings.json", new Settings("light"));
 * TypedUpdateResult<Settings> r = settings.update("settings.json", s -> s.withTheme("dark"));
 * }</pre>
 *
 * <h2>No change</h2>
 * An update function returns the new value; a value that encodes to the bytes stored is no change:
 * nothing is written and {@link TypedUpdateResult#changed()} is false. So returning the value as it
 * was given (changed in place or not) writes only if its encoding differs. Returning null is refused.
 * Each run of the function gets a freshly decoded value, so changing it in place is safe.
 *
 * <h2>Errors</h2>
 * As the store's operations, plus: a value that cannot be encoded is an
 * {@link io.leasehold.core.InvalidArgumentException} (nothing is sent); content that cannot be decoded
 * is an {@link io.leasehold.core.ObjectStoreException} with {@link io.leasehold.core.ErrorCode#UNKNOWN}
 * and the codec's exception as cause (an update then ends without writing).
 *
 * <p>Thread-safety: immutable; safe for concurrent use as the store is.
 *
 * @param <T> the value type
 */
public final class TypedStore<T> {
    private final ObjectStore store;
    private final Typing<T> typing;

    /**
     * A view of a store whose objects hold JSON of one type ({@link Codec#json(Class)}: Jackson with a
     * plain mapper; pass {@link Codec#json(Class, com.fasterxml.jackson.databind.ObjectMapper)} to
     * {@link #of(ObjectStore, Codec)} for your own).
     *
     * @param store the store
     * @param type the value type
     * @param <T> the value type
     * @return the view
     * @throws io.leasehold.core.InvalidArgumentException if an argument is null
     */
    public static <T> TypedStore<T> of(ObjectStore store, Class<T> type) {
        return new TypedStore<>(store, Codec.json(type));
    }

    /**
     * A view of a store whose objects hold values encoded by a codec.
     *
     * @param store the store
     * @param codec e.g. {@link Codec#utf8()} or {@link Codec#json(Class)}
     * @param <T> the value type
     * @return the view
     * @throws io.leasehold.core.InvalidArgumentException if an argument is null
     */
    public static <T> TypedStore<T> of(ObjectStore store, Codec<T> codec) {
        return new TypedStore<>(store, codec);
    }

    /**
     * A view of a store.
     *
     * @param store the store
     * @param codec the codec
     * @throws io.leasehold.core.InvalidArgumentException if an argument is null
     */
    public TypedStore(ObjectStore store, Codec<T> codec) {
        if (store == null) {
            throw new io.leasehold.core.InvalidArgumentException("store", "must not be null");
        }
        this.store = store;
        this.typing = new Typing<>(codec);
    }

    /**
     * The store this is a view of.
     *
     * @return the store
     */
    public ObjectStore store() {
        return store;
    }

    /**
     * The codec.
     *
     * @return the codec
     */
    public Codec<T> codec() {
        return typing.codec;
    }

    /**
     * Reads and decodes an object ({@link ObjectStore#get(String)}).
     *
     * @param key the key
     * @return the value and its version
     * @throws io.leasehold.core.ObjectNotFoundException if the key does not exist
     * @throws io.leasehold.core.ObjectStoreException with {@link io.leasehold.core.ErrorCode#UNKNOWN} if
     *     the content cannot be decoded; else as {@link ObjectStore#get(String)}
     */
    public TypedValue<T> get(String key) {
        return typing.value(key, store.get(key, GetOptions.defaults()));
    }

    /**
     * Encodes and writes a value unconditionally, with the codec's content type.
     *
     * @param key the key
     * @param value the value
     * @return the new version
     * @throws io.leasehold.core.InvalidArgumentException if the value is null or cannot be encoded
     *     (nothing was sent); else as {@link ObjectStore#put(String, byte[])}
     */
    public PutResult put(String key, T value) {
        return put(key, value, PutOptions.defaults());
    }

    /**
     * Encodes and writes a value with a mode and conditions; the codec's content type unless the
     * options name one.
     *
     * @param key the key
     * @param value the value
     * @param options mode, conditions, content type, metadata, lease
     * @return the new version
     * @throws io.leasehold.core.InvalidArgumentException if the value is null or cannot be encoded
     *     (nothing was sent); else as {@link ObjectStore#put(String, byte[], PutOptions)}
     */
    public PutResult put(String key, T value, PutOptions options) {
        return store.put(key, typing.encode("value", value), typing.putOptions(options));
    }

    /**
     * Read-modify-write of a value with the store's default update options.
     *
     * @param key the key; created when absent
     * @param fn the change: given the current value (null if absent), returns the new one; may run
     *     several times, so keep it free of side effects
     * @return the value left and the update's result
     * @throws io.leasehold.core.ObjectStoreException as {@link #update(String, Function, UpdateOptions)}
     */
    public TypedUpdateResult<T> update(String key, Function<? super @Nullable T, ? extends T> fn) {
        return update(key, fn, store.defaultUpdateOptions());
    }

    /**
     * Read-modify-write of a value ({@link ObjectStore#update(String, io.leasehold.core.UpdateFunction,
     * UpdateOptions)}); a value that encodes to the bytes stored writes nothing (see the class documentation).
     *
     * @param key the key; created when absent
     * @param fn the change: given the current value (null if absent), returns the new one, never null
     * @param options retry, listener, content type (default the codec's), metadata, lease
     * @return the value left and the update's result
     * @throws io.leasehold.core.InvalidArgumentException if the function returns null or a value that
     *     cannot be encoded (nothing more is sent)
     * @throws io.leasehold.core.ObjectStoreException with {@link io.leasehold.core.ErrorCode#UNKNOWN} if
     *     the stored content cannot be decoded; else as the store's update
     */
    public TypedUpdateResult<T> update(String key, Function<? super @Nullable T, ? extends T> fn,
                                       UpdateOptions options) {
        return typing.result(key, store.update(key, typing.function(key, fn), typing.updateOptions(options)));
    }

    @Override
    public String toString() {
        return "TypedStore{" + store + ", " + typing.codec + "}";
    }
}
