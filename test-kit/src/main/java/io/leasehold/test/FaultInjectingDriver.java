package io.leasehold.test;

import io.leasehold.spi.GetResponse;
import io.leasehold.spi.PutResponse;
import io.leasehold.core.Capabilities;
import io.leasehold.core.DeleteOptions;
import io.leasehold.core.ErrorCode;
import io.leasehold.core.GetOptions;
import io.leasehold.core.GetResult;
import io.leasehold.core.ListOptions;
import io.leasehold.core.ObjectVersion;
import io.leasehold.core.ObjectStoreException;
import io.leasehold.core.OutcomeUnknownException;
import io.leasehold.core.PutOptions;
import io.leasehold.core.PutResult;
import io.leasehold.core.TransientException;
import io.leasehold.spi.LeaseDriver;
import io.leasehold.spi.ListResponse;
import io.leasehold.spi.StoreDriver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * A driver that wraps any other driver and misbehaves on demand, so your tests can prove that your
 * code copes with what real stores do: a write that lands but whose response is lost, a 503, another
 * writer getting in between your read and your write, a lease broken under you.
 *
 * <pre>{@code
 * FaultInjectingDriver faults = FaultInjectingDriver.wrap(MemoryDriver.create());
 * ObjectStore store = ObjectStore.of(faults);
 *
 * faults.nextPut().landsButResponseIsLost();          // the write is applied, the caller hears "unknown"
 * faults.nextGet().answers503();                      // and the read that would settle it fails
 * faults.nextGet().forKey("doc").thenAnotherWriterPuts(otherBytes);  // a writer right after your read
 * faults.breakLeaseIn("jobs/leader", Duration.ofSeconds(2));
 * }</pre>
 *
 * <h2>How faults are matched</h2>
 * Each scripted fault applies to the next matching request of its kind (optionally only for one key)
 * and fires as many times as {@link Fault#times(int)} says (once by default); faults of one kind
 * fire in the order they were scripted. A server-side copy counts as a put of its target. Requests are counted as the driver sees them: the
 * {@link io.leasehold.core.ObjectStore} facade above it still retries, settles ambiguous writes by
 * reading back, and re-reads in {@code update}, exactly as it does on a real store. So a single 503
 * is usually invisible to your code (the facade retries it), and a lost response is usually settled
 * (the facade finds its write id); script the follow-up fault (e.g. a failing read) to make the
 * ambiguity reach your code.
 *
 * <p>Thread-safety: safe for concurrent use; scripting and requests may happen on any thread.
 */
public final class FaultInjectingDriver implements StoreDriver {
    private enum Kind { PUT, GET, DELETE }

    private final StoreDriver target;
    private final List<Fault> scripted = new ArrayList<>();
    private final AtomicInteger injected = new AtomicInteger();
    private ScheduledExecutorService timer;

    private FaultInjectingDriver(StoreDriver target) {
        this.target = target;
    }

    /**
     * Wraps a driver. Closing the wrapper closes the driver.
     *
     * @param target any driver: the memory driver, or a real one (S3, Azure) for faults on real servers
     * @return the wrapper; pass it to {@link io.leasehold.core.ObjectStore#of(StoreDriver)}
     */
    public static FaultInjectingDriver wrap(StoreDriver target) {
        return new FaultInjectingDriver(Objects.requireNonNull(target, "target"));
    }

    /**
     * The wrapped driver; requests to it bypass the faults (e.g. to check what really landed).
     *
     * @return the driver
     */
    public StoreDriver target() {
        return target;
    }

    /**
     * Scripts a fault for the next put.
     *
     * @return the fault to complete with one of its actions
     */
    public Fault nextPut() {
        return new Fault(Kind.PUT);
    }

    /**
     * Scripts a fault for the next get or head (the facade's own reads, for settlement and in
     * {@code update}, count too).
     *
     * @return the fault to complete with one of its actions
     */
    public Fault nextGet() {
        return new Fault(Kind.GET);
    }

    /**
     * Scripts a fault for the next delete.
     *
     * @return the fault to complete with one of its actions
     */
    public Fault nextDelete() {
        return new Fault(Kind.DELETE);
    }

    /**
     * Breaks the lease on a key after a delay, as another process calling break would: from then on
     * renewals fail with {@link io.leasehold.core.LeaseLostException} (a keeper reports the loss at its
     * next renewal) and writes under the old lease id are refused.
     *
     * @param key the leased key
     * @param delay when to break it, from now
     * @throws UnsupportedOperationException if the wrapped driver has no leases
     */
    public void breakLeaseIn(String key, Duration delay) {
        LeaseDriver leases = target.leases().orElseThrow(() ->
                new UnsupportedOperationException(target.name() + " driver has no leases"));
        synchronized (scripted) {
            if (timer == null) {
                timer = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "leasehold-test-faults");
                    t.setDaemon(true);
                    return t;
                });
            }
            timer.schedule(() -> {
                leases.breakLease(key, Duration.ZERO);
                injected.incrementAndGet();
            }, delay.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /**
     * How many scripted faults have fired (each repetition counts).
     *
     * @return the count
     */
    public int injected() {
        return injected.get();
    }

    /**
     * How many scripted faults are still waiting for a matching request.
     *
     * @return the count
     */
    public int pending() {
        synchronized (scripted) {
            return scripted.size();
        }
    }

    // ---------------------------------------------------------------- the driver

    @Override
    public String name() {
        return target.name();
    }

    @Override
    public Capabilities capabilities() {
        return target.capabilities();
    }

    @Override
    public PutResponse put(String key, byte[] content, PutOptions options) {
        Fault fault = take(Kind.PUT, key);
        if (fault == null) {
            return target.put(key, content, options);
        }
        fault.beforeSending(key);
        target.put(key, content, options);
        throw fault.afterLanding(key);
    }

    @Override
    public GetResponse get(String key, GetOptions options, boolean withContent) {
        Fault fault = take(Kind.GET, key);
        if (fault == null) {
            return target.get(key, options, withContent);
        }
        fault.beforeSending(key);
        GetResponse result = target.get(key, options, withContent);
        fault.interleave(key);
        return result;
    }

    @Override
    public void delete(String key, DeleteOptions options) {
        Fault fault = take(Kind.DELETE, key);
        if (fault == null) {
            target.delete(key, options);
            return;
        }
        fault.beforeSending(key);
        target.delete(key, options);
        throw fault.afterLanding(key);
    }

    /**
     * {@inheritDoc}
     *
     * <p>A server-side copy is a write of its target: faults scripted with {@link #nextPut()} apply
     * to it (matched by the target's key).
     */
    @Override
    public PutResponse copy(String sourceKey, ObjectVersion sourceVersion, long sourceSize, String targetKey,
                            PutOptions targetOptions) {
        Fault fault = take(Kind.PUT, targetKey);
        if (fault == null) {
            return target.copy(sourceKey, sourceVersion, sourceSize, targetKey, targetOptions);
        }
        fault.beforeSending(targetKey);
        target.copy(sourceKey, sourceVersion, sourceSize, targetKey, targetOptions);
        throw fault.afterLanding(targetKey);
    }

    @Override
    public ListResponse list(String prefix, ListOptions options) {
        return target.list(prefix, options);
    }

    @Override
    public Optional<LeaseDriver> leases() {
        return target.leases();
    }

    @Override
    public <T> Optional<T> unwrap(Class<T> type) {
        return type.isInstance(this) ? Optional.of(type.cast(this)) : target.unwrap(type);
    }

    @Override
    public void close() {
        synchronized (scripted) {
            if (timer != null) {
                timer.shutdownNow();
            }
        }
        target.close();
    }

    @Override
    public String toString() {
        return "FaultInjectingDriver{" + target.name() + ", pending=" + pending() + ", injected=" + injected() + "}";
    }

    private Fault take(Kind kind, String key) {
        synchronized (scripted) {
            for (Iterator<Fault> it = scripted.iterator(); it.hasNext(); ) {
                Fault f = it.next();
                if (f.kind == kind && (f.key == null || f.key.equals(key))) {
                    if (--f.remaining == 0) {
                        it.remove();
                    }
                    injected.incrementAndGet();
                    return f;
                }
            }
            return null;
        }
    }

    /**
     * One scripted fault: narrow it with {@link #forKey} and {@link #times}, then arm it with one
     * action. A fault does nothing until its action is called.
     *
     * <p>Thread-safety: script on one thread; once armed it is used under the driver's lock.
     */
    public final class Fault {
        private final Kind kind;
        private String key;
        private int remaining = 1;
        private Action action;
        private ErrorCode code;
        private UnaryOperator<byte[]> otherWriter;

        private Fault(Kind kind) {
            this.kind = kind;
        }

        /**
         * Only requests for this key match.
         *
         * @param key the key
         * @return this fault
         */
        public Fault forKey(String key) {
            this.key = Objects.requireNonNull(key, "key");
            return this;
        }

        /**
         * The fault fires for this many matching requests (default 1).
         *
         * @param count at least 1
         * @return this fault
         */
        public Fault times(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("count must be at least 1");
            }
            this.remaining = count;
            return this;
        }

        /**
         * Put or delete: the request is applied, then the caller gets
         * {@link OutcomeUnknownException}, as after a timeout, a reset or a 5xx that followed the
         * write. (The facade then reads back to settle it.)
         *
         * @throws IllegalStateException on a get fault
         */
        public void landsButResponseIsLost() {
            requireMutation("landsButResponseIsLost");
            arm(Action.LANDS_RESPONSE_LOST, ErrorCode.OUTCOME_UNKNOWN, null);
        }

        /**
         * Put or delete: the request is applied, its response is lost, and the read the facade makes
         * to settle it fails too (the next get of that key fails with an unclassified error, which the
         * facade does not retry), so the ambiguity reaches your
         * code as {@link OutcomeUnknownException}, although the write is in the store. The case to
         * test whether your code re-applies a change that already landed.
         *
         * @throws IllegalStateException on a get fault
         */
        public void landsButOutcomeStaysUnknown() {
            requireMutation("landsButOutcomeStaysUnknown");
            arm(Action.LANDS_UNSETTLED, ErrorCode.OUTCOME_UNKNOWN, null);
        }

        /**
         * Put or delete: the request times out without being applied; the caller gets
         * {@link OutcomeUnknownException} all the same (it cannot know).
         *
         * @throws IllegalStateException on a get fault
         */
        public void timesOutWithoutLanding() {
            requireMutation("timesOutWithoutLanding");
            arm(Action.FAILS, ErrorCode.OUTCOME_UNKNOWN, null);
        }

        /** The store answers 503 (slow down) before applying anything: a retryable {@link ErrorCode#THROTTLED}. */
        public void answers503() {
            arm(Action.FAILS, ErrorCode.THROTTLED, null);
        }

        /**
         * The request fails before anything is applied, with this code.
         *
         * @param failure {@link ErrorCode#THROTTLED}, {@link ErrorCode#TRANSIENT}, {@link ErrorCode#CONFLICT}
         *     (retryable), {@link ErrorCode#OUTCOME_UNKNOWN} (puts and deletes) or {@link ErrorCode#UNKNOWN}
         * @throws IllegalArgumentException for other codes (script those with a real condition instead)
         */
        public void fails(ErrorCode failure) {
            if (!failure.retryable() && failure != ErrorCode.OUTCOME_UNKNOWN && failure != ErrorCode.UNKNOWN) {
                throw new IllegalArgumentException(failure + " comes from real conditions; script THROTTLED,"
                        + " TRANSIENT, CONFLICT, OUTCOME_UNKNOWN or UNKNOWN");
            }
            if (failure == ErrorCode.OUTCOME_UNKNOWN) {
                requireMutation("fails(OUTCOME_UNKNOWN)");
            }
            arm(Action.FAILS, failure, null);
        }

        /**
         * Get: the read succeeds, then another writer overwrites the key (unconditionally, through the
         * wrapped driver) before the result reaches the caller, so a write conditioned on what was
         * read loses the race.
         *
         * @param content what the other writer writes
         * @throws IllegalStateException on a put or delete fault
         */
        public void thenAnotherWriterPuts(byte[] content) {
            byte[] copy = content.clone();
            thenAnotherWriterChanges(current -> copy);
        }

        /**
         * Get: the read succeeds, then another writer changes the key (read, change, unconditional
         * write, through the wrapped driver) before the result reaches the caller.
         *
         * @param change from the current content (null if absent) to the other writer's content
         * @throws IllegalStateException on a put or delete fault
         */
        public void thenAnotherWriterChanges(UnaryOperator<byte[]> change) {
            if (kind != Kind.GET) {
                throw new IllegalStateException("another writer is scripted after a read: use nextGet()");
            }
            arm(Action.INTERLEAVE, null, Objects.requireNonNull(change, "change"));
        }

        private void requireMutation(String what) {
            if (kind == Kind.GET) {
                throw new IllegalStateException(what + " applies to puts and deletes");
            }
        }

        private void arm(Action action, ErrorCode code, UnaryOperator<byte[]> otherWriter) {
            if (this.action != null) {
                throw new IllegalStateException("this fault is already armed");
            }
            this.action = action;
            this.code = code;
            this.otherWriter = otherWriter;
            synchronized (scripted) {
                scripted.add(this);
            }
        }

        /** Throws for faults that fail before the request reaches the store. */
        void beforeSending(String requestKey) {
            if (action == Action.FAILS) {
                throw failure(requestKey, code == ErrorCode.OUTCOME_UNKNOWN
                        ? "injected: timed out (not applied)" : "injected: " + describe(code) + " before applying");
            }
        }

        /** The exception a mutation whose request landed reports. */
        ObjectStoreException afterLanding(String requestKey) {
            if (action == Action.LANDS_UNSETTLED) {
                Fault readBack = new Fault(Kind.GET).forKey(requestKey);
                // Unclassified, so the facade does not read again: the outcome stays unknown.
                readBack.action = Action.FAILS;
                readBack.code = ErrorCode.UNKNOWN;
                synchronized (scripted) {
                    scripted.add(0, readBack);
                }
            }
            return failure(requestKey, "injected: applied, then the response was lost");
        }

        /** Runs the other writer after a read. */
        void interleave(String requestKey) {
            if (action != Action.INTERLEAVE) {
                return;
            }
            byte[] current;
            try {
                current = target.get(requestKey, GetOptions.defaults(), true).content();
            } catch (io.leasehold.core.ObjectNotFoundException absent) {
                current = null;
            }
            target.put(requestKey, otherWriter.apply(current), PutOptions.defaults());
        }

        private ObjectStoreException failure(String requestKey, String message) {
            switch (code) {
                case OUTCOME_UNKNOWN:
                    return new OutcomeUnknownException(requestKey, message, null);
                case THROTTLED:
                case TRANSIENT:
                case CONFLICT:
                    return new TransientException(code, requestKey, message, null);
                default:
                    return new ObjectStoreException(code, requestKey, message, null);
            }
        }

        private String describe(ErrorCode c) {
            switch (c) {
                case THROTTLED:
                    return "HTTP 503 SlowDown";
                case CONFLICT:
                    return "HTTP 409 ConditionalRequestConflict";
                case TRANSIENT:
                    return "HTTP 500";
                default:
                    return c.name();
            }
        }
    }

    private enum Action { LANDS_RESPONSE_LOST, LANDS_UNSETTLED, FAILS, INTERLEAVE }
}
