package io.leasehold.core;

import java.util.Objects;
import java.util.Optional;

/**
 * How a put relates to what is already stored.
 *
 * <ul>
 *   <li>{@link #overwrite()}: unconditional, last writer wins.</li>
 *   <li>{@link #create()}: only if the key is absent, else {@link ObjectAlreadyExistsException}.</li>
 *   <li>{@link #replace()}: only if the key exists, else {@link PreconditionFailedException}.</li>
 *   <li>{@link #update(ObjectVersion)}: only if the current ETag equals the given one (compare-and-swap),
 *       else {@link PreconditionFailedException} (also when the key is missing).</li>
 * </ul>
 *
 * <p>Thread-safety: immutable.
 */
public final class PutMode {
    /** The kinds of put. */
    public enum Kind {
        /** Unconditional write. */
        OVERWRITE,
        /** Create only if absent (If-None-Match: *). */
        CREATE,
        /** Replace only if present. */
        REPLACE,
        /** Compare-and-swap on the ETag (If-Match). */
        UPDATE
    }

    private static final PutMode OVERWRITE = new PutMode(Kind.OVERWRITE, null);
    private static final PutMode CREATE = new PutMode(Kind.CREATE, null);
    private static final PutMode REPLACE = new PutMode(Kind.REPLACE, null);

    private final Kind kind;
    private final ObjectVersion expected;

    private PutMode(Kind kind, ObjectVersion expected) {
        this.kind = kind;
        this.expected = expected;
    }

    /**
     * Unconditional write.
     *
     * @return the mode
     */
    public static PutMode overwrite() {
        return OVERWRITE;
    }

    /**
     * Create only if the key is absent.
     *
     * @return the mode
     */
    public static PutMode create() {
        return CREATE;
    }

    /**
     * Replace only if the key exists.
     *
     * @return the mode
     */
    public static PutMode replace() {
        return REPLACE;
    }

    /**
     * Write only if the current version's ETag equals {@code expected}'s.
     *
     * @param expected the version read earlier
     * @return the mode
     * @throws InvalidArgumentException if expected is null
     */
    public static PutMode update(ObjectVersion expected) {
        if (expected == null) {
            throw new InvalidArgumentException("mode", "update needs the expected version");
        }
        return new PutMode(Kind.UPDATE, expected);
    }

    /**
     * The kind of put.
     *
     * @return never null
     */
    public Kind kind() {
        return kind;
    }

    /**
     * The expected version for {@link Kind#UPDATE}.
     *
     * @return the version, empty for other kinds
     */
    public Optional<ObjectVersion> expected() {
        return Optional.ofNullable(expected);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PutMode && ((PutMode) o).kind == kind && Objects.equals(((PutMode) o).expected, expected);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, expected);
    }

    @Override
    public String toString() {
        return expected == null ? kind.toString() : kind + "(" + expected + ")";
    }
}
