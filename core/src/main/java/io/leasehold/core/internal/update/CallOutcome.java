package io.leasehold.core.internal.update;

import io.leasehold.core.internal.write.WriteOutcome;
import io.leasehold.spi.GetResponse;

/**
 * What one caller's {@code update} achieved: its own output, and the write that carried it (its own
 * write, the batch's write, or a batch write after which a later call of the same batch wrote on
 * top, reported as superseded); or, for a caller whose function answered "no change", the value it
 * was given and what carried that value (the batch's write, or the object read); or the failure it
 * ended with.
 *
 * <p>Thread-safety: immutable.
 */
public final class CallOutcome {
    /** The write that carried the caller's output (or the value it passed through); null if nothing was written. */
    public final WriteOutcome write;
    /** The caller's own output, or for an unchanged call the value it was given (not copied; null if absent). */
    public final byte[] content;
    /** Whether the caller's call created the object. */
    public final boolean created;
    /** Attempts of the loop that wrote it. */
    public final int attempts;
    /** Attempts of that loop that lost a race or failed and were retried. */
    public final int conflicts;
    /** What the call failed with (as thrown: the function's own throwable as is), or null. */
    public final Throwable failure;
    /** Whether the caller's function answered "no change". */
    public final boolean unchanged;
    /** When nothing was written: the object the decision was made on (bookkeeping included), or null if absent. */
    public final GetResponse read;

    CallOutcome(WriteOutcome write, byte[] content, boolean created, int attempts, int conflicts) {
        this(write, content, created, attempts, conflicts, null, false, null);
    }

    private CallOutcome(WriteOutcome write, byte[] content, boolean created, int attempts, int conflicts,
                        Throwable failure, boolean unchanged, GetResponse read) {
        this.write = write;
        this.content = content;
        this.created = created;
        this.attempts = attempts;
        this.conflicts = conflicts;
        this.failure = failure;
        this.unchanged = unchanged;
        this.read = read;
    }

    static CallOutcome failed(Throwable failure, int attempts) {
        return new CallOutcome(null, null, false, attempts, 0, failure, false, null);
    }

    /** An unchanged call whose batch wrote: the value it passed through, carried by {@code write}. */
    static CallOutcome passedThrough(WriteOutcome write, byte[] seen, int attempts, int conflicts) {
        return new CallOutcome(write, seen, false, attempts, conflicts, null, true, null);
    }

    /** An unchanged call when nothing was written: the object read (null if absent). */
    static CallOutcome kept(GetResponse read, int attempts, int conflicts) {
        return new CallOutcome(null, read == null ? null : read.content(), false, attempts, conflicts, null, true, read);
    }

    /** A lone call's outcome from its loop (whose result is the call's output, or the content kept). */
    static CallOutcome of(UpdateLoop.Outcome<byte[]> outcome) {
        if (outcome.write == null) {
            return kept(outcome.read, outcome.attempts, outcome.conflicts);
        }
        return new CallOutcome(outcome.write, outcome.result, outcome.created, outcome.attempts, outcome.conflicts);
    }
}
