package io.leasehold.samples.locks;

import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import io.leasehold.azure.AzuriteExtension;
import io.leasehold.azure.SampleAzuriteSettings;
import java.util.UUID;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The locked job in two instances on Azurite (native blob leases), through a {@link BlobServiceClient} bean. */
@ExtendWith(AzuriteExtension.class)
class AzuriteLockedJobTest extends LockedJobScenario {
    private static final String CONTAINER = "locked-" + UUID.randomUUID().toString().substring(0, 8);

    /** The application's client. */
    @Configuration(proxyBeanMethods = false)
    static class Clients {
        @Bean
        BlobServiceClient blobServiceClient() {
            return new BlobServiceClientBuilder().endpoint(AzuriteExtension.endpoint())
                    .credential(SampleAzuriteSettings.credential()).buildClient();
        }
    }

    @Override
    String storeUri() {
        return "azure://" + CONTAINER + "?createContainer=true";
    }

    @Override
    String expectedDriver() {
        return "azure";
    }

    @Override
    Class<?> clients() {
        return Clients.class;
    }
}
