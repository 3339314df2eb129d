package io.leasehold.tck.servers;

import java.time.Duration;
import java.util.List;

/**
 * The child JVM of {@link ServerProcessTest}: starts a stand-in server through {@link ServerProcess}
 * (a shell with a child in its process group and a "daemon" that moved to a session of its own),
 * prints {@code SERVER <pid> <token> <watchdog pid> <record>}, then ends as the first argument says:
 * {@code exit} returns from main without stopping it (a normal JVM exit), {@code halt} halts the JVM
 * (no shutdown hooks, like a crash), {@code wait} waits to be killed.
 */
public final class ServerProcessChild {
    /** A server in three processes; the third leaves the process group, as a daemonizing server does. */
    static final List<String> STAND_IN = List.of("sh", "-c", "sleep 600 & setsid sleep 601 & wait");

    private ServerProcessChild() {
    }

    public static void main(String[] args) throws Exception {
        ServerProcess server = ServerProcess.builder("stand-in", STAND_IN).stopGrace(Duration.ofSeconds(2)).start();
        // The stand-in is up once all three processes run.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (server.processes().size() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        System.out.println("SERVER " + server.pid() + " " + server.token() + " " + server.watchdogPid() + " "
                + server.record());
        System.out.flush();
        switch (args[0]) {
            case "exit":
                return;
            case "halt":
                Runtime.getRuntime().halt(3);
                return;
            default:
                Thread.sleep(Long.MAX_VALUE);
        }
    }
}
