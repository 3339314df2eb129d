package io.leasehold.driver.file;

import io.leasehold.spi.PutResponse;
import io.leasehold.core.ETag;
import io.leasehold.core.PutOptions;
import io.leasehold.spi.StagedUpload;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;

/**
 * A streaming put into the file store: parts are written at their offsets into one temporary file
 * laid out as an object file (prefix, room for the header, content); {@link FileDriver#commit}
 * fills in the header and renames the file over the object under the key's lock.
 *
 * <p>Thread-safety: {@link #uploadPart} is safe for concurrent calls (positioned writes).
 */
final class FileUpload implements StagedUpload {
    /** Room kept beyond the header as known at the start, for fields carried over from the current version. */
    private static final int HEADER_SLACK = 4096;

    private final FileDriver driver;
    final String key;
    final String hash;
    final PutOptions options;
    private final long partSize;
    final Path file;
    /** Bytes reserved for the header. */
    final int reserved;
    private final FileChannel channel;

    FileUpload(FileDriver driver, String key, String hash, PutOptions options, long partSize) throws IOException {
        this.driver = driver;
        this.key = key;
        this.hash = hash;
        this.options = options;
        this.partSize = partSize;
        // The header as it will be, with the widest values of the fields only the commit knows.
        ObjectHeader widest = new ObjectHeader(key, ETag.strong("f".repeat(16) + "-" + "f".repeat(16)), Long.MAX_VALUE,
                Instant.parse("+99999-12-31T23:59:59.999999999Z"), options.contentType().orElse(null),
                options.userMetadata(), Long.MAX_VALUE, Map.of());
        this.reserved = widest.toJson(driver.json()).length + HEADER_SLACK;
        this.file = driver.newUploadFile(hash);
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
    }

    @Override
    public void uploadPart(int partNumber, byte[] data, int length) {
        ByteBuffer bytes = ByteBuffer.wrap(data, 0, length);
        long at = contentStart() + (partNumber - 1) * partSize;
        try {
            while (bytes.hasRemaining()) {
                at += channel.write(bytes, at);
            }
        } catch (IOException e) {
            throw FileDriver.failure(key, "writing part " + partNumber + " of a streaming put", e);
        }
    }

    @Override
    public PutResponse commit(int parts, long size, byte[] contentMd5) {
        return driver.commit(this, size);
    }

    @Override
    public void abort() {
        discard();
    }

    /** The offset of the first content byte. */
    long contentStart() {
        return FileDriver.prefixBytes() + (long) reserved;
    }

    FileChannel channel() {
        return channel;
    }

    /** Writes prefix and header (padded with spaces to the reserved room), trims, flushes and closes. */
    void finish(byte[] header, long size, boolean fsync) throws IOException {
        byte[] padded = Arrays.copyOf(header, reserved);
        Arrays.fill(padded, header.length, reserved, (byte) ' ');
        ByteBuffer head = ByteBuffer.allocate(FileDriver.prefixBytes() + reserved)
                .put(FileDriver.prefix(reserved)).put(padded);
        head.flip();
        long at = 0;
        while (head.hasRemaining()) {
            at += channel.write(head, at);
        }
        channel.truncate(contentStart() + size);
        if (channel.size() != contentStart() + size) {
            throw new IOException("streaming put's file holds " + (channel.size() - contentStart()) + " of " + size + " bytes");
        }
        if (fsync) {
            channel.force(true);
        }
        channel.close();
    }

    /** Closes and deletes the temporary file. */
    void discard() {
        try {
            channel.close();
        } catch (IOException e) {
            // deleting it is what matters
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // the next streaming put removes it once it is a day old
        }
    }
}
