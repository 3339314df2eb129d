package io.leasehold.core.internal;

import io.leasehold.core.Capabilities;
import io.leasehold.core.Capability;
import io.leasehold.core.Conflicts;
import io.leasehold.core.ErrorCode;
import io.leasehold.core.ObjectStoreException;
import io.leasehold.core.StoreObserver;
import io.leasehold.core.UpdateListener;
import io.leasehold.core.UpdateOptions;
import io.leasehold.core.UpdateResult;
import io.leasehold.core.internal.write.Settlement;
import io.leasehold.core.lease.Lease;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.event.RetryOnRetryEvent;
import io.leasehold.spi.kit.Redact;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;

/**
 * The store's side of observation: opens and ends operation scopes, reports retries, settlements,
 * update conflicts and lease keeper events to the {@link StoreObserver}, and writes the library's
 * log lines through {@link System.Logger} (no logging dependency in core; route it to SLF4J with
 * {@code org.slf4j:slf4j-jdk-platform-logging}, or to Log4j 2 with {@code log4j-jpl}).
 *
 * <h2>Log lines</h2>
 * Logger {@value #STORE_LOGGER}: debug for each retry decision, ambiguous-write settlement and update
 * conflict; warning once per store for capabilities that weaken the guarantees. Logger
 * {@value #LEASE_LOGGER}: debug for renewals and transient renewal failures, warning on a lost lease.
 * Lines carry the driver, operation, key, error code and the library's own exception message (which
 * never holds credentials, SAS tokens or full lease ids); provider exceptions and stack traces are
 * never logged, since their messages may hold request URLs with SAS tokens. Lease ids appear only
 * shortened ({@link Redact#leaseId}).
 *
 * <h2>Cost</h2>
 * Without an observer, {@link #start} returns a shared no-op scope: no allocation, no thread-local.
 *
 * <p>Thread-safety: safe for concurrent use; scopes are confined to the thread that opened them.
 */
public final class Observing {
    /** Logger for operations, retries, settlements and capabilities. */
    public static final String STORE_LOGGER = "io.leasehold.store";
    /** Logger for leases and keepers. */
    public static final String LEASE_LOGGER = "io.leasehold.lease";

    private static final Logger STORE_LOG = System.getLogger(STORE_LOGGER);
    private static final Logger LEASE_LOG = System.getLogger(LEASE_LOGGER);

    private final String driver;
    private final StoreObserver observer;
    private final boolean active;
    /** The innermost open scope on each thread, to attribute retry events (only with an observer). */
    private final ThreadLocal<Active> current;

    /**
     * Observation for one store.
     *
     * @param driver the driver's name
     * @param observer the store's observer
     * @param operationRetry the single-operation retry, whose retry events are reported
     */
    public Observing(String driver, StoreObserver observer, Retry operationRetry) {
        this.driver = driver;
        this.observer = observer;
        this.active = observer != StoreObserver.NONE;
        this.current = active ? new ThreadLocal<>() : null;
        // Retry events are published only on failure paths.
        operationRetry.getEventPublisher().onRetry(this::retried);
    }

    /**
     * The observer given to the store.
     *
     * @return the observer ({@link StoreObserver#NONE} if none)
     */
    public StoreObserver observer() {
        return observer;
    }

    // ---------------------------------------------------------------- operation scopes

    /**
     * Opens a scope; end it with {@link Op#succeeded} or {@link Op#failed} on the same thread.
     *
     * @param operation the operation
     * @param key the key, or null
     * @return the scope
     */
    public Op start(StoreObserver.Operation operation, String key) {
        return open(operation, key, true);
    }

    /**
     * Runs one operation of the blocking API as an observed scope: the one home of the "start, succeed or
     * fail" wrapper every operation needs.
     *
     * @param operation the operation
     * @param key the key, or null
     * @param body the operation, given its scope (an update reports its own attempts through it)
     * @param <T> its result type
     * @return its result
     */
    public <T> T observe(StoreObserver.Operation operation, String key, java.util.function.Function<Op, T> body) {
        Op scope = start(operation, key);
        try {
            return scope.succeeded(body.apply(scope));
        } catch (RuntimeException e) {
            throw scope.failed(e);
        }
    }

    /**
     * Opens a scope that is not bound to the calling thread (an asynchronous operation, which ends on
     * another thread); retry events are attributed to it through {@link #attributed(Attempts)} and
     * {@link #within(Op, java.util.function.Supplier)}.
     *
     * @param operation the operation
     * @param key the key, or null
     * @return the scope
     */
    public Op startDetached(StoreObserver.Operation operation, String key) {
        return open(operation, key, false);
    }

