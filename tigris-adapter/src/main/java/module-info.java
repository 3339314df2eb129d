/**
 * Leasehold on Tigris: the S3 driver with Tigris's endpoint, settings and headers
 * ({@code io.leasehold.tigris.Tigris}).
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.leasehold.tigris {
    requires transitive io.leasehold.aws;

    exports io.leasehold.tigris;

    provides io.leasehold.spi.StoreDriverProvider with io.leasehold.tigris.TigrisDriverProvider;
}
