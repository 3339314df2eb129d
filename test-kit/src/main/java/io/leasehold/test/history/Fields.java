package io.leasehold.test.history;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Named string fields of a {@link Call} or {@link Response}, kept as a flat array
 * {@code [name0, value0, name1, value1, ...]} in insertion order: small, cheap to compare, and
 * read on the checker's hot path without a map.
 */
final class Fields {
    static final String[] NONE = new String[0];
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+");

    private Fields() {
    }

    static String checkName(String what, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(what + " must be letters, digits, '_', '.' or '-' (got "
                    + (name == null ? "null" : "'" + name + "'") + ")");
        }
        return name;
    }

    static String[] with(String[] fields, String name, Object value) {
        checkName("A field name", name);
        if (value == null) {
            throw new IllegalArgumentException("field '" + name + "' has a null value");
        }
        String text = String.valueOf(value);
        for (int i = 0; i < fields.length; i += 2) {
            if (fields[i].equals(name)) {
                String[] copy = fields.clone();
                copy[i + 1] = text;
                return copy;
            }
        }
        String[] copy = Arrays.copyOf(fields, fields.length + 2);
        copy[fields.length] = name;
        copy[fields.length + 1] = text;
        return copy;
    }

    /** The value of a field, or null: the models' hot path, hence no Optional. */
    static String get(String[] fields, String name) {
        for (int i = 0; i < fields.length; i += 2) {
            if (fields[i].equals(name)) {
                return fields[i + 1];
            }
        }
        return null;
    }

    static Map<String, String> asMap(String[] fields) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < fields.length; i += 2) {
            map.put(fields[i], fields[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }

    static void appendTo(StringBuilder out, String[] fields) {
        for (int i = 0; i < fields.length; i += 2) {
            out.append(' ').append(fields[i]).append('=').append(fields[i + 1]);
        }
    }
}
