package io.leasehold.test.history;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * One recorded operation: which process called what on which key, what came back, and when
 * ({@link System#nanoTime()} stamps, comparable across the JVMs of one Linux machine).
 *
 * <p>An operation never completed has an {@link Response.Kind#UNKNOWN} response and no completion
 * time.
 *
 * <p>Thread-safety: immutable.
 */
public final class Operation {
    private final String process;
    private final String key;
    private final Call call;
    private final Response response;
    private final long invokedAt;
    private final long completedAt;
    private final boolean completed;

    Operation(String process, String key, Call call, Response response, long invokedAt, Long completedAt) {
        this.process = process;
        this.key = key;
        this.call = call;
        this.response = response;
        this.invokedAt = invokedAt;
        this.completed = completedAt != null;
        this.completedAt = completed ? completedAt : 0;
    }

    /**
     * The process that called: one sequential actor (a thread, a client) per name.
     *
     * @return never null
     */
    public String process() {
        return process;
    }

    /**
     * The key: each key is an independent object and is checked on its own.
     *
     * @return never null
     */
    public String key() {
        return key;
    }

    /**
     * What was asked.
     *
     * @return never null
     */
    public Call call() {
        return call;
    }

    /**
     * How it ended.
     *
     * @return never null; unknown if never completed
     */
    public Response response() {
        return response;
    }

    /**
     * When it was invoked (taken before the request was sent).
     *
     * @return a {@link System#nanoTime()} stamp
     */
    public long invokedAt() {
        return invokedAt;
    }

    /**
     * When it completed (taken after the answer arrived).
     *
     * @return a {@link System#nanoTime()} stamp, or empty if never completed
     */
    public OptionalLong completedAt() {
        return completed ? OptionalLong.of(completedAt) : OptionalLong.empty();
    }

    boolean isCompleted() {
        return completed;
    }

    long rawCompletedAt() {
        return completedAt;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Operation)) {
            return false;
        }
        Operation op = (Operation) o;
        return invokedAt == op.invokedAt && completedAt == op.completedAt && completed == op.completed
                && process.equals(op.process) && key.equals(op.key) && call.equals(op.call)
                && response.equals(op.response);
    }

    @Override
    public int hashCode() {
        return Objects.hash(process, key, call, response, invokedAt, completedAt, completed);
    }

    /**
     * The operation as one line, e.g. {@code p1 k add delta=1 -> ok value=3}.
     *
     * @return never null
     */
    @Override
    public String toString() {
        return process + " " + key + " " + call + " -> " + response;
    }
}
