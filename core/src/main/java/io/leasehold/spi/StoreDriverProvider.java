package io.leasehold.spi;

import java.net.URI;
import java.util.Set;

/**
 * Creates drivers from store URIs; registered through {@link java.util.ServiceLoader}
 * ({@code META-INF/services/io.leasehold.spi.StoreDriverProvider}) so that
 * {@link io.leasehold.core.ObjectStore#open(String)} finds it by scheme.
 *
 * <p>Thread-safety: implementations MUST be stateless or thread-safe.
 */
public interface StoreDriverProvider {

    /**
     * The URI schemes this provider serves, lowercase, e.g. {@code "mem"}, {@code "s3"}.
     *
     * @return the schemes
     */
    Set<String> schemes();

    /**
     * The query parameters the drivers of this provider take in a store URI, spelled as in the URI,
     * in the order the provider documents them. Tools check configured options against it before
     * opening a store (the Spring starter refuses an option a store does not take, naming the
     * property), so list exactly what {@link #open} accepts.
     *
     * @return the parameter names; by default none
     */
    default Set<String> parameters() {
        return Set.of();
    }

    /**
     * Opens a driver.
     *
     * @param uri the store URI, scheme one of {@link #schemes()}
     * @return a new driver, owned by the caller
     * @throws io.leasehold.core.InvalidArgumentException if the URI is malformed for this scheme
     */
    StoreDriver open(URI uri);
}
