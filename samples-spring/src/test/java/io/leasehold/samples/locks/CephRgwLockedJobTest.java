package io.leasehold.samples.locks;

import io.leasehold.aws.CephRgw;
import io.leasehold.aws.SampleRgwSettings;
import java.net.URI;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** The locked job in two instances on Ceph RGW (emulated leases), through an {@link S3Client} bean. */
@ExtendWith(CephRgw.class)
class CephRgwLockedJobTest extends LockedJobScenario {
    private static final String PREFIX = "locked-" + UUID.randomUUID().toString().substring(0, 8);
    private static URI endpoint;
    private static AwsCredentialsProvider credentials;

    @BeforeAll
    static void rgw(CephRgw rgw) {
        endpoint = SampleRgwSettings.endpoint(rgw);
        credentials = SampleRgwSettings.credentials(rgw);
    }

    /** The application's client (RGW needs checksums only when required). */
    @Configuration(proxyBeanMethods = false)
    static class Clients {
        @Bean(destroyMethod = "close")
        S3Client s3Client() {
            return S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1).forcePathStyle(true)
                    .credentialsProvider(credentials)
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                    .build();
        }
    }

    @Override
    String storeUri() {
        return "s3://" + SampleRgwSettings.bucket() + "/" + PREFIX + "?profile=ceph-rgw";
    }

    @Override
    String expectedDriver() {
        return "s3";
    }

    @Override
    Class<?> clients() {
        return Clients.class;
    }
}
