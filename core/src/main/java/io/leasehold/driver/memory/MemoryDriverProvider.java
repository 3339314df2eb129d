package io.leasehold.driver.memory;

import io.leasehold.core.InvalidArgumentException;
import io.leasehold.spi.StoreDriver;
import io.leasehold.spi.StoreDriverProvider;
import java.net.URI;
import java.util.Set;

/**
 * Serves {@code mem://name}: one shared in-process store per name ({@code mem://} alone is the
 * store named {@code default}).
 *
 * <p>Thread-safety: stateless.
 */
public final class MemoryDriverProvider implements StoreDriverProvider {
    /** Creates the provider (for {@link java.util.ServiceLoader}). */
    public MemoryDriverProvider() {
    }

    @Override
    public Set<String> schemes() {
        return Set.of("mem", "memory");
    }

    @Override
    public StoreDriver open(URI uri) {
        String name = uri.getAuthority() != null ? uri.getAuthority()
                : uri.getSchemeSpecificPart() == null ? "" : uri.getSchemeSpecificPart().replaceFirst("^/+", "");
        if (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/") && uri.getAuthority() != null) {
            throw new InvalidArgumentException("uri", "mem:// takes only a name, e.g. mem://demo");
        }
        return new SharedMemoryDriver(MemoryDriver.named(name.isEmpty() ? "default" : name));
    }
}
