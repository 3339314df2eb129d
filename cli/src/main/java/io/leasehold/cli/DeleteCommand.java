package io.leasehold.cli;

import io.leasehold.core.DeleteOptions;
import io.leasehold.core.ETag;
import io.leasehold.core.ErrorCode;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.ObjectStoreException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code delete KEY [--if-match ETAG]}: deletes an object, optionally only if unchanged. */
@Command(name = "delete", description = {
    "Delete an object.",
    "A missing key is exit 5, never a silent success.",
    "With --if-match, a changed object survives and the exit code is 3."})
final class DeleteCommand extends StoreCommand {
    @Parameters(index = "0", paramLabel = "KEY", description = "The object key.")
    private String key;

    @Option(names = "--if-match", paramLabel = "ETAG", description = "Delete only if the current ETag matches; else exit 3.")
    private String ifMatch;

    @Option(names = "--lease", paramLabel = "ID", description = "Delete under this lease (required while the object is leased); else exit 6.")
    private String leaseId;

    @Override
    public Integer call() {
        DeleteOptions options = DeleteOptions.builder()
                .ifMatch(ifMatch == null ? null : ETag.parse("--if-match", ifMatch))
                .leaseId(leaseId)
                .build();
        try (ObjectStore store = openStore()) {
            store.delete(key, options);
        }
        return ExitCodes.OK;
    }

    @Override
    protected String hint(ObjectStoreException failure) {
        if (failure.code() == ErrorCode.LEASE_HELD && leaseId == null) {
            return "delete under the lease with --lease ID";
        }
        return super.hint(failure);
    }
}
