package io.leasehold.azure;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leasehold.tck.SmallHeapRoundTrip;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A round trip through the API on Azurite in a child JVM whose heap is smaller than the object:
 * 64 MiB with {@code -Xmx48m} by default, 1 GiB with {@code -Xmx64m} when
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
                : SmallHeapRoundTrip.runInChild("48m", uri, 64L << 20, true, Map.of());
        System.out.print(out);
        assertTrue(out.contains("digests equal"), out);
    }
}
