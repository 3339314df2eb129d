package io.leasehold.core.internal.update;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The per-key contention estimate behind the default update backoff. */
class ContentionTest {

    @Test
    void withoutLossesOneWriterIsAssumedAndTheWindowIsAboutOneAttempt() {
        Contention.Key key = new Contention().of("k");
        for (int i = 0; i < 20; i++) {
            key.record(false, 4_000_000);
        }
        assertEquals(1.0, key.contenders(), 1e-9);
        for (int i = 0; i < 1000; i++) {
            assertTrue(key.backoffNanos(1) <= 4_100_000, "at most about one attempt-length");
        }
    }

    @Test
    void frequentLossesWidenTheWindowToAboutAsManySlotsAsWriters() {
        Contention.Key key = new Contention().of("k");
        // three of every four attempts lose: about four writers take turns
        for (int i = 0; i < 200; i++) {
            key.record(i % 4 != 0, 10_000_000);
        }
        assertTrue(key.contenders() > 3 && key.contenders() < 6, "estimated " + key.contenders());
        long max = 0;
        for (int i = 0; i < 2000; i++) {
            max = Math.max(max, key.backoffNanos(1));
        }
        assertTrue(max > 25_000_000 && max <= 60_000_000, "window ~ contenders x 10 ms: " + max);
    }

    @Test
    void aCallsOwnRepeatedLossesDoubleItsWindowThreeTimesAtMostAndEveryWindowIsBounded() {
        Contention.Key key = new Contention().of("k");
        for (int i = 0; i < 500; i++) {
            key.record(true, 1_000_000_000);
        }
        assertEquals(64.0, key.contenders(), 1e-6, "bounded when nearly everything loses");
        for (int retry = 1; retry < 10; retry++) {
            assertTrue(key.backoffNanos(retry) <= 2_000_000_000L, "never more than 2 s");
        }
    }

    @Test
    void theTableOfKeysIsBounded() {
        Contention contention = new Contention();
        for (int i = 0; i < Contention.MAX_KEYS * 2; i++) {
            contention.of("k" + i).record(true, 1);
        }
        Contention.Key fresh = contention.of("fresh");
        assertEquals(0.0, fresh.lossRate(), 1e-9);
    }
}
