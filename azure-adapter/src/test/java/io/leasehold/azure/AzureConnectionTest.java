package io.leasehold.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.common.StorageSharedKeyCredential;
import io.leasehold.core.Capability;
import io.leasehold.core.InvalidArgumentException;
import io.leasehold.core.ObjectStore;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** URI parsing, credential resolution and name rules: no network (clients are built, never used). */
class AzureConnectionTest {
    private static final String KEY = "a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5+w==";

    private static BlobContainerClient client(String uri, Map<String, String> env) {
        return AzureConnection.open(URI.create(uri), env).unwrap(BlobContainerClient.class).orElseThrow();
    }

    private static String sharedKeyAccount(BlobContainerClient c) {
        StorageSharedKeyCredential k = StorageSharedKeyCredential.getSharedKeyCredentialFromPipeline(c.getHttpPipeline());
        return k == null ? null : k.getAccountName();
    }

    @Test
    void azuriteEndpointUsesTheDevelopmentAccountAndKey() {
        BlobContainerClient c = client("azure://orders/app/data?endpoint=http://127.0.0.1:10000/devstoreaccount1", Map.of());
        assertEquals("http://127.0.0.1:10000/devstoreaccount1/orders", c.getBlobContainerUrl());
        assertEquals("devstoreaccount1", sharedKeyAccount(c));
        assertFalse(AzureBlobDriver.sdkRetriesEnabled(c), "built clients have no SDK retry policy");
        AzureBlobDriver d = AzureConnection.open(URI.create("azure://orders/app/data?endpoint=http://127.0.0.1:10000/devstoreaccount1"), Map.of());
        assertEquals("app/data/", d.prefix());
        assertEquals("orders", d.containerName());
        assertTrue(d.capabilities().supports(Capability.LEASES));
        assertTrue(d.capabilities().supports(Capability.NATIVE_LEASES));
        assertTrue(d.leases().isPresent());
        assertEquals("devstoreaccount1", sharedKeyAccount(client("azure://orders?account=devstoreaccount1", Map.of())));
    }

    @Test
    void connectionStringFromParameterOrEnvironment() {
        String cs = "DefaultEndpointsProtocol=http;AccountName=acct;AccountKey=" + KEY + ";BlobEndpoint=http://127.0.0.1:1/acct;";
        BlobContainerClient fromEnv = client("azure://c1c", Map.of(AzureConnection.ENV_CONNECTION_STRING, cs));
        assertEquals("http://127.0.0.1:1/acct/c1c", fromEnv.getBlobContainerUrl());
        assertEquals("acct", sharedKeyAccount(fromEnv));
        BlobContainerClient fromParam = client("azure://c1c?connectionString=" + cs.replace(";", "%3B").replace("=", "%3D"), Map.of());
        assertEquals("acct", sharedKeyAccount(fromParam));
        assertThrows(InvalidArgumentException.class, () -> client("azure://c1c?connectionString=x&endpoint=http://h/", Map.of()));
        InvalidArgumentException bad = assertThrows(InvalidArgumentException.class,
                () -> client("azure://c1c?connectionString=AccountKey%3DSECRETVALUE", Map.of()));
        assertFalse(bad.getMessage().contains("SECRETVALUE"), bad.getMessage());
    }

    @Test
    void accountAndKeyFromEnvironment() {
        BlobContainerClient c = client("azure://data", Map.of(AzureConnection.ENV_ACCOUNT, "myacct", AzureConnection.ENV_KEY, KEY));
        assertEquals("https://myacct.blob.core.windows.net/data", c.getBlobContainerUrl());
        assertEquals("myacct", sharedKeyAccount(c));
        BlobContainerClient param = client("azure://data?account=other", Map.of(AzureConnection.ENV_KEY, KEY));
        assertEquals("other", sharedKeyAccount(param));
        BlobContainerClient sas = client("azure://data?endpoint=https://sasacct.blob.core.windows.net",
                Map.of(AzureConnection.ENV_SAS_TOKEN, "sv=2024-01-01&sig=abc"));
        assertNull(sharedKeyAccount(sas));
        assertEquals("https://sasacct.blob.core.windows.net/data", sas.getBlobContainerUrl());
    }

    @Test
    void anEnvironmentKeyIsNotUsedForAnotherAccount() {
        assertThrows(InvalidArgumentException.class, () -> client("azure://data?account=theirs",
                Map.of(AzureConnection.ENV_ACCOUNT, "mine", AzureConnection.ENV_KEY, KEY)));
        assertThrows(InvalidArgumentException.class, () -> client("azure://data", Map.of()), "no credentials at all");
    }

    @Test
    void malformedUrisAreInvalidArguments() {
        for (String uri : new String[] {
            "azure://Upper", "azure://ab", "azure://a--b", "azure://-abc", "azure://abc-",
            "azure://abc?unknown=1", "azure://abc?key=secret", "azure://abc?timeout=0s", "azure://abc?timeout=soon",
            "azure://abc?createContainer=maybe", "azure://abc?endpoint=ftp://h/x", "azure://abc?endpoint=http://h/x?sig=1",
            "azure://abc?account=a&account=b", "azure://user@abc", "azure://abc:99", "azure://abc/bad./prefix",
            "s3://abc"}) {
            assertThrows(InvalidArgumentException.class, () -> AzureConnection.open(URI.create(uri),
                    Map.of(AzureConnection.ENV_ACCOUNT, "a", AzureConnection.ENV_KEY, KEY)), uri);
        }
    }

    @Test
    void serviceLoaderFindsTheAzureScheme() {
        try (ObjectStore store = ObjectStore.open("azure://loaded?endpoint=http://127.0.0.1:10000/devstoreaccount1")) {
            assertEquals("azure", store.driverName());
            assertTrue(store.unwrap(AzureBlobDriver.class).isPresent());
            assertTrue(store.unwrap(BlobContainerClient.class).isPresent());
        }
    }

    @Test
    void durationsAndQueryDecoding() {
        assertEquals(Duration.ofSeconds(30), AzureConnection.duration("30s"));
        assertEquals(Duration.ofMillis(500), AzureConnection.duration("500ms"));
        assertEquals(Duration.ofMinutes(2), AzureConnection.duration("2m"));
        assertEquals(Duration.ofSeconds(90), AzureConnection.duration("PT1M30S"));
        assertEquals("a+b c", AzureConnection.query("endpoint=a+b%20c").get("endpoint"));
    }

    @Test
    void blobNameRules() {
        assertEquals("p/a/b", BlobNames.blobName("p/", "a/b"));
        assertEquals("dir/file.txt", BlobNames.blobName("", "dir/file.txt"));
        assertEquals("", BlobNames.prefix(null));
        assertEquals("", BlobNames.prefix("/"));
        assertEquals("x/y/", BlobNames.prefix("/x/y"));
        String nearLimit = "k".repeat(BlobNames.MAX_NAME_CHARS - 2);
        assertEquals("p/" + nearLimit, BlobNames.blobName("p/", nearLimit));
        for (String bad : new String[] {"end.", "end/", "seg./x", "./x", "x/../y", "a\\b", "\uFDD0", "a//b", "/a", "//", "x" + "/s".repeat(254)}) {
            assertThrows(InvalidArgumentException.class, () -> BlobNames.blobName("", bad), bad);
        }
        assertThrows(InvalidArgumentException.class, () -> BlobNames.blobName("p/", "k".repeat(BlobNames.MAX_NAME_CHARS - 1)),
                "the prefix counts toward 1024 characters");
        assertEquals("$root", BlobNames.container("$root"));
        assertEquals("a-b-c", BlobNames.container("a-b-c"));
    }
}
