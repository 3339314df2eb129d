package io.leasehold.samples;

import io.leasehold.core.GetOptions;
import io.leasehold.core.GetResult;
import io.leasehold.core.ObjectAlreadyExistsException;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.transfer.ObjectStream;
import io.leasehold.core.PutMode;
import io.leasehold.core.PutOptions;
import io.leasehold.core.PutResult;
import io.leasehold.core.transfer.TransferOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Sample: publish a large file exactly once and read it back without ever mixing two versions.
 * The upload streams in parts with bounded memory and is committed only if no one published first;
 * the download is pinned to the version it started on, resumes dropped connections and checks the
 * store's checksum.
 *
 * <p>Thread-safety: stateless.
 */
public final class LargeObjectSample {
    private LargeObjectSample() {
    }

    /**
     * Publishes {@code file} under {@code key} unless something is there already.
     *
     * @param store the store
     * @param key the key
     * @param file the file
     * @return the new version, or null if the key was taken
     * @throws IOException if the file cannot be read
     */
    public static PutResult publishOnce(ObjectStore store, String key, Path file) throws IOException {
        // 16 MiB parts, at most 4 in memory; committed only if the key is still absent.
        TransferOptions transfer = TransferOptions.builder().partSize(16 << 20).buffers(4).build();
        try (InputStream in = Files.newInputStream(file)) {
            return store.put(key, in, Files.size(file), PutOptions.of(PutMode.create()), transfer);
        } catch (ObjectAlreadyExistsException taken) {
            return null; // someone else published first; their upload stands, ours was discarded
        }
    }

    /**
     * Copies the object to {@code out} as a stream.
     *
     * @param store the store
     * @param key the key
     * @param out where the bytes go
     * @return the checksum verified, e.g. {@code MD5}, or {@code none}
     * @throws IOException if writing fails
     */
    public static String copyTo(ObjectStore store, String key, OutputStream out) throws IOException {
        // Every range after the first carries If-Match: a replacement fails the read, never mixes bytes.
        try (ObjectStream stream = store.openStream(key)) {
            stream.content().transferTo(out);
            return stream.verifiedChecksum().orElse("none");
        }
    }

    /**
     * Downloads the object into {@code target} (replaced atomically), starting over if it is replaced
     * meanwhile.
     *
     * @param store the store
     * @param key the key
     * @param target the file
     * @return the version written to the file
     */
    public static GetResult download(ObjectStore store, String key, Path target) {
        TransferOptions restart = TransferOptions.builder().onReplace(TransferOptions.OnReplace.RESTART).build();
        return store.getToFile(key, target, GetOptions.defaults(), restart);
    }
}
