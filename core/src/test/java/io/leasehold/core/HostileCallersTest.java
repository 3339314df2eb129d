package io.leasehold.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.leasehold.driver.file.FileDriver;
import io.leasehold.driver.memory.MemoryDriver;
import io.leasehold.spi.PutResponse;
import io.leasehold.spi.StoreDriver;
import io.leasehold.spi.kit.ForwardingStoreDriver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Callers that break the rules of {@link ObjectStore#update} — functions that throw {@link Error}s or
 * checked exceptions sneakily, listeners that throw, nested updates of other keys, interrupted
 * callers — on the embedded stores. For each: nothing hangs, the callers not at fault succeed, and
 * the stored value equals the number of increments reported as applied.
 */
class HostileCallersTest {
    private static final int TIMEOUT_SECONDS = 30;

    @TempDir
    static Path dir;

    static Stream<Function<String, StoreDriver>> stores() {
        return Stream.of(name -> MemoryDriver.create(), name -> FileDriver.open(dir.resolve(name)));
    }

    private static byte[] increment(byte[] current) {
        long n = current == null ? 0 : Long.parseLong(new String(current, StandardCharsets.UTF_8));
        return Long.toString(n + 1).getBytes(StandardCharsets.UTF_8);
    }

    private static long value(ObjectStore store, String key) {
        return Long.parseLong(new String(store.get(key).content(), StandardCharsets.UTF_8));
    }

    /** Runs tasks concurrently, released together; each task's result or what it threw, within the timeout. */
    private static List<Object> race(List<Callable<Object>> tasks) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Object>> futures = new ArrayList<>();
            for (Callable<Object> t : tasks) {
                futures.add(pool.submit(() -> {
                    go.await();
                    try {
                        return t.call();
                    } catch (Throwable e) {
                        return e;
                    }
                }));
            }
            go.countDown();
            List<Object> results = new ArrayList<>();
            for (Future<Object> f : futures) {
                try {
                    results.add(f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
                } catch (java.util.concurrent.ExecutionException e) {
                    results.add(e.getCause());
                } catch (java.util.concurrent.TimeoutException e) {
                    fail("an update hung for " + TIMEOUT_SECONDS + " s");
                }
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> void sneakyThrow(Throwable t) throws E {
        throw (E) t;
    }

    @ParameterizedTest
    @MethodSource("stores")
    void functionsThrowingErrorsOrSneakyCheckedExceptionsFailOnlyTheirCallers(Function<String, StoreDriver> open)
            throws Exception {
        try (ObjectStore store = ObjectStore.of(open.apply("errors"))) {
            store.put("c", "0".getBytes(StandardCharsets.UTF_8));
            List<Throwable> planted = List.of(new AssertionError("assertion in fn"), new StackOverflowError(),
                    new IOException("checked, thrown sneakily"), new OutOfMemoryError("pretend"));
            List<Callable<Object>> tasks = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                Throwable bad = t % 4 == 0 ? planted.get(t / 4) : null;
                tasks.add(() -> store.update("c", current -> {
                    if (bad != null) {
                        sneakyThrow(bad);
                    }
                    return increment(current);
                }));
            }
            List<Object> results = race(tasks);
            int succeeded = 0;
            for (int t = 0; t < results.size(); t++) {
                Object r = results.get(t);
                if (t % 4 == 0) {
                    assertSame(planted.get(t / 4), r, "the caller gets exactly what its function threw");
                } else {
                    assertInstanceOf(UpdateResult.class, r);
                    succeeded++;
                }
            }
            assertEquals(12, succeeded);
            assertEquals(12, value(store, "c"));
            // The key is not wedged: later updates go through at once.
            assertEquals(13, Long.parseLong(new String(store.update("c", HostileCallersTest::increment).content(),
                    StandardCharsets.UTF_8)));
        }
    }

    @ParameterizedTest
    @MethodSource("stores")
    void listenersThatThrowChangeNoOutcome(Function<String, StoreDriver> open) throws Exception {
        try (ObjectStore store = ObjectStore.of(open.apply("listeners"))) {
            UpdateListener throwing = new UpdateListener() {
                @Override
                public void onWriteSent(String key, int attempt, String writeId) {
                    throw new IllegalStateException("audit log full");
                }

                @Override
                public void onSuccess(UpdateResult result) {
                    throw new AssertionError("a listener bug");
                }

                @Override
                public void onConflict(String key, int attempt, ObjectStoreException cause) {
                    throw new StackOverflowError();
                }
            };
            List<Callable<Object>> tasks = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                UpdateOptions options = t % 2 == 0 ? UpdateOptions.builder().listener(throwing).build()
                        : UpdateOptions.defaults();
                tasks.add(() -> store.update("c", HostileCallersTest::increment, options));
            }
            for (Object r : race(tasks)) {
                assertInstanceOf(UpdateResult.class, r, "no caller fails because of a listener: " + r);
            }
            assertEquals(16, value(store, "c"));
            assertEquals(17, Long.parseLong(new String(store.update("c", HostileCallersTest::increment).content(),
                    StandardCharsets.UTF_8)));
        }
    }

    @ParameterizedTest
    @MethodSource("stores")
    void nestedUpdatesOfTwoKeysFromTwoThreadsDoNotDeadlock(Function<String, StoreDriver> open) throws Exception {
        try (ObjectStore store = ObjectStore.of(open.apply("nested"))) {
            int rounds = 50;
            AtomicInteger nestedX = new AtomicInteger();
            AtomicInteger nestedY = new AtomicInteger();
            Callable<Object> onX = () -> {
                for (int i = 0; i < rounds; i++) {
                    store.update("x", current -> {
                        store.update("y", HostileCallersTest::increment);
                        nestedY.incrementAndGet();
                        return increment(current);
                    });
                }
                return null;
            };
            Callable<Object> onY = () -> {
                for (int i = 0; i < rounds; i++) {
                    store.update("y", current -> {
                        store.update("x", HostileCallersTest::increment);
                        nestedX.incrementAndGet();
                        return increment(current);
                    });
                }
                return null;
            };
            for (Object r : race(List.of(onX, onY, onX, onY))) {
                assertEquals(null, r);
            }
            assertEquals(2 * rounds + nestedX.get(), value(store, "x"), "outer increments plus every nested one");
            assertEquals(2 * rounds + nestedY.get(), value(store, "y"));
        }
    }

    @ParameterizedTest
    @MethodSource("stores")
    void interruptingTheCallerThatRunsABatchAffectsOnlyThatCaller(Function<String, StoreDriver> open)
            throws Exception {
        LosingFirstWrites driver = new LosingFirstWrites(open.apply("interrupt"));
        try (ObjectStore store = ObjectStore.of(driver)) {
            store.put("c", "0".getBytes(StandardCharsets.UTF_8));
            driver.loseNext(3); // the batch loses three races in a row: its driver waits between attempts
            int callers = 8;
            List<Callable<Object>> tasks = new ArrayList<>();
            for (int t = 0; t < callers; t++) {
                tasks.add(() -> store.update("c", HostileCallersTest::increment));
            }
            Thread interrupter = new Thread(() -> {
                try {
                    Thread leader = driver.firstLoser.take();
                    leader.interrupt();
                } catch (InterruptedException ignored) {
                    // the test ended
                }
            });
            interrupter.start();
            List<Object> results = race(tasks);
            interrupter.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
            int succeeded = 0;
            int unknown = 0;
            int interrupted = 0;
            for (Object r : results) {
                if (r instanceof UpdateResult) {
                    succeeded++;
                } else if (r instanceof OutcomeUnknownException) {
                    unknown++;
                } else {
                    assertInstanceOf(ObjectStoreException.class, r);
                    assertInstanceOf(InterruptedException.class, ((Throwable) r).getCause(), String.valueOf(r));
                    interrupted++;
                }
            }
            assertTrue(succeeded >= callers - 1, "only the interrupted caller may fail: " + results);
            assertEquals(callers, succeeded + unknown + interrupted);
            long stored = value(store, "c");
            assertTrue(stored >= succeeded && stored <= succeeded + unknown,
                    "stored " + stored + ", reported applied " + succeeded + ", unknown " + unknown);
        }
    }

    /** Puts that lose their race (412, nothing applied) on request, remembering the thread that sent the first loser. */
    static final class LosingFirstWrites extends ForwardingStoreDriver {
        final AtomicInteger toLose = new AtomicInteger();
        final java.util.concurrent.BlockingQueue<Thread> firstLoser = new java.util.concurrent.LinkedBlockingQueue<>();
        final AtomicReference<Thread> reported = new AtomicReference<>();

        LosingFirstWrites(StoreDriver delegate) {
            super(delegate);
        }

        void loseNext(int n) {
            toLose.set(n);
        }

        @Override
        public PutResponse put(String key, byte[] content, PutOptions options) {
            if (toLose.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
                if (reported.compareAndSet(null, Thread.currentThread())) {
                    firstLoser.add(Thread.currentThread());
                }
                throw new PreconditionFailedException(key, "injected: another writer won", null);
            }
            return super.put(key, content, options);
        }
    }

    @ParameterizedTest
    @MethodSource("stores")
    void aWriteWhoseAnswerWasLostIsNotAppliedAgainWhenItsTraceIsGone(Function<String, StoreDriver> open) {
        StoreDriver base = open.apply("overflow");
        try (ObjectStore other = ObjectStore.of(new ForwardingStoreDriver(base) {
            @Override
            public void close() {
                // shared
            }
        })) {
            other.put("c", "0".getBytes(StandardCharsets.UTF_8));
            AtomicInteger puts = new AtomicInteger();
            ForwardingStoreDriver lossy = new ForwardingStoreDriver(base) {
                @Override
                public PutResponse put(String key, byte[] content, PutOptions options) {
                    PutResponse landed = super.put(key, content, options);
                    if (puts.incrementAndGet() == 1) {
                        // 13 writes by others follow before anyone reads: more than the history keeps.
                        for (int i = 0; i < 13; i++) {
                            other.update("c", HostileCallersTest::increment);
                        }
                        throw new OutcomeUnknownException(key, "injected: the answer was lost after the write landed", null);
                    }
                    return landed;
                }
            };
            try (ObjectStore store = ObjectStore.of(lossy)) {
                OutcomeUnknownException e = org.junit.jupiter.api.Assertions.assertThrows(OutcomeUnknownException.class,
                        () -> store.update("c", HostileCallersTest::increment));
                assertNotNull(e.writeId().orElse(null), "the unknown write names its write id");
                assertEquals(14, value(store, "c"), "13 writes by others and ours once, never twice");
            }
        }
    }
}
