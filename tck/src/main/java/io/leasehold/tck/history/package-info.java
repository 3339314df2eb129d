/**
 * History workloads: concurrent processes calling a store through the public API, every call
 * recorded for the test kit's linearizability checker, then checked together with what the checker
 * cannot see (final counters against acknowledged and unknown changes, write ids, and with the fault
 * proxy the wire audit). See {@link io.leasehold.tck.history.HistoryWorkload}.
 */
package io.leasehold.tck.history;
