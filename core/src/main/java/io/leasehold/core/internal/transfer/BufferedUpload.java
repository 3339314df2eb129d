package io.leasehold.core.internal.transfer;

import io.leasehold.spi.StagedUpload;
import io.leasehold.spi.StoreDriver;
import io.leasehold.core.InvalidArgumentException;
import io.leasehold.core.PutOptions;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The staged upload of a driver without native staging: parts collected in memory and joined at
 * commit (at most about 2 GiB), which the write engine then sends as one ordinary put with the
 * put's mode and conditions.
 *
 * <p>Thread-safety: {@link #uploadPart} is safe for concurrent calls.
 */
final class BufferedUpload implements StagedUpload {
    private final StoreDriver driver;
    private final String key;
    private final PutOptions options;
    private final ConcurrentHashMap<Integer, byte[]> parts = new ConcurrentHashMap<>();
    /** The assembled content, kept for a commit the facade sends again after proving the first did not land. */
    private byte[] assembled;

    BufferedUpload(StoreDriver driver, String key, PutOptions options) {
        this.driver = driver;
        this.key = key;
        this.options = options;
    }

    @Override
    public void uploadPart(int partNumber, byte[] data, int length) {
        parts.put(partNumber, Arrays.copyOf(data, length));
    }

    /** Never called: {@link StreamingPut} sends the joined parts as one put ({@link #joined}). */
    @Override
    public io.leasehold.spi.PutResponse commit(int count, long size, byte[] contentMd5) {
        throw new UnsupportedOperationException("a buffered upload is committed as one put of its joined parts");
    }

    /**
     * The parts joined (once; a commit sent again sends the same bytes).
     *
     * @param count the number of parts
     * @param size their total size
     * @return the content
     */
    byte[] joined(int count, long size) {
        if (assembled == null) {
            assembled = assemble(count, size);
        }
        return assembled;
    }

    /** Joins the parts, dropping each once copied so that at most one part exists twice. */
    private byte[] assemble(int count, long size) {
        if (size > Integer.MAX_VALUE - 8) {
            throw new InvalidArgumentException("length", driver.name() + " buffers streaming puts in memory: at most "
                    + (Integer.MAX_VALUE - 8) + " bytes; was " + size);
        }
        byte[] whole = new byte[(int) size];
        int at = 0;
        for (int n = 1; n <= count; n++) {
            byte[] part = parts.get(n);
            if (part == null || at + part.length > whole.length) {
                throw new IllegalStateException("part " + n + " missing or parts exceed " + size + " bytes");
            }
            System.arraycopy(part, 0, whole, at, part.length);
            at += part.length;
            parts.remove(n);
        }
        if (at != size) {
            throw new IllegalStateException("parts hold " + at + " bytes, not " + size);
        }
        return whole;
    }

    @Override
    public void abort() {
        parts.clear();
        assembled = null;
    }
}
