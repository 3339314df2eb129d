package io.leasehold.tck;

import io.leasehold.core.AsyncObjectStore;
import io.leasehold.core.Capabilities;
import io.leasehold.core.CopyOptions;
import io.leasehold.core.DeleteOptions;
import io.leasehold.core.GetOptions;
import io.leasehold.core.GetResult;
import io.leasehold.core.ListOptions;
import io.leasehold.core.ListPage;
import io.leasehold.core.ObjectInfo;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.PutOptions;
import io.leasehold.core.PutResult;
import io.leasehold.core.UpdateFunction;
import io.leasehold.core.UpdateOptions;
import io.leasehold.core.UpdateResult;
import io.leasehold.core.lease.AsyncLeases;
import io.leasehold.core.lease.Lease;
import io.leasehold.core.lease.LeaseKeeper;
import io.leasehold.core.lease.LeaseListener;
import io.leasehold.core.lease.LeaseOptions;
import io.leasehold.core.lease.LeaseStatus;
import io.leasehold.core.lease.Leases;
import io.leasehold.core.transfer.ObjectStream;
import io.leasehold.core.transfer.TransferOptions;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;

/**
 * The store as a contract sees it: the operations of {@link ObjectStore}, sent either through the
 * blocking API ({@link #blocking}) or through the asynchronous API and waited for ({@link #throughAsync}),
 * so that every contract checks both with the same assertions. A failed future is unwrapped: the test sees
 * exactly the exception the future failed with.
 *
 * <p>Thread-safety: as the store.
 */
public interface Store extends AutoCloseable {

    /**
     * The blocking API of a store.
     *
     * @param store the store
     * @return the view
     */
    static Store blocking(ObjectStore store) {
        return new Blocking(store);
    }

    /**
     * The asynchronous API of a store ({@link ObjectStore#async()}), each call waited for; operations that
     * have no asynchronous form (streams) go through the blocking API.
     *
     * @param store the store
     * @return the view
     */
    static Store throughAsync(ObjectStore store) {
        return new ThroughAsync(store);
    }

    /**
     * The store itself (for what a contract needs beyond these operations).
     *
     * @return the store
     */
    ObjectStore objectStore();

    /**
     * Whether calls go through the asynchronous API.
     *
     * @return true for {@link #throughAsync}
     */
    boolean async();

    /** @return {@link ObjectStore#capabilities()} */
    default Capabilities capabilities() {
        return objectStore().capabilities();
    }

    /** @return {@link ObjectStore#driverName()} */
    default String driverName() {
        return objectStore().driverName();
    }

    /**
     * {@link ObjectStore#put(String, byte[])}.
     *
     * @param key the key
     * @param content the bytes
     * @return the result
     */
    PutResult put(String key, byte[] content);

    /**
     * {@link ObjectStore#put(String, byte[], PutOptions)}.
     *
     * @param key the key
     * @param content the bytes
     * @param options the options
     * @return the result
     */
    PutResult put(String key, byte[] content, PutOptions options);

    /**
     * {@link ObjectStore#put(String, InputStream, long, PutOptions)} (always blocking: streams have no
     * asynchronous form).
     *
     * @param key the key
     * @param content the stream
     * @param length the length
     * @param options the options
     * @return the result
     */
    default PutResult put(String key, InputStream content, long length, PutOptions options) {
        return objectStore().put(key, content, length, options);
    }

    /**
     * {@link ObjectStore#put(String, InputStream, long, PutOptions, TransferOptions)} (always blocking).
     *
     * @param key the key
     * @param content the stream
     * @param length the length
     * @param options the options
     * @param transfer the transfer options
     * @return the result
     */
    default PutResult put(String key, InputStream content, long length, PutOptions options, TransferOptions transfer) {
        return objectStore().put(key, content, length, options, transfer);
    }

    /**
     * {@link ObjectStore#get(String)}.
     *
     * @param key the key
     * @return the result
     */
    default GetResult get(String key) {
        return get(key, GetOptions.defaults());
    }

    /**
     * {@link ObjectStore#get(String, GetOptions)}.
     *
     * @param key the key
     * @param options the options
     * @return the result
     */
    GetResult get(String key, GetOptions options);

    /**
     * {@link ObjectStore#head(String)}.
     *
     * @param key the key
     * @return the result
     */
    default GetResult head(String key) {
        return head(key, GetOptions.defaults());
    }

    /**
     * {@link ObjectStore#head(String, GetOptions)}.
     *
     * @param key the key
     * @param options the options
     * @return the result
     */
    GetResult head(String key, GetOptions options);

