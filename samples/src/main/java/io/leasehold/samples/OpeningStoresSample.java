package io.leasehold.samples;

import io.leasehold.aws.S3Driver;
import io.leasehold.core.ObjectStore;
import java.util.List;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * docs/s3.md: opening S3, Ceph RGW and Tigris stores by URI, and an S3 store around a client the
 * application already has. Opening an {@code s3://} or {@code tigris://} store needs
 * {@code leasehold-aws} (and {@code leasehold-tigris}) on the class path and AWS credentials from the
 * standard provider chain.
 *
 * <p>Thread-safety: stateless; the stores returned are thread-safe.
 */
public final class OpeningStoresSample {
    private OpeningStoresSample() {
    }

    /**
     * Opens one store of each kind.
     *
     * @param existingClient a client the application already built (the driver neither changes nor closes it)
     * @return the stores; close them when done
     */
    public static List<ObjectStore> openAll(S3Client existingClient) {
        ObjectStore aws    = ObjectStore.open("s3://my-bucket/app?region=eu-west-1");
        ObjectStore rgw    = ObjectStore.open("s3://my-bucket?endpoint=http://127.0.0.1:7480&profile=ceph-rgw");
        ObjectStore tigris = ObjectStore.open("tigris://my-bucket/app");          // https://t3.storage.dev, region auto
        ObjectStore mine   = ObjectStore.of(S3Driver.builder().client(existingClient).bucket("my-bucket").build());
        return List.of(aws, rgw, tigris, mine);
    }
}
