package io.leasehold.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leasehold.core.AsyncObjectStore;
import io.leasehold.core.ErrorCode;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.ObjectStoreException;
import io.leasehold.tck.faults.ErrorDialect;
import io.leasehold.tck.faults.Fault;
import io.leasehold.tck.faults.FaultPlan;
import io.leasehold.tck.faults.FaultProxy;
import io.leasehold.tck.faults.RequestMatch;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * 1,000 increments in flight at once through the asynchronous API and the S3 driver's non-blocking
 * requests, between the library and Ceph RGW a fault proxy that loses answers to applied writes and
 * answers others as an intermediary would (plain 502, 503, 504 after forwarding: the write landed, the
 * client cannot tell) or refuses them before forwarding. Every counter ends exactly at the number of
 * its increments reported done, plus at most those reported as unknown: a write reported failed never
 * landed, and a write reported done landed once — settlement decided every ambiguous answer.
 */
@ExtendWith(CephRgw.class)
class CephRgwAsyncFaultTest {
    private static final int COUNTERS = 100;
    private static final int INCREMENTS = 10;

    @Test
    void everyIncrementIsCountedExactlyOnceUnderLostAndGatewayAnswers(CephRgw rgw) throws Exception {
        FaultPlan plan = FaultPlan.builder(18L)
                .random(RequestMatch.objectWrites(),
                        FaultPlan.weighted(0.03, Fault.loseResponse()),
                        FaultPlan.weighted(0.02, Fault.gatewayErrorAfterApply(502)),
                        FaultPlan.weighted(0.02, Fault.gatewayErrorAfterApply(503)),
                        FaultPlan.weighted(0.02, Fault.gatewayErrorAfterApply(504)),
                        FaultPlan.weighted(0.02, Fault.rejectBeforeApply(503)))
                .random(RequestMatch.reads(), FaultPlan.weighted(0.02, Fault.loseResponse()))
                .build();
        String run = "async-faults-" + UUID.randomUUID();
        Map<String, AtomicInteger> done = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> unknown = new ConcurrentHashMap<>();
        List<String> failures = new ArrayList<>();
        try (FaultProxy proxy = FaultProxy.builder(rgw.endpoint()).dialect(ErrorDialect.S3).plan(plan).start();
             ObjectStore store = ObjectStore.of(rgw.driverBuilder().endpoint(proxy.endpoint()).build())) {
            AsyncObjectStore async = store.async();
            assertTrue(async.nonBlocking());
            List<CompletableFuture<?>> all = new ArrayList<>();
            for (int i = 0; i < INCREMENTS; i++) {
                for (int c = 0; c < COUNTERS; c++) {
                    String key = run + "/c" + c;
                    all.add(async.update(key, CephRgwAsyncFaultTest::increment).handle((result, failure) -> {
                        if (failure == null) {
                            done.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                        } else if (cause(failure) instanceof ObjectStoreException
                                && ((ObjectStoreException) cause(failure)).code() == ErrorCode.OUTCOME_UNKNOWN) {
                            unknown.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                        } else {
                            synchronized (failures) {
                                failures.add(key + ": " + cause(failure));
                            }
                        }
                        return null;
                    }));
                }
            }
            assertEquals(COUNTERS * INCREMENTS, all.size());
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
            assertTrue(plan.faults() > 0, "the proxy injected faults");
            proxy.plan(FaultPlan.none());
            int totalDone = 0;
            int totalUnknown = 0;
            List<String> wrong = new ArrayList<>();
            for (int c = 0; c < COUNTERS; c++) {
                String key = run + "/c" + c;
                int value = Integer.parseInt(new String(async.get(key).get(1, TimeUnit.MINUTES).content(), StandardCharsets.UTF_8));
                int d = count(done, key);
                int u = count(unknown, key);
                totalDone += d;
                totalUnknown += u;
                if (value < d || value > d + u) {
                    wrong.add(key + ": value " + value + ", done " + d + ", unknown " + u);
                }
            }
            System.out.printf("async faults: %d increments, %d done, %d unknown, %d failed; %d faults in %d decisions%n",
                    COUNTERS * INCREMENTS, totalDone, totalUnknown, failures.size(), plan.faults(), plan.decisions());
            assertEquals(List.of(), wrong, "counters that do not match the increments reported");
            assertEquals(COUNTERS * INCREMENTS, totalDone + totalUnknown + failures.size());
        }
    }

    private static int count(Map<String, AtomicInteger> counts, String key) {
        AtomicInteger n = counts.get(key);
        return n == null ? 0 : n.get();
    }

    private static Throwable cause(Throwable failure) {
        return failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
    }

    private static byte[] increment(byte[] current) {
        int n = current == null ? 0 : Integer.parseInt(new String(current, StandardCharsets.UTF_8));
        return Integer.toString(n + 1).getBytes(StandardCharsets.UTF_8);
    }
}
