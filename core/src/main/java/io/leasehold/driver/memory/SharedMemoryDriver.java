package io.leasehold.driver.memory;

import io.leasehold.spi.GetResponse;
import io.leasehold.spi.PutResponse;
import io.leasehold.core.Capabilities;
import io.leasehold.core.DeleteOptions;
import io.leasehold.core.GetOptions;
import io.leasehold.core.GetResult;
import io.leasehold.core.ListOptions;
import io.leasehold.core.ObjectVersion;
import io.leasehold.core.PutOptions;
import io.leasehold.spi.LeaseDriver;
import io.leasehold.spi.ListResponse;
import io.leasehold.spi.StoreDriver;
import java.util.Optional;

/** A handle on a named memory store: closing it leaves the shared data in place. */
final class SharedMemoryDriver implements StoreDriver {
    private final MemoryDriver target;

    SharedMemoryDriver(MemoryDriver target) {
        this.target = target;
    }

    @Override
    public String name() {
        return target.name();
    }

    @Override
    public Capabilities capabilities() {
        return target.capabilities();
    }

    @Override
    public PutResponse put(String key, byte[] content, PutOptions options) {
        return target.put(key, content, options);
    }

    @Override
    public GetResponse get(String key, GetOptions options, boolean withContent) {
        return target.get(key, options, withContent);
    }

    @Override
    public void delete(String key, DeleteOptions options) {
        target.delete(key, options);
    }

    @Override
    public ListResponse list(String prefix, ListOptions options) {
        return target.list(prefix, options);
    }

    @Override
    public PutResponse copy(String sourceKey, ObjectVersion sourceVersion, long sourceSize, String targetKey,
                            PutOptions targetOptions) {
        return target.copy(sourceKey, sourceVersion, sourceSize, targetKey, targetOptions);
    }

    @Override
    public Optional<LeaseDriver> leases() {
        return target.leases();
    }

    @Override
    public <T> Optional<T> unwrap(Class<T> type) {
        return target.unwrap(type);
    }
}
