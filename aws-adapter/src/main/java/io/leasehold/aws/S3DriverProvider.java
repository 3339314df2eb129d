package io.leasehold.aws;

import io.leasehold.spi.StoreDriver;
import io.leasehold.spi.StoreDriverProvider;
import java.net.URI;
import java.util.Set;

/**
 * Serves {@code s3://bucket[/prefix]?endpoint=…&region=…&pathStyle=…&profile=aws|ceph-rgw|s3-compatible}
 * URIs through {@link java.util.ServiceLoader}; see {@link S3Driver} for the parameters.
 *
 * <p>Thread-safety: stateless.
 */
public final class S3DriverProvider implements StoreDriverProvider {
    /** Creates the provider (for {@link java.util.ServiceLoader}). */
    public S3DriverProvider() {
    }

    @Override
    public Set<String> schemes() {
        return Set.of("s3");
    }

    /**
     * The parameters of an {@code s3://} URI: {@code endpoint}, {@code region}, {@code pathStyle},
     * {@code profile}, {@code versioned}, {@code credentialsProfile} (see {@link S3Driver}).
     *
     * @return the parameter names, in that order
     */
    @Override
    public Set<String> parameters() {
        return S3Connection.PARAMETERS;
    }

    /**
     * Opens an {@link S3Driver} that owns the client it builds.
     *
     * @param uri an {@code s3://} URI
     * @return the driver
     * @throws io.leasehold.core.InvalidArgumentException if the URI is malformed
     */
    @Override
    public StoreDriver open(URI uri) {
        return S3Driver.open(uri);
    }
}
