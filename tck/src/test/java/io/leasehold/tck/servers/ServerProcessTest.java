package io.leasehold.tck.servers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's promise: a server started through {@link ServerProcess} is gone once the JVM that
 * started it is gone, whether that JVM stopped it, exited without stopping it, halted without running
 * its shutdown hooks, or was killed with SIGKILL (then the watchdog acts; if the watchdog was killed
 * too, the next run's {@link ServerProcess#reapOrphans()}). The stand-in server has a process that
 * leaves its process group, as daemonizing servers do: only the token finds it.
 */
@EnabledOnOs(OS.LINUX)
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ServerProcessTest {
    /** How long the server may survive its JVM. */
    private static final Duration GONE_WITHIN = Duration.ofSeconds(5);

    @TempDir
    Path records;

    private final List<Process> children = new ArrayList<>();
    private final List<String> tokens = new ArrayList<>();

    @AfterEach
    void noLeftovers() {
        // Whatever an assertion left behind must not outlive the test either.
        children.forEach(Process::destroyForcibly);
        tokens.forEach(t -> ServerProcess.processesWithToken(t).forEach(ProcessHandle::destroyForcibly));
    }

    @Test
    void closeStopsEveryProcessOfTheServerAndDeletesItsRecord() {
        ServerProcess server = ServerProcess.builder("stand-in", ServerProcessChild.STAND_IN)
                .stopGrace(Duration.ofSeconds(2)).start();
        tokens.add(server.token());
        awaitProcesses(server.token(), 3);
        assertEquals(3, server.processes().size(), "leader, its child, and the one in a session of its own");
        assertTrue(Files.exists(server.record()));
        long started = System.nanoTime();
        server.close();
        assertTrue(ServerProcess.processesWithToken(server.token()).isEmpty(), "left: " + server.processes());
        assertFalse(Files.exists(server.record()), "record deleted");
        assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(4)) < 0,
                "a shell ends on SIGTERM at once: no waiting for the grace period");
        assertFalse(ServerProcess.running().contains(server));
        server.close(); // idempotent
    }

    @Test
    void aNormalExitWithoutStoppingTheServerStopsItInTheShutdownHook() throws Exception {
        Child child = startChild("exit");
        assertTrue(child.process.waitFor(30, TimeUnit.SECONDS), "child JVM exits");
        // The hook stops the server before the JVM is gone and deletes the record (the watchdog would not).
        assertGone(child.token, Duration.ZERO);
        assertFalse(Files.exists(child.record), "the shutdown hook stopped it, not the watchdog");
    }

    @Test
    void aHaltedJvmLeavesTheServerToTheWatchdog() throws Exception {
        Child child = startChild("halt");
        assertTrue(child.process.waitFor(30, TimeUnit.SECONDS), "child JVM halts");
        assertGone(child.token, GONE_WITHIN);
        assertTrue(Files.exists(child.record), "no hook ran: the record stays until a later run reaps it");
    }

    @Test
    void killMinus9OfTheJvmLeavesTheServerToTheWatchdog() throws Exception {
        Child child = startChild("wait");
        assertEquals(3, ServerProcess.processesWithToken(child.token).size());
        child.process.toHandle().destroyForcibly(); // SIGKILL
        assertTrue(child.process.waitFor(10, TimeUnit.SECONDS));
        assertGone(child.token, GONE_WITHIN);
        assertWatchdogExits(child.watchdogPid);
        // A later run finds nothing left to kill, and deletes the record of the dead owner.
        assertEquals(0, ServerProcess.reapOrphans(records));
        assertFalse(Files.exists(child.record));
    }

    @Test
    void whenTheWatchdogDiedTooTheNextRunReapsTheServer() throws Exception {
        Child child = startChild("wait");
        ProcessHandle.of(child.watchdogPid).ifPresent(ProcessHandle::destroyForcibly);
        assertWatchdogExits(child.watchdogPid);
        child.process.toHandle().destroyForcibly();
        assertTrue(child.process.waitFor(10, TimeUnit.SECONDS));
        Thread.sleep(500);
        assertEquals(3, ServerProcess.processesWithToken(child.token).size(), "nobody stopped it yet");

        assertEquals(3, ServerProcess.reapOrphans(records));
        assertGone(child.token, Duration.ZERO);
        assertFalse(Files.exists(child.record));
    }

    @Test
    void theReaperLeavesTheServersOfALiveJvmAlone() throws Exception {
        Child child = startChild("wait");
        assertEquals(0, ServerProcess.reapOrphans(records));
        assertEquals(3, ServerProcess.processesWithToken(child.token).size());
        assertTrue(Files.exists(child.record));
    }

    @Test
    void aCommandThatCannotStartFailsTypedAndLeavesNoRecord() {
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> ServerProcess.builder("missing", List.of("/nonexistent/leasehold-server")).start());
        assertTrue(e.getMessage().contains("missing"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ServerProcess.builder("bad name", List.of("true")));
        assertThrows(IllegalArgumentException.class,
                () -> ServerProcess.builder("x", List.of("true")).environment(ServerProcess.TOKEN_VARIABLE, "t"));
    }

    private static void awaitProcesses(String token, int count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (ServerProcess.processesWithToken(token).size() < count) {
            if (System.nanoTime() > deadline) {
                fail("the stand-in did not start its " + count + " processes");
            }
            sleep(20);
        }
    }

    private static void assertGone(String token, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        List<ProcessHandle> left = ServerProcess.processesWithToken(token);
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            sleep(50);
            left = ServerProcess.processesWithToken(token);
        }
        assertTrue(left.isEmpty(), "server processes still running after " + within + ": " + left);
    }

    private static void assertWatchdogExits(long pid) {
        long deadline = System.nanoTime() + GONE_WITHIN.toNanos();
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) {
            sleep(50);
        }
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "watchdog " + pid + " exited");
    }

    private Child startChild(String mode) throws IOException {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx32m",
                "-Dleasehold.servers.records=" + records, "-cp", System.getProperty("java.class.path"),
                ServerProcessChild.class.getName(), mode)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        children.add(p);
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (line == null || !line.startsWith("SERVER ")) {
            fail("child JVM did not report its server: " + line);
        }
        String[] f = line.split(" ");
        tokens.add(f[2]);
        return new Child(p, Long.parseLong(f[1]), f[2], Long.parseLong(f[3]), Paths.get(f[4]));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static final class Child {
        final Process process;
        final long serverPid;
        final String token;
        final long watchdogPid;
        final Path record;

        Child(Process process, long serverPid, String token, long watchdogPid, Path record) {
            this.process = process;
            this.serverPid = serverPid;
            this.token = token;
            this.watchdogPid = watchdogPid;
            this.record = record;
        }
    }
}
