package io.leasehold.spring;

import io.leasehold.core.ErrorCode;
import io.leasehold.core.GetResult;
import io.leasehold.core.lease.Lease;
import io.leasehold.core.ObjectNotFoundException;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.ObjectStoreException;
import io.leasehold.core.StoreObserver;
import java.time.Duration;
import java.util.Optional;

/**
 * Keeps health checks out of what the application observes: while a health indicator probes a store
 * on a thread, the store's observers (metrics, tracing, the application's own) hear nothing from that
 * thread, so a HEAD of the probe key every few seconds adds no {@code leasehold.operation} samples
 * (and no NOT_FOUND outcomes to alert on). The store calls observers on the calling thread for every
 * operation event; lease events come from keeper threads and always pass.
 *
 * <p>Thread-safety: safe for concurrent use; the probing mark is per thread.
 */
final class HealthProbes {
    private static final ThreadLocal<Boolean> PROBING = new ThreadLocal<>();

    private HealthProbes() {
    }

    /**
     * Probes a store with one unobserved HEAD.
     *
     * @return empty if the store answered (found or not found), else the failure's code
     */
    static Optional<ErrorCode> probe(ObjectStore store, String key) {
        PROBING.set(Boolean.TRUE);
        try {
            GetResult ignored = store.head(key);
            return Optional.empty();
        } catch (ObjectNotFoundException absent) {
            return Optional.empty();
        } catch (ObjectStoreException e) {
            return Optional.of(e.code());
        } finally {
            PROBING.remove();
        }
    }

    /** The observer, deaf to the events of health probes. */
    static StoreObserver hiding(StoreObserver observer) {
        return observer == StoreObserver.NONE ? observer : new Hiding(observer);
    }

    private static boolean probing() {
        return PROBING.get() != null;
    }

    /** Forwards every event except those of a probing thread. */
    private static final class Hiding implements StoreObserver {
        private final StoreObserver delegate;

        Hiding(StoreObserver delegate) {
            this.delegate = delegate;
        }

        @Override
        public Scope operationStarted(String driver, Operation operation, String key) {
            return probing() ? Scope.NONE : delegate.operationStarted(driver, operation, key);
        }

        @Override
        public void retryScheduled(String driver, Operation operation, String key, ObjectStoreException cause,
                                   int attempt, Duration wait) {
            if (!probing()) {
                delegate.retryScheduled(driver, operation, key, cause, attempt, wait);
            }
        }

        @Override
        public void writeSettled(String driver, Operation operation, String key, Verdict verdict) {
            if (!probing()) {
                delegate.writeSettled(driver, operation, key, verdict);
            }
        }

        @Override
        public void updateConflict(String driver, String key, int attempt, ObjectStoreException cause) {
            if (!probing()) {
                delegate.updateConflict(driver, key, attempt, cause);
            }
        }

        @Override
        public void leaseRenewed(String driver, Lease lease, Duration timeLeft) {
            delegate.leaseRenewed(driver, lease, timeLeft);
        }

        @Override
        public void leaseRenewalFailed(String driver, Lease lease, ObjectStoreException cause, boolean definitive,
                                       Duration safeTimeLeft) {
            delegate.leaseRenewalFailed(driver, lease, cause, definitive, safeTimeLeft);
        }

        @Override
        public void leaseLost(String driver, Lease lease, ObjectStoreException cause) {
            delegate.leaseLost(driver, lease, cause);
        }

        @Override
        public void leaseReleased(String driver, Lease lease, Duration timeLeft) {
            delegate.leaseReleased(driver, lease, timeLeft);
        }

        @Override
        public String toString() {
            return "HealthProbes.hiding(" + delegate + ")";
        }
    }
}
