package io.leasehold.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leasehold.core.ObjectStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** put / get / head / delete: output shapes and every exit code, on mem:// stores. */
class CliCommandsTest {
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
        String out = run.stdout();
        assertTrue(out.endsWith("\n"), "one line ending in a newline: " + out);
        assertEquals(1, out.lines().count(), "exactly one line: " + out);
        return JSON.readTree(out);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    static void assertErrorLine(Cli.Run run, String code) {
        String err = run.stderr();
        assertTrue(err.startsWith("error: " + code + ": "), "error line for " + code + ": " + err);
        assertEquals(1, err.lines().count(), "one line on stderr: " + err);
        assertFalse(err.contains("\tat "), "no stack trace: " + err);
    }

    private String etagOf(String key) throws IOException {
        Cli.Run head = cli("head", key);
        assertEquals(0, head.exit(), head.stderr());
        return json(head).get("etag").asText();
    }

    // ------------------------------------------------------------ put / head / get / delete: 0

    @Test
    void putPrintsOneJsonLineWithTheNewVersion() throws IOException {
        Cli.Run run = cli("put", "notes/a.txt", "--data", "hello");
        assertEquals(0, run.exit(), run.stderr());
        assertEquals("", run.stderr());
        JsonNode line = json(run);
        assertEquals(List.of("key", "etag", "size", "lastModified", "versionId", "writeId"), fieldNames(line));
        assertEquals("notes/a.txt", line.get("key").asText());
        assertTrue(line.get("writeId").asText().matches("[0-9a-f]{16}"), "the write id the library tagged it with");
        assertEquals(5, line.get("size").asLong());
        assertFalse(line.get("etag").asText().isEmpty());
        assertFalse(line.get("etag").asText().contains("\""), "strong ETags are printed unquoted");
        Instant.parse(line.get("lastModified").asText());
        assertTrue(line.get("versionId").isNull(), "the memory store has no version ids");
        assertEquals(line.get("etag").asText(), etagOf("notes/a.txt"), "put and head agree on the ETag");
    }

    @Test
    void headPrintsMetadataWithContentTypeAndUserMetadata() throws IOException {
        assertEquals(0, cli("put", "k", "--data", "{}", "--content-type", "application/json",
                "--meta", "owner=alice", "--meta", "rev=7").exit());
        Cli.Run run = cli("head", "k");
        assertEquals(0, run.exit(), run.stderr());
        JsonNode line = json(run);
        assertEquals(List.of("key", "etag", "size", "lastModified", "versionId", "contentType", "metadata"),
                fieldNames(line));
        assertEquals(2, line.get("size").asLong());
        assertEquals("application/json", line.get("contentType").asText());
        assertEquals("alice", line.get("metadata").get("owner").asText());
        assertEquals("7", line.get("metadata").get("rev").asText());
    }

