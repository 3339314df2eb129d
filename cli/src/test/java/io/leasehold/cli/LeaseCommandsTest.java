package io.leasehold.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leasehold.spi.StoreDriverProvider;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** lease acquire/renew/release/break/change/status and put/delete --lease: output and exit codes. */
class LeaseCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private String store;

    @BeforeEach
    void freshStore() {
        store = Cli.memStore();
    }

    private Cli.Run cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--store=" + store);
        return Cli.run(all.toArray(String[]::new));
    }

    private static JsonNode json(Cli.Run run) throws IOException {
        assertEquals(0, run.exit(), run.stderr());
        String out = run.stdout();
        assertEquals(1, out.lines().count(), "one JSON line: " + out);
        return JSON.readTree(out);
    }

    private static void assertExit(int code, String errorCode, Cli.Run run) {
        assertEquals(code, run.exit(), run.stdout() + run.stderr());
        assertTrue(run.stderr().startsWith("error: " + errorCode + ": "), run.stderr());
        assertEquals("", run.stdout());
    }

    @Test
    void acquireGuardedWritesRenewChangeBreakRelease() throws Exception {
        assertEquals(0, cli("put", "job", "--data", "v0").exit());
        String id = UUID.randomUUID().toString();
        JsonNode lease = json(cli("lease", "acquire", "job", "--duration", "30s", "--id", id));
        assertEquals("job", lease.get("key").asText());
        assertEquals(id, lease.get("leaseId").asText());
        assertEquals(30, lease.get("durationSeconds").asInt());
        assertFalse(lease.get("infinite").asBoolean());
        assertTrue(lease.get("expiresBy").isTextual());
        assertTrue(lease.get("fencingToken").isNumber(), "memory has fencing tokens");

        assertExit(6, "LEASE_HELD", cli("lease", "acquire", "job", "--duration", "15s"));
        assertExit(6, "LEASE_HELD", cli("put", "job", "--data", "intruder"));
        assertExit(6, "LEASE_MISMATCH", cli("put", "job", "--data", "intruder", "--lease", UUID.randomUUID().toString()));
        assertExit(6, "LEASE_HELD", cli("delete", "job"));
        assertEquals("v0", cli("get", "job").stdout());
        assertEquals(0, cli("put", "job", "--data", "v1", "--lease", id).exit());

        JsonNode status = json(cli("lease", "status", "job"));
        assertEquals("leased", status.get("state").asText());
        assertFalse(status.get("infinite").asBoolean());
        assertTrue(status.get("remainingSeconds").asLong() > 0);

        assertEquals(id, json(cli("lease", "renew", "job", "--id", id)).get("leaseId").asText());
        assertExit(6, "LEASE_MISMATCH", cli("lease", "renew", "job", "--id", UUID.randomUUID().toString()));

        String newId = UUID.randomUUID().toString();
        assertEquals(newId, json(cli("lease", "change", "job", "--id", id, "--to", newId)).get("leaseId").asText());
        assertExit(6, "LEASE_MISMATCH", cli("lease", "release", "job", "--id", id));

        JsonNode broken = json(cli("lease", "break", "job", "--period", "0s"));
        assertEquals(0, broken.get("breakSeconds").asInt());
        assertEquals("broken", json(cli("lease", "status", "job")).get("state").asText());
        assertExit(6, "LEASE_LOST", cli("lease", "renew", "job", "--id", newId));

        JsonNode released = json(cli("lease", "release", "job", "--id", newId));
        assertTrue(released.get("released").asBoolean());
        assertEquals("available", json(cli("lease", "status", "job")).get("state").asText());
        assertExit(6, "LEASE_LOST", cli("lease", "break", "job"));
    }

    @Test
    void infiniteLeaseBreakingAndDeleteUnderTheLease() throws Exception {
        assertEquals(0, cli("put", "doc", "--data", "x").exit());
        JsonNode lease = json(cli("lease", "acquire", "doc", "--duration", "infinite"));
        assertTrue(lease.get("infinite").asBoolean());
        assertTrue(lease.get("durationSeconds").isNull());
        assertTrue(lease.get("expiresBy").isNull());
        UUID.fromString(lease.get("leaseId").asText());
        assertTrue(json(cli("lease", "status", "doc")).get("infinite").asBoolean());

        assertEquals(10, json(cli("lease", "break", "doc", "--period", "10s")).get("breakSeconds").asInt());
        assertEquals("breaking", json(cli("lease", "status", "doc")).get("state").asText());
        assertExit(6, "LEASE_HELD", cli("lease", "acquire", "doc", "--duration", "15s"));
        assertExit(6, "LEASE_HELD", cli("delete", "doc"));
        assertEquals(0, cli("delete", "doc", "--lease", lease.get("leaseId").asText()).exit());
        assertExit(5, "NOT_FOUND", cli("lease", "status", "doc"));
    }

    @Test
    void acquireOnAMissingKeyAndCreate() throws Exception {
        assertExit(5, "NOT_FOUND", cli("lease", "acquire", "new", "--duration", "15s"));
        JsonNode lease = json(cli("lease", "acquire", "new", "--duration", "15s", "--create"));
        assertEquals("", cli("get", "new").stdout());
        assertEquals(0, cli("lease", "release", "new", "--id", lease.get("leaseId").asText()).exit());
    }

    @Test
    void waitGivesUpWithExitSix() throws Exception {
        assertEquals(0, cli("put", "busy", "--data", "x").exit());
        json(cli("lease", "acquire", "busy", "--duration", "infinite"));
        long start = System.nanoTime();
        assertExit(6, "LEASE_HELD", cli("lease", "acquire", "busy", "--duration", "15s", "--wait", "300ms"));
        assertTrue(System.nanoTime() - start >= Duration.ofMillis(300).toNanos(), "it waited");
    }

    @Test
    void invalidInputExitsTwoAndSendsNothing() throws Exception {
        assertEquals(0, cli("put", "k", "--data", "x").exit());
        assertExit(2, "INVALID_ARGUMENT", cli("lease", "acquire", "k", "--duration", "10s"));
        assertExit(2, "INVALID_ARGUMENT", cli("lease", "acquire", "k", "--duration", "61s"));
        assertExit(2, "INVALID_ARGUMENT", cli("lease", "acquire", "k", "--duration", "soon"));
        assertExit(2, "INVALID_ARGUMENT", cli("lease", "acquire", "k", "--duration", "15s", "--wait", "-1s"));
        assertExit(2, "INVALID_ARGUMENT", cli("lease", "acquire", "k", "--duration", "15s", "--id", "has space"));
        assertExit(2, "INVALID_ARGUMENT", cli("lease", "acquire", "k"));
        assertExit(2, "INVALID_ARGUMENT", cli("lease", "break", "k", "--period", "61s"));
        assertExit(2, "INVALID_ARGUMENT", cli("lease", "renew", "k"));
        assertExit(2, "INVALID_ARGUMENT", cli("lease", "change", "k", "--id", "a"));
        assertEquals("available", json(cli("lease", "status", "k")).get("state").asText());
        Cli.Run bare = Cli.run("lease");
        assertEquals(2, bare.exit());
        assertTrue(bare.stderr().contains("acquire"), bare.stderr());
    }

    @Test
    void leasesPersistAcrossInvocationsOnAFileStore(@TempDir Path dir) throws Exception {
        boolean present = ServiceLoader.load(StoreDriverProvider.class).stream()
                .anyMatch(p -> p.get().schemes().contains("file"));
        Assumptions.assumeTrue(present, "no file:// driver on the class path yet");
        store = dir.toUri().toString();
        assertEquals(0, cli("put", "f", "--data", "x").exit());
        String id = json(cli("lease", "acquire", "f", "--duration", "60s")).get("leaseId").asText();
        assertExit(6, "LEASE_HELD", cli("put", "f", "--data", "y"));
        assertEquals("leased", json(cli("lease", "status", "f")).get("state").asText());
        assertEquals(0, cli("put", "f", "--data", "y", "--lease", id).exit());
        assertEquals(0, cli("lease", "release", "f", "--id", id).exit());
        assertEquals(0, cli("put", "f", "--data", "z").exit());
    }
}
