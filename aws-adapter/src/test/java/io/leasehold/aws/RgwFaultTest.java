package io.leasehold.aws;

import io.leasehold.core.ObjectStore;
import io.leasehold.tck.faults.ErrorDialect;
import io.leasehold.tck.faults.FaultScenarios;
import io.leasehold.tck.faults.FaultTarget;
import io.leasehold.tck.faults.FaultWorkloads;
import io.leasehold.tck.faults.WorkloadSize;
import java.net.URI;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fault runs on a real Ceph RGW through the fault proxy (issue 7): lost responses, 500 after applying,
 * 503 before, resets and delays on about 18% of writes, under ±1 toggles, set add/remove, plain
 * conditional puts and a user's own retry loop; every run audits what reached the server. CI-sized by
 * default; {@code -Dleasehold.faults.large=true} runs 10,000 calls per workload (see {@link WorkloadSize}).
 * The {@link FaultScenarios} stage single interleavings of issue 7 deterministically.
 *
 * <p>Every case fails on main as of 8923db0 (figures in each {@code @Disabled}); re-enable them when
 * the core settles every write by its write id.
 */
@ExtendWith(CephRgw.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RgwFaultTest {
    private FaultWorkloads workloads;
    private FaultScenarios scenarios;

    @BeforeAll
    void target(CephRgw rgw) {
        FaultTarget target = new FaultTarget() {
            @Override
            public String name() {
                return "ceph-rgw";
            }

            @Override
            public URI upstream() {
                return rgw.endpoint();
            }

            @Override
            public ErrorDialect dialect() {
                return ErrorDialect.S3;
            }

            @Override
            public ObjectStore openThrough(URI proxyEndpoint) {
                return ObjectStore.of(rgw.driverBuilder().endpoint(proxyEndpoint).build());
            }
        };
        workloads = new FaultWorkloads(target, WorkloadSize.fromSystem());
        scenarios = new FaultScenarios(target);
    }

    @Test
    @Disabled("issue 7 (defect 1): fails on main until update settles by write ids: 9 of 10,000 toggle updates applied twice, all acknowledged (large run; final 6, callers told 3); the CI run (1,000) doubles 0-4")
    void toggleUpdates() {
        workloads.toggleUpdates().assertClean();
    }

    @Test
    @Disabled("issue 7 (defect 1): fails on main until update settles by write ids: 3 of 1,000 set updates applied twice, all acknowledged (CI run); 1 of 10,000 (large run)")
    void setUpdates() {
        workloads.setUpdates().assertClean();
    }

    @Test
    @Disabled("issue 7 (defect 3): fails on main: a 500 on a conditional put that landed is reported as a lost race when re-read after another write: 5 of 1,000 (CI run), 52 of 10,000 (large run)")
    void conditionalPuts() {
        workloads.conditionalPuts().assertClean();
    }

    @Test
    @Disabled("issue 7 (defects 1, 3): fails on main: a 500 after applying is reported as a lost race or as unchanged, and the loop writes again: 3 of 1,000 calls applied twice (CI run; final 7, callers told 10), 45 of 10,000 (large run)")
    void userRetryLoop() {
        workloads.userRetryLoop().assertClean();
    }

    @Test
    @Disabled("issue 7 (defect 1a): fails on main: B's +1 lands twice (final 2, callers told 1)")
    void scenarioUpdateLostResponseThenAba() {
        scenarios.updateLostResponseThenAba().assertClean();
    }

    @Test
    @Disabled("issue 7 (defect 1b): fails on main: \"ETag back to my base\" taken as proof, B's +1 lands twice (final 1, callers told 0)")
    void scenarioUpdateLostResponseThenPlainPutRestores() {
        scenarios.updateLostResponseThenPlainPutRestores().assertClean();
    }

    @Test
    @Disabled("issue 7 (defect 3): fails on main: 2 of 2 puts that landed are reported PRECONDITION_FAILED / ALREADY_EXISTS")
    void scenarioPutAnswered500ThenOverwritten() {
        scenarios.putAnswered500ThenOverwritten().assertClean();
    }

    @Test
    @Disabled("issue 7 (write ids on every put): fails on main: 6 of 6 puts end OUTCOME_UNKNOWN instead of settling")
    void scenarioLostAnswersToPutsSettle() {
        scenarios.lostAnswersToPutsSettle().assertClean();
    }
}
