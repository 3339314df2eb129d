package io.leasehold.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.leasehold.core.AsyncObjectStore;
import io.leasehold.core.ObjectStore;
import io.leasehold.tck.AsyncWorkload;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.blockhound.BlockHound;

/**
 * No blocking call (sleep, wait, park, blocking socket or file I/O, as BlockHound instruments them) is
 * made on the threads that must not block while the S3 driver's non-blocking requests serve a
 * concurrent workload on Ceph RGW: Netty's event loops, the SDK's response threads (where the driver's
 * follow-up steps run) and the asynchronous API's callback threads. Blocking calls are recorded rather
 * than thrown, so that the workload ends and every one is reported. Idle pool threads waiting for work
 * are allowed. The control case shows that the instrumentation catches a blocking call on a watched thread.
 *
 * <p>Runs in a JVM of its own (the {@code blockhound} surefire execution), with
 * {@code -XX:+AllowRedefinitionToAddDeleteMethods}, which BlockHound needs on JDK 13 and later.
 */
@ExtendWith(CephRgw.class)
class CephRgwBlockHoundTest {
    private static final List<String> BLOCKING_CALLS = new CopyOnWriteArrayList<>();
    private static final List<String> WATCHED = List.of("aws-java-sdk-NettyEventLoop", "sdk-async-response",
            "leasehold-async-");

    @BeforeAll
    static void install() {
        // With -Dtest=… the default execution runs this class too, without the flag: it runs in its own.
        assumeTrue(Boolean.getBoolean("leasehold.blockhound"),
                "runs in the blockhound surefire execution (needs -XX:+AllowRedefinitionToAddDeleteMethods)");
        BlockHound.builder()
                .nonBlockingThreadPredicate(p -> p.or(t -> WATCHED.stream().anyMatch(t.getName()::startsWith)))
                // A pool thread waiting for its next task is idle, not blocking anything.
                .allowBlockingCallsInside("java.util.concurrent.ThreadPoolExecutor", "getTask")
                // A worker ending (the store closed) takes the pool's lock; no work is waiting on it.
                .allowBlockingCallsInside("java.util.concurrent.ThreadPoolExecutor", "processWorkerExit")
                // Handing a task to a pool or a timer takes the queue's lock for an offer, which never waits
                // for room (the queues are unbounded); contention parks for the length of that offer.
                .allowBlockingCallsInside("java.util.concurrent.ThreadPoolExecutor", "execute")
                .allowBlockingCallsInside("java.util.concurrent.ScheduledThreadPoolExecutor$DelayedWorkQueue", "offer")
                // Known and accepted, each narrowly: write ids come from a SecureRandom, whose Linux
                // source refills its buffer from /dev/urandom (a read that never waits once booted);
                .allowBlockingCallsInside("sun.security.provider.NativePRNG$RandomIO", "implNextBytes")
                // the SDK takes digests for checksums from a small lock-guarded pool and returns them there;
                .allowBlockingCallsInside("software.amazon.awssdk.checksums.internal.DigestAlgorithm", "getDigest")
                .allowBlockingCallsInside("software.amazon.awssdk.checksums.internal.DigestAlgorithm$CloseableMessageDigest", "close")
                // Netty reads /proc/sys/net/core/somaxconn once, when its NetUtil class is initialised.
                .allowBlockingCallsInside("io.netty.util.NetUtil$SoMaxConnAction", "run")
                .blockingMethodCallback(m -> BLOCKING_CALLS.add(Thread.currentThread().getName() + ": " + m
                        + " at " + where()))
                .install();
    }

    private static String where() {
        StringBuilder b = new StringBuilder();
        StackTraceElement[] stack = new Throwable().getStackTrace();
        for (int i = 0; i < Math.min(stack.length, 25); i++) {
            b.append("\n    ").append(stack[i]);
        }
        return b.toString();
    }

    @Test
    void noWatchedThreadBlocksDuringAConcurrentWorkload(CephRgw rgw) throws Exception {
        BLOCKING_CALLS.clear();
        try (ObjectStore store = ObjectStore.of(rgw.driverBuilder().build())) {
            AsyncObjectStore async = store.async();
            assertTrue(async.nonBlocking());
            AsyncWorkload.run(async, 200, 50);
            assertEquals(List.of(), BLOCKING_CALLS);
        }
    }

    @Test
    void aBlockingCallOnAWatchedThreadIsCaught() throws Exception {
        BLOCKING_CALLS.clear();
        AtomicInteger ran = new AtomicInteger();
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ran.incrementAndGet();
        }, "leasehold-async-control");
        t.start();
        t.join();
        assertEquals(1, ran.get());
        assertEquals(1, BLOCKING_CALLS.size(), BLOCKING_CALLS.toString());
    }
}
