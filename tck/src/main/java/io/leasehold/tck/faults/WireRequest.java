package io.leasehold.tck.faults;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One HTTP request as {@link FaultProxy} received it (request line and headers; the body is only
 * hashed, into {@link WireRecord}). What a {@link FaultPlan} decides on.
 *
 * <p>Thread-safety: immutable.
 */
public final class WireRequest {
    /** Query parameters that do not make a PUT anything other than a whole-object write. */
    private static final Set<String> PLAIN_PUT_PARAMETERS = Set.of("x-id", "timeout");

    private final String method;
    private final String path;
    private final String query;
    private final List<Map.Entry<String, String>> headers;

    /**
     * Creates a request view.
     *
     * @param method the method, e.g. {@code PUT}
     * @param path the raw path, e.g. {@code /bucket/key}
     * @param query the raw query without {@code ?}, or null
     * @param headers the headers in arrival order, names as sent
     */
    public WireRequest(String method, String path, String query, List<Map.Entry<String, String>> headers) {
        this.method = Objects.requireNonNull(method, "method");
        this.path = Objects.requireNonNull(path, "path");
        this.query = query;
        List<Map.Entry<String, String>> copy = new ArrayList<>();
        for (Map.Entry<String, String> h : headers) {
            copy.add(Map.entry(h.getKey(), h.getValue()));
        }
        this.headers = Collections.unmodifiableList(copy);
    }

    /**
     * The method.
     *
     * @return e.g. {@code GET}
     */
    public String method() {
        return method;
    }

    /**
     * The raw (percent-encoded) path.
     *
     * @return e.g. {@code /leasehold/fault-toggle-1}
     */
    public String path() {
        return path;
    }

    /**
     * The raw query, without the {@code ?}.
     *
     * @return the query, or empty
     */
    public Optional<String> query() {
        return Optional.ofNullable(query);
    }

    /**
     * The headers in arrival order, names as sent.
     *
     * @return an unmodifiable list
     */
    public List<Map.Entry<String, String>> headers() {
        return headers;
    }

    /**
     * The first value of a header.
     *
     * @param name the name, any case
     * @return the value, or empty
     */
    public Optional<String> header(String name) {
        for (Map.Entry<String, String> h : headers) {
            if (h.getKey().equalsIgnoreCase(name)) {
                return Optional.of(h.getValue());
            }
        }
        return Optional.empty();
    }

    /**
     * Whether a header is present.
     *
     * @param name the name, any case
     * @return true if present
     */
    public boolean hasHeader(String name) {
        return header(name).isPresent();
    }

    /**
     * The query parameters (raw, not decoded), in order; a parameter without {@code =} maps to "".
     *
     * @return an unmodifiable map
     */
    public Map<String, String> queryParameters() {
        Map<String, String> params = new LinkedHashMap<>();
        if (query != null && !query.isEmpty()) {
            for (String part : query.split("&")) {
                if (part.isEmpty()) {
                    continue;
                }
                int eq = part.indexOf('=');
                params.putIfAbsent(eq < 0 ? part : part.substring(0, eq), eq < 0 ? "" : part.substring(eq + 1));
            }
        }
        return Collections.unmodifiableMap(params);
    }

    /**
     * Whether this request writes a whole object: S3 PutObject ({@code PUT /bucket/key}) or Azure Put
     * Blob ({@code PUT /account/container/blob}), not a sub-resource such as {@code comp=lease},
     * {@code comp=metadata}, {@code restype=container} or a multipart part.
     *
     * @return true for a whole-object PUT
     */
    public boolean isObjectWrite() {
        if (!method.equals("PUT")) {
            return false;
        }
        for (String name : queryParameters().keySet()) {
            if (!PLAIN_PUT_PARAMETERS.contains(name.toLowerCase(Locale.ROOT))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return method + " " + path + (query == null ? "" : "?" + query);
    }
}
