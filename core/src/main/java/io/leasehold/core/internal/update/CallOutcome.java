package io.leasehold.core.internal.update;

import io.leasehold.core.internal.write.WriteOutcome;

/**
 * What one caller's {@code update} achieved: its own output, and the write that carried it (its own
 * write, the batch's write, or a batch write after which a later call of the same batch wrote on
 * top, reported as superseded); or the failure it ended with.
 *
 * <p>Thread-safety: immutable.
 */
public final class CallOutcome {
    /** The write that carried the caller's output. */
    public final WriteOutcome write;
    /** The caller's own output (not copied). */
    public final byte[] content;
    /** Whether the caller's call created the object. */
    public final boolean created;
    /** Attempts of the loop that wrote it. */
    public final int attempts;
    /** Attempts of that loop that lost a race or failed and were retried. */
    public final int conflicts;
    /** What the call failed with (as thrown: the function's own throwable as is), or null. */
    public final Throwable failure;

    CallOutcome(WriteOutcome write, byte[] content, boolean created, int attempts, int conflicts) {
        this(write, content, created, attempts, conflicts, null);
    }

    private CallOutcome(WriteOutcome write, byte[] content, boolean created, int attempts, int conflicts,
                        Throwable failure) {
        this.write = write;
        this.content = content;
        this.created = created;
        this.attempts = attempts;
        this.conflicts = conflicts;
        this.failure = failure;
    }

    static CallOutcome failed(Throwable failure, int attempts) {
        return new CallOutcome(null, null, false, attempts, 0, failure);
    }
}
