package io.leasehold.core;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of a listing ({@link ObjectStore#listPage}): objects and common prefixes in ascending
 * key order, and the token of the next page while there is one.
 *
 * <h2>What an entry holds</h2>
 * Each object's {@link ObjectInfo} has its key, its version (the ETag, and the version id where the
 * store lists one), its size and last-modified time, as the store listed them. It has no content
 * type and no user metadata (S3 does not list them): {@link ObjectStore#head} the key for those.
 * The library's own records (keys under a {@code .leasehold/} segment, also those of stores under a
 * key prefix) are never listed.
 *
 * <h2>Pages</h2>
 * A page holds at most {@link ListOptions#pageSize()} entries, objects and prefixes together; it
 * may hold fewer, even none, while {@link #continuationToken()} says more follow (the library's
 * records are left out after the store counted them). Listing is not a snapshot: a key written or
 * deleted while the pages are read may or may not appear, but every entry listed existed when the
 * store read it, and a key that stays unchanged throughout appears exactly once.
 *
 * <p>Thread-safety: immutable.
 */
public final class ListPage {
    private final List<ObjectInfo> objects;
    private final List<String> commonPrefixes;
    private final String continuationToken;

    /**
     * Creates a page.
     *
     * @param objects the objects, in key order
     * @param commonPrefixes the common prefixes, in order
     * @param continuationToken the next page's token, or null on the last page
     */
    public ListPage(List<ObjectInfo> objects, List<String> commonPrefixes, String continuationToken) {
        this.objects = List.copyOf(Objects.requireNonNull(objects, "objects"));
        this.commonPrefixes = List.copyOf(Objects.requireNonNull(commonPrefixes, "commonPrefixes"));
        this.continuationToken = continuationToken;
    }

    /**
     * The objects of this page, in ascending key order.
     *
     * @return an unmodifiable list, possibly empty
     */
    public List<ObjectInfo> objects() {
        return objects;
    }

    /**
     * The common prefixes of this page (with a delimiter only): each ends with the delimiter and
     * stands for every key that starts with it.
     *
     * @return an unmodifiable list, possibly empty
     */
    public List<String> commonPrefixes() {
        return commonPrefixes;
    }

    /**
     * The token that reads the next page ({@link ListOptions.Builder#continuationToken}).
     *
     * @return the token, or empty on the last page
     */
    public Optional<String> continuationToken() {
        return Optional.ofNullable(continuationToken);
    }

    /**
     * Whether another page follows.
     *
     * @return true while there is a continuation token
     */
    public boolean hasMore() {
        return continuationToken != null;
    }

    @Override
    public String toString() {
        return "ListPage{objects=" + objects.size() + ", commonPrefixes=" + commonPrefixes.size() + ", more="
                + hasMore() + "}";
    }
}
