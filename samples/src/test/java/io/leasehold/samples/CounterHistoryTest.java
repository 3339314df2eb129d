package io.leasehold.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.leasehold.core.ErrorCode;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.ObjectStoreException;
import io.leasehold.core.OutcomeUnknownException;
import io.leasehold.core.UpdateResult;
import io.leasehold.test.FaultInjectingDriver;
import io.leasehold.test.LeaseholdExtension;
import io.leasehold.test.history.CheckResult;
import io.leasehold.test.history.Checker;
import io.leasehold.test.history.Counter;
import io.leasehold.test.history.History;
import io.leasehold.test.history.Models;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Checking a history of your own code: four workers increment a counter through {@code update}
 * while answers get lost, every call is recorded, and the checker proves the history linearizable
 * (no increment lost or applied twice, whatever the lost answers hid).
 */
@ExtendWith(LeaseholdExtension.class)
class CounterHistoryTest {

    @Test
    void incrementsWhoseAnswersGetLostAreLinearizable(ObjectStore store, FaultInjectingDriver faults) throws Exception {
        History history = History.create();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            String process = "worker-" + w;
            workers.add(pool.submit(() -> {
                for (int i = 0; i < 50; i++) {
                    if (i % 10 == 5) { // a write lands, its answer is lost, and the reads that would settle it fail
                        faults.nextPut().forKey("counter").landsButOutcomeStaysUnknown();
                        faults.nextGet().forKey("counter").fails(ErrorCode.UNKNOWN);
                    }
                    History.Op op = history.invoke(process, "counter", Counter.add(1));
                    try {
                        UpdateResult r = store.update("counter", CounterHistoryTest::plusOne);
                        op.ok(Counter.value(Long.parseLong(new String(r.content(), StandardCharsets.US_ASCII))));
                    } catch (OutcomeUnknownException e) {
                        op.unknown("outcome unknown");     // may or may not have been applied
                    } catch (ObjectStoreException e) {
                        op.failed(e.code().name());        // the library's promise: nothing was applied
                    }
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
        pool.shutdown();
        CheckResult result = Checker.check(history, Models.counter());
        System.out.println(result.report());
        result.assertOk();
        assertEquals(200, history.size());
    }

    private static byte[] plusOne(byte[] current) {
        long value = current == null ? 0 : Long.parseLong(new String(current, StandardCharsets.US_ASCII));
        return Long.toString(value + 1).getBytes(StandardCharsets.US_ASCII);
    }
}
