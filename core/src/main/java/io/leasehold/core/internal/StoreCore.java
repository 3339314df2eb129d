package io.leasehold.core.internal;

import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.leasehold.core.Capabilities;
import io.leasehold.core.Capability;
import io.leasehold.core.Conflicts;
import io.leasehold.core.DeleteOptions;
import io.leasehold.core.ErrorCode;
import io.leasehold.core.GetOptions;
import io.leasehold.core.ListOptions;
import io.leasehold.core.ObjectVersion;
import io.leasehold.core.PutOptions;
import io.leasehold.core.ReadConsistency;
import io.leasehold.core.StoreObserver;
import io.leasehold.core.UpdateFunction;
import io.leasehold.core.UpdateOptions;
import io.leasehold.core.AsyncOptions;
import io.leasehold.core.internal.io.AsyncIo;
import io.leasehold.core.internal.io.AsyncRuntime;
import io.leasehold.core.internal.io.BlockingIo;
import io.leasehold.core.internal.io.Pauses;
import io.leasehold.core.internal.io.StoreIo;
import io.leasehold.core.internal.lease.EmulatedLeases;
import io.leasehold.core.internal.update.CallOutcome;
import io.leasehold.core.internal.update.Contention;
import io.leasehold.core.internal.update.LoopFactory;
import io.leasehold.core.internal.update.Transition;
import io.leasehold.core.internal.update.UpdateCoalescer;
import io.leasehold.core.internal.update.UpdateLoop;
import io.leasehold.core.internal.write.WriteEngine;
import io.leasehold.core.internal.write.WriteOutcome;
import io.leasehold.spi.GetResponse;
import io.leasehold.spi.LeaseDriver;
import io.leasehold.spi.ListResponse;
import io.leasehold.spi.PutResponse;
import io.leasehold.spi.StoreDriver;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Everything behind one store's facade: the driver, its checks, observation, retry budgets, the
 * write engine, the update coalescer and the lease guards. The facades ({@code ObjectStore}) validate
 * arguments, call in here and turn the outcomes into their result types; nothing in here calls back
 * into a facade.
 *
 * <p>Thread-safety: safe for concurrent use; share one per store.
 */
public final class StoreCore implements LoopFactory, AutoCloseable {
    private final StoreDriver driver;
    private final Capabilities capabilities;
    private final OptionChecks checks;
    private final Observing observing;
    private final Retry operationRetry;
    /** The retry of a staged upload's commit: like {@link #operationRetry}, but never for a conflict (the upload is gone). */
    private final Retry commitRetry;
    private final WriteEngine engine;
    private final StoreIo io;
    private final Contention contention = new Contention();
    private final UpdateCoalescer coalescer;
    private final LeaseDriver leaseDriver;
    private final EmulatedLeases emulated;
    private volatile AsyncOptions asyncOptions = AsyncOptions.defaults();
    private volatile AsyncRuntime runtime;
    private volatile AsyncIo asyncIo;
    /** Whether writes without a lease id are checked against emulated leases ({@link Capability#ENFORCED_LEASES}). */
    private final boolean enforceEmulated;

    /**
     * The core of a store.
     *
     * @param driver the driver; closing the core closes it
     * @param operationRetryConfig the caller's single-operation retry (narrowed to safe re-sends)
     * @param observer the observer
     */
    public StoreCore(StoreDriver driver, RetryConfig operationRetryConfig, StoreObserver observer) {
        this.driver = driver;
        this.capabilities = driver.capabilities();
        this.checks = new OptionChecks(driver.name(), capabilities);
        this.operationRetry = Retry.of("leasehold-" + driver.name(), onlySafeResends(operationRetryConfig));
        this.commitRetry = Retry.of("leasehold-" + driver.name() + "-commit", commitsOnly(operationRetry.getRetryConfig()));
        this.observing = new Observing(driver.name(), observer, operationRetry);
        observing.warnIfUnsafe(capabilities);
        ReadConsistency strongest = capabilities.supports(Capability.STRONG_READS)
                ? ReadConsistency.STRONG : ReadConsistency.EVENTUAL;
        this.engine = new WriteEngine(observing, capabilities.supports(Capability.ETAG_CHANGES_ON_IDENTICAL_REWRITE),
                capabilities.supports(Capability.USER_METADATA), strongest);
        this.io = new BlockingIo(driver, Pauses.sleeping());
        this.coalescer = new UpdateCoalescer(io, this, observing);
        if (capabilities.supports(Capability.LEASES) && capabilities.supports(Capability.EMULATED_LEASES)) {
            // A driver declares emulated leases and leaves the protocol to the library, whose record
            // writes go through this store's write engine.
            this.emulated = new EmulatedLeases(driver, engine, io, observing, operationRetry);
            this.leaseDriver = emulated;
        } else {
            this.emulated = null;
            this.leaseDriver = capabilities.supports(Capability.LEASES) ? driver.leases().orElse(null) : null;
        }
        this.enforceEmulated = emulated != null && capabilities.supports(Capability.ENFORCED_LEASES);
    }

