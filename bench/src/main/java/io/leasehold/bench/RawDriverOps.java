package io.leasehold.bench;

import io.leasehold.spi.GetResponse;
import io.leasehold.core.ETag;
import io.leasehold.core.GetOptions;
import io.leasehold.core.GetResult;
import io.leasehold.core.PutMode;
import io.leasehold.core.PutOptions;
import io.leasehold.spi.StoreDriver;

/**
 * The operations sent to a driver directly, skipping the facade: what the facade adds (validation,
 * write ids, history, retry wrapper, settlement bookkeeping) is the difference to {@link LeaseholdOps}.
 * The ETag for conditions is the current one, read back after each write.
 */
final class RawDriverOps implements Ops {
    private final StoreDriver driver;
    private final byte[] content;

    RawDriverOps(StoreDriver driver, Fixture fixture) {
        this.driver = driver;
        this.content = fixture.content();
    }

    private io.leasehold.spi.GetResponse current() {
        return driver.get(LeaseholdOps.KEY, GetOptions.defaults(), false);
    }

    @Override
    public Object put() {
        return driver.put(LeaseholdOps.KEY, content, PutOptions.defaults());
    }

    @Override
    public Object putIfMatch() {
        return driver.put(LeaseholdOps.KEY, content, PutOptions.of(PutMode.update(current().info().version())));
    }

    @Override
    public Object get() {
        return driver.get(LeaseholdOps.KEY, GetOptions.defaults(), true);
    }

    @Override
    public Object getIfNoneMatch() {
        ETag etag = current().info().version().etag();
        return driver.get(LeaseholdOps.KEY, GetOptions.builder().ifNoneMatch(etag).build(), true);
    }

    @Override
    public Object update() {
        GetResponse read = driver.get(LeaseholdOps.KEY, GetOptions.defaults(), true);
        return driver.put(LeaseholdOps.KEY, Fixture.bump(read.content()),
                PutOptions.of(PutMode.update(read.info().version())));
    }

    @Override
    public void close() {
        driver.close();
    }
}
