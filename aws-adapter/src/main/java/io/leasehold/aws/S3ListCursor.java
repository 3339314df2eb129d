package io.leasehold.aws;

import io.leasehold.core.InvalidArgumentException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Where the next page of an S3 listing starts: the server's continuation token (null for the first
 * request), and the last entry already returned, after which entries are taken. With the second part
 * the driver holds every server to the listing contract: a server that repeats common prefixes on
 * later pages, or serves more entries than {@code max-keys} (S3Mock 5.2 does both with a delimiter),
 * still yields pages of at most the asked size that neither skip nor repeat. On AWS the second part
 * never filters anything.
 *
 * <p>Thread-safety: immutable.
 */
final class S3ListCursor {
    private static final String FORMAT = "1";

    /** The server's continuation token for the request, or null for the first page. */
    final String serverToken;
    /** The last key or common prefix already returned, or null. */
    final String after;

    S3ListCursor(String serverToken, String after) {
        this.serverToken = serverToken == null || serverToken.isEmpty() ? null : serverToken;
        this.after = after == null || after.isEmpty() ? null : after;
    }

    /**
     * The cursor a caller's token stands for.
     *
     * @param token the token, or null for the first page
     * @return the cursor
     * @throws InvalidArgumentException if the token is not one this driver issued
     */
    static S3ListCursor of(String token) {
        if (token == null) {
            return new S3ListCursor(null, null);
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3 || !parts[0].equals(FORMAT)) {
            throw new InvalidArgumentException("continuationToken", "is not a token this store issued");
        }
        try {
            return new S3ListCursor(decode(parts[1]), decode(parts[2]));
        } catch (IllegalArgumentException e) {
            throw new InvalidArgumentException("continuationToken", "is not a token this store issued");
        }
    }

    /**
     * The token callers pass back for this cursor.
     *
     * @return the token
     */
    String token() {
        return FORMAT + "." + encode(serverToken) + "." + encode(after);
    }

    private static String encode(String s) {
        return s == null ? "" : Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String s) {
        return new String(Base64.getUrlDecoder().decode(s), StandardCharsets.UTF_8);
    }
}
