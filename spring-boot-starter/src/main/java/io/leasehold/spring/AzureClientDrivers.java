package io.leasehold.spring;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import io.leasehold.azure.AzureBlobDriver;
import io.leasehold.core.InvalidArgumentException;
import io.leasehold.spi.StoreDriver;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * An {@code azure://} store around the application's {@link BlobServiceClient} bean, unless the URI
 * configures its own connection (connection string, endpoint, account).
 *
 * <p>Thread-safety: immutable.
 */
final class AzureClientDrivers implements LeaseholdDriverFactory {
    private static final Set<String> CONNECTION_SETTINGS = Set.of("connectionString", "endpoint", "account");
    private static final Set<String> KNOWN = Set.of("createContainer");

    private final BlobServiceClient service;

    AzureClientDrivers(BlobServiceClient service) {
        this.service = service;
    }

    @Override
    public StoreDriver driverFor(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        Map<String, String> query = StoreUris.query(uri);
        if (!scheme.equals("azure") || query.keySet().stream().anyMatch(CONNECTION_SETTINGS::contains)) {
            return null;
        }
        for (String name : query.keySet()) {
            if (!KNOWN.contains(name)) {
                throw new InvalidArgumentException("uri", "parameter '" + name + "' configures a client; with the"
                        + " application's BlobServiceClient bean only createContainer applies (set it on that client)");
            }
        }
        BlobContainerClient container = service.getBlobContainerClient(uri.getHost());
        if (Boolean.parseBoolean(query.getOrDefault("createContainer", "false"))) {
            container.createIfNotExists();
        }
        return AzureBlobDriver.of(container, StoreUris.prefix(uri));
    }
}
