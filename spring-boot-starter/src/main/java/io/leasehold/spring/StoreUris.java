package io.leasehold.spring;

import io.leasehold.core.InvalidArgumentException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Store URI helpers: options merged into the query, the query read back.
 *
 * <p>Thread-safety: stateless.
 */
final class StoreUris {
    private StoreUris() {
    }

    /** The URI with the options added to its query (options win over parameters of the same name). */
    static URI withOptions(String uri, Map<String, String> options) {
        if (uri == null || uri.isBlank()) {
            throw new InvalidArgumentException("leasehold.store.uri", "must not be empty");
        }
        try {
            URI parsed = new URI(uri.trim());
            if (options.isEmpty()) {
                return parsed;
            }
            Map<String, String> query = query(parsed);
            query.putAll(options);
            StringBuilder q = new StringBuilder();
            for (Map.Entry<String, String> e : query.entrySet()) {
                if (q.length() > 0) {
                    q.append('&');
                }
                q.append(encode(e.getKey())).append('=').append(encode(e.getValue()));
            }
            String base = uri.trim();
            int at = base.indexOf('?');
            return new URI((at < 0 ? base : base.substring(0, at)) + "?" + q);
        } catch (URISyntaxException e) {
            throw new InvalidArgumentException("leasehold.store.uri", "malformed store URI: " + e.getReason());
        }
    }

    /** The query parameters, decoded, in order. */
    static Map<String, String> query(URI uri) {
        Map<String, String> params = new LinkedHashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
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

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
