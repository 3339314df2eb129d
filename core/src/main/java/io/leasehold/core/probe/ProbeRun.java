package io.leasehold.core.probe;

import io.leasehold.core.Capabilities;
import io.leasehold.core.Capability;
import io.leasehold.core.probe.ProbeFinding.Verdict;
import io.leasehold.spi.ProbeWire.Answer;
import io.leasehold.spi.ProbeWire.Conditions;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One probe run as a {@link io.leasehold.spi.ProbePlugin} sees it: requests through the run (counted, their keys
 * cleaned up afterwards), the findings so far, the measured capabilities and the facts the portable
 * checks established.
 *
 * <p>Thread-safety: requests may be sent concurrently; everything else belongs to the thread that
 * runs the probe.
 */
public interface ProbeRun {
    /**
     * The options of this run.
     *
     * @return the options
     */
    ProbeOptions options();

    /**
     * A scratch key of this run.
     *
     * @param name a short name, e.g. {@code multipart}
     * @return the key under this run's scratch folder
     */
    String key(String name);

    /**
     * Puts through the wire; the key is deleted at the end.
     *
     * @param key a scratch key
     * @param content the bytes
     * @param conditions the conditions
     * @return the answer
     */
    Answer put(String key, byte[] content, Conditions conditions);

    /**
     * Gets through the wire.
     *
     * @param key the key
     * @param conditions the conditions
     * @return the answer
     */
    Answer get(String key, Conditions conditions);

    /**
     * Heads through the wire.
     *
     * @param key the key
     * @param conditions the conditions
     * @return the answer
     */
    Answer head(String key, Conditions conditions);

    /**
     * Deletes through the wire.
     *
     * @param key the key
     * @param conditions the conditions
     * @return the answer
     */
    Answer delete(String key, Conditions conditions);

    /**
     * Reads an object as UTF-8 text.
     *
     * @param key the key
     * @return the text, or null if the read did not answer 200
     */
    @Nullable String currentText(String key);

    /**
     * An ETag in the If-Match form this store honours (quoted or bare), quoted if none is.
     *
     * @param etag the opaque value, without quotes
     * @return the header value
     */
    String ifMatch(String etag);

    /**
     * Whether the store honoured quoted If-Match ETags.
     *
     * @return true for quoted, false for bare, empty if it honoured neither
     */
    Optional<Boolean> ifMatchQuoted();

    /**
     * Runs the replace-if-present check with one condition form: refused on a missing key, applied
     * on a present one.
     *
     * @param check the finding's name
     * @param condition the condition that should mean "only if present"
     * @return true if honoured
     */
    boolean replaceIfPresent(String check, Conditions condition);

    /**
     * Adds a finding.
     *
     * @param check what was checked
     * @param verdict what the store did
     * @param detail the evidence
     */
    void add(String check, Verdict verdict, String detail);

    /**
     * The verdict of a check so far.
     *
     * @param check the check's name
     * @return the verdict, or empty if not (yet) measured
     */
    Optional<Verdict> verdict(String check);

    /**
     * Records a status code worth showing (e.g. how a lost create was answered).
     *
     * @param what what was answered
     * @param status the status, as text
     */
    void status(String what, String status);

    /**
     * The status codes recorded, in order.
     *
     * @return an unmodifiable copy
     */
    Map<String, String> statuses();

    /**
     * Adds a capability the evidence supports.
     *
     * @param capability the capability
     */
    void measured(Capability capability);

    /**
     * The capabilities the evidence supports so far.
     *
     * @return an unmodifiable copy
     */
    Set<Capability> measured();

    /**
     * Whether any put returned a version id (a versioned bucket, e.g.).
     *
     * @return true if version ids were seen
     */
    boolean versionIdsSeen();

    /**
     * The error code learned as this store's answer to a lost If-Match race, by the rule of
     * {@link ProbeEngine}: the same non-generic 5xx code from losers in at least
     * {@value ProbeEngine#LOST_RACE_MIN_ROUNDS} rounds that each proved no loser landed, and no
     * versions seen.
     *
     * @return the code, or empty
     */
    Optional<String> lostRaceCode();

    /**
     * Adopts a lost-race code from another source (a matching built-in profile) when the race did
     * not give enough samples. Refused (empty) when the code is generic, versions were seen, or any
     * 5xx answer of the race contradicts it.
     *
     * @param code the proposed code
     * @param source where it comes from, for the report, e.g. {@code the matching profile ceph-rgw}
     * @return the code now in force, or empty
     */
    Optional<String> adoptLostRaceCode(String code, String source);

    /**
     * Sets the report's capabilities.
     *
     * @param capabilities what the evidence supports
     */
    void capabilities(Capabilities capabilities);

    /**
     * Sets the report's matching profile.
     *
     * @param name the profile's name, or null for none
     */
    void matchingProfile(@Nullable String name);
}
