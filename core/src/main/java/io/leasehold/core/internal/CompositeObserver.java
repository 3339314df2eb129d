package io.leasehold.core.internal;

import io.leasehold.core.ObjectStoreException;
import io.leasehold.core.StoreObserver;
import io.leasehold.core.lease.Lease;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Forwards every event to several observers ({@link StoreObserver#composite}).
 *
 * <p>Thread-safety: immutable; as thread-safe as the observers it holds.
 */
public final class CompositeObserver implements StoreObserver {
    private final StoreObserver[] observers;

    private CompositeObserver(StoreObserver[] observers) {
        this.observers = observers;
    }

    /**
     * Of.
     *
     * @param given the given
     * @return the result
     */
    public static StoreObserver of(StoreObserver... given) {
        List<StoreObserver> kept = new ArrayList<>();
        for (StoreObserver o : given) {
            if (Objects.requireNonNull(o, "observer") != NONE) {
                kept.add(o);
            }
        }
        if (kept.isEmpty()) {
            return NONE;
        }
        return kept.size() == 1 ? kept.get(0) : new CompositeObserver(kept.toArray(new StoreObserver[0]));
    }

    /**
     * Operation started.
     *
     * @param driver the driver
     * @param operation the operation
     * @param key the key
     * @return the result
     */
    @Override
    public Scope operationStarted(String driver, Operation operation, String key) {
        Scope[] scopes = new Scope[observers.length];
        for (int i = 0; i < observers.length; i++) {
            scopes[i] = observers[i].operationStarted(driver, operation, key);
        }
        return (outcome, attempts, failure) -> {
            for (Scope s : scopes) {
                s.ended(outcome, attempts, failure);
            }
        };
    }

    /**
     * Retry scheduled.
     *
     * @param driver the driver
     * @param operation the operation
     * @param key the key
     * @param cause the cause
     * @param attempt the attempt
     * @param wait the wait
     */
    @Override
    public void retryScheduled(String driver, Operation operation, String key, ObjectStoreException cause,
                               int attempt, Duration wait) {
        for (StoreObserver o : observers) {
            o.retryScheduled(driver, operation, key, cause, attempt, wait);
        }
    }

    /**
     * Write settled.
     *
     * @param driver the driver
     * @param operation the operation
     * @param key the key
     * @param verdict the verdict
     */
    @Override
    public void writeSettled(String driver, Operation operation, String key, Verdict verdict) {
        for (StoreObserver o : observers) {
            o.writeSettled(driver, operation, key, verdict);
        }
    }

    /**
     * Update conflict.
     *
     * @param driver the driver
     * @param key the key
     * @param attempt the attempt
     * @param cause the cause
     */
    @Override
    public void updateConflict(String driver, String key, int attempt, ObjectStoreException cause) {
        for (StoreObserver o : observers) {
            o.updateConflict(driver, key, attempt, cause);
        }
    }

    /**
     * Lease renewed.
     *
     * @param driver the driver
     * @param lease the lease
     * @param timeLeft the time left
     */
    @Override
    public void leaseRenewed(String driver, Lease lease, Duration timeLeft) {
        for (StoreObserver o : observers) {
            o.leaseRenewed(driver, lease, timeLeft);
        }
    }

    /**
     * Lease renewal failed.
     *
     * @param driver the driver
     * @param lease the lease
     * @param cause the cause
     * @param definitive the definitive
     * @param safeTimeLeft the safe time left
     */
    @Override
    public void leaseRenewalFailed(String driver, Lease lease, ObjectStoreException cause, boolean definitive,
                                   Duration safeTimeLeft) {
        for (StoreObserver o : observers) {
            o.leaseRenewalFailed(driver, lease, cause, definitive, safeTimeLeft);
        }
    }

    /**
     * Lease lost.
     *
     * @param driver the driver
     * @param lease the lease
     * @param cause the cause
     */
    @Override
    public void leaseLost(String driver, Lease lease, ObjectStoreException cause) {
        for (StoreObserver o : observers) {
            o.leaseLost(driver, lease, cause);
        }
    }

    /**
     * Lease released.
     *
     * @param driver the driver
     * @param lease the lease
     * @param timeLeft the time left
     */
    @Override
    public void leaseReleased(String driver, Lease lease, Duration timeLeft) {
        for (StoreObserver o : observers) {
            o.leaseReleased(driver, lease, timeLeft);
        }
    }
}
