package io.leasehold.azure;

import io.leasehold.core.ObjectStore;
import io.leasehold.tck.servers.ServerProcess;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts Azurite's blob service (the npm package pinned in {@code azurite/package-lock.json}, installed
 * by the Maven build) once per test JVM on a free 127.0.0.1 port, in memory, through
 * {@link ServerProcess}: stopped when the JUnit run ends, and in any case when this JVM ends, even by a
 * crash. Azurite runs under {@code azurite/run-blob.js}, which also exits when its standard input (a
 * pipe from this JVM) closes.
 */
public final class AzuriteExtension implements BeforeAllCallback {
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static volatile Server server;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        // The root store closes the server when the whole run ends, not after this class.
        context.getRoot().getStore(ExtensionContext.Namespace.create(AzuriteExtension.class))
                .getOrComputeIfAbsent("azurite", k -> start(), Server.class);
    }

    /** The blob endpoint, e.g. http://127.0.0.1:PORT/devstoreaccount1. */
    public static String endpoint() {
        Server s = server;
        if (s == null) {
            throw new IllegalStateException("Azurite is not running: annotate the test with @ExtendWith(AzuriteExtension.class)");
        }
        return "http://127.0.0.1:" + s.port + "/" + AzureConnection.DEV_ACCOUNT;
    }

    /** A store URI for a fresh container on Azurite. */
    public static String uniqueStoreUri(String label) {
        String container = (label + "-" + UUID.randomUUID().toString().replace("-", "")).toLowerCase(Locale.ROOT);
        container = container.substring(0, Math.min(container.length(), 63));
        return "azure://" + container + "?endpoint=" + endpoint() + "&createContainer=true";
    }

    /** A store on a fresh container on Azurite. */
    public static ObjectStore uniqueStore(String label) {
        return ObjectStore.open(uniqueStoreUri(label));
    }

    static synchronized Server start() {
        if (server != null) {
            return server;
        }
        Path home = Paths.get(System.getProperty("leasehold.azurite.home", "azurite")).toAbsolutePath();
        Path launcher = home.resolve("run-blob.js");
        if (!Files.isRegularFile(home.resolve("node_modules/azurite/dist/src/blob/main.js"))) {
            throw new IllegalStateException("Azurite is not installed in " + home + ": run the Maven build"
                    + " (it runs npm ci there) or `npm ci` in that folder");
        }
        IllegalStateException last = null;
        for (int attempt = 1; attempt <= 3; attempt++) {
            int port = freePort();
            try {
                Server s = new Server(launcher, port);
                server = s;
                return s;
            } catch (IllegalStateException e) {
                last = e; // most likely the port was taken between probing and binding
            }
        }
        throw last;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port on 127.0.0.1", e);
        }
    }

    /** One running Azurite process. */
    static final class Server implements AutoCloseable {
        final int port;
        private final ServerProcess process;
        private final Path log;

        Server(Path launcher, int port) {
            this.port = port;
            List<String> command = new ArrayList<>(List.of("node", launcher.toString(),
                    "--blobHost", "127.0.0.1", "--blobPort", Integer.toString(port),
                    "--inMemoryPersistence", "--silent", "--skipApiVersionCheck"));
            try {
                this.log = Files.createTempFile("azurite-", ".log");
            } catch (IOException e) {
                throw new IllegalStateException("no temporary file for Azurite's log", e);
            }
            this.process = ServerProcess.builder("azurite", command).directory(launcher.getParent()).log(log)
                    .stopGrace(Duration.ofSeconds(5)).start();
            long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    process.close(); // its watchdog and record
                    throw new IllegalStateException("Azurite exited with " + process.exitValue() + ": " + tail());
                }
                if (listening(port) && Files.exists(log) && tail().contains("successfully listens")) {
                    return;
                }
                sleep(100);
            }
            close();
            throw new IllegalStateException("Azurite did not start within " + STARTUP_TIMEOUT + ": " + tail());
        }

        private static boolean listening(int port) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return true;
            } catch (IOException e) {
                return false;
            }
        }

        private String tail() {
            try {
                String text = Files.readString(log);
                return text.length() > 2000 ? text.substring(text.length() - 2000) : text;
            } catch (IOException e) {
                return "(no log)";
            }
        }

        /** The server behind {@link #port} (for tests of the harness). */
        ServerProcess process() {
            return process;
        }

        @Override
        public synchronized void close() {
            process.close(); // closes stdin first: run-blob.js exits on its own
            File f = log.toFile();
            if (!f.delete()) {
                f.deleteOnExit();
            }
        }

        private static void sleep(long ms) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
