package io.leasehold.core.internal.transfer;

import io.leasehold.core.ChecksumMismatchException;
import io.leasehold.core.ErrorCode;
import io.leasehold.core.GetOptions;
import io.leasehold.core.ObjectChangedException;
import io.leasehold.core.ObjectInfo;
import io.leasehold.core.ObjectNotFoundException;
import io.leasehold.core.ObjectStoreException;
import io.leasehold.core.ObjectVersion;
import io.leasehold.core.PreconditionFailedException;
import io.leasehold.core.TransientException;
import io.leasehold.core.transfer.TransferOptions;
import io.leasehold.spi.kit.ContentDigest;
import io.leasehold.spi.RangeRead;
import io.leasehold.core.internal.StoreCore;
import io.leasehold.spi.StoreDriver;
import java.util.function.UnaryOperator;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * The content of a streaming get: the object read range by range, every range after the first
 * pinned to the first response's version (If-Match on its ETag, its version id where there is
 * one), a dropped connection resumed from the last byte received, and the bytes checked against the
 * store's whole-object checksum at the end.
 *
 * <p>Failures are thrown from {@code read} as {@link ObjectStoreException}s (unchecked):
 * {@link ObjectChangedException} when the object was replaced or deleted meanwhile (unless a
 * restart is allowed), {@link ChecksumMismatchException}, {@link TransientException} when resuming
 * gave up, or whatever a range request failed with.
 *
 * <p>Thread-safety: not thread-safe; one reader.
 */
public final class RangedReader extends InputStream {
    /** Told when a download starts over on a new version (the file form truncates its temp file). */
    public interface RestartListener {
        /**
         * The download starts over.
         *
         * @throws IOException if the listener cannot prepare for it
         */
        void restarted() throws IOException;
    }

    private final StoreCore store;
    private final StoreDriver driver;
    private final UnaryOperator<ObjectInfo> publish;
    private final String key;
    private final GetOptions firstOptions;
    private final TransferOptions transfer;
    private final boolean restartAnyTime;
    private final long rangeLength;
    private RestartListener restartListener = () -> { };

    private ObjectInfo raw;
    private ObjectInfo visible;
    private GetOptions pinnedOptions;
    private long size;
    private ContentDigest digest;
    private Md5Check check;
    private String verified;

    private RangeRead current;
    private long rangeEnd;
    private long position;
    private boolean delivered;
    private int restarts;
    private int dropsWithoutProgress;
    private boolean closed;
    private boolean finished;

    private RangedReader(StoreCore store, UnaryOperator<ObjectInfo> publish, String key, GetOptions firstOptions,
                         TransferOptions transfer, boolean restartAnyTime, boolean ranged) {
        this.store = store;
        this.driver = store.driver();
        this.publish = publish;
        this.key = key;
        this.firstOptions = firstOptions;
        this.transfer = transfer;
        this.restartAnyTime = restartAnyTime;
        this.rangeLength = ranged ? transfer.rangeSize() : Long.MAX_VALUE;
    }

    /**
     * Sends the first range request.
     *
     * @param store the store's core
     * @param publish turns the stored information into what callers see (bookkeeping hidden)
     * @param key the key
     * @param firstOptions the first request's options, already guarded
     * @param transfer range size, restarts, resumes, checksums
     * @param restartAnyTime whether a restart may discard bytes already read (the file form)
     * @param ranged whether the driver reads ranges natively; if not, the first request reads everything
     * @return the reader, or the {@link RangeRead} of a not-modified answer
     */
    public static Object open(StoreCore store, UnaryOperator<ObjectInfo> publish, String key, GetOptions firstOptions,
                              TransferOptions transfer, boolean restartAnyTime, boolean ranged) {
        RangedReader reader = new RangedReader(store, publish, key, firstOptions, transfer, restartAnyTime, ranged);
        RangeRead first = reader.first();
        if (first.isNotModified()) {
            return first;
        }
        reader.adopt(first);
        return reader;
    }

    /**
     * Who is told when the download starts over on a new version.
     *
     * @param listener the listener
     */
    public void onRestart(RestartListener listener) {
        this.restartListener = listener;
    }

    /**
     * The object as callers see it: the version being read now.
     *
     * @return the information
     */
    public ObjectInfo info() {
        return visible;
    }

    /** The version being read as the driver returned it (bookkeeping included). */
    ObjectInfo raw() {
        return raw;
    }

    /**
     * The checksum the bytes were verified against, once every byte was read.
     *
     * @return a description, or null
     */
    public String verified() {
        return verified;
    }

    private RangeRead first() {
        return store.call(key, () -> driver.getRange(key, firstOptions, null, 0, rangeLength));
    }

    private void adopt(RangeRead first) {
        raw = first.info();
        visible = publish.apply(raw);
        size = raw.size();
        GetOptions.Builder pinned = GetOptions.builder().ifMatch(raw.version().etag()).consistency(firstOptions.consistency());
        firstOptions.leaseId().ifPresent(pinned::leaseId);
        pinnedOptions = pinned.build();
        digest = transfer.verifyChecksums() ? first.digest().orElse(null) : null;
        check = digest == null ? null : new Md5Check(digest);
        verified = null;
        position = 0;
        if (first.offset() != 0 || first.length() > rangeLength || first.length() == 0 && size > 0) {
            closeQuietly(first);
            throw new ObjectStoreException(ErrorCode.UNKNOWN, key, driver.name() + " served bytes " + first.offset()
                    + "+" + first.length() + " of " + size + " where the first range was asked for", null);
        }
        current = first;
        rangeEnd = first.length();
        progress();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
        if (len == 0) {
            return 0;
        }
        while (true) {
            if (position >= size) {
                finish();
                return -1;
            }
            if (current == null) {
                openNext();
                continue;
            }
            int n;
            try {
                n = current.content().read(b, off, (int) Math.min(len, rangeEnd - position));
            } catch (IOException dropped) {
                dropped(dropped);
                continue;
            }
            if (n < 0) {
                dropped(new EOFException("the range ended at byte " + position + " of " + rangeEnd));
                continue;
            }
            if (check != null) {
                check.update(b, off, n);
            }
            position += n;
            delivered = true;
            dropsWithoutProgress = 0;
            if (position == rangeEnd) {
                closeCurrent();
            }
            progress();
            return n;
        }
    }

