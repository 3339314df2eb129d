package io.leasehold.spring;

import static io.leasehold.spring.FirstContactTest.report;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leasehold.core.LeaseLostException;
import io.leasehold.core.ObjectStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.util.AopTestUtils;

/** {@link LeaseholdLocked} on the memory store: one runner at a time, fencing tokens, loss, release. */
@ExtendWith(OutputCaptureExtension.class)
class LeaseholdLockedTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(LeaseholdAutoConfiguration.class))
            .withBean(Job.class);

    /** A job: records each run's fencing token, holds the lease until released or interrupted. */
    static class Job {
        final List<Long> tokens = new CopyOnWriteArrayList<>();
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch finish = new CountDownLatch(1);
        final AtomicReference<String> ended = new AtomicReference<>();
        final AtomicReference<LeaseholdLock> seen = new AtomicReference<>();

        @LeaseholdLocked(key = "jobs/nightly", duration = "15s")
        public String run() {
            LeaseholdLock lock = LeaseholdLock.current().orElseThrow();
            seen.set(lock);
            tokens.add(lock.fencingToken().getAsLong());
            started.countDown();
            try {
                finish.await();
                ended.set("finished");
            } catch (InterruptedException e) {
                ended.set(lock.isHeld() ? "interrupted while held" : "interrupted: lease lost");
            }
            return "ran";
        }

        @LeaseholdLocked(key = "${job.key:jobs/quick}")
        public String quick() {
            return "quick " + LeaseholdLock.current().orElseThrow().key();
        }
    }

    @Test
    void runsWhereTheLeaseIsAcquiredAndSkipsWhereItIsHeld() {
        runner.withPropertyValues("leasehold.store.uri=mem://locked-skip").run(context -> {
            Job proxy = context.getBean(Job.class);
            Job job = AopTestUtils.getUltimateTargetObject(proxy); // its fields; calls go through the proxy
            assertThat(proxy).isNotSameAs(job);
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                Future<String> first = pool.submit(proxy::run);
                assertThat(job.started.await(10, TimeUnit.SECONDS)).isTrue();
                assertThat(proxy.run()).as("held by the first call: skipped").isNull();
                assertThat(job.tokens).hasSize(1);
                job.finish.countDown();
                assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("ran");
            } finally {
                pool.shutdownNow();
            }
            assertThat(LeaseholdLock.current()).isEmpty();
            // Released at the end: the next run acquires at once, with a larger token.
            assertThat(proxy.run()).isEqualTo("ran");
            assertThat(job.tokens).hasSize(2);
            assertThat(job.tokens.get(1)).isGreaterThan(job.tokens.get(0));
            assertThat(proxy.quick()).isEqualTo("quick jobs/quick");
        });
    }

    @Test
    void aLostLeaseInterruptsTheMethodAndIsReported(CapturedOutput output) {
        runner.withPropertyValues("leasehold.store.uri=mem://locked-loss").run(context -> {
            Job proxy = context.getBean(Job.class);
            Job job = AopTestUtils.getUltimateTargetObject(proxy);
            ObjectStore store = context.getBean(ObjectStore.class);
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                Future<String> running = pool.submit(proxy::run);
                assertThat(job.started.await(10, TimeUnit.SECONDS)).isTrue();
                long broken = System.nanoTime();
                store.leases().breakLease("jobs/nightly", Duration.ZERO);
                // The keeper renews at about a third of 15 s: the loss is seen by then.
                assertThat(running.get(15, TimeUnit.SECONDS)).isEqualTo("ran");
                assertThat(Duration.ofNanos(System.nanoTime() - broken)).isLessThan(Duration.ofSeconds(7));
                assertThat(job.ended.get()).isEqualTo("interrupted: lease lost");
                assertThatThrownBy(() -> job.seen.get().checkHeld()).isInstanceOf(LeaseLostException.class);
                // The interrupt the lock caused does not outlive the call on the pool's thread.
                assertThat(pool.submit(() -> Thread.currentThread().isInterrupted()).get()).isFalse();
            } finally {
                pool.shutdownNow();
            }
            assertThat(output.getAll()).contains("@LeaseholdLocked on Job.run lost its lease on 'jobs/nightly'");
            assertThat(output.getAll()).doesNotContain(job.seen.get().leaseId());
        });
    }

    /** A method that cannot be skipped: it returns a primitive. */
    static class PrimitiveJob {
        @LeaseholdLocked(key = "jobs/count")
        public int count() {
            return 1;
        }
    }

    /** A method locking on a store that is not configured. */
    static class OtherStoreJob {
        @LeaseholdLocked(key = "jobs/x", store = "reports")
        public void run() {
        }
    }

    /** A method with a duration that is not one. */
    static class BadDurationJob {
        @LeaseholdLocked(key = "jobs/x", duration = "half a minute")
        public void run() {
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(LeaseholdAutoConfiguration.class)
    static class App {
    }

    static String failureOf(Class<?> job, CapturedOutput output) {
        SpringApplication app = new SpringApplication(App.class, job);
        app.setWebApplicationType(WebApplicationType.NONE);
        assertThatThrownBy(() -> app.run("--leasehold.store.uri=mem://locked-startup").close())
                .isInstanceOf(RuntimeException.class);
        return report(output);
    }

    @Test
    void aPrimitiveResultFailsStartup(CapturedOutput output) {
        assertThat(failureOf(PrimitiveJob.class, output)).contains("@LeaseholdLocked on PrimitiveJob.count")
                .contains("returns int");
    }

    @Test
    void anUnconfiguredStoreFailsStartup(CapturedOutput output) {
        assertThat(failureOf(OtherStoreJob.class, output)).contains("leasehold.stores.reports.uri")
                .contains("@LeaseholdLocked on OtherStoreJob.run");
    }

    @Test
    void aBadDurationFailsStartup(CapturedOutput output) {
        assertThat(failureOf(BadDurationJob.class, output)).contains("@LeaseholdLocked on BadDurationJob.run.duration")
                .contains("'half a minute' is not a duration");
    }
}
