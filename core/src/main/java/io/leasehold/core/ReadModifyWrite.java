package io.leasehold.core;

import io.github.resilience4j.retry.Retry;
import io.leasehold.spi.StoreDriver;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@link ObjectStore#update} call: read, apply the function, write conditioned on the version
 * read, and on a lost race or a failure re-read and try again under the caller's retry. Every write
 * carries a fresh write id; a write whose outcome is unknown is settled from the next read
 * ({@link Settlement}) before the function is applied again, so a change is never applied twice:
 * found, the write is the result; proven absent, the loop goes on; neither, the call ends with
 * {@link OutcomeUnknownException}.
 *
 * <p>Thread-safety: confined to the calling thread.
 */
final class ReadModifyWrite {
    private final ObjectStore store;
    private final StoreDriver driver;
    private final String key;
    private final UpdateFunction fn;
    private final UpdateOptions options;
    private final boolean uniqueEtags;
    /** Every write this call sent, by write id: any of them found in the store is this call's result. */
    private final Map<String, Sent> sent = new LinkedHashMap<>();
    /** Sent writes whose outcome is unknown and not yet settled. */
    private final List<Sent> pending = new ArrayList<>();
    private OutcomeUnknownException unresolved;
    /** The version the caller holds, used instead of the first read; null once used or if none. */
    private GetResult held;
    private int attempts;
    private int conflicts;

    ReadModifyWrite(ObjectStore store, StoreDriver driver, String key, UpdateFunction fn, UpdateOptions options) {
        this.store = store;
        this.driver = driver;
        this.key = key;
        this.fn = fn;
        this.options = options;
        this.uniqueEtags = store.capabilities().supports(Capability.ETAG_CHANGES_ON_IDENTICAL_REWRITE);
        this.held = options.startingFrom().map(GetResult::bookkept).orElse(null);
    }

    /** How many attempts the loop has made so far. */
    int attempts() {
        return attempts;
    }

    /** Attempts of the default retry (no caller-supplied {@link Retry} or configuration). */
    static final int DEFAULT_MAX_ATTEMPTS = 100;

    /** Runs the loop under the caller's {@code retry}; reports to the listener. */
    UpdateResult run(Retry retry) {
        try {
            return succeeded(Retry.decorateSupplier(retry, this::attempt).get());
        } catch (RuntimeException e) {
            throw gaveUp(e);
        }
    }

    /**
     * Runs the loop with the default retry: up to {@value #DEFAULT_MAX_ATTEMPTS} attempts, retrying
     * lost races, transient failures and unknown outcomes (settled by the next read), with a backoff
     * sized to the contention observed on the key ({@link Contention}).
     */
    UpdateResult runAdaptive(Contention.Key contention) {
        try {
            for (int retry = 0; ; retry++) {
                long started = System.nanoTime();
                try {
                    UpdateResult result = attempt();
                    contention.record(false, System.nanoTime() - started);
                    return succeeded(result);
                } catch (ObjectStoreException e) {
                    contention.record(Conflicts.isLostRace(e), System.nanoTime() - started);
                    boolean retryable = Conflicts.isRetryableAfterReread(e) || e.code() == ErrorCode.OUTCOME_UNKNOWN;
                    if (!retryable || attempts >= DEFAULT_MAX_ATTEMPTS) {
                        throw e;
                    }
                    try {
                        java.util.concurrent.TimeUnit.NANOSECONDS.sleep(contention.backoffNanos(retry + 1));
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        throw e;
                    }
                }
            }
        } catch (RuntimeException e) {
            throw gaveUp(e);
        }
    }

    private UpdateResult succeeded(UpdateResult result) {
        options.listener().onSuccess(result);
        return result;
    }

    /** What the caller gets when the loop ends without a result; reported to the listener. */
    private RuntimeException gaveUp(RuntimeException e) {
        RuntimeException last;
        if (e instanceof Unresolved) {
            last = ((Unresolved) e).outcome;
        } else if (!pending.isEmpty()) {
            // The retries ended (e.g. every re-read failed) while a write's outcome was still open:
            // the change may be in the store, so the caller must not be told it is safe to resend.
            last = unknown("the retries ended before a write whose outcome is unknown could be settled", e);
        } else {
            last = e;
        }
        options.listener().onGiveUp(key, attempts, last);
        return last;
    }

