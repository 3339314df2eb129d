package io.leasehold.test.history;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How one operation ended: its {@link Kind} and, for {@link Kind#OK}, named string fields such as
 * {@code value=3}; for a refusal, the reason; for a failure or an unknown outcome, a note shown in
 * reports.
 *
 * <h2>Kinds, and what the checker makes of each</h2>
 * <ul>
 *   <li>{@link Kind#OK}: the operation took effect and answered this; it must be linearizable at
 *       one point between its invocation and its completion.</li>
 *   <li>{@link Kind#REFUSED}: the store's definite "no" (precondition failed, already exists, not
 *       found): no effect, but the refusal is information, so it too must be linearizable at one
 *       point between invocation and completion, where the model must allow the refusal.</li>
 *   <li>{@link Kind#FAILED}: a definite failure with no effect and no information (invalid
 *       argument, a transient error known not to have been applied). The checker ignores it.</li>
 *   <li>{@link Kind#UNKNOWN}: it may or may not have taken effect (timeout, lost response, reset
 *       connection, 502/503/504 after the request was forwarded). The checker lets it take effect
 *       at any one point after its invocation, with no deadline, or not at all. Operations never
 *       completed count as unknown.</li>
 * </ul>
 *
 * <p>Thread-safety: immutable.
 */
public final class Response {
    /** The refusal reason of a conditional write or delete whose condition did not hold. */
    public static final String PRECONDITION_FAILED = "precondition-failed";
    /** The refusal reason of a create on a key that already holds an object. */
    public static final String ALREADY_EXISTS = "already-exists";
    /** The refusal reason of a read or delete of a key that holds no object. */
    public static final String NOT_FOUND = "not-found";

    /** How an operation ended. */
    public enum Kind {
        /** It took effect and answered. */
        OK,
        /** The store said a definite "no": no effect, and the refusal must be legal when it happened. */
        REFUSED,
        /** A definite failure with no effect, ignored by the checker. */
        FAILED,
        /** It may or may not have taken effect. */
        UNKNOWN
    }

    /** Shrinking only: the operation may have taken effect, but if so by its completion. */
    static final int BY_COMPLETION_IF_AT_ALL = 1;

    private static final Response EMPTY_OK = new Response(Kind.OK, "", Fields.NONE, 0);
    /** The response the checker hands a model for every unknown outcome, notes stripped. */
    static final Response UNKNOWN = new Response(Kind.UNKNOWN, "", Fields.NONE, 0);

    private final Kind kind;
    private final String reason;
    private final String[] fields;
    /** 0, or how the shrinker relaxed an answered operation (then the kind is unknown). */
    final int relaxation;
    /** A built-in model's parsed form of this response, as {@link Call#parsed}. */
    Object parsed;

    private Response(Kind kind, String reason, String[] fields, int relaxation) {
        this.kind = kind;
        this.reason = reason;
        this.fields = fields;
        this.relaxation = relaxation;
    }

    /** The shrinker's relaxation at a cut: it may have taken effect, and if at all then by its completion. */
    static Response byCompletionIfAtAll(Response original) {
        return new Response(Kind.UNKNOWN, "answered " + original + ", but cut: may or may not have taken effect", Fields.NONE,
                BY_COMPLETION_IF_AT_ALL);
    }

    /**
     * A successful response with no fields; add fields with {@link #with(String, Object)}.
     *
     * @return the response
     */
    public static Response ok() {
        return EMPTY_OK;
    }

    /**
     * A refusal: the store's definite "no", with no effect.
     *
     * @param reason e.g. {@link #PRECONDITION_FAILED}, {@link #ALREADY_EXISTS}, {@link #NOT_FOUND}
     * @return the response
     * @throws IllegalArgumentException if the reason is not letters, digits, {@code _ . -}
     */
    public static Response refused(String reason) {
        return new Response(Kind.REFUSED, Fields.checkName("A refusal reason", reason), Fields.NONE, 0);
    }

    /**
     * A definite failure with no effect (the checker ignores the operation).
     *
     * @param note what happened, for reports (never a secret)
     * @return the response
     */
    public static Response failed(String note) {
        return new Response(Kind.FAILED, Objects.requireNonNullElse(note, ""), Fields.NONE, 0);
    }

    /**
     * An unknown outcome: the operation may or may not have taken effect.
     *
     * @param note what happened, for reports (never a secret)
     * @return the response
     */
    public static Response unknown(String note) {
        return new Response(Kind.UNKNOWN, Objects.requireNonNullElse(note, ""), Fields.NONE, 0);
    }

    /**
     * A copy of this response with a field set (replacing a field of the same name).
     *
     * @param field letters, digits, {@code _ . -}
     * @param value the value, recorded as {@link String#valueOf(Object)}
     * @return the new response
     * @throws IllegalArgumentException if the field name is invalid or the value is null
     */
    public Response with(String field, Object value) {
        return new Response(kind, reason, Fields.with(fields, field, value), relaxation);
    }

    /**
     * How the operation ended.
     *
     * @return never null
     */
    public Kind kind() {
        return kind;
    }

    /**
     * The refusal reason, or the note of a failure or unknown outcome.
     *
     * @return empty for {@link Kind#OK}; never null
     */
    public String reason() {
        return reason;
    }

    /**
     * A field's value.
     *
     * @param field the field name
     * @return the value, or empty if the response has no such field
     */
    public Optional<String> field(String field) {
        return Optional.ofNullable(Fields.get(fields, field));
    }

    /**
     * All fields, in the order they were set.
     *
     * @return an unmodifiable map
     */
    public Map<String, String> fields() {
        return Fields.asMap(fields);
    }

    String raw(String field) {
        return Fields.get(fields, field);
    }

    String[] rawFields() {
        return fields;
    }

    static Response restore(Kind kind, String reason, String[] fields) {
        return new Response(kind, reason, fields, 0);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Response)) {
            return false;
        }
        Response r = (Response) o;
        return kind == r.kind && relaxation == r.relaxation && reason.equals(r.reason) && Arrays.equals(fields, r.fields);
    }

    @Override
    public int hashCode() {
        return (kind.hashCode() * 31 + reason.hashCode()) * 31 + Arrays.hashCode(fields);
    }

    /**
     * The response as shown in reports, e.g. {@code ok value=3} or {@code refused precondition-failed}.
     *
     * @return never null
     */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(kind.name().toLowerCase(java.util.Locale.ROOT));
        if (!reason.isEmpty()) {
            out.append(kind == Kind.REFUSED ? " " : " (").append(reason).append(kind == Kind.REFUSED ? "" : ")");
        }
        Fields.appendTo(out, fields);
        return out.toString();
    }
}
