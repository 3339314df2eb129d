package io.leasehold.samples.spring;

import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import io.leasehold.azure.AzuriteExtension;
import io.leasehold.azure.SampleAzuriteSettings;
import java.util.UUID;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The sample service on Azurite, through the application's own {@link BlobServiceClient} bean. */
@ExtendWith(AzuriteExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "logging.level.io.leasehold=DEBUG")
class AzuriteServiceTest extends ServiceScenario {
    private static final String CONTAINER = "sample-" + UUID.randomUUID().toString().substring(0, 8);

    @DynamicPropertySource
    static void store(DynamicPropertyRegistry properties) {
        properties.add("leasehold.store.uri", () -> "azure://" + CONTAINER + "?createContainer=true");
    }

    @TestConfiguration
    static class Clients {
        @Bean
        BlobServiceClient blobServiceClient() {
            return new BlobServiceClientBuilder().endpoint(AzuriteExtension.endpoint())
                    .credential(SampleAzuriteSettings.credential()).buildClient();
        }
    }

    @Override
    String expectedDriver() {
        return "azure";
    }

    @Override
    int unknownOutcomesAllowed() {
        return 0;
    }

    @Override
    String secret() {
        return SampleAzuriteSettings.accountKey();
    }
}
