package io.leasehold.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code put --file} and {@code get --out} stream: a file of several parts round-trips with a
 * progress line when asked; in a child JVM with {@code -Xmx64m} a 96 MiB file round-trips on a file
 * store; with {@code -Dleasehold.large.big=true} (or {@code LEASEHOLD_LARGE_BIG=1}) a 2 GiB file
 * with {@code -Xmx128m}, and the figures are printed; in that mode, with {@code LEASEHOLD_RGW_ENDPOINT}
 * (and its keys) set, also on that Ceph RGW (give it a memstore of several GiB).
 */
class CliLargeFileTest {
    @TempDir
    Path dir;

    private String store() {
        return dir.resolve("store").toUri().toString();
    }

    @Test
    void putFileAndGetOutStreamWithAProgressLine() throws IOException {
        byte[] content = new byte[(3 << 20) + 123];
        new Random(5).nextBytes(content);
        Path source = dir.resolve("source.bin");
        Files.write(source, content);
        Cli.Run put = Cli.run("put", "big", "--file", source.toString(), "--part-size", "1", "--progress",
                "--store=" + store());
        assertEquals(0, put.exit(), put.stderr());
        assertTrue(put.stderr().contains("\rput big: ") && put.stderr().contains("(100%)") && put.stderr().endsWith("\n"),
                "a progress line ending at 100%: " + put.stderr());
        Path target = dir.resolve("copy.bin");
        Cli.Run get = Cli.run("get", "big", "--out", target.toString(), "--progress", "--store=" + store());
        assertEquals(0, get.exit(), get.stderr());
        assertTrue(get.stderr().contains("\rget big: ") && get.stderr().contains("(100%)"), get.stderr());
        assertArrayEquals(content, Files.readAllBytes(target));
        Cli.Run toStdout = Cli.run("get", "big", "--store=" + store());
        assertEquals(0, toStdout.exit());
        assertArrayEquals(content, toStdout.stdoutBytes());
        assertEquals("", toStdout.stderr(), "no progress line where stderr is not a terminal");
    }

    @Test
    void largeFileRoundTripsWithASmallHeap() throws Exception {
        boolean big = Boolean.getBoolean("leasehold.large.big") || "1".equals(System.getenv("LEASEHOLD_LARGE_BIG"));
        long size = big ? 2L << 30 : 96L << 20;
        String heap = big ? "128m" : "64m";
        Path source = dir.resolve("large.bin");
        String sent = generate(source, size);
        roundTrip("a file store", store(), Map.of(), heap, source, size, sent);
        String rgw = System.getenv("LEASEHOLD_RGW_ENDPOINT");
        if (big && rgw != null) {
            roundTrip("Ceph RGW", "s3://leasehold?endpoint=" + rgw + "&profile=ceph-rgw",
                    Map.of("AWS_ACCESS_KEY_ID", System.getenv("LEASEHOLD_RGW_ACCESS_KEY"),
                            "AWS_SECRET_ACCESS_KEY", System.getenv("LEASEHOLD_RGW_SECRET_KEY"), "AWS_REGION", "us-east-1"),
                    heap, source, size, sent);
            runCli(heap, Map.of("AWS_ACCESS_KEY_ID", System.getenv("LEASEHOLD_RGW_ACCESS_KEY"),
                    "AWS_SECRET_ACCESS_KEY", System.getenv("LEASEHOLD_RGW_SECRET_KEY"), "AWS_REGION", "us-east-1"),
                    "delete", "large", "--store=s3://leasehold?endpoint=" + rgw + "&profile=ceph-rgw");
        }
        Files.delete(source);
    }

    private void roundTrip(String where, String storeUri, Map<String, String> env, String heap, Path source, long size,
                           String sent) throws Exception {
        Path target = dir.resolve("large-copy.bin");
        long t0 = System.nanoTime();
        String put = runCli(heap, env, "put", "large", "--file", source.toString(), "--store=" + storeUri);
        long t1 = System.nanoTime();
        runCli(heap, env, "get", "large", "--out", target.toString(), "--store=" + storeUri);
        long t2 = System.nanoTime();
        assertTrue(put.contains("\"size\":" + size), put);
        assertEquals(sent, sha256(target), "get --out wrote exactly the bytes put --file read");
        System.out.printf("[cli] %d MiB with -Xmx%s on %s: put --file %.1f s (%.1f MiB/s), get --out %.1f s"
                + " (%.1f MiB/s)%n", size >> 20, heap, where, (t1 - t0) / 1e9, (size >> 20) / ((t1 - t0) / 1e9),
                (t2 - t1) / 1e9, (size >> 20) / ((t2 - t1) / 1e9));
        Files.delete(target);
    }

    /** Runs the CLI in a child JVM with the given heap; returns stdout, fails on a non-zero exit. */
    static String runCli(String heap, Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-cp", System.getProperty("java.class.path"), LeaseholdCli.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.PIPE);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = p.waitFor();
        assertEquals(0, exit, "leasehold " + String.join(" ", args) + " with -Xmx" + heap + ": " + err);
        return out;
    }

    /** Writes {@code size} pseudo-random bytes; returns their SHA-256. */
    private static String generate(Path file, long size) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        SplittableRandom random = new SplittableRandom(11);
        byte[] buffer = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = size; left > 0; ) {
                int n = (int) Math.min(buffer.length, left);
                for (int i = 0; i < n; i += 8) {
                    long r = random.nextLong();
                    for (int j = 0; j < 8 && i + j < n; j++) {
                        buffer[i + j] = (byte) (r >>> (8 * j));
                    }
                }
                out.write(buffer, 0, n);
                sha.update(buffer, 0, n);
                left -= n;
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
