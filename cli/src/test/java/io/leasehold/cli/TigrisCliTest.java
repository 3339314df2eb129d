package io.leasehold.cli;

import static io.leasehold.cli.RealStoreScenarios.assertFails;
import static io.leasehold.cli.RealStoreScenarios.fieldNames;
import static io.leasehold.cli.RealStoreScenarios.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.leasehold.aws.S3MockServer;
import io.leasehold.aws.ServerSettings;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code tigris://} is wired into the CLI: single-writer put/get/head through the Tigris driver,
 * against S3Mock ({@link S3MockServer} from aws-adapter's test-jar) standing in for Tigris's S3 API.
 * No demo here: S3Mock's conditional writes are check-then-act, not atomic.
 */
@ExtendWith(S3MockServer.class)
class TigrisCliTest {
    private static AwsSystemCredentials credentials;
    private static String endpoint;

    @BeforeAll
    static void connect(S3MockServer server) {
        credentials = AwsSystemCredentials.set("s3mock-access", "s3mock-secret"); // S3Mock checks no signature
        endpoint = server.endpoint().toString();
    }

    @AfterAll
    static void disconnect() {
        if (credentials != null) {
            credentials.close();
        }
    }

    @Test
    void putGetHeadThroughTheTigrisDriver() {
        RealStoreScenarios store = new RealStoreScenarios("tigris://" + ServerSettings.s3MockBucket() + "/cli-"
                + UUID.randomUUID() + "?endpoint=" + endpoint + "&pathStyle=true");

        JsonNode created = json(store.cli("put", "notes/a.txt", "--data", "hello", "--if-none-match", "*",
                "--content-type", "text/plain", "--meta", "owner=cli"));
        assertEquals("notes/a.txt", created.get("key").asText());
        assertEquals(5, created.get("size").asLong());
        String e1 = created.get("etag").asText();
        assertFails(3, "ALREADY_EXISTS: ", store.cli("put", "notes/a.txt", "--data", "other", "--if-none-match", "*"));

        JsonNode head = json(store.cli("head", "notes/a.txt"));
        assertEquals(List.of("key", "etag", "size", "lastModified", "versionId", "contentType", "metadata"),
                fieldNames(head));
        assertEquals(e1, head.get("etag").asText());
        assertEquals(5, head.get("size").asLong());
        assertEquals("cli", head.get("metadata").get("owner").asText());

        Cli.Run got = store.cli("get", "notes/a.txt", "--consistency", "strong");
        assertEquals(0, got.exit(), got.stderr());
        assertEquals("hello", got.stdout());

        JsonNode overwritten = json(store.cli("put", "notes/a.txt", "--data", "hello again"));
        assertNotEquals(e1, overwritten.get("etag").asText());
        assertEquals("hello again", store.cli("get", "notes/a.txt").stdout());
        assertEquals(11, json(store.cli("head", "notes/a.txt")).get("size").asLong());
        assertFails(5, "NOT_FOUND: ", store.cli("get", "notes/missing.txt"));
    }
}
