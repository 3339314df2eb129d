package io.leasehold.bench.contention;

import io.leasehold.tck.servers.ServerProcess;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Azurite's blob service for a benchmark run: the npm package azure-adapter installs (run
 * {@code node install-if-stale.js} in {@code azure-adapter/azurite} first), on a free 127.0.0.1 port,
 * in memory. Started through {@link ServerProcess} (as the tests' servers are), so it stops with this
 * JVM however the JVM ends.
 */
final class AzuriteProcess implements AutoCloseable {
    private final ServerProcess process;
    final int port;

    private AzuriteProcess(ServerProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    static AzuriteProcess start(Path home) throws IOException, InterruptedException {
        if (!Files.isRegularFile(home.resolve("node_modules/azurite/dist/src/blob/main.js"))) {
            throw new IllegalStateException("Azurite is not installed in " + home + ": run `node install-if-stale.js` there");
        }
        int port;
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            port = s.getLocalPort();
        }
        Path log = Files.createTempFile("azurite-bench-", ".log");
        ServerProcess p = ServerProcess.builder("azurite-bench", List.of("node", home.resolve("run-blob.js").toString(),
                "--blobHost", "127.0.0.1", "--blobPort", Integer.toString(port), "--inMemoryPersistence", "--silent",
                "--skipApiVersionCheck"))
                .directory(home).log(log).stopGrace(Duration.ofSeconds(5)).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                p.close();
                throw new IllegalStateException("Azurite exited: " + Files.readString(log));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return new AzuriteProcess(p, port);
            } catch (IOException notYet) {
                TimeUnit.MILLISECONDS.sleep(100);
            }
        }
        p.close();
        throw new IllegalStateException("Azurite did not start within 60 s");
    }

    String endpoint() {
        return "http://127.0.0.1:" + port + "/devstoreaccount1";
    }

    @Override
    public void close() {
        process.close();
    }
}
