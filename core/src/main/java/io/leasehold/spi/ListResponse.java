package io.leasehold.spi;

import io.leasehold.core.ObjectInfo;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A driver's answer to one listing request: the objects and common prefixes of one page in
 * ascending key order (keys relative to the driver's own prefix, as callers name them), and the
 * token of the next page. The facade leaves out the library's records and turns it into the
 * caller's {@link io.leasehold.core.ListPage}.
 *
 * <p>Thread-safety: immutable.
 */
public final class ListResponse {
    private final List<ObjectInfo> objects;
    private final List<String> commonPrefixes;
    private final String continuationToken;

    private ListResponse(List<ObjectInfo> objects, List<String> commonPrefixes, String continuationToken) {
        this.objects = List.copyOf(Objects.requireNonNull(objects, "objects"));
        this.commonPrefixes = List.copyOf(Objects.requireNonNull(commonPrefixes, "commonPrefixes"));
        this.continuationToken = continuationToken == null || continuationToken.isEmpty() ? null : continuationToken;
    }

    /**
     * A page.
     *
     * @param objects the objects, in key order
     * @param commonPrefixes the common prefixes (with a delimiter), in order
     * @param continuationToken the next page's token, or null (or empty) on the last page
     * @return the response
     */
    public static ListResponse of(List<ObjectInfo> objects, List<String> commonPrefixes, String continuationToken) {
        return new ListResponse(objects, commonPrefixes, continuationToken);
    }

    /**
     * The objects, in key order.
     *
     * @return an unmodifiable list
     */
    public List<ObjectInfo> objects() {
        return objects;
    }

    /**
     * The common prefixes, in order.
     *
     * @return an unmodifiable list
     */
    public List<String> commonPrefixes() {
        return commonPrefixes;
    }

    /**
     * The next page's token.
     *
     * @return the token, or empty on the last page
     */
    public Optional<String> continuationToken() {
        return Optional.ofNullable(continuationToken);
    }

    @Override
    public String toString() {
        return "ListResponse{objects=" + objects.size() + ", commonPrefixes=" + commonPrefixes.size() + ", more="
                + (continuationToken != null) + "}";
    }
}
