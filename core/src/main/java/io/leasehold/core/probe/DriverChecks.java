package io.leasehold.core.probe;

import io.leasehold.core.Capabilities;
import io.leasehold.core.Capability;
import io.leasehold.core.probe.ProbeFinding.Verdict;
import io.leasehold.spi.ProbePlugin;
import io.leasehold.spi.StoreDriver;
import java.util.EnumSet;
import java.util.Set;

/**
 * What the portable probe makes of its evidence about a driver: the capabilities it measured, held
 * against what the driver declares; the driver's own name is the matching profile when every probed
 * capability it declares was measured. Through a driver, a read condition counts only if its
 * wildcard works too (the driver offers {@code *} under the same capability).
 *
 * <p>Thread-safety: one instance serves one run.
 */
final class DriverChecks implements ProbePlugin {
    /** Every capability the portable checks can give evidence for; the others are not their business. */
    static final Set<Capability> PROBED = EnumSet.of(Capability.PUT_IF_ABSENT, Capability.PUT_IF_MATCH,
            Capability.PUT_IF_PRESENT, Capability.PUT_IF_MODIFIED_SINCE, Capability.PUT_IF_UNMODIFIED_SINCE,
            Capability.GET_IF_MATCH, Capability.GET_IF_NONE_MATCH, Capability.GET_IF_MODIFIED_SINCE,
            Capability.GET_IF_UNMODIFIED_SINCE, Capability.DELETE_IF_MATCH, Capability.STRONG_READS,
            Capability.VERSION_IDS, Capability.USER_METADATA, Capability.ETAG_CHANGES_ON_IDENTICAL_REWRITE);

    private final StoreDriver driver;

    DriverChecks(StoreDriver driver) {
        this.driver = driver;
    }

    @Override
    public void finish(ProbeRun run) {
        Set<Capability> measured = EnumSet.noneOf(Capability.class);
        measured.addAll(run.measured());
        if (run.verdict(ProbeEngine.GET_IF_MATCH_ANY).orElse(null) != Verdict.HONOURED) {
            measured.remove(Capability.GET_IF_MATCH);
        }
        if (run.verdict(ProbeEngine.GET_IF_NONE_MATCH_ANY).orElse(null) != Verdict.HONOURED) {
            measured.remove(Capability.GET_IF_NONE_MATCH);
        }
        Set<Capability> missing = EnumSet.noneOf(Capability.class);
        missing.addAll(driver.capabilities().asSet());
        missing.retainAll(PROBED);
        missing.removeAll(measured);
        run.add("declared capabilities", missing.isEmpty() ? Verdict.HONOURED : Verdict.INCONCLUSIVE, missing.isEmpty()
                ? "every probed capability the driver declares was measured"
                : "declared without evidence: " + missing);
        run.matchingProfile(missing.isEmpty() ? driver.name() : null);
        run.capabilities(Capabilities.of(measured));
    }
}
