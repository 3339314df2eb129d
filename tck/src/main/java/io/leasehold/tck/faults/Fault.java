package io.leasehold.tck.faults;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;

/**
 * What {@link FaultProxy} does to one request: pass it through, or fail it at a chosen moment
 * relative to the upstream server applying it.
 *
 * <h2>Kinds</h2>
 * <ul>
 *   <li>{@link Kind#NONE}: forward and relay the answer (optionally delayed: {@link #delay}).</li>
 *   <li>{@link Kind#LOSE_RESPONSE}: forward, read the whole upstream answer (the server applied the
 *       request), then close the client's connection without answering.</li>
 *   <li>{@link Kind#ERROR_AFTER_APPLY}: forward, then answer the client with an error status and a
 *       plausible error body of the upstream's {@link ErrorDialect} instead of the real answer.</li>
 *   <li>{@link Kind#GATEWAY_ERROR_AFTER_APPLY}: forward, then answer as an intermediary in front of
 *       the store would (a service mesh sidecar, a load balancer, an API gateway whose upstream
 *       timed out): a 5xx with a plain-text body and none of the store's error codes or request
 *       ids, whatever the dialect. Such an answer proves nothing about the write.</li>
 *   <li>{@link Kind#REJECT_BEFORE_APPLY}: answer with an error status (S3 {@code SlowDown}, Azure
 *       {@code ServerBusy} for 503) without forwarding.</li>
 *   <li>{@link Kind#RESET_BEFORE_APPLY}: reset the client's connection (TCP RST) without forwarding.</li>
 *   <li>{@link Kind#RESET_AFTER_APPLY}: forward, read the answer, then reset the client's connection.</li>
 *   <li>{@link Kind#DROP_MID_BODY}: forward, relay the answer's head and the first
 *       {@link #bodyBytes()} bytes of its body, then close the client's connection (a download
 *       dropped part-way; closed rather than reset, so that the client surely receives the bytes
 *       sent before: a reset may discard data not yet read).</li>
 * </ul>
 * Any kind can carry a delay before forwarding and a delay after the upstream answered
 * ({@link #withDelay}), and can hold the answer until a test opens a gate ({@link #heldUntil}).
 *
 * <p>Thread-safety: immutable.
 */
public final class Fault {
    /** When the request fails, relative to the server applying it. */
    public enum Kind {
        /** Forwarded and answered faithfully. */
        NONE,
        /** Forwarded and applied; the client gets no answer (connection closed). */
        LOSE_RESPONSE,
        /** Forwarded and applied; the client gets an error status instead of the real answer. */
        ERROR_AFTER_APPLY,
        /**
         * Forwarded and applied; the client gets a plain-text 5xx from an intermediary, with no store
         * error code.
         */
        GATEWAY_ERROR_AFTER_APPLY,
        /** Never forwarded; the client gets an error status. */
        REJECT_BEFORE_APPLY,
        /** Never forwarded; the client's connection is reset. */
        RESET_BEFORE_APPLY,
        /** Forwarded and applied; the client's connection is reset. */
        RESET_AFTER_APPLY,
        /** Forwarded; the client gets the head and part of the body, then its connection is closed. */
        DROP_MID_BODY;

        /**
         * Whether a request with this fault reaches the upstream server.
         *
         * @return false for the two "before apply" kinds
         */
        public boolean forwards() {
            return this != REJECT_BEFORE_APPLY && this != RESET_BEFORE_APPLY;
        }
    }

    private static final Fault NONE = new Fault(Kind.NONE, 0, null, Duration.ZERO, Duration.ZERO, null, 0);
    /** Longest a {@link #heldUntil} gate is waited for. */
    static final Duration MAX_HOLD = Duration.ofSeconds(60);

    private final Kind kind;
    private final int status;
    private final String errorCode;
    private final Duration delayBefore;
    private final Duration delayAfter;
    private final CountDownLatch gate;
    private final long bodyBytes;

    private Fault(Kind kind, int status, String errorCode, Duration delayBefore, Duration delayAfter, CountDownLatch gate,
                  long bodyBytes) {
        this.kind = kind;
        this.status = status;
        this.errorCode = errorCode;
        this.delayBefore = delayBefore;
        this.delayAfter = delayAfter;
        this.gate = gate;
        this.bodyBytes = bodyBytes;
    }

