/**
 * Leasehold core: the portable facade ({@code io.leasehold.core}), leases, transfers and the probe, the
 * provider SPI with its driver-author kit, and the embedded memory and file drivers. Everything under
 * {@code io.leasehold.core.internal} is the implementation and is not exported.
 */
// Resilience4j's jars are automatic modules; its Retry and RetryConfig are part of this module's API.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic", "module"})
module io.leasehold.core {
    requires transitive io.github.resilience4j.retry;
    requires transitive io.github.resilience4j.core;
    requires transitive com.fasterxml.jackson.databind;
    // Nullness annotations: needed to compile against the API, not at run time.
    requires static transitive org.jspecify;

    exports io.leasehold.core;
    exports io.leasehold.core.lease;
    exports io.leasehold.core.transfer;
    exports io.leasehold.core.probe;
    exports io.leasehold.core.typed;
    exports io.leasehold.spi;
    exports io.leasehold.spi.kit;
    exports io.leasehold.driver.memory;
    exports io.leasehold.driver.file;
    // The TCK's lease safety workload reads when an acquire was sent (the holder's monotonic deadline).
    exports io.leasehold.core.internal.lease to io.leasehold.tck;

    uses io.leasehold.spi.StoreDriverProvider;
    uses io.leasehold.spi.FailureClassifier;

    provides io.leasehold.spi.StoreDriverProvider with
            io.leasehold.driver.memory.MemoryDriverProvider,
            io.leasehold.driver.file.FileDriverProvider;
}
