package io.leasehold.cli;

import static io.leasehold.cli.RealStoreScenarios.assertFails;
import static io.leasehold.cli.RealStoreScenarios.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.leasehold.azure.AzuriteExtension;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The CLI on {@code azure://} against Azurite (npm, on a free 127.0.0.1 port, started by
 * {@link AzuriteExtension} from azure-adapter's test-jar): object commands with their exit codes,
 * the counter demo under contention, and native blob leases.
 */
@ExtendWith(AzuriteExtension.class)
class AzuriteCliTest {
    private RealStoreScenarios store;

    @BeforeEach
    void freshContainer() {
        store = new RealStoreScenarios(AzuriteExtension.uniqueStoreUri("cli"));
    }

    @Test
    void objectCommandsAndTheirExitCodes() {
        store.objectCommands("notes/a.txt", true);
    }

    @Test
    void listCopyAndMove() {
        store.listCopyMove(true);
    }

    @Test
    void demoLosesNoUpdateUnderContention() {
        RealStoreScenarios.DemoFigures figures = store.demo("demo/counter", 8, 25);
        System.out.println("[figures] azurite demo 8x25: final=" + figures.finalValue() + " conflicts="
                + figures.conflicts() + " lost=" + figures.lost());
    }

    @Test
    void leaseGuardsWritesUntilBroken() {
        assertEquals(0, store.cli("put", "job", "--data", "v0").exit());
        JsonNode lease = json(store.cli("lease", "acquire", "job", "--duration", "15s"));
        String id = lease.get("leaseId").asText();
        UUID.fromString(id);
        assertEquals("job", lease.get("key").asText());
        assertEquals(15, lease.get("durationSeconds").asInt());
        assertFalse(lease.get("infinite").asBoolean());

        assertFails(6, "LEASE_", store.cli("put", "job", "--data", "intruder"));
        assertFails(6, "LEASE_", store.cli("put", "job", "--data", "intruder", "--lease", UUID.randomUUID().toString()));
        assertFails(6, "LEASE_", store.cli("delete", "job"));
        assertFails(6, "LEASE_HELD: ", store.cli("lease", "acquire", "job", "--duration", "15s"));
        assertEquals("v0", store.cli("get", "job").stdout(), "refused writes changed nothing");

        JsonNode written = json(store.cli("put", "job", "--data", "v1", "--lease", id));
        assertEquals("job", written.get("key").asText());
        assertEquals("v1", store.cli("get", "job").stdout());

        JsonNode status = json(store.cli("lease", "status", "job"));
        assertEquals("leased", status.get("state").asText());
        assertFalse(status.get("infinite").asBoolean());

        assertEquals(0, json(store.cli("lease", "break", "job", "--period", "0s")).get("breakSeconds").asInt());
        assertEquals("broken", json(store.cli("lease", "status", "job")).get("state").asText());
        assertFails(6, "LEASE_", store.cli("lease", "renew", "job", "--id", id));

        // A broken lease no longer guards the blob: a write without a lease goes through.
        assertEquals(0, store.cli("put", "job", "--data", "v2").exit());
        assertEquals("v2", store.cli("get", "job").stdout());
        assertTrue(json(store.cli("lease", "status", "job")).get("state").asText().matches("broken|available"));
    }

    /** Issue 16, item 4: the same id acquiring again after a release starts a new tenure, with a larger token. */
    @Test
    void theSameIdAcquiringAgainAfterAReleaseGetsALargerToken() {
        assertEquals(0, store.cli("put", "job", "--data", "v0").exit());
        String worker = UUID.randomUUID().toString();
        JsonNode first = json(store.cli("lease", "acquire", "job", "--duration", "15s", "--id", worker));
        assertTrue(json(store.cli("lease", "release", "job", "--id", worker)).get("released").asBoolean());
        JsonNode second = json(store.cli("lease", "acquire", "job", "--duration", "15s", "--id", worker));
        assertTrue(second.get("fencingToken").asLong() > first.get("fencingToken").asLong(), first + " then " + second);
        assertEquals(0, store.cli("put", "job", "--data", "v1", "--lease", worker).exit());
    }
}
