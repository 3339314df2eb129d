package io.leasehold.cli;

import static io.leasehold.cli.RealStoreScenarios.assertFails;
import static io.leasehold.cli.RealStoreScenarios.json;
import static io.leasehold.cli.RealStoreScenarios.jsonLines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ls, cp and mv on mem:// and file:// stores: output, paging and every exit code. */
class CliListCopyTest {

    private static RealStoreScenarios memory() {
        return new RealStoreScenarios(Cli.memStore());
    }

    @Test
    void listCopyAndMoveOnTheMemoryStore() {
        memory().listCopyMove(true);
    }

    @Test
    void listCopyAndMoveOnTheFileStore(@TempDir Path dir) {
        new RealStoreScenarios(dir.resolve("store").toUri().toString()).listCopyMove(true);
    }

    @Test
    void lsReadsEveryPageAndPrintsEntriesInKeyOrder() {
        RealStoreScenarios store = memory();
        for (int i = 9; i >= 0; i--) {
            json(store.cli("put", "k/" + i, "--data", "v" + i));
        }
        List<JsonNode> lines = jsonLines(store.cli("ls", "k/", "--page-size", "3"));
        assertEquals(10, lines.size());
        for (int i = 0; i < 10; i++) {
            assertEquals("k/" + i, lines.get(i).get("key").asText());
        }
        assertEquals(10, jsonLines(store.cli("ls")).size(), "no prefix: every key");
    }

    @Test
    void badUsageIsExit2AndNothingIsSent() {
        RealStoreScenarios store = memory();
        assertFails(2, "INVALID_ARGUMENT: ", store.cli("ls", "--page-size", "0"));
        assertFails(2, "INVALID_ARGUMENT: ", store.cli("ls", ".leasehold/lease/"));
        assertFails(2, "INVALID_ARGUMENT: ", store.cli("cp", "a", "a"));
        assertFails(2, "INVALID_ARGUMENT: ", store.cli("cp", "a", "b", "--if-none-match", "abc"));
        assertFails(2, "INVALID_ARGUMENT: ", store.cli("cp", "a", "b", "--if-none-match", "*", "--if-match", "e"));
        assertFails(2, "INVALID_ARGUMENT: ", store.cli("mv", "a", ".leasehold/x"));
        Cli.Run missingDst = store.cli("cp", "a");
        assertEquals(2, missingDst.exit(), missingDst.stderr());
    }

    @Test
    void lsOfAFileStoreThatDoesNotExistIsExit9(@TempDir Path dir) {
        Cli.Run run = Cli.run("ls", "--store=" + dir.resolve("missing").toUri());
        assertEquals(9, run.exit(), run.stderr());
        assertTrue(run.stderr().startsWith("error: NOT_FOUND: "), run.stderr());
    }

    @Test
    void mvThatLosesToAChangedSourceKeepsTheSourceAndSaysSo() {
        RealStoreScenarios store = memory();
        String old = json(store.cli("put", "src", "--data", "one")).get("etag").asText();
        json(store.cli("put", "src", "--data", "two"));
        assertFails(3, "PRECONDITION_FAILED: ", store.cli("mv", "src", "dst", "--source-if-match", old));
        assertEquals("two", store.cli("get", "src").stdout());
        assertFails(5, "NOT_FOUND: ", store.cli("head", "dst"));
    }
}
