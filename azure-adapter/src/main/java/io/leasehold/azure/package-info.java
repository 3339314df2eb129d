/**
 * Azure Blob Storage adapter: {@link io.leasehold.azure.AzureBlobDriver} (conditional operations and
 * native blob leases over azure-storage-blob) and its {@code azure://} URI provider
 * {@link io.leasehold.azure.AzureBlobDriverProvider}.
 */
package io.leasehold.azure;
