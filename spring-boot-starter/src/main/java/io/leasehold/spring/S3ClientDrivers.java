package io.leasehold.spring;

import io.leasehold.aws.S3Driver;
import io.leasehold.spi.StoreDriver;
import java.net.URI;
import java.util.Locale;
import java.util.Set;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An {@code s3://} (or {@code tigris://}) store around the application's {@link S3Client} bean, unless
 * the URI configures its own client (endpoint, region, path style, credentials profile).
 *
 * <p>Thread-safety: immutable.
 */
final class S3ClientDrivers implements LeaseholdDriverFactory {
    private static final Set<String> CLIENT_SETTINGS = Set.of("endpoint", "region", "pathStyle", "credentialsProfile");

    private final S3Client client;

    S3ClientDrivers(S3Client client) {
        this.client = client;
    }

    @Override
    public StoreDriver driverFor(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("s3") || StoreUris.query(uri).keySet().stream().anyMatch(CLIENT_SETTINGS::contains)) {
            return null;
        }
        // The client stays the application's: the driver neither closes it nor changes its settings
        // (its requests carry a per-request plugin that turns SDK retries off).
        return S3Driver.builder().uri(uri).client(client).build();
    }
}
