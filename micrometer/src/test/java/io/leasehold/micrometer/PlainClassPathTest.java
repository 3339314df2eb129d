package io.leasehold.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leasehold.core.ObjectStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What a user of core + micrometer outside Spring gets: exactly the runtime class path Maven gives
 * them (written by the build to {@code target/runtime-classpath.txt}), in a child JVM. No Kotlin, no
 * SLF4J, and nothing printed to stderr (SLF4J without a binding prints its "no providers" or
 * "StaticLoggerBinder" warning as soon as Micrometer looks for it).
 */
class PlainClassPathTest {

    /** Runs in the child JVM: a store with metrics, a put and an update. */
    public static void main(String[] args) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (ObjectStore store = ObjectStore.builder()
                .uri("mem://plain-class-path")
                .observer(LeaseholdMetrics.builder(registry).build())
                .build()) {
            store.put("k", "1".getBytes(StandardCharsets.US_ASCII));
            store.update("k", current -> "2".getBytes(StandardCharsets.US_ASCII));
        }
        System.out.println("meters " + registry.getMeters().size());
    }

    private static List<String> runtimeClassPath() throws Exception {
        Path file = Path.of("target", "runtime-classpath.txt");
        assertTrue(Files.isRegularFile(file), "the build writes " + file + " (maven-dependency-plugin build-classpath)");
        return Arrays.stream(Files.readString(file).strip().split(File.pathSeparator))
                .filter(entry -> !entry.isBlank())
                .collect(Collectors.toList());
    }

    @Test
    void coreAndMicrometerBringNeitherKotlinNorSlf4j() throws Exception {
        List<String> jars = runtimeClassPath().stream().map(p -> Path.of(p).getFileName().toString()).toList();
        assertTrue(jars.stream().anyMatch(j -> j.startsWith("resilience4j-retry")), "resilience4j is there: " + jars);
        assertEquals(List.of(), jars.stream().filter(j -> j.contains("kotlin") || j.contains("slf4j")
                || j.startsWith("annotations-")).toList(), "unneeded jars on a core + micrometer class path");
    }

    @Test
    void aPlainJvmPrintsNoSlf4jWarning() throws Exception {
        String classPath = String.join(File.pathSeparator, Path.of("target", "classes").toString(),
                Path.of("target", "test-classes").toString(), String.join(File.pathSeparator, runtimeClassPath()));
        Path stdout = Files.createTempFile("plain-jvm", ".out");
        Path stderr = Files.createTempFile("plain-jvm", ".err");
        try {
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", classPath, PlainClassPathTest.class.getName())
                    .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child JVM finished");
            String out = Files.readString(stdout);
            String err = Files.readString(stderr);
            assertEquals(0, child.exitValue(), "exit code; stderr: " + err);
            assertTrue(out.startsWith("meters "), "the child ran: " + out);
            assertEquals("", err, "nothing on stderr (no SLF4J warning)");
        } finally {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        }
    }
}
