package io.leasehold.aws;

import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkPlugin;
import software.amazon.awssdk.core.SdkServiceClientConfiguration;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.services.s3.S3ServiceClientConfiguration;

/**
 * A per-request SDK plugin that turns the SDK's retries off for one request, whatever the client
 * was built with, and optionally relaxes checksums. Attached to every request sent over a
 * caller-supplied client, so the facade's retry stays the only one (a retried conditional PUT whose
 * first attempt landed comes back 412: aws-sdk-java-v2 #6580).
 *
 * <p>Thread-safety: immutable.
 */
final class SingleAttemptPlugin implements SdkPlugin {
    private final boolean checksumsWhenRequired;
    private final boolean chunkedEncoding;

    SingleAttemptPlugin(S3Profile profile) {
        this.checksumsWhenRequired = profile.checksumsWhenRequired();
        this.chunkedEncoding = profile.chunkedEncoding();
    }

    @Override
    @SuppressWarnings("deprecation") // clearing the deprecated legacy retry policy is the point
    public void configureClient(SdkServiceClientConfiguration.Builder config) {
        ClientOverrideConfiguration current = config.overrideConfiguration();
        ClientOverrideConfiguration.Builder override = current == null
                ? ClientOverrideConfiguration.builder() : current.toBuilder();
        // A legacy retry policy would win over the strategy; clear it so that "no retries" holds.
        override.retryPolicy((software.amazon.awssdk.core.retry.RetryPolicy) null);
        override.retryStrategy(AwsRetryStrategy.doNotRetry());
        override.addExecutionInterceptor(new ErrorBodyInterceptor());
        config.overrideConfiguration(override.build());
        if (config instanceof S3ServiceClientConfiguration.Builder) {
            S3ServiceClientConfiguration.Builder s3 = (S3ServiceClientConfiguration.Builder) config;
            if (checksumsWhenRequired) {
                s3.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED);
                s3.responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
            }
            if (!chunkedEncoding) {
                s3.authSchemeProvider(new WholePayloadSigning(s3.authSchemeProvider()));
            }
        }
    }
}
