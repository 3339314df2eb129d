package io.leasehold.core.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Helpers for the protocols, which are written once as chains of {@link CompletableFuture}s and run
 * either on the caller's thread (the blocking API: every request completes before it returns, so
 * the chain runs inline) or without blocking (the asynchronous API).
 *
 * <p>Thread-safety: stateless.
 */
public final class Futures {
    /** Marks the asynchronous API's callback threads, where waiting for a future is refused. */
    private static final ThreadLocal<Boolean> CALLBACK_THREAD = new ThreadLocal<>();

    private Futures() {
    }

    /** Marks the calling thread as a callback thread of the asynchronous API (called by its thread factory). */
    public static void markCallbackThread() {
        CALLBACK_THREAD.set(Boolean.TRUE);
    }

    /**
     * Whether the calling thread is a callback thread of the asynchronous API.
     *
     * @return true on a callback thread
     */
    public static boolean onCallbackThread() {
        return CALLBACK_THREAD.get() != null;
    }

    /**
     * A future failed with {@code t}.
     *
     * @param t the failure
     * @param <T> the value type
     * @return the failed future
     */
    public static <T> CompletableFuture<T> failed(Throwable t) {
        CompletableFuture<T> f = new CompletableFuture<>();
        f.completeExceptionally(t);
        return f;
    }

    /**
     * Runs a step that returns a future; anything it throws (an {@link Error} too) becomes the
     * future's failure, so one failing step never escapes the chain that hands work on.
     *
     * @param step the step
     * @param <T> the value type
     * @return the step's future, or a failed one
     */
    public static <T> CompletableFuture<T> attempt(Supplier<CompletableFuture<T>> step) {
        try {
            CompletableFuture<T> f = step.get();
            return f == null ? failed(new NullPointerException("a step returned no future")) : f;
        } catch (Throwable t) {
            return failed(t);
        }
    }

    /**
     * The failure itself, without the {@link CompletionException} / {@link ExecutionException}
     * wrappers that future chains add.
     *
     * @param t a failure from a future
     * @return the original failure
     */
    public static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    /**
     * Waits for a future on the blocking API's boundary and returns its value, or throws its
     * original failure unchanged: a {@link RuntimeException} or {@link Error} as is, a checked
     * exception (thrown sneakily by a caller's function) as is too, without wrapping.
     *
     * @param f the future; with the blocking API it is normally complete already
     * @param <T> the value type
     * @return the value
     * @throws IllegalStateException if it would wait on a callback thread of the asynchronous API
     */
    public static <T> T join(CompletableFuture<T> f) {
        if (!f.isDone() && onCallbackThread()) {
            // Waiting here could stall every asynchronous operation of the store (or deadlock it).
            throw new IllegalStateException("a blocking call of the library on one of its asynchronous callback"
                    + " threads (e.g. the blocking API used from an update function of the asynchronous API);"
                    + " use the asynchronous API there");
        }
        try {
            return f.join();
        } catch (CompletionException | java.util.concurrent.CancellationException e) {
            throw sneaky(unwrap(e));
        }
    }

    /**
     * Throws any throwable without declaring it (for a caller's function that threw a checked
     * exception sneakily: the caller gets exactly what it threw).
     *
     * @param t the throwable
     * @return never returns; declared so callers can write {@code throw sneaky(t)}
     */
    public static RuntimeException sneaky(Throwable t) {
        Futures.<RuntimeException>throwAs(t);
        throw new AssertionError("unreachable");
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> void throwAs(Throwable t) throws E {
        throw (E) t;
    }

    /** One turn of a {@link #loop}: either the final value, or "go round again". */
    public static final class Turn<T> {
        private static final Turn<?> AGAIN = new Turn<>(null, true);
        private final T value;
        private final boolean again;

        private Turn(T value, boolean again) {
            this.value = value;
            this.again = again;
        }

        /**
         * Ends the loop with a value.
         *
         * @param value the value
         * @param <T> the value type
         * @return the turn
         */
        public static <T> Turn<T> done(T value) {
            return new Turn<>(value, false);
        }

        /**
         * Goes round again.
         *
         * @param <T> the value type
         * @return the turn
         */
        @SuppressWarnings("unchecked")
        public static <T> Turn<T> again() {
            return (Turn<T>) AGAIN;
        }

        /**
         * A step's future mapped to "done with its value".
         *
         * @param f the future
         * @param <T> the value type
         * @return the turn's future
         */
        public static <T> CompletableFuture<Turn<T>> doneWith(CompletableFuture<T> f) {
            return f.thenApply(Turn::done);
        }
    }

    /**
     * Runs {@code body} until it returns a {@link Turn#done} turn, without growing the stack when
     * turns complete at once (the blocking API), and without blocking when they complete later.
     * A body that throws or fails ends the loop with that failure.
     *
     * @param body one turn
     * @param <T> the value type
     * @return the loop's value
     */
    public static <T> CompletableFuture<T> loop(Supplier<CompletableFuture<Turn<T>>> body) {
        CompletableFuture<T> result = new CompletableFuture<>();
        new Looper<>(body, result).run();
        return result;
    }

    private static final class Looper<T> implements Runnable {
        private final Supplier<CompletableFuture<Turn<T>>> body;
        private final CompletableFuture<T> result;

        Looper(Supplier<CompletableFuture<Turn<T>>> body, CompletableFuture<T> result) {
            this.body = body;
            this.result = result;
        }

        @Override
        public void run() {
            while (true) {
                CompletableFuture<Turn<T>> turn = attempt(body);
                if (!turn.isDone()) {
                    turn.whenComplete((t, e) -> {
                        if (finish(t, e)) {
                            return;
                        }
                        run();
                    });
                    return;
                }
                Turn<T> t;
                Throwable e = null;
                try {
                    t = turn.join();
                } catch (Throwable failure) {
                    t = null;
                    e = failure;
                }
                if (finish(t, e)) {
                    return;
                }
            }
        }

        /** Completes the result if the turn ended the loop; true if it did. */
        private boolean finish(Turn<T> t, Throwable e) {
            if (e != null) {
                result.completeExceptionally(unwrap(e));
                return true;
            }
            if (!t.again) {
                result.complete(t.value);
                return true;
            }
            return false;
        }
    }

    /**
     * Maps a failure of {@code f} through {@code onFailure} (which may recover with a value or a new
     * future, or fail), passing successes on.
     *
     * @param f the future
     * @param onFailure what to do with the (unwrapped) failure
     * @param <T> the value type
     * @return the mapped future
     */
    public static <T> CompletableFuture<T> recover(CompletableFuture<T> f,
                                                   Function<Throwable, CompletableFuture<T>> onFailure) {
        return f.handle((value, failure) -> failure == null ? CompletableFuture.completedFuture(value)
                : attempt(() -> onFailure.apply(unwrap(failure)))).thenCompose(Function.identity());
    }
}
