package io.leasehold.bench.contention;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Azurite's blob service for a benchmark run: the npm package azure-adapter installs (run
 * {@code node install-if-stale.js} in {@code azure-adapter/azurite} first), on a free 127.0.0.1 port,
 * in memory. It exits when its standard input closes, so it cannot outlive this JVM.
 */
final class AzuriteProcess implements AutoCloseable {
    private final Process process;
    final int port;

    private AzuriteProcess(Process process, int port) {
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
        Process p = new ProcessBuilder(List.of("node", home.resolve("run-blob.js").toString(), "--blobHost", "127.0.0.1",
                "--blobPort", Integer.toString(port), "--inMemoryPersistence", "--silent", "--skipApiVersionCheck"))
                .directory(home.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("Azurite exited: " + Files.readString(log));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return new AzuriteProcess(p, port);
            } catch (IOException notYet) {
                TimeUnit.MILLISECONDS.sleep(100);
            }
        }
        p.destroyForcibly();
        throw new IllegalStateException("Azurite did not start within 60 s");
    }

    String endpoint() {
        return "http://127.0.0.1:" + port + "/devstoreaccount1";
    }

    @Override
    public void close() throws IOException {
        process.getOutputStream().close();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
