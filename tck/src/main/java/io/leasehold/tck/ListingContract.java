package io.leasehold.tck;

import static io.leasehold.tck.Support.assertNotSupported;
import static io.leasehold.tck.Support.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.leasehold.core.Capability;
import io.leasehold.core.ETag;
import io.leasehold.core.InvalidArgumentException;
import io.leasehold.core.ListOptions;
import io.leasehold.core.ListPage;
import io.leasehold.core.ObjectInfo;
import io.leasehold.core.ObjectNotFoundException;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.PutResult;
import io.leasehold.core.lease.Lease;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Listing ({@link ObjectStore#list}, {@link ObjectStore#listPage}): order, what an entry holds, pages
 * that neither skip nor repeat, the delimiter, the library's records never listed, and listings read
 * while other threads write. Every case runs on every store: one that cannot list must refuse with
 * {@code NotSupportedException}.
 *
 * <p>Thread-safety: a contract holds no state; JUnit runs its cases one at a time per instance.
 */
public interface ListingContract extends ConformanceHarness {

    /**
     * A fresh prefix no other test writes under, ending in {@code /}.
     *
     * @param name a readable part
     * @return the prefix
     */
    default String uniquePrefix(String name) {
        return uniqueKey("list-" + name) + "/";
    }

    /** Every object under a prefix, read page by page (small pages), with the pages' sizes checked. */
    private static List<ObjectInfo> allPages(Store store, String prefix, int pageSize) {
        List<ObjectInfo> all = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            ListPage page = store.listPage(prefix, ListOptions.builder().pageSize(pageSize).continuationToken(token).build());
            assertTrue(page.objects().size() + page.commonPrefixes().size() <= pageSize, "page larger than asked: " + page);
            all.addAll(page.objects());
            token = page.continuationToken().orElse(null);
            assertTrue(++pages < 10_000, "listing does not end");
        } while (token != null);
        return all;
    }

    private static List<String> keys(List<ObjectInfo> infos) {
        return infos.stream().map(ObjectInfo::key).collect(Collectors.toList());
    }

    /**
     * Objects written under a prefix are listed in ascending key order with the versions, sizes and
     * times the store holds; keys outside the prefix are not.
     */
    @Test
    default void listsWhatWasWrittenInKeyOrder() {
        Store store = store();
        String p = uniquePrefix("order");
        if (!store.capabilities().supports(Capability.LIST)) {
            assertNotSupported(() -> store.list(p));
            assertNotSupported(() -> store.listPage(p, ListOptions.defaults()));
            return;
        }
        Map<String, PutResult> written = new LinkedHashMap<>();
        for (String name : List.of("b", "a", "c/d", "a/x", "a-", "\u00e9t\u00e9")) {
            written.put(p + name, store.put(p + name, bytes("content of " + name)));
        }
        store.put(p.substring(0, p.length() - 1) + "-outside", bytes("not under the prefix"));
        List<ObjectInfo> listed = store.list(p).collect(Collectors.toList());
        assertEquals(List.of(p + "a", p + "a-", p + "a/x", p + "b", p + "c/d", p + "\u00e9t\u00e9"), keys(listed),
                "ascending order of the keys' UTF-8 bytes");
        Instant before = Instant.now().minus(Duration.ofHours(1));
        for (ObjectInfo info : listed) {
            PutResult put = written.get(info.key());
            ETag listedTag = info.version().etag();
            assertTrue(put.version().etag().strongMatch(listedTag), info.key() + ": listed " + listedTag
                    + ", written " + put.version().etag());
            assertEquals(("content of " + info.key().substring(p.length())).getBytes(java.nio.charset.StandardCharsets.UTF_8).length,
                    info.size(), info.key());
            assertNotNull(info.lastModified());
            assertTrue(info.lastModified().isAfter(before), info.key() + " last modified " + info.lastModified());
            assertTrue(info.contentType().isEmpty() && info.userMetadata().isEmpty(),
                    "listed entries carry no content type or metadata: " + info);
        }
        assertEquals(List.of(), store.list(p + "nothing-here/").collect(Collectors.toList()));
        ListPage empty = store.listPage(p + "nothing-here/", ListOptions.defaults());
        assertFalse(empty.hasMore());
        assertTrue(empty.objects().isEmpty() && empty.commonPrefixes().isEmpty());
    }

    /** Pages of any size together list every object once, in order, and the last page has no token. */
    @Test
    default void pagesNeitherSkipNorRepeat() {
        Store store = store();
        String p = uniquePrefix("pages");
        if (!store.capabilities().supports(Capability.LIST)) {
            assertNotSupported(() -> store.listPage(p, ListOptions.builder().pageSize(2).build()));
            return;
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            store.put(p + "k" + i, bytes("v" + i));
            expected.add(p + "k" + i);
        }
        for (int size : new int[] {1, 2, 3, 7, 1000}) {
            assertEquals(expected, keys(allPages(store, p, size)), "page size " + size);
            assertEquals(expected, keys(store.list(p, ListOptions.builder().pageSize(size).build())
                    .collect(Collectors.toList())), "lazy, page size " + size);
        }
        ListPage first = store.listPage(p, ListOptions.builder().pageSize(3).build());
        assertTrue(first.hasMore());
        assertEquals(expected.subList(3, 7), keys(store.list(p, ListOptions.builder().pageSize(3)
                .continuationToken(first.continuationToken().orElseThrow()).build()).collect(Collectors.toList())),
                "a lazy listing continues from a token");
    }

    /** A delimiter rolls keys up into common prefixes, each listed once across pages of any size. */
    @Test
    default void aDelimiterRollsKeysUpIntoCommonPrefixes() {
        Store store = store();
        String p = uniquePrefix("delimiter");
        if (!store.capabilities().supports(Capability.LIST)) {
            assertNotSupported(() -> store.listPage(p, ListOptions.builder().delimiter("/").build()));
            return;
        }
        for (String name : List.of("x/1", "x/2", "y", "z/deep/1", "z/deep/2", "zz")) {
            store.put(p + name, bytes(name));
        }
        for (int size : new int[] {1, 2, 1000}) {
            List<String> objects = new ArrayList<>();
            List<String> prefixes = new ArrayList<>();
            String token = null;
            do {
                ListPage page = store.listPage(p, ListOptions.builder().delimiter("/").pageSize(size)
                        .continuationToken(token).build());
                assertTrue(page.objects().size() + page.commonPrefixes().size() <= size);
                page.objects().forEach(o -> objects.add(o.key()));
                prefixes.addAll(page.commonPrefixes());
                token = page.continuationToken().orElse(null);
            } while (token != null);
            assertEquals(List.of(p + "y", p + "zz"), objects, "page size " + size);
            assertEquals(List.of(p + "x/", p + "z/"), prefixes, "page size " + size);
        }
        ListPage inside = store.listPage(p + "z/", ListOptions.builder().delimiter("/").build());
        assertEquals(List.of(), inside.objects());
        assertEquals(List.of(p + "z/deep/"), inside.commonPrefixes());
        assertEquals(List.of(p + "x/1", p + "x/2"), keys(store.listPage(p + "x/",
                ListOptions.builder().delimiter("/").build()).objects()));
    }

    /**
     * The library's records (lease records, fencing counters under {@code .leasehold/}) are never
     * listed, as objects or as a common prefix, while keys of callers that start with a dot are.
     *
     */
    @Test
    default void theLibrarysRecordsAreNeverListed() {
        Store store = store();
        String dotKey = "." + uniqueKey("dot").replace('/', '-');
        if (!store.capabilities().supports(Capability.LIST)) {
            assertNotSupported(() -> store.list("."));
            return;
        }
        store.put(dotKey, bytes("a caller's dot key"));
        if (store.capabilities().supports(Capability.LEASES)) {
            // Emulated leases keep a record under .leasehold/lease/, Azure a fencing counter under .leasehold/fence/.
            String leased = uniqueKey("leased-for-listing");
            store.put(leased, bytes("x"));
            Lease lease = store.leases().acquire(leased);
            store.leases().release(lease);
        }
        List<String> dotted = store.list(".").map(ObjectInfo::key).collect(Collectors.toList());
        assertTrue(dotted.contains(dotKey), dotted.toString());
        assertTrue(dotted.stream().noneMatch(k -> k.startsWith(".leasehold/")), dotted.toString());
        String token = null;
        do {
            ListPage page = store.listPage("", ListOptions.builder().delimiter("/").continuationToken(token).build());
            assertTrue(page.commonPrefixes().stream().noneMatch(c -> c.startsWith(".leasehold")), page.commonPrefixes().toString());
            assertTrue(page.objects().stream().noneMatch(o -> o.key().startsWith(".leasehold/")));
            token = page.continuationToken().orElse(null);
        } while (token != null);
        assertThrows(InvalidArgumentException.class, () -> store.list(".leasehold/"));
        assertThrows(InvalidArgumentException.class, () -> store.listPage(".leasehold/lease/", ListOptions.defaults()));
    }

    /**
     * Listings read while other threads create, replace and delete keys under the same prefix: every
     * entry listed is a version that was written (key and ETag), no listing repeats a key, and keys
     * nobody touches appear in every listing exactly once with their version.
     *
     * @throws Exception if a worker fails or is interrupted
     */
    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    default void listingsDuringConcurrentWritesShowOnlyVersionsThatExisted() throws Exception {
        Store store = store();
        String p = uniquePrefix("concurrent");
        if (!store.capabilities().supports(Capability.LIST)) {
            assertNotSupported(() -> store.list(p));
            return;
        }
        Map<String, ETag> stable = new HashMap<>();
        for (int i = 0; i < 8; i++) {
            String key = p + "stable-" + i;
            stable.put(key, store.put(key, bytes("stable " + i)).version().etag());
        }
        Map<String, Set<String>> written = new ConcurrentHashMap<>();
        List<List<ObjectInfo>> listings = new CopyOnWriteArrayList<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        int writers = 2;
        int writesEach = 30;
        ExecutorService pool = Executors.newFixedThreadPool(writers + 2);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                work.add(pool.submit(() -> {
                    for (int i = 0; i < writesEach; i++) {
                        String key = p + "churn-" + (i % 5) + "-" + writer;
                        if (i % 3 == 2) {
                            try {
                                store.delete(key);
                            } catch (ObjectNotFoundException alreadyGone) {
                                // deleted by the previous round already
                            }
                        } else {
                            // Unique bytes: even where ETags are content hashes, each version has its own.
                            PutResult put = store.put(key, bytes("writer " + writer + " write " + i));
                            written.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(put.version().etag().value());
                        }
                    }
                    return null;
                }));
            }
            List<Future<?>> listers = new ArrayList<>();
            for (int l = 0; l < 2; l++) {
                listers.add(pool.submit(() -> {
                    do {
                        listings.add(allPages(store, p, 3));
                    } while (writing.get());
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get(4, TimeUnit.MINUTES);
            }
            writing.set(false);
            for (Future<?> f : listers) {
                f.get(4, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(listings.size() >= 2, "listings were read while writing");
        for (List<ObjectInfo> listing : listings) {
            Set<String> seen = new HashSet<>();
            for (ObjectInfo info : listing) {
                assertTrue(seen.add(info.key()), "listed twice in one listing: " + info.key());
                ETag stableTag = stable.get(info.key());
                if (stableTag != null) {
                    assertTrue(stableTag.strongMatch(info.version().etag()), info.key() + " listed as " + info.version());
                } else {
                    Set<String> versions = written.get(info.key());
                    if (versions == null || !versions.contains(info.version().etag().value())) {
                        fail("listed a version nobody wrote: " + info.key() + " " + info.version());
                    }
                }
            }
            assertTrue(seen.containsAll(stable.keySet()), "a key nobody touched was skipped: " + seen);
        }
    }
}
