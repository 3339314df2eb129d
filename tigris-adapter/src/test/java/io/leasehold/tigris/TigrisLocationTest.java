package io.leasehold.tigris;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leasehold.aws.S3Driver;
import io.leasehold.core.Capability;
import io.leasehold.core.InvalidArgumentException;
import io.leasehold.core.NotSupportedException;
import io.leasehold.core.ObjectStore;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Issue 16, item 13: Tigris no longer documents {@code X-Tigris-Consistent}; its consistency follows
 * the bucket's location type (docs/buckets/locations.md, docs/concepts/consistency.md,
 * docs/objects/conditionals.md): Global (the default) and Dual-region buckets are strong within a
 * region and eventual across regions, so a lease or a compare-and-swap used from two regions is not
 * safe on them; Multi-region and Single-region buckets are strong everywhere. The adapter's promise
 * follows the declared location: a warning for Global and Dual-region, and with
 * {@code crossRegion=true} conditional writes, strong reads and leases are refused there. No
 * network: capabilities only.
 */
class TigrisLocationTest {
    private static final String AT = "endpoint=http://127.0.0.1:9&pathStyle=true";

    private static S3Driver open(String query) {
        return Tigris.builder().uri(URI.create("tigris://bucket?" + AT + (query.isEmpty() ? "" : "&" + query)))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("k", "s"))).build();
    }

    private static List<LogRecord> warnings(Runnable r) {
        List<LogRecord> seen = new CopyOnWriteArrayList<>();
        Logger log = Logger.getLogger("io.leasehold.tigris");
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                    seen.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        log.addHandler(h);
        try {
            r.run();
        } finally {
            log.removeHandler(h);
        }
        return seen;
    }

    @Test
    void multiAndSingleRegionBucketsAreStrongEverywhere() {
        for (String location : new String[] {"multi-region", "single-region"}) {
            List<LogRecord> w = warnings(() -> {
                try (S3Driver d = open("location=" + location + "&crossRegion=true")) {
                    assertTrue(d.capabilities().supports(Capability.LEASES), location);
                    assertTrue(d.capabilities().supports(Capability.PUT_IF_MATCH), location);
                }
            });
            assertEquals(List.of(), w, location);
        }
    }

    @Test
    void globalAndDualRegionBucketsWarnThatLeasesAndUpdatesHoldWithinOneRegionOnly() {
        for (String query : new String[] {"", "location=global", "location=dual-region"}) {
            List<LogRecord> w = warnings(() -> {
                try (S3Driver d = open(query)) {
                    assertTrue(d.capabilities().supports(Capability.LEASES), "one region: usable");
                }
            });
            assertEquals(1, w.size(), query);
            assertTrue(w.get(0).getMessage().contains("one region"), w.get(0).getMessage());
        }
    }

    @Test
    void clientsInSeveralRegionsOfAGlobalBucketAreRefusedLeasesAndConditionalWrites() {
        try (S3Driver d = open("location=global&crossRegion=true")) {
            for (Capability c : new Capability[] {Capability.LEASES, Capability.EMULATED_LEASES, Capability.PUT_IF_ABSENT,
                    Capability.PUT_IF_MATCH, Capability.PUT_IF_PRESENT, Capability.DELETE_IF_MATCH, Capability.STRONG_READS}) {
                assertFalse(d.capabilities().supports(c), c.toString());
            }
            ObjectStore store = ObjectStore.of(d);
            assertThrows(NotSupportedException.class, () -> store.update("k", b -> b), "refused before sending");
            assertThrows(NotSupportedException.class, () -> store.leases());
        }
        assertThrows(InvalidArgumentException.class, () -> open("location=dual-region&crossRegion=true&enforceLeases=true"));
        assertThrows(InvalidArgumentException.class, () -> open("location=everywhere"));
    }
}
