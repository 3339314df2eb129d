package io.leasehold.core.internal.io;

import io.leasehold.core.internal.Futures;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * How a protocol waits between attempts: on the blocking API the calling thread sleeps; elsewhere a
 * scheduler completes the future later (a coalescing lane, the asynchronous API).
 *
 * <p>Thread-safety: implementations are safe for concurrent use.
 */
public interface Pauses {

    /**
     * A future that completes after {@code nanos}.
     *
     * @param nanos the wait, 0 or more
     * @return the future; it fails with {@link InterruptedWait} if the waiting thread was interrupted
     */
    CompletableFuture<Void> after(long nanos);

    /**
     * Sleeps on the calling thread (the blocking API's own calls).
     *
     * @return the pauses
     */
    static Pauses sleeping() {
        return SleepingPauses.INSTANCE;
    }

    /** The calling thread sleeps; an interrupt ends the wait with {@link InterruptedWait}. */
    final class SleepingPauses implements Pauses {
        static final SleepingPauses INSTANCE = new SleepingPauses();

        private SleepingPauses() {
        }

        @Override
        public CompletableFuture<Void> after(long nanos) {
            if (nanos > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(nanos);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Futures.failed(new InterruptedWait(e));
                }
            }
            return CompletableFuture.completedFuture(null);
        }
    }

    /** A wait ended by an interrupt of the waiting thread (its interrupt status is set again). */
    final class InterruptedWait extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /**
         * Creates it.
         *
         * @param cause the interrupt
         */
        public InterruptedWait(InterruptedException cause) {
            super("interrupted while waiting to retry", cause);
        }
    }
}