    private Op open(StoreObserver.Operation operation, String key, boolean bound) {
        if (!active) {
            return Op.INACTIVE;
        }
        StoreObserver.Scope scope;
        try {
            scope = observer.operationStarted(driver, operation, key);
        } catch (RuntimeException e) {
            observerFailed(e);
            scope = StoreObserver.Scope.NONE;
        }
        Active opened = new Active(operation, key, scope == null ? StoreObserver.Scope.NONE : scope,
                bound ? current.get() : null, bound);
        if (bound) {
            current.set(opened);
        }
        return opened;
    }

    /**
     * Runs {@code body} with {@code scope} as the calling thread's current scope (for a detached scope:
     * the synchronous part of an asynchronous call, and each retry decision).
     *
     * @param scope the scope
     * @param body what to run
     * @param <T> its result type
     * @return its result
     */
    public <T> T within(Op scope, java.util.function.Supplier<T> body) {
        if (!active || !(scope instanceof Active)) {
            return body.get();
        }
        Active previous = current.get();
        current.set((Active) scope);
        try {
            return body.get();
        } finally {
            if (previous == null) {
                current.remove();
            } else {
                current.set(previous);
            }
        }
    }

    /**
     * A retry budget whose retry events are attributed to the scope current when it is made, whatever
     * thread later asks it (asynchronous operations continue on other threads).
     *
     * @param attempts the budget
     * @return the attributed budget
     */
    public Attempts attributed(Attempts attempts) {
        if (!active) {
            return attempts;
        }
        Active scope = current.get();
        if (scope == null) {
            return attempts;
        }
        return new Attempts() {
            @Override
            public void starting() {
                attempts.starting();
            }

            @Override
            public long afterFailure(Throwable failure) {
                return within(scope, () -> attempts.afterFailure(failure));
            }

            @Override
            public void succeeded() {
                attempts.succeeded();
            }
        };
    }

    /** An operation scope as the store sees it. Thread-safety: confined to its thread. */
    public abstract static class Op {
        /** The scope when nobody observes: does nothing. */
        public static final Op INACTIVE = new Op() {
        };

        /**
         * Ends the scope with success.
         *
         * @param result the operation's result
         * @param <T> its type
         * @return {@code result}
         */
        public <T> T succeeded(T result) {
            return result;
        }

        /**
         * Ends the scope with a failure.
         *
         * @param failure the failure
         * @return {@code failure}, to throw
         */
        public RuntimeException failed(RuntimeException failure) {
            return failure;
        }

        /**
         * Sets the attempt count (read-modify-write reports its own).
         *
         * @param attempts the attempts made
         */
        public void attempts(int attempts) {
        }
    }

    private final class Active extends Op {
        final StoreObserver.Operation operation;
        final String key;
        final StoreObserver.Scope scope;
        final Active parent;
        /** Whether the scope is the current one of the thread that opened it (else detached). */
        final boolean bound;
        volatile int attempts = 1;

        Active(StoreObserver.Operation operation, String key, StoreObserver.Scope scope, Active parent, boolean bound) {
            this.operation = operation;
            this.key = key;
            this.scope = scope;
            this.parent = parent;
            this.bound = bound;
        }

        @Override
        public <T> T succeeded(T result) {
            end(null, null);
            return result;
        }

        @Override
        public RuntimeException failed(RuntimeException failure) {
            end(Conflicts.codeOf(failure), failure);
            return failure;
        }

        @Override
        public void attempts(int attempts) {
            this.attempts = attempts;
        }

        private void end(ErrorCode outcome, RuntimeException failure) {
            if (bound) {
                if (parent == null) {
                    current.remove();
                } else {
                    current.set(parent);
                }
            }
            try {
                scope.ended(outcome, attempts, failure);
            } catch (RuntimeException e) {
                observerFailed(e);
            }
        }
    }

    // ---------------------------------------------------------------- retries and settlement

    private void retried(RetryOnRetryEvent event) {
        ObjectStoreException cause = storeException(event.getLastThrowable());
        Active scope = active ? current.get() : null;
        if (scope != null) {
            scope.attempts++;
        }
        StoreObserver.Operation operation = scope == null ? null : scope.operation;
        String key = cause == null ? null : cause.key().orElse(null);
        if (STORE_LOG.isLoggable(Level.DEBUG)) {
            STORE_LOG.log(Level.DEBUG, () -> driver + " " + (operation == null ? "request" : operation.tagValue())
                    + quoted(key) + ": attempt " + event.getNumberOfRetryAttempts() + " failed with "
                    + codeOf(cause) + ", retrying in " + event.getWaitInterval().toMillis() + " ms ("
                    + messageOf(cause, event.getLastThrowable()) + ")");
        }
        if (active && cause != null) {
            try {
                observer.retryScheduled(driver, operation, key, cause, event.getNumberOfRetryAttempts(),
                        event.getWaitInterval());
            } catch (RuntimeException e) {
                observerFailed(e);
            }
        }
    }

