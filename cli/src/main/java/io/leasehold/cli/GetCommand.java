package io.leasehold.cli;

import io.leasehold.core.GetOptions;
import io.leasehold.core.GetResult;
import io.leasehold.core.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code get KEY [--out PATH]}: reads an object's content, optionally under conditions. */
@Command(name = "get", description = {
    "Read an object; the body goes to stdout or --out.",
    "Not modified (If-None-Match / If-Modified-Since): nothing is written, exit 4."})
final class GetCommand extends StoreCommand {
    @Parameters(index = "0", paramLabel = "KEY", description = "The object key.")
    private String key;

    @Option(names = "--out", paramLabel = "PATH", description = "Write the body to this file (replaced atomically) instead of stdout.")
    private Path out;

    @Mixin
    private ReadConditions conditions;

    @Override
    public Integer call() {
        GetOptions options = conditions.toGetOptions();
        try (ObjectStore store = openStore()) {
            GetResult result = store.get(key, options);
            if (result.isNotModified()) {
                return NotModified.report(err(), key, result);
            }
            write(result.content());
        }
        return ExitCodes.OK;
    }

    private void write(byte[] body) {
        if (out == null) {
            stdout().write(body, 0, body.length);
            stdout().flush();
            return;
        }
        Path target = out.toAbsolutePath();
        try {
            Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".part");
            try {
                Files.write(tmp, body);
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write '" + out + "'", e);
        }
    }
}
