package io.leasehold.driver.file;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leasehold.core.AccessDeniedException;
import io.leasehold.core.Capabilities;
import io.leasehold.core.Capability;
import io.leasehold.core.DeleteOptions;
import io.leasehold.core.ETag;
import io.leasehold.core.ErrorCode;
import io.leasehold.core.GetOptions;
import io.leasehold.core.GetResult;
import io.leasehold.core.InvalidArgumentException;
import io.leasehold.core.ObjectNotFoundException;
import io.leasehold.core.ObjectStoreException;
import io.leasehold.core.ObjectVersion;
import io.leasehold.core.PutOptions;
import io.leasehold.core.PutResult;
import io.leasehold.spi.LeaseDriver;
import io.leasehold.spi.LeaseRecord;
import io.leasehold.spi.Preconditions;
import io.leasehold.spi.StoreDriver;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A store in a local directory whose conditional operations are atomic across threads and across
 * processes sharing the directory, and whose objects survive restarts and crashes whole.
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li><b>Linearizable per key, across processes.</b> Every put and delete runs check-and-write
 *       under the key's lock: a striped in-JVM lock plus an exclusive {@link FileChannel#lock()} on
 *       the stripe's lock file, so several JVMs (e.g. CLI processes) on one directory never both win
 *       a create or an update from the same version. Reads take no lock: they open the object's
 *       single file, which is only ever replaced atomically.</li>
 *   <li><b>No torn objects.</b> A write goes to a temporary file in the object's directory, is
 *       flushed to disk ({@code fsync}, unless disabled in the {@link Builder}), and is then renamed
 *       over the object with {@link StandardCopyOption#ATOMIC_MOVE}; the directory is flushed after
 *       the rename. A crash leaves either the old or the new object, plus at most a leftover
 *       temporary file, which readers never look at and the next write of that key deletes.</li>
 *   <li><b>A new ETag on every write</b>, even for identical bytes (a per-key generation plus 64
 *       random bits), so A-B-A rewrites are visible to If-Match.</li>
 *   <li>Conditions are evaluated exactly as {@link Preconditions} specifies (RFC 9110 order,
 *       whole-second dates), so this driver has the same capabilities as the memory driver.</li>
 *   <li><b>Leases</b> with Azure Blob semantics ({@link LeaseRecord}), kept in the object's header
 *       and changed under the key's lock, so they hold across processes too; fencing tokens
 *       strictly increase per key, also across deletion. Lease expiry follows the driver's clock:
 *       processes sharing a directory must run on one host.</li>
 * </ul>
 * Requires a local file system with POSIX rename semantics and working advisory locks (Linux and
 * macOS local disks). Network file systems (NFS, SMB) may not honour {@code fcntl} locks or atomic
 * renames and are not supported.
 *
 * <h2>On-disk format (version 1)</h2>
 * <pre>
 * ROOT/leasehold-store.json       {"format":1,"layout":"sha256/2/2"}; a newer format is refused
 * ROOT/locks/NN.lock              64 lock files; a key uses stripe (first hash byte mod 64)
 * ROOT/objects/ab/cd/HASH.obj     one file per object; HASH = hex SHA-256 of the key's UTF-8 bytes
 * ROOT/objects/ab/cd/.HASH.R.tmp  a write in progress, or left over by a crash
 * ROOT/fences/ab/cd/HASH.fence    the last fencing token handed out for the key
 * </pre>
 * An object file is the 4 ASCII bytes {@code LHOB}, the header length as a 4-byte big-endian
 * integer, a UTF-8 JSON header, then exactly {@code size} bytes of content. The header holds
 * {@code format} (1), {@code key} (the real key, checked on every read), {@code etag},
 * {@code generation}, {@code lastModified} (ISO-8601), {@code contentType} (optional),
 * {@code metadata} and {@code size}. Unknown header fields are tolerated and carried over to the
 * next version of the same key: they hold per-key state of later versions (such as leases), not
 * per-version state. The lease is the extra field {@code leaseRecord} (see {@code FileLeases}).
 *
 * <p>Thread-safety: safe for concurrent use by many threads, and by many drivers and processes on
 * the same directory.
 */
public final class FileDriver implements StoreDriver {
    /** Lock stripes per store directory. */
    static final int STRIPES = 64;
    static final String MARKER = "leasehold-store.json";
    private static final int STORE_FORMAT = 1;
    private static final byte[] MAGIC = {'L', 'H', 'O', 'B'};
    private static final int PREFIX_BYTES = 8;
    private static final int MAX_HEADER_BYTES = 1 << 20;
    private static final Capabilities CAPABILITIES = Capabilities.of(
            Capability.PUT_IF_ABSENT, Capability.PUT_IF_MATCH, Capability.PUT_IF_PRESENT,
            Capability.PUT_IF_MODIFIED_SINCE, Capability.PUT_IF_UNMODIFIED_SINCE,
            Capability.GET_IF_MATCH, Capability.GET_IF_NONE_MATCH, Capability.GET_IF_MODIFIED_SINCE,
            Capability.GET_IF_UNMODIFIED_SINCE, Capability.DELETE_IF_MATCH, Capability.STRONG_READS,
            Capability.USER_METADATA, Capability.ETAG_CHANGES_ON_IDENTICAL_REWRITE,
            Capability.LEASES, Capability.NATIVE_LEASES, Capability.FENCING_TOKENS);
    /** In-JVM lock stripes per store directory (by real path), shared by every driver on it. */
    private static final Map<Path, ReentrantLock[]> JVM_LOCKS = new ConcurrentHashMap<>();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path root;
    private final Path objects;
    private final Path lockDir;
    private final ReentrantLock[] stripes;
    private final Clock clock;
    private final boolean fsync;
    private final ObjectMapper json = new ObjectMapper();
    private final FileLeases leases;

    private FileDriver(Builder b) {
        this.clock = b.clock;
        this.fsync = b.fsync;
        try {
            Path dir = b.root.toAbsolutePath().normalize();
            if (Files.exists(dir) && !Files.isDirectory(dir)) {
                throw new InvalidArgumentException("root", "not a directory: " + dir);
            }
            Files.createDirectories(dir);
            this.root = dir.toRealPath();
            this.objects = Files.createDirectories(root.resolve("objects"));
            this.lockDir = Files.createDirectories(root.resolve("locks"));
            checkOrWriteMarker();
        } catch (IOException e) {
            throw failure(null, "opening the store directory", e);
        }
        this.stripes = JVM_LOCKS.computeIfAbsent(root, r -> {
            ReentrantLock[] locks = new ReentrantLock[STRIPES];
            for (int i = 0; i < STRIPES; i++) {
                locks[i] = new ReentrantLock();
            }
            return locks;
        });
        this.leases = new FileLeases(this);
    }

    /**
     * Opens (creating if needed) a store in a directory, with fsync on and the system clock.
     *
     * @param root the directory
     * @return the driver
     * @throws InvalidArgumentException if {@code root} exists and is not a directory
     * @throws ObjectStoreException if the directory cannot be created or holds a newer format
     */
    public static FileDriver open(Path root) {
        return builder(root).build();
    }

    /**
     * A builder for a store in {@code root}.
     *
     * @param root the directory; created if missing
     * @return the builder
     */
    public static Builder builder(Path root) {
        return new Builder(root);
    }

    /**
     * The store directory.
     *
     * @return the real path of the root
     */
    public Path root() {
        return root;
    }

    @Override
    public String name() {
        return "file";
    }

    @Override
    public Capabilities capabilities() {
        return CAPABILITIES;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Exposes {@link Path} (the store directory) and the driver itself.
     */
    @Override
    public <T> Optional<T> unwrap(Class<T> type) {
        if (type == Path.class) {
            return Optional.of(type.cast(root));
        }
        return StoreDriver.super.unwrap(type);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Azure Blob lease semantics; see {@link LeaseRecord}.
     */
    @Override
    public Optional<LeaseDriver> leases() {
        return Optional.of(leases);
    }

    @Override
    public PutResult put(String key, byte[] content, PutOptions options) {
        String hash = hash(key);
        return locked(key, hash, () -> {
            Stored current = read(key, hash, false);
            Instant now = clock.instant();
            LeaseRecord kept = LeaseRecord.checkWrite(key, current == null ? null : FileLeases.fromHeader(current.header),
                    options.leaseId().orElse(null), now);
            Preconditions.write(key, options, current == null ? null : current.header.etag,
                    current == null ? null : current.header.lastModified);
            long generation = current == null ? 1 : current.header.generation + 1;
            ObjectHeader next = new ObjectHeader(key, newETag(generation), generation, now,
                    options.contentType().orElse(null), options.userMetadata(), content.length,
                    current == null ? Map.of() : FileLeases.withLease(this, current.header, kept));
            write(hash, next, content);
            return new PutResult(key, ObjectVersion.of(next.etag, null), content.length, next.lastModified);
        });
    }

    @Override
    public GetResult get(String key, GetOptions options, boolean withContent) {
        Stored s;
        try {
            s = read(key, hash(key), withContent);
        } catch (IOException e) {
            throw failure(key, "reading", e);
        }
        if (s == null) {
            throw new ObjectNotFoundException(key, "no such key", null);
        }
        options.leaseId().ifPresent(id -> LeaseRecord.checkRead(key, FileLeases.fromHeader(s.header), id, clock.instant()));
        if (Preconditions.read(key, options, s.header.etag, s.header.lastModified) == Preconditions.ReadVerdict.NOT_MODIFIED) {
            return GetResult.notModified(ObjectVersion.of(s.header.etag, null));
        }
        return GetResult.found(s.header.info(), withContent ? s.content : null);
    }

    @Override
    public void delete(String key, DeleteOptions options) {
        String hash = hash(key);
        locked(key, hash, () -> {
            Stored current = read(key, hash, false);
            if (current == null) {
                throw new ObjectNotFoundException(key, "no such key", null);
            }
            LeaseRecord.checkWrite(key, FileLeases.fromHeader(current.header), options.leaseId().orElse(null), clock.instant());
            Preconditions.delete(key, options, current.header.etag);
            Path file = objectFile(hash);
            Files.delete(file);
            syncDirectory(file.getParent());
            return null;
        });
    }

    // ---------------------------------------------------------------- package-private, for leases

    /** Work done while holding a key's lock. */
    @FunctionalInterface
    interface LockedAction<T> {
        T run() throws IOException;
    }

    /**
     * Runs {@code action} holding the key's lock in this JVM and across processes. Re-entrant for
     * the same thread; I/O failures become {@link ObjectStoreException}s.
     */
    <T> T locked(String key, String hash, LockedAction<T> action) {
        ReentrantLock jvmLock = stripes[stripe(hash)];
        jvmLock.lock();
        try {
            if (jvmLock.getHoldCount() > 1) {
                // This thread already holds the stripe's file lock; locking the file again from the
                // same JVM would throw OverlappingFileLockException.
                return action.run();
            }
            try (FileChannel channel = FileChannel.open(lockFile(hash), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                FileLock fileLock = channel.lock();
                try {
                    return action.run();
                } finally {
                    fileLock.release();
                }
            }
        } catch (IOException e) {
            throw failure(key, "locked operation", e);
        } finally {
            jvmLock.unlock();
        }
    }

    /** The stored object, or null if absent; content only when asked for. */
    Stored read(String key, String hash, boolean withContent) throws IOException {
        Path file = objectFile(hash);
        byte[] prefixAndHeader;
        byte[] content = null;
        ObjectHeader header;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer prefix = ByteBuffer.allocate(PREFIX_BYTES);
            readFully(channel, prefix, file);
            prefix.flip();
            byte[] magic = new byte[MAGIC.length];
            prefix.get(magic);
            int headerLength = prefix.getInt();
            if (!Arrays.equals(magic, MAGIC) || headerLength <= 0 || headerLength > MAX_HEADER_BYTES) {
                throw new IOException("not a Leasehold object file: " + file.getFileName());
            }
            ByteBuffer headerBytes = ByteBuffer.allocate(headerLength);
            readFully(channel, headerBytes, file);
            prefixAndHeader = headerBytes.array();
            header = ObjectHeader.fromJson(json, prefixAndHeader);
            long expectedSize = PREFIX_BYTES + (long) headerLength + header.size;
            if (channel.size() != expectedSize) {
                throw new IOException("object file " + file.getFileName() + " is " + channel.size()
                        + " bytes; its header says " + expectedSize);
            }
            if (withContent) {
                if (header.size > Integer.MAX_VALUE - 8) {
                    throw new IOException("object too large to read into memory: " + header.size + " bytes");
                }
                ByteBuffer body = ByteBuffer.allocate((int) header.size);
                readFully(channel, body, file);
                content = body.array();
            }
        } catch (NoSuchFileException absent) {
            return null;
        }
        if (!header.key.equals(key)) {
            throw new IOException("object file " + file.getFileName() + " holds another key");
        }
        return new Stored(header, content);
    }

    /** Replaces the key's object atomically with {@code header} and {@code content}. Call under the key's lock. */
    void write(String hash, ObjectHeader header, byte[] content) throws IOException {
        Path file = objectFile(hash);
        Path dir = file.getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            syncDirectory(dir.getParent());
            syncDirectory(dir.getParent().getParent());
        }
        removeLeftovers(dir, hash);
        byte[] headerBytes = header.toJson(json);
        Path tmp = dir.resolve("." + hash + "." + Long.toHexString(RANDOM.nextLong() & Long.MAX_VALUE) + ".tmp");
        boolean moved = false;
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer prefix = ByteBuffer.allocate(PREFIX_BYTES).put(MAGIC).putInt(headerBytes.length);
                prefix.flip();
                ByteBuffer[] parts = {prefix, ByteBuffer.wrap(headerBytes), ByteBuffer.wrap(content)};
                long total = PREFIX_BYTES + (long) headerBytes.length + content.length;
                long written = 0;
                while (written < total) {
                    written += channel.write(parts);
                }
                if (fsync) {
                    channel.force(true);
                }
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(tmp);
            }
        }
        syncDirectory(dir);
    }

    /** The hex SHA-256 of a key. */
    static String hash(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder(64);
            for (byte b : digest) {
                hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    Path objectFile(String hash) {
        return objects.resolve(hash.substring(0, 2)).resolve(hash.substring(2, 4)).resolve(hash + ".obj");
    }

    ObjectMapper json() {
        return json;
    }

    Clock clock() {
        return clock;
    }

    /** An object as read from disk. */
    static final class Stored {
        final ObjectHeader header;
        /** The content, or null when read without it. */
        final byte[] content;

        Stored(ObjectHeader header, byte[] content) {
            this.header = header;
            this.content = content;
        }
    }

    // ---------------------------------------------------------------- helpers

    private static int stripe(String hash) {
        return Integer.parseInt(hash.substring(0, 2), 16) % STRIPES;
    }

    private Path lockFile(String hash) {
        return lockDir.resolve(String.format("%02d.lock", stripe(hash)));
    }

    private static ETag newETag(long generation) {
        return ETag.strong(Long.toHexString(generation) + "-" + String.format("%016x", RANDOM.nextLong()));
    }

    /** Deletes temporary files a crashed writer of this key left behind (we hold the key's lock). */
    private static void removeLeftovers(Path dir, String hash) throws IOException {
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(dir, "." + hash + ".*.tmp")) {
            for (Path p : leftovers) {
                Files.deleteIfExists(p);
            }
        }
    }

    private void syncDirectory(Path dir) {
        if (!fsync) {
            return;
        }
        // Makes a rename or unlink durable. Opening a directory for reading works on Linux and macOS;
        // where it does not, the rename is still atomic, only its durability is up to the OS.
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // best effort, see above
        }
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, Path file) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new IOException("object file " + file.getFileName() + " is truncated");
            }
        }
    }

    private void checkOrWriteMarker() throws IOException {
        Path marker = root.resolve(MARKER);
        if (!Files.exists(marker)) {
            ObjectNode node = json.createObjectNode().put("format", STORE_FORMAT).put("layout", "sha256/2/2");
            Path tmp = root.resolve("." + MARKER + "." + Long.toHexString(RANDOM.nextLong() & Long.MAX_VALUE) + ".tmp");
            try {
                Files.write(tmp, json.writeValueAsBytes(node), StandardOpenOption.CREATE_NEW);
                Files.move(tmp, marker, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (FileAlreadyExistsException e) {
                // another process is creating it; read it below
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        JsonNode node = json.readTree(Files.readAllBytes(marker));
        int format = node == null ? -1 : node.path("format").asInt(-1);
        if (format < 1 || format > STORE_FORMAT) {
            throw new IOException("store format " + (node == null ? "?" : node.path("format"))
                    + " in " + marker + " is not supported by this version (reads up to " + STORE_FORMAT + ")");
        }
    }

    static ObjectStoreException failure(String key, String what, IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return new AccessDeniedException(key, "file store: access denied while " + what, e);
        }
        return new ObjectStoreException(ErrorCode.UNKNOWN, key,
                "file store: " + what + " failed: " + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }

    @Override
    public String toString() {
        return "FileDriver{" + root + "}";
    }

    /**
     * Options for a {@link FileDriver}.
     *
     * <p>Thread-safety: not thread-safe; build once.
     */
    public static final class Builder {
        private final Path root;
        private Clock clock = Clock.systemUTC();
        private boolean fsync = true;

        private Builder(Path root) {
            if (root == null) {
                throw new InvalidArgumentException("root", "must not be null");
            }
            this.root = root;
        }

        /**
         * The clock for last-modified times (default: the system clock).
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Whether each write is flushed to disk before it becomes visible (default true). Turning it
         * off keeps atomicity and crash-freedom from torn objects at the OS level, but a power loss
         * may lose recent writes or bring back an older version.
         *
         * @param fsync true to flush
         * @return this builder
         */
        public Builder fsync(boolean fsync) {
            this.fsync = fsync;
            return this;
        }

        /**
         * Opens the store, creating the directory if needed.
         *
         * @return the driver
         * @throws InvalidArgumentException if the root exists and is not a directory
         * @throws ObjectStoreException if the directory cannot be used or holds a newer format
         */
        public FileDriver build() {
            return new FileDriver(this);
        }
    }
}
