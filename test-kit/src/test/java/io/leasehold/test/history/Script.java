package io.leasehold.test.history;

import java.util.concurrent.atomic.AtomicLong;

/** Builds a synthetic history with exact times on one key (or several), for tests. */
final class Script {
    private final AtomicLong clock = new AtomicLong();
    final History history = History.create(clock::get);
    private String key = "k";

    Script key(String key) {
        this.key = key;
        return this;
    }

    /** An operation invoked at {@code from} that completed at {@code to} with {@code response}. */
    Script op(String process, long from, long to, Call call, Response response) {
        clock.set(from);
        History.Op op = history.invoke(process, key, call);
        clock.set(to);
        op.complete(response);
        return this;
    }

    /** An operation invoked at {@code from} that never completed. */
    Script pending(String process, long from, Call call) {
        clock.set(from);
        history.invoke(process, key, call);
        return this;
    }
}