    /**
     * Reports how an ambiguous write was settled.
     *
     * @param operation the operation
     * @param key the key
     * @param verdict the verdict
     */
    public void settled(StoreObserver.Operation operation, String key, StoreObserver.Verdict verdict) {
        if (STORE_LOG.isLoggable(Level.DEBUG)) {
            STORE_LOG.log(Level.DEBUG, driver + " " + operation.tagValue() + quoted(key)
                    + ": the write's outcome was unknown; reading back settled it as " + verdict);
        }
        if (active) {
            try {
                observer.writeSettled(driver, operation, key, verdict);
            } catch (RuntimeException e) {
                observerFailed(e);
            }
        }
    }

    /**
     * {@link #settled} for the core's internal verdict.
     *
     * @param operation the operation
     * @param key the key
     * @param verdict the verdict
     */
    public void settled(StoreObserver.Operation operation, String key, Settlement.Verdict verdict) {
        settled(operation, key, StoreObserver.Verdict.valueOf(verdict.name()));
    }

    // ---------------------------------------------------------------- update

    /**
     * The options an update runs with: the caller's, with a listener that also reports conflicts and
     * the attempt count when there is someone to tell (an observer, or the debug log).
     *
     * @param options the caller's options
     * @param scope the update's scope
     * @return the options to run with
     */
    public UpdateOptions observed(UpdateOptions options, Op scope) {
        if (!active && !STORE_LOG.isLoggable(Level.DEBUG)) {
            return options;
        }
        UpdateListener callers = options.listener();
        UpdateListener both = new UpdateListener() {
            @Override
            public void onConflict(String key, int attempt, ObjectStoreException cause) {
                updateConflict(key, attempt, cause);
                callers.onConflict(key, attempt, cause);
            }

            @Override
            public void onWriteSent(String key, int attempt, String writeId) {
                callers.onWriteSent(key, attempt, writeId);
            }

            @Override
            public void onAmbiguousWriteResolved(String key, int attempt) {
                callers.onAmbiguousWriteResolved(key, attempt);
            }

            @Override
            public void onSuccess(UpdateResult result) {
                scope.attempts(result.attempts());
                callers.onSuccess(result);
            }

            @Override
            public void onGiveUp(String key, int attempts, RuntimeException cause) {
                scope.attempts(attempts);
                callers.onGiveUp(key, attempts, cause);
            }
        };
        return options.toBuilder().listener(both).build();
    }

    private void updateConflict(String key, int attempt, ObjectStoreException cause) {
        if (STORE_LOG.isLoggable(Level.DEBUG)) {
            STORE_LOG.log(Level.DEBUG, driver + " update" + quoted(key) + ": attempt " + attempt + " failed with "
                    + cause.code() + (Conflicts.isLostRace(cause) ? " (lost a race)" : "")
                    + "; re-reading before the next attempt, if the retry allows one");
        }
        if (active) {
            try {
                observer.updateConflict(driver, key, attempt, cause);
            } catch (RuntimeException e) {
                observerFailed(e);
            }
        }
    }

    // ---------------------------------------------------------------- leases

    /**
     * A keeper renewed its lease.
     *
     * @param renewed the lease renewed
     * @param timeLeft what was left of it, or null for infinite leases
     */
    public void leaseRenewed(Lease renewed, Duration timeLeft) {
        if (LEASE_LOG.isLoggable(Level.DEBUG)) {
            LEASE_LOG.log(Level.DEBUG, driver + " lease on" + quoted(renewed.key()) + " renewed ("
                    + Redact.leaseId(renewed.id()) + (timeLeft == null ? "" : ", " + timeLeft.toMillis()
                    + " ms were left") + ")");
        }
        if (active) {
            try {
                observer.leaseRenewed(driver, renewed, timeLeft);
            } catch (RuntimeException e) {
                observerFailed(e);
            }
        }
    }

    /**
     * A keeper's renewal failed; definitive failures are followed by {@link #leaseLost}.
     *
     * @param lease the lease
     * @param cause the failure
     * @param definitive whether the lease is lost
     * @param safeTimeLeft the safe time left, or null for infinite leases
     */
    public void leaseRenewalFailed(Lease lease, ObjectStoreException cause, boolean definitive, Duration safeTimeLeft) {
        if (LEASE_LOG.isLoggable(Level.DEBUG)) {
            LEASE_LOG.log(Level.DEBUG, driver + " lease on" + quoted(lease.key()) + ": renewal failed with "
                    + cause.code() + (definitive ? " (definitive)" : ", retrying; "
                    + (safeTimeLeft == null ? "infinite lease" : safeTimeLeft.toMillis() + " ms of safe time left"))
                    + " (" + Redact.leaseId(lease.id()) + ": " + cause.getMessage() + ")");
        }
        if (active) {
            try {
                observer.leaseRenewalFailed(driver, lease, cause, definitive, safeTimeLeft);
            } catch (RuntimeException e) {
                observerFailed(e);
            }
        }
    }

