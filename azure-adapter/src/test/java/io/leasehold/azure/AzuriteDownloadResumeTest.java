package io.leasehold.azure;

import io.leasehold.core.ObjectStore;
import io.leasehold.tck.faults.DownloadResumption;
import io.leasehold.tck.faults.ErrorDialect;
import io.leasehold.tck.faults.FaultTarget;
import java.net.URI;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Downloads from Azurite whose connections the fault proxy resets part-way resume from the last byte. */
@ExtendWith(AzuriteExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AzuriteDownloadResumeTest {
    private DownloadResumption resumption;

    @BeforeAll
    void target() {
        resumption = new DownloadResumption(new FaultTarget() {
            @Override
            public String name() {
                return "azurite";
            }

            @Override
            public URI upstream() {
                return URI.create(AzuriteExtension.endpoint()).resolve("/");
            }

            @Override
            public ErrorDialect dialect() {
                return ErrorDialect.AZURE;
            }

            @Override
            public ObjectStore openThrough(URI proxyEndpoint) {
                String container = "resume-" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
                return ObjectStore.open("azure://" + container + "?endpoint=" + proxyEndpoint + "/"
                        + AzureConnection.DEV_ACCOUNT + "&createContainer=true");
            }
        });
    }

    @Test
    void resumesFromTheLastByte() {
        System.out.println("[resume] azurite: " + resumption.resumesFromTheLastByte());
    }

    @Test
    void givesUpWithoutProgress() {
        resumption.givesUpWithoutProgress();
    }
}
