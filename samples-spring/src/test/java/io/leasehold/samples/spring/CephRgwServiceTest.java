package io.leasehold.samples.spring;

import io.leasehold.aws.CephRgw;
import io.leasehold.aws.SampleRgwSettings;
import java.net.URI;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** The sample service on Ceph RGW, through the application's own {@link S3Client} bean. */
@ExtendWith(CephRgw.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "logging.level.io.leasehold=DEBUG")
class CephRgwServiceTest extends ServiceScenario {
    private static URI endpoint;
    private static AwsCredentialsProvider credentials;

    @BeforeAll
    static void rgw(CephRgw rgw) {
        endpoint = SampleRgwSettings.endpoint(rgw);
        credentials = SampleRgwSettings.credentials(rgw);
    }

    @DynamicPropertySource
    static void store(DynamicPropertyRegistry properties) {
        properties.add("leasehold.store.uri", () -> "s3://" + SampleRgwSettings.bucket() + "/sample-"
                + UUID.randomUUID().toString().substring(0, 8) + "?profile=ceph-rgw");
    }

    @TestConfiguration
    static class Clients {
        @Bean
        S3Client s3Client() {
            return S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1).forcePathStyle(true)
                    .credentialsProvider(credentials)
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                    .build();
        }
    }

    @Override
    String expectedDriver() {
        return "s3";
    }

    @Override
    int unknownOutcomesAllowed() {
        return 8;
    }

    @Override
    String secret() {
        return credentials.resolveCredentials().secretAccessKey();
    }
}
