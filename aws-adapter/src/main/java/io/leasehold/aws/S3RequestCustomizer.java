package io.leasehold.aws;

import io.leasehold.core.ReadConsistency;
import java.util.Map;

/**
 * Extension point of {@link S3Driver}: extra HTTP headers per request, for S3-compatible stores
 * that take hints in headers (Tigris's {@code X-Tigris-Consistent}). Conditions themselves are
 * encoded by the driver from its {@link S3Profile}; a customizer must not add or remove
 * conditional headers.
 *
 * <p>Thread-safety: implementations MUST be safe for concurrent use; the driver calls them from
 * any thread.
 */
@FunctionalInterface
public interface S3RequestCustomizer {

    /** A customizer that adds nothing. */
    S3RequestCustomizer NONE = (operation, conditional, consistency) -> Map.of();

    /**
     * The headers to add to one request.
     *
     * @param operation the S3 operation about to be sent
     * @param conditional whether the request carries a condition (If-Match, If-None-Match,
     *     If-Modified-Since or If-Unmodified-Since)
     * @param consistency the consistency the caller asked for; deletes and the driver's own
     *     existence checks ask for {@link ReadConsistency#STRONG}
     * @return header names and values; never null
     */
    Map<String, String> headers(S3Operation operation, boolean conditional, ReadConsistency consistency);
}
