package io.leasehold.spring;

import io.leasehold.spi.StoreDriver;
import java.net.URI;

/**
 * Builds the driver of a configured store ({@code leasehold.store.uri}, {@code leasehold.stores.<name>.uri})
 * from something the application context has, e.g. its {@code S3Client} or {@code BlobServiceClient}.
 * The starter registers one for each adapter on the class path; declare your own bean to take over
 * (beans are asked in {@code @Order}, first answer wins). When none answers, the store is opened from
 * the URI alone. An {@link io.leasehold.core.InvalidArgumentException} thrown here fails startup with
 * a report naming the store's URI property (or the option its message names).
 *
 * <p>Thread-safety: called once at startup, on one thread.
 */
@FunctionalInterface
public interface LeaseholdDriverFactory {
    /**
     * A driver for the URI, or {@code null} to let the next factory (or the URI alone) decide.
     *
     * @param uri the store URI, checked, with the store's options in its query
     * @return the driver, owned by the store from then on, or null
     * @throws io.leasehold.core.InvalidArgumentException if the URI cannot work with what the factory has
     */
    StoreDriver driverFor(URI uri);
}
