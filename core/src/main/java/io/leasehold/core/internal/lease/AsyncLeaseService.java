package io.leasehold.core.internal.lease;

import io.leasehold.core.internal.io.AsyncRuntime;
import io.leasehold.core.lease.AsyncLeases;
import io.leasehold.core.lease.Lease;
import io.leasehold.core.lease.LeaseKeeper;
import io.leasehold.core.lease.LeaseListener;
import io.leasehold.core.lease.LeaseOptions;
import io.leasehold.core.lease.LeaseStatus;
import io.leasehold.core.lease.Leases;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * {@link AsyncLeases} over a store's {@link Leases}: each operation runs on the asynchronous runtime's
 * blocking threads, under its admission, and completes on a callback thread.
 *
 * <p>Thread-safety: safe for concurrent use.
 */
public final class AsyncLeaseService implements AsyncLeases {
    private final Leases leases;
    private final AsyncRuntime runtime;

    /**
     * The asynchronous face of a store's leases.
     *
     * @param leases the leases
     * @param runtime the store's asynchronous runtime
     */
    public AsyncLeaseService(Leases leases, AsyncRuntime runtime) {
        this.leases = leases;
        this.runtime = runtime;
    }

    private <T> CompletableFuture<T> run(String key, Supplier<T> op) {
        return runtime.admit(key, () -> runtime.offload(op));
    }

    @Override
    public CompletableFuture<Lease> acquire(String key) {
        return run(key, () -> leases.acquire(key));
    }

    @Override
    public CompletableFuture<Lease> acquire(String key, LeaseOptions options) {
        return run(key, () -> leases.acquire(key, options));
    }

    @Override
    public CompletableFuture<Lease> renew(String key, String leaseId) {
        return run(key, () -> leases.renew(key, leaseId));
    }

    @Override
    public CompletableFuture<Void> release(String key, String leaseId) {
        return run(key, () -> {
            leases.release(key, leaseId);
            return null;
        });
    }

    @Override
    public CompletableFuture<Duration> breakLease(String key, Duration breakPeriod) {
        return run(key, () -> leases.breakLease(key, breakPeriod));
    }

    @Override
    public CompletableFuture<Lease> change(String key, String leaseId, String proposedId) {
        return run(key, () -> leases.change(key, leaseId, proposedId));
    }

    @Override
    public CompletableFuture<LeaseStatus> status(String key) {
        return run(key, () -> leases.status(key));
    }

    @Override
    public CompletableFuture<LeaseKeeper> keep(String key, LeaseOptions options, LeaseListener listener) {
        return run(key, () -> leases.keep(key, options, listener));
    }

    @Override
    public String toString() {
        return "AsyncLeases{" + leases + "}";
    }
}
