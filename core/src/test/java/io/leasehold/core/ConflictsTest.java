package io.leasehold.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.UncheckedIOException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ConflictsTest {
    private static final ObjectStoreException THROTTLED = new TransientException(ErrorCode.THROTTLED, "k", "slow down", null);
    private static final ObjectStoreException CONFLICT = new TransientException(ErrorCode.CONFLICT, "k", "409 ConditionalRequestConflict", null);
    private static final ObjectStoreException TRANSIENT = new TransientException(ErrorCode.TRANSIENT, "k", "503", null);
    private static final ObjectStoreException PRECONDITION = new PreconditionFailedException("k", "412", null);
    private static final ObjectStoreException EXISTS = new ObjectAlreadyExistsException("k", "exists", null);
    private static final ObjectStoreException UNKNOWN_OUTCOME = new OutcomeUnknownException("k", "timeout", null);

    @Test
    void transientCodesAreRetryable() {
        assertTrue(Conflicts.isRetryable(THROTTLED));
        assertTrue(Conflicts.isRetryable(CONFLICT));
        assertTrue(Conflicts.isRetryable(TRANSIENT));
        for (ObjectStoreException e : new ObjectStoreException[] {PRECONDITION, EXISTS, UNKNOWN_OUTCOME,
                new ObjectNotFoundException("k", "404", null), new AccessDeniedException("k", "403", null),
                new InvalidArgumentException("key", "bad"), new NotSupportedException(null, "no", null)}) {
            assertFalse(Conflicts.isRetryable(e), e.code().toString());
        }
        assertFalse(Conflicts.isRetryable(null));
        assertFalse(Conflicts.isRetryable(new IllegalStateException("not ours")));
    }

    @Test
    void lostRacesAreRetryableOnlyAfterReread() {
        assertTrue(Conflicts.isLostRace(PRECONDITION));
        assertTrue(Conflicts.isLostRace(EXISTS));
        assertFalse(Conflicts.isLostRace(CONFLICT));
        assertFalse(Conflicts.isLostRace(UNKNOWN_OUTCOME));
        assertFalse(Conflicts.isRetryable(PRECONDITION));
        assertTrue(Conflicts.isRetryableAfterReread(PRECONDITION));
        assertTrue(Conflicts.isRetryableAfterReread(EXISTS));
        assertTrue(Conflicts.isRetryableAfterReread(THROTTLED));
        assertFalse(Conflicts.isRetryableAfterReread(UNKNOWN_OUTCOME));
        assertFalse(Conflicts.isRetryableAfterReread(new ObjectNotFoundException("k", "404", null)));
    }

    @Test
    void classifierLooksThroughCauseChains() {
        Throwable wrapped = new CompletionException(new UncheckedIOException(new IOException("io", THROTTLED)));
        assertTrue(Conflicts.isRetryable(wrapped));
        assertEquals(ErrorCode.THROTTLED, Conflicts.codeOf(wrapped));
        assertTrue(Conflicts.isLostRace(new RuntimeException(PRECONDITION)));
        assertEquals(ErrorCode.PRECONDITION_FAILED, Conflicts.codeOf(new RuntimeException(new RuntimeException(PRECONDITION))));
        // The outermost ObjectStoreException decides, even if it wraps a retryable one.
        ObjectStoreException outer = new ObjectStoreException(ErrorCode.UNKNOWN, "k", "driver bug", THROTTLED);
        assertFalse(Conflicts.isRetryable(outer));
        assertEquals(ErrorCode.UNKNOWN, Conflicts.codeOf(outer));
        assertEquals(ErrorCode.UNKNOWN, Conflicts.codeOf(new IllegalStateException()));
        assertEquals(ErrorCode.UNKNOWN, Conflicts.codeOf(null));
    }

    @Test
    void classifierStopsOnDeepOrCyclicChains() {
        Throwable deep = THROTTLED;
        for (int i = 0; i < 20; i++) {
            deep = new RuntimeException("level " + i, deep);
        }
        assertFalse(Conflicts.isRetryable(deep));
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b);
        assertFalse(Conflicts.isRetryable(a));
        assertEquals(ErrorCode.UNKNOWN, Conflicts.codeOf(a));
    }

    @Test
    void fullJitterStaysWithinTheCappedCeiling() {
        IntervalFunction f = Conflicts.fullJitter(Duration.ofMillis(10), Duration.ofMillis(100));
        for (int attempt = 1; attempt <= 40; attempt++) {
            long ceiling = Math.min(100, 10L << Math.min(30, attempt - 1));
            for (int i = 0; i < 200; i++) {
                long wait = f.apply(attempt);
                assertTrue(wait >= 1 && wait <= ceiling, "attempt " + attempt + " waited " + wait);
            }
        }
    }

    @Test
    void dropInRetryRetriesExactlyTheTransientFailures() {
        RetryConfig config = RetryConfig.custom().maxAttempts(5).waitDuration(Duration.ofMillis(1))
                .retryOnException(Conflicts::isRetryable).build();
        AtomicInteger calls = new AtomicInteger();
        Supplier<String> flaky = Retry.decorateSupplier(Retry.of("t", config), () -> {
            if (calls.incrementAndGet() < 3) {
                throw new CompletionException(CONFLICT);
            }
            return "ok";
        });
        assertEquals("ok", flaky.get());
        assertEquals(3, calls.get());

        AtomicInteger lost = new AtomicInteger();
        Supplier<String> lostRace = Retry.decorateSupplier(Retry.of("t2", config), () -> {
            lost.incrementAndGet();
            throw PRECONDITION;
        });
        assertEquals(PRECONDITION, org.junit.jupiter.api.Assertions.assertThrows(PreconditionFailedException.class, lostRace::get));
        assertEquals(1, lost.get(), "a lost race is not blindly retried");
    }

    @Test
    void defaultConfigsClassifyAsDocumented() {
        RetryConfig op = Conflicts.operationRetryConfig();
        assertTrue(op.getExceptionPredicate().test(THROTTLED));
        assertFalse(op.getExceptionPredicate().test(PRECONDITION));
        assertFalse(op.getExceptionPredicate().test(UNKNOWN_OUTCOME));
        RetryConfig rmw = Conflicts.readModifyWriteRetryConfig();
        assertTrue(rmw.getExceptionPredicate().test(PRECONDITION));
        assertTrue(rmw.getExceptionPredicate().test(EXISTS));
        assertTrue(rmw.getExceptionPredicate().test(UNKNOWN_OUTCOME));
        assertTrue(rmw.getExceptionPredicate().test(TRANSIENT));
        assertFalse(rmw.getExceptionPredicate().test(new ObjectNotFoundException("k", "404", null)));
        assertFalse(rmw.getExceptionPredicate().test(new InvalidArgumentException("fn", "returned null")));
    }
}
