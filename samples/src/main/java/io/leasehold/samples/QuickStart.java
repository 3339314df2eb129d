package io.leasehold.samples;

import io.leasehold.core.GetResult;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.PreconditionFailedException;
import io.leasehold.core.PutMode;
import io.leasehold.core.PutOptions;
import io.leasehold.core.UpdateResult;
import java.nio.charset.StandardCharsets;

/** The README's example: a conditional write that refuses a stale copy, and a read-modify-write. */
public final class QuickStart {
    private QuickStart() {
    }

    /**
     * Runs the example on an in-memory store; any store URI works the same way.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        try (ObjectStore store = ObjectStore.open("mem://quickstart")) {   // or s3://…, azure://…, file:///…
            // Write only if absent: a second create fails with ObjectAlreadyExistsException.
            store.put("settings.json", utf8("{\"theme\":\"light\"}"), PutOptions.of(PutMode.create()));

            // Read, then write only if nobody changed the object since (If-Match on the version read).
            GetResult read = store.get("settings.json");
            store.put("settings.json", utf8("{\"theme\":\"dark\"}"), PutOptions.of(PutMode.update(read.info().version())));
            try {
                store.put("settings.json", utf8("{\"theme\":\"blue\"}"), PutOptions.of(PutMode.update(read.info().version())));
            } catch (PreconditionFailedException stale) {
                System.out.println("refused: the copy was stale, nothing was overwritten");
            }

            // Read-modify-write: on a lost race Leasehold re-reads and applies the function again.
            UpdateResult counted = store.update("visits", current ->
                    utf8(Long.toString(current == null ? 1 : Long.parseLong(text(current)) + 1)));
            System.out.println("visits = " + text(counted.content()));
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
