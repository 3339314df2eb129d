/**
 * Leasehold's conformance suite (TCK) for drivers: contract interfaces of JUnit 5 tests, a fault proxy
 * for tests against real servers, and the launcher that ties test servers to the JVM that started them.
 */
module io.leasehold.tck {
    requires transitive io.leasehold.core;
    requires transitive org.junit.jupiter.api;
    requires transitive io.leasehold.test;

    exports io.leasehold.tck;
    exports io.leasehold.tck.faults;
    exports io.leasehold.tck.history;
    exports io.leasehold.tck.servers;
    // The contracts are JUnit test interfaces: JUnit reads their methods reflectively.
    opens io.leasehold.tck to org.junit.platform.commons;
}
