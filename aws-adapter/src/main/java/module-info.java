/**
 * Leasehold on AWS S3 and S3-compatible servers (AWS SDK for Java v2): {@code io.leasehold.aws.S3Driver},
 * its profiles, the endpoint probe and the raw-SDK classification ({@code S3Conflicts}).
 */
// The AWS SDK's jars are automatic modules; S3Client and friends are part of this module's API.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.leasehold.aws {
    requires transitive io.leasehold.core;
    requires transitive software.amazon.awssdk.services.s3;
    requires transitive software.amazon.awssdk.core;
    requires transitive software.amazon.awssdk.awscore;
    requires transitive software.amazon.awssdk.auth;
    requires transitive software.amazon.awssdk.regions;
    requires transitive software.amazon.awssdk.http;
    requires software.amazon.awssdk.utils;
    requires software.amazon.awssdk.identity.spi;
    requires software.amazon.awssdk.http.auth.aws;
    requires software.amazon.awssdk.http.auth.spi;
    requires software.amazon.awssdk.http.apache;
    requires software.amazon.awssdk.retries.api;
    // The asynchronous client's body publishers (ErrorBodyInterceptor) come with the SDK core.
    requires org.reactivestreams;
    // Netty is optional: S3Driver#async() is empty without it (looked up by name before use).
    requires static software.amazon.awssdk.http.nio.netty;
    requires static io.netty.transport;
    requires static io.netty.common;

    exports io.leasehold.aws;

    provides io.leasehold.spi.StoreDriverProvider with io.leasehold.aws.S3DriverProvider;
    provides io.leasehold.spi.FailureClassifier with io.leasehold.aws.S3FailureClassifier;
}
