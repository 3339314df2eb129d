/**
 * The Tigris adapter: {@link io.leasehold.tigris.Tigris} builds an {@link io.leasehold.aws.S3Driver}
 * with Tigris's endpoint, conditional forms and {@code X-Tigris-Consistent} header;
 * {@code tigris://bucket[/prefix]} URIs through {@link io.leasehold.tigris.TigrisDriverProvider}.
 */
package io.leasehold.tigris;
