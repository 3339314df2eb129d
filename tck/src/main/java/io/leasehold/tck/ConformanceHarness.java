package io.leasehold.tck;

import io.leasehold.core.ObjectStore;
import java.util.UUID;

/**
 * What a driver's conformance test class provides to the contract interfaces it implements.
 *
 * <p>A concrete test class (named {@code <Driver>ConformanceTest}) implements this and any of the
 * contract interfaces in this package; JUnit 5 runs the contracts' default test methods. Contracts
 * ask {@link ObjectStore#capabilities()} and assert {@link io.leasehold.core.NotSupportedException}
 * where a capability is missing, so no case is skipped silently.
 *
 * <p>Thread-safety: {@link #store()} must return a store safe for concurrent use.
 */
public interface ConformanceHarness {

    /**
     * The store under test. May be shared by all tests of the class; tests use unique keys.
     *
     * @return the store
     */
    ObjectStore objectStore();

    /**
     * Whether the contracts send their calls through the asynchronous API ({@link ObjectStore#async()})
     * instead of the blocking one. A driver's async conformance class extends its blocking one and
     * returns true.
     *
     * @return true to test the asynchronous API
     */
    default boolean throughAsyncApi() {
        return false;
    }

    /**
     * The store as the contracts call it: {@link #objectStore()} through the API chosen by
     * {@link #throughAsyncApi()}.
     *
     * @return the view
     */
    default Store store() {
        return throughAsyncApi() ? Store.throughAsync(objectStore()) : Store.blocking(objectStore());
    }

    /**
     * Whether the server under test evaluates conditional writes atomically under concurrent
     * requests. Only emulators known to be check-then-act (S3Mock) return false; their race cases
     * are then not run, because a failure would describe the emulator, not the driver. Real stores
     * and faithful servers (memory, file, Ceph RGW, Azurite) keep the default.
     *
     * @return true if race and counter cases apply
     */
    default boolean atomicUnderConcurrency() {
        return true;
    }

    /**
     * A key no other test uses.
     *
     * @param name a readable part
     * @return a unique key
     */
    default String uniqueKey(String name) {
        return "tck/" + name + "/" + UUID.randomUUID();
    }
}
