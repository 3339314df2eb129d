package io.leasehold.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.leasehold.core.Capabilities;
import io.leasehold.core.Capability;
import io.leasehold.core.ErrorCode;
import io.leasehold.core.GetOptions;
import io.leasehold.core.GetResult;
import io.leasehold.core.NotSupportedException;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.PreconditionFailedException;
import io.leasehold.core.PutMode;
import io.leasehold.core.PutOptions;
import io.leasehold.core.ReadConsistency;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.function.Executable;

/** Helpers shared by the contracts (not API). */
final class Support {
    /** What a conditional read answered. */
    enum Verdict {
        OBJECT,
        NOT_MODIFIED,
        PRECONDITION_FAILED
    }

    private Support() {
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** The consistency a conditional write may ask for on this store without NotSupported. */
    static ReadConsistency strongest(Store store) {
        return store.capabilities().supports(Capability.STRONG_READS) ? ReadConsistency.STRONG : ReadConsistency.EVENTUAL;
    }

    static PutOptions.Builder putOptions(Store store) {
        return PutOptions.builder().consistency(strongest(store));
    }

    static PutOptions mode(Store store, PutMode mode) {
        return putOptions(store).mode(mode).build();
    }

    /** The capabilities a put needs. */
    static Set<Capability> required(PutOptions o) {
        Set<Capability> r = EnumSet.noneOf(Capability.class);
        switch (o.mode().kind()) {
            case CREATE:
                r.add(Capability.PUT_IF_ABSENT);
                break;
            case REPLACE:
                r.add(Capability.PUT_IF_PRESENT);
                break;
            case UPDATE:
                r.add(Capability.PUT_IF_MATCH);
                break;
            default:
                break;
        }
        o.ifModifiedSince().ifPresent(t -> r.add(Capability.PUT_IF_MODIFIED_SINCE));
        o.ifUnmodifiedSince().ifPresent(t -> r.add(Capability.PUT_IF_UNMODIFIED_SINCE));
        if (!o.userMetadata().isEmpty()) {
            r.add(Capability.USER_METADATA);
        }
        return r;
    }

    /** The capabilities a get or head needs. */
    static Set<Capability> required(GetOptions o) {
        Set<Capability> r = EnumSet.noneOf(Capability.class);
        o.ifMatch().ifPresent(t -> r.add(Capability.GET_IF_MATCH));
        o.ifNoneMatch().ifPresent(t -> r.add(Capability.GET_IF_NONE_MATCH));
        o.ifModifiedSince().ifPresent(t -> r.add(Capability.GET_IF_MODIFIED_SINCE));
        o.ifUnmodifiedSince().ifPresent(t -> r.add(Capability.GET_IF_UNMODIFIED_SINCE));
        if (o.consistency() == ReadConsistency.STRONG) {
            r.add(Capability.STRONG_READS);
        }
        return r;
    }

    static boolean supportsAll(Capabilities c, Set<Capability> needed) {
        return needed.stream().allMatch(c::supports);
    }

    static void assertNotSupported(Executable call) {
        NotSupportedException e = assertThrows(NotSupportedException.class, call,
                "a missing capability must be refused with NotSupportedException, never ignored");
        assertEquals(ErrorCode.NOT_SUPPORTED, e.code());
    }

    /**
     * Asserts what get AND head answer (case 9: same verdicts), or NotSupported from both when the
     * store lacks a capability the options need.
     */
    static void assertReadVerdict(Store store, String key, GetOptions options, Verdict expected, byte[] content) {
        if (!supportsAll(store.capabilities(), required(options))) {
            assertNotSupported(() -> store.get(key, options));
            assertNotSupported(() -> store.head(key, options));
            return;
        }
        for (boolean withContent : new boolean[] {true, false}) {
            String op = (withContent ? "get" : "head") + " with " + options;
            Verdict actual;
            GetResult result = null;
            try {
                result = withContent ? store.get(key, options) : store.head(key, options);
                actual = result.isNotModified() ? Verdict.NOT_MODIFIED : Verdict.OBJECT;
            } catch (PreconditionFailedException e) {
                assertEquals(ErrorCode.PRECONDITION_FAILED, e.code());
                actual = Verdict.PRECONDITION_FAILED;
            }
            assertEquals(expected, actual, op);
            if (actual == Verdict.OBJECT) {
                assertEquals(key, result.info().key(), op);
                assertEquals(content.length, result.info().size(), op);
                if (withContent) {
                    assertArrayEquals(content, result.content(), op);
                } else {
                    assertFalse(result.hasContent(), op);
                }
            }
        }
    }

    /** Asserts a put either does what {@code expectation} checks, or is NotSupported for a missing capability. */
    static boolean supportedOrRefused(Store store, PutOptions options, Executable call) {
        if (supportsAll(store.capabilities(), required(options))) {
            return true;
        }
        assertNotSupported(call);
        return false;
    }

    /**
     * Runs {@code tasks} at once (all released by one gate) on a bounded pool and returns their
     * results; each result is the task's value or the exception it threw.
     */
    static List<Object> race(List<Callable<Object>> tasks, long timeoutSeconds) throws InterruptedException {
        int n = tasks.size();
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch ready = new CountDownLatch(n);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Object>> futures = new ArrayList<>();
            for (Callable<Object> task : tasks) {
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    try {
                        return task.call();
                    } catch (RuntimeException e) {
                        return e;
                    }
                }));
            }
            assertTrue(ready.await(timeoutSeconds, TimeUnit.SECONDS), "workers did not start");
            go.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            List<Object> results = new ArrayList<>();
            for (Future<Object> f : futures) {
                try {
                    results.add(f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
                } catch (ExecutionException e) {
                    results.add(e.getCause());
                } catch (TimeoutException e) {
                    fail("a worker did not finish within " + timeoutSeconds + " s");
                }
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Whether an ambiguous write on this store can end unsettled ({@code OutcomeUnknownException})
     * even without injected faults: where ETags are content hashes (S3) the library can only settle
     * by write ids, so a write whose base was replaced before the read (e.g. a lost race Ceph RGW
     * answers with 500) stays unknown. Where every write gets a new ETag it is always settled.
     *
     * @param store the store
     * @return true if unknown outcomes are possible without faults
     */
    static boolean mayLeaveUnknown(Store store) {
        return !store.capabilities().supports(Capability.ETAG_CHANGES_ON_IDENTICAL_REWRITE);
    }
}
