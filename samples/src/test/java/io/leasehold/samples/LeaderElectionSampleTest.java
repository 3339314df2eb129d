package io.leasehold.samples;

import io.leasehold.spi.LeaseGrant;
import io.leasehold.spi.GetResponse;
import io.leasehold.spi.PutResponse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leasehold.core.Capabilities;
import io.leasehold.core.DeleteOptions;
import io.leasehold.core.ErrorCode;
import io.leasehold.core.GetOptions;
import io.leasehold.core.GetResult;
import io.leasehold.core.lease.Lease;
import io.leasehold.core.lease.LeaseStatus;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.PutOptions;
import io.leasehold.core.PutResult;
import io.leasehold.core.TransientException;
import io.leasehold.driver.memory.MemoryDriver;
import io.leasehold.samples.LeaderElectionSample.JobRunner;
import io.leasehold.spi.LeaseDriver;
import io.leasehold.spi.StoreDriver;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class LeaderElectionSampleTest {
    private static final String KEY = "jobs/report";
    private static final Duration LEASE = Duration.ofSeconds(15);

    @Test
    @Timeout(60)
    void theOtherInstanceTakesOverAtOnceWhenTheLeaderStops() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        try (ObjectStore store = ObjectStore.of(MemoryDriver.create())) {
            JobRunner a = new JobRunner(store, KEY, "a", LEASE, log::add);
            JobRunner b = new JobRunner(store, KEY, "b", LEASE, log::add);
            a.start();
            assertTrue(a.awaitLeadership(Duration.ofSeconds(10)));
            b.start();
            Thread.sleep(1_500);
            assertFalse(b.isLeader(), "the second instance waits while the first leads");
            assertEquals(0, b.steps());
            assertTrue(a.steps() > 0);

            a.close();
            // Well inside the 15 s lease: the takeover came from the release, not from expiry.
            assertTrue(b.awaitLeadership(Duration.ofSeconds(10)), String.join("\n", log));
            assertFalse(a.isLeader());
            assertTrue(a.leaderUntilNanos() - b.leaderSinceNanos() <= 0, "never two leaders");
            long aSteps = a.steps();
            waitForSteps(b, 2);
            assertEquals(aSteps, a.steps(), "a stopped working");
            assertTrue(text(store.get(KEY).content()).startsWith("b step "));
            b.close();
        }
    }

    @Test
    @Tag("slow")
    @Timeout(90)
    void aPartitionedLeaderStopsBeforeTheOtherTakesOverAfterExpiry() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        MemoryDriver shared = MemoryDriver.create();
        Partitionable aNetwork = new Partitionable(shared);
        try (ObjectStore aStore = ObjectStore.of(aNetwork);
                ObjectStore bStore = ObjectStore.of(new Partitionable(shared))) {
            JobRunner a = new JobRunner(aStore, KEY, "a", LEASE, log::add);
            JobRunner b = new JobRunner(bStore, KEY, "b", LEASE, log::add);
            a.start();
            assertTrue(a.awaitLeadership(Duration.ofSeconds(10)));
            b.start();
            Thread.sleep(500);

            aNetwork.cut.set(true); // a can neither write, renew nor release: its lease must run out
            assertTrue(b.awaitLeadership(Duration.ofSeconds(60)), String.join("\n", log));
            assertTrue(a.leaderUntilNanos() != 0 && a.leaderUntilNanos() - b.leaderSinceNanos() < 0,
                    "a stopped leading before b started");
            assertFalse(a.isLeader());
            waitForSteps(b, 2);
            assertTrue(text(bStore.get(KEY).content()).startsWith("b step "));
            b.close();
            a.close();
        }
    }

    @Test
    @Timeout(60)
    void mainShowsTheTakeover() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            LeaderElectionSample.main(new String[0]);
        } finally {
            System.setOut(original);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        int aLeads = out.indexOf("runner-a: leading");
        int stop = out.indexOf("stopping runner-a");
        int bLeads = out.indexOf("runner-b: leading");
        assertTrue(aLeads >= 0 && aLeads < stop && stop < bLeads, out);
        assertTrue(out.contains("progress: runner-b step "), out);
    }

    private static void waitForSteps(JobRunner runner, long more) throws InterruptedException {
        long target = runner.steps() + more;
        for (int i = 0; i < 200 && runner.steps() < target; i++) {
            Thread.sleep(50);
        }
        assertTrue(runner.steps() >= target);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** One instance's view of a shared memory store, whose network the test can cut. */
    static final class Partitionable implements StoreDriver {
        final AtomicBoolean cut = new AtomicBoolean();
        private final MemoryDriver target;

        Partitionable(MemoryDriver target) {
            this.target = target;
        }

        private void network(String key) {
            if (cut.get()) {
                throw new TransientException(ErrorCode.TRANSIENT, key, "network cut by the test", null);
            }
        }

        @Override
        public String name() {
            return "partitionable-memory";
        }

        @Override
        public Capabilities capabilities() {
            return target.capabilities();
        }

        @Override
        public PutResponse put(String key, byte[] content, PutOptions options) {
            network(key);
            return target.put(key, content, options);
        }

        @Override
        public GetResponse get(String key, GetOptions options, boolean withContent) {
            network(key);
            return target.get(key, options, withContent);
        }

        @Override
        public void delete(String key, DeleteOptions options) {
            network(key);
            target.delete(key, options);
        }

        @Override
        public Optional<LeaseDriver> leases() {
            LeaseDriver real = target.leases().orElseThrow();
            return Optional.of(new LeaseDriver() {
                @Override
                public LeaseGrant acquire(String key, Duration duration, String proposedId) {
                    network(key);
                    return real.acquire(key, duration, proposedId);
                }

                @Override
                public LeaseGrant renew(String key, String leaseId) {
                    network(key);
                    return real.renew(key, leaseId);
                }

                @Override
                public void release(String key, String leaseId) {
                    network(key);
                    real.release(key, leaseId);
                }

                @Override
                public Duration breakLease(String key, Duration breakPeriod) {
                    network(key);
                    return real.breakLease(key, breakPeriod);
                }

                @Override
                public LeaseGrant change(String key, String leaseId, String proposedId) {
                    network(key);
                    return real.change(key, leaseId, proposedId);
                }

                @Override
                public LeaseStatus status(String key) {
                    network(key);
                    return real.status(key);
                }
            });
        }
    }
}
