package io.leasehold.driver.file;

import io.leasehold.spi.LeaseGrant;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leasehold.core.ErrorCode;
import io.leasehold.core.lease.LeaseState;
import io.leasehold.core.lease.LeaseStatus;
import io.leasehold.core.ObjectNotFoundException;
import io.leasehold.core.ObjectStoreException;
import io.leasehold.spi.LeaseDriver;
import io.leasehold.spi.kit.LeaseRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.LongSupplier;

/**
 * Leases of the file driver: Azure Blob semantics ({@link LeaseRecord}), with the lease kept in a
 * small record file beside the object and every change made under the key's lock, so lease
 * operations and guarded writes are atomic across threads and processes on one directory.
 *
 * <h2>On disk</h2>
 * <pre>
 * ROOT/leases/ab/cd/HASH.lease   {"state":"leased|breaking|broken","id":ID,"durationSeconds":N|null,
 *                                 "acquiredAt":ISO-8601,"breakAt":ISO-8601|absent,"fencingToken":N,
 *                                 "boot":BOOT-ID,"acquiredNanos":N,"breakNanos":N|absent}
 * ROOT/fences/ab/cd/HASH.fence   the last fencing token handed out for the key (decimal), kept
 *                                when the object is deleted so tokens keep increasing
 * </pre>
 * A lease operation replaces only the record (write to a temporary file, rename), never the object:
 * its cost does not grow with the object, and the object's ETag and last-modified time stay as they
 * are. The record belongs to the object: deleting the object removes it, and creating an object
 * removes a record left behind by a crash.
 *
 * <h2>Expiry on the monotonic clock</h2>
 * Expiry and break periods are timed on {@code CLOCK_MONOTONIC} ({@link System#nanoTime()} on
 * Linux), which every process of one boot of one host shares and which NTP steps and wall-clock
 * changes do not move: a record stores the monotonic time of its last acquire or renewal with the
 * host's boot id ({@code /proc/sys/kernel/random/boot_id}). The wall-clock times beside them are
 * for display. Exact limit: a record written in another boot (after a reboot, or from another host
 * on a shared file system, which is not supported) or on a system without a boot id (not Linux) is
 * timed by the wall clock, as are records written before this format; and processes in different
 * Linux time namespaces (which can offset {@code CLOCK_MONOTONIC}) must not share a directory.
 *
 * <p>Thread-safety: safe for concurrent use, like the driver.
 */
final class FileLeases implements LeaseDriver {
    private static final SecureRandom RANDOM = new SecureRandom();

    private static final Path BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");

    private final FileDriver driver;
    private final Path fences;
    private final Path records;
    private final LongSupplier monotonic;
    private final String boot;

    FileLeases(FileDriver driver, LongSupplier monotonic, String boot) {
        this.driver = driver;
        this.fences = driver.root().resolve("fences");
        this.records = driver.root().resolve("leases");
        this.monotonic = monotonic;
        this.boot = boot;
    }

    /**
     * This host's boot id, or null where there is none (not Linux): monotonic times are comparable
     * across processes only within one boot.
     */
    static String hostBootId() {
        try {
            String id = Files.readString(BOOT_ID, StandardCharsets.US_ASCII).trim();
            return id.isEmpty() ? null : id;
        } catch (IOException | RuntimeException none) {
            return null;
        }
    }

    /** Now, on the clock leases are timed on: monotonic nanoseconds as an instant (only differences matter). */
    Instant now() {
        return boot == null ? driver.clock().instant() : Instant.EPOCH.plusNanos(monotonic.getAsLong());
    }

    /** The shift from wall-clock instants to {@link #now()}'s, as of this moment. */
    private Duration wallToLease() {
        return boot == null ? Duration.ZERO : Duration.between(driver.clock().instant(), now());
    }

    @Override
    public LeaseGrant acquire(String key, Duration duration, String proposedId) {
        String hash = FileDriver.hash(key);
        return leaseOp(key, hash, (current, now) -> LeaseRecord.acquire(key, current, duration, proposedId, now,
                () -> nextFencingToken(hash, current))).toGrant();
    }

    @Override
    public LeaseGrant renew(String key, String leaseId) {
        return leaseOp(key, FileDriver.hash(key), (current, now) -> LeaseRecord.renew(key, current, leaseId, now)).toGrant();
    }

    @Override
    public void release(String key, String leaseId) {
        leaseOp(key, FileDriver.hash(key), (current, now) -> LeaseRecord.release(key, current, leaseId, now));
    }

    @Override
    public Duration breakLease(String key, Duration breakPeriod) {
        Instant[] at = new Instant[1];
        LeaseRecord broken = leaseOp(key, FileDriver.hash(key), (current, now) -> {
            at[0] = now;
            return LeaseRecord.breakLease(key, current, breakPeriod, now);
        });
        return LeaseRecord.breakRemaining(broken, at[0]);
    }

    @Override
    public LeaseGrant change(String key, String leaseId, String proposedId) {
        return leaseOp(key, FileDriver.hash(key),
                (current, now) -> LeaseRecord.change(key, current, leaseId, proposedId, now)).toGrant();
    }

    @Override
    public LeaseStatus status(String key) {
        String hash = FileDriver.hash(key);
        FileDriver.Stored stored;
        try {
            stored = driver.read(key, hash, false);
        } catch (IOException e) {
            throw FileDriver.failure(key, "reading the lease", e);
        }
        if (stored == null) {
            throw new ObjectNotFoundException(key, "no such key", null);
        }
        return LeaseRecord.status(current(key, hash), now());
    }

    // ---------------------------------------------------------------- used by the driver's writes

