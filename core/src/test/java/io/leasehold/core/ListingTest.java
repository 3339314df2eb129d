package io.leasehold.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leasehold.driver.memory.MemoryDriver;
import io.leasehold.spi.ListResponse;
import io.leasehold.spi.kit.ListPages;
import io.leasehold.testing.RecordingDriver;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The facade's listing: checks before sending, the library's records left out, lazy pages. */
class ListingTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> keys(Stream<ObjectInfo> infos) {
        return infos.map(ObjectInfo::key).collect(Collectors.toList());
    }

    @Test
    void invalidPrefixesAndOptionsAreRefusedBeforeAnythingIsSent() {
        RecordingDriver driver = new RecordingDriver();
        ObjectStore store = ObjectStore.of(driver);
        assertEquals("prefix", assertThrows(InvalidArgumentException.class, () -> store.list("a\u0001")).field());
        assertEquals("prefix", assertThrows(InvalidArgumentException.class, () -> store.list(".leasehold/lease/")).field());
        assertEquals("pageSize", assertThrows(InvalidArgumentException.class,
                () -> store.listPage("", ListOptions.builder().pageSize(0).build())).field());
        assertEquals("pageSize", assertThrows(InvalidArgumentException.class,
                () -> store.listPage("", ListOptions.builder().pageSize(1001).build())).field());
        assertEquals("delimiter", assertThrows(InvalidArgumentException.class,
                () -> store.listPage("", ListOptions.builder().delimiter("").build())).field());
        assertEquals("delimiter", assertThrows(InvalidArgumentException.class,
                () -> store.list("", ListOptions.builder().delimiter("/").build())).field());
        assertThrows(InvalidArgumentException.class, () -> store.listPage("", null));
        assertEquals(List.of(), driver.calls());
    }

    @Test
    void aDriverThatCannotListIsRefusedBeforeAnythingIsSent() {
        RecordingDriver driver = new RecordingDriver(MemoryDriver.create().capabilities().without(Capability.LIST));
        ObjectStore store = ObjectStore.of(driver);
        NotSupportedException e = assertThrows(NotSupportedException.class, () -> store.list(""));
        assertTrue(e.getMessage().contains("LIST"), e.getMessage());
        assertThrows(NotSupportedException.class, () -> store.listPage("", ListOptions.defaults()));
        assertEquals(List.of(), driver.calls());
    }

    @Test
    void aLazyListingSendsNothingUntilConsumedAndOneRequestPerPage() {
        RecordingDriver driver = new RecordingDriver();
        ObjectStore store = ObjectStore.of(driver);
        for (int i = 0; i < 5; i++) {
            store.put("k/" + i, bytes("v" + i));
        }
        driver.calls().clear();
        Stream<ObjectInfo> listing = store.list("k/", ListOptions.builder().pageSize(2).build());
        assertEquals(List.of(), driver.calls());
        assertEquals(List.of("k/0", "k/1", "k/2", "k/3", "k/4"), keys(listing));
        assertEquals(List.of("list k/", "list k/", "list k/"), driver.calls());
        driver.calls().clear();
        assertEquals(List.of("k/0"), keys(store.list("k/", ListOptions.builder().pageSize(2).build()).limit(1)));
        assertEquals(List.of("list k/"), driver.calls(), "a partly consumed listing reads only what it needs");
    }

    @Test
    void theLibrarysRecordsAreNeverListed() {
        MemoryDriver driver = MemoryDriver.create();
        ObjectStore store = ObjectStore.of(driver);
        // Records the library keeps next to callers' keys (emulated leases, Azure fencing counters).
        driver.put(".leasehold/lease/doc", bytes("{}"), PutOptions.defaults());
        driver.put(".leasehold/fence/doc", bytes("7"), PutOptions.defaults());
        store.put(".dotfile", bytes("mine"));
        store.put(".l", bytes("mine too"));
        store.put("doc", bytes("d"));
        assertEquals(List.of(".dotfile", ".l", "doc"), keys(store.list("")));
        assertEquals(List.of(".dotfile", ".l"), keys(store.list(".")));
        ListPage byDirectory = store.listPage("", ListOptions.builder().delimiter("/").build());
        assertEquals(List.of(), byDirectory.commonPrefixes(), "'.leasehold/' holds only records");
        ListPage byA = store.listPage(".", ListOptions.builder().delimiter("a").build());
        assertEquals(List.of(".dotfile", ".l"), byA.objects().stream().map(ObjectInfo::key).collect(Collectors.toList()));
        assertEquals(List.of(), byA.commonPrefixes(), "'.lea' rolls up only records: not listed");
        store.put(".leaf", bytes("a caller's key under the same prefix"));
        assertEquals(List.of(".lea"), store.listPage(".", ListOptions.builder().delimiter("a").build()).commonPrefixes());
    }

    @Test
    void entriesCarryVersionSizeAndTimeButNoMetadata() {
        ObjectStore store = ObjectStore.of(MemoryDriver.create());
        PutResult put = store.put("a", bytes("four"), PutOptions.builder().contentType("text/plain")
                .metadata("owner", "ann").build());
        ObjectInfo listed = store.list("").findFirst().orElseThrow();
        assertEquals("a", listed.key());
        assertEquals(put.version().etag(), listed.version().etag());
        assertEquals(4, listed.size());
        assertFalse(listed.lastModified().isBefore(Instant.EPOCH.plusSeconds(1)));
        assertTrue(listed.contentType().isEmpty());
        assertEquals(java.util.Map.of(), listed.userMetadata());
    }

    // ---------------------------------------------------------------- the kit's pages

    private static ObjectInfo info(String key) {
        return new ObjectInfo(key, ObjectVersion.of("e-" + key), 1, Instant.EPOCH, null, null);
    }

    private static List<String> allByPages(List<ObjectInfo> objects, String prefix, String delimiter, int pageSize) {
        List<String> seen = new ArrayList<>();
        String token = null;
        do {
            ListResponse page = ListPages.page(objects, prefix, ListOptions.builder().pageSize(pageSize)
                    .delimiter(delimiter).continuationToken(token).build());
            assertTrue(page.objects().size() + page.commonPrefixes().size() <= pageSize);
            // Objects and prefixes come in two lists; within the page they interleave in key order.
            List<String> entries = new ArrayList<>();
            page.objects().forEach(o -> entries.add(o.key()));
            page.commonPrefixes().forEach(p -> entries.add(p + "*"));
            entries.sort((a, b) -> ListPages.KEY_ORDER.compare(a.replace("*", ""), b.replace("*", "")));
            seen.addAll(entries);
            token = page.continuationToken().orElse(null);
        } while (token != null);
        return seen;
    }

    @Test
    void kitPagesAreInUtf8OrderRollUpPrefixesOnceAndNeitherSkipNorRepeat() {
        List<ObjectInfo> objects = new ArrayList<>();
        for (String key : List.of("p/b", "p/a/1", "p/a/2", "p/c/x/y", "p/\uFFFD", "p/\uD83D\uDE00", "p/a", "q/z", "p/")) {
            objects.add(info(key));
        }
        // Code point (UTF-8) order puts U+1F600 after U+FFFD, where String.compareTo would not.
        List<String> flat = List.of("p/", "p/a", "p/a/1", "p/a/2", "p/b", "p/c/x/y", "p/\uFFFD", "p/\uD83D\uDE00");
        for (int size = 1; size <= 9; size++) {
            assertEquals(flat, allByPages(objects, "p/", null, size), "page size " + size);
            assertEquals(List.of("p/", "p/a", "p/a/*", "p/b", "p/c/*", "p/\uFFFD", "p/\uD83D\uDE00"),
                    allByPages(objects, "p/", "/", size), "page size " + size);
        }
        assertEquals(List.of("p/*", "q/*"), allByPages(objects, "", "/", 1));
        assertEquals("continuationToken", assertThrows(InvalidArgumentException.class, () -> ListPages.page(objects, "",
                ListOptions.builder().continuationToken("not-ours!").build())).field());
    }
}
