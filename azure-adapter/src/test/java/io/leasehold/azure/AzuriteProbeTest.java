package io.leasehold.azure;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leasehold.core.ObjectStore;
import io.leasehold.core.probe.ProbeReport;
import io.leasehold.core.probe.StoreProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The portable probe through the Azure Blob driver on Azurite: what the table in the README shows. */
@ExtendWith(AzuriteExtension.class)
class AzuriteProbeTest {

    @Test
    void azuriteHonoursWhatTheDriverDeclares() {
        try (ObjectStore store = AzuriteExtension.uniqueStore("probe")) {
            ProbeReport report = StoreProbe.run(store);
            System.out.print(report.toTable());
            assertTrue(report.readModifyWriteSafe(), report.toTable());
            assertTrue(report.requests() <= 200, report.requests() + " requests");
            assertTrue(report.matchingProfile().isPresent(), report.toTable());
        }
    }
}
