package io.leasehold.spi;

import io.leasehold.core.probe.ProbeRun;
import java.util.Optional;

/**
 * What a driver adds to the endpoint probe ({@link io.leasehold.core.probe.ProbeEngine}): checks only its protocol has,
 * what its driver does with the answers, and how the evidence becomes capabilities and a matching
 * profile. The engine runs the portable checks, the races and the cleanup; it calls the plug-in at
 * fixed points, in this order: {@link #bytesIntact} (once, if a transfer setting kept the bytes),
 * {@link #storedMetadataName} (from the metadata check), {@link #extraChecks} (after the portable
 * checks, within the request budget) and {@link #finish} (after the cleanup).
 *
 * <p>Thread-safety: one instance serves one probe run, on the thread that runs it.
 */
public interface ProbePlugin {
    /**
     * Called once when bytes came back as written with a transfer setting.
     *
     * @param run the probe run
     * @param content the bytes written
     * @param put the answer to their put (its ETag, e.g.)
     */
    default void bytesIntact(ProbeRun run, byte[] content, ProbeWire.Answer put) {
    }

    /**
     * The name under which the store keeps a user metadata name that its driver maps back when
     * reading (S3 servers that turn {@code _} into {@code -}, e.g.).
     *
     * @param written the name written, e.g. {@code probe_meta_name}
     * @return the stored name, or empty (the default) if the driver maps no name back
     */
    default Optional<String> storedMetadataName(String written) {
        return Optional.empty();
    }

    /**
     * Runs the checks only this protocol has (through {@code run}, so requests are counted and keys
     * cleaned up). A spent budget ends them like any other group of checks.
     *
     * @param run the probe run
     */
    default void extraChecks(ProbeRun run) {
    }

    /**
     * Turns the evidence into the report's capabilities and matching profile, and may add findings.
     * Until it sets them, the capabilities are those the portable checks measured and no profile
     * matches.
     *
     * @param run the probe run
     */
    default void finish(ProbeRun run) {
    }
}
