package io.leasehold.samples.locks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leasehold.core.ObjectStore;
import io.leasehold.samples.spring.ReportJob;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The sample's {@link ReportJob} ({@code @Scheduled} + {@code @LeaseholdLocked}) in two application
 * instances on one real store and one key: the job never runs in both at once (its run timestamps do
 * not overlap), each run's fencing token is larger than the previous one's, and a run whose lease is
 * broken stops. Subclasses pick the store and supply the SDK client bean.
 */
abstract class LockedJobScenario {
    /** Only the job and the starter: no component scan, so other tests' configurations stay out. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    @EnableScheduling
    @Import(ReportJob.class)
    static class JobApp {
    }

    /** The store URI shared by the instances (a fresh prefix or container per test class). */
    abstract String storeUri();

    /** The driver the store must have. */
    abstract String expectedDriver();

    /** The configuration class with the application's SDK client bean. */
    abstract Class<?> clients();

    ConfigurableApplicationContext instance(String name, String key, Duration delay, Duration work) {
        // Arguments, not default properties: the sample's application.properties must not win.
        ConfigurableApplicationContext context = new SpringApplicationBuilder(JobApp.class, clients())
                .web(WebApplicationType.NONE)
                .run("--leasehold.store.uri=" + storeUri(), "--sample.instance=" + name, "--sample.report.key=" + key,
                        "--sample.report.delay=" + delay, "--sample.report.work=" + work, "--spring.jmx.enabled=false",
                        "--logging.level.io.leasehold.spring.LeaseholdLocked=DEBUG");
        assertEquals(expectedDriver(), context.getBean(ObjectStore.class).driverName());
        return context;
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() - deadline < 0, "timed out waiting for " + what);
            Thread.sleep(50);
        }
    }

    @Test
    void twoInstancesNeverRunTheJobAtOnceAndTokensGrow() throws Exception {
        String key = "jobs/report-" + UUID.randomUUID().toString().substring(0, 8);
        Duration delay = Duration.ofMillis(300);
        Duration work = Duration.ofMillis(200);
        ConfigurableApplicationContext a = instance("a", key, delay, work);
        ConfigurableApplicationContext b = null;
        List<ReportJob.Run> runs = new ArrayList<>();
        try {
            b = instance("b", key, delay, work);
            ReportJob jobA = a.getBean(ReportJob.class);
            ReportJob jobB = b.getBean(ReportJob.class);
            await("ten runs, some on each instance", Duration.ofSeconds(60), () -> jobA.runs().size()
                    + jobB.runs().size() >= 10 && !jobA.runs().isEmpty() && !jobB.runs().isEmpty());
            // Stopped before the runs are compared: closing waits for a run in progress.
            a.close();
            b.close();
            runs.addAll(jobA.runs());
            runs.addAll(jobB.runs());
        } finally {
            a.close();
            if (b != null) {
                b.close();
            }
        }
        runs.sort(Comparator.comparingLong(ReportJob.Run::startNanos));
        for (int i = 1; i < runs.size(); i++) {
            ReportJob.Run before = runs.get(i - 1);
            ReportJob.Run run = runs.get(i);
            assertTrue(run.startNanos() - before.endNanos() > 0, "run " + i + " on " + run.instance()
                    + " started before run " + (i - 1) + " on " + before.instance() + " ended: " + runs);
            assertTrue(run.fencingToken() > before.fencingToken(), "fencing tokens grow: " + runs);
        }
        assertTrue(runs.stream().allMatch(r -> r.outcome().equals("written")), runs.toString());
        System.out.println("[figures] " + getClass().getSimpleName() + " locked job: " + runs.size() + " runs ("
                + runs.stream().collect(Collectors.groupingBy(ReportJob.Run::instance, Collectors.counting()))
                + "), tokens " + runs.get(0).fencingToken() + ".." + runs.get(runs.size() - 1).fencingToken());
    }

    @Test
    void aRunWhoseLeaseIsBrokenStops() throws Exception {
        String key = "jobs/report-" + UUID.randomUUID().toString().substring(0, 8);
        try (ConfigurableApplicationContext a = instance("a", key, Duration.ofMillis(200), Duration.ofMinutes(2))) {
            ReportJob job = a.getBean(ReportJob.class);
            await("a run in progress", Duration.ofSeconds(30), job::isRunning);
            long broken = System.nanoTime();
            a.getBean(ObjectStore.class).leases().breakLease(key, Duration.ZERO);
            await("the run to stop", Duration.ofSeconds(20), () -> !job.runs().isEmpty());
            ReportJob.Run run = job.runs().get(0);
            Duration stoppedAfter = Duration.ofNanos(run.endNanos() - broken);
            assertEquals("stopped: lease lost", run.outcome());
            // The keeper renews at about a third of the 15 s lease: the loss is seen within one renewal.
            assertTrue(stoppedAfter.compareTo(Duration.ofSeconds(8)) < 0, "stopped after " + stoppedAfter);
            System.out.println("[figures] " + getClass().getSimpleName() + " broken lease: the run stopped "
                    + stoppedAfter.toMillis() + " ms after the break");
        }
    }
}
