package io.leasehold.spi.kit;

import io.leasehold.core.Capabilities;
import io.leasehold.core.DeleteOptions;
import io.leasehold.core.GetOptions;
import io.leasehold.core.ListOptions;
import io.leasehold.core.ObjectVersion;
import io.leasehold.core.PutOptions;
import io.leasehold.core.probe.ProbeOptions;
import io.leasehold.core.probe.ProbeReport;
import io.leasehold.spi.GetResponse;
import io.leasehold.spi.LeaseDriver;
import io.leasehold.spi.ListResponse;
import io.leasehold.spi.PutResponse;
import io.leasehold.spi.RangeRead;
import io.leasehold.spi.StagedUpload;
import io.leasehold.spi.StoreDriver;
import io.leasehold.spi.UploadLimits;
import java.util.Objects;
import java.util.Optional;

/**
 * A driver that hands every call to another driver: extend it and override what you want to
 * observe or change (counting requests, injecting faults, keeping a shared driver open). Every
 * method of {@link StoreDriver} is forwarded, so a wrapper never silently falls back to a default
 * (a staged upload or ranged read of the wrapper would otherwise lose the wrapped driver's own) —
 * except {@link #async()}, which is empty so that the asynchronous API goes through the wrapper too.
 *
 * <p>Thread-safety: as thread-safe as the wrapped driver and the overrides.
 */
public abstract class ForwardingStoreDriver implements StoreDriver {
    private final StoreDriver delegate;

    /**
     * Wraps a driver.
     *
     * @param delegate the driver every call goes to
     */
    protected ForwardingStoreDriver(StoreDriver delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /**
     * The wrapped driver.
     *
     * @return the driver calls are forwarded to
     */
    protected StoreDriver delegate() {
        return delegate;
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
        return delegate.put(key, content, options);
    }

    @Override
    public GetResponse get(String key, GetOptions options, boolean withContent) {
        return delegate.get(key, options, withContent);
    }

    @Override
    public void delete(String key, DeleteOptions options) {
        delegate.delete(key, options);
    }

    @Override
    public UploadLimits uploadLimits() {
        return delegate.uploadLimits();
    }

    @Override
    public StagedUpload startUpload(String key, PutOptions options, long size, long partSize) {
        return delegate.startUpload(key, options, size, partSize);
    }

    @Override
    public RangeRead getRange(String key, GetOptions options, ObjectVersion pinned, long offset, long length) {
        return delegate.getRange(key, options, pinned, offset, length);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Empty: a wrapper changes what the blocking methods do, and the asynchronous API must see the
     * same changes, so it runs the wrapper's blocking methods on its pool. Override it to forward the
     * wrapped driver's asynchronous requests where the wrapper changes nothing about them.
     */
    @Override
    public Optional<io.leasehold.spi.AsyncStoreDriver> async() {
        return Optional.empty();
    }

    @Override
    public ListResponse list(String prefix, ListOptions options) {
        return delegate.list(prefix, options);
    }

    @Override
    public PutResponse copy(String sourceKey, ObjectVersion sourceVersion, long sourceSize, String targetKey,
                            PutOptions targetOptions) {
        return delegate.copy(sourceKey, sourceVersion, sourceSize, targetKey, targetOptions);
    }

    @Override
    public Optional<LeaseDriver> leases() {
        return delegate.leases();
    }

    @Override
    public ProbeReport probe(ProbeOptions options) {
        return delegate.probe(options);
    }

    @Override
    public <T> Optional<T> unwrap(Class<T> type) {
        return type.isInstance(this) ? Optional.of(type.cast(this)) : delegate.unwrap(type);
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "{" + delegate + "}";
    }
}
