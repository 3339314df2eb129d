package io.leasehold.aws;

import io.leasehold.core.ObjectStore;
import io.leasehold.tck.faults.AsyncFaultCounters;
import io.leasehold.tck.faults.ErrorDialect;
import io.leasehold.tck.faults.FaultTarget;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * 1,000 increments in flight at once through the asynchronous API and the S3 driver's non-blocking
 * requests, with lost answers and plain 502/503/504 after forwarding between the library and Ceph RGW
 * ({@link AsyncFaultCounters}): every counter ends exactly at the increments reported done (plus at most
 * those reported unknown).
 */
@ExtendWith(CephRgw.class)
class CephRgwAsyncFaultTest {
    @Test
    void everyIncrementIsCountedExactlyOnceUnderLostAndGatewayAnswers(CephRgw rgw) throws Exception {
        FaultTarget target = new FaultTarget() {
            @Override
            public String name() {
                return "ceph-rgw";
            }

            @Override
            public URI upstream() {
                return rgw.endpoint();
            }

            @Override
            public ErrorDialect dialect() {
                return ErrorDialect.S3;
            }

            @Override
            public ObjectStore openThrough(URI proxyEndpoint) {
                return ObjectStore.of(rgw.driverBuilder().endpoint(proxyEndpoint).build());
            }
        };
        System.out.println(AsyncFaultCounters.run(target, 100, 10, 18L).assertClean());
    }
}
