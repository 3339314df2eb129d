package io.leasehold.tck.history;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Child JVMs that run their share of a {@link HistoryWorkload} on the same keys as the parent: each
 * gets the workload's arguments with its own process prefix and seed, waits until the parent
 * {@linkplain #release() releases} all of them at once, runs, and writes its {@link HistoryPart} to
 * the shared directory, from where the parent {@linkplain #await reads} it to merge with its own.
 *
 * <pre>{@code
 * // parent
 * try (HistoryWorkers children = HistoryWorkers.start(dir, MyWorkerMain.class, workload, 2, env)) {
 *     children.release();
 *     HistoryPart mine = workload.run(store);
 *     List<HistoryPart> theirs = children.await(Duration.ofMinutes(5));
 * }
 * // child: MyWorkerMain.main
 * HistoryWorkers.Child child = HistoryWorkers.child(args);
 * try (ObjectStore store = open()) {
 *     child.awaitRelease();
 *     child.finish(child.workload().run(store));
 * }
 * }</pre>
 *
 * <p>A child ends itself when the parent JVM ends, and {@link #close()} kills every child still
 * running, so no worker outlives the test.
 *
 * <p>Thread-safety: use one instance from one thread.
 */
public final class HistoryWorkers implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private final Path dir;
    private final List<String> names;
    private final List<Process> processes;

    private HistoryWorkers(Path dir, List<String> names, List<Process> processes) {
        this.dir = dir;
        this.names = names;
        this.processes = processes;
    }

    /**
     * Starts child JVMs on this JVM's class path.
     *
     * @param dir an existing directory for the gate, the parts and the children's output
     * @param main the child's main class (it calls {@link #child(String[])})
     * @param workload the workload; each child gets its settings with process prefix
     *     {@code jvmN-} and its own seed
     * @param count how many children
     * @param environment extra environment variables (e.g. where the server is)
     * @return the running children
     * @throws UncheckedIOException if a JVM cannot be started
     */
    public static HistoryWorkers start(Path dir, Class<?> main, HistoryWorkload workload, int count,
                                       Map<String, String> environment) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> names = new ArrayList<>();
        List<Process> processes = new ArrayList<>();
        HistoryWorkers workers = new HistoryWorkers(dir, names, processes);
        try {
            for (int i = 1; i <= count; i++) {
                String name = "jvm" + i;
                HistoryWorkload share = workload.toBuilder().processPrefix(name + "-")
                        .seed(workload.seed() * 31L + i).build();
                List<String> command = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx128m",
                        "-cp", System.getProperty("java.class.path"), main.getName(), dir.toString(), name,
                        Long.toString(ProcessHandle.current().pid())));
                command.addAll(share.args());
                ProcessBuilder pb = new ProcessBuilder(command)
                        .redirectOutput(dir.resolve(name + ".out").toFile())
                        .redirectError(dir.resolve(name + ".err").toFile());
                pb.environment().putAll(environment);
                names.add(name);
                processes.add(pb.start());
            }
        } catch (IOException e) {
            workers.close();
            throw new UncheckedIOException("cannot start a history worker JVM", e);
        }
        return workers;
    }

    /**
     * Waits until every child is ready (its store open), then lets them all start at once.
     *
     * @throws IllegalStateException if a child exits or is not ready within 90 seconds
     */
    public void release() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        for (int i = 0; i < names.size(); i++) {
            Path ready = dir.resolve(names.get(i) + ".ready");
            while (!Files.exists(ready)) {
                if (!processes.get(i).isAlive()) {
                    throw new IllegalStateException(names.get(i) + " exited before it was ready: " + output(names.get(i)));
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException(names.get(i) + " was not ready within " + READY_TIMEOUT);
                }
                sleep(5);
            }
        }
        try {
            Files.createFile(dir.resolve("go"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits for every child to finish and reads their parts.
     *
     * @param timeout how long to wait for all of them
     * @return the parts, in child order
     * @throws IllegalStateException if a child failed or did not finish in time (it is killed)
     */
    public List<HistoryPart> await(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<HistoryPart> parts = new ArrayList<>();
        for (int i = 0; i < processes.size(); i++) {
            Process p = processes.get(i);
            try {
                if (!p.waitFor(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException(names.get(i) + " did not finish within " + timeout);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for " + names.get(i), e);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(names.get(i) + " failed (exit " + p.exitValue() + "): " + output(names.get(i)));
            }
            parts.add(HistoryPart.read(dir, names.get(i)));
        }
        return parts;
    }

    private String output(String name) {
        try {
            String err = Files.readString(dir.resolve(name + ".err"), StandardCharsets.UTF_8);
            return err.length() > 4000 ? err.substring(0, 4000) + "…" : err;
        } catch (IOException e) {
            return "(no output)";
        }
    }

    /** Kills every child still running. */
    @Override
    public void close() {
        for (Process p : processes) {
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * Reads a child's arguments (as {@link #start} passes them) and arranges for the child to end
     * when its parent does.
     *
     * @param args {@code DIR NAME PARENT_PID} and the workload's arguments
     * @return the child's side
     * @throws IllegalArgumentException if the arguments are malformed
     */
    public static Child child(String[] args) {
        if (args.length < 3) {
            throw new IllegalArgumentException("expected DIR NAME PARENT_PID WORKLOAD_ARGS..., got " + Arrays.toString(args));
        }
        long parent = Long.parseLong(args[2]);
        ProcessHandle.of(parent).ifPresentOrElse(p -> p.onExit().thenRun(() -> Runtime.getRuntime().halt(3)),
                () -> Runtime.getRuntime().halt(3));
        return new Child(Path.of(args[0]), args[1],
                HistoryWorkload.fromArgs(Arrays.asList(args).subList(3, args.length)));
    }

    /**
     * A child JVM's side: its workload, the start gate, and where its part goes.
     *
     * <p>Thread-safety: use from the child's main thread.
     */
    public static final class Child {
        private final Path dir;
        private final String name;
        private final HistoryWorkload workload;

        private Child(Path dir, String name, HistoryWorkload workload) {
            this.dir = dir;
            this.name = Objects.requireNonNull(name, "name");
            this.workload = workload;
        }

        /**
         * This child's share of the workload (no fault hook: add one with {@link HistoryWorkload#toBuilder()}).
         *
         * @return the workload
         */
        public HistoryWorkload workload() {
            return workload;
        }

        /**
         * The child's name, e.g. {@code jvm1}.
         *
         * @return the name
         */
        public String name() {
            return name;
        }

        /**
         * Says "ready" and waits until the parent releases all children (at most 2 minutes).
         *
         * @throws IllegalStateException if the parent never releases
         */
        public void awaitRelease() {
            try {
                Files.createFile(dir.resolve(name + ".ready"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (!Files.exists(dir.resolve("go"))) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("never released");
                }
                sleep(1);
            }
        }

        /**
         * Writes the part for the parent.
         *
         * @param part what this child recorded
         */
        public void finish(HistoryPart part) {
            part.writeTo(dir, name);
        }
    }
}
