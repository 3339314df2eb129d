package io.leasehold.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leasehold.aws.CephRgw;
import io.leasehold.aws.RgwSettings;
import io.leasehold.aws.S3Driver;
import io.leasehold.aws.S3Profile;
import io.leasehold.azure.AzuriteExtension;
import io.leasehold.core.ObjectStore;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link InFlightBench} on Azurite and Ceph RGW. The default build runs a seconds-long smoke size (100
 * in flight on distinct keys, 20 on one key); {@code -Dleasehold.bench.inflight.full=true} runs the
 * issue's sizes (1,000 and 100). Either way the asynchronous API must serve its N updates with a small
 * fixed number of platform threads, where the blocking API needs one per update.
 */
@ExtendWith({AzuriteExtension.class, CephRgw.class})
class InFlightBenchTest {
    private static final boolean FULL = Boolean.getBoolean("leasehold.bench.inflight.full");
    private static final int N = FULL ? 1000 : 100;
    private static final int SAME_KEY = FULL ? 100 : 20;

    @Test
    void azurite() throws Exception {
        String container = "inflight-" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        try (ObjectStore store = ObjectStore.open("azure://" + container + "?endpoint=" + AzuriteExtension.endpoint()
                + "&createContainer=true")) {
            // Azure's HTTP stack grows its own thread pools with concurrency (the JDK HttpClient's workers and
            // azure-core's shared executor, both unbounded): fewer threads than blocking, but not a fixed few.
            check(InFlightBench.run("azurite", store, N, SAME_KEY), Integer.MAX_VALUE);
        }
    }

    @Test
    void cephRgw(CephRgw rgw) throws Exception {
        try (ObjectStore store = ObjectStore.of(S3Driver.builder().bucket(RgwSettings.bucket())
                .prefix("inflight-" + UUID.randomUUID()).profile(S3Profile.CEPH_RGW).endpoint(RgwSettings.endpoint(rgw))
                .credentialsProvider(RgwSettings.credentials(rgw)).maxConnections(N).build())) {
            check(InFlightBench.run("ceph-rgw", store, N, SAME_KEY), 32);
        }
    }

    /**
     * The asynchronous API adds fewer than {@code asyncBound} threads, and fewer than half of what the
     * blocking API adds for the same N; the blocking API needs a thread per update.
     */
    private static void check(List<InFlightBench.Row> rows, int asyncBound) {
        System.out.println(InFlightBench.HEADER);
        rows.forEach(r -> System.out.println(r.markdown()));
        InFlightBench.Row async = rows.stream().filter(r -> r.api == InFlightBench.Api.ASYNC && r.n == N).findFirst().orElseThrow();
        InFlightBench.Row blocking = rows.stream().filter(r -> r.api == InFlightBench.Api.BLOCKING && r.n == N).findFirst().orElseThrow();
        int asyncThreads = async.peakThreads - async.baseThreads;
        int blockingThreads = blocking.peakThreads - blocking.baseThreads;
        assertTrue(blockingThreads >= N, "blocking uses a thread per update: " + blocking.markdown());
        assertTrue(asyncThreads < blockingThreads / 2, "async: " + async.markdown() + ", blocking: " + blocking.markdown());
        assertTrue(asyncThreads < asyncBound, "async added threads: " + async.markdown());
    }
}
