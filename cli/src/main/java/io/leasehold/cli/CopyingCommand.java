package io.leasehold.cli;

import io.leasehold.core.CopyOptions;
import io.leasehold.core.ETag;
import io.leasehold.core.InvalidArgumentException;
import io.leasehold.core.ObjectVersion;
import io.leasehold.core.PutMode;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * What {@code cp} and {@code mv} share: the two keys, the target's conditions with {@code put}'s
 * flags, and the source's If-Match.
 *
 * <p>Thread-safety: one instance serves one invocation.
 */
abstract class CopyingCommand extends StoreCommand {
    @Parameters(index = "0", paramLabel = "SRC", description = "The source key.")
    private String source;

    @Parameters(index = "1", paramLabel = "DST", description = "The target key.")
    private String target;

    @Option(names = "--if-none-match", paramLabel = "*",
            description = "'*': only if DST is absent; else exit 3.")
    private String ifNoneMatch;

    @Option(names = "--if-match", paramLabel = "ETAG",
            description = "Only if DST's current ETag matches ('*': only if DST exists); else exit 3.")
    private String ifMatch;

    @Option(names = "--source-if-match", paramLabel = "ETAG",
            description = "Only if SRC's current ETag matches; else exit 3.")
    private String sourceIfMatch;

    /** The source key. */
    String source() {
        return source;
    }

    /** The target key. */
    String target() {
        return target;
    }

    /** The options from the flags; without a target flag DST is overwritten, as by {@code put}. */
    CopyOptions options() {
        if (ifMatch != null && ifNoneMatch != null) {
            throw new InvalidArgumentException("--if-match", "cannot be combined with --if-none-match");
        }
        PutMode mode = PutMode.overwrite();
        if (ifNoneMatch != null) {
            if (!ETag.parse("--if-none-match", ifNoneMatch).isAny()) {
                throw new InvalidArgumentException("--if-none-match", "accepts only '*' (only if DST is absent)");
            }
            mode = PutMode.create();
        } else if (ifMatch != null) {
            ETag expected = ETag.parse("--if-match", ifMatch);
            mode = expected.isAny() ? PutMode.replace() : PutMode.update(ObjectVersion.of(expected, null));
        }
        CopyOptions.Builder b = CopyOptions.builder().mode(mode);
        if (sourceIfMatch != null) {
            b.sourceIfMatch(ETag.parse("--source-if-match", sourceIfMatch));
        }
        return b.build();
    }
}
