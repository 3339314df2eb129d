package io.leasehold.core.internal;

import io.github.resilience4j.retry.Retry;
import java.util.concurrent.TimeUnit;

/**
 * One operation's retry budget, asked after each failed attempt. The protocols decide what a
 * failure means (whether the request can have landed); the budget only decides whether and when to
 * try again, so one layer retries and every attempt is counted once.
 *
 * <p>Thread-safety: one operation's attempts are made one after the other; implementations need
 * not be thread-safe.
 */
public interface Attempts {

    /** An attempt is about to be made (for budgets that time attempts). */
    default void starting() {
    }

    /**
     * After a failed attempt: how long to wait before the next one.
     *
     * @param failure the attempt's failure
     * @return the wait in nanoseconds, or -1 to stop (the failure stands)
     */
    long afterFailure(Throwable failure);

    /** The operation succeeded. */
    default void succeeded() {
    }

    /**
     * A Resilience4j {@link Retry}'s budget: its predicate, attempts and intervals, and its events
     * (retry listeners and metrics see every attempt).
     *
     * @param retry the retry
     * @return one operation's attempts
     */
    static Attempts of(Retry retry) {
        Retry.AsyncContext<Object> context = retry.asyncContext();
        return new Attempts() {
            @Override
            public long afterFailure(Throwable failure) {
                long millis = context.onError(failure);
                return millis < 0 ? -1 : TimeUnit.MILLISECONDS.toNanos(millis);
            }

            @Override
            public void succeeded() {
                context.onComplete();
            }
        };
    }

    /**
     * No retries.
     *
     * @return attempts that always stop
     */
    static Attempts none() {
        return failure -> -1;
    }
}
