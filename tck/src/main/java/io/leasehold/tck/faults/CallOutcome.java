package io.leasehold.tck.faults;

import io.leasehold.core.ErrorCode;
import io.leasehold.core.ObjectStoreException;
import java.util.Objects;

/**
 * How one logical call (an {@code update}, a {@code put}, a user's retry loop) ended, as its caller
 * saw it, for {@link WriteAudit}.
 *
 * <ul>
 *   <li>{@link Kind#ACKNOWLEDGED}: it returned normally; its write must have landed exactly once.</li>
 *   <li>{@link Kind#FAILED}: it threw an exception that says nothing was applied (a lost race,
 *       "already exists", a transient failure after retries, …); its write must not have landed.</li>
 *   <li>{@link Kind#OUTCOME_UNKNOWN}: {@link io.leasehold.core.OutcomeUnknownException}; it may have
 *       landed, at most once.</li>
 *   <li>{@link Kind#UNCLASSIFIED}: anything else ({@link ErrorCode#UNKNOWN}, or not an
 *       {@link ObjectStoreException}): the library did not classify the outcome.</li>
 * </ul>
 *
 * <p>Thread-safety: immutable.
 */
public final class CallOutcome {
    /** The classes of outcome. */
    public enum Kind {
        /** Returned normally. */
        ACKNOWLEDGED,
        /** Failed, and the failure says nothing was applied. */
        FAILED,
        /** Failed with {@link ErrorCode#OUTCOME_UNKNOWN}. */
        OUTCOME_UNKNOWN,
        /** Failed without a classification. */
        UNCLASSIFIED
    }

    private static final CallOutcome ACK = new CallOutcome(Kind.ACKNOWLEDGED, null, null);

    private final Kind kind;
    private final ErrorCode code;
    private final String failure;

    private CallOutcome(Kind kind, ErrorCode code, String failure) {
        this.kind = kind;
        this.code = code;
        this.failure = failure;
    }

    /**
     * The call returned normally.
     *
     * @return the outcome
     */
    public static CallOutcome acknowledged() {
        return ACK;
    }

    /**
     * The call threw.
     *
     * @param failure what it threw
     * @return the outcome its code stands for
     */
    public static CallOutcome of(Throwable failure) {
        Objects.requireNonNull(failure, "failure");
        String text = failure.getClass().getSimpleName() + ": " + failure.getMessage();
        if (!(failure instanceof ObjectStoreException)) {
            return new CallOutcome(Kind.UNCLASSIFIED, null, text);
        }
        ErrorCode code = ((ObjectStoreException) failure).code();
        switch (code) {
            case OUTCOME_UNKNOWN:
                return new CallOutcome(Kind.OUTCOME_UNKNOWN, code, text);
            case UNKNOWN:
                return new CallOutcome(Kind.UNCLASSIFIED, code, text);
            default:
                return new CallOutcome(Kind.FAILED, code, text);
        }
    }

    /**
     * The class of outcome.
     *
     * @return never null
     */
    public Kind kind() {
        return kind;
    }

    /**
     * The error code of a failure.
     *
     * @return the code, or null when acknowledged or not an {@link ObjectStoreException}
     */
    public ErrorCode code() {
        return code;
    }

    /**
     * The failure's type and message.
     *
     * @return the text, or null when acknowledged
     */
    public String failure() {
        return failure;
    }

    @Override
    public String toString() {
        return code == null ? kind.name() : kind + "(" + code + ")";
    }
}
