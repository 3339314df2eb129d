package io.leasehold.core.probe;

import io.leasehold.core.ErrorCode;
import io.leasehold.core.ObjectStoreException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The request budget of one probe run ({@link ProbeOptions#requestBudget()}): every request a
 * {@link io.leasehold.spi.ProbeWire} sends is spent here first. The last {@value #CLEANUP_RESERVE}
 * requests are kept for deleting the scratch objects.
 *
 * <p>Thread-safety: safe for concurrent use (racers spend in parallel).
 */
public final class ProbeBudget {
    /** Requests kept back for the cleanup. */
    public static final int CLEANUP_RESERVE = 16;

    private final int limit;
    private final AtomicInteger used = new AtomicInteger();
    private volatile boolean cleaningUp;

    ProbeBudget(int limit) {
        this.limit = limit;
    }

    /**
     * Spends one request. Call it before sending; let its exception propagate.
     *
     * @throws ObjectStoreException (code {@link ErrorCode#UNKNOWN}, a type private to the engine)
     *     when the budget is spent: the engine ends the current group of checks and reports it
     */
    public void spend() {
        int cap = cleaningUp ? limit : limit - CLEANUP_RESERVE;
        if (used.incrementAndGet() > cap) {
            used.decrementAndGet();
            throw new BudgetSpent();
        }
    }

    /**
     * How many requests were spent.
     *
     * @return the count, cleanup included
     */
    public int used() {
        return used.get();
    }

    /**
     * How many requests the checks may still send (the cleanup reserve not counted).
     *
     * @return the remaining requests, possibly 0
     */
    public int remaining() {
        return Math.max(0, limit - CLEANUP_RESERVE - used.get());
    }

    /** From now on the cleanup reserve may be spent too. */
    void startCleanup() {
        cleaningUp = true;
    }

    /** Thrown when a request would exceed the budget; the engine catches it. */
    static final class BudgetSpent extends ObjectStoreException {
        private static final long serialVersionUID = 1L;

        BudgetSpent() {
            super(ErrorCode.UNKNOWN, null, "probe request budget spent", null);
        }
    }
}
