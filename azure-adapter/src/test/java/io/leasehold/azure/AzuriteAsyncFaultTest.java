package io.leasehold.azure;

import io.leasehold.core.ObjectStore;
import io.leasehold.tck.faults.AsyncFaultCounters;
import io.leasehold.tck.faults.ErrorDialect;
import io.leasehold.tck.faults.FaultTarget;
import java.net.URI;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * 1,000 increments in flight at once through the asynchronous API and the Azure driver's non-blocking
 * requests, with lost answers and plain 502/503/504 after forwarding between the library and Azurite
 * ({@link AsyncFaultCounters}): every counter ends exactly at the increments reported done (plus at most
 * those reported unknown).
 */
@ExtendWith(AzuriteExtension.class)
class AzuriteAsyncFaultTest {
    @Test
    void everyIncrementIsCountedExactlyOnceUnderLostAndGatewayAnswers() throws Exception {
        URI azurite = URI.create(AzuriteExtension.endpoint());
        FaultTarget target = new FaultTarget() {
            @Override
            public String name() {
                return "azurite";
            }

            @Override
            public URI upstream() {
                return azurite;
            }

            @Override
            public ErrorDialect dialect() {
                return ErrorDialect.AZURE;
            }

            @Override
            public ObjectStore openThrough(URI proxyEndpoint) {
                String container = "faults-" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
                return ObjectStore.open("azure://" + container + "?endpoint=" + proxyEndpoint + "/"
                        + AzureConnection.DEV_ACCOUNT + "&createContainer=true");
            }
        };
        System.out.println(AsyncFaultCounters.run(target, 100, 10, 18L).assertClean());
    }
}