    // ---------------------------------------------------------------- parts

    /**
     * The driver.
     *
     * @return the driver
     */
    public StoreDriver driver() {
        return driver;
    }

    /**
     * The driver's capabilities.
     *
     * @return the capabilities
     */
    public Capabilities capabilities() {
        return capabilities;
    }

    /**
     * The checks made before sending.
     *
     * @return the checks
     */
    public OptionChecks checks() {
        return checks;
    }

    /**
     * Observation.
     *
     * @return the store's observation
     */
    public Observing observing() {
        return observing;
    }

    /**
     * The single-operation retry.
     *
     * @return the retry
     */
    public Retry operationRetry() {
        return operationRetry;
    }

    /**
     * The write engine.
     *
     * @return the engine
     */
    public WriteEngine engine() {
        return engine;
    }

    /**
     * The blocking requests.
     *
     * @return the store's blocking I/O
     */
    public StoreIo io() {
        return io;
    }

    /**
     * The lease operations of the store (native, or emulated on conditional writes).
     *
     * @return the lease driver, or null without {@link Capability#LEASES}
     */
    public LeaseDriver leaseDriver() {
        return leaseDriver;
    }

    // ---------------------------------------------------------------- operations (blocking)

    /**
     * A put with settlement.
     *
     * @param key the key (validated)
     * @param content the bytes (not modified)
     * @param options the options (checked)
     * @return the outcome
     */
    public WriteOutcome put(String key, byte[] content, PutOptions options) {
        return Futures.join(put(io, key, content, options));
    }

    /**
     * A put with settlement, through the given requests.
     *
     * @param via how to reach the store (blocking or asynchronous)
     * @param key the key (validated)
     * @param content the bytes (not modified)
     * @param options the options (checked)
     * @return the outcome
     */
    public CompletableFuture<WriteOutcome> put(StoreIo via, String key, byte[] content, PutOptions options) {
        WriteEngine.PreparedPut prepared;
        try {
            prepared = engine.prepare(key, options);
        } catch (RuntimeException refused) {
            return Futures.failed(refused);
        }
        return engine.put(via, key, content.length, prepared, o -> guardPut(via, key, o),
                o -> via.put(key, content, o), observing.attributed(Attempts.of(operationRetry)), StoreObserver.Operation.PUT);
    }

    /**
     * Commits a staged upload with settlement, running the lease guard again before every send.
     *
     * @param key the key
     * @param size the total bytes
     * @param prepared the put with its write id (the upload was started with its tagged, guarded options)
     * @param commit sends the commit once, given the options the guard returned
     * @return the outcome
     */
    public WriteOutcome commitStaged(String key, long size, WriteEngine.PreparedPut prepared,
                                     java.util.function.Function<PutOptions, CompletableFuture<PutResponse>> commit) {
        return Futures.join(engine.put(io, key, size, prepared, o -> guardPut(io, key, o), commit,
                observing.attributed(Attempts.of(commitRetry)), StoreObserver.Operation.PUT));
    }

    /**
     * A get or head under the retry budget, guarded; If-Match on a weak ETag is answered here.
     *
     * @param key the key (validated)
     * @param options the options (checked)
     * @param withContent true for a get
     * @return the raw answer (bookkeeping included)
     */
    public GetResponse get(String key, GetOptions options, boolean withContent) {
        return Futures.join(get(io, key, options, withContent));
    }

    /**
     * A get or head through the given requests.
     *
     * @param via how to reach the store
     * @param key the key (validated)
     * @param options the options (checked)
     * @param withContent true for a get
     * @return the raw answer
     */
    public CompletableFuture<GetResponse> get(StoreIo via, String key, GetOptions options, boolean withContent) {
        LeaseReads guard = new LeaseReads(via, key);
        return engine.read(via, key, options, withContent, guard::before, observing.attributed(Attempts.of(operationRetry)))
                .thenApply(guard::check);
    }

    /**
     * A delete with settlement, guarded; If-Match on a weak ETag is answered here.
     *
     * @param key the key (validated)
     * @param options the options (checked)
     */
    public void delete(String key, DeleteOptions options) {
        Futures.join(delete(io, key, options));
    }