    /**
     * {@link ObjectStore#delete(String)}.
     *
     * @param key the key
     */
    default void delete(String key) {
        delete(key, DeleteOptions.defaults());
    }

    /**
     * {@link ObjectStore#delete(String, DeleteOptions)}.
     *
     * @param key the key
     * @param options the options
     */
    void delete(String key, DeleteOptions options);

    /**
     * {@link ObjectStore#update(String, UpdateFunction)}.
     *
     * @param key the key
     * @param fn the function
     * @return the result
     */
    default UpdateResult update(String key, UpdateFunction fn) {
        return update(key, fn, UpdateOptions.defaults());
    }

    /**
     * {@link ObjectStore#update(String, UpdateFunction, UpdateOptions)}.
     *
     * @param key the key
     * @param fn the function
     * @param options the options
     * @return the result
     */
    UpdateResult update(String key, UpdateFunction fn, UpdateOptions options);

    /**
     * {@link ObjectStore#openStream(String)} (always blocking).
     *
     * @param key the key
     * @return the stream
     */
    default ObjectStream openStream(String key) {
        return objectStore().openStream(key);
    }

    /**
     * {@link ObjectStore#openStream(String, GetOptions, TransferOptions)} (always blocking).
     *
     * @param key the key
     * @param options the options
     * @param transfer the transfer options
     * @return the stream
     */
    default ObjectStream openStream(String key, GetOptions options, TransferOptions transfer) {
        return objectStore().openStream(key, options, transfer);
    }

    /**
     * {@link ObjectStore#getToFile(String, Path, GetOptions)}.
     *
     * @param key the key
     * @param target the target
     * @param options the options
     * @return the result
     */
    default GetResult getToFile(String key, Path target, GetOptions options) {
        return getToFile(key, target, options, TransferOptions.defaults());
    }

    /**
     * {@link ObjectStore#getToFile(String, Path, GetOptions, TransferOptions)}.
     *
     * @param key the key
     * @param target the target
     * @param options the options
     * @param transfer the transfer options
     * @return the result
     */
    GetResult getToFile(String key, Path target, GetOptions options, TransferOptions transfer);

    /**
     * {@link ObjectStore#list(String)} (through the blocking API on both views, until the asynchronous
     * API has a listing).
     *
     * @param prefix the prefix
     * @return the entries
     */
    default Stream<ObjectInfo> list(String prefix) {
        return objectStore().list(prefix);
    }

    /**
     * {@link ObjectStore#list(String, ListOptions)} (blocking on both views, as {@link #list(String)}).
     *
     * @param prefix the prefix
     * @param options the options
     * @return the entries
     */
    default Stream<ObjectInfo> list(String prefix, ListOptions options) {
        return objectStore().list(prefix, options);
    }

    /**
     * {@link ObjectStore#listPage(String, ListOptions)} (blocking on both views, as {@link #list(String)}).
     *
     * @param prefix the prefix
     * @param options the options
     * @return the page
     */
    default ListPage listPage(String prefix, ListOptions options) {
        return objectStore().listPage(prefix, options);
    }

    /**
     * {@link ObjectStore#copy(String, String)} (blocking on both views, until the asynchronous API has copies).
     *
     * @param source the source
     * @param target the target
     * @return the target's version
     */
    default PutResult copy(String source, String target) {
        return objectStore().copy(source, target);
    }

    /**
     * {@link ObjectStore#copy(String, String, CopyOptions)} (blocking on both views, as {@link #copy(String, String)}).
     *
     * @param source the source
     * @param target the target
     * @param options the options
     * @return the target's version
     */
    default PutResult copy(String source, String target, CopyOptions options) {
        return objectStore().copy(source, target, options);
    }

    /**
     * {@link ObjectStore#rename(String, String)} (blocking on both views, as {@link #copy(String, String)}).
     *
     * @param source the source
     * @param target the target
     * @return the target's version
     */
    default PutResult rename(String source, String target) {
        return objectStore().rename(source, target);
    }

    /**
     * {@link ObjectStore#leases()}.
     *
     * @return the leases
     */
    Leases leases();

    /** Closes the store. */
    @Override
    default void close() {
        objectStore().close();
    }

