package io.leasehold.cli;

import io.leasehold.core.ETag;
import io.leasehold.core.ErrorCode;
import io.leasehold.core.InvalidArgumentException;
import io.leasehold.core.ObjectStore;
import io.leasehold.core.ObjectStoreException;
import io.leasehold.core.ObjectVersion;
import io.leasehold.core.PutMode;
import io.leasehold.core.PutOptions;
import io.leasehold.core.PutResult;
import io.leasehold.core.transfer.TransferOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code put KEY (--data TEXT | --file PATH)}: writes an object, optionally conditionally. */
@Command(name = "put", description = {
    "Write an object; prints one JSON line with its new version.",
    "Fields: key, etag, size, lastModified, versionId, writeId.",
    "Without a condition the write overwrites (last writer wins).",
    "--file streams: content larger than one part is uploaded in parts (S3 multipart, Azure blocks) with"
        + " bounded memory and committed under the same condition."})
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
            description = "User metadata (repeatable): names of lowercase letters, digits and '_', not starting"
                    + " with a digit; values printable ASCII.")
    private List<String> metadata = new ArrayList<>();

    @Option(names = "--lease", paramLabel = "ID", description = "Write under this lease (required while the object is leased); else exit 6.")
    private String leaseId;

    @Option(names = "--part-size", paramLabel = "MIB",
            description = "Part size of a streamed --file in MiB (default 8; S3 needs at least 5).")
    private Integer partSizeMib;

    @Option(names = "--progress", negatable = true,
            description = "Show a progress line on stderr for --file (default: when stderr is a terminal).")
    private Boolean progress;

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
                .userMetadata(metadata())
                .leaseId(leaseId)
                .build();
        if (partSizeMib != null && (partSizeMib < 1 || partSizeMib > 2047)) {
            throw new InvalidArgumentException("--part-size", "must be 1 to 2047 (MiB); was " + partSizeMib);
        }
        if (content.data != null) {
            try (ObjectStore store = openStore()) {
                printJson(Json.of(store.put(key, content.data.getBytes(StandardCharsets.UTF_8), options)));
            }
            return ExitCodes.OK;
        }
        boolean fromStdin = content.file.toString().equals("-");
        if (!fromStdin && Files.isDirectory(content.file)) {
            throw new InvalidArgumentException("--file", "'" + content.file + "' is a directory");
        }
        long length;
        InputStream in;
        try {
            length = fromStdin ? ObjectStore.UNKNOWN_LENGTH : Files.size(content.file);
            in = fromStdin ? stdin() : Files.newInputStream(content.file);
        } catch (IOException e) {
            throw unreadable(e);
        }
        Progress shown = progress(progress, "put " + key);
        TransferOptions.Builder transfer = TransferOptions.builder().listener(shown);
        if (partSizeMib != null) {
            transfer.partSize((long) partSizeMib << 20);
        }
        try (ObjectStore store = openStore(); InputStream source = in) {
            PutResult result = store.put(key, source, length, options, transfer.build());
            if (shown != null) {
                shown.done();
            }
            printJson(Json.of(result));
        } catch (IOException e) {
            throw unreadable(e);
        }
        return ExitCodes.OK;
    }

    private InvalidArgumentException unreadable(IOException e) {
        String why = e instanceof NoSuchFileException ? "no such file"
                : e instanceof AccessDeniedException ? "permission denied"
                : e.getClass().getSimpleName();
        return new InvalidArgumentException("--file", "cannot read '" + content.file + "': " + why);
    }

    /** The {@code --meta} pairs; names are validated by the facade before anything is sent. */
    private Map<String, String> metadata() {
        Map<String, String> pairs = new LinkedHashMap<>();
        for (String pair : metadata) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new InvalidArgumentException("--meta", "'" + pair + "' is not NAME=VALUE");
            }
            String name = pair.substring(0, eq);
            if (pairs.put(name, pair.substring(eq + 1)) != null) {
                throw new InvalidArgumentException("--meta", "'" + name + "' is given twice");
            }
        }
        return pairs;
    }

    @Override
    protected String hint(ObjectStoreException failure) {
        if (failure.code() == ErrorCode.LEASE_HELD && leaseId == null) {
            return "write under the lease with --lease ID";
        }
        return super.hint(failure);
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

}
