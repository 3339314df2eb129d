package io.leasehold.test.history;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * A recorder of operations from many concurrent processes, for {@link Checker}: call
 * {@link #invoke} just before sending a request and complete the returned {@link Op} exactly once
 * just after the answer arrives.
 *
 * <pre>{@code
 * History history = History.create();
 * History.Op op = history.invoke("worker-3", "counter", Counter.add(1));
 * try {
 *     long value = addOne(store);                     // your code under test
 *     op.ok(Counter.value(value));
 * } catch (OutcomeUnknownException e) {
 *     op.unknown(e.getClass().getSimpleName());       // may or may not have been applied
 * } catch (TransientException e) {
 *     op.failed("not applied");                       // only if it certainly had no effect
 * }
 * Checker.check(history, Models.counter()).assertOk();
 * }</pre>
 *
 * <h2>Time</h2>
 * Stamps come from {@link System#nanoTime()}, which on Linux reads CLOCK_MONOTONIC: comparable
 * across the JVMs of one machine. So child JVMs can each record a part, {@link #writeTo(Path)} it,
 * and the parent can {@link #read(Path)} and {@link #merge} the parts and check them together
 * (give every process a name unique across the JVMs). Operations never completed count as unknown.
 *
 * <h2>Line format</h2>
 * A first line {@code leasehold-history v1}, then one line per operation:
 * {@code op PROCESS KEY INVOKED COMPLETED CALL [FIELD=VALUE...] | KIND REASON [FIELD=VALUE...]},
 * where {@code COMPLETED} is {@code -} for an operation never completed, {@code KIND} is
 * {@code ok}, {@code refused}, {@code failed} or {@code unknown}, and every word is escaped
 * ({@code %XX} for UTF-8 bytes outside letters, digits and {@code -._~:/@+,;!*()}, a lone
 * {@code %} for the empty string). Blank lines and lines starting with {@code #} are ignored.
 *
 * <p>Thread-safety: safe for concurrent use; each {@link Op} may be completed from any thread.
 */
public final class History {
    private static final String HEADER = "leasehold-history v1";
    private static final Response NEVER_COMPLETED = Response.unknown("never completed");

    private final LongSupplier clock;
    private final List<Operation> imported;
    private final ConcurrentLinkedQueue<Op> recorded = new ConcurrentLinkedQueue<>();

    private History(LongSupplier clock, List<Operation> imported) {
        this.clock = clock;
        this.imported = imported;
    }

    /**
     * An empty history stamped with {@link System#nanoTime()}.
     *
     * @return the history
     */
    public static History create() {
        return new History(System::nanoTime, List.of());
    }

    /**
     * An empty history stamped by another monotonic clock in nanoseconds, e.g. a manual clock in a
     * test that builds a history with exact times.
     *
     * @param clock the clock; it must never go backwards
     * @return the history
     */
    public static History create(LongSupplier clock) {
        return new History(Objects.requireNonNull(clock, "clock"), List.of());
    }

    /**
     * A history holding the operations of all the given histories (e.g. parts recorded by child
     * JVMs), stamped with {@link System#nanoTime()} for further recording.
     *
     * @param parts the parts
     * @return the merged history
     */
    public static History merge(Collection<History> parts) {
        List<Operation> all = new ArrayList<>();
        for (History part : parts) {
            all.addAll(part.operations());
        }
        return new History(System::nanoTime, List.copyOf(all));
    }

    /**
     * A history holding the operations of all the given histories.
     *
     * @param parts the parts
     * @return the merged history
     */
    public static History merge(History... parts) {
        return merge(Arrays.asList(parts));
    }

    static History of(List<Operation> operations) {
        return new History(System::nanoTime, List.copyOf(operations));
    }

    /**
     * Records that a process is about to send a call; the time is taken now.
     *
     * @param process the calling process (a thread or client that makes one call at a time)
     * @param key the object called on; each key is checked as an independent object
     * @param call what is asked
     * @return the handle to complete exactly once
     * @throws IllegalArgumentException if the process or key is empty
     * @throws NullPointerException if an argument is null
     */
    public Op invoke(String process, String key, Call call) {
        Objects.requireNonNull(call, "call");
        if (Objects.requireNonNull(process, "process").isEmpty() || Objects.requireNonNull(key, "key").isEmpty()) {
            throw new IllegalArgumentException("process and key must not be empty");
        }
        Op op = new Op(process, key, call, clock.getAsLong());
        recorded.add(op);
        return op;
    }

    /**
     * A snapshot of all operations, ordered by invocation time; operations not yet completed are
     * shown as unknown with no completion time.
     *
     * @return an immutable list
     */
    public List<Operation> operations() {
        List<Operation> all = new ArrayList<>(imported);
        for (Op op : recorded) {
            all.add(op.snapshot());
        }
        all.sort(Comparator.comparingLong(Operation::invokedAt));
        return List.copyOf(all);
    }

    /**
     * The number of operations recorded so far.
     *
     * @return the count, completed or not
     */
    public int size() {
        return imported.size() + recorded.size();
    }

    /**
     * Writes a snapshot in the line format.
     *
     * @param out where to write; not closed
     * @throws UncheckedIOException if writing fails
     */
    public void writeTo(Writer out) {
        try {
            out.write(HEADER);
            out.write('\n');
            StringBuilder line = new StringBuilder(128);
            for (Operation op : operations()) {
                line.setLength(0);
                format(op, line);
                out.append(line).append('\n');
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes a snapshot in the line format to a file, replacing it.
     *
     * @param file the file
     * @throws UncheckedIOException if writing fails
     */
    public void writeTo(Path file) {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads a history written by {@link #writeTo(Writer)}.
     *
     * @param in the text; not closed
     * @return the history, stamped with {@link System#nanoTime()} for further recording
     * @throws IllegalArgumentException if the text is not in the line format (the message names the line)
     * @throws UncheckedIOException if reading fails
     */
    public static History read(Reader in) {
        BufferedReader lines = in instanceof BufferedReader ? (BufferedReader) in : new BufferedReader(in);
        List<Operation> ops = new ArrayList<>();
        int number = 0;
        boolean header = false;
        try {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                number++;
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                if (!header) {
                    if (!trimmed.equals(HEADER)) {
                        throw new IllegalArgumentException("line " + number + ": expected '" + HEADER + "'");
                    }
                    header = true;
                    continue;
                }
                try {
                    ops.add(parse(trimmed));
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException("line " + number + ": " + e.getMessage(), e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!header) {
            throw new IllegalArgumentException("no '" + HEADER + "' line: not a history");
        }
        return of(ops);
    }

    /**
     * Reads a history file written by {@link #writeTo(Path)}.
     *
     * @param file the file
     * @return the history
     * @throws IllegalArgumentException if the file is not in the line format
     * @throws UncheckedIOException if reading fails
     */
    public static History read(Path file) {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void format(Operation op, StringBuilder line) {
        line.append("op ").append(LineCodec.escape(op.process())).append(' ').append(LineCodec.escape(op.key()))
                .append(' ').append(op.invokedAt()).append(' ')
                .append(op.isCompleted() ? Long.toString(op.rawCompletedAt()) : "-")
                .append(' ').append(LineCodec.escape(op.call().name()));
        appendFields(line, op.call().rawFields());
        Response r = op.response();
        line.append(" | ").append(r.kind().name().toLowerCase(Locale.ROOT)).append(' ').append(LineCodec.escape(r.reason()));
        appendFields(line, r.rawFields());
    }

    private static void appendFields(StringBuilder line, String[] fields) {
        for (int i = 0; i < fields.length; i += 2) {
            line.append(' ').append(LineCodec.escape(fields[i])).append('=').append(LineCodec.escape(fields[i + 1]));
        }
    }

    private static Operation parse(String line) {
        String[] words = line.split(" ");
        int bar = Arrays.asList(words).indexOf("|");
        if (words.length < 6 || !words[0].equals("op") || bar < 6 || words.length < bar + 3) {
            throw new IllegalArgumentException("expected 'op PROCESS KEY INVOKED COMPLETED CALL [F=V...] | KIND REASON [F=V...]'");
        }
        String process = LineCodec.unescape(words[1]);
        String key = LineCodec.unescape(words[2]);
        long invokedAt = Long.parseLong(words[3]);
        Long completedAt = words[4].equals("-") ? null : Long.valueOf(words[4]);
        Call call = Call.restore(Fields.checkName("A call name", LineCodec.unescape(words[5])), parseFields(words, 6, bar));
        Response.Kind kind = Response.Kind.valueOf(words[bar + 1].toUpperCase(Locale.ROOT));
        String reason = LineCodec.unescape(words[bar + 2]);
        Response response = Response.restore(kind, reason, parseFields(words, bar + 3, words.length));
        if (completedAt == null && kind != Response.Kind.UNKNOWN) {
            throw new IllegalArgumentException("an operation never completed must be unknown");
        }
        return new Operation(process, key, call, response, invokedAt, completedAt);
    }

    private static String[] parseFields(String[] words, int from, int to) {
        String[] fields = Fields.NONE;
        for (int i = from; i < to; i++) {
            int eq = words[i].indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected FIELD=VALUE, got '" + words[i] + "'");
            }
            fields = Fields.with(fields, LineCodec.unescape(words[i].substring(0, eq)), LineCodec.unescape(words[i].substring(eq + 1)));
        }
        return fields;
    }

    /**
     * The handle of one invoked operation: complete it exactly once, with how it ended.
     *
     * <p>Thread-safety: safe for concurrent use; only the first completion counts, later ones throw.
     */
    public final class Op {
        private final String process;
        private final String key;
        private final Call call;
        private final long invokedAt;
        private final AtomicReference<Operation> done = new AtomicReference<>();

        private Op(String process, String key, Call call, long invokedAt) {
            this.process = process;
            this.key = key;
            this.call = call;
            this.invokedAt = invokedAt;
        }

        /**
         * Completes the operation with a response of any kind; the time is taken now.
         *
         * @param response how it ended
         * @return the recorded operation
         * @throws IllegalStateException if the operation was already completed
         */
        public Operation complete(Response response) {
            Objects.requireNonNull(response, "response");
            Operation op = new Operation(process, key, call, response, invokedAt, clock.getAsLong());
            if (!done.compareAndSet(null, op)) {
                throw new IllegalStateException("operation already completed: " + done.get());
            }
            return op;
        }

        /**
         * Completes the operation as successful with no fields (e.g. a put).
         *
         * @return the recorded operation
         * @throws IllegalStateException if the operation was already completed
         */
        public Operation ok() {
            return complete(Response.ok());
        }

        /**
         * Completes the operation as successful.
         *
         * @param response the answer, of kind {@link Response.Kind#OK} (e.g. {@code Counter.value(3)})
         * @return the recorded operation
         * @throws IllegalArgumentException if the response is not of kind OK
         * @throws IllegalStateException if the operation was already completed
         */
        public Operation ok(Response response) {
            if (response.kind() != Response.Kind.OK) {
                throw new IllegalArgumentException("ok(...) needs an OK response, got " + response);
            }
            return complete(response);
        }

        /**
         * Completes the operation as refused: the store's definite "no", with no effect.
         *
         * @param reason e.g. {@link Response#PRECONDITION_FAILED}
         * @return the recorded operation
         * @throws IllegalArgumentException if the reason is not letters, digits, {@code _ . -}
         * @throws IllegalStateException if the operation was already completed
         */
        public Operation refused(String reason) {
            return complete(Response.refused(reason));
        }

        /**
         * Completes the operation as failed with certainly no effect (the checker ignores it).
         *
         * @param note what happened, for reports
         * @return the recorded operation
         * @throws IllegalStateException if the operation was already completed
         */
        public Operation failed(String note) {
            return complete(Response.failed(note));
        }

        /**
         * Completes the operation with an unknown outcome: it may or may not have taken effect.
         *
         * @param note what happened, for reports
         * @return the recorded operation
         * @throws IllegalStateException if the operation was already completed
         */
        public Operation unknown(String note) {
            return complete(Response.unknown(note));
        }

        Operation snapshot() {
            Operation op = done.get();
            return op != null ? op : new Operation(process, key, call, NEVER_COMPLETED, invokedAt, null);
        }
    }
}
