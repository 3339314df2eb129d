package io.leasehold.tck.history;

import io.leasehold.tck.faults.Fault;
import io.leasehold.tck.faults.FaultPlan;
import io.leasehold.tck.faults.RequestMatch;
import java.time.Duration;

/**
 * The fault plan of the history runs on real servers: every kind the {@link
 * io.leasehold.tck.faults.FaultProxy} has, on writes, deletes and reads.
 *
 * <ul>
 *   <li>Object writes (17%): lost response 3% (a third of them after holding the answer
 *       {@value #HOLD_MS} ms, so other writers get in between), the store's 500 after applying 1.5%,
 *       an intermediary's plain-text 502, 503 and 504 after applying 2% each (the 504 after a hold),
 *       the store's 503 before applying 2%, reset before applying 1.5%, reset after applying 1.5%,
 *       a {@value #HOLD_MS} ms delay 1%.</li>
 *   <li>Deletes (11%): lost response 3%, an intermediary's 503 after applying 3%, the store's 503
 *       before applying 3%, reset before applying 2%.</li>
 *   <li>Reads (7%): the store's 503 2%, reset before 1%, lost response 1%, the store's 500 1%, an
 *       intermediary's 502 1%, the body dropped after the head 1%.</li>
 * </ul>
 *
 * <p>Thread-safety: stateless; each plan built is safe for concurrent use.
 */
public final class HistoryFaults {
    /** How long some faulted answers are held. */
    public static final long HOLD_MS = 50;

    private HistoryFaults() {
    }

    /**
     * A fresh plan.
     *
     * @param seed the plan's seed
     * @return the plan
     */
    public static FaultPlan plan(long seed) {
        Duration hold = Duration.ofMillis(HOLD_MS);
        return FaultPlan.builder(seed)
                .random(RequestMatch.objectWrites(),
                        FaultPlan.weighted(0.02, Fault.loseResponse()),
                        FaultPlan.weighted(0.01, Fault.loseResponse().withDelay(Duration.ZERO, hold)),
                        FaultPlan.weighted(0.015, Fault.errorAfterApply(500)),
                        FaultPlan.weighted(0.02, Fault.gatewayErrorAfterApply(502)),
                        FaultPlan.weighted(0.02, Fault.gatewayErrorAfterApply(503)),
                        FaultPlan.weighted(0.02, Fault.gatewayErrorAfterApply(504).withDelay(Duration.ZERO, hold)),
                        FaultPlan.weighted(0.02, Fault.rejectBeforeApply(503)),
                        FaultPlan.weighted(0.015, Fault.resetBeforeApply()),
                        FaultPlan.weighted(0.015, Fault.resetAfterApply()),
                        FaultPlan.weighted(0.01, Fault.delay(Duration.ZERO, hold)))
                .random(RequestMatch.method("DELETE"),
                        FaultPlan.weighted(0.03, Fault.loseResponse()),
                        FaultPlan.weighted(0.03, Fault.gatewayErrorAfterApply(503)),
                        FaultPlan.weighted(0.03, Fault.rejectBeforeApply(503)),
                        FaultPlan.weighted(0.02, Fault.resetBeforeApply()))
                .random(RequestMatch.reads(),
                        FaultPlan.weighted(0.02, Fault.rejectBeforeApply(503)),
                        FaultPlan.weighted(0.01, Fault.resetBeforeApply()),
                        FaultPlan.weighted(0.01, Fault.loseResponse()),
                        FaultPlan.weighted(0.01, Fault.errorAfterApply(500)),
                        FaultPlan.weighted(0.01, Fault.gatewayErrorAfterApply(502)),
                        FaultPlan.weighted(0.01, Fault.dropMidBody(0)))
                .build();
    }
}
