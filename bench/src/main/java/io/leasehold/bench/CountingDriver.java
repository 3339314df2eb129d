package io.leasehold.bench;

import io.leasehold.spi.GetResponse;
import io.leasehold.spi.PutResponse;
import io.leasehold.core.Capabilities;
import io.leasehold.core.DeleteOptions;
import io.leasehold.core.GetOptions;
import io.leasehold.core.GetResult;
import io.leasehold.core.PutOptions;
import io.leasehold.core.PutResult;
import io.leasehold.spi.LeaseDriver;
import io.leasehold.spi.StoreDriver;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the calls the facade makes to a driver: for the memory and file stores, which have no wire,
 * these stand for requests.
 *
 * <p>Thread-safety: as the wrapped driver; the counters are atomic.
 */
public final class CountingDriver implements StoreDriver {
    private final StoreDriver delegate;
    private final AtomicLong puts = new AtomicLong();
    private final AtomicLong gets = new AtomicLong();
    private final AtomicLong deletes = new AtomicLong();

    /**
     * Counts the calls to a driver.
     *
     * @param delegate the driver (closed with this one)
     */
    public CountingDriver(StoreDriver delegate) {
        this.delegate = delegate;
    }

    /** @return put, get/head and delete calls so far */
    public long requests() {
        return puts.get() + gets.get() + deletes.get();
    }

    /** @return put calls so far */
    public long puts() {
        return puts.get();
    }

    /** @return get and head calls so far */
    public long gets() {
        return gets.get();
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public Capabilities capabilities() {
        return delegate.capabilities();
    }

    @Override
    public PutResponse put(String key, byte[] content, PutOptions options) {
        puts.incrementAndGet();
        return delegate.put(key, content, options);
    }

    @Override
    public GetResponse get(String key, GetOptions options, boolean withContent) {
        gets.incrementAndGet();
        return delegate.get(key, options, withContent);
    }

    @Override
    public void delete(String key, DeleteOptions options) {
        deletes.incrementAndGet();
        delegate.delete(key, options);
    }

    @Override
    public Optional<LeaseDriver> leases() {
        return delegate.leases();
    }

    @Override
    public <T> Optional<T> unwrap(Class<T> type) {
        return delegate.unwrap(type);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
