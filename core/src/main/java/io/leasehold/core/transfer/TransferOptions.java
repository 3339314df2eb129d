package io.leasehold.core.transfer;

import io.leasehold.core.InvalidArgumentException;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * How a large object moves: part size and buffers of a streaming put, range size of a streaming get,
 * what a download does when the object is replaced under it, how often a dropped connection is
 * resumed, checksum verification and a progress listener.
 *
 * <h2>Memory</h2>
 * A streaming put holds at most {@link #buffers()} parts of {@link #partSize()} bytes in memory
 * (default 4 &times; 8 MiB = 32 MiB); a streaming get holds none beyond the HTTP client's own
 * buffers, whatever {@link #rangeSize()} is. A put whose content fits in one part is sent as one
 * ordinary request (buffered, retried as usual).
 *
 * <h2>Replaced while downloading</h2>
 * Every range request after the first carries {@code If-Match} on the first response's ETag (and
 * its version id where the store has them), so a download never mixes two versions. When the
 * object was replaced (or deleted) meanwhile, {@link OnReplace#FAIL} (the default) ends the read
 * with {@link io.leasehold.core.ObjectChangedException}; {@link OnReplace#RESTART} starts over from the first byte on
 * the new version, at most {@link #maxRestarts()} times, where that is possible: always for
 * {@link io.leasehold.core.ObjectStore#getToFile}, and for {@link io.leasehold.core.ObjectStore#openStream} only before the first byte
 * was handed to the caller (bytes already read cannot be taken back).
 *
 * <p>Thread-safety: immutable; the builder is not thread-safe.
 */
public final class TransferOptions {
    /** Default part size of streaming puts: 8 MiB. */
    public static final int DEFAULT_PART_SIZE = 8 << 20;
    /** Default size of each range request of streaming gets: 32 MiB. */
    public static final long DEFAULT_RANGE_SIZE = 32L << 20;
    /** Default number of part buffers of a streaming put (and parts uploaded at once). */
    public static final int DEFAULT_BUFFERS = 4;
    /** Largest part size: what one Java array can hold. */
    public static final int MAX_PART_SIZE = Integer.MAX_VALUE - 8;

    private static final TransferOptions DEFAULTS = builder().build();

    /** What a download does when the object is replaced or deleted before it has read every byte. */
    public enum OnReplace {
        /** End the read with {@link io.leasehold.core.ObjectChangedException}; nothing of the new version is returned. */
        FAIL,
        /** Start over on the new version from its first byte, where no byte has been handed out yet. */
        RESTART
    }

    private final int partSize;
    private final long rangeSize;
    private final int buffers;
    private final OnReplace onReplace;
    private final int maxRestarts;
    private final int resumeAttempts;
    private final boolean verifyChecksums;
    private final TransferListener listener;

    private TransferOptions(Builder b) {
        this.partSize = b.partSize;
        this.rangeSize = b.rangeSize;
        this.buffers = b.buffers;
        this.onReplace = b.onReplace;
        this.maxRestarts = b.maxRestarts;
        this.resumeAttempts = b.resumeAttempts;
        this.verifyChecksums = b.verifyChecksums;
        this.listener = b.listener;
    }

    /**
     * The defaults: 8 MiB parts, 4 buffers, 32 MiB ranges, fail on replace, 5 resumes, checksums verified.
     *
     * @return the defaults
     */
    public static TransferOptions defaults() {
        return DEFAULTS;
    }

    /**
     * A new builder with the defaults.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder initialised from these options.
     *
     * @return the builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.partSize = partSize;
        b.rangeSize = rangeSize;
        b.buffers = buffers;
        b.onReplace = onReplace;
        b.maxRestarts = maxRestarts;
        b.resumeAttempts = resumeAttempts;
        b.verifyChecksums = verifyChecksums;
        b.listener = listener;
        return b;
    }

    /**
     * The part size of a streaming put, as asked for. The store may raise it to its minimum (S3:
     * 5 MiB) or, for a known length, so that the object fits in its largest number of parts (S3:
     * 10,000), and lower it to its maximum. Content of at most one part is sent as a single request.
     *
     * @return bytes per part
     */
    public int partSize() {
        return partSize;
    }

    /**
     * The size of each range request of a streaming get: one request per this many bytes.
     *
     * @return bytes per range request
     */
    public long rangeSize() {
        return rangeSize;
    }

    /**
     * How many parts a streaming put holds in memory at once; also how many it uploads at once.
     *
     * @return the number of buffers, at least 1
     */
    public int buffers() {
        return buffers;
    }

    /**
     * What a download does when the object is replaced under it.
     *
     * @return the policy
     */
    public OnReplace onReplace() {
        return onReplace;
    }

    /**
     * How often one download starts over under {@link OnReplace#RESTART} before it fails with
     * {@link io.leasehold.core.ObjectChangedException}.
     *
     * @return the limit
     */
    public int maxRestarts() {
        return maxRestarts;
    }

    /**
     * How often a download resumes (from the last byte received, with {@code Range} and
     * {@code If-Match}) after its connection dropped, without receiving a byte in between, before it
     * fails with {@link io.leasehold.core.TransientException}.
     *
     * @return the limit
     */
    public int resumeAttempts() {
        return resumeAttempts;
    }

    /**
     * Whether downloads verify the bytes against the whole-object checksum the store keeps, where it
     * keeps one (see the README's "Large objects").
     *
     * @return true to verify
     */
    public boolean verifyChecksums() {
        return verifyChecksums;
    }

    /**
     * The progress listener.
     *
     * @return the listener, or empty
     */
    public Optional<TransferListener> listener() {
        return Optional.ofNullable(listener);
    }

    @Override
    public String toString() {
        return "TransferOptions{partSize=" + partSize + ", rangeSize=" + rangeSize + ", buffers=" + buffers
                + ", onReplace=" + onReplace + ", maxRestarts=" + maxRestarts + ", resumeAttempts=" + resumeAttempts
                + ", verifyChecksums=" + verifyChecksums + "}";
    }

    /**
     * Builds {@link TransferOptions}. Not thread-safe.
     */
    public static final class Builder {
        private int partSize = DEFAULT_PART_SIZE;
        private long rangeSize = DEFAULT_RANGE_SIZE;
        private int buffers = DEFAULT_BUFFERS;
        private OnReplace onReplace = OnReplace.FAIL;
        private int maxRestarts = 3;
        private int resumeAttempts = 5;
        private boolean verifyChecksums = true;
        private TransferListener listener;

        private Builder() {
        }

        /**
         * Sets the part size of streaming puts (see {@link TransferOptions#partSize()}).
         *
         * @param bytes at least 1, at most {@link TransferOptions#MAX_PART_SIZE}
         * @return this builder
         * @throws InvalidArgumentException if out of range
         */
        public Builder partSize(long bytes) {
            if (bytes < 1 || bytes > MAX_PART_SIZE) {
                throw new InvalidArgumentException("partSize", "must be between 1 and " + MAX_PART_SIZE + "; was " + bytes);
            }
            this.partSize = (int) bytes;
            return this;
        }

        /**
         * Sets the size of each range request of streaming gets.
         *
         * @param bytes at least 1
         * @return this builder
         * @throws InvalidArgumentException if less than 1
         */
        public Builder rangeSize(long bytes) {
            if (bytes < 1) {
                throw new InvalidArgumentException("rangeSize", "must be at least 1; was " + bytes);
            }
            this.rangeSize = bytes;
            return this;
        }

        /**
         * Sets how many parts a streaming put holds (and uploads) at once.
         *
         * @param count 1 to 64
         * @return this builder
         * @throws InvalidArgumentException if out of range
         */
        public Builder buffers(int count) {
            if (count < 1 || count > 64) {
                throw new InvalidArgumentException("buffers", "must be between 1 and 64; was " + count);
            }
            this.buffers = count;
            return this;
        }

        /**
         * Sets what a download does when the object is replaced under it.
         *
         * @param policy not null
         * @return this builder
         * @throws InvalidArgumentException if null
         */
        public Builder onReplace(OnReplace policy) {
            if (policy == null) {
                throw new InvalidArgumentException("onReplace", "must not be null");
            }
            this.onReplace = policy;
            return this;
        }

        /**
         * Sets how often one download may start over under {@link OnReplace#RESTART}.
         *
         * @param count 0 or more
         * @return this builder
         * @throws InvalidArgumentException if negative
         */
        public Builder maxRestarts(int count) {
            if (count < 0) {
                throw new InvalidArgumentException("maxRestarts", "must not be negative");
            }
            this.maxRestarts = count;
            return this;
        }

        /**
         * Sets how often a download resumes after a dropped connection without progress in between.
         *
         * @param count 0 or more
         * @return this builder
         * @throws InvalidArgumentException if negative
         */
        public Builder resumeAttempts(int count) {
            if (count < 0) {
                throw new InvalidArgumentException("resumeAttempts", "must not be negative");
            }
            this.resumeAttempts = count;
            return this;
        }

        /**
         * Sets whether downloads verify the store's whole-object checksum where there is one.
         *
         * @param verify true to verify (the default)
         * @return this builder
         */
        public Builder verifyChecksums(boolean verify) {
            this.verifyChecksums = verify;
            return this;
        }

        /**
         * Sets a progress listener.
         *
         * @param listener the listener, or null for none
         * @return this builder
         */
        public Builder listener(@Nullable TransferListener listener) {
            this.listener = listener;
            return this;
        }

        /**
         * Builds the options.
         *
         * @return immutable options
         */
        public TransferOptions build() {
            return new TransferOptions(this);
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TransferOptions)) {
            return false;
        }
        TransferOptions t = (TransferOptions) o;
        return partSize == t.partSize && rangeSize == t.rangeSize && buffers == t.buffers && onReplace == t.onReplace
                && maxRestarts == t.maxRestarts && resumeAttempts == t.resumeAttempts
                && verifyChecksums == t.verifyChecksums && Objects.equals(listener, t.listener);
    }

    @Override
    public int hashCode() {
        return Objects.hash(partSize, rangeSize, buffers, onReplace, maxRestarts, resumeAttempts, verifyChecksums, listener);
    }
}
