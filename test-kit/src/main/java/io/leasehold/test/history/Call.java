package io.leasehold.test.history;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * What one operation asked of an object: a name such as {@code "add"} or {@code "put-if-match"}
 * and named string fields such as {@code delta=1}. A {@link Model} gives calls their meaning;
 * {@link Counter} and {@link Register} make the calls of the built-in models.
 *
 * <p>Two calls are equal when their names and fields (in order) are equal. The checker relies on
 * this: unknown-outcome operations with equal calls are interchangeable (see {@link Checker}), so a
 * call must carry everything that distinguishes its effect, such as a write id.
 *
 * <p>Thread-safety: immutable.
 */
public final class Call {
    private final String name;
    private final String[] fields;
    /**
     * A built-in model's parsed form of this call, cached on first use; not part of the value. Racy
     * on purpose: the parsed form is immutable with final fields, so any thread sees it whole.
     */
    Object parsed;

    private Call(String name, String[] fields) {
        this.name = name;
        this.fields = fields;
    }

    /**
     * A call with a name and no fields; add fields with {@link #with(String, Object)}.
     *
     * @param name letters, digits, {@code _ . -}
     * @return the call
     * @throws IllegalArgumentException if the name is null, empty or has other characters
     */
    public static Call of(String name) {
        return new Call(Fields.checkName("A call name", name), Fields.NONE);
    }

    /**
     * A copy of this call with a field set (replacing a field of the same name).
     *
     * @param field letters, digits, {@code _ . -}
     * @param value the value, recorded as {@link String#valueOf(Object)}
     * @return the new call
     * @throws IllegalArgumentException if the field name is invalid or the value is null
     */
    public Call with(String field, Object value) {
        return new Call(name, Fields.with(fields, field, value));
    }

    /**
     * The call's name.
     *
     * @return never null
     */
    public String name() {
        return name;
    }

    /**
     * A field's value.
     *
     * @param field the field name
     * @return the value, or empty if the call has no such field
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

    static Call restore(String name, String[] fields) {
        return new Call(name, fields);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Call && name.equals(((Call) o).name) && Arrays.equals(fields, ((Call) o).fields);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(fields);
    }

    /**
     * The call as shown in reports, e.g. {@code add delta=1}.
     *
     * @return never null
     */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(name);
        Fields.appendTo(out, fields);
        return out.toString();
    }
}