    /**
     * The object's lease, or null, timed on {@link #now()}'s clock. Records are replaced by rename, so
     * reading needs no lock.
     */
    LeaseRecord current(String key, String hash) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(recordFile(hash));
        } catch (NoSuchFileException none) {
            return null;
        } catch (IOException e) {
            throw FileDriver.failure(key, "reading the lease", e);
        }
        try {
            JsonNode node = driver.json().readTree(bytes);
            LeaseState state = LeaseState.valueOf(node.path("state").asText().toUpperCase(Locale.ROOT));
            JsonNode seconds = node.get("durationSeconds");
            Duration duration = seconds == null || seconds.isNull() ? null : Duration.ofSeconds(seconds.asLong());
            Instant acquiredAt;
            Instant breakAt;
            if (boot != null && boot.equals(node.path("boot").asText(null)) && node.hasNonNull("acquiredNanos")) {
                acquiredAt = Instant.EPOCH.plusNanos(node.get("acquiredNanos").asLong());
                breakAt = node.hasNonNull("breakNanos") ? Instant.EPOCH.plusNanos(node.get("breakNanos").asLong()) : null;
            } else {
                // Another boot, another host, or an older record: only the wall clock can place it.
                Duration shift = wallToLease();
                acquiredAt = Instant.parse(node.path("acquiredAt").asText()).plus(shift);
                breakAt = node.hasNonNull("breakAt") ? Instant.parse(node.get("breakAt").asText()).plus(shift) : null;
            }
            return LeaseRecord.of(state, node.path("id").asText(), duration, acquiredAt, breakAt,
                    node.path("fencingToken").asLong());
        } catch (IOException | RuntimeException e) {
            // A damaged lease must not silently become "available": refuse until it is repaired.
            throw new ObjectStoreException(ErrorCode.UNKNOWN, key,
                    "file store: the object's lease record is unreadable; repair or delete its .lease file", e);
        }
    }

    /** Replaces the object's lease record with {@code next} (removes it when null). Call under the key's lock. */
    void store(String key, String hash, LeaseRecord next) {
        Path file = recordFile(hash);
        try {
            if (next == null) {
                Files.deleteIfExists(file);
                return;
            }
            writeAtomically(file, hash, driver.json().writeValueAsBytes(toJson(next)), driver.fsync());
        } catch (IOException e) {
            throw FileDriver.failure(key, "writing the lease", e);
        }
    }

    /** The record as stored: monotonic times with the boot id, and wall-clock times for display (and other boots). */
    private JsonNode toJson(LeaseRecord record) {
        Duration shift = wallToLease();
        ObjectNode node = driver.json().createObjectNode();
        node.put("state", record.storedState().name().toLowerCase(Locale.ROOT));
        node.put("id", record.id());
        node.put("durationSeconds", record.duration().map(Duration::getSeconds).orElse(null));
        node.put("acquiredAt", record.acquiredAt().minus(shift).toString());
        record.breakAt().ifPresent(b -> node.put("breakAt", b.minus(shift).toString()));
        node.put("fencingToken", record.fencingToken());
        if (boot != null) {
            node.put("boot", boot);
            node.put("acquiredNanos", nanos(record.acquiredAt()));
            record.breakAt().ifPresent(b -> node.put("breakNanos", nanos(b)));
        }
        return node;
    }

    private static long nanos(Instant leaseTime) {
        return leaseTime.getEpochSecond() * 1_000_000_000L + leaseTime.getNano();
    }

    // ---------------------------------------------------------------- helpers

    /** Runs a transition under the key's lock and replaces the lease record if the lease changed. */
    private LeaseRecord leaseOp(String key, String hash, BiFunction<LeaseRecord, Instant, LeaseRecord> transition) {
        return driver.locked(key, hash, () -> {
            if (driver.read(key, hash, false) == null) {
                throw new ObjectNotFoundException(key, "no such key", null);
            }
            LeaseRecord current = current(key, hash);
            LeaseRecord next = transition.apply(current, now());
            if (!Objects.equals(current, next)) {
                store(key, hash, next);
            }
            return next;
        });
    }

    /** The key's lease record file. */
    Path recordFile(String hash) {
        return FileDriver.fannedOut(records, hash, ".lease");
    }

    /**
     * The next fencing token for a key: one more than both the last one handed out (the fence file,
     * which outlives the object) and the object's current lease. Called under the key's lock.
     */
    private long nextFencingToken(String hash, LeaseRecord current) {
        Path file = FileDriver.fannedOut(fences, hash, ".fence");
        try {
            long last = 0;
            try {
                last = Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).trim());
            } catch (NoSuchFileException absent) {
                Files.createDirectories(file.getParent());
            }
            long next = Math.max(last, current == null ? 0 : current.fencingToken()) + 1;
            // Always durable: a token handed out twice after a crash would defeat fencing.
            writeAtomically(file, hash, Long.toString(next).getBytes(StandardCharsets.US_ASCII), true);
            return next;
        } catch (IOException | NumberFormatException e) {
            throw FileDriver.failure(null, "updating the fencing token",
                    e instanceof IOException ? (IOException) e : new IOException(e));
        }
    }

    /** Writes {@code bytes} to a temporary file beside {@code file} and renames it over {@code file}. */
    private static void writeAtomically(Path file, String hash, byte[] bytes, boolean durable) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling("." + hash + "." + Long.toHexString(RANDOM.nextLong() & Long.MAX_VALUE) + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                if (durable) {
                    channel.force(true);
                }
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        if (durable) {
            FileDriver.forceDirectory(file.getParent());
        }
    }
}
