package io.leasehold.spi.kit;

import io.leasehold.core.InvalidArgumentException;
import java.util.Arrays;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A whole-object checksum a store keeps, which a streaming get checks the bytes it received
 * against: the MD5 of the content (S3 ETag of a single-part upload, Azure {@code Content-MD5}), or
 * the MD5 of the parts' MD5s of an S3 multipart upload whose part size is known.
 *
 * <p>Thread-safety: immutable.
 */
public final class ContentDigest {
    /** How the checksum is computed from the bytes. */
    public enum Algorithm {
        /** MD5 of the whole content. */
        MD5,
        /**
         * MD5 of the concatenated binary MD5s of consecutive parts of {@link #partSize()} bytes (the
         * last one shorter), as S3 computes a multipart upload's ETag ({@code hex-N}).
         */
        MD5_OF_PARTS
    }

    private final Algorithm algorithm;
    private final byte[] expected;
    private final long partSize;
    private final int parts;

    private ContentDigest(Algorithm algorithm, byte[] expected, long partSize, int parts) {
        if (expected == null || expected.length != 16) {
            throw new InvalidArgumentException("expected", "an MD5 has 16 bytes");
        }
        this.algorithm = algorithm;
        this.expected = expected.clone();
        this.partSize = partSize;
        this.parts = parts;
    }

    /**
     * The MD5 of the whole content.
     *
     * @param md5 16 bytes
     * @return the digest
     * @throws InvalidArgumentException if not 16 bytes
     */
    public static ContentDigest md5(byte[] md5) {
        return new ContentDigest(Algorithm.MD5, md5, 0, 1);
    }

    /**
     * The MD5 of the parts' MD5s.
     *
     * @param md5OfMd5s 16 bytes
     * @param partSize bytes in each part but the last, at least 1
     * @param parts the number of parts, at least 1
     * @return the digest
     * @throws InvalidArgumentException if an argument is out of range
     */
    public static ContentDigest md5OfParts(byte[] md5OfMd5s, long partSize, int parts) {
        if (partSize < 1 || parts < 1) {
            throw new InvalidArgumentException("partSize", "part size and count must be positive");
        }
        return new ContentDigest(Algorithm.MD5_OF_PARTS, md5OfMd5s, partSize, parts);
    }

    /**
     * Parses 32 hexadecimal digits (as in an S3 ETag) into the 16 bytes of an MD5.
     *
     * @param hex the digits, either case
     * @return the bytes, or null if {@code hex} is not 32 hexadecimal digits
     */
    public static byte @Nullable [] hexMd5(String hex) {
        if (hex == null || hex.length() != 32) {
            return null;
        }
        byte[] out = new byte[16];
        for (int i = 0; i < 16; i++) {
            int hi = Character.digit(hex.charAt(2 * i), 16);
            int lo = Character.digit(hex.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) {
                return null;
            }
            out[i] = (byte) (hi << 4 | lo);
        }
        return out;
    }

    /**
     * How the checksum is computed.
     *
     * @return the algorithm
     */
    public Algorithm algorithm() {
        return algorithm;
    }

    /**
     * The expected checksum.
     *
     * @return a copy of the 16 bytes
     */
    public byte[] expected() {
        return expected.clone();
    }

    /**
     * The part size for {@link Algorithm#MD5_OF_PARTS}.
     *
     * @return bytes per part, or 0 for {@link Algorithm#MD5}
     */
    public long partSize() {
        return partSize;
    }

    /**
     * The number of parts for {@link Algorithm#MD5_OF_PARTS}.
     *
     * @return the count, 1 for {@link Algorithm#MD5}
     */
    public int parts() {
        return parts;
    }

    /**
     * Whether a computed checksum matches.
     *
     * @param computed the 16 bytes computed over the content
     * @param computedParts how many parts the content had (ignored for {@link Algorithm#MD5})
     * @return true if equal
     */
    public boolean matches(byte[] computed, int computedParts) {
        return Arrays.equals(expected, computed) && (algorithm == Algorithm.MD5 || parts == computedParts);
    }

    /**
     * A short description, e.g. {@code MD5} or {@code MD5 of 8388608-byte parts}.
     *
     * @return the description
     */
    public String describe() {
        return algorithm == Algorithm.MD5 ? "MD5" : "MD5 of " + parts + " MD5s of " + partSize + "-byte parts";
    }

    @Override
    public String toString() {
        StringBuilder hex = new StringBuilder(32);
        for (byte b : expected) {
            hex.append(String.format(Locale.ROOT, "%02x", b));
        }
        return describe() + " " + hex;
    }
}
