package io.leasehold.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.leasehold.spi.StoreDriverProvider;
import java.nio.file.Path;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI on a file:// store in a temporary directory: state persists between invocations (each
 * opens the store afresh, as separate CLI processes do), and the conditional exit codes hold.
 * Runs once the file driver is on the class path (it is reported as skipped before that).
 */
class FileStoreCliTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void fileDriverPresent() {
        boolean present = ServiceLoader.load(StoreDriverProvider.class).stream()
                .anyMatch(p -> p.get().schemes().contains("file"));
        Assumptions.assumeTrue(present, "no file:// driver on the class path yet");
    }

    private Cli.Run cli(String... args) {
        String[] all = java.util.Arrays.copyOf(args, args.length + 1);
        all[args.length] = "--store=" + dir.toUri();
        return Cli.run(all);
    }

    @Test
    void objectsPersistAcrossInvocationsAndConditionsHold() throws Exception {
        Cli.Run created = cli("put", "docs/a.json", "--data", "{\"v\":1}", "--if-none-match", "*",
                "--content-type", "application/json", "--meta", "owner=alice");
        assertEquals(0, created.exit(), created.stderr());
        String etag = new ObjectMapper().readTree(created.stdout()).get("etag").asText();

        assertEquals(3, cli("put", "docs/a.json", "--data", "x", "--if-none-match", "*").exit());
        assertEquals("{\"v\":1}", cli("get", "docs/a.json").stdout());
        assertEquals(4, cli("head", "docs/a.json", "--if-none-match", etag).exit());
        assertTrue(cli("head", "docs/a.json").stdout().contains("\"owner\":\"alice\""));

        Cli.Run swapped = cli("put", "docs/a.json", "--data", "{\"v\":2}", "--if-match", etag);
        assertEquals(0, swapped.exit(), swapped.stderr());
        assertEquals(3, cli("put", "docs/a.json", "--data", "{\"v\":3}", "--if-match", etag).exit());
        assertEquals(3, cli("delete", "docs/a.json", "--if-match", etag).exit());
        assertEquals("{\"v\":2}", cli("get", "docs/a.json").stdout());

        assertEquals(0, cli("delete", "docs/a.json").exit());
        assertEquals(5, cli("get", "docs/a.json").exit());
    }

    @Test
    void demoLosesNothingOnAFileStore() {
        Cli.Run run = cli("demo", "--writers", "8", "--increments", "25", "--key", "counter");
        assertEquals(0, run.exit(), run.stdout() + run.stderr());
        assertEquals("200", cli("get", "counter").stdout());
    }
}
