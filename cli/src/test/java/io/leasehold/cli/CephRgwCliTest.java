package io.leasehold.cli;

import static io.leasehold.cli.RealStoreScenarios.assertFails;
import static io.leasehold.cli.RealStoreScenarios.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.leasehold.aws.CephRgw;
import io.leasehold.aws.ServerSettings;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsCredentials;

/**
 * The CLI on {@code s3://…?endpoint=…&profile=ceph-rgw} against a real Ceph RADOS Gateway
 * ({@link CephRgw} from aws-adapter's test-jar: skipped with a message when Ceph is not installed,
 * failing when {@code CI=true} or {@code LEASEHOLD_REQUIRE_RGW=1}). RGW evaluates conditional
 * writes atomically, so the demo's exact counter is a real race result.
 *
 * <p>Credentials reach the CLI as a user's would, through the AWS default chain (here the
 * {@code aws.accessKeyId}/{@code aws.secretAccessKey} system properties), never in the URI.
 */
@ExtendWith(CephRgw.class)
class CephRgwCliTest {
    private static AwsSystemCredentials credentials;
    private static String baseUri;

    private RealStoreScenarios store;

    @BeforeAll
    static void connect(CephRgw rgw) {
        AwsCredentials user = ServerSettings.credentials(rgw);
        credentials = AwsSystemCredentials.set(user.accessKeyId(), user.secretAccessKey());
        baseUri = "s3://" + ServerSettings.rgwBucket() + "/cli-%s?endpoint=" + ServerSettings.endpoint(rgw)
                + "&profile=ceph-rgw";
    }

    @AfterAll
    static void disconnect() {
        if (credentials != null) {
            credentials.close();
        }
    }

    @BeforeEach
    void freshPrefix() {
        store = new RealStoreScenarios(String.format(baseUri, UUID.randomUUID()));
    }

    @Test
    void objectCommandsAndTheirExitCodesConditionalDeleteRefused() {
        store.objectCommands("notes/a.txt", false);
    }

    @Test
    void listCopyAndMoveRefusedForLackOfConditionalDelete() {
        store.listCopyMove(false);
    }

    @Test
    void demoLosesNoUpdateUnderContention() {
        RealStoreScenarios.DemoFigures figures = store.demo("demo/counter", 8, 25);
        System.out.println("[figures] ceph-rgw demo 8x25: final=" + figures.finalValue() + " conflicts="
                + figures.conflicts() + " lost=" + figures.lost());
    }

    /**
     * Emulated leases through the CLI, each command a fresh store as separate invocations would be:
     * the same exit codes as on Azure for the lease commands and for writes with a lease id; writes
     * without one cannot be refused by S3 (advisory), and the holder's next overwrite notices them.
     */
    @Test
    void emulatedLeasesWithTheSameExitCodesAsAzure() {
        assertEquals(0, store.cli("put", "job", "--data", "v0").exit());
        JsonNode lease = json(store.cli("lease", "acquire", "job", "--duration", "15s"));
        String id = lease.get("leaseId").asText();
        assertEquals(15, lease.get("durationSeconds").asInt());
        assertEquals(1, lease.get("fencingToken").asLong());

        assertFails(6, "LEASE_MISMATCH: ", store.cli("put", "job", "--data", "intruder", "--lease", UUID.randomUUID().toString()));
        assertFails(6, "LEASE_HELD: ", store.cli("lease", "acquire", "job", "--duration", "15s"));
        assertFails(2, "NOT_SUPPORTED: ", store.cli("delete", "job", "--lease", id));
        assertEquals("v0", store.cli("get", "job").stdout(), "refused writes changed nothing");

        assertEquals("job", json(store.cli("put", "job", "--data", "v1", "--lease", id)).get("key").asText());
        assertEquals("v1", store.cli("get", "job").stdout());
        assertEquals("leased", json(store.cli("lease", "status", "job")).get("state").asText());
        assertEquals(1, json(store.cli("lease", "renew", "job", "--id", id)).get("fencingToken").asLong());

        assertEquals(0, json(store.cli("lease", "break", "job", "--period", "0s")).get("breakSeconds").asInt());
        assertEquals("broken", json(store.cli("lease", "status", "job")).get("state").asText());
        assertFails(6, "LEASE_", store.cli("lease", "renew", "job", "--id", id));
        assertFails(6, "LEASE_LOST: ", store.cli("put", "job", "--data", "late", "--lease", id));

        JsonNode next = json(store.cli("lease", "acquire", "job", "--duration", "15s"));
        String nextId = next.get("leaseId").asText();
        assertEquals(2, next.get("fencingToken").asLong(), "a new holder, a larger token");
        // Advisory for writers without the lease id: S3 cannot refuse this one...
        assertEquals(0, store.cli("put", "job", "--data", "unleased").exit());
        // ...but the holder's next overwrite fails instead of silently replacing it.
        assertFails(3, "PRECONDITION_FAILED: ", store.cli("put", "job", "--data", "v2", "--lease", nextId));
        assertEquals("unleased", store.cli("get", "job").stdout());
        assertTrue(json(store.cli("lease", "release", "job", "--id", nextId)).get("released").asBoolean());
        assertEquals("available", json(store.cli("lease", "status", "job")).get("state").asText());
        assertFails(6, "LEASE_", store.cli("lease", "release", "job", "--id", nextId));
    }
}
