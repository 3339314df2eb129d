package io.leasehold.tck;

import io.leasehold.core.GetOptions;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.transfer.ObjectStream;
import io.leasehold.core.PutOptions;
import io.leasehold.core.PutResult;
import io.leasehold.core.transfer.TransferOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * A round trip of a large object through the API in a JVM started with a small heap (e.g.
 * {@code -Xmx64m}): a generated stream (never held in memory) is put, read back as a stream and into
 * a file, and the SHA-256 of each side compared. Prints one line of figures. Run by the
 * small-heap tests in a child JVM, so that the heap limit applies to the transfer alone.
 *
 * <p>Usage: {@code SmallHeapRoundTrip STORE_URI BYTES [known|unknown]}; exit 0 if all digests match.
 *
 * <p>Thread-safety: a program, run once.
 */
public final class SmallHeapRoundTrip {
    private SmallHeapRoundTrip() {
    }

    /**
     * Runs the round trip.
     *
     * @param args store URI, size in bytes, and {@code known} (default) or {@code unknown} length
     * @throws Exception if anything fails (the JVM exits non-zero)
     */
    public static void main(String[] args) throws Exception {
        String uri = args[0];
        long size = Long.parseLong(args[1]);
        boolean known = args.length < 3 || !args[2].equals("unknown");
        String key = "small-heap/" + UUID.randomUUID();
        Path dir = Files.createTempDirectory("leasehold-small-heap");
        Path file = dir.resolve("copy.bin");
        try (ObjectStore store = ObjectStore.open(uri)) {
            MessageDigest sent = sha256();
            long t0 = System.nanoTime();
            PutResult put;
            try (InputStream in = new DigestInputStream(new Generated(size, 42), sent)) {
                put = store.put(key, in, known ? size : ObjectStore.UNKNOWN_LENGTH, PutOptions.defaults(),
                        TransferOptions.defaults());
            }
            long t1 = System.nanoTime();
            MessageDigest streamed = sha256();
            String verified;
            try (ObjectStream stream = store.openStream(key, GetOptions.defaults(), TransferOptions.defaults())) {
                byte[] buffer = new byte[64 * 1024];
                InputStream in = stream.content();
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    streamed.update(buffer, 0, n);
                }
                verified = stream.verifiedChecksum().orElse("none");
            }
            long t2 = System.nanoTime();
            store.getToFile(key, file, GetOptions.defaults(), TransferOptions.defaults());
            long t3 = System.nanoTime();
            MessageDigest filed = sha256();
            try (InputStream in = new DigestInputStream(Files.newInputStream(file), filed)) {
                in.transferTo(OutputStreamNull.INSTANCE);
            }
            store.delete(key);
            String a = HexFormat.of().formatHex(sent.digest());
            String b = HexFormat.of().formatHex(streamed.digest());
            String c = HexFormat.of().formatHex(filed.digest());
            System.out.printf("[small-heap] %s %d bytes (%s length): put %.1f MiB/s, stream %.1f MiB/s, file %.1f MiB/s;"
                            + " checksum verified: %s; heap max %d MiB; size %d; digests %s%n",
                    store.driverName(), size, known ? "known" : "unknown", mibPerSecond(size, t1 - t0),
                    mibPerSecond(size, t2 - t1), mibPerSecond(size, t3 - t2), verified,
                    Runtime.getRuntime().maxMemory() >> 20, put.size(),
                    a.equals(b) && a.equals(c) ? "equal" : "DIFFER");
            if (!a.equals(b) || !a.equals(c) || put.size() != size || Files.size(file) != size) {
                System.exit(3);
            }
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }

    private static double mibPerSecond(long bytes, long nanos) {
        return bytes / 1048576.0 / Math.max(1e-9, nanos / 1e9);
    }

    private static MessageDigest sha256() throws NoSuchAlgorithmException {
        return MessageDigest.getInstance("SHA-256");
    }

    /** Discards what is written. */
    private static final class OutputStreamNull extends java.io.OutputStream {
        static final OutputStreamNull INSTANCE = new OutputStreamNull();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }

    /** {@code size} pseudo-random bytes from a seed, generated as they are read. */
    static final class Generated extends InputStream {
        private final SplittableRandom random;
        private long left;

        Generated(long size, long seed) {
            this.left = size;
            this.random = new SplittableRandom(seed);
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left <= 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            for (int i = 0; i < n; i += 8) {
                long r = random.nextLong();
                for (int j = 0; j < 8 && i + j < n; j++) {
                    b[off + i + j] = (byte) (r >>> (8 * j));
                }
            }
            left -= n;
            return n;
        }
    }

    /**
     * Runs this program in a child JVM with the given heap and the current class path, and returns
     * its output; fails if it exits non-zero.
     *
     * @param heap e.g. {@code 64m}
     * @param storeUri the store
     * @param size bytes
     * @param known whether the length is passed in advance
     * @param env extra environment variables (credentials), or empty
     * @return the child's output
     * @throws IOException if the child cannot be started
     * @throws InterruptedException if interrupted while waiting
     */
    public static String runInChild(String heap, String storeUri, long size, boolean known, java.util.Map<String, String> env)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-cp", System.getProperty("java.class.path"), SmallHeapRoundTrip.class.getName(), storeUri,
                Long.toString(size), known ? "known" : "unknown"));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        int exit = p.waitFor();
        if (exit != 0) {
            throw new AssertionError("the round trip with -Xmx" + heap + " exited " + exit + ":\n" + output);
        }
        return output;
    }
}
