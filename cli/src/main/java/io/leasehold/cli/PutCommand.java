package io.leasehold.cli;

import io.leasehold.core.ETag;
import io.leasehold.core.InvalidArgumentException;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.ObjectVersion;
import io.leasehold.core.PutMode;
import io.leasehold.core.PutOptions;
import io.leasehold.core.PutResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code put KEY (--data TEXT | --file PATH)}: writes an object, optionally conditionally. */
@Command(name = "put", description = {
    "Write an object; prints one JSON line with its new version.",
    "Fields: key, etag, size, lastModified, versionId.",
    "Without a condition the write overwrites (last writer wins)."})
final class PutCommand extends StoreCommand {
    @Parameters(index = "0", paramLabel = "KEY", description = "The object key.")
    private String key;

    @ArgGroup(exclusive = true, multiplicity = "1")
    private Content content;

    @Option(names = "--if-none-match", paramLabel = "*",
            description = "'*': create only if the key is absent; else exit 3.")
    private String ifNoneMatch;

    @Option(names = "--if-match", paramLabel = "ETAG",
            description = "Write only if the current ETag matches (compare-and-swap; '*': only if the key exists); else exit 3.")
    private String ifMatch;

    @Option(names = "--content-type", paramLabel = "TYPE", description = "Media type to store, e.g. text/plain.")
    private String contentType;

    @Option(names = "--meta", paramLabel = "NAME=VALUE",
            description = "User metadata (repeatable); names [a-z_][a-z0-9_]*, values printable ASCII.")
    private Map<String, String> metadata = new LinkedHashMap<>();

    @Option(names = "--lease", paramLabel = "ID", description = "Write under this lease (required while the object is leased); else exit 6.")
    private String leaseId;

    /** Exactly one source of content. */
    static final class Content {
        @Option(names = "--data", paramLabel = "TEXT", required = true, description = "The content, as UTF-8 text.")
        String data;

        @Option(names = "--file", paramLabel = "PATH", required = true, description = "Read the content from a file ('-': stdin).")
        Path file;
    }

    @Override
    public Integer call() {
        PutOptions options = PutOptions.builder()
                .mode(mode())
                .contentType(contentType)
                .userMetadata(metadata)
                .leaseId(leaseId)
                .build();
        byte[] bytes = readContent();
        try (ObjectStore store = openStore()) {
            PutResult result = store.put(key, bytes, options);
            printJson(Json.of(result));
        }
        return ExitCodes.OK;
    }

    private PutMode mode() {
        if (ifMatch != null && ifNoneMatch != null) {
            throw new InvalidArgumentException("--if-match", "cannot be combined with --if-none-match");
        }
        if (ifNoneMatch != null) {
            if (!ETag.parse("--if-none-match", ifNoneMatch).isAny()) {
                throw new InvalidArgumentException("--if-none-match", "put accepts only '*' (create if absent)");
            }
            return PutMode.create();
        }
        if (ifMatch != null) {
            ETag expected = ETag.parse("--if-match", ifMatch);
            return expected.isAny() ? PutMode.replace() : PutMode.update(ObjectVersion.of(expected, null));
        }
        return PutMode.overwrite();
    }

    private byte[] readContent() {
        if (content.data != null) {
            return content.data.getBytes(StandardCharsets.UTF_8);
        }
        try {
            return content.file.toString().equals("-") ? stdin().readAllBytes() : Files.readAllBytes(content.file);
        } catch (IOException e) {
            throw new InvalidArgumentException("--file", "cannot read '" + content.file + "' ("
                    + e.getClass().getSimpleName() + ")");
        }
    }
}
