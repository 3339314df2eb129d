package io.leasehold.core.internal.write;

import io.leasehold.core.ETag;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bookkeeping the library keeps on every object it writes, in reserved user metadata: the
 * write id of the version ({@value #WRITE_ID}) and the tokens of the versions it replaced
 * ({@value #HISTORY}, newest first). Names starting with {@value #RESERVED_PREFIX} belong to the
 * library: refused in callers' metadata, hidden from {@link io.leasehold.core.ObjectInfo#userMetadata()}.
 *
 * <h2>History tokens</h2>
 * A write id (16 hex digits) names a version the library wrote; {@value #CREATED} marks that the
 * version before was "no object" (a create); {@code ~} plus 16 hex digits names a version written
 * without a write id by a digest of its ETag (meaningful only where ETags are unique per write).
 * The list ends where knowledge ends: a plain overwrite knows nothing about what it replaced, and a
 * compare-and-swap on a version from an earlier result knows only that version's token.
 *
 * <p>Thread-safety: immutable.
 */
public final class WriteTag {
    /** Prefix of every metadata name the library reserves. */
    public static final String RESERVED_PREFIX = "leasehold_";
    /** The write id of the version. */
    public static final String WRITE_ID = "leasehold_w";
    /** The tokens of the versions this one replaced, newest first, space-separated. */
    public static final String HISTORY = "leasehold_h";
    /** How many earlier versions a history names at most. */
    public static final int HISTORY_DEPTH = 12;
    /** Marks "the key was absent before" in a history. */
    public static final String CREATED = "-";
    /**
     * Bytes of metadata (names plus values) reserved for the library on every object: write id
     * (27), history (at most 214), a lease fencing token and tenure (at most 39) and, on S3 objects
     * uploaded in parts, the part size (at most 22), rounded up. Callers' user metadata may use the rest of
     * {@link io.leasehold.core.internal.Validation#MAX_METADATA_BYTES}.
     */
    public static final int RESERVED_BYTES = 320;

    private static final int ID_HEX_DIGITS = 16;
    private static final SecureRandom RANDOM = new SecureRandom();
    /** One digest per thread: looking one up in the providers on every call costs more than hashing. */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    });
    private static final WriteTag NONE = new WriteTag(null, List.of());

    private final String writeId;
    private final List<String> history;

    private WriteTag(String writeId, List<String> history) {
        this.writeId = writeId;
        this.history = history;
    }

    /**
     * Reads the bookkeeping from an object's metadata as the driver returned it. Malformed values
     * (e.g. written by someone else) count as absent: they prove nothing.
     *
     * @param metadata the metadata
     * @return the result
     */
    public static WriteTag of(Map<String, String> metadata) {
        if (metadata == null) {
            return NONE;
        }
        String id = metadata.get(WRITE_ID);
        if (id == null || !isWriteId(id.trim())) {
            return NONE;
        }
        String raw = metadata.get(HISTORY);
        if (raw == null || raw.isBlank()) {
            return new WriteTag(id.trim(), List.of());
        }
        List<String> tokens = new ArrayList<>(HISTORY_DEPTH);
        int start = 0;
        String s = raw.trim();
        while (start < s.length() && tokens.size() < HISTORY_DEPTH) {
            int end = s.indexOf(' ', start);
            if (end < 0) {
                end = s.length();
            }
            String token = s.substring(start, end);
            if (!token.isEmpty()) {
                if (!isToken(token)) {
                    return new WriteTag(id.trim(), List.of());
                }
                tokens.add(token);
            }
            start = end + 1;
        }
        return new WriteTag(id.trim(), Collections.unmodifiableList(tokens));
    }

    /**
     * The write id in an object's metadata as the driver returned it, or null if absent or malformed:
     * the same as {@code of(metadata).writeId()} without parsing the history (what every read needs).
     *
     * @param metadata the metadata
     * @return the result
     */
    public static String writeIdOf(Map<String, String> metadata) {
        String id = metadata == null ? null : metadata.get(WRITE_ID);
        if (id == null) {
            return null;
        }
        id = id.trim();
        return isWriteId(id) ? id : null;
    }

    /**
     * The caller-visible part of an object's metadata: everything but the reserved names.
     *
     * @param metadata the metadata
     * @return the result
     */
    public static Map<String, String> userMetadata(Map<String, String> metadata) {
        if (metadata == null || metadata.isEmpty()) {
            return Map.of();
        }
        boolean reserved = false;
        for (String name : metadata.keySet()) {
            if (isReserved(name)) {
                reserved = true;
                break;
            }
        }
        if (!reserved) {
            return metadata;
        }
        Map<String, String> user = new LinkedHashMap<>();
        metadata.forEach((name, value) -> {
            if (!isReserved(name)) {
                user.put(name, value);
            }
        });
        return user;
    }

    /**
     * Is reserved.
     *
     * @param metadataName the metadata name
     * @return the result
     */
    public static boolean isReserved(String metadataName) {
        return metadataName != null && metadataName.regionMatches(true, 0, RESERVED_PREFIX, 0, RESERVED_PREFIX.length());
    }

    /**
     * A fresh write id: 64 random bits, unique across processes for any realistic number of writes.
     *
     * @return the result
     */
    public static String newWriteId() {
        String hex = Long.toHexString(RANDOM.nextLong());
        return "0".repeat(ID_HEX_DIGITS - hex.length()) + hex;
    }

    /**
     * The write id of the version, or null if it was written without one.
     *
     * @return the result
     */
    public String writeId() {
        return writeId;
    }

    /**
     * The tokens of the versions this one replaced, newest first (possibly empty).
     *
     * @return the result
     */
    public List<String> history() {
        return history;
    }

    /** Whether the write id is this version's or one it replaced. */
    boolean names(String id) {
        return id.equals(writeId) || history.contains(id);
    }

    /**
     * The write that directly followed the version named {@code token}, as this history records
     * it, or null if the history does not reach that far.
     *
     * @param token the token
     * @return the result
     */
    public String successorOf(String token) {
        int i = history.indexOf(token);
        if (i < 0) {
            return null;
        }
        return i == 0 ? writeId : history.get(i - 1);
    }

    /**
     * How the history of a successor names a version with this tag and ETag.
     *
     * @param etag the etag
     * @return the result
     */
    public String token(ETag etag) {
        return writeId != null ? writeId : etagToken(etag);
    }

    /**
     * The history value a write carries when it replaces the version named {@code baseToken},
     * whose own history was {@code baseHistory} (may be empty when unknown).
     *
     * @param baseToken the base token
     * @param baseHistory the base history
     * @return the result
     */
    public static String historyAfter(String baseToken, List<String> baseHistory) {
        StringBuilder b = new StringBuilder(HISTORY_DEPTH * (ID_HEX_DIGITS + 2));
        b.append(baseToken);
        int count = 1;
        if (!CREATED.equals(baseToken)) {
            for (String token : baseHistory) {
                if (count == HISTORY_DEPTH) {
                    break;
                }
                b.append(' ').append(token);
                count++;
            }
        }
        return b.toString();
    }

    /**
     * The token of a version written without a write id: a digest of its ETag.
     *
     * @param etag the etag
     * @return the result
     */
    public static String etagToken(ETag etag) {
        byte[] digest = SHA_256.get().digest(etag.value().getBytes(StandardCharsets.UTF_8));
        StringBuilder token = new StringBuilder(ID_HEX_DIGITS + 1).append('~');
        for (int i = 0; i < ID_HEX_DIGITS / 2; i++) {
            token.append(Character.forDigit((digest[i] >> 4) & 0xf, 16)).append(Character.forDigit(digest[i] & 0xf, 16));
        }
        return token.toString();
    }

    private static boolean isToken(String token) {
        return CREATED.equals(token) || isWriteId(token)
                || token.length() == ID_HEX_DIGITS + 1 && token.charAt(0) == '~' && isHex(token, 1);
    }

    private static boolean isWriteId(String id) {
        return id.length() == ID_HEX_DIGITS && isHex(id, 0);
    }

    private static boolean isHex(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }
}
