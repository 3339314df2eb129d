/**
 * Leasehold metrics and observations with Micrometer: {@code io.leasehold.micrometer.LeaseholdMetrics}.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.leasehold.micrometer {
    requires transitive io.leasehold.core;
    requires transitive micrometer.core;
    requires transitive micrometer.observation;

    exports io.leasehold.micrometer;
}
