package io.leasehold.core.internal.io;

import io.leasehold.core.AsyncOptions;
import io.leasehold.core.ErrorCode;
import io.leasehold.core.TransientException;
import io.leasehold.core.internal.Futures;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The threads and limits of one store's asynchronous API ({@link AsyncOptions}): callback threads for
 * protocol steps, caller functions and future completions; blocking threads for driver calls that have no
 * non-blocking form; a timer for waits; and the admission of operations (at most {@code maxInFlight} at
 * once, {@code maxQueued} waiting without a thread, the rest refused before anything is sent).
 *
 * <p>Thread-safety: safe for concurrent use.
 */
public final class AsyncRuntime implements AutoCloseable {
    /** Prefix of callback threads' names. */
    public static final String CALLBACK_PREFIX = "leasehold-async-";
    /** Prefix of blocking threads' names. */
    public static final String BLOCKING_PREFIX = "leasehold-blocking-";

    private static final AtomicInteger RUNTIMES = new AtomicInteger();

    private final AsyncOptions options;
    private final ThreadPoolExecutor callbacks;
    private final ThreadPoolExecutor blocking;
    private final ScheduledThreadPoolExecutor timer;
    private final Object admission = new Object();
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    private int inFlight;

    /**
     * A runtime with the given options.
     *
     * @param storeName the store's driver name, for thread names
     * @param options the options
     */
    public AsyncRuntime(String storeName, AsyncOptions options) {
        this.options = options;
        int id = RUNTIMES.incrementAndGet();
        ThreadFactory callbackThreads = daemon(CALLBACK_PREFIX + storeName + "-" + id + "-");
        this.callbacks = new ThreadPoolExecutor(options.callbackThreads(), options.callbackThreads(), 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> callbackThreads.newThread(() -> {
                    Futures.markCallbackThread();
                    r.run();
                }));
        this.callbacks.allowCoreThreadTimeOut(true);
        this.blocking = new ThreadPoolExecutor(options.blockingThreads(), options.blockingThreads(), 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), daemon(BLOCKING_PREFIX + storeName + "-" + id + "-"));
        this.blocking.allowCoreThreadTimeOut(true);
        this.timer = new ScheduledThreadPoolExecutor(1, daemon("leasehold-timer-" + storeName + "-" + id + "-"));
        this.timer.setRemoveOnCancelPolicy(true);
    }

    /**
     * The options.
     *
     * @return the options
     */
    public AsyncOptions options() {
        return options;
    }

    /**
     * Where protocol steps, caller functions and completions run.
     *
     * @return the callback executor
     */
    public Executor callbacks() {
        return callbacks;
    }

    /**
     * Where blocking driver calls run.
     *
     * @return the blocking executor
     */
    public ExecutorService blocking() {
        return blocking;
    }


    /**
     * A future completed on a callback thread after {@code nanos}.
     *
     * @param nanos the wait
     * @return the future
     */
    public CompletableFuture<Void> after(long nanos) {
        CompletableFuture<Void> due = new CompletableFuture<>();
        timer.schedule(() -> callbacks.execute(() -> due.complete(null)), Math.max(0, nanos), TimeUnit.NANOSECONDS);
        return due;
    }

    /**
     * A future that completes like {@code f}, but on a callback thread: whatever the thread that completes
     * {@code f} (an SDK thread), the stages after it run here.
     *
     * @param f the future
     * @param <T> its type
     * @return the hopped future
     */
    public <T> CompletableFuture<T> hop(CompletableFuture<T> f) {
        CompletableFuture<T> hopped = new CompletableFuture<>();
        f.whenComplete((v, e) -> callbacks.execute(() -> {
            if (e != null) {
                hopped.completeExceptionally(Futures.unwrap(e));
            } else {
                hopped.complete(v);
            }
        }));
        return hopped;
    }

    /**
     * Runs a blocking call on a blocking thread; its answer continues on a callback thread.
     *
     * @param call the call
     * @param <T> its type
     * @return its answer
     */
    public <T> CompletableFuture<T> offload(Supplier<T> call) {
        CompletableFuture<T> done = new CompletableFuture<>();
        blocking.execute(() -> {
            T value;
            try {
                value = call.get();
            } catch (Throwable t) {
                callbacks.execute(() -> done.completeExceptionally(t));
                return;
            }
            callbacks.execute(() -> done.complete(value));
        });
        return done;
    }

    /**
     * Admits one operation: runs {@code start} now if fewer than {@code maxInFlight} run, later (without a
     * thread) if fewer than {@code maxQueued} wait, or refuses it.
     *
     * @param key the key, for the refusal
     * @param start starts the operation; its future's completion frees the slot
     * @param <T> its type
     * @return the operation's future
     */
    public <T> CompletableFuture<T> admit(String key, Supplier<CompletableFuture<T>> start) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Runnable run = () -> Futures.attempt(start).whenComplete((v, e) -> {
            release();
            if (e != null) {
                result.completeExceptionally(Futures.unwrap(e));
            } else {
                result.complete(v);
            }
        });
        synchronized (admission) {
            if (inFlight < options.maxInFlight()) {
                inFlight++;
            } else if (waiting.size() < options.maxQueued()) {
                waiting.add(run);
                return result;
            } else {
                return Futures.failed(new TransientException(ErrorCode.THROTTLED, key, "more than "
                        + options.maxInFlight() + " operations are in flight and " + options.maxQueued()
                        + " waiting on this store; nothing was sent", null));
            }
        }
        callbacks.execute(run);
        return result;
    }

    private void release() {
        Runnable next;
        synchronized (admission) {
            next = waiting.poll();
            if (next == null) {
                inFlight--;
                return;
            }
        }
        callbacks.execute(next);
    }

    /**
     * Operations running now (for tests and metrics).
     *
     * @return the number in flight
     */
    public int inFlight() {
        synchronized (admission) {
            return inFlight;
        }
    }

    /** Stops the threads; operations still running are abandoned. */
    @Override
    public void close() {
        timer.shutdownNow();
        blocking.shutdown();
        callbacks.shutdown();
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
