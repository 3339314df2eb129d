package io.leasehold.tck.history;

import io.leasehold.core.ErrorCode;
import io.leasehold.test.FaultInjectingDriver;
import java.util.Random;

/**
 * Scripts the test kit's {@link FaultInjectingDriver} at random before operations, for stores with
 * no fault proxy in front (memory, file): each fault waits for the next request of its kind on the
 * operation's key, from whichever process sends it. Every kind the driver offers is used except
 * "another writer after a read", whose writer would be unrecorded and unconditional.
 */
final class InjectedFaults implements HistoryWorkload.FaultHook {
    private final FaultInjectingDriver driver;
    private final double rate;

    InjectedFaults(FaultInjectingDriver driver, double rate) {
        this.driver = driver;
        this.rate = rate;
    }

    @Override
    public void beforeOperation(String key, boolean register, Random random, HistoryPart part) {
        if (random.nextDouble() >= rate) {
            return;
        }
        switch (random.nextInt(register ? 11 : 8)) {
            case 0:
                driver.nextPut().forKey(key).landsButResponseIsLost();
                part.countFault("put: lands, response lost");
                break;
            case 1:
                driver.nextPut().forKey(key).landsButOutcomeStaysUnknown();
                part.countFault("put: lands, response lost, settling read fails");
                break;
            case 2:
                driver.nextPut().forKey(key).timesOutWithoutLanding();
                part.countFault("put: times out, not applied");
                break;
            case 3:
                driver.nextPut().forKey(key).answers503();
                part.countFault("put: 503 before applying");
                break;
            case 4:
                driver.nextPut().forKey(key).fails(ErrorCode.TRANSIENT);
                part.countFault("put: 500 before applying");
                break;
            case 5:
                driver.nextPut().forKey(key).fails(ErrorCode.CONFLICT);
                part.countFault("put: 409 conflict before applying");
                break;
            case 6:
                driver.nextGet().forKey(key).answers503();
                part.countFault("get: 503");
                break;
            case 7:
                driver.nextGet().forKey(key).fails(ErrorCode.UNKNOWN);
                part.countFault("get: unclassified failure");
                break;
            case 8:
                driver.nextDelete().forKey(key).landsButResponseIsLost();
                part.countFault("delete: lands, response lost");
                break;
            case 9:
                driver.nextDelete().forKey(key).timesOutWithoutLanding();
                part.countFault("delete: times out, not applied");
                break;
            default:
                driver.nextDelete().forKey(key).answers503();
                part.countFault("delete: 503 before applying");
                break;
        }
    }
}
