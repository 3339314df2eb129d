package io.leasehold.aws;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.spi.scheme.AuthSchemeOption;
import software.amazon.awssdk.services.s3.auth.scheme.S3AuthSchemeParams;
import software.amazon.awssdk.services.s3.auth.scheme.S3AuthSchemeProvider;

/**
 * Wraps the S3 auth scheme provider so that request bodies are signed as a whole instead of in
 * {@code aws-chunked} streaming form, for servers that reject the latter
 * ({@link S3Profile#chunkedEncoding()}).
 *
 * <p>Thread-safety: immutable.
 */
final class WholePayloadSigning implements S3AuthSchemeProvider {
    private final S3AuthSchemeProvider delegate;

    WholePayloadSigning(S3AuthSchemeProvider delegate) {
        this.delegate = delegate == null ? S3AuthSchemeProvider.defaultProvider() : delegate;
    }

    @Override
    public List<AuthSchemeOption> resolveAuthScheme(S3AuthSchemeParams params) {
        List<AuthSchemeOption> options = new ArrayList<>();
        for (AuthSchemeOption option : delegate.resolveAuthScheme(params)) {
            options.add(option.toBuilder().putSignerProperty(AwsV4FamilyHttpSigner.CHUNK_ENCODING_ENABLED, false).build());
        }
        return options;
    }
}