    private UpdateResult attempt() {
        if (unresolved != null) {
            // A caller-supplied retry may retry anything; an unresolvable outcome stays final.
            throw new Unresolved(unresolved);
        }
        int attempt = ++attempts;
        Sent write = null;
        try {
            GetResult current = held != null ? held : read();
            held = null; // only the first attempt may skip the read: after a failure the caller's copy is stale
            UpdateResult landed = settle(current, attempt);
            if (landed != null) {
                return landed;
            }
            byte[] before = current == null ? null : current.content();
            byte[] after = fn.apply(before);
            if (after == null) {
                throw new InvalidArgumentException("fn", "returned null");
            }
            write = new Sent(WriteTag.newWriteId(), current, after);
            PutOptions put = putOptions(current, write);
            sent.put(write.settle.writeId, write);
            options.listener().onWriteSent(key, attempt, write.settle.writeId);
            PutResult written = store.sendOnce(key, after, put, write.settle);
            return new UpdateResult(written, after, attempt, conflicts, current == null);
        } catch (ObjectStoreException e) {
            if (write != null && e.code() == ErrorCode.OUTCOME_UNKNOWN) {
                write.failure = e;
                pending.add(write);
                // Settle at once: the fewer writes that follow it, the likelier the evidence is there.
                try {
                    UpdateResult landed = settle(read(), attempt);
                    if (landed != null) {
                        return landed;
                    }
                } catch (ObjectStoreException readFailed) {
                    // The next attempt reads again; a pending write blocks applying fn until settled.
                }
            }
            if (Conflicts.isRetryableAfterReread(e) || e.code() == ErrorCode.OUTCOME_UNKNOWN) {
                conflicts++;
                options.listener().onConflict(key, attempt, e);
            }
            throw e;
        }
    }

    private PutOptions putOptions(GetResult current, Sent write) {
        PutOptions.Builder put = PutOptions.builder()
                .mode(current == null ? PutMode.create() : PutMode.update(current.info().version()))
                .userMetadata(options.userMetadata())
                .contentType(options.contentType().orElse(null))
                .leaseId(options.leaseId().orElse(null))
                .consistency(store.strongest());
        if (store.capabilities().supports(Capability.USER_METADATA)) {
            put.metadata(WriteTag.WRITE_ID, write.settle.writeId);
            put.metadata(WriteTag.HISTORY, current == null
                    ? WriteTag.CREATED
                    : WriteTag.historyAfter(write.settle.baseToken, WriteTag.of(current.info().userMetadata()).history()));
        }
        return put.build();
    }

    /** The current object with its raw metadata (bookkeeping included), or null if absent. */
    private GetResult read() {
        GetOptions.Builder read = GetOptions.builder().consistency(store.strongest());
        options.leaseId().ifPresent(read::leaseId);
        try {
            return store.wrap(key, () -> driver.get(key, options.leaseId().isPresent()
                    ? Leases.guard(store.leases(), key, read.build()) : read.build(), true));
        } catch (ObjectNotFoundException absent) {
            return null;
        }
    }

    /**
     * Looks for this call's writes in the current object: returns the result if one landed; clears
     * pending writes proven absent; throws {@link Unresolved} if one can be neither found nor ruled out.
     */
    private UpdateResult settle(GetResult current, int attempt) {
        Settlement.Current now = Settlement.Current.of(current == null ? null : current.info());
        if (!now.absent()) {
            for (Sent write : sent.values()) {
                Settlement.Verdict verdict = Settlement.ofPut(write.settle, now, uniqueEtags);
                if (verdict == Settlement.Verdict.LANDED || verdict == Settlement.Verdict.SUPERSEDED) {
                    store.observing().settled(StoreObserver.Operation.UPDATE, key, verdict);
                    // A write of ours landed although its response was lost or said otherwise
                    // (e.g. a 412 for a request re-sent below this layer): do not apply fn twice.
                    pending.clear();
                    options.listener().onAmbiguousWriteResolved(key, attempt);
                    PutResult put = verdict == Settlement.Verdict.LANDED
                            ? ObjectStore.landedAs(current.info(), write.settle.writeId)
                            : PutResult.superseded(key, write.content.length, write.settle.writeId);
                    return new UpdateResult(put, write.content, attempt, conflicts, write.create);
                }
            }
        }
        for (Sent write : pending) {
            Settlement.Verdict verdict = Settlement.ofPut(write.settle, now, uniqueEtags);
            store.observing().settled(StoreObserver.Operation.UPDATE, key, verdict);
            if (verdict != Settlement.Verdict.NOT_LANDED) {
                unresolved = unknown("a write whose response was lost may have landed; the object has changed"
                        + " since and holds no evidence either way (see ObjectStore#update), so the change is"
                        + " not applied again", write.failure);
                throw new Unresolved(unresolved);
            }
        }
        pending.clear();
        return null;
    }

    private OutcomeUnknownException unknown(String message, Throwable cause) {
        return new OutcomeUnknownException(key, message, cause);
    }

    /** A write this call sent. */
    private static final class Sent {
        final Settlement.SentWrite settle;
        final byte[] content;
        final boolean create;
        /** Why its outcome is unknown, once it is. */
        ObjectStoreException failure;

        Sent(String writeId, GetResult base, byte[] content) {
            this.settle = base == null
                    ? Settlement.SentWrite.unconditioned(writeId)
                    : Settlement.SentWrite.onBase(writeId, base.info().version()
                            .withWriteId(WriteTag.of(base.info().userMetadata()).writeId()));
            this.content = content;
            this.create = base == null;
        }
    }

    /** Internal signal: an ambiguous write can neither be found nor ruled out; ends the update. */
    private static final class Unresolved extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient OutcomeUnknownException outcome;

        Unresolved(OutcomeUnknownException outcome) {
            super(null, null, false, false);
            this.outcome = outcome;
        }
    }
}
