package io.leasehold.tck.faults;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leasehold.core.ErrorCode;
import io.leasehold.core.GetOptions;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.transfer.ObjectStream;
import io.leasehold.core.transfer.TransferOptions;
import io.leasehold.core.TransientException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * Downloads whose connections drop part-way, through a {@link FaultProxy} in front of a real server:
 * the download resumes from the last byte received with a range request pinned by {@code If-Match},
 * returns exactly the bytes stored, and gives up with {@link TransientException} when the connection
 * keeps dropping without progress. The same checks run on every server ({@link FaultTarget}).
 *
 * <p>Thread-safety: one instance per test; not thread-safe.
 */
public final class DownloadResumption {
    private static final int MIB = 1 << 20;

    private final FaultTarget target;

    /**
     * For a server.
     *
     * @param target the server and how to reach it through the proxy
     */
    public DownloadResumption(FaultTarget target) {
        this.target = target;
    }

    /**
     * A 6 MiB object read in 4 MiB ranges: the first range drops after 1.5 MiB, the request resuming
     * it after another 0.5 MiB, the next after 1 MiB. The stream returns the stored bytes, and every
     * request after the first carries {@code If-Match} and starts at the first byte not yet received.
     * Then the same into a file, with a resumed request that drops before its first byte.
     *
     * @return the ranges requested, as {@code start-end If-Match}, for the report
     */
    public List<String> resumesFromTheLastByte() {
        byte[] content = new byte[6 * MIB + 123];
        new Random(7).nextBytes(content);
        List<WireRequest> seen = Collections.synchronizedList(new ArrayList<>());
        try (FaultProxy proxy = FaultProxy.builder(target.upstream()).dialect(target.dialect()).start();
             ObjectStore store = target.openThrough(proxy.endpoint())) {
            String key = "tck/resume/" + UUID.randomUUID();
            store.put(key, content);
            RequestMatch watch = recording(seen);
            FaultPlan plan = FaultPlan.builder(1).always(watch, Fault.none()).build();
            proxy.plan(plan);
            plan.enqueue(watch.or(nthGet(seen, 1)), Fault.dropMidBody(3L * MIB / 2));
            plan.enqueue(watch.or(nthGet(seen, 2)), Fault.dropMidBody(MIB / 2));
            plan.enqueue(watch.or(nthGet(seen, 3)), Fault.dropMidBody(MIB));
            TransferOptions ranges = TransferOptions.builder().rangeSize(4L * MIB).build();
            byte[] read;
            Optional<String> verified;
            try (ObjectStream stream = store.openStream(key, GetOptions.defaults(), ranges)) {
                read = stream.content().readAllBytes();
                verified = stream.verifiedChecksum();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            assertArrayEquals(content, read, "a resumed download returns exactly the stored bytes");
            assertEquals(0, plan.pending(), "every planned drop happened: " + describe(seen, key));
            List<String> ranges1 = describe(seen, key);
            assertResumedInOrder(ranges1, 4, new long[] {3L * MIB / 2, MIB / 2, MIB});

            seen.clear();
            seen.clear();
            plan.enqueue(watch.or(nthGet(seen, 1)), Fault.dropMidBody(5L * MIB / 2));
            plan.enqueue(watch.or(nthGet(seen, 2)), Fault.dropMidBody(0));
            Path dir = Files.createTempDirectory("leasehold-resume");
            try {
                Path file = dir.resolve("copy.bin");
                store.getToFile(key, file, GetOptions.defaults(), ranges);
                assertArrayEquals(content, Files.readAllBytes(file));
                assertEquals(0, plan.pending());
                List<String> fileRanges = describe(seen, key);
                assertResumedInOrder(fileRanges, 3, new long[] {5L * MIB / 2, 0});
                assertEquals(start(fileRanges.get(1)), start(fileRanges.get(2)), "a drop before the first byte resumes"
                        + " at the same byte");
            } finally {
                try (var files = Files.list(dir)) {
                    for (Path p : (Iterable<Path>) files::iterator) {
                        Files.delete(p);
                    }
                }
                Files.delete(dir);
            }
            store.delete(key);
            List<String> out = new ArrayList<>(ranges1);
            out.add("(file) " + describe(seen, key));
            out.add("checksum verified: " + verified.orElse("none"));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Every answer drops before its first body byte: the download resumes
     * {@link TransferOptions#resumeAttempts()} times, then fails with {@link ErrorCode#TRANSIENT}.
     */
    public void givesUpWithoutProgress() {
        byte[] content = new byte[2 * MIB];
        new Random(8).nextBytes(content);
        List<WireRequest> seen = Collections.synchronizedList(new ArrayList<>());
        try (FaultProxy proxy = FaultProxy.builder(target.upstream()).dialect(target.dialect()).start();
             ObjectStore store = target.openThrough(proxy.endpoint())) {
            String key = "tck/resume-give-up/" + UUID.randomUUID();
            store.put(key, content);
            proxy.plan(FaultPlan.builder(1).always(recording(seen), Fault.none())
                    .always(RequestMatch.method("GET"), Fault.dropMidBody(0)).build());
            TransferOptions options = TransferOptions.builder().resumeAttempts(3).build();
            TransientException e = assertThrows(TransientException.class, () -> {
                try (ObjectStream stream = store.openStream(key, GetOptions.defaults(), options)) {
                    stream.content().readAllBytes();
                }
            });
            assertEquals(ErrorCode.TRANSIENT, e.code());
            proxy.plan(FaultPlan.none());
            store.delete(key);
            assertEquals(1 + 3, describe(seen, key).size(), "the first request and 3 resumes, then it gives up");
        }
    }

    /** Records every request the plan looks at (once each), and never selects any. */
    private static RequestMatch recording(List<WireRequest> seen) {
        Set<WireRequest> once = Collections.newSetFromMap(Collections.synchronizedMap(new IdentityHashMap<>()));
        return r -> {
            if (once.add(r)) {
                seen.add(r);
            }
            return false;
        };
    }

    /** The n-th GET (from 1) among the requests recorded so far, which must include this one. */
    private static RequestMatch nthGet(List<WireRequest> seen, int n) {
        return r -> {
            if (!r.method().equals("GET")) {
                return false;
            }
            int index = 0;
            synchronized (seen) {
                for (WireRequest s : seen) {
                    if (s.method().equals("GET")) {
                        index++;
                        if (s == r) {
                            return index == n;
                        }
                    }
                }
            }
            return false;
        };
    }

    /**
     * The first GET reads from byte 0 without If-Match; every later one carries If-Match and starts
     * no earlier than the one before; each request after a drop starts at most as far as the dropped
     * one's start plus the bytes the proxy let through (a client may lose the last bytes of a dropped
     * answer, never gain: Azure's reactive client discards buffers not yet read when the body fails).
     */
    private static void assertResumedInOrder(List<String> ranges, int atLeast, long[] letThrough) {
        assertTrue(ranges.size() >= atLeast, "requests: " + ranges);
        assertEquals(0, start(ranges.get(0)), "the first range starts at byte 0: " + ranges);
        assertTrue(!ranges.get(0).endsWith("If-Match"), "the first request carries no If-Match: " + ranges);
        for (int i = 1; i < ranges.size(); i++) {
            assertTrue(ranges.get(i).endsWith("If-Match"), "every later request is pinned with If-Match: " + ranges);
            long before = start(ranges.get(i - 1));
            long now = start(ranges.get(i));
            assertTrue(now >= before, "requests never go back: " + ranges);
            if (i <= letThrough.length) {
                assertTrue(now <= before + letThrough[i - 1], "request " + (i + 1)
                        + " resumes at or before the byte where the previous answer was cut: " + ranges);
            }
        }
    }

    private static long start(String range) {
        return Long.parseLong(range.substring(0, range.indexOf('-')));
    }

    private static Optional<String> range(WireRequest r) {
        Optional<String> range = r.header("Range");
        return range.isPresent() ? range : r.header("x-ms-range");
    }

    /** The GETs of the key, as {@code start-end}, with {@code If-Match} where they carried it. */
    private static List<String> describe(List<WireRequest> seen, String key) {
        List<String> out = new ArrayList<>();
        synchronized (seen) {
            for (WireRequest r : seen) {
                if (r.method().equals("GET") && r.path().endsWith(key.substring(key.lastIndexOf('/') + 1))) {
                    String range = range(r).orElse("bytes=whole").substring("bytes=".length());
                    out.add(range + (r.hasHeader("If-Match") ? " If-Match" : ""));
                }
            }
        }
        assertTrue(out.size() > 0, "the proxy saw the downloads");
        return out;
    }
}
