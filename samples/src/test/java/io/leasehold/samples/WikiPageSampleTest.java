package io.leasehold.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leasehold.core.ObjectStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class WikiPageSampleTest {

    @Test
    void theStaleSaveIsRefusedAndTheMergeKeepsBothEdits() {
        try (ObjectStore store = ObjectStore.open("mem://wiki-" + UUID.randomUUID())) {
            WikiPageSample.Outcome outcome = WikiPageSample.run(store);

            assertTrue(outcome.bobsStaleSaveRefused(), "Bob's save with the stale ETag must be refused");
            assertEquals("# Home\nOpening hours: 9-17\nContact: help@example.org\n", outcome.finalText(),
                    "Alice's edit survived and Bob's merged edit follows it");
            assertTrue(outcome.bobsSave().version().sameAs(store.head("wiki/Home").info().version()),
                    "Bob's merged save is the current version");
        }
    }

    @Test
    void mainRunsTheScenario() {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            WikiPageSample.main(new String[0]);
        } finally {
            System.setOut(original);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        assertTrue(out.startsWith("Bob's stale save refused: true\n# Home\n"), out);
        assertTrue(out.contains("Opening hours: 9-17\nContact: help@example.org\n"), out);
    }
}