    private Fault(Kind kind, int status, String errorCode, Duration delayBefore, Duration delayAfter) {
        this(kind, status, errorCode, delayBefore, delayAfter, null, 0);
    }

    /**
     * No fault: forward and relay.
     *
     * @return the fault
     */
    public static Fault none() {
        return NONE;
    }

    /**
     * Forward (the server applies the request), then close the client's connection unanswered.
     *
     * @return the fault
     */
    public static Fault loseResponse() {
        return new Fault(Kind.LOSE_RESPONSE, 0, null, Duration.ZERO, Duration.ZERO);
    }

    /**
     * Forward, then answer with {@code status} and the dialect's usual error code for it
     * ({@code InternalError} for 500).
     *
     * @param status an HTTP status, 400 to 599
     * @return the fault
     */
    public static Fault errorAfterApply(int status) {
        return errorAfterApply(status, null);
    }

    /**
     * Forward, then answer with {@code status} and this error code (e.g. RGW's {@code UnknownError}).
     *
     * @param status an HTTP status, 400 to 599
     * @param errorCode the error code in the body (and {@code x-ms-error-code}), or null for the dialect's default
     * @return the fault
     */
    public static Fault errorAfterApply(int status, String errorCode) {
        return new Fault(Kind.ERROR_AFTER_APPLY, checkStatus(status), errorCode, Duration.ZERO, Duration.ZERO);
    }

    /**
     * Forward, then answer as an intermediary would: {@code status} with a short plain-text body
     * (e.g. {@code upstream request timeout}) and no store error code, error header or request id,
     * in every dialect. The store applied the write; the client cannot tell.
     *
     * @param status 500 to 599; intermediaries send 502, 503 and 504
     * @return the fault
     * @throws IllegalArgumentException if the status is not a 5xx
     */
    public static Fault gatewayErrorAfterApply(int status) {
        if (status < 500 || status > 599) {
            throw new IllegalArgumentException("an intermediary's error status is 5xx, was " + status);
        }
        return new Fault(Kind.GATEWAY_ERROR_AFTER_APPLY, status, null, Duration.ZERO, Duration.ZERO);
    }

    /**
     * Answer with {@code status} without forwarding (503: S3 {@code SlowDown}, Azure {@code ServerBusy}).
     *
     * @param status an HTTP status, 400 to 599
     * @return the fault
     */
    public static Fault rejectBeforeApply(int status) {
        return rejectBeforeApply(status, null);
    }

    /**
     * Answer with {@code status} and this error code without forwarding.
     *
     * @param status an HTTP status, 400 to 599
     * @param errorCode the error code, or null for the dialect's default
     * @return the fault
     */
    public static Fault rejectBeforeApply(int status, String errorCode) {
        return new Fault(Kind.REJECT_BEFORE_APPLY, checkStatus(status), errorCode, Duration.ZERO, Duration.ZERO);
    }

    /**
     * Reset the client's connection without forwarding.
     *
     * @return the fault
     */
    public static Fault resetBeforeApply() {
        return new Fault(Kind.RESET_BEFORE_APPLY, 0, null, Duration.ZERO, Duration.ZERO);
    }

    /**
     * Forward, then reset the client's connection.
     *
     * @return the fault
     */
    public static Fault resetAfterApply() {
        return new Fault(Kind.RESET_AFTER_APPLY, 0, null, Duration.ZERO, Duration.ZERO);
    }

    /**
     * Forward, relay the answer's head and the first {@code bodyBytes} bytes of its body, then close
     * the client's connection: a download whose connection drops part-way (the body ends early).
     *
     * @param bodyBytes how many body bytes the client gets (all of a shorter body)
     * @return the fault
     */
    public static Fault dropMidBody(long bodyBytes) {
        if (bodyBytes < 0) {
            throw new IllegalArgumentException("bodyBytes must not be negative");
        }
        return new Fault(Kind.DROP_MID_BODY, 0, null, Duration.ZERO, Duration.ZERO, null, bodyBytes);
    }