    /**
     * A delete through the given requests.
     *
     * @param via how to reach the store
     * @param key the key (validated)
     * @param options the options (checked)
     * @return completes when deleted
     */
    public CompletableFuture<Void> delete(StoreIo via, String key, DeleteOptions options) {
        return engine.delete(via, key, options, o -> guardDelete(via, key, o), observing.attributed(Attempts.of(operationRetry)));
    }

    /**
     * One page of a listing under the retry budget (a listing changes nothing, so any failure the
     * budget allows is simply asked again).
     *
     * @param prefix the prefix (validated)
     * @param options the options (checked)
     * @return the driver's page, the library's records included
     */
    public ListResponse list(String prefix, ListOptions options) {
        return Futures.join(list(io, prefix, options));
    }

    /**
     * One page of a listing through the given requests, under the retry budget.
     *
     * @param via how to reach the store (blocking or asynchronous)
     * @param prefix the prefix (validated)
     * @param options the options (checked)
     * @return the driver's page, the library's records included
     */
    public CompletableFuture<ListResponse> list(StoreIo via, String prefix, ListOptions options) {
        Attempts attempts = observing.attributed(Attempts.of(operationRetry));
        return Futures.loop(() -> {
            attempts.starting();
            return Futures.recover(via.call(prefix, () -> driver.list(prefix, options)).thenApply(Futures.Turn::done),
                    failure -> WriteEngine.retryOrFail(via, attempts, failure));
        }).whenComplete((v, failure) -> {
            if (failure == null) {
                attempts.succeeded();
            }
        });
    }

    /**
     * A server-side copy with settlement: a put of the target whose sender is the driver's copy, so
     * it carries a write id in the target's metadata, is settled by reading that id back, and is
     * sent again only when proven not applied.
     *
     * @param source the source's key (validated)
     * @param sourceVersion the version of the source to copy
     * @param size the source version's size
     * @param target the target's key (validated)
     * @param targetOptions the target's mode, content type and user metadata
     * @return the outcome
     */
    public WriteOutcome copy(String source, ObjectVersion sourceVersion, long size, String target,
                             PutOptions targetOptions) {
        return Futures.join(copy(io, source, sourceVersion, size, target, targetOptions));
    }

    /**
     * A server-side copy with settlement through the given requests (the driver's copy is a blocking
     * call: on the asynchronous flavour it runs on the bounded pool).
     *
     * @param via how to reach the store (blocking or asynchronous)
     * @param source the source's key (validated)
     * @param sourceVersion the version of the source to copy
     * @param size the source version's size
     * @param target the target's key (validated)
     * @param targetOptions the target's mode, content type and user metadata
     * @return the outcome
     */
    public CompletableFuture<WriteOutcome> copy(StoreIo via, String source, ObjectVersion sourceVersion, long size,
                                                String target, PutOptions targetOptions) {
        WriteEngine.PreparedPut prepared;
        try {
            prepared = engine.prepare(target, targetOptions);
        } catch (RuntimeException refused) {
            return Futures.failed(refused);
        }
        return engine.put(via, target, size, prepared, o -> guardPut(via, target, o),
                o -> via.call(target, () -> sized(driver.copy(source, sourceVersion, size, target, o), size)),
                observing.attributed(Attempts.of(operationRetry)), StoreObserver.Operation.COPY);
    }

    /** A copy's answer with the size the source was read with (stores do not repeat it). */
    private static PutResponse sized(PutResponse response, long size) {
        if (response.size() == size) {
            return response;
        }
        return response.version().isPresent()
                ? PutResponse.of(response.version().get(), size, response.lastModified().orElse(null))
                : PutResponse.withoutVersion(size);
    }

    /**
     * A head that no observer hears (health checks): the operation retry's configuration without its
     * events, and no operation scope.
     *
     * @param via how to reach the store
     * @param key the key (validated)
     * @return the raw answer
     */
    public CompletableFuture<GetResponse> unobservedHead(StoreIo via, String key) {
        return engine.read(via, key, GetOptions.defaults(), false, CompletableFuture::completedFuture,
                Attempts.of(Retry.of("leasehold-health", operationRetry.getRetryConfig())));
    }

    /**
     * A delete where "absent" is an answer ({@link WriteEngine#delete(StoreIo, String, DeleteOptions, boolean,
     * java.util.function.Function, Attempts)} with {@code ifPresent}).
     *
     * @param via how to reach the store
     * @param key the key (validated)
     * @param options the options (checked)
     * @return true if deleted, false if the object did not exist
     */
    public CompletableFuture<Boolean> deleteIfPresent(StoreIo via, String key, DeleteOptions options) {
        return engine.delete(via, key, options, true, o -> guardDelete(via, key, o),
                observing.attributed(Attempts.of(operationRetry)));
    }

