package io.leasehold.test.history;

import java.util.List;
import java.util.Optional;

/**
 * Calls and responses of the counter model ({@link Models#counter()}): an integer changed only by
 * read-modify-write additions, such as {@code store.update(key, n -> n + delta)}.
 *
 * <ul>
 *   <li>{@link #add(long)} answers {@link #value(long)} with the new value, or fails (no effect),
 *       or has an unknown outcome (added once, or not at all);</li>
 *   <li>{@link #get()} answers {@link #value(long)}, or is refused {@link Response#NOT_FOUND} while
 *       no addition has taken effect (a missing counter reads as 0).</li>
 * </ul>
 *
 * <p>Thread-safety: stateless.
 */
public final class Counter {
    static final String ADD = "add";
    static final String GET = "get";
    private static final Call GET_CALL = Call.of(GET);

    private Counter() {
    }

    /**
     * Adds {@code delta} (through a read and a conditional write).
     *
     * @param delta the amount, may be negative
     * @return the call
     */
    public static Call add(long delta) {
        return Call.of(ADD).with("delta", delta);
    }

    /**
     * Reads the value.
     *
     * @return the call
     */
    public static Call get() {
        return GET_CALL;
    }

    /**
     * The answer of an addition (the new value) or of a read.
     *
     * @param value the value
     * @return the response
     */
    public static Response value(long value) {
        return Response.ok().with("value", value);
    }

    /** A counter state: a value, or "any value" while shrinking. */
    record State(long value, boolean any) {
        static final State ANY = new State(0, true);

        @Override
        public String toString() {
            return any ? "any" : Long.toString(value);
        }
    }

    /** The counter model; stateless. */
    static final class CounterModel implements Model<State> {
        private static final State ZERO = new State(0, false);

        @Override
        public String name() {
            return "counter";
        }

        @Override
        public State initial() {
            return ZERO;
        }

        @Override
        public List<State> step(State state, Call call, Response response) {
            switch (call.name()) {
                case ADD:
                    return add(state, delta(call), response);
                case GET:
                    return get(state, response);
                default:
                    throw new IllegalArgumentException("the counter model has no call '" + call.name() + "'");
            }
        }

        /** The delta, parsed once per call: the model runs millions of steps on few calls. */
        private static long delta(Call call) {
            Object parsed = call.parsed;
            if (parsed instanceof Long) {
                return (Long) parsed;
            }
            long delta = number(call.raw("delta"), "add needs delta=N");
            call.parsed = delta;
            return delta;
        }

        private static List<State> add(State state, long delta, Response response) {
            switch (response.kind()) {
                case UNKNOWN:
                    return List.of(state.any ? State.ANY : new State(state.value + delta, false));
                case OK:
                    String text = response.raw("value");
                    if (text == null) {
                        return List.of(state.any ? State.ANY : new State(state.value + delta, false));
                    }
                    long value = number(text, "value=N");
                    return state.any || state.value + delta == value ? List.of(new State(value, false)) : List.of();
                default:
                    throw new IllegalArgumentException("a counter add is never refused; record it as failed if it "
                            + "certainly had no effect, or unknown (" + response + ")");
            }
        }

        private static List<State> get(State state, Response response) {
            long value;
            if (response.kind() == Response.Kind.REFUSED && response.reason().equals(Response.NOT_FOUND)) {
                value = 0;
            } else if (response.kind() == Response.Kind.OK) {
                value = number(response.raw("value"), "a counter read answers value=N");
            } else {
                throw new IllegalArgumentException("a counter read answers value=N or refused not-found (" + response + ")");
            }
            return state.any || state.value == value ? List.of(new State(value, false)) : List.of();
        }

        private static long number(String text, String expected) {
            if (text == null) {
                throw new IllegalArgumentException(expected);
            }
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(expected + " (got '" + text + "')", e);
            }
        }

        @Override
        public boolean readOnly(Call call) {
            return call.name().equals(GET);
        }

        @Override
        public Optional<State> anyState() {
            return Optional.of(State.ANY);
        }
    }
}
