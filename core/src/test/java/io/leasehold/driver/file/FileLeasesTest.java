package io.leasehold.driver.file;

import io.leasehold.spi.LeaseGrant;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leasehold.core.DeleteOptions;
import io.leasehold.core.ETag;
import io.leasehold.core.GetOptions;
import io.leasehold.core.lease.Lease;
import io.leasehold.core.LeaseHeldException;
import io.leasehold.core.LeaseLostException;
import io.leasehold.core.LeaseMismatchException;
import io.leasehold.core.lease.LeaseState;
import io.leasehold.core.ObjectStoreException;
import io.leasehold.core.PutOptions;
import io.leasehold.spi.LeaseDriver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** File driver leases: kept in the header, across driver instances, on a clock the test moves. */
@Timeout(60)
class FileLeasesTest {
    private static final Duration D15 = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock();

    /** A driver whose wall clock and lease clock both follow the test's clock (one "host"). */
    private FileDriver open() {
        return FileDriver.builder(dir).clock(clock).fsync(false)
                .monotonic(() -> java.time.temporal.ChronoUnit.NANOS.between(Instant.EPOCH, clock.instant()), "test-boot")
                .build();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aWallClockStepDoesNotHandALeaseToAnotherProcess() {
        // Issue 16, item 6: expiry followed the wall clock, so a process whose clock stepped 61 s
        // forward took a 60 s lease over at once while its holder still held it.
        FileDriver holder = FileDriver.builder(dir).fsync(false).build();
        holder.put("k", bytes("v0"), PutOptions.defaults());
        holder.leases().orElseThrow().acquire("k", Duration.ofSeconds(60), "holder");
        FileDriver stepped = FileDriver.builder(dir).fsync(false)
                .clock(Clock.offset(Clock.systemUTC(), Duration.ofSeconds(61))).build();
        assertThrows(LeaseHeldException.class, () -> stepped.leases().orElseThrow().acquire("k", D15, "other"));
        assertEquals(LeaseState.LEASED, stepped.leases().orElseThrow().status("k").state());
        assertThrows(LeaseHeldException.class, () -> stepped.put("k", bytes("x"), PutOptions.defaults()));
        FileDriver back = FileDriver.builder(dir).fsync(false)
                .clock(Clock.offset(Clock.systemUTC(), Duration.ofSeconds(-3600))).build();
        assertTrue(back.leases().orElseThrow().status("k").remaining().orElseThrow().compareTo(Duration.ofSeconds(60)) <= 0,
                "a clock stepped back does not lengthen the lease either");
    }

    @Test
    void aLeaseIsSeenByAnotherDriverOnTheSameDirectory() {
        FileDriver first = open();
        first.put("k", bytes("v0"), PutOptions.defaults());
        LeaseGrant lease = first.leases().orElseThrow().acquire("k", D15, "a");

        FileDriver second = open();
        LeaseDriver leases = second.leases().orElseThrow();
        assertEquals(LeaseState.LEASED, leases.status("k").state());
        assertEquals(D15, leases.status("k").remaining().orElseThrow());
        assertThrows(LeaseHeldException.class, () -> leases.acquire("k", D15, "b"));
        assertThrows(LeaseHeldException.class, () -> second.put("k", bytes("x"), PutOptions.defaults()));
        assertThrows(LeaseMismatchException.class, () -> second.delete("k", DeleteOptions.builder().leaseId("b").build()));
        second.put("k", bytes("v1"), PutOptions.builder().leaseId(lease.id()).build());
        assertEquals(LeaseState.LEASED, first.leases().orElseThrow().status("k").state(), "a guarded write keeps the lease");
        leases.release("k", "a");
        assertEquals(LeaseState.AVAILABLE, first.leases().orElseThrow().status("k").state());
    }

    @Test
    void expiryFollowsTheDriversClock() {
        FileDriver driver = open();
        LeaseDriver leases = driver.leases().orElseThrow();
        driver.put("k", bytes("v0"), PutOptions.defaults());
        leases.acquire("k", D15, "a");
        clock.advance(D15);
        assertEquals(LeaseState.EXPIRED, leases.status("k").state());
        leases.renew("k", "a");
        assertEquals(LeaseState.LEASED, leases.status("k").state());
        clock.advance(Duration.ofSeconds(30));
        assertThrows(LeaseLostException.class,
                () -> driver.get("k", GetOptions.builder().leaseId("a").build(), false));
        driver.put("k", bytes("v1"), PutOptions.defaults());
        assertEquals(LeaseState.AVAILABLE, leases.status("k").state(), "a write cleared the expired lease");
        assertThrows(LeaseMismatchException.class, () -> leases.renew("k", "a"));
    }

    @Test
    void breakingAndBrokenFollowTheClock() {
        FileDriver driver = open();
        LeaseDriver leases = driver.leases().orElseThrow();
        driver.put("k", bytes("v0"), PutOptions.defaults());
        leases.acquire("k", null, "a");
        assertEquals(Duration.ofSeconds(20), leases.breakLease("k", Duration.ofSeconds(20)));
        assertEquals(LeaseState.BREAKING, open().leases().orElseThrow().status("k").state());
        clock.advance(Duration.ofSeconds(20));
        assertEquals(LeaseState.BROKEN, leases.status("k").state());
        assertThrows(LeaseLostException.class, () -> leases.renew("k", "a"));
        leases.acquire("k", D15, "b");
    }

    @Test
    void leaseOperationsKeepContentAndETag() {
        FileDriver driver = open();
        LeaseDriver leases = driver.leases().orElseThrow();
        driver.put("k", bytes("content"), PutOptions.defaults());
        ETag before = driver.get("k", GetOptions.defaults(), false).info().version().etag();
        leases.acquire("k", D15, "a");
        leases.change("k", "a", "b");
        leases.breakLease("k", Duration.ofSeconds(5));
        leases.release("k", "b");
        assertEquals(before, driver.get("k", GetOptions.defaults(), false).info().version().etag());
        assertArrayEquals(bytes("content"), driver.get("k", GetOptions.defaults(), true).content());
    }

    @Test
    void fencingTokensKeepIncreasingAcrossDeletionAndReopening() {
        FileDriver driver = open();
        driver.put("k", bytes("v0"), PutOptions.defaults());
        long a = driver.leases().orElseThrow().acquire("k", D15, "a").fencingToken().getAsLong();
        driver.delete("k", DeleteOptions.builder().leaseId("a").build());
        driver.put("k", bytes("again"), PutOptions.defaults());
        assertEquals(LeaseState.AVAILABLE, driver.leases().orElseThrow().status("k").state(), "deleting dropped the lease");
        FileDriver reopened = open();
        long b = reopened.leases().orElseThrow().acquire("k", D15, "b").fencingToken().getAsLong();
        assertTrue(b > a, a + " < " + b);
        reopened.leases().orElseThrow().breakLease("k", Duration.ZERO);
        long c = reopened.leases().orElseThrow().acquire("k", D15, "c").fencingToken().getAsLong();
        assertTrue(c > b, b + " < " + c);
    }

    @Test
    void anUnreadableLeaseIsAnErrorNotAFreeObject() {
        FileDriver driver = open();
        driver.put("k", bytes("v0"), PutOptions.defaults());
        String hash = FileDriver.hash("k");
        driver.leases().orElseThrow().acquire("k", D15, "a");
        java.nio.file.Path record = ((FileLeases) driver.leases().orElseThrow()).recordFile(hash);
        assertTrue(java.nio.file.Files.exists(record), "the lease is kept beside the object");
        try {
            java.nio.file.Files.writeString(record, "{\"state\":\"bogus\"}");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        ObjectStoreException onWrite = assertThrows(ObjectStoreException.class, () -> driver.put("k", bytes("x"), PutOptions.defaults()));
        assertEquals(io.leasehold.core.ErrorCode.UNKNOWN, onWrite.code());
        assertTrue(onWrite.getMessage().contains("lease record is unreadable"), onWrite.getMessage());
        assertThrows(ObjectStoreException.class, () -> driver.leases().orElseThrow().acquire("k", D15, "a"));
        assertThrows(ObjectStoreException.class, () -> driver.leases().orElseThrow().status("k"));
        assertArrayEquals(bytes("v0"), driver.get("k", GetOptions.defaults(), true).content(), "plain reads still work");
    }

    @Test
    void leaseOperationsNeverRewriteTheObjectFile() throws Exception {
        FileDriver driver = open();
        driver.put("k", new byte[1 << 20], PutOptions.defaults());
        java.nio.file.Path object = driver.objectFile(FileDriver.hash("k"));
        Object before = java.nio.file.Files.readAttributes(object, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        var leases = driver.leases().orElseThrow();
        String id = leases.acquire("k", D15, "a").id();
        leases.renew("k", id);
        leases.change("k", id, "b");
        leases.release("k", "b");
        Object after = java.nio.file.Files.readAttributes(object, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        assertEquals(before, after, "the same object file: a lease operation costs a record, not a copy of the object");
    }

    @Test
    void aLeaseRecordLeftByACrashDoesNotLeaseANewObject() throws Exception {
        FileDriver driver = open();
        driver.put("k", bytes("v0"), PutOptions.defaults());
        driver.leases().orElseThrow().acquire("k", null, "a"); // infinite
        String hash = FileDriver.hash("k");
        java.nio.file.Path record = ((FileLeases) driver.leases().orElseThrow()).recordFile(hash);
        byte[] kept = java.nio.file.Files.readAllBytes(record);
        driver.delete("k", io.leasehold.core.DeleteOptions.builder().leaseId("a").build());
        java.nio.file.Files.write(record, kept); // as if the process died between the two removals
        driver.put("k", bytes("new"), PutOptions.defaults());
        assertEquals(LeaseState.AVAILABLE, driver.leases().orElseThrow().status("k").state());
        assertTrue(java.nio.file.Files.notExists(record));
    }

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {
        private volatile Instant now = Instant.parse("2025-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
