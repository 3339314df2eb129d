package io.leasehold.core.probe;

import java.util.Objects;

/**
 * One measured fact of an endpoint probe: which check, what the store did, and the evidence (status
 * codes, counts) in a short detail text.
 *
 * <p>Thread-safety: immutable.
 */
public final class ProbeFinding {
    /** What the store did in a check. */
    public enum Verdict {
        /** The condition was evaluated as RFC 9110 and S3 specify: applied when true, refused when false. */
        HONOURED,
        /** The condition was accepted but not enforced: the operation was applied although it was false. */
        IGNORED,
        /** The request form was refused, or failed even when the condition held (e.g. always 412). */
        REFUSED,
        /** Concurrent conditional writers: exactly one succeeded in every round. */
        ATOMIC,
        /** Concurrent conditional writers: more than one was told it succeeded in some round. */
        NOT_ATOMIC,
        /** The evidence proves neither (e.g. no writer succeeded); treated as not atomic. */
        INCONCLUSIVE,
        /** The bytes read back are the bytes written. */
        INTACT,
        /** The bytes read back differ from the bytes written, or the write was rejected. */
        ALTERED,
        /** Rewriting identical bytes gave a new ETag. */
        CHANGES,
        /** Rewriting identical bytes kept the ETag (content-hash ETags). */
        UNCHANGED,
        /** Metadata came back with the name it was written with. */
        PRESERVED,
        /** Metadata came back under a different name. */
        MANGLED,
        /** Metadata did not come back at all. */
        LOST,
        /** A fact observed without a verdict (a status code, version ids present or not). */
        OBSERVED,
        /** The driver does not offer this (nothing was sent). */
        UNSUPPORTED,
        /** Not measured: a prerequisite failed or the request budget was spent. */
        SKIPPED
    }

    private final String check;
    private final Verdict verdict;
    private final String detail;

    private ProbeFinding(String check, Verdict verdict, String detail) {
        this.check = Objects.requireNonNull(check, "check");
        this.verdict = Objects.requireNonNull(verdict, "verdict");
        this.detail = detail == null ? "" : detail;
    }

    /**
     * A finding.
     *
     * @param check what was checked, e.g. {@code create-if-absent (If-None-Match: *)}
     * @param verdict what the store did
     * @param detail the evidence, e.g. {@code second create: 412}; may be empty
     * @return the finding
     */
    public static ProbeFinding of(String check, Verdict verdict, String detail) {
        return new ProbeFinding(check, verdict, detail);
    }

    /**
     * What was checked.
     *
     * @return the check's name
     */
    public String check() {
        return check;
    }

    /**
     * What the store did.
     *
     * @return the verdict
     */
    public Verdict verdict() {
        return verdict;
    }

    /**
     * The evidence: status codes, counts.
     *
     * @return the detail, possibly empty
     */
    public String detail() {
        return detail;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ProbeFinding)) {
            return false;
        }
        ProbeFinding f = (ProbeFinding) o;
        return check.equals(f.check) && verdict == f.verdict && detail.equals(f.detail);
    }

    @Override
    public int hashCode() {
        return Objects.hash(check, verdict, detail);
    }

    @Override
    public String toString() {
        return check + ": " + verdict + (detail.isEmpty() ? "" : " (" + detail + ")");
    }
}
