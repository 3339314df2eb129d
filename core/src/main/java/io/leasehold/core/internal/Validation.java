package io.leasehold.core.internal;

import io.leasehold.core.InvalidArgumentException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Argument checks shared by the facade, run before anything is sent. Not part of the public API. Thread-safety: stateless.
 */
public final class Validation {
    /** Longest key in UTF-8 bytes (S3's limit; Azure allows more). */
    public static final int MAX_KEY_BYTES = 1024;
    /** Keys under this prefix hold the library's own records (lease records, fencing counters). */
    public static final String RESERVED_KEY_PREFIX = ".leasehold/";
    /** Largest total user metadata, names plus values, in bytes (S3's limit). */
    public static final int MAX_METADATA_BYTES = 2048;
    private static final Pattern METADATA_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,127}");
    private static final Pattern CONTENT_TYPE = Pattern.compile("[\\x21-\\x7e][\\x20-\\x7e]{0,254}");

    private Validation() {
    }

    /**
     * Checks a key: not null or empty, at most 1024 UTF-8 bytes, valid UTF-16 (no lone surrogates),
     * no control characters, and no {@value #RESERVED_KEY_PREFIX} segment anywhere (a store at the
     * bucket root would otherwise reach the records of a store whose prefix is a leading part of
     * the key: {@code team/.leasehold/lease/k} is the lease record of key {@code k} under
     * {@code team/}).
     *
     * @param key the key
     * @return the key
     * @throws InvalidArgumentException naming {@code key}
     */
    public static String key(String key) {
        return key("key", key);
    }

    /**
     * Checks a key passed as the named argument (e.g. a copy's {@code source} and {@code target}),
     * with the rules of {@link #key(String)}.
     *
     * @param field the argument's name, for the message
     * @param key the key
     * @return the key
     * @throws InvalidArgumentException naming {@code field}
     */
    public static String key(String field, String key) {
        if (key == null) {
            throw new InvalidArgumentException(field, "must not be null");
        }
        if (key.isEmpty()) {
            throw new InvalidArgumentException(field, "must not be empty");
        }
        if (reserved(key)) {
            throw new InvalidArgumentException(field, "a '" + RESERVED_KEY_PREFIX + "' segment is reserved, anywhere in"
                    + " a key, for the library's records (emulated lease records, fencing counters) of this store and"
                    + " of stores under any prefix");
        }
        keyCharacters(field, key);
        return key;
    }

    /**
     * Whether a key (or a prefix) lies under a {@value #RESERVED_KEY_PREFIX} segment: the records of
     * this store, or of a store whose key prefix is what precedes the segment. No store can write
     * such a key, so a stored one is always a record.
     *
     * @param key a key or prefix as stored
     * @return true if it lies under a reserved segment
     */
    public static boolean reserved(String key) {
        return key.startsWith(RESERVED_KEY_PREFIX) || key.contains("/" + RESERVED_KEY_PREFIX);
    }

    /**
     * Whether a listing's common prefix could hold records as well as callers' keys: it ends in a
     * segment that is the start of {@value #RESERVED_KEY_PREFIX} (e.g. {@code .} or {@code team/.le}
     * with an unusual delimiter). Such a prefix is listed only if it holds a caller's key.
     *
     * @param common a common prefix that is not itself {@linkplain #reserved reserved}
     * @return true if records may be all it holds
     */
    public static boolean mayHoldRecords(String common) {
        String lastSegment = common.substring(common.lastIndexOf('/') + 1);
        return !lastSegment.isEmpty() && RESERVED_KEY_PREFIX.startsWith(lastSegment);
    }

    /** Valid UTF-16, no control characters, at most {@link #MAX_KEY_BYTES} UTF-8 bytes. */
    private static void keyCharacters(String field, String key) {
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= key.length() || !Character.isLowSurrogate(key.charAt(i + 1))) {
                    throw new InvalidArgumentException(field, "unpaired UTF-16 surrogate at index " + i);
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                throw new InvalidArgumentException(field, "unpaired UTF-16 surrogate at index " + i);
            } else if (Character.isISOControl(c)) {
                throw new InvalidArgumentException(field, "control character U+" + String.format("%04X", (int) c)
                        + " at index " + i);
            }
        }
        int bytes = key.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_KEY_BYTES) {
            throw new InvalidArgumentException(field, "is " + bytes + " UTF-8 bytes; at most " + MAX_KEY_BYTES);
        }
    }

    /**
     * Checks a listing prefix: null or empty (everything), else the rules of a key, and never the
     * library's records.
     *
     * @param prefix the prefix
     * @return the prefix, empty for null
     * @throws InvalidArgumentException naming {@code prefix}
     */
    public static String prefix(String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            return "";
        }
        if (reserved(prefix)) {
            throw new InvalidArgumentException("prefix", "keys with a '" + RESERVED_KEY_PREFIX + "' segment hold the"
                    + " library's records (of this store or of a store under a prefix) and are never listed");
        }
        keyCharacters("prefix", prefix);
        return prefix;
    }

    /**
     * Checks a short text option: not empty, at most {@code maxChars} characters, no control characters.
     *
     * @param field the option's name
     * @param text the value
     * @param maxChars the most characters allowed
     * @return the text
     * @throws InvalidArgumentException naming the field
     */
    public static String text(String field, String text, int maxChars) {
        if (text == null || text.isEmpty()) {
            throw new InvalidArgumentException(field, "must not be empty");
        }
        if (text.length() > maxChars) {
            throw new InvalidArgumentException(field, "is longer than " + maxChars + " characters");
        }
        for (int i = 0; i < text.length(); i++) {
            if (Character.isISOControl(text.charAt(i))) {
                throw new InvalidArgumentException(field, "must not contain control characters");
            }
        }
        return text;
    }

    /**
     * Checks user metadata: portable names (lowercase letters, digits, underscore, not starting with
     * a digit) and printable ASCII values, 2 KiB in total.
     *
     * @param metadata the metadata
     * @throws InvalidArgumentException naming {@code userMetadata}
     */
    public static void metadata(Map<String, String> metadata) {
        metadata(metadata, MAX_METADATA_BYTES);
    }

    /**
     * Checks user metadata names, values and total size against a budget.
     *
     * @param metadata the metadata
     * @param maxBytes the most bytes (names plus values) allowed
     * @throws InvalidArgumentException if a name or value is not portable or the total is too large
     */
    public static void metadata(Map<String, String> metadata, int maxBytes) {
        int total = 0;
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            String name = e.getKey();
            String value = e.getValue();
            if (name == null || !METADATA_NAME.matcher(name).matches()) {
                throw new InvalidArgumentException("userMetadata",
                        "name '" + printable(name) + "' is not portable: use [a-z_][a-z0-9_]*");
            }
            if (value == null) {
                throw new InvalidArgumentException("userMetadata", "value of '" + name + "' must not be null");
            }
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c < 0x20 || c > 0x7e) {
                    throw new InvalidArgumentException("userMetadata",
                            "value of '" + name + "' must be printable ASCII (no CR/LF or control characters)");
                }
            }
            total += name.length() + value.length();
        }
        if (total > maxBytes) {
            throw new InvalidArgumentException("userMetadata", "is " + total + " bytes (names plus values); at most "
                    + maxBytes);
        }
    }

    /**
     * Checks a content type: printable ASCII, no CR/LF.
     *
     * @param contentType the media type
     * @throws InvalidArgumentException naming {@code contentType}
     */
    public static void contentType(String contentType) {
        if (!CONTENT_TYPE.matcher(contentType).matches()) {
            throw new InvalidArgumentException("contentType", "must be printable ASCII without CR/LF, at most 255 chars");
        }
    }

    /**
     * Checks a lease id: 1 to 128 printable ASCII characters without spaces.
     *
     * @param field the option name
     * @param id the id
     * @return the id
     * @throws InvalidArgumentException naming the field
     */
    public static String leaseId(String field, String id) {
        if (id == null || id.isEmpty()) {
            throw new InvalidArgumentException(field, "must not be empty");
        }
        if (id.length() > 128) {
            throw new InvalidArgumentException(field, "longer than 128 characters");
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c <= 0x20 || c > 0x7e) {
                throw new InvalidArgumentException(field, "must be printable ASCII without spaces");
            }
        }
        return id;
    }

    /**
     * Checks a lease duration: 15 to 60 whole seconds, or null for infinite.
     *
     * @param duration the duration
     * @return the duration
     * @throws InvalidArgumentException naming {@code duration}
     */
    public static Duration leaseDuration(Duration duration) {
        if (duration == null) {
            return null;
        }
        if (duration.compareTo(Duration.ofSeconds(15)) < 0 || duration.compareTo(Duration.ofSeconds(60)) > 0
                || duration.getNano() != 0) {
            throw new InvalidArgumentException("duration", "must be 15 to 60 whole seconds, or infinite; was " + duration);
        }
        return duration;
    }

    /**
     * Checks a break period: 0 to 60 whole seconds, or null for "the rest of the lease".
     *
     * @param period the period
     * @return the period
     * @throws InvalidArgumentException naming {@code breakPeriod}
     */
    public static Duration breakPeriod(Duration period) {
        if (period == null) {
            return null;
        }
        if (period.isNegative() || period.compareTo(Duration.ofSeconds(60)) > 0 || period.getNano() != 0) {
            throw new InvalidArgumentException("breakPeriod", "must be 0 to 60 whole seconds; was " + period);
        }
        return period;
    }

    private static String printable(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return b.length() > 64 ? b.substring(0, 64) + "…" : b.toString();
    }
}