    @Test
    void getWritesTheExactBytesToStdoutOrToAFile(@TempDir Path dir) throws IOException {
        byte[] binary = new byte[256];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) i;
        }
        Path source = Files.write(dir.resolve("in.bin"), binary);
        assertEquals(0, cli("put", "bin", "--file", source.toString()).exit());

        Cli.Run toStdout = cli("get", "bin");
        assertEquals(0, toStdout.exit(), toStdout.stderr());
        assertArrayEquals(binary, toStdout.stdoutBytes());

        Path target = dir.resolve("out.bin");
        Cli.Run toFile = cli("get", "bin", "--out", target.toString());
        assertEquals(0, toFile.exit(), toFile.stderr());
        assertEquals(0, toFile.stdoutBytes().length);
        assertArrayEquals(binary, Files.readAllBytes(target));
    }

    @Test
    void putReadsStdinForFileDash() {
        List<String> args = List.of("put", "from-stdin", "--file", "-", "--store=" + store);
        Cli.Run run = Cli.runWithInput("piped".getBytes(StandardCharsets.UTF_8), args.toArray(String[]::new));
        assertEquals(0, run.exit(), run.stderr());
        assertEquals("piped", cli("get", "from-stdin").stdout());
    }

    @Test
    void strongConsistencyIsAcceptedOnTheMemoryStore() {
        cli("put", "k", "--data", "v");
        Cli.Run run = cli("get", "k", "--consistency", "STRONG");
        assertEquals(0, run.exit(), run.stderr());
        assertEquals("v", run.stdout());
    }

    @Test
    void deleteRemovesTheObject() {
        cli("put", "k", "--data", "v");
        Cli.Run run = cli("delete", "k");
        assertEquals(0, run.exit(), run.stderr());
        assertEquals("", run.stdout());
        assertEquals(5, cli("get", "k").exit());
    }

    // ------------------------------------------------------------ 3: precondition failed / already exists

    @Test
    void createIfAbsentWinsOnceThenExits3() {
        assertEquals(0, cli("put", "k", "--data", "first", "--if-none-match", "*").exit());
        Cli.Run second = cli("put", "k", "--data", "second", "--if-none-match", "*");
        assertEquals(3, second.exit());
        assertEquals("", second.stdout());
        assertErrorLine(second, "ALREADY_EXISTS");
        assertEquals("first", cli("get", "k").stdout(), "the losing create changed nothing");
    }

    @Test
    void compareAndSwapWithAStaleETagExits3AndTheCurrentOneWins() throws IOException {
        String v1 = json(cli("put", "k", "--data", "one")).get("etag").asText();
        String v2 = json(cli("put", "k", "--data", "two", "--if-match", v1)).get("etag").asText();
        assertNotEquals(v1, v2);

        Cli.Run stale = cli("put", "k", "--data", "three", "--if-match", v1);
        assertEquals(3, stale.exit());
        assertErrorLine(stale, "PRECONDITION_FAILED");
        assertEquals("two", cli("get", "k").stdout());

        Cli.Run quoted = cli("put", "k", "--data", "three", "--if-match", "\"" + v2 + "\"");
        assertEquals(0, quoted.exit(), "quoted and unquoted ETags are the same tag: " + quoted.stderr());
    }

    @Test
    void ifMatchStarPutsOnlyWhenTheKeyExists() {
        Cli.Run missing = cli("put", "k", "--data", "v", "--if-match", "*");
        assertEquals(3, missing.exit());
        assertErrorLine(missing, "PRECONDITION_FAILED");
        assertEquals(5, cli("head", "k").exit());
        cli("put", "k", "--data", "v");
        assertEquals(0, cli("put", "k", "--data", "w", "--if-match", "*").exit());
    }

    @Test
    void readConditionsThatFailExit3() throws IOException {
        cli("put", "k", "--data", "v");
        Cli.Run ifMatch = cli("get", "k", "--if-match", "not-the-etag");
        assertEquals(3, ifMatch.exit());
        assertEquals(0, ifMatch.stdoutBytes().length);
        assertErrorLine(ifMatch, "PRECONDITION_FAILED");

        Cli.Run unmodified = cli("head", "k", "--if-unmodified-since", "Sun, 06 Nov 1994 08:49:37 GMT");
        assertEquals(3, unmodified.exit());
        assertEquals("", unmodified.stdout());

        assertEquals(0, cli("get", "k", "--if-match", etagOf("k")).exit());
    }

    @Test
    void deleteWithAStaleETagExits3AndTheObjectSurvives() throws IOException {
        String v1 = json(cli("put", "k", "--data", "one")).get("etag").asText();
        cli("put", "k", "--data", "two");
        Cli.Run run = cli("delete", "k", "--if-match", v1);
        assertEquals(3, run.exit());
        assertErrorLine(run, "PRECONDITION_FAILED");
        assertEquals("two", cli("get", "k").stdout());
        assertEquals(0, cli("delete", "k", "--if-match", etagOf("k")).exit());
    }

    // ------------------------------------------------------------ 4: not modified

    @Test
    void ifNoneMatchTheCurrentETagIsNotModified() throws IOException {
        cli("put", "k", "--data", "v");
        String etag = etagOf("k");

        Cli.Run get = cli("get", "k", "--if-none-match", etag);
        assertEquals(4, get.exit());
        assertEquals(0, get.stdoutBytes().length, "no body for not modified");
        assertTrue(get.stderr().startsWith("not modified"), get.stderr());

        Cli.Run head = cli("head", "k", "--if-none-match", "W/\"" + etag + "\"");
        assertEquals(4, head.exit(), "If-None-Match compares weakly");
        assertEquals("", head.stdout());

        assertEquals(0, cli("get", "k", "--if-none-match", "other").exit());
    }

    @Test
    void ifModifiedSinceALaterDateIsNotModified() {
        cli("put", "k", "--data", "v");
        String future = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                Instant.now().plusSeconds(3600).atZone(ZoneOffset.UTC));
        assertEquals(4, cli("get", "k", "--if-modified-since", future).exit());
        assertEquals(4, cli("head", "k", "--if-modified-since", Instant.now().plusSeconds(3600).toString()).exit(),
                "ISO-8601 dates are accepted too");
        assertEquals(0, cli("get", "k", "--if-modified-since", "Sun, 06 Nov 1994 08:49:37 GMT").exit());
    }

    // ------------------------------------------------------------ 5: not found

    @Test
    void missingKeysExit5() {
        for (String command : List.of("get", "head", "delete")) {
            Cli.Run run = cli(command, "nope");
            assertEquals(5, run.exit(), command);
            assertEquals("", run.stdout(), command);
            assertErrorLine(run, "NOT_FOUND");
        }
    }

    // ------------------------------------------------------------ usage

    @Test
    void helpAndVersionExit0AndNoCommandExits2() {
        Cli.Run help = Cli.run("--help");
        assertEquals(0, help.exit());
        assertTrue(help.stdout().contains("demo"), help.stdout());
        assertEquals(0, Cli.run("put", "--help").exit());
        assertEquals(0, Cli.run("--version").exit());
        Cli.Run none = Cli.run();
        assertEquals(2, none.exit());
        assertTrue(none.stderr().contains("Usage"), none.stderr());
    }

    @Test
    void defaultStoreIsAFileStoreUnderDotLeasehold() {
        String uri = StoreCommand.defaultFileStoreUri();
        assertTrue(uri.startsWith("file:///"), uri);
        assertTrue(uri.replaceAll("/$", "").endsWith("/.leasehold"), uri);
        assertEquals(Path.of(".leasehold").toAbsolutePath().normalize(), Path.of(java.net.URI.create(uri)));
    }
}
