package io.leasehold.aws;

import io.leasehold.core.ObjectStore;
import io.leasehold.tck.faults.DownloadResumption;
import io.leasehold.tck.faults.ErrorDialect;
import io.leasehold.tck.faults.FaultTarget;
import java.net.URI;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Downloads from Ceph RGW whose connections the fault proxy resets part-way resume from the last byte. */
@ExtendWith(CephRgw.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CephRgwDownloadResumeTest {
    private DownloadResumption resumption;

    @BeforeAll
    void target(CephRgw rgw) {
        resumption = new DownloadResumption(new FaultTarget() {
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
        });
    }

    @Test
    void resumesFromTheLastByte() {
        System.out.println("[resume] ceph-rgw: " + resumption.resumesFromTheLastByte());
    }

    @Test
    void givesUpWithoutProgress() {
        resumption.givesUpWithoutProgress();
    }
}
