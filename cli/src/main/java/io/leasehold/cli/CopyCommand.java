package io.leasehold.cli;

import io.leasehold.core.ObjectStore;
import picocli.CommandLine.Command;

/** {@code cp SRC DST}: copies one version of an object, optionally conditionally. */
@Command(name = "cp", description = {
    "Copy an object to another key; prints one JSON line with DST's new version.",
    "Fields as for put. DST receives SRC's bytes, content type and metadata.",
    "Without a condition DST is overwritten. Server-side where the store honours the conditions, else"
        + " read and written through the client; a condition the store cannot honour is exit 2, nothing"
        + " sent."})
final class CopyCommand extends CopyingCommand {
    @Override
    public Integer call() {
        try (ObjectStore store = openStore()) {
            printJson(Json.of(store.copy(source(), target(), options())));
        }
        return ExitCodes.OK;
    }
}
