package io.leasehold.spring;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.net.URL;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The starter's property names, read from its own configuration metadata, to suggest the nearest one
 * for a misspelled key.
 *
 * <p>Thread-safety: stateless.
 */
final class KnownProperties {
    private static final String METADATA = "META-INF/spring-configuration-metadata.json";
    private static final Pattern NAME = Pattern.compile("\"name\"\\s*:\\s*\"(leasehold\\.[^\"]+)\"");
    private static final Pattern NAMED_STORE = Pattern.compile("^leasehold\\.stores\\.([^.]+)\\.");

    private KnownProperties() {
    }

    /** The properties under {@code leasehold.}, as the metadata lists them ({@code leasehold.store.*} once). */
    static List<String> names() {
        List<String> names = new ArrayList<>();
        try {
            // Every jar may have this file (Spring Boot's own do): read them all, keep the leasehold ones.
            Enumeration<URL> files = KnownProperties.class.getClassLoader().getResources(METADATA);
            while (files.hasMoreElements()) {
                try (InputStream in = files.nextElement().openStream()) {
                    names.addAll(propertyNames(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            // No suggestions then; the report still names the key.
        }
        return names;
    }

    /**
     * The {@code leasehold.} names in a metadata file's "properties" array (the generated file lists
     * groups, then properties, then hints; each entry's "name" comes first).
     */
    static List<String> propertyNames(String json) {
        List<String> names = new ArrayList<>();
        int start = json.indexOf("\"properties\"");
        if (start < 0) {
            return names;
        }
        int end = json.indexOf("\"hints\"", start);
        Matcher m = NAME.matcher(json.substring(start, end < 0 ? json.length() : end));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /**
     * The known property nearest to a misspelled one (a key of a named store is compared as the same
     * key under {@code leasehold.store}), if one is close enough to be the intended key.
     */
    static Optional<String> nearest(String misspelled, List<String> known) {
        Matcher named = NAMED_STORE.matcher(misspelled);
        String storePrefix = named.find() ? named.group() : null;
        known = storePrefix == null ? known : known.stream().filter(k -> k.startsWith("leasehold.store.")).toList();
        String wanted = storePrefix == null ? misspelled : "leasehold.store." + misspelled.substring(storePrefix.length());
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        int bestSegments = 0;
        for (String candidate : known) {
            // A map property (options, tags) is compared with as many segments of the key as it has.
            int d = Math.min(distance(wanted, candidate), distance(segments(wanted, candidate), candidate));
            int segments = candidate.split("\\.").length;
            // On a tie the more specific property wins (leasehold.store.options over leasehold.stores).
            if (d < bestDistance || d == bestDistance && segments > bestSegments) {
                bestDistance = d;
                bestSegments = segments;
                best = candidate;
            }
        }
        if (best == null || bestDistance > Math.max(2, wanted.length() / 8)) {
            return Optional.empty();
        }
        String suggestion = storePrefix == null ? best : storePrefix + best.substring("leasehold.store.".length());
        return Optional.of(suggestion);
    }

    /** The leading segments of {@code key}, as many as {@code like} has. */
    private static String segments(String key, String like) {
        int count = like.split("\\.").length;
        String[] parts = key.split("\\.");
        return parts.length <= count ? key : String.join(".", java.util.Arrays.copyOf(parts, count));
    }

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
