/**
 * Leasehold's test kit: a JUnit 5 extension with a fresh embedded store per test, a scriptable
 * fault-injecting driver, and checkers for operation histories and lease histories.
 */
module io.leasehold.test {
    requires transitive io.leasehold.core;
    requires transitive org.junit.jupiter.api;

    exports io.leasehold.test;
    exports io.leasehold.test.history;
    exports io.leasehold.test.lease;
}
