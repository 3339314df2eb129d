package io.leasehold.tigris;

import io.leasehold.spi.StoreDriver;
import io.leasehold.spi.StoreDriverProvider;
import io.leasehold.aws.S3DriverProvider;
import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Serves {@code tigris://bucket[/prefix]?…} URIs through {@link java.util.ServiceLoader}; see
 * {@link Tigris} for the parameters and defaults.
 *
 * <p>Thread-safety: stateless.
 */
public final class TigrisDriverProvider implements StoreDriverProvider {
    /** Creates the provider (for {@link java.util.ServiceLoader}). */
    public TigrisDriverProvider() {
    }

    @Override
    public Set<String> schemes() {
        return Set.of("tigris");
    }

    /**
     * The parameters of an {@code s3://} URI ({@link S3DriverProvider#parameters()}) plus
     * {@code consistentReads} and {@code consistentWrites}.
     *
     * @return the parameter names, in that order
     */
    @Override
    public Set<String> parameters() {
        Set<String> all = new LinkedHashSet<>(new S3DriverProvider().parameters());
        all.addAll(Tigris.PARAMETERS);
        return Collections.unmodifiableSet(all);
    }

    /**
     * Opens a Tigris driver that owns the client it builds.
     *
     * @param uri a {@code tigris://} URI
     * @return the driver
     * @throws io.leasehold.core.InvalidArgumentException if the URI is malformed
     */
    @Override
    public StoreDriver open(URI uri) {
        return Tigris.open(uri);
    }
}
