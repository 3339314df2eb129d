package io.leasehold.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.leasehold.core.ObjectStore;
import io.leasehold.driver.file.FileDriver;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several JVMs on one file store directory: conditional operations stay atomic across processes.
 * Workers are {@link FileStoreWorker} processes released together by gate files; counts are exact.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class FileStoreMultiProcessTest {
    private static final int PROCESS_TIMEOUT_SECONDS = 120;

    @TempDir
    Path tmp;

    /** A running worker JVM and where its output goes. */
    private static final class Worker {
        final String id;
        final Process process;
        final Path out;
        final Path err;

        Worker(String id, Process process, Path out, Path err) {
            this.id = id;
            this.process = process;
            this.out = out;
            this.err = err;
        }

        List<String> finish() throws Exception {
            if (!process.waitFor(PROCESS_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("worker " + id + " did not finish within " + PROCESS_TIMEOUT_SECONDS + " s");
            }
            assertEquals(0, process.exitValue(), "worker " + id + " failed: " + Files.readString(err));
            return Files.readAllLines(out, StandardCharsets.UTF_8);
        }
    }

    private Worker start(String mode, Path store, Path gate, String id, int n) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path out = tmp.resolve(mode + "-" + id + ".out");
        Path err = tmp.resolve(mode + "-" + id + ".err");
        List<String> command = List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx64m",
                "-cp", System.getProperty("java.class.path"), FileStoreWorker.class.getName(),
                mode, store.toString(), gate.toString(), id, Integer.toString(n));
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        return new Worker(id, p, out, err);
    }

    /** Waits until every worker is ready for the round, then releases them all at once. */
    private static void release(Path gate, int round, List<Worker> workers) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PROCESS_TIMEOUT_SECONDS);
        for (Worker w : workers) {
            Path ready = gate.resolve("ready-" + round + "-" + w.id);
            while (!Files.exists(ready)) {
                if (!w.process.isAlive()) {
                    fail("worker " + w.id + " exited early: " + Files.readString(w.err));
                }
                if (System.nanoTime() > deadline) {
                    fail("worker " + w.id + " never got ready for round " + round);
                }
                Thread.sleep(2);
            }
        }
        Files.createFile(gate.resolve("go-" + round));
    }

    @Test
    void createRaceAcrossProcessesHasExactlyOneWinnerPerRound() throws Exception {
        int processes = 6;
        int rounds = 10;
        Path store = tmp.resolve("store");
        Path gate = Files.createDirectories(tmp.resolve("gate-create"));
        FileDriver.open(store).close(); // the format marker exists before the race
        List<Worker> workers = new ArrayList<>();
        try {
            for (int i = 0; i < processes; i++) {
                workers.add(start("create", store, gate, "p" + i, rounds));
            }
            for (int round = 0; round < rounds; round++) {
                release(gate, round, workers);
            }
            int[] winners = new int[rounds];
            String[] winnerIds = new String[rounds];
            for (Worker w : workers) {
                List<String> lines = w.finish();
                assertEquals(rounds, lines.size(), "worker " + w.id + " output: " + lines);
                for (String line : lines) {
                    String[] parts = line.split(" ");
                    int round = Integer.parseInt(parts[0]);
                    if (parts[1].equals("WON")) {
                        winners[round]++;
                        winnerIds[round] = w.id;
                    } else {
                        assertEquals("LOST", parts[1], line);
                    }
                }
            }
            try (ObjectStore check = ObjectStore.of(FileDriver.open(store))) {
                for (int round = 0; round < rounds; round++) {
                    assertEquals(1, winners[round], "round " + round + " winners");
                    assertEquals(winnerIds[round], new String(check.get("race-" + round).content(), StandardCharsets.UTF_8),
                            "round " + round + ": the stored content is the winner's");
                }
            }
            System.out.printf("[multi-process] %d processes x %d create rounds: exactly one winner in each%n",
                    processes, rounds);
        } finally {
            workers.forEach(w -> w.process.destroyForcibly());
        }
    }

    @Test
    void counterAcrossProcessesIsExact() throws Exception {
        int processes = 4;
        int increments = 25;
        Path store = tmp.resolve("store");
        Path gate = Files.createDirectories(tmp.resolve("gate-count"));
        FileDriver.open(store).close();
        List<Worker> workers = new ArrayList<>();
        try {
            for (int i = 0; i < processes; i++) {
                workers.add(start("count", store, gate, "p" + i, increments));
            }
            release(gate, 0, workers);
            long attempts = 0;
            long conflicts = 0;
            for (Worker w : workers) {
                List<String> lines = w.finish();
                assertEquals(1, lines.size(), lines.toString());
                String[] parts = lines.get(0).split(" ");
                assertEquals("DONE", parts[0]);
                attempts += Long.parseLong(parts[1]);
                conflicts += Long.parseLong(parts[2]);
            }
            try (ObjectStore check = ObjectStore.of(FileDriver.open(store))) {
                long value = Long.parseLong(new String(check.get("counter").content(), StandardCharsets.UTF_8));
                System.out.printf("[multi-process] %d processes x %d increments = %d (attempts %d, conflicts %d)%n",
                        processes, increments, value, attempts, conflicts);
                assertEquals(processes * increments, value, "lost or doubled updates across processes");
                assertEquals(processes * increments + conflicts, attempts);
            }
        } finally {
            workers.forEach(w -> w.process.destroyForcibly());
        }
    }

    @Test
    void workersSeeTheTestClassPath() {
        assertTrue(System.getProperty("java.class.path").contains(File.separator), "a class path to hand to workers");
    }
}
