package io.leasehold.samples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leasehold.core.ObjectStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EndpointProbeSampleTest {

    @Test
    void theMemoryStoreIsSafeForUpdates() {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        boolean safe;
        try (ObjectStore store = ObjectStore.open("mem://probe-" + UUID.randomUUID())) {
            safe = EndpointProbeSample.safeForUpdates(store);
        } finally {
            System.setOut(original);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        assertTrue(safe, out);
        assertTrue(out.contains("conditional delete: true, profile: memory"), out);
        assertTrue(out.contains("read-modify-write: safe"), out);
    }
}
