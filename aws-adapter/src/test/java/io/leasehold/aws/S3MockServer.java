package io.leasehold.aws;

import io.leasehold.tck.servers.ServerProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * S3Mock (Adobe, the {@code exec} jar Maven copies to target/s3mock) started with {@code java -jar}
 * once per test JVM on a free loopback port through {@link ServerProcess}: stopped when the JUnit root
 * context closes, and in any case when this JVM ends, even by a crash. Single-writer
 * semantics only: its conditional writes are check-then-act, so it is never used for races.
 *
 * <p>Every listening socket is on 127.0.0.1: the main connector (TLS off) through
 * {@code server.address}, and the extra plain-HTTP connector S3Mock 5.2.0 always adds (it has no
 * address setting of its own) through the bean definitions in the test resource
 * {@code s3mock-loopback.xml}, passed as {@code spring.main.sources}. {@link S3MockLoopbackTest}
 * checks this.
 */
public final class S3MockServer implements AutoCloseable, BeforeAllCallback, ParameterResolver {
    static final String BUCKET = "leasehold";
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(S3MockServer.class);

    private final ServerProcess process;
    private final URI endpoint;
    private final Path log;

    /** For JUnit's {@code @ExtendWith}. */
    public S3MockServer() {
        this.process = null;
        this.endpoint = null;
        this.log = null;
    }

    private S3MockServer(ServerProcess process, URI endpoint, Path log) {
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
        return parameterContext.getParameter().getType() == S3MockServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return shared(extensionContext);
    }

    private static S3MockServer shared(ExtensionContext context) {
        return context.getRoot().getStore(NS).getOrComputeIfAbsent("server", k -> start(), S3MockServer.class);
    }

    /** The endpoint, e.g. {@code http://127.0.0.1:40123}. */
    public URI endpoint() {
        return endpoint;
    }

    /** The S3Mock process id (for checks of its sockets). */
    long pid() {
        return process.pid();
    }

    /** A new client for the server (path style, dummy credentials, checksums only when required). */
    public S3Client newClient() {
        return S3Client.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("s3mock", "s3mock")))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .build();
    }

    static S3MockServer start() {
        String jarProperty = System.getProperty("leasehold.s3mock.jar", "target/s3mock/s3mock-exec.jar");
        Path jar = Paths.get(jarProperty);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("S3Mock exec jar not found at " + jar.toAbsolutePath()
                    + "; run the tests through Maven (maven-dependency-plugin copies it)");
        }
        try {
            int port = freePort();
            int unusedHttpPort = freePort();
            URL loopbackBeans = S3MockServer.class.getResource("/s3mock-loopback.xml");
            if (loopbackBeans == null) {
                throw new IllegalStateException("test resource s3mock-loopback.xml not on the class path");
            }
            Path dir = Files.createDirectories(Paths.get("target", "s3mock"));
            Path root = Files.createTempDirectory(dir, "store-");
            Path log = dir.resolve("s3mock-" + port + ".log");
            List<String> command = new ArrayList<>(List.of(
                    Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", jar.toAbsolutePath().toString(),
                    "--server.port=" + port, "--server.address=127.0.0.1", "--server.ssl.enabled=false",
                    "--com.adobe.testing.s3mock.httpPort=" + unusedHttpPort,
                    "--com.adobe.testing.s3mock.store.initialBuckets=" + BUCKET,
                    "--com.adobe.testing.s3mock.store.root=" + root.toAbsolutePath(),
                    "--spring.main.sources=" + loopbackBeans,
                    "--logging.level.root=WARN"));
            ServerProcess p = ServerProcess.builder("s3mock", command).log(log).stopGrace(Duration.ofSeconds(10)).start();
            URI endpoint = URI.create("http://127.0.0.1:" + port);
            S3MockServer server = new S3MockServer(p, endpoint, log);
            server.awaitReady(Duration.ofSeconds(90));
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start S3Mock", e);
        }
    }

    private void awaitReady(Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                process.close(); // its watchdog and record
                throw new IllegalStateException("S3Mock exited with " + process.exitValue() + "; see " + log.toAbsolutePath());
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(endpoint.resolve("/" + BUCKET))
                        .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        close();
        throw new IllegalStateException("S3Mock did not answer within " + timeout + "; see " + log.toAbsolutePath());
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        if (process != null) {
            process.close();
        }
    }
}
