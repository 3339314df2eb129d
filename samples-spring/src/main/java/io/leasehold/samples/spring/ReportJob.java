package io.leasehold.samples.spring;

import io.leasehold.core.LeaseLostException;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.ObjectStoreException;
import io.leasehold.core.PutOptions;
import io.leasehold.spring.LeaseholdLock;
import io.leasehold.spring.LeaseholdLocked;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * A scheduled job that every instance of the service schedules and one at a time runs: the lease on
 * {@code sample.report.key} decides ({@link LeaseholdLocked}). The run works for
 * {@code sample.report.work}, checking the lease as it goes, then writes its report into the lock
 * object under the lease (a guarded write: only the holder can) with its fencing token. A run that
 * loses its lease stops. Instances where the lease is held elsewhere skip the run.
 *
 * <p>Thread-safety: safe for concurrent use; runs are recorded in a concurrent list.
 */
@Component
public class ReportJob {
    /**
     * One run on this instance.
     *
     * @param instance the instance that ran it
     * @param fencingToken the lease's fencing token (-1 where the store issues none)
     * @param startNanos {@link System#nanoTime()} when the method started
     * @param endNanos {@link System#nanoTime()} when it returned
     * @param outcome {@code written}, {@code stopped: lease lost}, or {@code failed: CODE}
     */
    public record Run(String instance, long fencingToken, long startNanos, long endNanos, String outcome) {
    }

    private final ObjectStore store;
    private final String instance;
    private final Duration work;
    private final List<Run> runs = new CopyOnWriteArrayList<>();
    private volatile long runningSince;

    /**
     * Creates the job.
     *
     * @param store the store holding the lock object
     * @param instance this instance's name (default: random)
     * @param work how long a run works before writing its report
     */
    public ReportJob(ObjectStore store, @Value("${sample.instance:}") String instance,
                     @Value("${sample.report.work:PT0.2S}") Duration work) {
        this.store = store;
        this.instance = instance.isEmpty() ? UUID.randomUUID().toString().substring(0, 8) : instance;
        this.work = work;
    }

    /** Runs where this instance acquires the lease; elsewhere the call is skipped. */
    @Scheduled(initialDelayString = "${sample.report.delay:PT1M}", fixedDelayString = "${sample.report.delay:PT1M}")
    @LeaseholdLocked(key = "${sample.report.key:jobs/report}", duration = "15s")
    public void run() {
        LeaseholdLock lock = LeaseholdLock.current().orElseThrow();
        long token = lock.fencingToken().orElse(-1);
        long start = System.nanoTime();
        runningSince = start;
        String outcome;
        try {
            long until = start + work.toNanos();
            while (System.nanoTime() - until < 0) {
                lock.checkHeld();
                Thread.sleep(50);
            }
            byte[] report = ("instance=" + instance + " token=" + token + "\n").getBytes(StandardCharsets.US_ASCII);
            store.put(lock.key(), report, PutOptions.builder().leaseId(lock.leaseId()).build());
            outcome = "written";
        } catch (InterruptedException | LeaseLostException lost) {
            outcome = lock.isHeld() ? "interrupted" : "stopped: lease lost";
        } catch (ObjectStoreException e) {
            outcome = "failed: " + e.code();
        } finally {
            runningSince = 0;
        }
        runs.add(new Run(instance, token, start, System.nanoTime(), outcome));
    }

    /**
     * The runs on this instance so far, oldest first.
     *
     * @return an unmodifiable snapshot
     */
    public List<Run> runs() {
        return List.copyOf(runs);
    }

    /**
     * Whether a run is in progress on this instance.
     *
     * @return true between the start of a run and its end
     */
    public boolean isRunning() {
        return runningSince != 0;
    }
}
