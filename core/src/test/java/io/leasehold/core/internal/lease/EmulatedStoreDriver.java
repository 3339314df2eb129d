package io.leasehold.core.internal.lease;

import io.leasehold.spi.GetResponse;
import io.leasehold.spi.PutResponse;
import io.leasehold.spi.StoreDriver;
import io.leasehold.core.Capabilities;
import io.leasehold.core.Capability;
import io.leasehold.core.DeleteOptions;
import io.leasehold.core.ErrorCode;
import io.leasehold.core.GetOptions;
import io.leasehold.core.GetResult;
import io.leasehold.core.OutcomeUnknownException;
import io.leasehold.core.PutOptions;
import io.leasehold.core.PutResult;
import io.leasehold.core.TransientException;
import io.leasehold.driver.memory.MemoryDriver;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One "process" on a shared {@link MemoryDriver}: the memory store's objects with emulated leases
 * (built by the store over this driver) instead of its native leases, on a clock the test moves, recording every request and injecting
 * faults into lease record writes.
 */
final class EmulatedStoreDriver implements StoreDriver {
    /** What the next record write does. */
    enum Fault {
        /** The write lands, then its response is lost (outcome unknown). */
        LANDS_RESPONSE_LOST,
        /** The write does not land, and the caller cannot tell (outcome unknown). */
        LOST_BEFORE_LANDING,
        /** The write lands, another writer changes the record, then the response is lost. */
        LANDS_THEN_OVERWRITTEN_RESPONSE_LOST,
        /** The write does not land; a 503 says so. */
        TRANSIENT_BEFORE_LANDING,
        /** The write lands, its response is lost, and every record read after it is throttled. */
        LANDS_RESPONSE_LOST_THEN_READS_THROTTLED,
        /** The write lands; the store's answer names no ETag (some S3-compatible servers). */
        LANDS_WITHOUT_VERSION
    }

    final AtomicLong nanos;
    final List<String> requests = new CopyOnWriteArrayList<>();
    private final MemoryDriver target;
    private final Capabilities capabilities;
    private final Deque<Fault> recordFaults = new ArrayDeque<>();
    private volatile Runnable intruder = () -> { };
    private final java.util.concurrent.atomic.AtomicInteger throttledRecordReads = new java.util.concurrent.atomic.AtomicInteger();
    private volatile long lateRecordAnswerMillis;
    private final Deque<Fault> dataFaults = new ArrayDeque<>();
    private volatile Runnable beforeDataResend = () -> { };

    EmulatedStoreDriver(MemoryDriver target, AtomicLong nanos, boolean conditionalDelete) {
        this(target, nanos, conditionalDelete, false);
    }

    /** With {@code enforced}, as a store opened with {@code enforceLeases=true}. */
    EmulatedStoreDriver(MemoryDriver target, AtomicLong nanos, boolean conditionalDelete, boolean enforced) {
        this.target = target;
        this.nanos = nanos;
        Capabilities c = target.capabilities().without(Capability.NATIVE_LEASES, Capability.ENFORCED_LEASES)
                .with(Capability.EMULATED_LEASES);
        c = enforced ? c.with(Capability.ENFORCED_LEASES) : c;
        this.capabilities = conditionalDelete ? c : c.without(Capability.DELETE_IF_MATCH);
    }

    /** Queues faults for the next record writes, in order. */
    synchronized void failRecordWrites(Fault... faults) {
        recordFaults.addAll(List.of(faults));
    }

    /** Record writes land at once but their answers arrive this much later on this process's clock. */
    void lateRecordAnswers(long millis) {
        this.lateRecordAnswerMillis = millis;
    }

    /** Queues faults for the next writes of data objects (not records); only TRANSIENT_BEFORE_LANDING. */
    synchronized void failDataWrites(Fault... faults) {
        dataFaults.addAll(List.of(faults));
    }

    /** Runs when an injected data-write fault is answered (e.g. another holder takes the lease meanwhile). */
    void onDataFault(Runnable r) {
        this.beforeDataResend = r;
    }

    /** The next {@code n} record reads fail with a throttling answer (nothing read). */
    void throttleRecordReads(int n) {
        throttledRecordReads.set(n);
    }

    /** What {@link Fault#LANDS_THEN_OVERWRITTEN_RESPONSE_LOST} runs between landing and the lost response. */
    void intruder(Runnable r) {
        this.intruder = r;
    }

    MemoryDriver target() {
        return target;
    }

    long recordWrites() {
        return requests.stream().filter(r -> r.startsWith("put " + EmulatedLeases.RECORD_PREFIX)).count();
    }

    private synchronized Fault nextFault(String key) {
        return key.startsWith(EmulatedLeases.RECORD_PREFIX) ? recordFaults.poll() : dataFaults.poll();
    }

    @Override
    public String name() {
        return "emulated-memory";
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    @Override
    public PutResponse put(String key, byte[] content, PutOptions options) {
        requests.add("put " + key + " " + options.mode().kind()
                + (options.leaseId().isPresent() ? " LEASE-ID" : ""));
        Fault fault = nextFault(key);
        if (fault == Fault.TRANSIENT_BEFORE_LANDING) {
            if (!key.startsWith(EmulatedLeases.RECORD_PREFIX)) {
                beforeDataResend.run();
            }
            throw new TransientException(ErrorCode.TRANSIENT, key, "injected 503", null);
        }
        if (fault == Fault.LOST_BEFORE_LANDING) {
            throw new OutcomeUnknownException(key, "injected: timed out before landing", null);
        }
        PutResponse result = target.put(key, content, options);
        if (key.startsWith(EmulatedLeases.RECORD_PREFIX) && lateRecordAnswerMillis > 0) {
            nanos.addAndGet(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(lateRecordAnswerMillis));
        }
        if (fault == Fault.LANDS_WITHOUT_VERSION) {
            return PutResponse.withoutVersion(content.length);
        }
        if (fault == Fault.LANDS_THEN_OVERWRITTEN_RESPONSE_LOST) {
            intruder.run();
        }
        if (fault == Fault.LANDS_RESPONSE_LOST_THEN_READS_THROTTLED) {
            throttledRecordReads.set(Integer.MAX_VALUE);
        }
        if (fault != null) {
            throw new OutcomeUnknownException(key, "injected: response lost after landing", null);
        }
        return result;
    }

    @Override
    public GetResponse get(String key, GetOptions options, boolean withContent) {
        requests.add((withContent ? "get " : "head ") + key + (options.leaseId().isPresent() ? " LEASE-ID" : ""));
        if (key.startsWith(EmulatedLeases.RECORD_PREFIX) && throttledRecordReads.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new TransientException(ErrorCode.THROTTLED, key, "injected SlowDown", null);
        }
        return target.get(key, options, withContent);
    }

    @Override
    public void delete(String key, DeleteOptions options) {
        requests.add("delete " + key + (options.ifMatch().isPresent() ? " IF-MATCH" : "")
                + (options.leaseId().isPresent() ? " LEASE-ID" : ""));
        target.delete(key, options);
    }

    /** The store builds the emulated leases; this "process" times its observations on the test's clock. */
    @Override
    public <T> Optional<T> unwrap(Class<T> type) {
        if (type == EmulatedLeases.ObservationClock.class) {
            return Optional.of(type.cast((EmulatedLeases.ObservationClock) nanos::get));
        }
        return Optional.empty();
    }
}
