package io.leasehold.testing;

import io.leasehold.spi.GetResponse;
import io.leasehold.spi.PutResponse;
import io.leasehold.core.Capabilities;
import io.leasehold.core.DeleteOptions;
import io.leasehold.core.ErrorCode;
import io.leasehold.core.GetOptions;
import io.leasehold.core.GetResult;
import io.leasehold.core.OutcomeUnknownException;
import io.leasehold.core.PreconditionFailedException;
import io.leasehold.core.PutOptions;
import io.leasehold.core.PutResult;
import io.leasehold.core.TransientException;
import io.leasehold.driver.memory.MemoryDriver;
import io.leasehold.spi.StoreDriver;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;

/**
 * Fault injection over a {@link MemoryDriver}: on selected puts (by 1-based call number) it either
 * applies the write and then loses the response, or fails before applying it.
 */
public final class FaultyDriver implements StoreDriver {
    /** What a selected put does. */
    public enum Fault {
        /** The write lands, then the caller gets OutcomeUnknownException. */
        APPLY_THEN_OUTCOME_UNKNOWN,
        /** The write lands, then the caller gets a TransientException (e.g. a reset connection). */
        APPLY_THEN_TRANSIENT,
        /** The write lands, then the caller gets a 412, as when an SDK re-sent a request whose first try landed. */
        APPLY_THEN_PRECONDITION_FAILED,
        /** The write does not land; the caller gets a TransientException. */
        TRANSIENT_BEFORE_APPLY
    }

    private final MemoryDriver target = MemoryDriver.create();
    private final Fault fault;
    private final IntPredicate faultyPut;
    private final AtomicInteger puts = new AtomicInteger();
    private final AtomicInteger applied = new AtomicInteger();
    private final AtomicInteger injected = new AtomicInteger();
    private final List<String> appliedCallers = new CopyOnWriteArrayList<>();
    private volatile Runnable interleave = () -> { };

    public FaultyDriver(Fault fault, IntPredicate faultyPut) {
        this.fault = fault;
        this.faultyPut = faultyPut;
    }

    public MemoryDriver target() {
        return target;
    }

    public int puts() {
        return puts.get();
    }

    /** Puts that changed the store. */
    public int applied() {
        return applied.get();
    }

    /** The "caller" user metadata of every applied put, in order. */
    public List<String> appliedCallers() {
        return appliedCallers;
    }

    /** Runs between an injected fault's write landing and its failure reaching the caller (other writers). */
    public void interleave(Runnable r) {
        this.interleave = r;
    }

    public int injected() {
        return injected.get();
    }

    @Override
    public String name() {
        return "faulty";
    }

    @Override
    public Capabilities capabilities() {
        return target.capabilities();
    }

    @Override
    public PutResponse put(String key, byte[] content, PutOptions options) {
        int n = puts.incrementAndGet();
        boolean inject = faultyPut.test(n);
        if (inject && fault == Fault.TRANSIENT_BEFORE_APPLY) {
            injected.incrementAndGet();
            throw new TransientException(ErrorCode.TRANSIENT, key, "injected 503 before apply", null);
        }
        PutResponse result = target.put(key, content, options);
        applied.incrementAndGet();
        appliedCallers.add(String.valueOf(options.userMetadata().get("caller")));
        if (inject) {
            injected.incrementAndGet();
            interleave.run();
            if (fault == Fault.APPLY_THEN_PRECONDITION_FAILED) {
                throw new PreconditionFailedException(key, "injected: 412 on a re-sent request", null);
            }
            if (fault == Fault.APPLY_THEN_OUTCOME_UNKNOWN) {
                throw new OutcomeUnknownException(key, "injected: response lost after apply", null);
            }
            throw new TransientException(ErrorCode.TRANSIENT, key, "injected: connection reset after apply", null);
        }
        return result;
    }

    @Override
    public GetResponse get(String key, GetOptions options, boolean withContent) {
        return target.get(key, options, withContent);
    }

    @Override
    public void delete(String key, DeleteOptions options) {
        target.delete(key, options);
    }
}
