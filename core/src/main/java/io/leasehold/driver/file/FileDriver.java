package io.leasehold.driver.file;

import io.leasehold.spi.GetResponse;
import io.leasehold.spi.PutResponse;
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
import io.leasehold.core.InvalidArgumentException;
import io.leasehold.core.ListOptions;
import io.leasehold.core.ObjectChangedException;
import io.leasehold.core.ObjectInfo;
import io.leasehold.core.ObjectNotFoundException;
import io.leasehold.core.ObjectStoreException;
import io.leasehold.core.ObjectVersion;
import io.leasehold.core.PutOptions;
import io.leasehold.core.PreconditionFailedException;
import io.leasehold.core.transfer.TransferOptions;
import io.leasehold.spi.LeaseDriver;
import io.leasehold.spi.ListResponse;
import io.leasehold.spi.kit.LeaseRecord;
import io.leasehold.spi.kit.ListPages;
import io.leasehold.spi.kit.Preconditions;
import io.leasehold.spi.RangeRead;
import io.leasehold.spi.StagedUpload;
import io.leasehold.spi.StoreDriver;
import io.leasehold.spi.UploadLimits;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
 *   <li><b>Large objects stream.</b> A streaming put ({@link #startUpload}) writes its parts straight
 *       into a temporary file under {@code uploads/} (positioned writes, so parts may arrive in any
 *       order), reserving room for the header; the commit takes the key's lock, checks the mode and
 *       conditions, writes the header into the reserved room, flushes and renames the file over the
 *       object: the same atomic replace as a small put, with memory bounded by the part buffers.
 *       Ranged reads ({@link #getRange}) open the object's file once and stream from it; a
 *       replacement renames a new file over the name, so an open read keeps seeing its version.</li>
 *   <li><b>A new ETag on every write</b>, even for identical bytes (a per-key generation plus 64
 *       random bits), so A-B-A rewrites are visible to If-Match.</li>
 *   <li>Conditions are evaluated exactly as {@link Preconditions} specifies (RFC 9110 order,
 *       whole-second dates), so this driver has the same capabilities as the memory driver.</li>
 *   <li><b>Leases</b> with Azure Blob semantics ({@link LeaseRecord}), kept in the object's header
 *       and changed under the key's lock, so they hold across processes too; fencing tokens
 *       strictly increase per key, also across deletion. Lease expiry is timed on the host's
 *       monotonic clock, so wall-clock steps do not move it; processes sharing a directory must run
 *       on one host (see {@link FileLeases} for the exact limits).</li>
 * </ul>
 * <h2>Creating the store</h2>
 * The directory, its layout and its marker file are created by the first write (a put, a streaming
 * put, or an update or lease acquire that creates its object), never by opening the store or
 * reading from it: a mistyped path does not become a new, empty store. While the directory does not
 * exist, every operation that needs an existing object (get, head, delete, the lease operations)
 * fails with {@link ObjectNotFoundException} whose {@link ObjectStoreException#key()} is empty and
 * whose message names the directory; a missing key of an existing store names the key. Reading an
 * existing directory that holds no store yet writes nothing into it.
 *
 * <p>Requires a local file system with POSIX rename semantics and working advisory locks (Linux and
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
 * ROOT/leases/ab/cd/HASH.lease    the object's lease, if it has one (see {@code FileLeases})
 * ROOT/uploads/HASH.R.upload      a streaming put in progress; left over by a crash, removed by the
 *                                 next streaming put once a day old
 * </pre>
 * An object file is the 4 ASCII bytes {@code LHOB}, the header length as a 4-byte big-endian
 * integer, a UTF-8 JSON header (possibly followed by spaces: streamed objects reserve room for
 * it), then exactly {@code size} bytes of content. The header holds
 * {@code format} (1), {@code key} (the real key, checked on every read), {@code etag},
 * {@code generation}, {@code lastModified} (ISO-8601), {@code contentType} (optional),
 * {@code metadata} and {@code size}. Unknown header fields are tolerated and carried over to the
 * next version of the same key: they hold per-key state of later versions, not per-version state.
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
            Capability.LEASES, Capability.NATIVE_LEASES, Capability.FENCING_TOKENS, Capability.ENFORCED_LEASES,
            Capability.STREAMING_PUT, Capability.CONDITIONAL_MULTIPART_COMMIT, Capability.RANGED_READS,
            Capability.LIST, Capability.SERVER_SIDE_COPY, Capability.COPY_SOURCE_IF_MATCH, Capability.COPY_IF_ABSENT,
            Capability.COPY_IF_MATCH, Capability.COPY_IF_PRESENT);
    private static final UploadLimits UPLOAD_LIMITS = new UploadLimits(1, TransferOptions.MAX_PART_SIZE,
            Integer.MAX_VALUE, Long.MAX_VALUE);
    /** Age after which a streaming put's temporary file counts as left over by a crash. */
    private static final Duration UPLOAD_LEFTOVER_AGE = Duration.ofDays(1);
    /** In-JVM lock stripes per store directory (by real path), shared by every driver on it. */
    private static final Map<Path, ReentrantLock[]> JVM_LOCKS = new ConcurrentHashMap<>();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path root;
    private final Path objects;
    private final Path lockDir;
    private final Path uploads;
    private final ReentrantLock[] stripes;
    private final Clock clock;
    private final boolean fsync;
    private final ObjectMapper json = new ObjectMapper();
    private final FileLeases leases;
    /** Whether the store's directories and marker exist (checked until they do; never removed). */
    private volatile boolean created;

    private FileDriver(Builder b) {
        this.clock = b.clock;
        this.fsync = b.fsync;
        try {
            Path dir = b.root.toAbsolutePath().normalize();
            if (Files.exists(dir) && !Files.isDirectory(dir)) {
                throw new InvalidArgumentException("root", "not a directory: " + dir);
            }
            this.root = realPath(dir);
            this.objects = root.resolve("objects");
            this.lockDir = root.resolve("locks");
            this.uploads = root.resolve("uploads");
            if (Files.exists(root.resolve(MARKER))) {
                checkOrWriteMarker();
                created = true;
            }
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
        this.leases = new FileLeases(this, b.monotonic, b.boot);
    }

    /**
     * Opens a store in a directory, with fsync on and the system clock. The directory is created by
     * the first write, not here.
     *
     * @param root the directory
     * @return the driver
     * @throws InvalidArgumentException if {@code root} exists and is not a directory
     * @throws ObjectStoreException if the directory cannot be read or holds a newer format
     */
    public static FileDriver open(Path root) {
        return builder(root).build();
    }

    /**
     * A builder for a store in {@code root}.
     *
     * @param root the directory; created by the first write if missing
     * @return the builder
     */
    public static Builder builder(Path root) {
        return new Builder(root);
    }

    /**
     * The store directory.
     *
     * @return the real path of the root (of its deepest existing ancestor, while it does not exist)
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
    public PutResponse put(String key, byte[] content, PutOptions options) {
        String hash = hash(key);
        createStore(key);
        return locked(key, hash, () -> {
            Stored current = read(key, hash, false);
            Instant now = clock.instant();
            leaseForWrite(key, hash, current, options);
            long generation = current == null ? 1 : current.header.generation + 1;
            ObjectHeader next = new ObjectHeader(key, newETag(generation), generation, now,
                    options.contentType().orElse(null), options.userMetadata(), content.length, carried(current));
            write(hash, next, content);
            return PutResponse.of(ObjectVersion.of(next.etag, null), content.length, next.lastModified);
        });
    }

    /** The header fields a new version carries over from the current one (fields of later formats). */
    private static Map<String, com.fasterxml.jackson.databind.JsonNode> carried(Stored current) {
        return current == null ? Map.of() : current.header.extra;
    }

    /**
     * Checks a write's lease and conditions (under the key's lock) and brings the lease record up to
     * date: a write keeps a held lease, clears an expired or broken one, and an object created where
     * none exists starts without a lease (a record a crash left behind is removed).
     */
    private void leaseForWrite(String key, String hash, Stored current, PutOptions options) {
        LeaseRecord before = current == null ? null : leases.current(key, hash);
        LeaseRecord kept = LeaseRecord.checkWrite(key, before, options.leaseId().orElse(null), leases.now());
        Preconditions.write(key, options, current == null ? null : current.header.etag,
                current == null ? null : current.header.lastModified);
        if (current == null || !java.util.Objects.equals(before, kept)) {
            leases.store(key, hash, kept);
        }
    }

    @Override
    public GetResponse get(String key, GetOptions options, boolean withContent) {
        Stored s;
        try {
            s = read(key, hash(key), withContent);
        } catch (IOException e) {
            throw failure(key, "reading", e);
        }
        if (s == null) {
            throw new ObjectNotFoundException(key, "no such key", null);
        }
        options.leaseId().ifPresent(id -> LeaseRecord.checkRead(key, leases.current(key, hash(key)), id, leases.now()));
        if (Preconditions.read(key, options, s.header.etag, s.header.lastModified) == Preconditions.ReadVerdict.NOT_MODIFIED) {
            return GetResponse.notModified(ObjectVersion.of(s.header.etag, null));
        }
        return GetResponse.found(s.header.info(), withContent ? s.content : null);
    }

    @Override
    public void delete(String key, DeleteOptions options) {
        String hash = hash(key);
        locked(key, hash, () -> {
            Stored current = read(key, hash, false);
            if (current == null) {
                throw new ObjectNotFoundException(key, "no such key", null);
            }
            LeaseRecord.checkWrite(key, leases.current(key, hash), options.leaseId().orElse(null), leases.now());
            Preconditions.delete(key, options, current.header.etag);
            leases.store(key, hash, null); // the lease ends with the object (first: a crash leaves no stale lease)
            Path file = objectFile(hash);
            Files.delete(file);
            syncDirectory(file.getParent());
            return null;
        });
    }

    // ---------------------------------------------------------------- copy and list

    /**
     * {@inheritDoc}
     *
     * <p>Opens the source's file (which keeps its version even if the source is replaced meanwhile),
     * checks it is the version asked for, then under the target's lock checks lease and conditions and
     * copies the bytes file to file into a new object renamed over the target: the same atomic replace
     * as a put, with no copy of the content in memory.
     */
    @Override
    public PutResponse copy(String sourceKey, ObjectVersion sourceVersion, long sourceSize, String targetKey,
                            PutOptions targetOptions) {
        Path sourceFile = objectFile(hash(sourceKey));
        FileChannel source;
        try {
            source = FileChannel.open(sourceFile, StandardOpenOption.READ);
        } catch (NoSuchFileException absent) {
            throw notFound(sourceKey);
        } catch (IOException e) {
            throw failure(sourceKey, "reading the copy's source", e);
        }
        try (FileChannel from = source) {
            ObjectHeader read = readHeader(from, sourceFile, sourceKey);
            if (!read.etag.value().equals(sourceVersion.etag().value())) {
                throw new ObjectChangedException(sourceKey, "the copy's source is no longer the version read", null);
            }
            long contentStart = from.position();
            String hash = hash(targetKey);
            return locked(targetKey, hash, () -> {
                Stored current = read(targetKey, hash, false);
                Instant now = clock.instant();
                leaseForWrite(targetKey, hash, current, targetOptions);
                long generation = current == null ? 1 : current.header.generation + 1;
                ObjectHeader next = new ObjectHeader(targetKey, newETag(generation), generation, now,
                        targetOptions.contentType().orElse(null), targetOptions.userMetadata(), read.size,
                        carried(current));
                removeLeftovers(objectDirectory(objectFile(hash)), hash);
                writeFrom(hash, next, from, contentStart, read.size);
                return PutResponse.of(ObjectVersion.of(next.etag, null), read.size, next.lastModified);
            });
        } catch (IOException e) {
            throw failure(sourceKey, "copying", e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Object files are named by the hash of their key, so every page reads the header of every
     * object in the store: a page costs time proportional to the number of objects (use large pages).
     * An object replaced or deleted while the directory is read is listed as found, or not at all.
     */
    @Override
    public ListResponse list(String prefix, ListOptions options) {
        if (!created()) {
            if (!Files.isDirectory(root)) {
                throw storeNotFound();
            }
            return ListResponse.of(List.of(), List.of(), null); // a directory that holds no store yet
        }
        List<ObjectInfo> found = new ArrayList<>();
        try {
            Files.walkFileTree(objects, java.util.EnumSet.noneOf(java.nio.file.FileVisitOption.class), 3,
                    new java.nio.file.SimpleFileVisitor<>() {
                        @Override
                        public java.nio.file.FileVisitResult visitFile(Path file,
                                java.nio.file.attribute.BasicFileAttributes attrs) throws IOException {
                            String name = file.getFileName().toString();
                            if (name.endsWith(".obj") && !name.startsWith(".")) {
                                ObjectHeader header = listedHeader(file);
                                if (header != null && header.key.startsWith(prefix)) {
                                    found.add(new ObjectInfo(header.key, ObjectVersion.of(header.etag, null),
                                            header.size, header.lastModified, null, null));
                                }
                            }
                            return java.nio.file.FileVisitResult.CONTINUE;
                        }

                        @Override
                        public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e)
                                throws IOException {
                            // A writer's temporary file, or an object deleted, vanished while the directory
                            // was read: it is not listed, as a deletion just before the listing would not be.
                            if (e instanceof java.nio.file.NoSuchFileException) {
                                return java.nio.file.FileVisitResult.CONTINUE;
                            }
                            throw e;
                        }
                    });
        } catch (IOException e) {
            throw failure(null, "listing", e);
        }
        return ListPages.page(found, prefix, options);
    }

    /** An object file's header, or null if the file vanished while the directory was read. */
    private ObjectHeader listedHeader(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return readHeader(channel, file, null);
        } catch (NoSuchFileException deleted) {
            return null;
        }
    }

    // ---------------------------------------------------------------- large objects

    /**
     * {@inheritDoc}
     *
     * <p>Parts up to {@link TransferOptions#MAX_PART_SIZE}; any number of them.
     */
    @Override
    public UploadLimits uploadLimits() {
        return UPLOAD_LIMITS;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Streams the parts into a temporary file under {@code uploads/}; the commit checks the
     * conditions under the key's lock and renames the file over the object (see the class
     * documentation). Abort deletes the file.
     */
    @Override
    public StagedUpload startUpload(String key, PutOptions options, long size, long partSize) {
        try {
            createStore(key);
            Files.createDirectories(uploads);
            removeOldUploads();
            return new FileUpload(this, key, hash(key), options, partSize);
        } catch (IOException e) {
            throw failure(key, "starting a streaming put", e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Opens the object's file once and streams the range from it; the open file keeps its
     * version even if the object is replaced meanwhile.
     */
    @Override
    public RangeRead getRange(String key, GetOptions options, ObjectVersion pinned, long offset, long length) {
        Path file = objectFile(hash(key));
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException absent) {
            throw notFound(key);
        } catch (IOException e) {
            throw failure(key, "reading", e);
        }
        boolean handedOver = false;
        try {
            ObjectHeader header = readHeader(channel, file, key);
            options.leaseId().ifPresent(id -> LeaseRecord.checkRead(key, leases.current(key, hash(key)), id, leases.now()));
            if (pinned != null) {
                if (!pinned.etag().value().equals(header.etag.value())) {
                    throw new PreconditionFailedException(key, "the object is no longer the version read first", null);
                }
            } else if (Preconditions.read(key, options, header.etag, header.lastModified) == Preconditions.ReadVerdict.NOT_MODIFIED) {
                return RangeRead.notModified(ObjectVersion.of(header.etag, null));
            }
            long from = Math.min(offset, header.size);
            long served = Math.max(0, Math.min(length, header.size - from));
            channel.position(channel.position() + from);
            RangeRead range = RangeRead.of(header.info(), from, served, new Bounded(Channels.newInputStream(channel), served),
                    null);
            handedOver = true;
            return range;
        } catch (IOException e) {
            throw failure(key, "reading", e);
        } finally {
            if (!handedOver) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // nothing was read from it
                }
            }
        }
    }

    /**
     * Commits a streaming put: under the key's lock, checks lease and conditions, writes the header
     * into the room the upload reserved (or, if it does not fit, copies the content behind a new
     * header), flushes and renames the upload's file over the object.
     */
    PutResponse commit(FileUpload upload, long size) {
        String key = upload.key;
        String hash = upload.hash;
        PutOptions options = upload.options;
        return locked(key, hash, () -> {
            Stored current = read(key, hash, false);
            Instant now = clock.instant();
            leaseForWrite(key, hash, current, options);
            long generation = current == null ? 1 : current.header.generation + 1;
            ObjectHeader next = new ObjectHeader(key, newETag(generation), generation, now,
                    options.contentType().orElse(null), options.userMetadata(), size, carried(current));
            byte[] headerBytes = next.toJson(json);
            Path file = objectFile(hash);
            Path dir = objectDirectory(file);
            removeLeftovers(dir, hash);
            if (headerBytes.length <= upload.reserved) {
                upload.finish(headerBytes, size, fsync);
                Files.move(upload.file, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                syncDirectory(dir);
            } else {
                // The header outgrew its reserved room (e.g. large header fields carried over): copy.
                writeFrom(hash, next, upload.channel(), upload.contentStart(), size);
                upload.discard();
            }
            return PutResponse.of(ObjectVersion.of(next.etag, null), size, next.lastModified);
        });
    }

    /** A new temporary file for a streaming put of the key. */
    Path newUploadFile(String hash) {
        return uploads.resolve(hash + "." + Long.toHexString(RANDOM.nextLong() & Long.MAX_VALUE) + ".upload");
    }

    /** Deletes uploads a crashed process left behind (older than a day; a live one is written to constantly). */
    private void removeOldUploads() {
        FileTime cutoff = FileTime.from(clock.instant().minus(UPLOAD_LEFTOVER_AGE));
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(uploads, "*.upload")) {
            for (Path p : leftovers) {
                try {
                    if (Files.getLastModifiedTime(p).compareTo(cutoff) < 0) {
                        Files.deleteIfExists(p);
                    }
                } catch (IOException e) {
                    // another process removed it, or it is in use: leave it
                }
            }
        } catch (IOException e) {
            // best effort
        }
    }

    /** Bytes of an object file before its header. */
    static int prefixBytes() {
        return PREFIX_BYTES;
    }

    /** The prefix of an object file whose header takes {@code headerLength} bytes. */
    static ByteBuffer prefix(int headerLength) {
        ByteBuffer prefix = ByteBuffer.allocate(PREFIX_BYTES).put(MAGIC).putInt(headerLength);
        prefix.flip();
        return prefix;
    }

    /** At most {@code limit} bytes of a stream. */
    private static final class Bounded extends InputStream {
        private final InputStream in;
        private long left;

        Bounded(InputStream in, long limit) {
            this.in = in;
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    // ---------------------------------------------------------------- package-private, for leases

    /** Work done while holding a key's lock. */
    @FunctionalInterface
    interface LockedAction<T> {
        T run() throws IOException;
    }

    /**
     * Runs {@code action} holding the key's lock in this JVM and across processes. Re-entrant for
     * the same thread; I/O failures become {@link ObjectStoreException}s. Before the store has been
     * created (a put creates it first) no object exists, so the action's object is not found.
     */
    <T> T locked(String key, String hash, LockedAction<T> action) {
        if (!created()) {
            throw notFound(key);
        }
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
        byte[] content = null;
        ObjectHeader header;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            header = readHeader(channel, file, key);
            if (withContent) {
                if (header.size > Integer.MAX_VALUE - 8) {
                    throw new IOException("object too large to read into memory: " + header.size
                            + " bytes (use a streaming get)");
                }
                ByteBuffer body = ByteBuffer.allocate((int) header.size);
                readFully(channel, body, file);
                content = body.array();
            }
        } catch (NoSuchFileException absent) {
            if (!Files.isDirectory(root)) {
                throw storeNotFound();
            }
            return null;
        }
        return new Stored(header, content);
    }

    /**
     * Reads and checks an object file's prefix and header (and that it holds {@code key}, unless
     * null); leaves the channel at the first content byte.
     */
    private ObjectHeader readHeader(FileChannel channel, Path file, String key) throws IOException {
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
        ObjectHeader header = ObjectHeader.fromJson(json, headerBytes.array());
        long expectedSize = PREFIX_BYTES + (long) headerLength + header.size;
        if (channel.size() != expectedSize) {
            throw new IOException("object file " + file.getFileName() + " is " + channel.size()
                    + " bytes; its header says " + expectedSize);
        }
        if (key != null && !header.key.equals(key)) {
            throw new IOException("object file " + file.getFileName() + " holds another key");
        }
        return header;
    }

    /** Replaces the key's object atomically with {@code header} and {@code content}. Call under the key's lock. */
    void write(String hash, ObjectHeader header, byte[] content) throws IOException {
        Path file = objectFile(hash);
        Path dir = objectDirectory(file);
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

    /** The object file's directory, created (and made durable) if missing. */
    private Path objectDirectory(Path file) throws IOException {
        Path dir = file.getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            syncDirectory(dir.getParent());
            syncDirectory(dir.getParent().getParent());
        }
        return dir;
    }

    /**
     * Replaces the key's object atomically with {@code header} and {@code size} bytes copied from
     * {@code source} at {@code from}. Call under the key's lock.
     */
    private void writeFrom(String hash, ObjectHeader header, FileChannel source, long from, long size) throws IOException {
        Path file = objectFile(hash);
        Path dir = file.getParent();
        byte[] headerBytes = header.toJson(json);
        Path tmp = dir.resolve("." + hash + "." + Long.toHexString(RANDOM.nextLong() & Long.MAX_VALUE) + ".tmp");
        boolean moved = false;
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer[] head = {prefix(headerBytes.length), ByteBuffer.wrap(headerBytes)};
                long total = PREFIX_BYTES + (long) headerBytes.length;
                for (long written = 0; written < total; ) {
                    written += channel.write(head);
                }
                for (long copied = 0; copied < size; ) {
                    long n = channel.transferFrom(source.position(from + copied), total + copied, size - copied);
                    if (n <= 0) {
                        throw new IOException("streaming put's file ended after " + copied + " of " + size + " bytes");
                    }
                    copied += n;
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
        return fannedOut(objects, hash, ".obj");
    }

    /** A per-key file under {@code area} in the store's layout ({@code ab/cd/HASH.ext}, "sha256/2/2"). */
    static Path fannedOut(Path area, String hash, String extension) {
        return area.resolve(hash.substring(0, 2)).resolve(hash.substring(2, 4)).resolve(hash + extension);
    }

    /** Whether writes are flushed to disk before they are acknowledged. */
    boolean fsync() {
        return fsync;
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
        if (fsync) {
            forceDirectory(dir);
        }
    }

    /** Makes a rename or unlink in {@code dir} durable, as far as the platform allows. */
    static void forceDirectory(Path dir) {
        // Opening a directory for reading works on Linux and macOS; where it does not, the rename
        // is still atomic, only its durability is up to the OS.
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

    /**
     * Creates the store's directory, layout and marker if they do not exist yet; the marker comes
     * last, so a store with a marker is complete.
     */
    private void createStore(String key) {
        if (created()) {
            return;
        }
        try {
            if (!Files.isDirectory(root)) {
                Path existing = root.getParent();
                while (!Files.isDirectory(existing)) {
                    existing = existing.getParent();
                }
                Files.createDirectories(root);
                // Make each new directory's entry durable, from the deepest that existed down.
                for (Path d = root.getParent(); d != null; d = d.getParent()) {
                    syncDirectory(d);
                    if (d.equals(existing)) {
                        break;
                    }
                }
            }
            Files.createDirectories(objects);
            Files.createDirectories(lockDir);
            checkOrWriteMarker();
            syncDirectory(root);
            created = true;
        } catch (IOException e) {
            throw failure(key, "creating the store directory", e);
        }
    }

    /** Whether the store exists (its marker does: another process may have created it meanwhile). */
    private boolean created() {
        if (created) {
            return true;
        }
        if (!Files.exists(root.resolve(MARKER))) {
            return false;
        }
        try {
            checkOrWriteMarker();
        } catch (IOException e) {
            throw failure(null, "reading the store's marker", e);
        }
        created = true;
        return true;
    }

    /** A missing object: of a store that does not exist (named, with no key), or a missing key. */
    private ObjectNotFoundException notFound(String key) {
        return Files.isDirectory(root) ? new ObjectNotFoundException(key, "no such key", null) : storeNotFound();
    }

    private ObjectNotFoundException storeNotFound() {
        return new ObjectNotFoundException(null, "file store " + root + " does not exist (no such directory;"
                + " the first write creates it)", null);
    }

    /**
     * The real path of {@code dir}, or, while it does not exist, the real path of its deepest
     * existing ancestor with the missing names appended: the same path the directory has once
     * created, so every driver on it shares one set of in-JVM lock stripes.
     */
    private static Path realPath(Path dir) throws IOException {
        Path existing = dir;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return dir;
        }
        return existing.toRealPath().resolve(existing.relativize(dir));
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
        private java.util.function.LongSupplier monotonic = System::nanoTime;
        private String boot = FileLeases.hostBootId();

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
         * For tests: the monotonic clock leases are timed on and the boot it belongs to (null: time
         * leases by the wall clock, as on a system without a boot id).
         */
        Builder monotonic(java.util.function.LongSupplier nanos, String bootId) {
            this.monotonic = Objects.requireNonNull(nanos, "nanos");
            this.boot = bootId;
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
