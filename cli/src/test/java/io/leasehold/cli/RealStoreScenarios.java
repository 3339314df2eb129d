package io.leasehold.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The command sequences the CLI must get right on every real store (Azurite, Ceph RGW, S3Mock as
 * Tigris), run in-process against one store URI; the per-store test classes add what differs.
 */
final class RealStoreScenarios {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String store;

    RealStoreScenarios(String store) {
        this.store = store;
    }

    /** Runs one command with {@code --store} appended. */
    Cli.Run cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--store=" + store);
        return Cli.run(all.toArray(String[]::new));
    }

    /** Asserts exit 0, nothing on stderr, and exactly one JSON line on stdout; returns it. */
    static JsonNode json(Cli.Run run) {
        assertEquals(0, run.exit(), run.stdout() + run.stderr());
        assertEquals("", run.stderr());
        String out = run.stdout();
        assertTrue(out.endsWith("\n"), "one line ending in a newline: " + out);
        assertEquals(1, out.lines().count(), "exactly one line: " + out);
        try {
            return JSON.readTree(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Asserts the exit code, the one error line with the given code prefix, and nothing on stdout. */
    static void assertFails(int exit, String codePrefix, Cli.Run run) {
        assertEquals(exit, run.exit(), "exit code; stdout: " + run.stdout() + " stderr: " + run.stderr());
        assertTrue(run.stderr().startsWith("error: " + codePrefix), "error line " + codePrefix + "…: " + run.stderr());
        assertEquals(1, run.stderr().lines().count(), "one line on stderr: " + run.stderr());
        assertEquals("", run.stdout());
    }

    static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    /**
     * Create twice, head, compare-and-swap (current and stale), conditional get, conditional delete
     * (or its refusal), delete and delete again.
     *
     * @param key a key not used before in this store
     * @param conditionalDelete whether the store honours {@code delete --if-match}; if not, the CLI
     *     must refuse it with exit 2 (NOT_SUPPORTED) before sending anything
     */
    void objectCommands(String key, boolean conditionalDelete) {
        // put --if-none-match '*': the first create wins, the second is refused (3).
        JsonNode created = json(cli("put", key, "--data", "v1", "--if-none-match", "*",
                "--content-type", "text/plain", "--meta", "owner=cli"));
        assertEquals(List.of("key", "etag", "size", "lastModified", "versionId", "writeId"), fieldNames(created));
        assertEquals(key, created.get("key").asText());
        assertEquals(2, created.get("size").asLong());
        String e1 = created.get("etag").asText();
        assertFalse(e1.isEmpty());
        assertFalse(e1.contains("\""), "strong ETags are printed unquoted: " + e1);
        assertFails(3, "ALREADY_EXISTS: ", cli("put", key, "--data", "other", "--if-none-match", "*"));
        assertEquals("v1", cli("get", key).stdout(), "the refused create changed nothing");

        // head: one JSON line, same ETag as the put, content type and user metadata round-trip.
        JsonNode head = json(cli("head", key));
        assertEquals(List.of("key", "etag", "size", "lastModified", "versionId", "contentType", "metadata"),
                fieldNames(head));
        assertEquals(key, head.get("key").asText());
        assertEquals(e1, head.get("etag").asText(), "put and head agree on the ETag");
        assertEquals(2, head.get("size").asLong());
        Instant.parse(head.get("lastModified").asText());
        assertEquals("text/plain", head.get("contentType").asText());
        assertEquals("cli", head.get("metadata").get("owner").asText());

        // put --if-match: the current ETag swaps (0), the now stale one is refused (3).
        JsonNode swapped = json(cli("put", key, "--data", "v2", "--if-match", e1));
        String e2 = swapped.get("etag").asText();
        assertNotEquals(e1, e2);
        assertFails(3, "PRECONDITION_FAILED: ", cli("put", key, "--data", "lost", "--if-match", e1));
        assertEquals("v2", cli("get", key).stdout(), "the stale write changed nothing");

        // get --if-none-match: current copy → 4 and no body; an old copy → the body.
        Cli.Run notModified = cli("get", key, "--if-none-match", e2);
        assertEquals(4, notModified.exit(), notModified.stderr());
        assertEquals(0, notModified.stdoutBytes().length, "no body when not modified");
        assertTrue(notModified.stderr().startsWith("not modified: "), notModified.stderr());
        Cli.Run modified = cli("get", key, "--if-none-match", e1);
        assertEquals(0, modified.exit(), modified.stderr());
        assertEquals("v2", modified.stdout());
        assertEquals(4, cli("head", key, "--if-none-match", e2).exit());

        // delete --if-match: a stale ETag keeps the object (3), or the store cannot do it (2).
        if (conditionalDelete) {
            assertFails(3, "PRECONDITION_FAILED: ", cli("delete", key, "--if-match", e1));
        } else {
            assertFails(2, "NOT_SUPPORTED: ", cli("delete", key, "--if-match", e2));
        }
        assertEquals("v2", cli("get", key).stdout(), "the object survived the conditional delete");

        // delete: 0, then 5; the key is gone.
        Cli.Run deleted = cli("delete", key);
        assertEquals(0, deleted.exit(), deleted.stderr());
        assertEquals("", deleted.stderr());
        assertFails(5, "NOT_FOUND: ", cli("delete", key));
        assertFails(5, "NOT_FOUND: ", cli("get", key));
        assertFails(5, "NOT_FOUND: ", cli("head", key));
    }

    /**
     * {@code ls} (flat, by directory, in small pages), {@code cp} with each condition and its exit
     * code, and {@code mv} (or its refusal).
     *
     * @param rename whether the store has conditional delete, which {@code mv} needs; if not, {@code mv}
     *     must be refused with exit 2 (NOT_SUPPORTED) before anything is sent
     */
    void listCopyMove(boolean rename) {
        String a = json(cli("put", "docs/a", "--data", "A", "--content-type", "text/plain")).get("etag").asText();
        String b1 = json(cli("put", "docs/b/1", "--data", "B1")).get("etag").asText();
        json(cli("put", "docs/b/2", "--data", "B2"));

        Cli.Run ls = cli("ls", "docs/", "--page-size", "2");
        assertEquals(0, ls.exit(), ls.stderr());
        List<JsonNode> lines = jsonLines(ls);
        assertEquals(3, lines.size(), ls.stdout());
        assertEquals(List.of("key", "etag", "size", "lastModified"), fieldNames(lines.get(0)));
        assertEquals(List.of("docs/a", "docs/b/1", "docs/b/2"), lines.stream().map(l -> l.get("key").asText()).toList());
        assertEquals(a, lines.get(0).get("etag").asText(), "ls and put agree on the ETag");
        assertEquals(1, lines.get(0).get("size").asLong());
        Instant.parse(lines.get(0).get("lastModified").asText());
        List<JsonNode> dirs = jsonLines(cli("ls", "docs/", "--delimiter", "/", "--page-size", "1"));
        assertEquals("docs/a", dirs.get(0).get("key").asText());
        assertEquals(List.of("prefix"), fieldNames(dirs.get(1)));
        assertEquals("docs/b/", dirs.get(1).get("prefix").asText());
        assertEquals(2, dirs.size());
        assertEquals("", cli("ls", "nothing/").stdout());

        JsonNode copied = json(cli("cp", "docs/a", "copies/a", "--if-none-match", "*"));
        assertEquals(List.of("key", "etag", "size", "lastModified", "versionId", "writeId"), fieldNames(copied));
        assertEquals("copies/a", copied.get("key").asText());
        assertEquals("A", cli("get", "copies/a").stdout());
        assertEquals("text/plain", json(cli("head", "copies/a")).get("contentType").asText());
        assertFails(3, "ALREADY_EXISTS: ", cli("cp", "docs/b/1", "copies/a", "--if-none-match", "*"));
        assertFails(3, "PRECONDITION_FAILED: ", cli("cp", "docs/b/1", "copies/a", "--if-match", b1));
        assertFails(3, "PRECONDITION_FAILED: ", cli("cp", "docs/a", "copies/x", "--source-if-match", b1));
        assertFails(5, "NOT_FOUND: ", cli("cp", "docs/missing", "copies/y"));
        assertEquals("A", cli("get", "copies/a").stdout(), "refused copies changed nothing");
        json(cli("cp", "docs/b/1", "copies/a", "--if-match", copied.get("etag").asText()));
        assertEquals("B1", cli("get", "copies/a").stdout());

        if (rename) {
            JsonNode moved = json(cli("mv", "copies/a", "moved/a", "--if-none-match", "*"));
            assertEquals("moved/a", moved.get("key").asText());
            assertEquals("B1", cli("get", "moved/a").stdout());
            assertFails(5, "NOT_FOUND: ", cli("get", "copies/a"));
        } else {
            assertFails(2, "NOT_SUPPORTED: ", cli("mv", "copies/a", "moved/a"));
            assertEquals("B1", cli("get", "copies/a").stdout());
            assertFails(5, "NOT_FOUND: ", cli("head", "moved/a"));
        }
    }

    /** Asserts exit 0 and nothing on stderr; returns every stdout line as JSON. */
    static List<JsonNode> jsonLines(Cli.Run run) {
        assertEquals(0, run.exit(), run.stdout() + run.stderr());
        assertEquals("", run.stderr());
        List<JsonNode> lines = new ArrayList<>();
        for (String line : run.stdout().lines().toList()) {
            try {
                lines.add(JSON.readTree(line));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return lines;
    }

    /** What one {@code demo} run reported. */
    record DemoFigures(long finalValue, long successes, long conflicts, long lost) {
    }

    /**
     * Runs {@code demo} on a fresh key and checks the counter holds exactly writers × increments,
     * both in the table and in the object itself.
     */
    DemoFigures demo(String key, int writers, int increments) {
        Cli.Run run = cli("demo", "--writers", Integer.toString(writers), "--increments", Integer.toString(increments),
                "--key", key);
        assertEquals(0, run.exit(), run.stdout() + run.stderr());
        assertEquals("", run.stderr());
        String table = run.stdout();
        long expected = (long) writers * increments;
        assertEquals(writers, row(table, "writers"));
        assertEquals(expected, row(table, "increments requested"));
        DemoFigures figures = new DemoFigures(row(table, "final counter value"), row(table, "successful updates"),
                row(table, "conflicts retried"), row(table, "lost updates"));
        assertEquals(expected, figures.finalValue(), table);
        assertEquals(expected, figures.successes(), table);
        assertEquals(0, figures.lost(), table);
        assertFalse(table.contains("updates given up"), table);
        assertTrue(figures.conflicts() >= 0, table);
        assertEquals(Long.toString(expected), cli("get", key).stdout(), "the counter object itself");
        return figures;
    }

    private static long row(String table, String label) {
        Matcher m = Pattern.compile("(?m)^\\s+" + Pattern.quote(label) + "\\s+(-?\\d+)").matcher(table);
        assertTrue(m.find(), "row '" + label + "' in:\n" + table);
        return Long.parseLong(m.group(1));
    }
}
