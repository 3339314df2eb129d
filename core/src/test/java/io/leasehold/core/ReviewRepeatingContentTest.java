package io.leasehold.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leasehold.testing.ContentHashDriver;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * Hostile review of update on content-hash ETags (S3) with content that repeats (threads alternating
 * +1 and -1, so A&rarr;B&rarr;A is common) and lost answers: every call's change lands at most once,
 * exactly once for a call reported applied, never for a call reported failed. Each call's writes are
 * known from its listener's write ids, the store's applied writes from the driver.
 */
class ReviewRepeatingContentTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private void run(boolean coalesce, boolean landLate, boolean repeating) throws Exception {
        ContentHashDriver driver = new ContentHashDriver();
        driver.script(n -> {
            int r = ThreadLocalRandom.current().nextInt(100);
            if (r < 15) {
                return ContentHashDriver.Fault.APPLY_THEN_UNKNOWN;
            }
            if (r < 25) {
                return ContentHashDriver.Fault.UNKNOWN_WITHOUT_APPLYING;
            }
            if (landLate && r < 28) {
                return ContentHashDriver.Fault.LAND_LATE;
            }
            return ContentHashDriver.Fault.NONE;
        });
        ObjectStore store = ObjectStore.of(driver);
        driver.putUnscripted("c", bytes("0"), PutOptions.defaults());
        int threads = 6;
        int perThread = 80;
        Map<String, Set<String>> writesOf = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<List<String[]>>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int me = t;
            futures.add(pool.submit(() -> {
                List<String[]> outcomes = new ArrayList<>();
                for (int i = 0; i < perThread; i++) {
                    String call = me + "/" + i;
                    int delta = !repeating || i % 2 == 0 ? 1 : -1;
                    Set<String> mine = ConcurrentHashMap.newKeySet();
                    writesOf.put(call, mine);
                    UpdateOptions options = UpdateOptions.builder().coalesce(coalesce)
                            .listener(new UpdateListener() {
                                @Override
                                public void onWriteSent(String key, int attempt, String writeId) {
                                    mine.add(writeId);
                                }
                            }).build();
                    String outcome;
                    try {
                        store.update("c", b -> bytes(String.valueOf(
                                Integer.parseInt(new String(b, StandardCharsets.UTF_8)) + delta)), options);
                        outcome = "ok";
                    } catch (OutcomeUnknownException unknown) {
                        outcome = "unknown";
                    } catch (ObjectStoreException failed) {
                        outcome = "failed " + failed.code();
                    }
                    outcomes.add(new String[] {call, outcome, String.valueOf(delta)});
                }
                return outcomes;
            }));
        }
        List<String[]> all = new ArrayList<>();
        for (Future<List<String[]>> f : futures) {
            all.addAll(f.get(120, TimeUnit.SECONDS));
        }
        pool.shutdownNow();
        List<String> applied = driver.appliedWriteIds();
        Map<String, Integer> appliedCount = new HashMap<>();
        for (String id : applied) {
            appliedCount.merge(String.valueOf(id), 1, Integer::sum);
        }
        List<String> anomalies = new ArrayList<>();
        int okSum = 0;
        int unknowns = 0;
        for (String[] o : all) {
            int landed = 0;
            for (String id : writesOf.get(o[0])) {
                landed += appliedCount.getOrDefault(id, 0);
            }
            if (landed > 1) {
                anomalies.add(o[0] + " landed " + landed + " times (" + o[1] + ")");
            } else if (o[1].equals("ok") && landed != 1) {
                anomalies.add(o[0] + " reported applied but landed " + landed + " times");
            } else if (o[1].startsWith("failed") && landed != 0) {
                anomalies.add(o[0] + " reported " + o[1] + " but landed");
            }
            if (o[1].equals("ok")) {
                okSum += Integer.parseInt(o[2]);
            } else if (o[1].equals("unknown")) {
                unknowns++;
            }
        }
        assertEquals(List.of(), anomalies, "coalesce=" + coalesce + " landLate=" + landLate);
        int stored = Integer.parseInt(new String(store.get("c").content(), StandardCharsets.UTF_8));
        assertTrue(Math.abs(stored - okSum) <= unknowns, "stored " + stored + ", applied " + okSum + ", unknown " + unknowns);
    }

    @Test
    void repeatingContentWithLostAnswersCoalesced() throws Exception {
        run(true, false, true);
    }

    @Test
    void repeatingContentWithLostAnswersUncoalesced() throws Exception {
        run(false, false, true);
    }

    @Test
    void writesLandingLateUncoalesced() throws Exception {
        run(false, true, false);
    }

    @Test
    void writesLandingLateCoalesced() throws Exception {
        run(true, true, false);
    }

    /**
     * The limit the error model states: on content-hash ETags an If-Match write can land on any later
     * version with its base's bytes, so a write the store applies after the call has returned (its
     * answer lost, its settlement read seeing the base) lands again once the content recurs
     * (A&rarr;B&rarr;A). Nothing the client reads can rule that out; stores with unique ETags, or
     * content that never recurs (a version number in it), are not affected.
     */
    @Test
    @org.junit.jupiter.api.Disabled("inherent limit of content-hash ETags, stated in docs/errors.md: a late-landing"
            + " write whose base bytes recur after the call returned can land a second time")
    void repeatingContentWithWritesLandingLate() throws Exception {
        run(true, true, true);
    }
}
