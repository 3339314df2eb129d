package io.leasehold.tck;

import io.leasehold.core.ObjectAlreadyExistsException;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.PutMode;
import io.leasehold.core.PutOptions;
import io.leasehold.core.UpdateResult;
import io.leasehold.driver.file.FileDriver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A separate JVM racing on a file store, started by {@link FileStoreMultiProcessTest}. Rounds are
 * released together through files in a gate directory: each worker announces {@code ready-R-ID},
 * then waits for {@code go-R}. Results go to stdout, one line per round.
 *
 * <pre>
 * create STORE GATE ID ROUNDS   for each round R: create key race-R with content ID; "R WON" or "R LOST"
 * count  STORE GATE ID N        N increments of key counter through update; "DONE attempts conflicts"
 * </pre>
 * Exit code 0 on success, 1 on any unexpected failure.
 */
public final class FileStoreWorker {
    private FileStoreWorker() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Path storeDir = Path.of(args[1]);
        Path gate = Path.of(args[2]);
        String id = args[3];
        int n = Integer.parseInt(args[4]);
        try (ObjectStore store = ObjectStore.of(FileDriver.open(storeDir))) {
            if (mode.equals("create")) {
                for (int round = 0; round < n; round++) {
                    await(gate, round, id);
                    try {
                        store.put("race-" + round, id.getBytes(StandardCharsets.UTF_8), PutOptions.of(PutMode.create()));
                        System.out.println(round + " WON");
                    } catch (ObjectAlreadyExistsException e) {
                        System.out.println(round + " LOST");
                    }
                }
            } else if (mode.equals("count")) {
                await(gate, 0, id);
                long attempts = 0;
                long conflicts = 0;
                for (int i = 0; i < n; i++) {
                    UpdateResult r = store.update("counter", current -> {
                        long value = current == null ? 0 : Long.parseLong(new String(current, StandardCharsets.UTF_8));
                        return Long.toString(value + 1).getBytes(StandardCharsets.UTF_8);
                    });
                    attempts += r.attempts();
                    conflicts += r.conflicts();
                }
                System.out.println("DONE " + attempts + " " + conflicts);
            } else {
                throw new IllegalArgumentException("unknown mode " + mode);
            }
        }
        System.out.flush();
    }

    private static void await(Path gate, int round, String id) throws Exception {
        Files.createFile(gate.resolve("ready-" + round + "-" + id));
        Path go = gate.resolve("go-" + round);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(go)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no go signal for round " + round);
            }
            Thread.onSpinWait();
        }
    }
}
