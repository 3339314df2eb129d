package io.leasehold.azure;

import io.leasehold.core.InvalidArgumentException;

/**
 * Azure's blob and container naming rules, checked before anything is sent. The portable key rules
 * ({@link io.leasehold.core.ObjectStore key validation}) accept some names that Azure rejects or silently
 * rewrites; those are refused here with {@link InvalidArgumentException}.
 *
 * <p>Thread-safety: stateless.
 */
final class BlobNames {
    /** Longest blob name Azure accepts, in characters (UTF-16 code units), prefix included. */
    static final int MAX_NAME_CHARS = 1024;
    /** Most path segments ("virtual directories" plus the name) Azure accepts. */
    static final int MAX_SEGMENTS = 254;

    private BlobNames() {
    }

    /**
     * The blob name for a key under a prefix, checked against Azure's rules.
     *
     * <ul>
     *   <li>At most 1024 characters including the prefix.</li>
     *   <li>No empty path segment (a leading {@code /} or {@code //}): URL handling collapses them.</li>
     *   <li>No trailing {@code .} or {@code /}, and no path segment ending in {@code .} (this includes
     *       {@code .} and {@code ..}), as Azure's naming rules require: tools, the portal and URL
     *       handling treat such names as directories or navigation, so they would not address the
     *       blob written.</li>
     *   <li>No backslash: Azure's naming guidance rules it out and Azurite stores it as {@code /},
     *       so the name read back would differ.</li>
     *   <li>At most 254 path segments.</li>
     *   <li>No Unicode noncharacters (U+FDD0..U+FDEF, U+xFFFE, U+xFFFF), which are not valid in URL
     *       paths even when encoded.</li>
     * </ul>
     *
     * @param prefix the driver's prefix, empty or ending in {@code /}
     * @param key a key already checked by the portable rules
     * @return the blob name
     * @throws InvalidArgumentException naming {@code key}
     */
    static String blobName(String prefix, String key) {
        String name = prefix + key;
        if (name.length() > MAX_NAME_CHARS) {
            throw new InvalidArgumentException("key", "Azure blob names are at most " + MAX_NAME_CHARS
                    + " characters including the store prefix; this one is " + name.length());
        }
        if (key.endsWith("/") || key.endsWith(".")) {
            throw new InvalidArgumentException("key", "Azure blob names cannot end with '.' or '/'");
        }
        if (key.startsWith("/") || key.contains("//")) {
            // An empty path segment: Azure tooling and URL handling collapse it, so the name read
            // back or listed would not be the one written.
            throw new InvalidArgumentException("key", "Azure blob names cannot have empty path segments"
                    + " (a leading '/' or '//')");
        }
        if (key.indexOf('\\') >= 0) {
            throw new InvalidArgumentException("key", "Azure blob names cannot contain '\\' (Azure tooling and Azurite turn it into '/')");
        }
        int segments = 1;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/') {
                segments++;
                if (i > 0 && name.charAt(i - 1) == '.') {
                    throw new InvalidArgumentException("key", "Azure blob name path segments cannot end with '.'"
                            + " (this includes '.' and '..')");
                }
            }
        }
        if (segments > MAX_SEGMENTS) {
            throw new InvalidArgumentException("key", "Azure blob names have at most " + MAX_SEGMENTS
                    + " path segments; this one has " + segments);
        }
        for (int i = 0; i < key.length(); ) {
            int cp = key.codePointAt(i);
            if ((cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE) {
                throw new InvalidArgumentException("key", "Unicode noncharacter U+" + Integer.toHexString(cp).toUpperCase()
                        + " at index " + i + " is not valid in an Azure blob name");
            }
            i += Character.charCount(cp);
        }
        return name;
    }

    /**
     * Normalises and checks a store prefix: no leading {@code /}, a trailing {@code /} added when
     * missing, and the same segment rules as names.
     *
     * @param prefix the prefix, possibly null or empty
     * @return the prefix, empty or ending in {@code /}
     * @throws InvalidArgumentException naming {@code prefix}
     */
    static String prefix(String prefix) {
        if (prefix == null) {
            return "";
        }
        String p = prefix;
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        if (p.isEmpty()) {
            return "";
        }
        if (!p.endsWith("/")) {
            p = p + "/";
        }
        String body = p.substring(0, p.length() - 1);
        if (body.isEmpty() || body.contains("//") || body.indexOf('\\') >= 0) {
            throw new InvalidArgumentException("prefix", "must be path segments separated by single '/' without '\\'");
        }
        for (String segment : body.split("/")) {
            if (segment.endsWith(".")) {
                throw new InvalidArgumentException("prefix", "Azure path segments cannot end with '.'");
            }
            for (int i = 0; i < segment.length(); i++) {
                if (Character.isISOControl(segment.charAt(i))) {
                    throw new InvalidArgumentException("prefix", "must not contain control characters");
                }
            }
        }
        if (p.length() >= MAX_NAME_CHARS) {
            throw new InvalidArgumentException("prefix", "longer than Azure's blob name limit");
        }
        return p;
    }

    /**
     * Checks a container name: 3-63 characters, lowercase letters, digits and single hyphens, starting
     * and ending with a letter or digit; or one of Azure's special containers {@code $root},
     * {@code $web}, {@code $logs}.
     *
     * @param name the container name
     * @return the name
     * @throws InvalidArgumentException naming {@code container}
     */
    static String container(String name) {
        if (name == null || name.isEmpty()) {
            throw new InvalidArgumentException("container", "must not be empty (azure://container[/prefix])");
        }
        if (name.equals("$root") || name.equals("$web") || name.equals("$logs")) {
            return name;
        }
        if (!name.matches("[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}")) {
            throw new InvalidArgumentException("container", "'" + name + "' is not a valid Azure container name:"
                    + " 3-63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit");
        }
        return name;
    }
}
