package io.leasehold.spring;

import io.leasehold.core.InvalidArgumentException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A store's URI from its properties: checked (present, well formed, a scheme some driver on the class
 * path serves, only parameters that driver takes) and with the options merged into its query. Every
 * refusal is an {@link InvalidConfigurationException} naming the property to fix; none echoes a URI or an
 * option value, which may carry credentials.
 *
 * <p>Thread-safety: stateless.
 */
final class StoreUris {
    private static final String EXAMPLES = "mem://name, file:///var/lib/app/store, s3://bucket/prefix,"
            + " azure://container/prefix or tigris://bucket";

    private StoreUris() {
    }

    /**
     * The URI of the store configured under {@code prefix} (e.g. {@code leasehold.store}), with its
     * options in the query (options win over parameters of the same name).
     */
    static URI resolve(String prefix, String uri, Map<String, String> options) {
        String uriProperty = prefix + ".uri";
        if (uri == null || uri.isBlank()) {
            throw new InvalidConfigurationException(uriProperty, "is empty",
                    "Set " + uriProperty + " to the store's URI, e.g. " + EXAMPLES + ".");
        }
        URI parsed;
        try {
            parsed = new URI(uri.trim());
        } catch (URISyntaxException e) {
            // The reason and position only: the input may hold a connection string.
            throw new InvalidConfigurationException(uriProperty, "is not a valid URI (" + e.getReason()
                    + (e.getIndex() >= 0 ? " at index " + e.getIndex() : "") + ")",
                    "Percent-encode reserved characters in " + uriProperty + " (e.g. a space as %20), or move"
                            + " driver parameters to " + prefix + ".options.<name>, which need no encoding.");
        }
        if (parsed.getScheme() == null) {
            throw new InvalidConfigurationException(uriProperty, "has no scheme",
                    "Start " + uriProperty + " with a store scheme, e.g. " + EXAMPLES + ".");
        }
        String scheme = parsed.getScheme();
        Optional<StoreSchemes.Scheme> known = StoreSchemes.known(scheme);
        Set<String> served = StoreSchemes.served();
        if (!served.contains(scheme.toLowerCase(java.util.Locale.ROOT))) {
            if (known.isPresent()) {
                String artifact = known.get().artifact();
                throw new InvalidConfigurationException(uriProperty, "names a " + scheme + ":// store, whose driver is in "
                        + "io.leasehold:" + artifact + ", which is not on the class path",
                        "Add the dependency io.leasehold:" + artifact + " (the Leasehold BOM manages its version).");
            }
            throw new InvalidConfigurationException(uriProperty, "has the scheme '" + scheme + "', which no Leasehold driver"
                    + " serves (known: " + String.join(", ", StoreSchemes.knownNames()) + ")",
                    "Use one of " + EXAMPLES + ".");
        }
        Map<String, String> query = query(parsed);
        if (known.isPresent()) {
            StoreSchemes.Scheme s = known.get();
            for (String name : query.keySet()) {
                if (s.parameter(name).filter(name::equals).isEmpty()) {
                    throw new InvalidConfigurationException(uriProperty, "has the query parameter '" + name + "', which "
                            + takes(s), "Remove '" + name + "' from " + uriProperty + "'s query.");
                }
            }
            Map<String, String> renamed = new LinkedHashMap<>();
            for (Map.Entry<String, String> option : options.entrySet()) {
                String property = prefix + ".options." + option.getKey();
                String parameter = s.parameter(option.getKey()).orElseThrow(() -> new InvalidConfigurationException(property,
                        "is not an option of " + s.name() + ":// stores, which " + takes(s),
                        "Remove " + property + (s.parameters().isEmpty() ? "." : ", or use one of the options "
                                + s.name() + ":// takes.")));
                renamed.put(parameter, option.getValue());
            }
            return withQuery(parsed, uri.trim(), renamed);
        }
        return withQuery(parsed, uri.trim(), options);
    }

    private static String takes(StoreSchemes.Scheme s) {
        return s.parameters().isEmpty() ? "take no options"
                : "take only " + String.join(", ", s.parameters());
    }

    /** The URI with the options appended to its query, replacing parameters of the same name; the rest is kept as written. */
    private static URI withQuery(URI parsed, String raw, Map<String, String> options) {
        if (options.isEmpty()) {
            return parsed;
        }
        StringBuilder q = new StringBuilder();
        String rawQuery = parsed.getRawQuery();
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                if (!pair.isEmpty() && !options.containsKey(name)) {
                    q.append(q.length() > 0 ? "&" : "").append(pair);
                }
            }
        }
        for (Map.Entry<String, String> e : options.entrySet()) {
            q.append(q.length() > 0 ? "&" : "").append(encode(e.getKey())).append('=').append(encode(e.getValue()));
        }
        int at = raw.indexOf('?');
        return URI.create((at < 0 ? raw : raw.substring(0, at)) + "?" + q);
    }

    /**
     * Names the property behind a driver's refusal of the URI it was given: the option the message
     * names, else the URI. The driver's message names parameters, never their values.
     */
    static InvalidConfigurationException attribute(String prefix, Map<String, String> options, InvalidArgumentException e) {
        String message = e.getMessage();
        for (String option : options.keySet()) {
            for (String form : new LinkedHashSet<>(List.of(option, camel(option)))) {
                if (Pattern.compile("(^|[^A-Za-z])" + Pattern.quote(form) + "([^A-Za-z]|$)").matcher(message).find()) {
                    String property = prefix + ".options." + option;
                    return new InvalidConfigurationException(property, "was refused by the driver: " + message,
                            "Correct or remove " + property + ".");
                }
            }
        }
        String property = prefix + ".uri";
        return new InvalidConfigurationException(property, "was refused by the driver: " + message,
                "Correct " + property + (options.isEmpty() ? "" : " or " + prefix + ".options") + ".");
    }

    /** {@code path-style} as the driver spells it: {@code pathStyle}. */
    private static String camel(String kebab) {
        StringBuilder b = new StringBuilder();
        boolean upper = false;
        for (char c : kebab.toCharArray()) {
            if (c == '-' || c == '_') {
                upper = true;
            } else {
                b.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return b.toString();
    }

    /** The query parameters, decoded, in order. */
    static Map<String, String> query(URI uri) {
        Map<String, String> params = new LinkedHashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.put(name, value);
        }
        return params;
    }

    /** The path without its leading slash: the prefix of an {@code s3://} or {@code azure://} URI. */
    static String prefix(URI uri) {
        String path = uri.getPath();
        return path == null || path.length() <= 1 ? "" : path.substring(1);
    }

    /** Percent-encoding for a query component ({@code %20} for a space: drivers differ on {@code +}). */
    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
