package io.leasehold.core;

import io.leasehold.core.internal.Futures;
import io.leasehold.core.internal.Observing;
import io.leasehold.core.internal.OptionChecks;
import io.leasehold.core.internal.StoreCore;
import io.leasehold.core.internal.Validation;
import io.leasehold.core.internal.io.AsyncRuntime;
import io.leasehold.core.internal.lease.AsyncLeaseService;
import io.leasehold.core.internal.update.CallOutcome;
import io.leasehold.core.lease.AsyncLeases;
import io.leasehold.core.transfer.TransferOptions;
import io.leasehold.spi.GetResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The non-blocking face of an {@link ObjectStore}: the same operations, with the same semantics —
 * conditions, write ids and settlement of unknown outcomes, coalescing of concurrent updates, leases
 * and lease-guarded writes, observers and the error model — returning {@link CompletableFuture}s.
 * Obtain it from {@link ObjectStore#async()}; it shares the store's driver, retry, observer and
 * coalescing, and closing the store ends it.
 *
 * <h2>Errors</h2>
 * Whatever the blocking call would throw is the future's cause (unwrapped: {@code future.join()}
 * throws a {@link java.util.concurrent.CompletionException} around it). Invalid arguments fail the
 * future too; nothing is ever thrown from the call itself.
 *
 * <h2>Threads</h2>
 * Requests are non-blocking where the driver offers it ({@link io.leasehold.spi.StoreDriver#async()});
 * otherwise they run on a bounded pool. Futures complete on the store's callback threads, and update functions run there
 * too: keep them short and never call the blocking API from them. See {@link AsyncOptions}.
 *
 * <h2>Cancellation</h2>
 * Cancelling a future stops the waiting, not the operation: a write already sent runs to its end, an
 * unknown outcome is still settled, and the verdict still reaches the update listener and the store's
 * observer. So a cancelled write may have landed — read before acting on it again.
 *
 * <h2>Bounded</h2>
 * At most {@link AsyncOptions#maxInFlight()} operations run at once; the next
 * {@link AsyncOptions#maxQueued()} wait without holding a thread; beyond that a call fails at once with
 * {@link TransientException} ({@link ErrorCode#THROTTLED}) and nothing is sent.
 *
 * <p>Thread-safety: safe for concurrent use; share one instance (the store's).
 */
public final class AsyncObjectStore {
    private final ObjectStore blocking;
    private final StoreCore core;
    private final Observing observing;
    private final OptionChecks checks;
    private volatile AsyncLeases leases;

    AsyncObjectStore(ObjectStore blocking, StoreCore core) {
        this.blocking = blocking;
        this.core = core;
        this.observing = core.observing();
        this.checks = core.checks();
    }

    /**
     * The blocking store this is the non-blocking face of.
     *
     * @return the store
     */
    public ObjectStore blocking() {
        return blocking;
    }

    /**
     * What the driver supports.
     *
     * @return the capabilities
     */
    public Capabilities capabilities() {
        return core.capabilities();
    }

    /**
     * Whether object requests are non-blocking on this store (the driver has an asynchronous form); if
     * not, they run on the store's bounded pool of blocking threads.
     *
     * @return true where no thread waits for object requests
     */
    public boolean nonBlocking() {
        return core.asyncIo().nonBlocking();
    }

    /**
     * The lease operations, asynchronously.
     *
     * @return the leases; the same instance on every call
     * @throws NotSupportedException if the driver has no leases
     */
    public AsyncLeases leases() {
        AsyncLeases l = leases;
        if (l == null) {
            l = new AsyncLeaseService(blocking.leases(), core.runtime());
            leases = l;
        }
        return l;
    }

    // ---------------------------------------------------------------- put

    /**
     * Writes bytes unconditionally; see {@link ObjectStore#put(String, byte[])}.
     *
     * @param key the key
     * @param content the bytes (copied)
     * @return the new version
     */
    public CompletableFuture<PutResult> put(String key, byte[] content) {
        return put(key, content, PutOptions.defaults());
    }

    /**
     * Writes bytes with a mode and conditions; see {@link ObjectStore#put(String, byte[], PutOptions)}
     * for the exceptions the future fails with.
     *
     * @param key the key
     * @param content the bytes (copied)
     * @param options mode, conditions, content type, metadata, lease
     * @return the new version
     */
    public CompletableFuture<PutResult> put(String key, byte[] content, PutOptions options) {
        return operation(StoreObserver.Operation.PUT, key, () -> {
            Validation.key(key);
            if (content == null) {
                throw new InvalidArgumentException("content", "must not be null");
            }
            checks.put(options);
            byte[] copy = content.clone();
            return core.put(core.asyncIo(), key, copy, options).thenApply(w -> ObjectStore.written(key, w));
        });
    }

    /**
     * Writes a file's content, streaming as {@link ObjectStore#put(String, InputStream, long, PutOptions,
     * TransferOptions)} does, on the store's blocking threads.
     *
     * @param key the key
     * @param file the file to upload
     * @param options mode, conditions, content type, metadata, lease
     * @param transfer part size, buffers, listener
     * @return the new version
     */
    public CompletableFuture<PutResult> put(String key, Path file, PutOptions options, TransferOptions transfer) {
        return offloaded(key, () -> {
            if (file == null) {
                throw new InvalidArgumentException("file", "must not be null");
            }
            try (InputStream in = Files.newInputStream(file)) {
                return blocking.put(key, in, Files.size(file), options, transfer);
            } catch (IOException e) {
                throw new ObjectStoreException(ErrorCode.UNKNOWN, key, "reading " + file + " failed: "
                        + e.getClass().getSimpleName(), e);
            }
        });
    }

    // ---------------------------------------------------------------- get / head

    /**
     * Reads an object.
     *
     * @param key the key
     * @return the object
     */
    public CompletableFuture<GetResult> get(String key) {
        return get(key, GetOptions.defaults());
    }

    /**
     * Reads an object under conditions; see {@link ObjectStore#get(String, GetOptions)}.
     *
     * @param key the key
     * @param options conditions and consistency
     * @return the object, or a not-modified result
     */
    public CompletableFuture<GetResult> get(String key, GetOptions options) {
        return read(StoreObserver.Operation.GET, key, options, true);
    }

    /**
     * Reads an object's metadata.
     *
     * @param key the key
     * @return the metadata
     */
    public CompletableFuture<GetResult> head(String key) {
        return head(key, GetOptions.defaults());
    }

    /**
     * Reads an object's metadata under conditions; see {@link ObjectStore#head(String, GetOptions)}.
     *
     * @param key the key
     * @param options conditions and consistency
     * @return the metadata, or a not-modified result
     */
    public CompletableFuture<GetResult> head(String key, GetOptions options) {
        return read(StoreObserver.Operation.HEAD, key, options, false);
    }

    /**
     * Whether an object exists; see {@link ObjectStore#exists(String)}.
     *
     * @param key the key
     * @return true if the store has the key, false if it answered "not found"; fails as a head would
     *     on any other failure
     */
    public CompletableFuture<Boolean> exists(String key) {
        return operation(StoreObserver.Operation.HEAD, key, () -> {
            Validation.key(key);
            return Futures.recover(core.get(core.asyncIo(), key, GetOptions.defaults(), false).thenApply(found -> true),
                    failure -> failure instanceof ObjectNotFoundException
                            && ((ObjectNotFoundException) failure).key().isPresent()
                            ? CompletableFuture.completedFuture(false)
                            : Futures.failed(failure)); // a store that does not exist is no answer about the key
        });
    }

    private CompletableFuture<GetResult> read(StoreObserver.Operation operation, String key, GetOptions options,
                                              boolean withContent) {
        return operation(operation, key, () -> {
            Validation.key(key);
            checks.get(options);
            return core.get(core.asyncIo(), key, options, withContent).thenApply(ObjectStore::published);
        });
    }

    /**
     * Reads an object into a file as {@link ObjectStore#getToFile(String, Path, GetOptions, TransferOptions)}
     * does, on the store's blocking threads.
     *
     * @param key the key
     * @param target the file to create or replace
     * @param options conditions and consistency
     * @param transfer range size, restarts, resumes, checksums
     * @return the information of the version written, or a not-modified result
     */
    public CompletableFuture<GetResult> getToFile(String key, Path target, GetOptions options, TransferOptions transfer) {
        return offloaded(key, () -> blocking.getToFile(key, target, options, transfer));
    }

    // ---------------------------------------------------------------- delete

    /**
     * Deletes an object unconditionally.
     *
     * @param key the key
     * @return completes when deleted
     */
    public CompletableFuture<Void> delete(String key) {
        return delete(key, DeleteOptions.defaults());
    }

    /**
     * Deletes an object under conditions; see {@link ObjectStore#delete(String, DeleteOptions)}.
     *
     * @param key the key
     * @param options If-Match and lease
     * @return completes when deleted
     */
    public CompletableFuture<Void> delete(String key, DeleteOptions options) {
        return operation(StoreObserver.Operation.DELETE, key, () -> {
            Validation.key(key);
            checks.delete(options);
            return core.delete(core.asyncIo(), key, options);
        });
    }

    /**
     * Deletes an object if it exists; see {@link ObjectStore#deleteIfPresent(String)}.
     *
     * @param key the key
     * @return true if this call deleted it, false if it did not exist
     */
    public CompletableFuture<Boolean> deleteIfPresent(String key) {
        return deleteIfPresent(key, DeleteOptions.defaults());
    }

    /**
     * Deletes an object if it exists; see {@link ObjectStore#deleteIfPresent(String, DeleteOptions)} for
     * the answers and the exceptions the future fails with.
     *
     * @param key the key
     * @param options If-Match and lease
     * @return true if this call deleted it (or, after a lost answer, the object is found absent), false
     *     if it did not exist
     */
    public CompletableFuture<Boolean> deleteIfPresent(String key, DeleteOptions options) {
        return operation(StoreObserver.Operation.DELETE, key, () -> {
            Validation.key(key);
            checks.delete(options);
            return core.deleteIfPresent(core.asyncIo(), key, options);
        });
    }

    // ---------------------------------------------------------------- update

    /**
     * Read-modify-write with the store's default update options ({@link ObjectStore#defaultUpdateOptions()}).
     *
     * @param key the key; created when absent
     * @param fn the change; may run several times (on a callback thread), so keep it free of side effects
     * @return what was written
     */
    public CompletableFuture<UpdateResult> update(String key, UpdateFunction fn) {
        return update(key, fn, blocking.defaultUpdateOptions());
    }

    /**
     * Read-modify-write; see {@link ObjectStore#update(String, UpdateFunction, UpdateOptions)}. Concurrent
     * asynchronous calls on the same key through this store are coalesced as there; the function runs on
     * a callback thread.
     *
     * @param key the key; created when absent
     * @param fn the change; may run several times, so keep it free of side effects
     * @param options retry, listener, content type, metadata, lease
     * @return what was written, with attempt and conflict counts
     */
    public CompletableFuture<UpdateResult> update(String key, UpdateFunction fn, UpdateOptions options) {
        Observing.Op scope = observing.startDetached(StoreObserver.Operation.UPDATE, key);
        CompletableFuture<UpdateResult> result = new CompletableFuture<>();
        CompletableFuture<CallOutcome> running;
        UpdateOptions observed;
        try {
            Validation.key(key);
            if (fn == null) {
                throw new InvalidArgumentException("fn", "must not be null");
            }
            checks.update(key, options == null ? null : options.startingFrom().map(r -> r.info().key()).orElse(null),
                    options);
            observed = observing.observed(options, scope);
            GetResponse held = options.startingFrom().map(GetResult::raw).orElse(null);
            running = core.runtime().admit(key, () -> observing.within(scope,
                    () -> core.updateAsync(key, fn, observed, held)));
        } catch (RuntimeException invalid) {
            scope.failed(invalid);
            return Futures.failed(invalid);
        }
        running.whenComplete((outcome, admissionFailure) -> {
            if (admissionFailure != null) {
                Throwable cause = Futures.unwrap(admissionFailure);
                scope.failed(cause instanceof RuntimeException ? (RuntimeException) cause
                        : new ObjectStoreException(ErrorCode.UNKNOWN, key, "the update failed", cause));
                result.completeExceptionally(cause);
                return;
            }
            if (outcome.failure != null) {
                Throwable failure = outcome.failure;
                RuntimeException reported = failure instanceof RuntimeException ? (RuntimeException) failure
                        : new ObjectStoreException(ErrorCode.UNKNOWN, key, "the update function threw "
                                + failure.getClass().getName(), failure);
                observing.listenerCall(() -> observed.listener().onGiveUp(key, outcome.attempts, reported));
                scope.failed(reported);
                result.completeExceptionally(failure);
                return;
            }
            UpdateResult r = ObjectStore.updated(key, outcome);
            observing.listenerCall(() -> observed.listener().onSuccess(r));
            scope.succeeded(r);
            result.complete(r);
        });
        return result;
    }

    // ---------------------------------------------------------------- health

    /**
     * Checks that the store answers, unobserved; see {@link ObjectStore#checkHealth(String)}.
     *
     * @param key the key to look up; it need not exist
     * @return up if the store answered, else down with the failure's code; fails only for an invalid key
     */
    public CompletableFuture<StoreHealth> checkHealth(String key) {
        try {
            Validation.key(key);
            return StoreHealth.ofAsync(core.runtime().admit(key, () -> core.unobservedHead(core.asyncIo(), key)));
        } catch (RuntimeException invalid) {
            return Futures.failed(invalid);
        }
    }

    // ---------------------------------------------------------------- plumbing

    /**
     * Runs an operation under the store's admission, observed as one scope; validation failures fail
     * the future. The returned future is the caller's own: cancelling it does not cancel the operation.
     */
    private <T> CompletableFuture<T> operation(StoreObserver.Operation operation, String key,
                                              Supplier<CompletableFuture<T>> start) {
        Observing.Op scope = observing.startDetached(operation, key);
        AsyncRuntime runtime;
        CompletableFuture<T> running;
        try {
            runtime = core.runtime();
            running = runtime.admit(key, () -> observing.within(scope, start));
        } catch (RuntimeException e) {
            scope.failed(e);
            return Futures.failed(e);
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        running.whenComplete((value, failure) -> {
            if (failure != null) {
                Throwable cause = Futures.unwrap(failure);
                scope.failed(cause instanceof RuntimeException ? (RuntimeException) cause
                        : new ObjectStoreException(ErrorCode.UNKNOWN, key, "the operation failed", cause));
                result.completeExceptionally(cause);
            } else {
                scope.succeeded(value);
                result.complete(value);
            }
        });
        return result;
    }

    /** Runs a blocking operation of the store on its blocking threads, under the admission. */
    private <T> CompletableFuture<T> offloaded(String key, Supplier<T> call) {
        CompletableFuture<T> result = new CompletableFuture<>();
        CompletableFuture<T> running;
        try {
            AsyncRuntime runtime = core.runtime();
            running = runtime.admit(key, () -> runtime.offload(call));
        } catch (RuntimeException e) {
            return Futures.failed(e);
        }
        running.whenComplete((v, e) -> {
            if (e != null) {
                result.completeExceptionally(Futures.unwrap(e));
            } else {
                result.complete(v);
            }
        });
        return result;
    }

    @Override
    public String toString() {
        return "AsyncObjectStore{" + blocking.driverName() + "}";
    }
}
