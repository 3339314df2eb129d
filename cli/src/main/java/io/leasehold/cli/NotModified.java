package io.leasehold.cli;

import io.leasehold.core.ObjectVersion;
import java.util.Optional;
import java.io.PrintWriter;

/** The not-modified outcome of get and head: a note on stderr and exit code 4 (not an error). */
final class NotModified {
    private NotModified() {
    }

    static int report(PrintWriter err, String key, Optional<ObjectVersion> version) {
        err.println("not modified: '" + key + "'"
                + version.map(v -> " (etag " + Json.etag(v.etag()) + ")").orElse(""));
        err.flush();
        return ExitCodes.NOT_MODIFIED;
    }
}
