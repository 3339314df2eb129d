package io.leasehold.azure;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leasehold.tck.SmallHeapRoundTrip;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A round trip through the API on Azurite in a child JVM whose heap is smaller than the object:
 * 96 MiB with {@code -Xmx64m} by default, 1 GiB with {@code -Xmx64m} when
 * {@code -Dleasehold.large.big=true} (or {@code LEASEHOLD_LARGE_BIG=1}).
 */
@ExtendWith(AzuriteExtension.class)
class AzuriteSmallHeapTest {
    @Test
    void roundTripLargerThanTheHeap() throws Exception {
        boolean big = Boolean.getBoolean("leasehold.large.big") || "1".equals(System.getenv("LEASEHOLD_LARGE_BIG"));
        String uri = AzuriteExtension.uniqueStoreUri("small-heap");
        String out = big
                ? SmallHeapRoundTrip.runInChild("64m", uri, 1L << 30, true, Map.of())
                // 64 MiB of heap for 96 MiB: four 8 MiB part buffers plus the Azure SDK's own buffers
                // left too little room at 48 MiB (one OutOfMemoryError in a CI run).
                : SmallHeapRoundTrip.runInChild("64m", uri, 96L << 20, true, Map.of());
        System.out.print(out);
        assertTrue(out.contains("digests equal"), out);
    }
}
