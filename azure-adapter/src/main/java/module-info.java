/**
 * Leasehold on Azure Blob Storage (azure-storage-blob): {@code io.leasehold.azure.AzureBlobDriver}, native
 * leases with fencing tokens, and the raw-SDK classification ({@code AzureConflicts}).
 */
// Jackson and Reactor reach this module as automatic modules on some class paths.
@SuppressWarnings("requires-automatic")
module io.leasehold.azure {
    requires transitive io.leasehold.core;
    requires transitive com.azure.storage.blob;
    requires transitive com.azure.storage.common;
    requires transitive com.azure.core;
    requires com.fasterxml.jackson.databind;
    requires java.net.http;
    requires com.azure.core.http.jdk.httpclient;
    requires reactor.core;
    requires org.reactivestreams;

    exports io.leasehold.azure;

    provides io.leasehold.spi.StoreDriverProvider with io.leasehold.azure.AzureBlobDriverProvider;
    provides io.leasehold.spi.FailureClassifier with io.leasehold.azure.AzureFailureClassifier;
}
