package io.leasehold.tck;

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

/**
 * The lease suite on a store without leases (the memory driver with its lease capabilities
 * removed): every case must see NotSupportedException.
 */
class NoLeasesConformanceTest implements LeasesContract {
    private static final ObjectStore STORE = ObjectStore.of(new WithoutLeases(MemoryDriver.create()));

    @Override
    public ObjectStore store() {
        return STORE;
    }

    /** Delegates objects, hides leases. */
    private static final class WithoutLeases implements StoreDriver {
        private final MemoryDriver target;

        WithoutLeases(MemoryDriver target) {
            this.target = target;
        }

        @Override
        public String name() {
            return "memory-without-leases";
        }

        @Override
        public Capabilities capabilities() {
            return target.capabilities().without(Capability.LEASES, Capability.NATIVE_LEASES, Capability.FENCING_TOKENS);
        }

        @Override
        public PutResult put(String key, byte[] content, PutOptions options) {
            return target.put(key, content, options);
        }

        @Override
        public GetResult get(String key, GetOptions options, boolean withContent) {
            return target.get(key, options, withContent);
        }

        @Override
        public void delete(String key, DeleteOptions options) {
            target.delete(key, options);
        }
    }
}
