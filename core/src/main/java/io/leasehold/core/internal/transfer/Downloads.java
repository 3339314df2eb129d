package io.leasehold.core.internal.transfer;

import io.leasehold.core.Capability;
import io.leasehold.core.ErrorCode;
import io.leasehold.core.GetOptions;
import io.leasehold.core.InvalidArgumentException;
import io.leasehold.core.ObjectInfo;
import io.leasehold.core.ObjectStoreException;
import io.leasehold.core.ObjectVersion;
import io.leasehold.core.internal.Futures;
import io.leasehold.core.internal.StoreCore;
import io.leasehold.core.transfer.ObjectStream;
import io.leasehold.core.transfer.TransferOptions;
import io.leasehold.spi.RangeRead;
import io.leasehold.spi.kit.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Streaming gets: {@code openStream} and {@code getToFile}. The first range is requested under the
 * caller's conditions (guarded like any read), the rest pinned to its version by
 * {@link RangedReader}.
 *
 * <p>Thread-safety: stateless; each download is its own.
 */
public final class Downloads {
    private final StoreCore store;
    private final UnaryOperator<ObjectInfo> publish;

    /**
     * Downloads from one store.
     *
     * @param store the store's core
     * @param publish turns stored information into what callers see (bookkeeping hidden)
     */
    public Downloads(StoreCore store, UnaryOperator<ObjectInfo> publish) {
        this.store = store;
        this.publish = publish;
    }

    /**
     * Opens a download: a {@link RangedReader}, or a {@link RangeRead} that says not modified.
     *
     * @param key the key (validated)
     * @param options the options (checked)
     * @param transfer the transfer options
     * @param restartAnyTime whether a restart may discard bytes already read
     * @return the reader or the not-modified answer
     */
    private Object open(String key, GetOptions options, TransferOptions transfer, boolean restartAnyTime) {
        if (transfer == null) {
            throw new InvalidArgumentException("transfer", "must not be null");
        }
        if (io.leasehold.core.internal.write.WriteEngine.weak(options.ifMatch())) {
            return Futures.join(store.engine().refuseWeakIfMatch(store.io(), key));
        }
        StoreCore.LeaseReads lease = store.leaseReads(store.io(), key);
        GetOptions guarded = Futures.join(lease.before(options));
        Object opened = RangedReader.open(store, publish, key, guarded, transfer, restartAnyTime,
                store.capabilities().supports(Capability.RANGED_READS));
        if (opened instanceof RangedReader) {
            try {
                lease.check(((RangedReader) opened).raw());
            } catch (RuntimeException refused) {
                ((RangedReader) opened).close();
                throw refused;
            }
        }
        return opened;
    }

    /**
     * Opens an object for streaming.
     *
     * @param key the key (validated)
     * @param options the options (checked)
     * @param transfer the transfer options
     * @return the stream
     */
    public ObjectStream openStream(String key, GetOptions options, TransferOptions transfer) {
        Object opened = open(key, options, transfer, false);
        return opened instanceof RangedReader ? new Opened((RangedReader) opened, null)
                : new Opened(null, ((RangeRead) opened).notModifiedVersion().orElse(null));
    }

    /**
     * Reads an object into a file, replacing the target atomically once every byte arrived and was
     * verified.
     *
     * @param key the key (validated)
     * @param target the target file
     * @param options the options (checked)
     * @param transfer the transfer options
     * @return the information of the version written, or empty with {@code notModified} set
     */
    public Result toFile(String key, Path target, GetOptions options, TransferOptions transfer) {
        if (target == null) {
            throw new InvalidArgumentException("target", "must not be null");
        }
        Path file = target.toAbsolutePath().normalize();
        Path dir = file.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new InvalidArgumentException("target", "its directory does not exist: " + dir);
        }
        if (Files.isDirectory(file)) {
            throw new InvalidArgumentException("target", "is a directory: " + file);
        }
        Object opened = open(key, options, transfer, true);
        if (!(opened instanceof RangedReader)) {
            return new Result(null, ((RangeRead) opened).notModifiedVersion().orElse(null));
        }
        try (RangedReader reader = (RangedReader) opened) {
            AtomicFiles.replace(file, out -> {
                reader.onRestart(() -> {
                    out.truncate(0);
                    out.position(0);
                });
                copy(reader, out);
            });
            return new Result(reader.info(), null);
        } catch (IOException e) {
            throw new ObjectStoreException(ErrorCode.UNKNOWN, key, "writing the download to " + file + " failed: "
                    + e.getClass().getSimpleName(), e);
        }
    }

    private static void copy(InputStream in, FileChannel out) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
            while (chunk.hasRemaining()) {
                out.write(chunk);
            }
        }
    }

    /** What {@link #toFile} wrote: the version's information, or not modified. */
    public static final class Result {
        /** The information of the version written, or null if not modified. */
        public final ObjectInfo info;
        /** The current version of a not-modified answer, or null. */
        public final ObjectVersion notModifiedVersion;

        Result(ObjectInfo info, ObjectVersion notModifiedVersion) {
            this.info = info;
            this.notModifiedVersion = notModifiedVersion;
        }
    }

    /** An open download as callers see it. Thread-safety: not thread-safe; one reader. */
    private static final class Opened implements ObjectStream {
        private final RangedReader reader;
        private final ObjectVersion notModified;

        Opened(RangedReader reader, ObjectVersion notModified) {
            this.reader = reader;
            this.notModified = notModified;
        }

        @Override
        public boolean isNotModified() {
            return reader == null;
        }

        @Override
        public ObjectInfo info() {
            if (reader == null) {
                throw new IllegalStateException("not modified: there is no object in this result");
            }
            return reader.info();
        }

        @Override
        public Optional<ObjectVersion> version() {
            return reader == null ? Optional.ofNullable(notModified) : Optional.of(reader.info().version());
        }

        @Override
        public InputStream content() {
            if (reader == null) {
                throw new IllegalStateException("not modified: there is no content in this result");
            }
            return reader;
        }

        @Override
        public Optional<String> verifiedChecksum() {
            return reader == null ? Optional.empty() : Optional.ofNullable(reader.verified());
        }

        @Override
        public void close() {
            if (reader != null) {
                reader.close();
            }
        }

        @Override
        public String toString() {
            return reader == null ? "ObjectStream{notModified}" : "ObjectStream{" + reader.info() + "}";
        }
    }
}
