package io.leasehold.cli;

import io.leasehold.core.ETag;
import io.leasehold.core.GetOptions;
import io.leasehold.core.ReadConsistency;
import java.time.Instant;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The conditions and consistency shared by {@code get} and {@code head} (a picocli mixin).
 * Evaluation follows RFC 9110 precedence; see {@link GetOptions}.
 *
 * <p>Thread-safety: one instance serves one invocation.
 */
public final class ReadConditions {
    @Option(names = "--if-match", paramLabel = "ETAG",
            description = "Read only if the current ETag matches (or '*'); else exit 3.")
    private String ifMatch;

    @Option(names = "--if-none-match", paramLabel = "ETAG",
            description = "Read only if the current ETag differs (or '*' for none); else exit 4 (not modified).")
    private String ifNoneMatch;

    @Option(names = "--if-modified-since", paramLabel = "DATE", converter = HttpDateConverter.class,
            description = "RFC 1123 or ISO-8601 date; not changed since then: exit 4 (not modified).")
    private Instant ifModifiedSince;

    @Option(names = "--if-unmodified-since", paramLabel = "DATE", converter = HttpDateConverter.class,
            description = "RFC 1123 or ISO-8601 date; changed since then: exit 3.")
    private Instant ifUnmodifiedSince;

    @Option(names = "--consistency", paramLabel = "LEVEL", defaultValue = "eventual", converter = Consistency.class,
            description = "strong or eventual (default: ${DEFAULT-VALUE}); strong needs a store that offers it.")
    private ReadConsistency consistency;

    /** Creates the mixin (picocli instantiates it). */
    public ReadConditions() {
    }

    /**
     * The options for the facade; ETags are validated here, before the store is opened.
     *
     * @return the get/head options
     * @throws io.leasehold.core.InvalidArgumentException if an ETag is malformed
     */
    public GetOptions toGetOptions() {
        GetOptions.Builder b = GetOptions.builder()
                .ifModifiedSince(ifModifiedSince)
                .ifUnmodifiedSince(ifUnmodifiedSince)
                .consistency(consistency);
        if (ifMatch != null) {
            b.ifMatch(ETag.parse("--if-match", ifMatch));
        }
        if (ifNoneMatch != null) {
            b.ifNoneMatch(ETag.parse("--if-none-match", ifNoneMatch));
        }
        return b.build();
    }

    /** Parses {@code --consistency} in any case, naming the levels as the help does. */
    static final class Consistency implements ITypeConverter<ReadConsistency> {
        @Override
        public ReadConsistency convert(String value) {
            switch (value.strip().toLowerCase(Locale.ROOT)) {
                case "strong":
                    return ReadConsistency.STRONG;
                case "eventual":
                    return ReadConsistency.EVENTUAL;
                default:
                    throw new TypeConversionException("'" + value + "' is not a level; use strong or eventual");
            }
        }
    }
}
