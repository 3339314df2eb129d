package io.leasehold.core.internal.lease;

import io.leasehold.core.ErrorCode;
import io.leasehold.core.ObjectStoreException;
import io.leasehold.core.internal.Attempts;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The retry budget of one lease step's read-modify-write loop (a lease record or a fencing counter):
 * a lost race (412, already exists, 409) or a write the loop proved did not land is decided again at
 * once on the version read after it, at most {@value #MAX_RACES} times with a short jittered pause;
 * a failure that applied nothing (throttling, a transient error of a read) follows the store's
 * operation retry. Anything else ends the step.
 *
 * <p>Thread-safety: one step's attempts are made one after the other; not thread-safe.
 */
final class LeaseAttempts implements Attempts {
    /** Lost races (and disproved unknown outcomes) one step tolerates before giving up. */
    static final int MAX_RACES = 8;
    private static final long RACE_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private final Attempts operation;
    private int races;

    /**
     * A step's budget.
     *
     * @param operation the store's operation retry, for failures that applied nothing
     */
    LeaseAttempts(Attempts operation) {
        this.operation = operation;
    }

    @Override
    public long afterFailure(Throwable failure) {
        if (!(failure instanceof ObjectStoreException)) {
            return -1;
        }
        ErrorCode code = ((ObjectStoreException) failure).code();
        if (code == ErrorCode.PRECONDITION_FAILED || code == ErrorCode.ALREADY_EXISTS || code == ErrorCode.CONFLICT
                // The loop asks only after a read proved the write did not land (else it ends unknown).
                || code == ErrorCode.OUTCOME_UNKNOWN) {
            if (++races >= MAX_RACES) {
                return -1;
            }
            return ThreadLocalRandom.current().nextLong(RACE_PAUSE_NANOS << Math.min(races, 6));
        }
        return operation.afterFailure(failure);
    }

    @Override
    public void succeeded() {
        operation.succeeded();
    }

    /**
     * How many races the step lost.
     *
     * @return the count
     */
    int races() {
        return races;
    }
}