    /**
     * A read-modify-write, coalesced where allowed.
     *
     * @param key the key (validated)
     * @param fn the caller's function
     * @param options the options (checked; the listener already observed)
     * @param held the raw object the caller holds, or null
     * @return the caller's outcome
     */
    public CallOutcome update(String key, UpdateFunction fn, UpdateOptions options, GetResponse held) {
        return coalescer.update(key, fn, options, held);
    }

    /**
     * A read-modify-write without blocking, coalesced with the store's other asynchronous updates of the key.
     *
     * @param key the key (validated)
     * @param fn the caller's function
     * @param options the options (checked; the listener already observed)
     * @param held the raw object the caller holds, or null
     * @return the caller's outcome (a failure too: the future itself does not fail)
     */
    public CompletableFuture<CallOutcome> updateAsync(String key, UpdateFunction fn, UpdateOptions options,
                                                      GetResponse held) {
        AsyncRuntime runtime = runtime();
        return coalescer.submit(asyncIo(), runtime.callbacks(), key, fn, options, held);
    }

    // ---------------------------------------------------------------- the asynchronous API's runtime

    /**
     * Sets the asynchronous API's options; they apply when its threads are first needed.
     *
     * @param options the options
     */
    public void asyncOptions(AsyncOptions options) {
        this.asyncOptions = options;
    }

    /**
     * The asynchronous API's threads and limits, created on first use.
     *
     * @return the runtime
     */
    public AsyncRuntime runtime() {
        AsyncRuntime r = runtime;
        if (r == null) {
            synchronized (this) {
                r = runtime;
                if (r == null) {
                    r = new AsyncRuntime(driver.name(), asyncOptions);
                    asyncIo = new AsyncIo(driver, r);
                    runtime = r;
                }
            }
        }
        return r;
    }

    /**
     * The asynchronous requests.
     *
     * @return the store's asynchronous I/O
     */
    public AsyncIo asyncIo() {
        runtime();
        return asyncIo;
    }

    /**
     * One driver call (a lease operation, starting a staged upload) under the single-operation retry,
     * which re-sends only failures that by contract applied nothing.
     *
     * @param key the key
     * @param call the call
     * @param <T> the result type
     * @return its answer
     */
    public <T> T call(String key, Supplier<T> call) {
        Attempts attempts = observing.attributed(Attempts.of(operationRetry));
        return Futures.join(Futures.loop(() -> {
            attempts.starting();
            return Futures.recover(io.call(key, call).thenApply(Futures.Turn::done),
                    failure -> WriteEngine.retryOrFail(io, attempts, failure));
        }).whenComplete((v, failure) -> {
            if (failure == null) {
                attempts.succeeded();
            }
        }));
    }

    @Override
    public <R> UpdateLoop<R> loop(StoreIo via, String key, Transition<R> transition, UpdateOptions shape,
                                  GetResponse held, UpdateLoop.Progress progress) {
        String leaseId = shape.leaseId().orElse(null);
        LeaseReads reads = new LeaseReads(via, key);
        return UpdateLoop.builder(engine, via, key, transition)
                .writeOptions(PutOptions.builder()
                        .userMetadata(shape.userMetadata())
                        .contentType(shape.contentType().orElse(null))
                        .leaseId(leaseId)
                        .consistency(engine.strongest())
                        .build())
                .readOptions(GetOptions.builder().consistency(engine.strongest()).leaseId(leaseId).build())
                .guards(reads::before, o -> guardPut(via, key, o))
                .readCheck(reads::check)
                .budget(budget(key, shape))
                .progress(progress)
                .observed(observing, StoreObserver.Operation.UPDATE)
                .startingFrom(held)
                .build();
    }

    /** The retry budget of an update: the caller's Retry or configuration, else the adaptive default. */
    private Attempts budget(String key, UpdateOptions shape) {
        if (shape.retry().isPresent()) {
            return Attempts.of(shape.retry().get());
        }
        if (shape.retryConfig().isPresent()) {
            return Attempts.of(Retry.of("leasehold-update", shape.retryConfig().get()));
        }
        return contention.adaptive(key);
    }

    // ---------------------------------------------------------------- lease guards

