package io.leasehold.core.probe;

import io.leasehold.core.Capabilities;
import io.leasehold.core.Capability;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * What an endpoint probe ({@link StoreProbe}) measured: the findings, the capabilities the evidence
 * supports (only those; a capability that was not measured, or whose check failed, is absent), the
 * built-in profile whose facts match the evidence, if any, and the number of requests sent.
 *
 * <p>Read-modify-write ({@link io.leasehold.core.ObjectStore#update}) is safe exactly when the evidence supports both
 * create-if-absent and If-Match puts: each honoured, atomic under concurrent writers, with the
 * bytes read back equal to the bytes written.
 *
 * <p>Thread-safety: immutable.
 */
public final class ProbeReport {
    private final String target;
    private final List<ProbeFinding> findings;
    private final Capabilities capabilities;
    private final String matchingProfile;
    private final int requests;

    private ProbeReport(Builder b) {
        this.target = b.target;
        this.findings = Collections.unmodifiableList(new ArrayList<>(b.findings));
        this.capabilities = b.capabilities;
        this.matchingProfile = b.matchingProfile;
        this.requests = b.requests;
    }

    /**
     * A builder, for drivers that probe their store themselves.
     *
     * @param target what was probed, printable (no credentials), e.g. {@code s3 bucket b at http://127.0.0.1:7480}
     * @return the builder
     */
    public static Builder builder(String target) {
        return new Builder(target);
    }

    /**
     * What was probed.
     *
     * @return a printable description without credentials
     */
    public String target() {
        return target;
    }

    /**
     * The findings, in the order they were measured.
     *
     * @return an unmodifiable list
     */
    public List<ProbeFinding> findings() {
        return findings;
    }

    /**
     * The finding of one check.
     *
     * @param check the check's name, as in {@link ProbeFinding#check()}
     * @return the finding, or empty if that check was not part of this probe
     */
    public Optional<ProbeFinding> finding(String check) {
        return findings.stream().filter(f -> f.check().equals(check)).findFirst();
    }

    /**
     * The capabilities the evidence supports; nothing that was not measured.
     *
     * @return the capabilities
     */
    public Capabilities capabilities() {
        return capabilities;
    }

    /**
     * The built-in profile (or, for a driver without profiles, the driver's own declaration) whose
     * facts match the evidence.
     *
     * @return the profile's name, e.g. {@code ceph-rgw}, or empty if none matches
     */
    public Optional<String> matchingProfile() {
        return Optional.ofNullable(matchingProfile);
    }

    /**
     * Whether read-modify-write is safe on this endpoint: create-if-absent and If-Match puts are
     * both honoured and atomic, and bytes come back as written.
     *
     * @return true if {@link Capability#PUT_IF_ABSENT} and {@link Capability#PUT_IF_MATCH} are supported
     */
    public boolean readModifyWriteSafe() {
        return capabilities.supports(Capability.PUT_IF_ABSENT) && capabilities.supports(Capability.PUT_IF_MATCH);
    }

    /**
     * How many requests the probe sent, cleanup included (for probes through a driver: driver calls).
     *
     * @return the count
     */
    public int requests() {
        return requests;
    }

    /**
     * The report as a text table: one line per finding, then capabilities, matching profile and the
     * read-modify-write verdict.
     *
     * @return the table, lines separated by {@code \n}
     */
    public String toTable() {
        int checkWidth = "check".length();
        int verdictWidth = "verdict".length();
        for (ProbeFinding f : findings) {
            checkWidth = Math.max(checkWidth, f.check().length());
            verdictWidth = Math.max(verdictWidth, f.verdict().name().length());
        }
        String format = "%-" + checkWidth + "s  %-" + verdictWidth + "s  %s";
        StringBuilder b = new StringBuilder();
        b.append("probe of ").append(target).append(" (").append(requests).append(" requests)\n");
        b.append(String.format(format, "check", "verdict", "detail").stripTrailing()).append('\n');
        for (ProbeFinding f : findings) {
            b.append(String.format(format, f.check(), f.verdict().name(), f.detail()).stripTrailing()).append('\n');
        }
        b.append("capabilities: ").append(capabilities.asSet().stream().map(Enum::name)
                .collect(Collectors.joining(", "))).append('\n');
        b.append("matching profile: ").append(matchingProfile == null ? "none" : matchingProfile).append('\n');
        b.append("read-modify-write: ").append(readModifyWriteSafe() ? "safe"
                : "UNSAFE (create-if-absent or If-Match is not honoured atomically)").append('\n');
        return b.toString();
    }

    @Override
    public String toString() {
        return "ProbeReport{" + target + ", " + findings.size() + " findings, capabilities=" + capabilities
                + ", matchingProfile=" + matchingProfile + ", requests=" + requests + "}";
    }

    /**
     * Builds a {@link ProbeReport}. Not thread-safe.
     */
    public static final class Builder {
        private final String target;
        private final List<ProbeFinding> findings = new ArrayList<>();
        private Capabilities capabilities = Capabilities.of();
        private String matchingProfile;
        private int requests;

        private Builder(String target) {
            this.target = Objects.requireNonNull(target, "target");
        }

        /**
         * Adds a finding.
         *
         * @param finding the finding
         * @return this builder
         */
        public Builder add(ProbeFinding finding) {
            findings.add(Objects.requireNonNull(finding, "finding"));
            return this;
        }

        /**
         * Adds a finding.
         *
         * @param check what was checked
         * @param verdict what the store did
         * @param detail the evidence
         * @return this builder
         */
        public Builder add(String check, ProbeFinding.Verdict verdict, String detail) {
            return add(ProbeFinding.of(check, verdict, detail));
        }

        /**
         * Sets the capabilities the evidence supports.
         *
         * @param capabilities the measured capabilities
         * @return this builder
         */
        public Builder capabilities(Capabilities capabilities) {
            this.capabilities = Objects.requireNonNull(capabilities, "capabilities");
            return this;
        }

        /**
         * Sets the matching profile's name.
         *
         * @param name the name, or null for none
         * @return this builder
         */
        public Builder matchingProfile(@Nullable String name) {
            this.matchingProfile = name;
            return this;
        }

        /**
         * Sets the number of requests sent.
         *
         * @param requests the count
         * @return this builder
         */
        public Builder requests(int requests) {
            this.requests = requests;
            return this;
        }

        /**
         * Builds the report.
         *
         * @return the immutable report
         */
        public ProbeReport build() {
            return new ProbeReport(this);
        }
    }
}
