package io.leasehold.cli;

import io.leasehold.core.ObjectStore;
import picocli.CommandLine.Command;

/** {@code mv SRC DST}: copies, then deletes the source if it is still the version copied. */
@Command(name = "mv", description = {
    "Rename an object: copy it to DST, then delete SRC if it is still the version copied.",
    "Prints one JSON line with DST's version, fields as for put. Without a condition DST is overwritten.",
    "If SRC changed after the copy it is kept (exit 3), and with --if-none-match '*' the copy is removed"
        + " again. Needs conditional delete: exit 2 where the store has none (Ceph RGW)."})
final class MoveCommand extends CopyingCommand {
    @Override
    public Integer call() {
        try (ObjectStore store = openStore()) {
            printJson(Json.of(store.rename(source(), target(), options())));
        }
        return ExitCodes.OK;
    }
}
