package io.leasehold.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leasehold.core.ObjectStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CounterDemoTest {

    @Test
    void sixteenWritersTimesFiftyIncrementsReachExactly800() throws Exception {
        try (ObjectStore store = ObjectStore.open("mem://samples-" + UUID.randomUUID())) {
            CounterDemo.Result result = CounterDemo.run(store, "counter", 16, 50);
            assertEquals(800, result.expected());
            assertEquals(800, result.counter());
            assertEquals("800", new String(store.get("counter").content(), StandardCharsets.US_ASCII));
            assertTrue(result.conflictsRetried() >= 0);
        }
    }

    @Test
    void aCachedCopyThatWentStaleLosesNoIncrement() {
        try (ObjectStore store = ObjectStore.open("mem://samples-" + UUID.randomUUID())) {
            store.put("counter", "10".getBytes(StandardCharsets.US_ASCII));
            // 10 -> 11 from the fresh copy; another writer makes it 111; the stale copy's write is
            // refused, the loop re-reads 111 and writes 112.
            long value = CounterDemo.incrementFromCachedCopy(store, "counter",
                    () -> store.update("counter", c -> Long.toString(Long.parseLong(new String(c, StandardCharsets.US_ASCII))
                            + 100).getBytes(StandardCharsets.US_ASCII)));
            assertEquals(112, value);
        }
    }

    @Test
    void anExistingCounterIsContinued() throws Exception {
        try (ObjectStore store = ObjectStore.open("mem://samples-" + UUID.randomUUID())) {
            store.put("counter", "41".getBytes(StandardCharsets.US_ASCII));
            CounterDemo.Result result = CounterDemo.run(store, "counter", 2, 5);
            assertEquals(51, result.expected());
            assertEquals(51, result.counter());
        }
    }

    @Test
    void mainPrintsNoLostIncrements() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            CounterDemo.main(new String[0]);
        } finally {
            System.setOut(original);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        // mem://counter-demo lives as long as the JVM, so read the printed figures rather than assume 800.
        String[] words = out.trim().split("[ ,]+");
        assertEquals("expected", words[0], out);
        assertEquals(words[1], words[3], "expected equals the counter: " + out);
    }
}
