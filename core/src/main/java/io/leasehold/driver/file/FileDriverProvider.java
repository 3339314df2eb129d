package io.leasehold.driver.file;

import io.leasehold.core.InvalidArgumentException;
import io.leasehold.spi.StoreDriver;
import io.leasehold.spi.StoreDriverProvider;
import java.net.URI;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Set;

/**
 * Serves {@code file:} URIs: {@code file:///absolute/path} (or {@code file://localhost/path}) and
 * {@code file:relative/path}, resolved against the working directory. The directory is created by
 * the first write, never by opening or reading (a read of a missing directory is not found, naming
 * the store); see {@link FileDriver} for the format and guarantees.
 *
 * <p>Thread-safety: stateless.
 */
public final class FileDriverProvider implements StoreDriverProvider {
    /** Creates the provider (for {@link java.util.ServiceLoader}). */
    public FileDriverProvider() {
    }

    @Override
    public Set<String> schemes() {
        return Set.of("file");
    }

    @Override
    public StoreDriver open(URI uri) {
        return FileDriver.open(path(uri));
    }

    /**
     * The directory a {@code file:} URI names.
     *
     * @param uri the URI
     * @return the path
     * @throws InvalidArgumentException if the URI has a remote host, a query or fragment, or no path
     */
    static Path path(URI uri) {
        if (uri.getQuery() != null || uri.getFragment() != null) {
            throw new InvalidArgumentException("uri", "file: store URIs take no query or fragment");
        }
        String path;
        if (uri.isOpaque()) {
            path = uri.getSchemeSpecificPart();
        } else {
            String host = uri.getAuthority();
            if (host != null && !host.isEmpty() && !host.equalsIgnoreCase("localhost")) {
                throw new InvalidArgumentException("uri", "file:// URIs must name a local path: use file:///abs/path"
                        + " or file:relative/path (host '" + host + "' given)");
            }
            path = uri.getPath();
        }
        if (path == null || path.isEmpty()) {
            throw new InvalidArgumentException("uri", "file: store URI needs a directory, e.g. file:///var/lib/app/store");
        }
        try {
            return Path.of(path);
        } catch (InvalidPathException e) {
            throw new InvalidArgumentException("uri", "not a valid path: " + e.getReason());
        }
    }
}
