package io.leasehold.core.internal.transfer;

import io.leasehold.core.Capability;
import io.leasehold.core.ErrorCode;
import io.leasehold.core.InvalidArgumentException;
import io.leasehold.core.ObjectStoreException;
import io.leasehold.core.PutOptions;
import io.leasehold.core.transfer.TransferListener;
import io.leasehold.core.transfer.TransferOptions;
import io.leasehold.core.internal.Futures;
import io.leasehold.core.internal.StoreCore;
import io.leasehold.core.internal.write.WriteEngine;
import io.leasehold.core.internal.write.WriteOutcome;
import io.leasehold.spi.StagedUpload;
import io.leasehold.spi.StoreDriver;
import io.leasehold.spi.UploadLimits;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One streaming put: content of at most one part goes the ordinary single-request way; larger
 * content is uploaded in parts through the driver's {@link StagedUpload} (with at most
 * {@link TransferOptions#buffers()} parts in memory, uploaded concurrently), then committed under
 * the put's mode and conditions, with the same write id, lease guard and settlement as a single put.
 * Any failure after the upload started aborts it, so a lost race leaves no parts behind.
 *
 * <p>Thread-safety: one instance serves one put; its part uploads run on a pool it owns.
 */
public final class StreamingPut {
    private final StoreCore store;
    private final StoreDriver driver;
    private final String key;
    private final PutOptions options;
    private final TransferOptions transfer;
    private final Object progressLock = new Object();
    private long uploaded;
    private long expectedTotal = -1;

    /**
     * One streaming put.
     *
     * @param store the store's core
     * @param key the key (validated)
     * @param options the options (checked)
     * @param transfer part size, buffers, listener
     */
    public StreamingPut(StoreCore store, String key, PutOptions options, TransferOptions transfer) {
        this.store = store;
        this.driver = store.driver();
        this.key = key;
        this.options = options;
        this.transfer = transfer;
    }

    /**
     * Puts {@code length} bytes (or all bytes, for -1) of {@code in}.
     *
     * @param in the stream
     * @param length the length, or -1 if unknown
     * @return the settled outcome
     */
    public WriteOutcome run(InputStream in, long length) {
        UploadLimits limits = driver.uploadLimits();
        if (length > limits.maxObjectSize()) {
            throw new InvalidArgumentException("length", driver.name() + " stores objects of at most "
                    + limits.maxObjectSize() + " bytes; was " + length);
        }
        int part = partSize(limits, length);
        expectedTotal = length;
        if (length > part && options.isConditional()) {
            // Known to need parts: refuse before taking anything from the caller's stream.
            store.checks().require(Capability.CONDITIONAL_MULTIPART_COMMIT, "a conditional put larger than one part ("
                    + part + " bytes)");
        }
        try {
            if (length >= 0 && length <= part) {
                byte[] bytes = in.readNBytes((int) length);
                if (bytes.length < length) {
                    throw new InvalidArgumentException("length", "stream ended after " + bytes.length + " of " + length + " bytes");
                }
                if (in.read() != -1) {
                    throw new InvalidArgumentException("length", "stream has more than " + length + " bytes");
                }
                return store.put(key, bytes, options);
            }
            PushbackInputStream source = new PushbackInputStream(in, 1);
            byte[] first = new byte[part];
            int got = readFully(source, first);
            if (got < part) {
                if (length >= 0) {
                    throw new InvalidArgumentException("length", "stream ended after " + got + " of " + length + " bytes");
                }
                return store.put(key, Arrays.copyOf(first, got), options);
            }
            int next = source.read();
            if (next < 0) {
                if (length >= 0) {
                    throw new InvalidArgumentException("length", "stream ended after " + got + " of " + length + " bytes");
                }
                return store.put(key, first, options); // unknown length, exactly one part
            }
            source.unread(next);
            return staged(source, first, length, limits);
        } catch (IOException e) {
            throw new ObjectStoreException(ErrorCode.UNKNOWN, key, "reading the content stream failed", e);
        }
    }

    /**
     * The part size: as asked, within the store's limits, and for a known length large enough that
     * the object fits in the store's largest number of parts.
     */
    private int partSize(UploadLimits limits, long length) {
        long part = Math.max(transfer.partSize(), limits.minPartSize());
        if (length > 0) {
            part = Math.max(part, (length + limits.maxParts() - 1) / limits.maxParts());
        }
        long max = Math.min(limits.maxPartSize(), TransferOptions.MAX_PART_SIZE);
        if (part > max) {
            throw new InvalidArgumentException("length", length + " bytes do not fit in " + limits.maxParts()
                    + " parts of at most " + max + " bytes on " + driver.name());
        }
        return (int) part;
    }

    /** Uploads the parts and commits them; any failure aborts the upload. */
    private WriteOutcome staged(InputStream source, byte[] first, long length, UploadLimits limits) throws IOException {
        WriteEngine.PreparedPut prepared = store.engine().prepare(key, options);
        PutOptions sendable = Futures.join(store.guardPut(store.io(), key, prepared.tagged));
        if (sendable.isConditional()) {
            store.checks().require(Capability.CONDITIONAL_MULTIPART_COMMIT, "a conditional put larger than one part ("
                    + first.length + " bytes)");
        }
        StagedUpload started = store.call(key, () -> driver.startUpload(key, sendable, length, first.length));
        BufferedUpload buffered = started != null ? null : new BufferedUpload(driver, key, sendable);
        StagedUpload upload = started != null ? started : buffered;
        WriteOutcome result;
        try {
            Parts parts = uploadParts(upload, source, first, length, limits);
            byte[] md5 = parts.md5;
            // The guard ran when the upload started; the lease may have passed to another holder since
            // (an emulated lease is not checked by the commit itself): it runs again before every send
            // of the commit.
            java.util.function.Function<PutOptions, java.util.concurrent.CompletableFuture<io.leasehold.spi.PutResponse>> commit =
                    buffered != null
                            ? guarded -> store.io().put(key, buffered.joined(parts.count, parts.size), guarded)
                            : guarded -> store.io().call(key, () -> upload.commit(parts.count, parts.size, md5));
            result = store.commitStaged(key, parts.size, prepared, commit);
        } catch (RuntimeException | IOException | Error failure) {
            abort(upload, failure);
            throw failure;
        }
        try {
            progress(0); // the commit made every byte count
        } catch (RuntimeException listenerFailed) {
            // The object is written: a listener's failure now must not report the put as failed.
        }
        return result;
    }

    /** What was uploaded: part count, total bytes and, if the upload asked for it, the content's MD5. */
    private static final class Parts {
        final int count;
        final long size;
        final byte[] md5;

        Parts(int count, long size, byte[] md5) {
            this.count = count;
            this.size = size;
            this.md5 = md5;
        }
    }

    private Parts uploadParts(StagedUpload upload, InputStream source, byte[] first, long length, UploadLimits limits)
            throws IOException {
        int partSize = first.length;
        int buffers = transfer.buffers();
        BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(buffers);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Future<?>> sent = new ArrayList<>();
        MessageDigest md5 = upload.wantsContentMd5() ? md5() : null;
        ExecutorService pool = Executors.newFixedThreadPool(buffers, r -> {
            Thread t = new Thread(r, "leasehold-upload");
            t.setDaemon(true);
            return t;
        });
        boolean done = false;
        try {
            int allocated = 1;
            int number = 0;
            long total = 0;
            byte[] buffer = first;
            int filled = first.length;
            while (filled > 0) {
                number++;
                if (number > limits.maxParts()) {
                    throw new InvalidArgumentException("length", "the stream is longer than " + limits.maxParts()
                            + " parts of " + partSize + " bytes, the most " + driver.name() + " takes; set a larger part size");
                }
                total += filled;
                if (length >= 0 && total > length) {
                    throw new InvalidArgumentException("length", "stream has more than " + length + " bytes");
                }
                if (total > limits.maxObjectSize()) {
                    throw new InvalidArgumentException("length", "the stream is longer than " + limits.maxObjectSize()
                            + " bytes, the largest object " + driver.name() + " stores");
                }
                if (md5 != null) {
                    md5.update(buffer, 0, filled);
                }
                sent.add(pool.submit(partTask(upload, number, buffer, filled, free, failure)));
                if (filled < partSize) {
                    break; // the stream ended inside this part
                }
                buffer = free.poll();
                if (buffer == null && allocated < buffers) {
                    buffer = new byte[partSize];
                    allocated++;
                } else if (buffer == null) {
                    buffer = free.take();
                }
                rethrow(failure.get());
                filled = readFully(source, buffer);
            }
            for (Future<?> f : sent) {
                f.get();
            }
            rethrow(failure.get());
            if (length >= 0 && total != length) {
                throw new InvalidArgumentException("length", "stream ended after " + total + " of " + length + " bytes");
            }
            done = true;
            return new Parts(number, total, md5 == null ? null : md5.digest());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ObjectStoreException(ErrorCode.UNKNOWN, key, "interrupted while uploading parts; nothing was committed", e);
        } catch (ExecutionException e) {
            rethrow(e.getCause());
            throw new IllegalStateException(e);
        } finally {
            if (!done) {
                // Parts still queued skip themselves; wait for the ones in flight, so that the abort
                // that follows is not overtaken by a part landing after it (S3 would keep that part).
                failure.compareAndSet(null, new IllegalStateException("upload stopped"));
                awaitInFlight(pool);
            }
            pool.shutdownNow();
        }
    }

    private static void awaitInFlight(ExecutorService pool) {
        pool.shutdown();
        // Also when the caller was interrupted: an abort that overtakes a part leaves that part behind.
        boolean interrupted = Thread.interrupted();
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(2);
        while (true) {
            try {
                pool.awaitTermination(Math.max(0, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private Runnable partTask(StagedUpload upload, int number, byte[] buffer, int length, BlockingQueue<byte[]> free,
                              AtomicReference<Throwable> failure) {
        return () -> {
            try {
                if (failure.get() == null) {
                    store.call(key, () -> {
                        upload.uploadPart(number, buffer, length);
                        return null;
                    });
                    progress(length);
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            } finally {
                free.offer(buffer);
            }
        };
    }

    private void progress(long added) {
        TransferListener listener = transfer.listener().orElse(null);
        if (listener == null) {
            return;
        }
        synchronized (progressLock) {
            uploaded += added;
            listener.onProgress(uploaded, expectedTotal);
        }
    }

    /** Discards the staged parts; a failure to do so is attached to the failure being reported. */
    private void abort(StagedUpload upload, Throwable failure) {
        try {
            store.call(key, () -> {
                upload.abort();
                return null;
            });
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    private static void rethrow(Throwable t) {
        if (t == null) {
            return;
        }
        if (t instanceof RuntimeException) {
            throw (RuntimeException) t;
        }
        if (t instanceof Error) {
            throw (Error) t;
        }
        throw new ObjectStoreException(ErrorCode.UNKNOWN, null, "a part upload failed: " + t, t);
    }

    /** Reads until the buffer is full or the stream ends; returns the bytes read. */
    private static int readFully(InputStream in, byte[] buffer) throws IOException {
        int filled = 0;
        while (filled < buffer.length) {
            int n = in.read(buffer, filled, buffer.length - filled);
            if (n < 0) {
                break;
            }
            filled += n;
        }
        return filled;
    }

    static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required of every JVM", e);
        }
    }
}