    /**
     * A keeper lost its lease.
     *
     * @param lease the lease
     * @param cause why
     */
    public void leaseLost(Lease lease, ObjectStoreException cause) {
        LEASE_LOG.log(Level.WARNING, () -> driver + " lease on" + quoted(lease.key()) + " lost (" + cause.code()
                + ", " + Redact.leaseId(lease.id()) + "): " + cause.getMessage()
                + "; work under this lease must stop");
        if (active) {
            try {
                observer.leaseLost(driver, lease, cause);
            } catch (RuntimeException e) {
                observerFailed(e);
            }
        }
    }

    /**
     * A lease was released.
     *
     * @param lease the lease
     * @param now the time of the release, by the wall clock (used only for a lease a caller built,
     *     which has no monotonic stamp)
     */
    public void leaseReleased(Lease lease, Instant now) {
        java.util.OptionalLong sent = io.leasehold.core.internal.lease.LeaseTimes.sentNanos(lease);
        Duration left = lease.duration().isEmpty() ? null : sent.isPresent()
                ? Duration.ofNanos(sent.getAsLong() + lease.duration().get().toNanos() - System.nanoTime())
                : lease.expiresBy().map(by -> Duration.between(now, by)).orElse(null);
        if (LEASE_LOG.isLoggable(Level.DEBUG)) {
            LEASE_LOG.log(Level.DEBUG, driver + " lease on" + quoted(lease.key()) + " released ("
                    + Redact.leaseId(lease.id()) + (left == null ? "" : ", " + left.toMillis() + " ms were left") + ")");
        }
        if (active) {
            try {
                observer.leaseReleased(driver, lease, left);
            } catch (RuntimeException e) {
                observerFailed(e);
            }
        }
    }

    // ---------------------------------------------------------------- capabilities

    /**
     * Warns once about capabilities that weaken what the library can promise on this store.
     *
     * @param capabilities the store's capabilities
     */
    public void warnIfUnsafe(Capabilities capabilities) {
        StringBuilder unsafe = new StringBuilder();
        if (!capabilities.supports(Capability.PUT_IF_MATCH) || !capabilities.supports(Capability.PUT_IF_ABSENT)) {
            unsafe.append("; no conditional puts (").append(Capability.PUT_IF_MATCH).append('/')
                    .append(Capability.PUT_IF_ABSENT).append("): writes are last-writer-wins and update() is refused");
        }
        if (!capabilities.supports(Capability.STRONG_READS)) {
            unsafe.append("; no strong reads: read-modify-write and settlement may see an old version");
        }
        if (!capabilities.supports(Capability.USER_METADATA)) {
            unsafe.append("; no user metadata: writes carry no write id, so a write whose response is lost")
                    .append(" mostly ends as OutcomeUnknownException");
        }
        if (unsafe.length() > 0) {
            STORE_LOG.log(Level.WARNING, driver + " store" + unsafe);
        }
    }

    /**
     * Runs a caller-supplied listener callback: whatever it throws (an {@link Error} too) is logged at
     * warning level and changes no outcome.
     *
     * @param call the callback
     */
    public void listenerCall(Runnable call) {
        try {
            call.run();
        } catch (Throwable t) {
            STORE_LOG.log(Level.WARNING, () -> driver + ": a listener threw " + t.getClass().getName()
                    + "; ignored (listeners cannot change an operation's outcome)");
        }
    }

    // ---------------------------------------------------------------- helpers

    private static void observerFailed(RuntimeException e) {
        STORE_LOG.log(Level.DEBUG, () -> "a StoreObserver threw " + e.getClass().getName() + "; ignored");
    }

    private static ObjectStoreException storeException(Throwable t) {
        for (int depth = 0; t != null && depth < 16; depth++, t = t.getCause()) {
            if (t instanceof ObjectStoreException) {
                return (ObjectStoreException) t;
            }
        }
        return null;
    }

    private static String codeOf(ObjectStoreException e) {
        return e == null ? "an unclassified failure" : e.code().name();
    }

    private static String messageOf(ObjectStoreException e, Throwable raw) {
        return e != null ? e.getMessage() : raw == null ? "" : raw.getClass().getSimpleName();
    }

    private static String quoted(String key) {
        return key == null ? "" : " '" + key + "'";
    }
}