    /**
     * The options a put is sent with: for a put carrying a lease id on emulated leases, the lease
     * guard's (If-Match on the object plus the fencing token); for one without a lease id on a store
     * that enforces emulated leases, after checking that nobody holds the key's lease; unchanged
     * otherwise.
     *
     * @param via how to reach the store (the guard's own reads go through it)
     * @param key the key
     * @param options the tagged options
     * @return the options to send
     */
    public CompletableFuture<PutOptions> guardPut(StoreIo via, String key, PutOptions options) {
        if (emulated == null) {
            return CompletableFuture.completedFuture(options);
        }
        if (options.leaseId().isPresent()) {
            return via.call(key, () -> emulated.guardPut(key, options));
        }
        return enforceEmulated ? via.call(key, () -> {
            emulated.refuseIfLeased(key);
            return options;
        }) : CompletableFuture.completedFuture(options);
    }

    /**
     * The options a delete is sent with (the emulated lease guard's when it carries a lease id; the
     * enforcement check when it does not and the store enforces emulated leases).
     *
     * @param via how to reach the store (the guard's own reads go through it)
     * @param key the key
     * @param options the options
     * @return the options to send
     */
    public CompletableFuture<DeleteOptions> guardDelete(StoreIo via, String key, DeleteOptions options) {
        if (emulated == null) {
            return CompletableFuture.completedFuture(options);
        }
        if (options.leaseId().isPresent()) {
            return via.call(key, () -> emulated.guardDelete(key, options));
        }
        return enforceEmulated ? via.call(key, () -> {
            emulated.refuseIfLeased(key);
            return options;
        }) : CompletableFuture.completedFuture(options);
    }

    /**
     * The lease guard of one read (a get, a download, the reads of a read-modify-write).
     *
     * @param via how to reach the store (the guard's own reads go through it)
     * @param key the key
     * @return the guard
     */
    public LeaseReads leaseReads(StoreIo via, String key) {
        return new LeaseReads(via, key);
    }

    /**
     * The lease guard of one read or read-modify-write: before each read that carries a lease id on
     * emulated leases, the record check; after it, the check of the object read (a version written
     * by a stale holder is refused). Reads without a lease id, and native leases, pass unchanged.
     * Thread-safety: used by one call (one loop) at a time.
     */
    public final class LeaseReads {
        private final StoreIo via;
        private final String key;
        private EmulatedLeases.ReadGuard last;

        LeaseReads(StoreIo via, String key) {
            this.via = via;
            this.key = key;
        }

        /**
         * Runs before a read is sent.
         *
         * @param options the read's options
         * @return the options to send
         */
        public CompletableFuture<GetOptions> before(GetOptions options) {
            if (emulated == null || options.leaseId().isEmpty()) {
                last = null;
                return CompletableFuture.completedFuture(options);
            }
            return via.call(key, () -> {
                last = emulated.guardGet(key, options);
                return last.options();
            });
        }

        /**
         * Checks what the read returned.
         *
         * @param read the driver's answer
         * @return the answer
         * @throws io.leasehold.core.StaleWriteException if a stale lease holder wrote the version read
         */
        public GetResponse check(GetResponse read) {
            return last == null ? read : last.check(read);
        }

        /**
         * Checks the object a download started on.
         *
         * @param raw its information as the driver returned it
         * @throws io.leasehold.core.StaleWriteException if a stale lease holder wrote it
         */
        public void check(io.leasehold.core.ObjectInfo raw) {
            if (last != null) {
                last.check(GetResponse.found(raw, null));
            }
        }
    }

    // ---------------------------------------------------------------- retry configurations

    /**
     * The caller's retry configuration, narrowed so that only failures that by contract did not apply
     * the request are ever re-sent: a mutation that may have landed is never sent twice.
     *
     * @param config the caller's configuration
     * @return the narrowed configuration
     */
    public static RetryConfig onlySafeResends(RetryConfig config) {
        Predicate<Throwable> callers = config.getExceptionPredicate();
        return RetryConfig.from(config)
                .retryExceptions()
                .ignoreExceptions()
                .retryOnException(t -> Conflicts.isRetryable(t) && callers.test(t))
                .build();
    }

    /**
     * The retry of a staged upload's commit: the operation retry, except for a conflict, which means
     * the staged parts are gone (S3 409 on CompleteMultipartUpload, Azure InvalidBlockList) and only
     * a new upload can succeed.
     *
     * @param config the operation retry's configuration
     * @return the commit's configuration
     */
    public static RetryConfig commitsOnly(RetryConfig config) {
        Predicate<Throwable> operations = config.getExceptionPredicate();
        return RetryConfig.from(config)
                .retryOnException(t -> operations.test(t) && Conflicts.codeOf(t) != ErrorCode.CONFLICT)
                .build();
    }

    /** Closes the driver and whatever it owns. */
    @Override
    public void close() {
        try {
            AsyncRuntime r = runtime;
            if (r != null) {
                r.close();
            }
        } finally {
            driver.close();
        }
    }
}
