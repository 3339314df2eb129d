package io.leasehold.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.leasehold.spi.FailureClassifier;
import io.leasehold.spi.RequestKind;
import io.leasehold.spi.kit.Failures;
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

    /** A raw SDK failure of the kind an adapter translates: an HTTP status, with or without the store's code. */
    private static final class RawFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;
        final String code;

        RawFailure(int status, String code) {
            super("HTTP " + status);
            this.status = status;
            this.code = code;
        }
    }

    /** A classifier written the way the rule asks: only the named code proves "not applied". */
    private static final FailureClassifier CLASSIFIER = (failure, kind) -> {
        if (!(failure instanceof RawFailure)) {
            return null;
        }
        RawFailure raw = (RawFailure) failure;
        if ("SlowDown".equals(raw.code)) {
            return new TransientException(ErrorCode.THROTTLED, null, "slow down", raw);
        }
        return Failures.saysNothingWithoutCode(raw.status) ? Failures.unanswered(kind, null, "HTTP " + raw.status, raw)
                : new ObjectStoreException(ErrorCode.UNKNOWN, null, "HTTP " + raw.status, raw);
    };

    @Test
    void rawFailuresAreClassifiedByTheAdaptersTranslationForTheKindGiven() {
        RawFailure codeless = new RawFailure(503, null);
        assertEquals(ErrorCode.OUTCOME_UNKNOWN, Conflicts.codeOf(codeless, CLASSIFIER, RequestKind.WRITE));
        assertEquals(ErrorCode.OUTCOME_UNKNOWN, Conflicts.codeOf(codeless, CLASSIFIER, RequestKind.LEASE));
        assertEquals(ErrorCode.TRANSIENT, Conflicts.codeOf(codeless, CLASSIFIER, RequestKind.READ));
        assertFalse(Conflicts.isRetryable(codeless, CLASSIFIER, RequestKind.WRITE));
        assertTrue(Conflicts.isRetryable(codeless, CLASSIFIER, RequestKind.READ));
        assertTrue(Conflicts.isRetryable(new RawFailure(503, "SlowDown"), CLASSIFIER, RequestKind.WRITE));
        // a failure Leasehold already translated keeps its code, wherever it sits in the chain
        assertEquals(ErrorCode.PRECONDITION_FAILED, Conflicts.codeOf(new CompletionException(PRECONDITION), CLASSIFIER,
                RequestKind.WRITE));
        assertEquals(ErrorCode.UNKNOWN, Conflicts.codeOf(new IllegalStateException(), CLASSIFIER, RequestKind.WRITE));
        assertEquals(null, Conflicts.classify(null, CLASSIFIER, RequestKind.WRITE));
    }

    @Test
    void theRetryConfigFedByAClassifierNeverResendsAnUnknownMutation() {
        RetryConfig writes = RetryConfig.from(Conflicts.retryConfig(CLASSIFIER, RequestKind.WRITE))
                .waitDuration(Duration.ofMillis(1)).build();
        AtomicInteger sent = new AtomicInteger();
        Supplier<String> put = Retry.decorateSupplier(Retry.of("w", writes), () -> {
            sent.incrementAndGet();
            throw new RawFailure(502, null);
        });
        org.junit.jupiter.api.Assertions.assertThrows(RawFailure.class, put::get);
        assertEquals(1, sent.get(), "a codeless 502 on a mutation is sent once");

        RetryConfig reads = RetryConfig.from(Conflicts.retryConfig(CLASSIFIER, RequestKind.READ))
                .waitDuration(Duration.ofMillis(1)).build();
        AtomicInteger read = new AtomicInteger();
        Supplier<String> get = Retry.decorateSupplier(Retry.of("r", reads), () -> {
            if (read.incrementAndGet() < 3) {
                throw new RawFailure(502, null);
            }
            return "ok";
        });
        assertEquals("ok", get.get());
        assertEquals(4, Conflicts.retryConfig(CLASSIFIER, RequestKind.READ).getMaxAttempts());
    }

    @Test
    void theStatusesThatSayNothingWithoutTheStoresCode() {
        for (int status : new int[] {408, 409, 429, 500, 502, 503, 504, 599}) {
            assertTrue(Failures.saysNothingWithoutCode(status), Integer.toString(status));
        }
        for (int status : new int[] {200, 304, 400, 401, 403, 404, 412, 416, 600}) {
            assertFalse(Failures.saysNothingWithoutCode(status), Integer.toString(status));
        }
        ObjectStoreException lease = Failures.withoutStoreCode(RequestKind.LEASE, "k", "HTTP 503", null);
        assertEquals(ErrorCode.OUTCOME_UNKNOWN, lease.code());
        assertTrue(lease.getMessage().contains("without the store's error code"), lease.getMessage());
        assertEquals(ErrorCode.TRANSIENT, Failures.withoutStoreCode(RequestKind.STAGE, "k", "HTTP 503", null).code());
    }
}
