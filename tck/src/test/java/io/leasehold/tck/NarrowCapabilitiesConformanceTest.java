package io.leasehold.tck;

import io.leasehold.spi.GetResponse;
import io.leasehold.spi.PutResponse;
import io.leasehold.core.Capabilities;
import io.leasehold.core.Capability;
import io.leasehold.core.DeleteOptions;
import io.leasehold.core.GetOptions;
import io.leasehold.core.GetResult;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.PutOptions;
import io.leasehold.core.PutResult;
import io.leasehold.driver.memory.MemoryDriver;
import io.leasehold.spi.StoreDriver;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The TCK on a memory store that declares only a few capabilities (like a minimal S3-compatible
 * server): exercises the contracts' NotSupported branches. The wrapped driver would honour every
 * option, so a facade that let an unsupported option through would not be caught by the driver.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NarrowCapabilitiesConformanceTest
        implements ObjectsContract, ConditionsContract, ConcurrencyContract, UpdatesContract, LeasesContract,
        ListingContract, CopyContract {
    private final ObjectStore store = ObjectStore.of(new Narrow());

    @Override
    public ObjectStore objectStore() {
        return store;
    }

    @AfterAll
    void close() {
        store.close();
    }

    /** Declares only unconditional operations plus create-if-absent and If-None-Match reads. */
    static final class Narrow implements StoreDriver {
        private final MemoryDriver target = MemoryDriver.create();
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public String name() {
            return "narrow-memory";
        }

        @Override
        public Capabilities capabilities() {
            return Capabilities.of(Capability.PUT_IF_ABSENT, Capability.GET_IF_NONE_MATCH,
                    Capability.ETAG_CHANGES_ON_IDENTICAL_REWRITE);
        }

        @Override
        public PutResponse put(String key, byte[] content, PutOptions options) {
            calls.incrementAndGet();
            return target.put(key, content, options);
        }

        @Override
        public GetResponse get(String key, GetOptions options, boolean withContent) {
            calls.incrementAndGet();
            return target.get(key, options, withContent);
        }

        @Override
        public void delete(String key, DeleteOptions options) {
            calls.incrementAndGet();
            target.delete(key, options);
        }
    }
}
