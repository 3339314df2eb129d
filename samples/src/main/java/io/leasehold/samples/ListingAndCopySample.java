package io.leasehold.samples;

import io.leasehold.core.CopyOptions;
import io.leasehold.core.ListOptions;
import io.leasehold.core.ListPage;
import io.leasehold.core.ObjectAlreadyExistsException;
import io.leasehold.core.ObjectInfo;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.ObjectVersion;
import io.leasehold.core.PreconditionFailedException;
import io.leasehold.core.PutMode;
import io.leasehold.core.PutResult;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Sample: list a prefix, page through "directories" yourself, publish a staged object only if
 * nothing is published yet, promote a staged object only if nobody replaced either side, and rename.
 *
 * <p>Thread-safety: stateless.
 */
public final class ListingAndCopySample {
    private ListingAndCopySample() {
    }

    /**
     * The total size of the objects under a prefix.
     *
     * @param store the store
     * @param prefix e.g. {@code reports/2026/}
     * @return the bytes
     */
    public static long totalSize(ObjectStore store, String prefix) {
        // Pages are read as the stream is consumed; the library's own records are never listed.
        try (Stream<ObjectInfo> objects = store.list(prefix)) {
            return objects.mapToLong(ObjectInfo::size).sum();
        }
    }

    /**
     * The "subdirectories" right under a prefix, read page by page.
     *
     * @param store the store
     * @param prefix e.g. {@code reports/}
     * @return the common prefixes, e.g. {@code reports/2025/}, {@code reports/2026/}
     */
    public static List<String> subdirectories(ObjectStore store, String prefix) {
        List<String> found = new ArrayList<>();
        ListOptions.Builder options = ListOptions.builder().delimiter("/").pageSize(100);
        String token = null;
        do {
            ListPage page = store.listPage(prefix, options.continuationToken(token).build());
            found.addAll(page.commonPrefixes());
            token = page.continuationToken().orElse(null);
        } while (token != null);
        return found;
    }

    /**
     * Publishes a finished, staged object under its final key unless something is published there.
     *
     * @param store the store
     * @param staged the staged key
     * @param published the final key
     * @return the published version, or null if the final key was taken
     */
    public static PutResult publishIfAbsent(ObjectStore store, String staged, String published) {
        try {
            // Copy-if-absent: server-side where the store honours it, else a pinned read and a create.
            return store.copy(staged, published, CopyOptions.of(PutMode.create()));
        } catch (ObjectAlreadyExistsException taken) {
            return null; // someone published first; nothing was overwritten
        }
    }

    /**
     * Promotes the staged version that was reviewed onto the live key, only if the staged object is
     * still that version and the live key is still the version it was when the review started.
     *
     * @param store the store
     * @param staged the staged key
     * @param reviewed the staged version that was reviewed
     * @param live the live key
     * @param liveBefore the live version the review started from
     * @return the new live version, or null if either side changed meanwhile
     */
    public static PutResult promote(ObjectStore store, String staged, ObjectVersion reviewed, String live,
                                    ObjectVersion liveBefore) {
        CopyOptions options = CopyOptions.builder()
                .sourceIfMatch(reviewed)                   // copy exactly the version reviewed
                .mode(PutMode.update(liveBefore))          // replace only what the review saw
                .build();
        try {
            return store.copy(staged, live, options);
        } catch (PreconditionFailedException changed) {
            // changed.key() says which side moved: the staged key or the live key.
            return null;
        }
    }

    /**
     * Moves every object under one prefix to another, never replacing an existing target.
     *
     * @param store the store
     * @param from e.g. {@code inbox/}
     * @param to e.g. {@code archive/}
     * @return the keys moved
     */
    public static List<String> moveAll(ObjectStore store, String from, String to) {
        List<String> keys;
        try (Stream<ObjectInfo> objects = store.list(from)) {
            keys = objects.map(ObjectInfo::key).collect(Collectors.toList());
        }
        for (String key : keys) {
            // Copy-if-absent, then delete the source only if it is still the version copied.
            store.rename(key, to + key.substring(from.length()));
        }
        return keys;
    }
}
