package io.leasehold.tck.servers;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A server process (Azurite, S3Mock, s3rver, a Ceph cluster, …) that a test or a benchmark starts and
 * that must not outlive the JVM that started it, however that JVM ends.
 *
 * <p>Four layers, from the ordinary case to the rare one:
 * <ol>
 * <li>{@link #close()}: the caller (a JUnit extension's store, a try-with-resources) stops it.</li>
 * <li>A JVM shutdown hook stops every server still running when the JVM exits normally, whatever the
 *     test framework did or did not close.</li>
 * <li>A watchdog: a small {@code sh} process started next to each server, reading a pipe whose other
 *     end only this JVM holds. When the JVM dies, even by {@code kill -9}, the kernel closes the pipe;
 *     the watchdog sends SIGTERM to the server's leader and, after the grace period, SIGKILL to all its
 *     processes.</li>
 * <li>A record per running server in {@code ${java.io.tmpdir}/leasehold-test-servers} (owner pid and
 *     start time, the server's token): the first server a later JVM starts first kills the processes of
 *     every record whose owner is gone ({@link #reapOrphans()}), for when the watchdog died too.</li>
 * </ol>
 *
 * <p>Which processes belong to a server: on Linux the command runs under {@code setsid}, so the server
 * heads a process group (and session) of its own, and every process inherits the environment variable
 * {@value #TOKEN_VARIABLE} with a random token. A process belongs to the server if it is in that group
 * or carries the token; the token also finds daemons that leave the group (a session of their own).
 * Elsewhere (no {@code /proc}, no {@code setsid}) the server is its leader process and that process's
 * descendants, and only the first three layers apply.
 *
 * <p>The server's standard input is a pipe from this JVM that is never written; a server that exits
 * when its standard input closes (the Node launch scripts here do) has a fifth layer of its own.
 *
 * <p>Thread-safety: safe for concurrent use; {@link #close()} is idempotent and may race with the
 * shutdown hook.
 */
public final class ServerProcess implements AutoCloseable {
    /** The environment variable that marks every process of a server with its token. */
    public static final String TOKEN_VARIABLE = "LEASEHOLD_SERVER_TOKEN";

    private static final Path RECORDS = Paths.get(System.getProperty("leasehold.servers.records",
            Paths.get(System.getProperty("java.io.tmpdir"), "leasehold-test-servers").toString()));
    private static final Path PROC = Paths.get("/proc");
    private static final Duration KILL_WAIT = Duration.ofSeconds(5);
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Set<ServerProcess> RUNNING = ConcurrentHashMap.newKeySet();
    private static volatile boolean initialized;

    private final String name;
    private final String token;
    private final Process process;
    private final boolean ownGroup;
    private final Duration stopGrace;
    private final Process watchdog;
    private final Path record;
    private boolean stopped;

    private ServerProcess(String name, String token, Process process, boolean ownGroup, Duration stopGrace,
            Process watchdog, Path record) {
        this.name = name;
        this.token = token;
        this.process = process;
        this.ownGroup = ownGroup;
        this.stopGrace = stopGrace;
        this.watchdog = watchdog;
        this.record = record;
    }

    /**
     * A builder for a server started with {@code command}.
     *
     * @param name a short name for logs and records ({@code [A-Za-z0-9._-]}, at most 64 characters)
     * @param command the program and its arguments
     * @return a new builder
     * @throws IllegalArgumentException if the name is not of that form or the command is empty
     */
    public static Builder builder(String name, List<String> command) {
        return new Builder(name, command);
    }

    /**
     * The name given to the builder.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * The leader's process id (the command itself; on Linux also the process group id).
     *
     * @return the pid
     */
    public long pid() {
        return process.pid();
    }

    /**
     * The random token in the environment of every process of this server ({@value #TOKEN_VARIABLE}).
     *
     * @return the token
     */
    public String token() {
        return token;
    }

    /**
     * Whether the leader process is still running.
     *
     * @return true while the leader runs
     */
    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * The leader's exit status.
     *
     * @return the exit status
     * @throws IllegalStateException if the leader is still running
     */
    public int exitValue() {
        try {
            return process.exitValue();
        } catch (IllegalThreadStateException e) {
            throw new IllegalStateException(name + " is still running", e);
        }
    }

    /**
     * The watchdog's process id (for tests of the mechanism).
     *
     * @return the pid
     */
    public long watchdogPid() {
        return watchdog.pid();
    }

    /**
     * Every process of this server that is still running: its process group and the processes with its
     * token on Linux, else the leader and its descendants.
     *
     * @return the processes, the leader first if it runs
     */
    public List<ProcessHandle> processes() {
        if (!Files.isDirectory(PROC)) {
            List<ProcessHandle> all = new ArrayList<>();
            ProcessHandle leader = process.toHandle();
            if (leader.isAlive()) {
                all.add(leader);
            }
            leader.descendants().forEach(all::add);
            return all;
        }
        return members(ownGroup ? process.pid() : -1, token);
    }

    /**
     * Stops the server: closes its standard input, sends SIGTERM to the leader, waits up to the grace
     * period for it to exit, then sends SIGKILL to every process of the server that is left and waits
     * until they are gone (up to 5 s more). Idempotent.
     *
     * @throws IllegalStateException if a process of the server survived SIGKILL (its pids are in the
     *     message)
     */
    @Override
    public void close() {
        synchronized (this) {
            if (stopped) {
                return;
            }
            stopped = true;
        }
        try {
            closeQuietly(process.getOutputStream());
            process.destroy();
            boolean interrupted = false;
            try {
                process.waitFor(stopGrace.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                interrupted = true; // still make sure nothing is left
            }
            List<ProcessHandle> left = killAll(processes());
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (!left.isEmpty()) {
                throw new IllegalStateException(name + ": processes survived SIGKILL: " + pids(left));
            }
        } finally {
            dismissWatchdog();
            deleteQuietly(record);
            RUNNING.remove(this);
        }
    }

    @Override
    public String toString() {
        return name + "[pid " + process.pid() + "]";
    }

    /**
     * Kills the processes of every server whose owning JVM is gone (its record names a pid that no
     * longer runs, or runs with another start time) and deletes those records. Called once per JVM
     * before its first server starts; public for tests of the mechanism.
     *
     * @return how many processes were killed
     */
    public static int reapOrphans() {
        return reapOrphans(RECORDS);
    }

    /** {@link #reapOrphans()} over the records in {@code dir} (tests use a directory of their own). */
    static int reapOrphans(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int killed = 0;
        try (DirectoryStream<Path> records = Files.newDirectoryStream(dir, "*.properties")) {
            for (Path file : records) {
                Properties p = new Properties();
                try (InputStream in = Files.newInputStream(file)) {
                    p.load(in);
                } catch (NoSuchFileException gone) {
                    continue; // reaped or stopped meanwhile
                }
                String token = p.getProperty("token");
                if (token == null || ownerAlive(p)) {
                    continue;
                }
                List<ProcessHandle> orphans = members(-1, token);
                killed += orphans.size();
                killAll(orphans);
                deleteQuietly(file);
            }
        } catch (IOException e) {
            // a best-effort clean-up of an earlier run must not fail this one
        }
        return killed;
    }

    /**
     * The running processes that carry {@code token} in {@value #TOKEN_VARIABLE} (Linux; empty elsewhere).
     *
     * @param token a server's token
     * @return the processes
     */
    public static List<ProcessHandle> processesWithToken(String token) {
        Objects.requireNonNull(token, "token");
        return Files.isDirectory(PROC) ? members(-1, token) : List.of();
    }

    /**
     * The record of this server (deleted when it stops; left behind if this JVM dies).
     *
     * @return the record file
     */
    public Path record() {
        return record;
    }

    /**
     * The servers this JVM started that are still running.
     *
     * @return a snapshot
     */
    public static List<ServerProcess> running() {
        return List.copyOf(RUNNING);
    }

    private static synchronized void initialize() {
        if (initialized) {
            return;
        }
        reapOrphans();
        Runtime.getRuntime().addShutdownHook(new Thread(ServerProcess::stopAll, "test-servers-stop"));
        initialized = true;
    }

    /** The shutdown hook: stops every running server, in parallel (a Ceph cluster takes seconds). */
    private static void stopAll() {
        List<Thread> stoppers = new ArrayList<>();
        for (ServerProcess server : RUNNING) {
            Thread t = new Thread(() -> {
                try {
                    server.close();
                } catch (RuntimeException e) {
                    System.err.println("test servers: " + e.getMessage());
                }
            }, "test-server-stop-" + server.name);
            t.start();
            stoppers.add(t);
        }
        for (Thread t : stoppers) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return; // the watchdogs finish the job
            }
        }
    }

    private static boolean ownerAlive(Properties record) {
        long pid;
        try {
            pid = Long.parseLong(record.getProperty("owner.pid", ""));
        } catch (NumberFormatException e) {
            return false;
        }
        Optional<ProcessHandle> owner = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (owner.isEmpty()) {
            return false;
        }
        String recorded = record.getProperty("owner.start", "");
        // Without a start time on either side, a running pid counts as the owner: never kill a live run's server.
        return recorded.isEmpty() || owner.get().info().startInstant().map(i -> recorded.equals(i.toString())).orElse(true);
    }

    /** The processes in process group {@code group} (if not -1) or with {@code token}, read from /proc. */
    private static List<ProcessHandle> members(long group, String token) {
        byte[] marker = (TOKEN_VARIABLE + "=" + token + "\0").getBytes(StandardCharsets.UTF_8);
        List<ProcessHandle> found = new ArrayList<>();
        long self = ProcessHandle.current().pid();
        ProcessHandle.allProcesses().forEach(h -> {
            if (h.pid() == self) {
                return;
            }
            Path dir = PROC.resolve(Long.toString(h.pid()));
            if ((group > 0 && processGroup(dir) == group) || hasMarker(dir.resolve("environ"), marker)) {
                found.add(h);
            }
        });
        found.sort((a, b) -> a.pid() == group ? -1 : b.pid() == group ? 1 : Long.compare(a.pid(), b.pid()));
        return found;
    }

    private static long processGroup(Path procDir) {
        try {
            String stat = Files.readString(procDir.resolve("stat"), StandardCharsets.UTF_8);
            // "pid (comm) state ppid pgrp ...": comm may contain spaces and parentheses
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[2]);
        } catch (IOException | RuntimeException gone) {
            return -1;
        }
    }

    private static boolean hasMarker(Path environ, byte[] marker) {
        byte[] env;
        try {
            env = Files.readAllBytes(environ);
        } catch (IOException | SecurityException gone) {
            return false;
        }
        // Entries are NUL-terminated: match at the start or right after a NUL.
        outer:
        for (int i = 0; i + marker.length <= env.length; i++) {
            if (i > 0 && env[i - 1] != 0) {
                continue;
            }
            for (int j = 0; j < marker.length; j++) {
                if (env[i + j] != marker[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** SIGKILL to each, then waits until they are gone; returns those still alive after 5 s. */
    private static List<ProcessHandle> killAll(List<ProcessHandle> processes) {
        processes.forEach(ProcessHandle::destroyForcibly);
        long deadline = System.nanoTime() + KILL_WAIT.toNanos();
        List<ProcessHandle> left = new ArrayList<>(processes);
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            left.removeIf(h -> !h.isAlive() || zombie(h));
            if (!left.isEmpty()) {
                sleepQuietly(50);
            }
        }
        return left;
    }

    /** A dead process its parent has not reaped yet: nothing left to kill. */
    private static boolean zombie(ProcessHandle h) {
        try {
            String stat = Files.readString(PROC.resolve(Long.toString(h.pid())).resolve("stat"), StandardCharsets.UTF_8);
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException | RuntimeException gone) {
            return false;
        }
    }

    private void dismissWatchdog() {
        try (OutputStream out = watchdog.getOutputStream()) {
            out.write("done\n".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException alreadyGone) {
            // nothing to dismiss
        }
        try {
            watchdog.waitFor(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String pids(List<ProcessHandle> processes) {
        StringBuilder s = new StringBuilder();
        for (ProcessHandle h : processes) {
            s.append(s.length() == 0 ? "" : ", ").append(h.pid())
                    .append(h.info().command().map(c -> " " + Paths.get(c).getFileName()).orElse(""));
        }
        return s.toString();
    }

    private static void closeQuietly(OutputStream out) {
        try {
            out.close();
        } catch (IOException ignored) {
            // the process is gone already
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a stale record is reaped (and deleted) by a later run
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Optional<Path> setsid() {
        if (!Files.isDirectory(PROC)) {
            return Optional.empty();
        }
        for (String dir : List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin")) {
            Path p = Paths.get(dir, "setsid");
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static String watchdogScript() {
        try (InputStream in = ServerProcess.class.getResourceAsStream("watchdog.sh")) {
            if (in == null) {
                throw new IllegalStateException("watchdog.sh is missing from the class path next to " + ServerProcess.class);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Options for one server. Not thread-safe; use it from one thread and discard it after
     * {@link #start()}.
     */
    public static final class Builder {
        private final String name;
        private final List<String> command;
        private final Map<String, String> environment = new LinkedHashMap<>();
        private Path directory;
        private Path log;
        private Duration stopGrace = Duration.ofSeconds(10);

        private Builder(String name, List<String> command) {
            Objects.requireNonNull(name, "name");
            if (!SAFE_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("server name must match " + SAFE_NAME + ": " + name);
            }
            if (command == null || command.isEmpty()) {
                throw new IllegalArgumentException("empty command for " + name);
            }
            this.name = name;
            this.command = List.copyOf(command);
        }

        /**
         * The working directory (default: this JVM's).
         *
         * @param directory the directory
         * @return this builder
         */
        public Builder directory(Path directory) {
            this.directory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /**
         * Adds an environment variable to the inherited environment.
         *
         * @param name the variable
         * @param value its value
         * @return this builder
         * @throws IllegalArgumentException for {@value ServerProcess#TOKEN_VARIABLE}, which the launcher sets
         */
        public Builder environment(String name, String value) {
            if (TOKEN_VARIABLE.equals(name)) {
                throw new IllegalArgumentException(TOKEN_VARIABLE + " is set by the launcher");
            }
            environment.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Where standard output and standard error go (truncated first; default: discarded).
         *
         * @param log the file
         * @return this builder
         */
        public Builder log(Path log) {
            this.log = Objects.requireNonNull(log, "log");
            return this;
        }

        /**
         * How long the leader gets after SIGTERM before every process of the server gets SIGKILL
         * (default 10 s). Keep it short: a JVM's shutdown hooks have about 30 s under Maven Surefire.
         *
         * @param grace a positive duration of at most 60 s
         * @return this builder
         * @throws IllegalArgumentException if it is not positive or longer than 60 s
         */
        public Builder stopGrace(Duration grace) {
            if (grace.isNegative() || grace.isZero() || grace.compareTo(Duration.ofSeconds(60)) > 0) {
                throw new IllegalArgumentException("stop grace must be in (0, 60 s]: " + grace);
            }
            this.stopGrace = grace;
            return this;
        }

        /**
         * Starts the server and its watchdog, and records it. Does not wait for it to be ready.
         *
         * @return the running server
         * @throws UncheckedIOException if the command or the watchdog cannot be started (e.g. the program
         *     is not on the PATH); nothing is left running then
         */
        public ServerProcess start() {
            // Under setsid a missing program would only show as setsid's exit status: say it here.
            checkProgram();
            initialize();
            String token = UUID.randomUUID().toString();
            Optional<Path> setsid = setsid();
            List<String> full = new ArrayList<>();
            setsid.ifPresent(p -> full.add(p.toString()));
            full.addAll(command);
            ProcessBuilder pb = new ProcessBuilder(full);
            if (directory != null) {
                pb.directory(directory.toFile());
            }
            pb.environment().putAll(environment);
            pb.environment().put(TOKEN_VARIABLE, token);
            if (log != null) {
                pb.redirectErrorStream(true).redirectOutput(log.toFile());
            } else {
                pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            }
            Process process;
            try {
                process = pb.start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + name + " (" + command.get(0) + ")", e);
            }
            Path record = null;
            Process watchdog;
            try {
                record = writeRecord(token, process);
                ProcessBuilder wb = new ProcessBuilder("sh", "-c", watchdogScript(), "leasehold-watchdog-" + name,
                        Long.toString(process.pid()), setsid.isPresent() ? "group" : "pid", token,
                        Long.toString(Math.max(1, (stopGrace.toMillis() + 999) / 1000)))
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
                wb.environment().remove(TOKEN_VARIABLE);
                watchdog = wb.start();
            } catch (IOException | RuntimeException e) {
                ServerProcess half = new ServerProcess(name, token, process, setsid.isPresent(), stopGrace,
                        null, record);
                half.killWithoutWatchdog();
                if (e instanceof IOException) {
                    throw new UncheckedIOException("cannot start the watchdog of " + name, (IOException) e);
                }
                throw (RuntimeException) e;
            }
            ServerProcess server = new ServerProcess(name, token, process, setsid.isPresent(), stopGrace, watchdog, record);
            RUNNING.add(server);
            return server;
        }

        private void checkProgram() {
            String program = command.get(0);
            if (program.contains("/")) {
                Path p = Paths.get(program);
                if (!p.isAbsolute() && directory != null) {
                    p = directory.resolve(p);
                }
                if (Files.isExecutable(p)) {
                    return;
                }
            } else {
                String path = environment.getOrDefault("PATH", System.getenv().getOrDefault("PATH", ""));
                for (String dir : path.split(java.io.File.pathSeparator)) {
                    if (!dir.isEmpty() && Files.isExecutable(Paths.get(dir, program))) {
                        return;
                    }
                }
            }
            throw new UncheckedIOException("cannot start " + name + ": " + program + " not found or not executable",
                    new NoSuchFileException(program));
        }

        private Path writeRecord(String token, Process process) throws IOException {
            Files.createDirectories(RECORDS);
            ProcessHandle self = ProcessHandle.current();
            StringBuilder text = new StringBuilder()
                    .append("# a test server; reaped by the next run if its owner is gone\n")
                    .append("name=").append(name).append('\n')
                    .append("token=").append(token).append('\n')
                    .append("pid=").append(process.pid()).append('\n')
                    .append("owner.pid=").append(self.pid()).append('\n')
                    .append("owner.start=").append(self.info().startInstant().map(Instant::toString).orElse(""))
                    .append('\n');
            Path file = RECORDS.resolve(token + ".properties");
            Path tmp = RECORDS.resolve(token + ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            return file;
        }
    }

    /** For a start that failed half-way: no watchdog to dismiss. */
    private void killWithoutWatchdog() {
        closeQuietly(process.getOutputStream());
        killAll(processes());
        if (record != null) {
            deleteQuietly(record);
        }
    }
}
