package io.leasehold.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leasehold.driver.memory.MemoryDriver;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Hostile review of listing: the library's records are never listed, also those of a store with a
 * key prefix seen from a store at the bucket root ({@code team/.leasehold/lease/k} is the lease
 * record of key {@code k} of a store with prefix {@code team/}: no store can write such a key, so
 * it is always a record).
 */
class ReviewListingTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private final MemoryDriver bucket = MemoryDriver.create();
    private final ObjectStore root = ObjectStore.of(bucket);

    /** What a store with prefix {@code team/} leaves in the bucket: a key and its lease and fence records. */
    private void prefixedStoresObjects() {
        bucket.put("team/k", bytes("data"), PutOptions.defaults());
        bucket.put("team/.leasehold/lease/k", bytes("{\"record\":1}"), PutOptions.defaults());
        bucket.put("team/.leasehold/fence/k", bytes("7"), PutOptions.defaults());
        bucket.put(".leasehold/lease/top", bytes("{\"record\":1}"), PutOptions.defaults());
    }

    @Test
    void aRootStoresListingNeverShowsThePrefixedStoresRecords() {
        prefixedStoresObjects();
        List<String> keys = root.list("").map(ObjectInfo::key).collect(Collectors.toList());
        assertEquals(List.of("team/k"), keys);
        List<String> underTeam = root.list("team/").map(ObjectInfo::key).collect(Collectors.toList());
        assertEquals(List.of("team/k"), underTeam);
    }

    @Test
    void aRootStoresDelimitedListingNeverShowsTheRecordsFolder() {
        prefixedStoresObjects();
        ListPage page = root.listPage("team/", ListOptions.builder().delimiter("/").build());
        assertEquals(List.of("team/k"), page.objects().stream().map(ObjectInfo::key).collect(Collectors.toList()));
        assertEquals(List.of(), page.commonPrefixes(), "the records' folder is not the caller's");
    }

    @Test
    void aPrefixInsideTheReservedSegmentIsRefusedOrListsNothing() {
        prefixedStoresObjects();
        try {
            List<String> keys = root.list("team/.leasehold/").map(ObjectInfo::key).collect(Collectors.toList());
            assertEquals(List.of(), keys);
        } catch (InvalidArgumentException refused) {
            assertEquals("prefix", refused.field());
        }
    }

    @Test
    void topLevelRecordsStayHidden() {
        prefixedStoresObjects();
        assertThrows(InvalidArgumentException.class, () -> root.list(".leasehold/"));
        ListPage page = root.listPage("", ListOptions.builder().delimiter("/").build());
        assertTrue(page.commonPrefixes().contains("team/"), String.valueOf(page));
        assertTrue(!page.commonPrefixes().contains(".leasehold/"), String.valueOf(page));
    }
}
