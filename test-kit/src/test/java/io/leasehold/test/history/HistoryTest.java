package io.leasehold.test.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The recorder: exactly-once completion, the line format, merging parts from other JVMs. */
class HistoryTest {

    @Test
    void anOperationIsCompletedExactlyOnce() {
        History h = History.create();
        History.Op op = h.invoke("p1", "k", Counter.add(1));
        op.ok(Counter.value(1));
        assertThrows(IllegalStateException.class, () -> op.unknown("late"));
        assertEquals(Response.Kind.OK, h.operations().get(0).response().kind());
        assertThrows(IllegalArgumentException.class, () -> h.invoke("p1", "k", Counter.get()).ok(Response.refused("x")));
        assertThrows(IllegalArgumentException.class, () -> h.invoke("", "k", Counter.get()));
    }

    @Test
    void operationsNotYetCompletedShowAsUnknown() {
        History h = History.create();
        h.invoke("p1", "k", Counter.add(1));
        Operation op = h.operations().get(0);
        assertEquals(Response.Kind.UNKNOWN, op.response().kind());
        assertFalse(op.completedAt().isPresent());
    }

    @Test
    void theLineFormatRoundTripsAnything() {
        AtomicLong clock = new AtomicLong(-5);
        History h = History.create(clock::get);
        h.invoke("worker 1|%", "tenant/ä b=c", Call.of("put").with("content", "").with("odd", "a b|c=d%e\n€")).ok();
        clock.set(7);
        h.invoke("p2", "k", Counter.get()).refused(Response.NOT_FOUND);
        h.invoke("p3", "k", Counter.add(-3)).unknown("504 after forwarding");
        h.invoke("p4", "k", Counter.add(2)).failed("");
        h.invoke("p5", "k", Counter.add(1));
        h.invoke("p6", "k", Counter.get()).ok(Counter.value(-2).with("note", "x y"));
        StringWriter out = new StringWriter();
        h.writeTo(out);
        History back = History.read(new StringReader("# a comment\n\n" + out));
        assertEquals(h.operations(), back.operations());
        StringWriter again = new StringWriter();
        back.writeTo(again);
        assertEquals(out.toString(), again.toString());
        assertTrue(out.toString().lines().allMatch(line -> line.length() < 200), out::toString);
    }

    @Test
    void badInputNamesTheLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> History.read(new StringReader("leasehold-history v1\nop p k 1 2 get | maybe %\n")));
        assertTrue(e.getMessage().startsWith("line 2:"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> History.read(new StringReader("op p k 1 2 get | ok %\n")));
    }

    @Test
    void partsMerge(@TempDir Path dir) {
        AtomicLong clock = new AtomicLong();
        History a = History.create(clock::get);
        History b = History.create(clock::get);
        clock.set(0);
        History.Op first = a.invoke("a1", "k", Counter.add(1));
        clock.set(5);
        History.Op second = b.invoke("b1", "k", Counter.add(1));
        clock.set(10);
        first.ok(Counter.value(2));
        second.ok(Counter.value(1));
        b.writeTo(dir.resolve("b.history"));
        History merged = History.merge(a, History.read(dir.resolve("b.history")));
        assertEquals(2, merged.size());
        assertEquals(List.of("a1", "b1"), merged.operations().stream().map(Operation::process).collect(java.util.stream.Collectors.toList()));
        assertTrue(Checker.check(merged, Models.counter()).isOk());
    }

    /** Eight threads on a correct counter: the history checks out. On a racy one: lost updates, caught. */
    @Test
    void threadsOnARealCounter() throws Exception {
        Object lock = new Object();
        long[] value = {0};
        History good = record(8, 200, delta -> {
            synchronized (lock) {
                value[0] += delta;
                return value[0];
            }
        }, () -> {
            synchronized (lock) {
                return value[0];
            }
        });
        CheckResult ok = Checker.check(good, Models.counter());
        System.out.println(ok.report());
        assertTrue(ok.isOk(), ok::report);

        long[] racy = {0};
        History bad = record(8, 40, delta -> {
            long read = racy[0];                         // read, think, write: the classic lost update
            Thread.sleep(1);
            racy[0] = read + delta;
            return read + delta;
        }, () -> racy[0]);
        CheckResult anomaly = Checker.check(bad, Models.counter());
        System.out.println(anomaly.report());
        assertEquals(CheckResult.Verdict.ANOMALY, anomaly.verdict(), anomaly::report);
    }

    private interface Add {
        long add(long delta) throws Exception;
    }

    private interface Read {
        long read() throws Exception;
    }

    private static History record(int threads, int perThread, Add add, Read read) throws Exception {
        History h = History.create();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<java.util.concurrent.Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String process = "t" + t;
            done.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < perThread; i++) {
                    if (i % 5 == 4) {
                        History.Op op = h.invoke(process, "counter", Counter.get());
                        op.ok(Counter.value(read.read()));
                    } else {
                        long delta = i % 2 == 0 ? 1 : -1;
                        History.Op op = h.invoke(process, "counter", Counter.add(delta));
                        op.ok(Counter.value(add.add(delta)));
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (java.util.concurrent.Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        return h;
    }

    /**
     * A child JVM and this one increment one counter kept in a file under a file lock; the child
     * writes its part of the history to a file, the parent merges it with its own. The merged
     * history is linearizable only if System.nanoTime stamps of the two JVMs are comparable.
     */
    @Test
    void aChildJvmRecordsItsPartAndTheParentMergesIt(@TempDir Path dir) throws Exception {
        Path counter = dir.resolve("counter");
        Files.write(counter, new byte[8]);
        Path part = dir.resolve("child.history");
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classpath,
                ChildRecorder.class.getName(), counter.toString(), part.toString(), "300")
                .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        try {
            History mine = History.create();
            ChildRecorder.run(mine, "parent", counter, 300);
            assertTrue(child.waitFor(120, TimeUnit.SECONDS), "child did not finish");
            assertEquals(0, child.exitValue(), () -> read(dir.resolve("child.log")));
        } finally {
            child.destroyForcibly();
        }
        History merged = History.merge(History.read(part), ChildRecorder.last);
        assertEquals(600, merged.size());
        CheckResult r = Checker.check(merged, Models.counter());
        System.out.println(r.report());
        assertTrue(r.isOk(), r::report);
        long childOps = merged.operations().stream().filter(op -> op.process().equals("child")).count();
        assertEquals(300, childOps);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** The child's main: increments and reads the file counter, then writes its history. */
    static final class ChildRecorder {
        static History last;

        public static void main(String[] args) throws Exception {
            History h = History.create();
            run(h, "child", Path.of(args[0]), Integer.parseInt(args[2]));
            h.writeTo(Path.of(args[1]));
        }

        static void run(History h, String process, Path counter, int operations) throws IOException {
            last = h;
            try (FileChannel channel = FileChannel.open(counter, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                for (int i = 0; i < operations; i++) {
                    boolean read = i % 4 == 3;
                    History.Op op = h.invoke(process, "file-counter", read ? Counter.get() : Counter.add(1));
                    long value;
                    FileLock lock = channel.lock();
                    try {
                        ByteBuffer buffer = ByteBuffer.allocate(8);
                        channel.read(buffer, 0);
                        value = buffer.flip().getLong() + (read ? 0 : 1);
                        if (!read) {
                            channel.write(ByteBuffer.allocate(8).putLong(value).flip(), 0);
                        }
                    } finally {
                        lock.release();
                    }
                    op.ok(Counter.value(value));
                }
            }
        }
    }
}
