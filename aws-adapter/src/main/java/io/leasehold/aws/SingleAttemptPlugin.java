package io.leasehold.aws;

import java.util.List;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.SdkPlugin;
import software.amazon.awssdk.core.SdkServiceClientConfiguration;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.spi.scheme.AuthSchemeOption;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3BaseClientBuilder;
import software.amazon.awssdk.services.s3.S3ServiceClientConfiguration;
import software.amazon.awssdk.services.s3.auth.scheme.S3AuthSchemeParams;
import software.amazon.awssdk.services.s3.auth.scheme.S3AuthSchemeProvider;

/**
 * What a client must be for the driver to send through it: SDK retries off (a retried conditional PUT
 * whose first attempt landed comes back 412: aws-sdk-java-v2 #6580), the {@link ErrorBodyInterceptor},
 * and the profile's checksum and signing settings. Three uses of the one rule:
 * <ul>
 *   <li>{@link #configure} applies it to a client builder (clients the driver builds, and callers'
 *       builders through {@link S3Driver#configureClient});</li>
 *   <li>{@link #isNeeded} tells whether a caller-supplied client already follows it;</li>
 *   <li>an instance is a per-request SDK plugin that applies it to one request over a client that does
 *       not (the caller's own calls keep their settings). The SDK then rebuilds the client
 *       configuration for that request, about 25 µs and 30 KB each time, which is why a client that
 *       already follows the rule goes without it.</li>
 * </ul>
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

    /** Applies the rule to a client builder (blocking or asynchronous); the builder's other settings are kept. */
    static <B extends S3BaseClientBuilder<B, ?>> B configure(B builder, S3Profile profile) {
        ClientOverrideConfiguration current = builder.overrideConfiguration();
        builder.overrideConfiguration(singleAttempt(current));
        if (profile.checksumsWhenRequired()) {
            builder.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED);
            builder.responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        }
        if (!profile.chunkedEncoding()) {
            builder.authSchemeProvider(new WholePayloadSigning(S3AuthSchemeProvider.defaultProvider()));
        }
        return builder;
    }

    /**
     * Whether requests over this client need the per-request plugin: true unless the client was built
     * with SDK retries off, the error-body interceptor and the profile's settings (as
     * {@link #configure} makes it). When in doubt, true.
     */
    @SuppressWarnings("deprecation") // a legacy retry policy must be recognised to be ruled out
    static boolean isNeeded(SdkClient client, S3Profile profile) {
        try {
            SdkServiceClientConfiguration config = client.serviceClientConfiguration();
            ClientOverrideConfiguration override = config.overrideConfiguration();
            boolean noLegacyRetries = override.retryPolicy().map(p -> p.numRetries() == 0).orElse(true);
            boolean singleAttempt = override.retryStrategy().map(s -> s.maxAttempts() == 1).orElse(false);
            boolean errorBodies = override.executionInterceptors().stream().anyMatch(i -> i instanceof ErrorBodyInterceptor);
            if (!(noLegacyRetries && singleAttempt && errorBodies)) {
                return true;
            }
            if (!profile.checksumsWhenRequired() && profile.chunkedEncoding()) {
                return false;
            }
            if (!(config instanceof S3ServiceClientConfiguration)) {
                return true;
            }
            S3ServiceClientConfiguration s3 = (S3ServiceClientConfiguration) config;
            if (profile.checksumsWhenRequired()
                    && (s3.requestChecksumCalculation() != RequestChecksumCalculation.WHEN_REQUIRED
                    || s3.responseChecksumValidation() != ResponseChecksumValidation.WHEN_REQUIRED)) {
                return true;
            }
            return !profile.chunkedEncoding() && !signsWholePayloads(s3.authSchemeProvider());
        } catch (RuntimeException unknownShape) {
            return true;
        }
    }

    /**
     * Whether a PutObject would be signed as a whole, not in aws-chunked form. Asked of the provider
     * (the SDK wraps the one a builder was given, e.g. for S3 Express, so its type says nothing).
     */
    private static boolean signsWholePayloads(S3AuthSchemeProvider provider) {
        if (provider == null) {
            return false;
        }
        List<AuthSchemeOption> options = provider.resolveAuthScheme(S3AuthSchemeParams.builder()
                .operation("PutObject").region(Region.US_EAST_1).bucket("probe").key("probe").build());
        return !options.isEmpty() && options.stream()
                .allMatch(o -> Boolean.FALSE.equals(o.signerProperty(AwsV4FamilyHttpSigner.CHUNK_ENCODING_ENABLED)));
    }

    @Override
    public void configureClient(SdkServiceClientConfiguration.Builder config) {
        config.overrideConfiguration(singleAttempt(config.overrideConfiguration()));
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

    @SuppressWarnings("deprecation") // clearing the deprecated legacy retry policy is the point
    private static ClientOverrideConfiguration singleAttempt(ClientOverrideConfiguration current) {
        ClientOverrideConfiguration.Builder override = current == null
                ? ClientOverrideConfiguration.builder() : current.toBuilder();
        // A legacy retry policy would win over the strategy; clear it so that "no retries" holds.
        override.retryPolicy((software.amazon.awssdk.core.retry.RetryPolicy) null);
        override.retryStrategy(AwsRetryStrategy.doNotRetry());
        if (override.executionInterceptors().stream().noneMatch(i -> i instanceof ErrorBodyInterceptor)) {
            override.addExecutionInterceptor(ErrorBodyInterceptor.INSTANCE);
        }
        return override.build();
    }
}
