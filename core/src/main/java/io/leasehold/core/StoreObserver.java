package io.leasehold.core;

import io.leasehold.core.lease.Lease;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Hears what an {@link ObjectStore} does: one scope per operation (start, then end with an outcome
 * code and the number of attempts), the retry layer's decisions, how each ambiguous write was
 * settled, update conflicts, and what lease keepers do. Install one with
 * {@link ObjectStore.Builder#observer(StoreObserver)}; {@code leasehold-micrometer} turns these
 * events into Micrometer meters and observations (timers and tracing spans).
 *
 * <h2>Cost</h2>
 * Every method has an empty default. A store without an observer ({@link #NONE}) creates no scope
 * objects and calls nothing on its hot path; the other events happen only on failure paths
 * (retries, ambiguous outcomes, conflicts) or per lease renewal.
 *
 * <h2>Cardinality</h2>
 * Keys are passed so that an observer may log or trace them; never turn them into metric tags by
 * default (one time series per key). The other arguments take few values: the driver name, an
 * {@link Operation}, an {@link ErrorCode}, a {@link Verdict}.
 *
 * <h2>Failures</h2>
 * An exception thrown by an observer is caught and ignored (logged at debug level): observing never
 * changes what the store does.
 *
 * <p>Thread-safety: methods are called concurrently from every thread that uses the store and from
 * lease keeper threads; implementations must be thread-safe. Calls for one operation scope happen on
 * the thread that called the store.
 */
public interface StoreObserver {
    /** An observer that hears nothing; the store's default. */
    StoreObserver NONE = new StoreObserver() {
    };

    /** The operations observed as scopes. Thread-safety: enum constants are immutable. */
    enum Operation {
        /** {@link ObjectStore#put}. */
        PUT,
        /** {@link ObjectStore#get}. */
        GET,
        /** {@link ObjectStore#head}. */
        HEAD,
        /** {@link ObjectStore#delete}. */
        DELETE,
        /** {@link ObjectStore#update}: the whole read-modify-write loop. */
        UPDATE,
        /** {@link io.leasehold.core.lease.Leases#acquire}, including its waiting and the keepers' first acquisition. */
        LEASE_ACQUIRE,
        /** {@link io.leasehold.core.lease.Leases#renew}, including the keepers' renewals. */
        LEASE_RENEW,
        /** {@link io.leasehold.core.lease.Leases#release}. */
        LEASE_RELEASE,
        /** {@link io.leasehold.core.lease.Leases#breakLease}. */
        LEASE_BREAK,
        /** {@link io.leasehold.core.lease.Leases#change}. */
        LEASE_CHANGE,
        /** {@link io.leasehold.core.lease.Leases#status}. */
        LEASE_STATUS,
        /** {@link ObjectStore#listPage}, and each page a lazy {@link ObjectStore#list} reads (key: the prefix). */
        LIST,
        /** {@link ObjectStore#copy} (key: the target). */
        COPY,
        /** {@link ObjectStore#rename}: the copy and the source's delete (key: the target). */
        RENAME;

        private final String tag = name().toLowerCase(Locale.ROOT);

        /**
         * The operation as a metric tag value, e.g. {@code put}, {@code lease_renew}.
         *
         * @return the lower-case name
         */
        public String tagValue() {
            return tag;
        }
    }

    /** What reading back decided about a write whose outcome was unknown. Thread-safety: immutable. */
    enum Verdict {
        /** The write landed and is the current version: the caller got success. */
        LANDED,
        /** The write landed and a later write has replaced it: the caller got success. */
        SUPERSEDED,
        /** The write provably did not land; the very same request may be (and was) sent again. */
        NOT_LANDED,
        /** Neither could be shown (or the read failed): the caller got {@link OutcomeUnknownException}. */
        UNKNOWN
    }

    /**
     * One operation in flight, returned by {@link #operationStarted}. Ended exactly once, on the
     * thread that started it.
     *
     * <p>Thread-safety: used by one thread at a time.
     */
    interface Scope {
        /** A scope that records nothing. */
        Scope NONE = (outcome, attempts, failure) -> { };

        /**
         * The operation ended.
         *
         * @param outcome {@code null} on success, else the failure's code (the code of the exception
         *     the caller got; {@link ErrorCode#UNKNOWN} for anything unclassified)
         * @param attempts requests of this operation sent under the retry layer (1 without retries;
         *     for {@link Operation#UPDATE} the read-modify-write attempts)
         * @param failure the exception the caller got, or {@code null} on success
         */
        void ended(@Nullable ErrorCode outcome, int attempts, @Nullable RuntimeException failure);
    }

    /**
     * An operation starts. Called before validation, so failures that sent nothing
     * ({@link ErrorCode#INVALID_ARGUMENT}, {@link ErrorCode#NOT_SUPPORTED}) end scopes too.
     *
     * @param driver the driver's name, e.g. {@code s3}
     * @param operation what
     * @param key the key (may be invalid; never use it as a metric tag by default)
     * @return the scope to end, or {@link Scope#NONE}
     */
    default Scope operationStarted(String driver, Operation operation, String key) {
        return Scope.NONE;
    }

    /**
     * The store's retry layer will send a request again after a failure that by contract did not
     * apply it (throttling, a transient failure, a refused concurrent conditional request, or an
     * ambiguous write proven not to have landed).
     *
     * @param driver the driver's name
     * @param operation the operation being retried, or {@code null} if no scope is open (only
     *     possible without an observer, so never seen by observers in practice)
     * @param key the key
     * @param cause what failed
     * @param attempt the attempt that failed, from 1
     * @param wait how long the retry layer waits before the next attempt
     */
    default void retryScheduled(String driver, @Nullable Operation operation, String key, ObjectStoreException cause,
                                int attempt, Duration wait) {
    }

    /**
     * A write whose outcome was unknown (lost response, timeout, reset, 5xx) was settled by reading
     * the object back.
     *
     * @param driver the driver's name
     * @param operation {@link Operation#PUT}, {@link Operation#DELETE} or {@link Operation#UPDATE}
     * @param key the key
     * @param verdict what the evidence showed
     */
    default void writeSettled(String driver, Operation operation, String key, Verdict verdict) {
    }

    /**
     * An attempt of {@link ObjectStore#update} lost a race, or hit a failure after which the loop
     * re-reads and tries again (if its retry allows).
     *
     * @param driver the driver's name
     * @param key the key
     * @param attempt the attempt that failed, from 1
     * @param cause the failure; {@link Conflicts#isLostRace} tells a lost race from a transient one
     */
    default void updateConflict(String driver, String key, int attempt, ObjectStoreException cause) {
    }

    /**
     * A {@link io.leasehold.core.lease.LeaseKeeper} renewed its lease.
     *
     * @param driver the driver's name
     * @param lease the renewed lease (its id is a secret: never log it in full)
     * @param timeLeft how long the lease had left before it would have expired, by the local clock,
     *     when the renewal was sent; {@code null} for infinite leases
     */
    default void leaseRenewed(String driver, Lease lease, @Nullable Duration timeLeft) {
    }

    /**
     * A {@link io.leasehold.core.lease.LeaseKeeper}'s renewal failed.
     *
     * @param driver the driver's name
     * @param lease the lease last renewed
     * @param cause the failure
     * @param definitive true if the lease is gone (broken, released, taken over, object deleted):
     *     {@link #leaseLost} follows; false if the failure may pass and the keeper retries
     * @param safeTimeLeft how long the lease is still certainly held, by the local monotonic clock
     *     (for an infinite lease: until two check intervals pass without a successful check; zero when
     *     definitive)
     */
    default void leaseRenewalFailed(String driver, Lease lease, ObjectStoreException cause, boolean definitive,
                                    @Nullable Duration safeTimeLeft) {
    }

    /**
     * A {@link io.leasehold.core.lease.LeaseKeeper} lost its lease (definitive failure, or renewals failing until the safety
     * margin before expiry).
     *
     * @param driver the driver's name
     * @param lease the lease last held
     * @param cause why
     */
    default void leaseLost(String driver, Lease lease, ObjectStoreException cause) {
    }

    /**
     * A lease was released through {@link io.leasehold.core.lease.Leases#release(Lease)} (which {@link io.leasehold.core.lease.LeaseKeeper#close()}
     * uses).
     *
     * @param driver the driver's name
     * @param lease the released lease
     * @param timeLeft how long it had left by the local clock; {@code null} for infinite leases
     */
    default void leaseReleased(String driver, Lease lease, @Nullable Duration timeLeft) {
    }

    /**
     * An observer that forwards every event to each of the given ones, in order.
     *
     * @param observers the observers; {@link #NONE} entries are skipped
     * @return the combined observer ({@link #NONE} if none is left, the single one if one is left)
     */
    static StoreObserver composite(StoreObserver... observers) {
        Objects.requireNonNull(observers, "observers");
        java.util.List<StoreObserver> kept = new java.util.ArrayList<>();
        for (StoreObserver o : observers) {
            if (Objects.requireNonNull(o, "observer") != NONE) {
                kept.add(o);
            }
        }
        if (kept.size() <= 1) {
            return kept.isEmpty() ? NONE : kept.get(0);
        }
        StoreObserver[] all = kept.toArray(new StoreObserver[0]);
        // Forwards every event to each observer, in order (written here so the interface needs no helper class).
        return new StoreObserver() {
            @Override
            public Scope operationStarted(String driver, Operation operation, String key) {
                Scope[] scopes = new Scope[all.length];
                for (int i = 0; i < all.length; i++) {
                    scopes[i] = all[i].operationStarted(driver, operation, key);
                }
                return (outcome, attempts, failure) -> {
                    for (Scope s : scopes) {
                        s.ended(outcome, attempts, failure);
                    }
                };
            }

            @Override
            public void retryScheduled(String driver, Operation operation, String key, ObjectStoreException cause,
                                       int attempt, Duration wait) {
                for (StoreObserver o : all) {
                    o.retryScheduled(driver, operation, key, cause, attempt, wait);
                }
            }

            @Override
            public void writeSettled(String driver, Operation operation, String key, Verdict verdict) {
                for (StoreObserver o : all) {
                    o.writeSettled(driver, operation, key, verdict);
                }
            }

            @Override
            public void updateConflict(String driver, String key, int attempt, ObjectStoreException cause) {
                for (StoreObserver o : all) {
                    o.updateConflict(driver, key, attempt, cause);
                }
            }

            @Override
            public void leaseRenewed(String driver, Lease lease, Duration timeLeft) {
                for (StoreObserver o : all) {
                    o.leaseRenewed(driver, lease, timeLeft);
                }
            }

            @Override
            public void leaseRenewalFailed(String driver, Lease lease, ObjectStoreException cause, boolean definitive,
                                           Duration safeTimeLeft) {
                for (StoreObserver o : all) {
                    o.leaseRenewalFailed(driver, lease, cause, definitive, safeTimeLeft);
                }
            }

            @Override
            public void leaseLost(String driver, Lease lease, ObjectStoreException cause) {
                for (StoreObserver o : all) {
                    o.leaseLost(driver, lease, cause);
                }
            }

            @Override
            public void leaseReleased(String driver, Lease lease, Duration timeLeft) {
                for (StoreObserver o : all) {
                    o.leaseReleased(driver, lease, timeLeft);
                }
            }
        };
    }
}
