package io.leasehold.spi;

import io.leasehold.core.InvalidArgumentException;

/**
 * A store's limits on staged uploads: the smallest and largest part, the largest number of parts
 * and the largest object. The facade sizes the parts of a streaming put from them.
 *
 * <p>Thread-safety: immutable.
 */
public final class UploadLimits {
    /** Limits of a driver that buffers a streaming put in memory and sends it as one put. */
    public static final UploadLimits BUFFERED = new UploadLimits(1, Integer.MAX_VALUE - 8, Integer.MAX_VALUE,
            Integer.MAX_VALUE - 8);

    private final long minPartSize;
    private final long maxPartSize;
    private final int maxParts;
    private final long maxObjectSize;

    /**
     * Creates limits.
     *
     * @param minPartSize the smallest part but the last, at least 1 (S3: 5 MiB)
     * @param maxPartSize the largest part, at least {@code minPartSize} (S3: 5 GiB)
     * @param maxParts the largest number of parts (S3: 10,000; Azure: 50,000)
     * @param maxObjectSize the largest object (S3: 5 TiB)
     * @throws InvalidArgumentException if inconsistent
     */
    public UploadLimits(long minPartSize, long maxPartSize, int maxParts, long maxObjectSize) {
        if (minPartSize < 1 || maxPartSize < minPartSize || maxParts < 1 || maxObjectSize < 1) {
            throw new InvalidArgumentException("limits", "inconsistent upload limits");
        }
        this.minPartSize = minPartSize;
        this.maxPartSize = maxPartSize;
        this.maxParts = maxParts;
        this.maxObjectSize = maxObjectSize;
    }

    /**
     * The smallest part but the last.
     *
     * @return bytes
     */
    public long minPartSize() {
        return minPartSize;
    }

    /**
     * The largest part.
     *
     * @return bytes
     */
    public long maxPartSize() {
        return maxPartSize;
    }

    /**
     * The largest number of parts.
     *
     * @return the count
     */
    public int maxParts() {
        return maxParts;
    }

    /**
     * The largest object.
     *
     * @return bytes
     */
    public long maxObjectSize() {
        return maxObjectSize;
    }

    @Override
    public String toString() {
        return "UploadLimits{minPartSize=" + minPartSize + ", maxPartSize=" + maxPartSize + ", maxParts=" + maxParts
                + ", maxObjectSize=" + maxObjectSize + "}";
    }
}
