package io.leasehold.azure;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.leasehold.tck.servers.ServerProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The real case of the launcher's promise: a JVM that started Azurite through {@link AzuriteExtension}
 * is killed with SIGKILL; within 5 s no process of that Azurite runs and its port is closed.
 */
@EnabledOnOs(OS.LINUX)
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class AzuriteOutlivesNoJvmTest {

    @Test
    void azuriteDiesWithAJvmKilledBySigkill() throws Exception {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx64m",
                "-Dleasehold.azurite.home=" + System.getProperty("leasehold.azurite.home", "azurite"),
                "-cp", System.getProperty("java.class.path"), AzuriteChild.class.getName())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String token = null;
        try {
            String line = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            if (line == null || !line.startsWith("AZURITE ")) {
                fail("child JVM did not report Azurite: " + line);
            }
            String[] f = line.split(" ");
            int port = Integer.parseInt(f[1]);
            token = f[2];
            assertTrue(listening(port), "Azurite answers before the kill");
            assertFalse(ServerProcess.processesWithToken(token).isEmpty());

            child.toHandle().destroyForcibly(); // SIGKILL: no shutdown hook, no JUnit clean-up
            assertTrue(child.waitFor(10, TimeUnit.SECONDS));

            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            List<ProcessHandle> left = ServerProcess.processesWithToken(token);
            while ((!left.isEmpty() || listening(port)) && System.nanoTime() < deadline) {
                Thread.sleep(50);
                left = ServerProcess.processesWithToken(token);
            }
            assertTrue(left.isEmpty(), "Azurite processes left: " + left);
            assertFalse(listening(port), "port " + port + " still open");
        } finally {
            child.destroyForcibly();
            if (token != null) {
                ServerProcess.processesWithToken(token).forEach(ProcessHandle::destroyForcibly);
            }
        }
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
