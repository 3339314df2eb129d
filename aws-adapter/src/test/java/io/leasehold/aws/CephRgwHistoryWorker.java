package io.leasehold.aws;

import io.leasehold.core.ObjectStore;
import io.leasehold.tck.history.HistoryWorkers;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * A child JVM of {@link CephRgwHistoryTest}: its share of the history workload on Ceph RGW through
 * the parent's fault proxy ({@code LEASEHOLD_RGW_ENDPOINT} is the proxy's endpoint).
 */
public final class CephRgwHistoryWorker {
    private CephRgwHistoryWorker() {
    }

    public static void main(String[] args) {
        HistoryWorkers.Child child = HistoryWorkers.child(args);
        S3Driver driver = S3Driver.builder().bucket(CephRgw.BUCKET).profile(S3Profile.CEPH_RGW)
                .endpoint(URI.create(System.getenv("LEASEHOLD_RGW_ENDPOINT")))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        System.getenv("LEASEHOLD_RGW_ACCESS_KEY"), System.getenv("LEASEHOLD_RGW_SECRET_KEY"))))
                .build();
        try (ObjectStore store = ObjectStore.of(driver)) {
            child.awaitRelease();
            child.finish(child.workload().run(store));
        }
        System.exit(0);
    }
}
