package io.leasehold.spi.kit;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;

/**
 * Replacing a file atomically, for drivers that keep objects in files and for downloads: write a
 * temporary file beside the target, flush it, rename it over the target, flush the directory. A
 * reader sees the old file or the new one, never a part; after a crash, the old one or the new one
 * (with {@code durable}); on failure the target is untouched and the temporary file removed.
 *
 * <p>Temporary files are named {@code .NAME.RANDOM.tmp} beside the target, so a driver can find and
 * remove ones a crashed process left behind.
 *
 * <p>Thread-safety: stateless; concurrent replacements of one target must be serialised by the caller
 * (the last rename wins).
 */
public final class AtomicFiles {
    private static final SecureRandom RANDOM = new SecureRandom();

    private AtomicFiles() {
    }

    /** Writes the new content of a file. */
    @FunctionalInterface
    public interface Writer {
        /**
         * Writes the content.
         *
         * @param out the temporary file, open for writing at position 0
         * @throws IOException if writing fails (the target is then left as it was)
         */
        void write(FileChannel out) throws IOException;
    }

    /**
     * Replaces {@code target} durably (file and directory flushed).
     *
     * @param target the file to create or replace; its directory must exist
     * @param writer writes the new content
     * @throws IOException if writing or renaming fails
     */
    public static void replace(Path target, Writer writer) throws IOException {
        replace(target, true, writer);
    }

    /**
     * Replaces {@code target}.
     *
     * @param target the file to create or replace; its directory must exist
     * @param durable whether to flush the file before the rename and the directory after it
     * @param writer writes the new content
     * @throws IOException if writing or renaming fails
     */
    public static void replace(Path target, boolean durable, Writer writer) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = dir.resolve("." + target.getFileName() + "." + Long.toHexString(RANDOM.nextLong() & Long.MAX_VALUE)
                + ".tmp");
        boolean moved = false;
        try {
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                writer.write(out);
                if (durable) {
                    out.force(true);
                }
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(tmp);
            }
        }
        if (durable) {
            forceDirectory(dir);
        }
    }

    /**
     * Makes a rename or unlink in {@code dir} durable, as far as the platform allows (best effort:
     * opening a directory for reading works on Linux and macOS; where it does not, the rename is
     * still atomic, only its durability is up to the OS).
     *
     * @param dir the directory
     */
    public static void forceDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // best effort, see above
        }
    }
}
