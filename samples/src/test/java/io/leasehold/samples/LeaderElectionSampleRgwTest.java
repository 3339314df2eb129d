package io.leasehold.samples;

import io.leasehold.spi.GetResponse;
import io.leasehold.spi.PutResponse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leasehold.aws.CephRgw;
import io.leasehold.aws.S3Driver;
import io.leasehold.aws.S3Profile;
import io.leasehold.aws.RgwAccess;
import io.leasehold.core.Capabilities;
import io.leasehold.core.Capability;
import io.leasehold.core.DeleteOptions;
import io.leasehold.core.ErrorCode;
import io.leasehold.core.GetOptions;
import io.leasehold.core.GetResult;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.PutOptions;
import io.leasehold.core.PutResult;
import io.leasehold.core.TransientException;
import io.leasehold.samples.LeaderElectionSample.JobRunner;
import io.leasehold.spi.StoreDriver;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * {@link LeaderElectionSample} unchanged on {@code s3://} against a real Ceph RGW: the emulated
 * leases behave for the sample as Azure's and the memory store's do. Credentials reach
 * {@code ObjectStore.open} as a user's would, through the AWS default chain (system properties).
 */
@ExtendWith(CephRgw.class)
class LeaderElectionSampleRgwTest {
    private static final Duration LEASE = Duration.ofSeconds(15);
    private static AwsCredentials user;
    private static final String PREFIX = "samples-" + UUID.randomUUID();
    private static String uri;
    private static CephRgw gateway;

    @BeforeAll
    static void connect(CephRgw rgw) {
        gateway = rgw;
        user = RgwAccess.credentials(rgw);
        System.setProperty("aws.accessKeyId", user.accessKeyId());
        System.setProperty("aws.secretAccessKey", user.secretAccessKey());
        uri = "s3://" + RgwAccess.bucket() + "/" + PREFIX + "?endpoint="
                + RgwAccess.endpoint(rgw) + "&profile=ceph-rgw";
    }

    @AfterAll
    static void disconnect() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    @Test
    @Timeout(60)
    void theOtherInstanceTakesOverAtOnceWhenTheLeaderStops() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        String key = "jobs/report-" + UUID.randomUUID();
        try (ObjectStore a = ObjectStore.open(uri); ObjectStore b = ObjectStore.open(uri)) {
            assertTrue(a.capabilities().supports(Capability.EMULATED_LEASES));
            JobRunner runnerA = new JobRunner(a, key, "a", LEASE, log::add);
            JobRunner runnerB = new JobRunner(b, key, "b", LEASE, log::add);
            runnerA.start();
            assertTrue(runnerA.awaitLeadership(Duration.ofSeconds(10)), String.join("\n", log));
            runnerB.start();
            Thread.sleep(1_500);
            assertFalse(runnerB.isLeader(), "the second instance waits while the first leads");
            assertEquals(0, runnerB.steps());

            runnerA.close();
            // Well inside the 15 s lease: the takeover came from the release, not from expiry.
            assertTrue(runnerB.awaitLeadership(Duration.ofSeconds(10)), String.join("\n", log));
            assertTrue(runnerA.leaderUntilNanos() - runnerB.leaderSinceNanos() <= 0, "never two leaders");
            long aSteps = runnerA.steps();
            waitForSteps(runnerB, 2);
            assertEquals(aSteps, runnerA.steps(), "a stopped working");
            assertTrue(new String(b.get(key).content(), StandardCharsets.UTF_8).startsWith("b step "));
            runnerB.close();
        }
    }

    @Test
    @Tag("slow")
    @Timeout(120)
    void aPartitionedLeaderStopsBeforeTheOtherTakesOverAfterWatchingTheLeaseRunOut() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        String key = "jobs/report-" + UUID.randomUUID();
        S3Driver aDriver = S3Driver.builder().bucket(RgwAccess.bucket()).prefix(PREFIX).profile(S3Profile.CEPH_RGW)
                .endpoint(RgwAccess.endpoint(gateway)).credentialsProvider(StaticCredentialsProvider.create(user))
                .build();
        Partitionable aNetwork = new Partitionable(aDriver);
        try (ObjectStore aStore = ObjectStore.of(aNetwork); ObjectStore bStore = ObjectStore.open(uri)) {
            JobRunner a = new JobRunner(aStore, key, "a", LEASE, log::add);
            JobRunner b = new JobRunner(bStore, key, "b", LEASE, log::add);
            a.start();
            assertTrue(a.awaitLeadership(Duration.ofSeconds(10)), String.join("\n", log));
            b.start();
            Thread.sleep(500);

            aNetwork.cut.set(true); // a can neither write, renew nor release: b must watch the lease run out
            assertTrue(b.awaitLeadership(Duration.ofSeconds(60)), String.join("\n", log));
            assertTrue(a.leaderUntilNanos() != 0 && a.leaderUntilNanos() - b.leaderSinceNanos() < 0,
                    "a stopped leading before b started");
            assertFalse(a.isLeader());
            waitForSteps(b, 2);
            assertTrue(new String(bStore.get(key).content(), StandardCharsets.UTF_8).startsWith("b step "));
            System.out.printf("[leases] sample on s3 (RGW): partitioned leader stopped %d ms before the other took over%n",
                    (b.leaderSinceNanos() - a.leaderUntilNanos()) / 1_000_000);
            b.close();
            a.close();
        }
    }

    private static void waitForSteps(JobRunner runner, long more) throws InterruptedException {
        long target = runner.steps() + more;
        for (int i = 0; i < 200 && runner.steps() < target; i++) {
            Thread.sleep(50);
        }
        assertTrue(runner.steps() >= target);
    }

    /** One instance's view of the S3 bucket, whose network the test can cut; its emulated leases (built by the store) go through it too. */
    static final class Partitionable implements StoreDriver {
        final AtomicBoolean cut = new AtomicBoolean();
        private final S3Driver target;

        Partitionable(S3Driver target) {
            this.target = target;
        }

        private void network(String key) {
            if (cut.get()) {
                throw new TransientException(ErrorCode.TRANSIENT, key, "network cut by the test", null);
            }
        }

        @Override
        public String name() {
            return "partitionable-s3";
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
        public void close() {
            target.close();
        }
    }
}
