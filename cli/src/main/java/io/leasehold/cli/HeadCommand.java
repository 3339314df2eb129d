package io.leasehold.cli;

import io.leasehold.core.GetOptions;
import io.leasehold.core.GetResult;
import io.leasehold.core.ObjectStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code head KEY}: prints an object's metadata as one JSON line. */
@Command(name = "head", description = {
    "Print an object's metadata as one JSON line.",
    "Fields: key, etag, size, lastModified, versionId, contentType, metadata.",
    "Not modified (--if-none-match, --if-modified-since): nothing is printed, exit 4."})
final class HeadCommand extends StoreCommand {
    @Parameters(index = "0", paramLabel = "KEY", description = "The object key.")
    private String key;

    @Mixin
    private ReadConditions conditions;

    @Override
    public Integer call() {
        GetOptions options = conditions.toGetOptions();
        try (ObjectStore store = openStore()) {
            GetResult result = store.head(key, options);
            if (result.isNotModified()) {
                return NotModified.report(err(), key, result.version());
            }
            printJson(Json.of(result.info()));
        }
        return ExitCodes.OK;
    }
}
