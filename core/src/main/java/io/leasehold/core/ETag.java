package io.leasehold.core;

import java.util.Objects;

/**
 * An entity tag, normalised once: {@code "abc"}, {@code abc} and {@code W/"abc"} all parse to the
 * opaque value {@code abc} (the last one marked weak), so ETags from any store or header compare
 * correctly.
 *
 * <p>Comparison follows RFC 9110 section 8.8.3: {@link #strongMatch} (used by If-Match) requires
 * both tags to be strong; {@link #weakMatch} (used by If-None-Match) ignores weakness. The special
 * value {@link #ANY} stands for {@code *}.
 *
 * <p>Thread-safety: immutable.
 */
public final class ETag {
    /** The wildcard {@code *}: matches any current representation. */
    public static final ETag ANY = new ETag("*", false, true);

    private final String value;
    private final boolean weak;
    private final boolean any;

    private ETag(String value, boolean weak, boolean any) {
        this.value = value;
        this.weak = weak;
        this.any = any;
    }

    /**
     * Parses an ETag as a store returned it or a user typed it.
     *
     * @param raw quoted, unquoted or weak ({@code W/"..."}) form, or {@code *}
     * @return the normalised tag
     * @throws InvalidArgumentException if null, empty, or containing quotes in the wrong place,
     *     CR/LF or other control characters
     */
    public static ETag parse(String raw) {
        return parse("etag", raw);
    }

    /**
     * Parses an ETag, naming the option it came from in any error.
     *
     * @param field the option name reported in an {@link InvalidArgumentException}
     * @param raw quoted, unquoted or weak form, or {@code *}
     * @return the normalised tag
     * @throws InvalidArgumentException if the value is not a valid entity tag
     */
    public static ETag parse(String field, String raw) {
        if (raw == null) {
            throw new InvalidArgumentException(field, "must not be null");
        }
        // Only spaces and tabs around the tag are tolerated; trim() would also swallow CR/LF and
        // other control characters, which signal a broken or injected header value.
        String s = stripBlanks(raw);
        if (s.equals("*")) {
            return ANY;
        }
        boolean weak = false;
        if (s.startsWith("W/") || s.startsWith("w/")) {
            weak = true;
            s = s.substring(2);
        }
        if (s.length() >= 2 && s.charAt(0) == '"' && s.charAt(s.length() - 1) == '"') {
            s = s.substring(1, s.length() - 1);
        } else if (weak) {
            throw new InvalidArgumentException(field, "a weak ETag must be quoted: W/\"...\"");
        }
        if (s.isEmpty()) {
            throw new InvalidArgumentException(field, "must not be empty");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                throw new InvalidArgumentException(field, "quote inside the entity tag at position " + i);
            }
            if (c < 0x21 || c == 0x7f) {
                throw new InvalidArgumentException(field, "control character or whitespace inside the entity tag");
            }
        }
        return new ETag(s, weak, false);
    }

    private static String stripBlanks(String raw) {
        int start = 0;
        int end = raw.length();
        while (start < end && (raw.charAt(start) == ' ' || raw.charAt(start) == '\t')) {
            start++;
        }
        while (end > start && (raw.charAt(end - 1) == ' ' || raw.charAt(end - 1) == '\t')) {
            end--;
        }
        return raw.substring(start, end);
    }

    /**
     * Creates a strong tag from an opaque value that is already unquoted.
     *
     * @param opaque the tag's characters without quotes
     * @return a strong tag
     * @throws InvalidArgumentException if the value is not valid
     */
    public static ETag strong(String opaque) {
        ETag t = parse("etag", opaque);
        return t.weak ? new ETag(t.value, false, false) : t;
    }

    /**
     * Creates a weak tag from an opaque value that is already unquoted.
     *
     * @param opaque the tag's characters without quotes
     * @return a weak tag
     * @throws InvalidArgumentException if the value is not valid
     */
    public static ETag weak(String opaque) {
        ETag t = parse("etag", opaque);
        return t.weak ? t : new ETag(t.value, true, false);
    }

    /**
     * The opaque value without quotes or weak prefix ({@code *} for {@link #ANY}).
     *
     * @return never null
     */
    public String value() {
        return value;
    }

    /**
     * Whether the tag was weak ({@code W/"..."}).
     *
     * @return true if weak
     */
    public boolean isWeak() {
        return weak;
    }

    /**
     * Whether this is the wildcard {@code *}.
     *
     * @return true for {@link #ANY}
     */
    public boolean isAny() {
        return any;
    }

    /**
     * The header form: {@code "abc"}, {@code W/"abc"} or {@code *}.
     *
     * @return the quoted form
     */
    public String quoted() {
        if (any) {
            return "*";
        }
        return (weak ? "W/\"" : "\"") + value + "\"";
    }

    /**
     * Strong comparison (If-Match): equal values and neither tag weak. {@link #ANY} matches any tag.
     *
     * @param current the current representation's tag
     * @return true if they match strongly
     */
    public boolean strongMatch(ETag current) {
        if (any) {
            return current != null;
        }
        return current != null && !weak && !current.weak && value.equals(current.value);
    }

    /**
     * Weak comparison (If-None-Match): equal values, weakness ignored. {@link #ANY} matches any tag.
     *
     * @param current the current representation's tag
     * @return true if they match weakly
     */
    public boolean weakMatch(ETag current) {
        if (any) {
            return current != null;
        }
        return current != null && value.equals(current.value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ETag && ((ETag) o).value.equals(value) && ((ETag) o).weak == weak && ((ETag) o).any == any;
    }

    @Override
    public int hashCode() {
        return Objects.hash(value, weak);
    }

    @Override
    public String toString() {
        return quoted();
    }
}
