package io.leasehold.aws;

import io.leasehold.tck.servers.ServerProcess;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * s3rver (the npm package pinned in {@code s3rver/package-lock.json}, installed by the Maven build)
 * once per test JVM on a free 127.0.0.1 port with a fresh data directory and one bucket, through
 * {@link ServerProcess}: stopped when the JUnit run ends, and in any case when this JVM ends, even by a
 * crash. It runs under {@code s3rver/run.js}, which also exits when its standard input (a pipe from this
 * JVM) closes. s3rver accepts conditional headers on PutObject and
 * DeleteObject but does not evaluate them: the probe's negative case.
 */
public final class S3rverServer implements AutoCloseable, BeforeAllCallback, ParameterResolver {
    static final String BUCKET = "leasehold";
    /** s3rver's fixed development credentials. */
    static final String ACCESS_KEY = "S3RVER";
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(S3rverServer.class);

    private final ServerProcess process;
    private final URI endpoint;
    private final Path log;

    /** For JUnit's {@code @ExtendWith}. */
    public S3rverServer() {
        this(null, null, null);
    }

    private S3rverServer(ServerProcess process, URI endpoint, Path log) {
        this.process = process;
        this.endpoint = endpoint;
        this.log = log;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        shared(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == S3rverServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return shared(extensionContext);
    }

    private static S3rverServer shared(ExtensionContext context) {
        return context.getRoot().getStore(NS).getOrComputeIfAbsent("server", k -> start(), S3rverServer.class);
    }

    /** The endpoint, e.g. {@code http://127.0.0.1:40123}. */
    URI endpoint() {
        return endpoint;
    }

    /** s3rver's development credentials. */
    StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, ACCESS_KEY));
    }

    private static S3rverServer start() {
        Path home = Paths.get(System.getProperty("leasehold.s3rver.home", "s3rver")).toAbsolutePath();
        if (!Files.isRegularFile(home.resolve("node_modules/s3rver/bin/s3rver.js"))) {
            throw new IllegalStateException("s3rver is not installed in " + home + ": run the Maven build"
                    + " (it runs npm ci there) or `npm ci` in that folder");
        }
        try {
            int port = S3MockServer.freePort();
            Path dir = Files.createDirectories(Paths.get("target", "s3rver"));
            Path data = Files.createTempDirectory(dir, "data-");
            Files.createDirectories(data.resolve(BUCKET));
            Path log = dir.resolve("s3rver-" + port + ".log");
            ServerProcess p = ServerProcess.builder("s3rver", List.of("node", home.resolve("run.js").toString(),
                    "-d", data.toString(), "-a", "127.0.0.1", "-p", Integer.toString(port), "--silent",
                    "--no-vhost-buckets", "--configure-bucket", BUCKET))
                    .directory(home).log(log).stopGrace(Duration.ofSeconds(5)).start();
            S3rverServer server = new S3rverServer(p, URI.create("http://127.0.0.1:" + port), log);
            server.awaitListening(port, Duration.ofSeconds(30));
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start s3rver", e);
        }
    }

    private void awaitListening(int port, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                process.close(); // its watchdog and record
                throw new IllegalStateException("s3rver exited with " + process.exitValue() + "; see " + log.toAbsolutePath());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
        close();
        throw new IllegalStateException("s3rver did not listen within " + timeout + "; see " + log.toAbsolutePath());
    }

    @Override
    public void close() {
        if (process != null) {
            process.close();
        }
    }
}
