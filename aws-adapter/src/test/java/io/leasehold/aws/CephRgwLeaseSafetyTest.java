package io.leasehold.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leasehold.core.GetOptions;
import io.leasehold.core.GetResult;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.PutMode;
import io.leasehold.core.PutOptions;
import io.leasehold.core.StaleWriteException;
import io.leasehold.core.internal.lease.LeaseTimes;
import io.leasehold.core.lease.Lease;
import io.leasehold.core.lease.LeaseOptions;
import io.leasehold.tck.LeaseSafetyRuns;
import io.leasehold.tck.LeaseSafetyWorkload;
import io.leasehold.tck.faults.ErrorDialect;
import io.leasehold.tck.faults.Fault;
import io.leasehold.tck.faults.FaultPlan;
import io.leasehold.tck.faults.FaultProxy;
import io.leasehold.tck.faults.RequestMatch;
import io.leasehold.tck.faults.WireRecorder;
import io.leasehold.test.lease.LeaseCheckOptions;
import io.leasehold.test.lease.LeaseCheckResult;
import io.leasehold.test.lease.LeaseChecker;
import io.leasehold.test.lease.LeaseHistory;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsCredentials;

/**
 * The lease checker on Ceph RGW (emulated leases): several JVMs take turns on one key through the
 * fault proxy, which loses answers, answers 500 or resets after forwarding, and throttles before
 * forwarding lease record writes; and a holder stopped with SIGSTOP between its lease check and its
 * write, past its lease, then resumed: its stale write lands (S3 cannot refuse it), and the new
 * holder's guarded read refuses it with STALE_WRITE, records the detection and writes over it
 * knowingly. Zero violations. {@code -Dleasehold.leaseSafety.tenures=1000} for the long run.
 */
@ExtendWith(CephRgw.class)
@Timeout(value = 60, unit = TimeUnit.MINUTES)
class CephRgwLeaseSafetyTest {
    private static final String KEY = "jobs/leader";
    private static final RequestMatch RECORD_WRITES = RequestMatch.path(".*/\\.leasehold/lease/.*")
            .and(RequestMatch.method("PUT"));

    @TempDir
    Path tmp;

    private static Map<String, String> environment(CephRgw rgw) {
        AwsCredentials user = rgw.credentials().resolveCredentials();
        return Map.of("AWS_ACCESS_KEY_ID", user.accessKeyId(), "AWS_SECRET_ACCESS_KEY", user.secretAccessKey(),
                "AWS_REGION", "us-east-1");
    }

    private static String uri(String endpoint, String prefix) {
        return "s3://" + CephRgw.BUCKET + "/" + prefix + "?endpoint=" + endpoint + "&profile=ceph-rgw&region=us-east-1";
    }

    private static ObjectStore open(CephRgw rgw, String endpoint, String prefix) {
        return ObjectStore.of(S3Driver.builder().bucket(CephRgw.BUCKET).prefix(prefix).profile(S3Profile.CEPH_RGW)
                .endpoint(java.net.URI.create(endpoint)).region("us-east-1").pathStyle(true)
                .credentialsProvider(rgw.credentials()).build());
    }

    @Test
    void threeJvmsThroughFaultsOnRecordWrites(CephRgw rgw) throws Exception {
        FaultPlan plan = FaultPlan.builder(16).random(RECORD_WRITES,
                FaultPlan.weighted(0.04, Fault.loseResponse()),
                FaultPlan.weighted(0.04, Fault.errorAfterApply(500, "InternalError")),
                FaultPlan.weighted(0.03, Fault.resetAfterApply()),
                FaultPlan.weighted(0.05, Fault.rejectBeforeApply(503, "SlowDown"))).build();
        String prefix = "lease-safety-" + UUID.randomUUID();
        try (FaultProxy proxy = FaultProxy.builder(rgw.endpoint()).dialect(ErrorDialect.S3).recorder(new WireRecorder())
                .plan(plan).start()) {
            int processes = 3;
            String endpoint = proxy.endpoint().toString();
            // An abandoned or unknown tenure is taken over only after a full duration of watching.
            LeaseSafetyRuns.inJvms("ceph-rgw", uri(endpoint, prefix), environment(rgw), () -> open(rgw, endpoint, prefix),
                    KEY, processes, LeaseSafetyRuns.tenuresPerProcess(processes, 8), 2, tmp,
                    LeaseSafetyRuns.DURATION.plusSeconds(10));
            System.out.printf("[lease-safety] ceph-rgw faults on record writes: %d of %d requests faulted%n",
                    plan.faults(), plan.decisions());
        }
    }