    /** Asks for the next range (or the rest of one whose connection dropped), pinned to the version. */
    private void openNext() {
        long from = position;
        long length = Math.min(rangeLength, size - from);
        RangeRead next;
        try {
            next = store.call(key, () -> driver.getRange(key, pinnedOptions, raw.version(), from, length));
        } catch (PreconditionFailedException | ObjectNotFoundException changed) {
            replaced(changed);
            return;
        }
        ObjectVersion served = next.isNotModified() ? null : next.info().version();
        if (served == null || !served.etag().value().equals(raw.version().etag().value())) {
            // A store that ignored If-Match on the range: never mix versions.
            closeQuietly(next);
            replaced(null);
            return;
        }
        if (next.offset() != from || next.length() < 1 || next.length() > length || next.info().size() != size) {
            closeQuietly(next);
            throw new ObjectStoreException(ErrorCode.UNKNOWN, key, driver.name() + " served bytes " + next.offset() + "+"
                    + next.length() + " of " + next.info().size() + " where " + from + "+" + length + " of " + size
                    + " were asked for", null);
        }
        current = next;
        rangeEnd = from + next.length();
    }

    private void dropped(IOException cause) {
        closeCurrent();
        dropsWithoutProgress++;
        if (dropsWithoutProgress > transfer.resumeAttempts()) {
            throw new TransientException(ErrorCode.TRANSIENT, key, "the download's connection dropped "
                    + dropsWithoutProgress + " times at byte " + position + " of " + size + " without progress; gave up", cause);
        }
        // The next read asks for the rest of the range with Range and If-Match.
    }

    /** The object is another version now: start over on it if allowed, else fail typed. */
    private void replaced(ObjectStoreException cause) {
        closeCurrent();
        long at = position;
        if (transfer.onReplace() == TransferOptions.OnReplace.RESTART && restarts < transfer.maxRestarts()
                && (restartAnyTime || !delivered)) {
            restarts++;
            RangeRead first = first();
            if (first.isNotModified()) {
                throw new ObjectChangedException(key, "the object was replaced during the download and the new version"
                        + " no longer meets the read's conditions", cause);
            }
            try {
                restartListener.restarted();
            } catch (IOException e) {
                closeQuietly(first);
                throw new ObjectStoreException(ErrorCode.UNKNOWN, key, "starting the download over failed", e);
            }
            delivered = false;
            adopt(first);
            return;
        }
        throw new ObjectChangedException(key, "the object was replaced or deleted after " + at + " of " + size
                + " bytes had been read; the download stopped rather than mix two versions"
                + (restarts > 0 ? " (after " + restarts + " restarts)" : ""), cause);
    }

    private void finish() {
        closeCurrent();
        if (finished) {
            return;
        }
        finished = true;
        if (check != null) {
            String problem = check.verify();
            if (problem != null) {
                throw new ChecksumMismatchException(key, "the " + size + " bytes read do not match the store's "
                        + digest.describe() + " (" + problem + ")", null);
            }
            verified = digest.describe();
        }
    }

    private void progress() {
        transfer.listener().ifPresent(l -> l.onProgress(position, size));
    }

    private void closeCurrent() {
        if (current != null) {
            closeQuietly(current);
            current = null;
        }
    }

    private static void closeQuietly(RangeRead r) {
        try {
            r.close();
        } catch (IOException | RuntimeException e) {
            // the connection is discarded either way
        }
    }

    @Override
    public void close() {
        closed = true;
        closeCurrent();
    }

    /** MD5 of the content, or of its parts' MD5s, computed as the bytes pass. */
    private static final class Md5Check {
        private final ContentDigest expected;
        private final MessageDigest whole = StreamingPut.md5();
        private final MessageDigest part;
        private long inPart;
        private int parts;

        Md5Check(ContentDigest expected) {
            this.expected = expected;
            this.part = expected.algorithm() == ContentDigest.Algorithm.MD5_OF_PARTS ? StreamingPut.md5() : null;
        }

        void update(byte[] b, int off, int len) {
            if (part == null) {
                whole.update(b, off, len);
                return;
            }
            while (len > 0) {
                int take = (int) Math.min(len, expected.partSize() - inPart);
                part.update(b, off, take);
                inPart += take;
                off += take;
                len -= take;
                if (inPart == expected.partSize()) {
                    whole.update(part.digest());
                    parts++;
                    inPart = 0;
                }
            }
        }

        /** Null if the content matches, else what differed. */
        String verify() {
            if (part != null && inPart > 0) {
                whole.update(part.digest());
                parts++;
                inPart = 0;
            }
            if (expected.matches(whole.digest(), parts)) {
                return null;
            }
            return part != null && parts != expected.parts() ? parts + " parts, not " + expected.parts() : "different digest";
        }
    }
}
