package io.leasehold.core.typed;

import io.leasehold.core.AsyncObjectStore;
import io.leasehold.core.GetOptions;
import io.leasehold.core.PutOptions;
import io.leasehold.core.PutResult;
import io.leasehold.core.UpdateOptions;
import io.leasehold.core.internal.Futures;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The non-blocking {@link TypedStore}: the same operations and rules over an {@link AsyncObjectStore},
 * returning futures. Decoding runs on the store's callback threads, as update functions do. Obtain it
 * with {@link #of(AsyncObjectStore, Class)} (JSON) or {@link #of(AsyncObjectStore, Codec)}.
 *
 * <p>Errors are the future's cause, as {@link TypedStore}'s exceptions; nothing is thrown from the
 * call itself.
 *
 * <p>Thread-safety: immutable; safe for concurrent use as the store is.
 *
 * @param <T> the value type
 */
public final class AsyncTypedStore<T> {
    private final AsyncObjectStore store;
    private final Typing<T> typing;

    /**
     * A non-blocking view whose objects hold JSON of one type ({@link Codec#json(Class)}).
     *
     * @param store the asynchronous store
     * @param type the value type
     * @param <T> the value type
     * @return the view
     * @throws io.leasehold.core.InvalidArgumentException if an argument is null
     */
    public static <T> AsyncTypedStore<T> of(AsyncObjectStore store, Class<T> type) {
        return new AsyncTypedStore<>(store, Codec.json(type));
    }

    /**
     * A non-blocking view whose objects hold values encoded by a codec.
     *
     * @param store the asynchronous store
     * @param codec the codec
     * @param <T> the value type
     * @return the view
     * @throws io.leasehold.core.InvalidArgumentException if an argument is null
     */
    public static <T> AsyncTypedStore<T> of(AsyncObjectStore store, Codec<T> codec) {
        return new AsyncTypedStore<>(store, codec);
    }

    /**
     * A view of a store.
     *
     * @param store the store
     * @param codec the codec
     * @throws io.leasehold.core.InvalidArgumentException if an argument is null
     */
    public AsyncTypedStore(AsyncObjectStore store, Codec<T> codec) {
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
    public AsyncObjectStore store() {
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
     * Reads and decodes an object; see {@link TypedStore#get(String)}.
     *
     * @param key the key
     * @return the value and its version
     */
    public CompletableFuture<TypedValue<T>> get(String key) {
        return store.get(key, GetOptions.defaults()).thenApply(read -> typing.value(key, read));
    }

    /**
     * Encodes and writes a value unconditionally; see {@link TypedStore#put(String, Object)}.
     *
     * @param key the key
     * @param value the value
     * @return the new version
     */
    public CompletableFuture<PutResult> put(String key, T value) {
        return put(key, value, PutOptions.defaults());
    }

    /**
     * Encodes and writes a value with a mode and conditions; see
     * {@link TypedStore#put(String, Object, PutOptions)}.
     *
     * @param key the key
     * @param value the value
     * @param options mode, conditions, content type, metadata, lease
     * @return the new version
     */
    public CompletableFuture<PutResult> put(String key, T value, PutOptions options) {
        return started(() -> store.put(key, typing.encode("value", value), typing.putOptions(options)));
    }

    /**
     * Read-modify-write of a value with the store's default update options; see
     * {@link TypedStore#update(String, Function)}.
     *
     * @param key the key; created when absent
     * @param fn the change; runs on a callback thread, may run several times
     * @return the value left and the update's result
     */
    public CompletableFuture<TypedUpdateResult<T>> update(String key, Function<? super @Nullable T, ? extends T> fn) {
        return update(key, fn, store.blocking().defaultUpdateOptions());
    }

    /**
     * Read-modify-write of a value; see {@link TypedStore#update(String, Function, UpdateOptions)}.
     *
     * @param key the key; created when absent
     * @param fn the change; runs on a callback thread, may run several times
     * @param options retry, listener, content type (default the codec's), metadata, lease
     * @return the value left and the update's result
     */
    public CompletableFuture<TypedUpdateResult<T>> update(String key, Function<? super @Nullable T, ? extends T> fn,
                                                          UpdateOptions options) {
        return started(() -> store.update(key, typing.function(key, fn), typing.updateOptions(options)))
                .thenApply(result -> typing.result(key, result));
    }

    /** Starts an operation; an argument refused before sending fails the future instead of being thrown. */
    private static <R> CompletableFuture<R> started(Supplier<CompletableFuture<R>> start) {
        return Futures.attempt(start);
    }

    @Override
    public String toString() {
        return "AsyncTypedStore{" + store + ", " + typing.codec + "}";
    }
}
