package io.leasehold.tck;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file-store round trip through the API in a child JVM whose heap is smaller than the object:
 * 96 MiB with {@code -Xmx48m} by default (so buffering anywhere would fail), 1 GiB with
 * {@code -Xmx64m} when {@code -Dleasehold.large.big=true} (or {@code LEASEHOLD_LARGE_BIG=1}).
 */
class FileSmallHeapTest {
    @TempDir
    Path dir;

    static boolean big() {
        return Boolean.getBoolean("leasehold.large.big") || "1".equals(System.getenv("LEASEHOLD_LARGE_BIG"));
    }

    @Test
    void roundTripLargerThanTheHeap() throws Exception {
        String uri = dir.toUri().toString();
        String out = big()
                ? SmallHeapRoundTrip.runInChild("64m", uri, 1L << 30, true, Map.of())
                : SmallHeapRoundTrip.runInChild("48m", uri, 96L << 20, true, Map.of());
        System.out.print(out);
        assertTrue(out.contains("digests equal"), out);
        String unknown = SmallHeapRoundTrip.runInChild("48m", uri, 40L << 20, false, Map.of());
        System.out.print(unknown);
        assertTrue(unknown.contains("digests equal"), unknown);
    }
}