    @Test
    void aHolderStoppedBetweenItsCheckAndItsWriteIsDetectedByTheNextHolder(CephRgw rgw) throws Exception {
        String prefix = "lease-sigstop-" + UUID.randomUUID();
        String endpoint = rgw.endpoint().toString();
        Duration d = LeaseSafetyRuns.DURATION;
        LeaseHistory mine = LeaseHistory.create();
        try (ObjectStore store = open(rgw, endpoint, prefix)) {
            LeaseSafetyWorkload.prepare(store, KEY);
            Path start = Files.createFile(tmp.resolve("start"));
            Path out = tmp.resolve("stalled.out");
            Process stalled = LeaseSafetyRuns.child(uri(endpoint, prefix), environment(rgw), KEY, "stalled", 1, 1,
                    tmp.resolve("stalled.history"), start, out, 1);
            long pid = awaitPause(stalled, out);
            run("kill", "-STOP", Long.toString(pid));
            long stoppedAt = System.nanoTime();
            Lease next;
            LeaseHistory.Tenure tenure;
            try {
                // The new holder watches the abandoned lease for its duration, then takes it over.
                tenure = mine.holder("next", KEY).acquireSent(d);
                next = store.leases().acquire(KEY, LeaseOptions.builder().duration(d).waitUpTo(d.multipliedBy(3)).build());
                tenure.acknowledged(next.id(), next.fencingToken().getAsLong(), d);
                tenure.believedHeldUntil(LeaseTimes.sentNanos(next).getAsLong() + d.toNanos()
                        - LeaseOptions.ofDuration(d).safetyMargin().toNanos());
            } finally {
                run("kill", "-CONT", Long.toString(pid));
            }
            long pausedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stoppedAt);
            LeaseSafetyWorkload.Counts counts = LeaseSafetyRuns.awaitDone(stalled, out, 5);
            assertEquals(1, counts.acceptedWrites, "the stale write landed: S3 cannot refuse it");

            StaleWriteException stale = assertThrows(StaleWriteException.class,
                    () -> store.get(KEY, GetOptions.builder().leaseId(next.id()).build()));
            GetResult seen = store.get(KEY);
            List<String> log = new String(seen.content(), StandardCharsets.UTF_8).lines().collect(java.util.stream.Collectors.toList());
            tenure.staleWriteDetected(log.get(log.size() - 1));
            String repair = "next-repair";
            LeaseHistory.GuardedWrite w = tenure.guardedWriteSent(repair);
            store.put(KEY, (new String(seen.content(), StandardCharsets.UTF_8) + repair + "\n").getBytes(StandardCharsets.UTF_8),
                    PutOptions.builder().mode(PutMode.update(seen.info().version())).leaseId(next.id()).build());
            w.accepted();
            store.get(KEY, GetOptions.builder().leaseId(next.id()).build()); // accepted now
            tenure.releaseSent();
            store.leases().release(next);
            tenure.releaseDone();
            mine.holder("next", KEY).stopped();

            LeaseHistory history = LeaseHistory.merge(LeaseHistory.read(tmp.resolve("stalled.history")), mine);
            LeaseSafetyWorkload.finalAcquire(store, history, KEY, d, d.multipliedBy(3));
            history.storeOrder(KEY, LeaseSafetyWorkload.storeOrder(store, KEY));
            LeaseCheckResult result = LeaseChecker.check(history, LeaseCheckOptions.builder()
                    .stuckMargin(d.plusSeconds(10)).build());
            System.out.printf("[lease-safety] ceph-rgw SIGSTOP: holder stopped %d ms past its check, its stale write"
                    + " landed and was refused to the next holder (%s); violations %d%n", pausedMillis,
                    stale.code(), result.violations().size());
            result.notes().forEach(n -> System.out.println("[lease-safety] ceph-rgw SIGSTOP note: " + n));
            result.assertOk();
            assertTrue(pausedMillis > d.toMillis(), "stopped past its lease");
        }
    }

    /** Reads the child's output until it says where it holds before its write. */
    private static long awaitPause(Process child, Path out) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < until) {
            if (Files.exists(out)) {
                try (BufferedReader r = Files.newBufferedReader(out)) {
                    for (String line = r.readLine(); line != null; line = r.readLine()) {
                        if (line.startsWith("PAUSE ")) {
                            return Long.parseLong(line.substring(6).trim());
                        }
                    }
                }
            }
            if (!child.isAlive()) {
                throw new AssertionError("the child ended before its write: " + Files.readString(Path.of(out + ".err")));
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the child never reached its write");
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).inheritIO().start();
        assertEquals(0, p.waitFor(), String.join(" ", command));
    }
}
