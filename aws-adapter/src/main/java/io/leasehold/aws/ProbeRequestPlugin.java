package io.leasehold.aws;

import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkPlugin;
import software.amazon.awssdk.core.SdkServiceClientConfiguration;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.services.s3.S3ServiceClientConfiguration;
import software.amazon.awssdk.services.s3.auth.scheme.S3AuthSchemeProvider;

/**
 * A per-request plugin for the endpoint probe's own requests: no SDK retries, 200-with-error bodies
 * mapped, and one of the transfer settings the probe compares (SDK default checksums and
 * {@code aws-chunked} signing, or checksums only when required, with or without chunked signing),
 * set explicitly whatever the client was built with. The client itself is never changed.
 *
 * <p>Thread-safety: immutable.
 */
final class ProbeRequestPlugin implements SdkPlugin {
    /** The transfer settings the probe tries, most permissive first. */
    enum Transfer {
        /** The SDK's defaults: request checksums when supported, {@code aws-chunked} signing over HTTP. */
        SDK_DEFAULTS("SDK default checksums + aws-chunked", false, true),
        /** Checksums only when an operation requires them, {@code aws-chunked} signing still allowed. */
        WHEN_REQUIRED_CHUNKED("checksums when required + aws-chunked", true, true),
        /** Checksums only when required and the whole payload signed (no {@code aws-chunked}). */
        WHEN_REQUIRED_WHOLE("checksums when required, whole-payload signing", true, false);

        final String label;
        final boolean checksumsWhenRequired;
        final boolean chunkedEncoding;

        Transfer(String label, boolean checksumsWhenRequired, boolean chunkedEncoding) {
            this.label = label;
            this.checksumsWhenRequired = checksumsWhenRequired;
            this.chunkedEncoding = chunkedEncoding;
        }

        /** The transfer settings a profile uses. */
        static Transfer of(S3Profile profile) {
            if (!profile.checksumsWhenRequired()) {
                return SDK_DEFAULTS;
            }
            return profile.chunkedEncoding() ? WHEN_REQUIRED_CHUNKED : WHEN_REQUIRED_WHOLE;
        }
    }

    private final Transfer transfer;

    ProbeRequestPlugin(Transfer transfer) {
        this.transfer = transfer;
    }

    @Override
    @SuppressWarnings("deprecation") // clearing the deprecated legacy retry policy is the point
    public void configureClient(SdkServiceClientConfiguration.Builder config) {
        ClientOverrideConfiguration current = config.overrideConfiguration();
        ClientOverrideConfiguration.Builder override = current == null
                ? ClientOverrideConfiguration.builder() : current.toBuilder();
        override.retryPolicy((software.amazon.awssdk.core.retry.RetryPolicy) null);
        override.retryStrategy(AwsRetryStrategy.doNotRetry());
        override.addExecutionInterceptor(new ErrorBodyInterceptor());
        config.overrideConfiguration(override.build());
        if (config instanceof S3ServiceClientConfiguration.Builder) {
            S3ServiceClientConfiguration.Builder s3 = (S3ServiceClientConfiguration.Builder) config;
            s3.requestChecksumCalculation(transfer.checksumsWhenRequired
                    ? RequestChecksumCalculation.WHEN_REQUIRED : RequestChecksumCalculation.WHEN_SUPPORTED);
            s3.responseChecksumValidation(transfer.checksumsWhenRequired
                    ? ResponseChecksumValidation.WHEN_REQUIRED : ResponseChecksumValidation.WHEN_SUPPORTED);
            S3AuthSchemeProvider base = S3AuthSchemeProvider.defaultProvider();
            s3.authSchemeProvider(transfer.chunkedEncoding ? base : new WholePayloadSigning(base));
        }
    }
}
