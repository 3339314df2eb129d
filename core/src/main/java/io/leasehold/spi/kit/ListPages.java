package io.leasehold.spi.kit;

import io.leasehold.core.InvalidArgumentException;
import io.leasehold.core.ListOptions;
import io.leasehold.core.ObjectInfo;
import io.leasehold.spi.ListResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Pages of a listing for drivers that hold their keys themselves (the embedded stores): the order,
 * the delimiter roll-up and continuation tokens exactly as {@link io.leasehold.spi.StoreDriver#list}
 * specifies, over whatever objects the driver found.
 *
 * <p>A token names the last entry of its page: the next page starts after that key, or after every
 * key under that common prefix. So a key that stays in the store throughout is listed once whatever
 * else changes between pages, and nothing the driver did not find is ever listed.
 *
 * <p>Thread-safety: stateless.
 */
public final class ListPages {
    /**
     * Keys in ascending order of their UTF-8 bytes (the order S3 lists in): Unicode code point
     * order, which differs from {@link String#compareTo} for characters outside the Basic
     * Multilingual Plane.
     */
    public static final Comparator<String> KEY_ORDER = ListPages::compareCodePoints;

    private static final char AFTER_KEY = 'k';
    private static final char AFTER_PREFIX = 'p';

    private ListPages() {
    }

    /**
     * One page of the objects given.
     *
     * @param objects every object the driver found under the prefix (others are ignored), in any order
     * @param prefix the prefix
     * @param options page size, delimiter, continuation token
     * @return the page
     * @throws InvalidArgumentException if the continuation token is not one this class issued
     */
    public static ListResponse page(Collection<ObjectInfo> objects, String prefix, ListOptions options) {
        String token = options.continuationToken().orElse(null);
        String after = null;
        boolean afterPrefix = false;
        if (token != null) {
            String decoded = decode(token);
            afterPrefix = decoded.charAt(0) == AFTER_PREFIX;
            after = decoded.substring(1);
        }
        List<ObjectInfo> candidates = new ArrayList<>();
        for (ObjectInfo info : objects) {
            String key = info.key();
            if (!key.startsWith(prefix)) {
                continue;
            }
            if (after != null && (KEY_ORDER.compare(key, after) <= 0 || afterPrefix && key.startsWith(after))) {
                continue;
            }
            candidates.add(info);
        }
        candidates.sort(Comparator.comparing(ObjectInfo::key, KEY_ORDER));
        String delimiter = options.delimiter().orElse(null);
        List<ObjectInfo> page = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        String last = null;
        boolean lastIsPrefix = false;
        for (ObjectInfo info : candidates) {
            String key = info.key();
            if (lastIsPrefix && key.startsWith(last)) {
                continue; // rolled up into the common prefix already listed
            }
            String common = delimiter == null ? null : commonPrefix(key, prefix, delimiter);
            if (page.size() + prefixes.size() == options.pageSize()) {
                return ListResponse.of(page, prefixes, encode(lastIsPrefix ? AFTER_PREFIX : AFTER_KEY, last));
            }
            if (common != null) {
                prefixes.add(common);
                last = common;
                lastIsPrefix = true;
            } else {
                page.add(info);
                last = key;
                lastIsPrefix = false;
            }
        }
        return ListResponse.of(page, prefixes, null);
    }

    /** The common prefix a key rolls up into, or null if its rest after the prefix has no delimiter. */
    private static String commonPrefix(String key, String prefix, String delimiter) {
        int at = key.indexOf(delimiter, prefix.length());
        return at < 0 ? null : key.substring(0, at + delimiter.length());
    }

    private static String encode(char kind, String value) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((kind + value).getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String token) {
        String decoded;
        try {
            decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            decoded = "";
        }
        if (decoded.isEmpty() || decoded.charAt(0) != AFTER_KEY && decoded.charAt(0) != AFTER_PREFIX) {
            throw new InvalidArgumentException("continuationToken", "is not a token this store issued");
        }
        return decoded;
    }

    private static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