    /**
     * Forward and relay faithfully, but wait before forwarding and after the upstream answered.
     *
     * @param before wait before forwarding
     * @param after wait after the upstream answered, before the client is answered
     * @return the fault
     */
    public static Fault delay(Duration before, Duration after) {
        return NONE.withDelay(before, after);
    }

    /**
     * This fault with delays added. A delay after is not applied to faults that never forward.
     *
     * @param before wait before forwarding (or before rejecting)
     * @param after wait after the upstream answered
     * @return a new fault
     */
    public Fault withDelay(Duration before, Duration after) {
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
        if (before.isNegative() || after.isNegative()) {
            throw new IllegalArgumentException("delays must not be negative");
        }
        return new Fault(kind, status, errorCode, before, after, gate, bodyBytes);
    }

    /**
     * This fault, but once the upstream answered (and after any delay) the proxy holds the client's
     * answer until {@code gate} opens (at most 60 s), then applies the fault. For scenarios that must
     * act while a write has landed and its caller still waits (no timing involved). A fault that never
     * forwards is not held.
     *
     * @param gate opened by the test with {@code countDown()}
     * @return a new fault
     */
    public Fault heldUntil(CountDownLatch gate) {
        return new Fault(kind, status, errorCode, delayBefore, delayAfter, Objects.requireNonNull(gate, "gate"), bodyBytes);
    }

    private static int checkStatus(int status) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("error status must be 400..599, was " + status);
        }
        return status;
    }

    /**
     * The kind.
     *
     * @return never null
     */
    public Kind kind() {
        return kind;
    }

    /**
     * The status sent to the client for {@link Kind#ERROR_AFTER_APPLY}, {@link Kind#GATEWAY_ERROR_AFTER_APPLY}
     * and {@link Kind#REJECT_BEFORE_APPLY}.
     *
     * @return the status, or 0 for other kinds
     */
    public int status() {
        return status;
    }

    /**
     * The error code to send, when not the dialect's default.
     *
     * @return the code, or null
     */
    public String errorCode() {
        return errorCode;
    }

    /**
     * The wait before forwarding.
     *
     * @return never null
     */
    public Duration delayBefore() {
        return delayBefore;
    }

    /**
     * The wait after the upstream answered.
     *
     * @return never null
     */
    public Duration delayAfter() {
        return delayAfter;
    }

    /**
     * How many body bytes the client gets before a {@link Kind#DROP_MID_BODY} drop.
     *
     * @return the count, 0 for other kinds
     */
    public long bodyBytes() {
        return bodyBytes;
    }

    /**
     * The gate the answer is held behind.
     *
     * @return the gate, or null
     */
    public CountDownLatch gate() {
        return gate;
    }

    /**
     * Whether this fault changes anything at all (a kind other than NONE, or a delay).
     *
     * @return true unless it is a plain pass-through
     */
    public boolean isFault() {
        return kind != Kind.NONE || !delayBefore.isZero() || !delayAfter.isZero() || gate != null;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Fault)) {
            return false;
        }
        Fault f = (Fault) o;
        return kind == f.kind && status == f.status && Objects.equals(errorCode, f.errorCode)
                && delayBefore.equals(f.delayBefore) && delayAfter.equals(f.delayAfter) && gate == f.gate
                && bodyBytes == f.bodyBytes;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, status, errorCode, delayBefore, delayAfter, gate == null ? 0 : System.identityHashCode(gate),
                bodyBytes);
    }

    /** E.g. {@code ERROR_AFTER_APPLY(500)}, {@code NONE+delay(0ms/20ms)}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(kind.name());
        if (status != 0) {
            b.append('(').append(status);
            if (errorCode != null) {
                b.append(' ').append(errorCode);
            }
            b.append(')');
        }
        if (kind == Kind.DROP_MID_BODY) {
            b.append('(').append(bodyBytes).append(" bytes)");
        }
        if (!delayBefore.isZero() || !delayAfter.isZero()) {
            b.append("+delay(").append(delayBefore.toMillis()).append("ms/").append(delayAfter.toMillis()).append("ms)");
        }
        if (gate != null) {
            b.append("+held");
        }
        return b.toString();
    }
}
