package io.leasehold.cli;

import io.leasehold.core.GetOptions;
import io.leasehold.core.GetResult;
import io.leasehold.core.InvalidArgumentException;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.transfer.ObjectStream;
import io.leasehold.core.transfer.TransferOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code get KEY [--out PATH]}: reads an object's content, optionally under conditions. */
@Command(name = "get", description = {
    "Read an object; the body goes to stdout or to --out.",
    "The body streams in ranges pinned to the version first read: a replacement meanwhile fails with exit 3,"
        + " dropped connections resume, and the store's checksum is verified where it keeps one.",
    "Not modified (--if-none-match, --if-modified-since): nothing is written, exit 4."})
final class GetCommand extends StoreCommand {
    @Parameters(index = "0", paramLabel = "KEY", description = "The object key.")
    private String key;

    @Option(names = "--out", paramLabel = "PATH", description = "Write the body to this file (replaced atomically) instead of stdout.")
    private Path out;

    @Mixin
    private ReadConditions conditions;

    @Option(names = "--progress", negatable = true,
            description = "Show a progress line on stderr (default: when stderr is a terminal).")
    private Boolean progress;

    @Override
    public Integer call() {
        GetOptions options = conditions.toGetOptions();
        if (out != null) {
            checkOut();
        }
        Progress shown = progress(progress, "get " + key);
        TransferOptions transfer = TransferOptions.builder().listener(shown).build();
        try (ObjectStore store = openStore()) {
            if (out != null) {
                GetResult result = store.getToFile(key, out, options, transfer);
                if (result.isNotModified()) {
                    return NotModified.report(err(), key, result.version());
                }
            } else {
                try (ObjectStream stream = store.openStream(key, options, transfer)) {
                    if (stream.isNotModified()) {
                        return NotModified.report(err(), key, stream.version());
                    }
                    stream.content().transferTo(stdout());
                    stdout().flush();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write the body to stdout", e);
                }
            }
            if (shown != null) {
                shown.done();
            }
        }
        return ExitCodes.OK;
    }

    /** A target the body cannot go to is bad usage, found before the store is opened. */
    private void checkOut() {
        Path file = out.toAbsolutePath().normalize();
        if (Files.isDirectory(file)) {
            throw new InvalidArgumentException("--out", "'" + out + "' is a directory");
        }
        Path dir = file.getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            throw new InvalidArgumentException("--out", "the directory of '" + out + "' does not exist");
        }
    }
}
