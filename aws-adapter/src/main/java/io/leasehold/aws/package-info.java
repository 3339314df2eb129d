/**
 * The AWS S3 adapter: {@link io.leasehold.aws.S3Driver}, a {@link io.leasehold.spi.StoreDriver}
 * over the AWS SDK for Java v2 {@code S3Client}, for AWS S3 and S3-compatible servers described by
 * an {@link io.leasehold.aws.S3Profile}; {@code s3://bucket[/prefix]?…} URIs through
 * {@link io.leasehold.aws.S3DriverProvider}.
 */
package io.leasehold.aws;
