package io.leasehold.samples;

import io.leasehold.core.Capability;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.probe.ProbeReport;
import io.leasehold.core.probe.StoreProbe;

/**
 * Sample: before trusting a store with read-modify-write, measure its endpoint. The probe writes in
 * a scratch prefix (deleted afterwards), with at most 200 requests, and reports what the evidence
 * supports; {@code update} is only used where create-if-absent and If-Match are honoured atomically.
 *
 * <p>Thread-safety: stateless.
 */
public final class EndpointProbeSample {
    private EndpointProbeSample() {
    }

    /**
     * Probes the store given as the first argument (default {@code mem://probe}) and prints the table.
     *
     * @param args an optional store URI
     */
    public static void main(String[] args) {
        try (ObjectStore store = ObjectStore.open(args.length > 0 ? args[0] : "mem://probe")) {
            System.out.println(safeForUpdates(store) ? "update is safe here" : "update is NOT safe here");
        }
    }

    /**
     * Probes the store and prints what was measured.
     *
     * @param store any store
     * @return whether read-modify-write is safe on it
     */
    public static boolean safeForUpdates(ObjectStore store) {
        ProbeReport report = StoreProbe.run(store);
        System.out.print(report.toTable());
        // Only what the evidence supports, e.g. conditional delete where it was honoured and atomic.
        boolean conditionalDelete = report.capabilities().supports(Capability.DELETE_IF_MATCH);
        // The built-in profile whose facts match the evidence, e.g. "ceph-rgw".
        String profile = report.matchingProfile().orElse("none");
        System.out.println("conditional delete: " + conditionalDelete + ", profile: " + profile);
        return report.readModifyWriteSafe();
    }
}