    /**
     * A future's value, or exactly the exception it failed with.
     *
     * @param f the future
     * @param <T> its type
     * @return the value
     */
    static <T> T await(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw e;
        } catch (CancellationException e) {
            throw e;
        }
    }

    /** The blocking API. */
    final class Blocking implements Store {
        private final ObjectStore store;

        Blocking(ObjectStore store) {
            this.store = store;
        }

        @Override
        public ObjectStore objectStore() {
            return store;
        }

        @Override
        public boolean async() {
            return false;
        }

        @Override
        public PutResult put(String key, byte[] content) {
            return store.put(key, content);
        }

        @Override
        public PutResult put(String key, byte[] content, PutOptions options) {
            return store.put(key, content, options);
        }

        @Override
        public GetResult get(String key, GetOptions options) {
            return store.get(key, options);
        }

        @Override
        public GetResult head(String key, GetOptions options) {
            return store.head(key, options);
        }

        @Override
        public void delete(String key, DeleteOptions options) {
            store.delete(key, options);
        }

        @Override
        public UpdateResult update(String key, UpdateFunction fn, UpdateOptions options) {
            return store.update(key, fn, options);
        }

        @Override
        public GetResult getToFile(String key, Path target, GetOptions options, TransferOptions transfer) {
            return store.getToFile(key, target, options, transfer);
        }

        @Override
        public Leases leases() {
            return store.leases();
        }

        @Override
        public String toString() {
            return "blocking " + store;
        }
    }

    /** The asynchronous API, waited for. */
    final class ThroughAsync implements Store {
        private final ObjectStore store;
        private final AsyncObjectStore async;

        ThroughAsync(ObjectStore store) {
            this.store = store;
            this.async = store.async();
        }

        @Override
        public ObjectStore objectStore() {
            return store;
        }

        @Override
        public boolean async() {
            return true;
        }

        @Override
        public PutResult put(String key, byte[] content) {
            return await(async.put(key, content));
        }

        @Override
        public PutResult put(String key, byte[] content, PutOptions options) {
            return await(async.put(key, content, options));
        }

        @Override
        public GetResult get(String key, GetOptions options) {
            return await(async.get(key, options));
        }

        @Override
        public GetResult head(String key, GetOptions options) {
            return await(async.head(key, options));
        }

        @Override
        public void delete(String key, DeleteOptions options) {
            await(async.delete(key, options));
        }

        @Override
        public UpdateResult update(String key, UpdateFunction fn, UpdateOptions options) {
            return await(async.update(key, fn, options));
        }

        @Override
        public GetResult getToFile(String key, Path target, GetOptions options, TransferOptions transfer) {
            return await(async.getToFile(key, target, options, transfer));
        }

        @Override
        public Leases leases() {
            return new AwaitedLeases(store.leases(), async.leases());
        }

        @Override
        public String toString() {
            return "async " + store;
        }
    }

    /** The asynchronous leases, waited for (the operations on a {@link Lease} value go through them too). */
    final class AwaitedLeases implements Leases {
        private final Leases blocking;
        private final AsyncLeases async;

        AwaitedLeases(Leases blocking, AsyncLeases async) {
            this.blocking = blocking;
            this.async = async;
        }

        @Override
        public Lease acquire(String key) {
            return await(async.acquire(key));
        }

        @Override
        public Lease acquire(String key, LeaseOptions options) {
            return await(async.acquire(key, options));
        }

        @Override
        public Lease renew(String key, String leaseId) {
            return await(async.renew(key, leaseId));
        }

        @Override
        public Lease renew(Lease lease) {
            return renew(lease.key(), lease.id());
        }

        @Override
        public void release(String key, String leaseId) {
            await(async.release(key, leaseId));
        }

        @Override
        public void release(Lease lease) {
            blocking.release(lease);
        }

        @Override
        public Duration breakLease(String key) {
            return blocking.breakLease(key);
        }

        @Override
        public Duration breakLease(String key, Duration breakPeriod) {
            return await(async.breakLease(key, breakPeriod));
        }

        @Override
        public Lease change(String key, String leaseId, String proposedId) {
            return await(async.change(key, leaseId, proposedId));
        }

        @Override
        public Lease change(Lease lease, String proposedId) {
            return blocking.change(lease, proposedId);
        }

        @Override
        public LeaseStatus status(String key) {
            return await(async.status(key));
        }

        @Override
        public LeaseKeeper keep(String key, LeaseOptions options, LeaseListener listener) {
            return await(async.keep(key, options, listener));
        }

        @Override
        public LeaseKeeper keep(Lease lease, LeaseListener listener) {
            return blocking.keep(lease, listener);
        }

        @Override
        public LeaseKeeper keep(Lease lease, Duration safetyMargin, LeaseListener listener) {
            return blocking.keep(lease, safetyMargin, listener);
        }
    }
}
