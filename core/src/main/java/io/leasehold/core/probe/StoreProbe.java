package io.leasehold.core.probe;

import io.leasehold.core.ObjectStore;
import io.leasehold.spi.StoreDriver;
import java.util.Objects;

/**
 * Measures what a store endpoint really does with conditional requests, instead of trusting a
 * profile: in a scratch prefix, with a bounded number of requests, and deleting what it wrote.
 *
 * <p>A header accepted is not a condition enforced: some S3-compatible servers ignore conditional
 * headers, evaluate them check-then-act, or ignore them on some operations. The probe writes, races
 * and reads back, and reports per check whether the condition was honoured, ignored or refused,
 * whether concurrent conditional writers had exactly one winner, whether bytes come back as written,
 * how ETags and metadata names behave, and the status codes used. {@link ProbeReport#capabilities()}
 * holds only what the evidence supports; {@link ProbeReport#readModifyWriteSafe()} says whether
 * {@link ObjectStore#update} can be trusted there.
 *
 * <pre>{@code
 * try (ObjectStore store = ObjectStore.open("s3://bucket?endpoint=http://127.0.0.1:7480")) {
 *     ProbeReport report = StoreProbe.run(store);
 *     System.out.print(report.toTable());
 * }
 * }</pre>
 *
 * <h2>How each driver probes</h2>
 * One engine ({@link ProbeEngine}) runs every probe over a small wire (put, get, head and delete
 * with raw conditions). The driver decides which wire ({@link StoreDriver#probe(ProbeOptions)},
 * null for the portable one): the S3 driver sends its own raw requests, including header forms its
 * profile would refuse, adds the checks only S3 has and derives an S3 profile from the answers; the
 * other drivers are probed through the portable API ({@link #portable}), which measures the driver
 * and its store together (requests counted as driver calls).
 *
 * <h2>Cost</h2>
 * At most {@link ProbeOptions#requestBudget()} requests (default and maximum 200), of which two
 * races of {@link ProbeOptions#racers()} concurrent writers over {@link ProbeOptions#rounds()}
 * rounds take the largest share. A check that no longer fits the budget is reported as skipped and
 * its capability is not declared. Run it once per endpoint, not per operation.
 *
 * <p>Thread-safety: stateless; each call runs an independent probe.
 */
public final class StoreProbe {
    private StoreProbe() {
    }

    /**
     * Probes the store's endpoint with the default options.
     *
     * @param store the store; it stays open
     * @return the report
     * @throws io.leasehold.core.ObjectStoreException if the endpoint cannot be reached at all (e.g. access denied on
     *     the first write); failures of single checks are findings, not exceptions
     */
    public static ProbeReport run(ObjectStore store) {
        return run(store, ProbeOptions.defaults());
    }

    /**
     * Probes the store's endpoint.
     *
     * @param store the store; it stays open
     * @param options scratch prefix, racers, rounds and request budget
     * @return the report
     * @throws io.leasehold.core.ObjectStoreException if the endpoint cannot be reached at all
     */
    public static ProbeReport run(ObjectStore store, ProbeOptions options) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(options, "options");
        StoreDriver driver = store.unwrap(StoreDriver.class).orElseThrow();
        ProbeReport wire = driver.probe(options);
        return wire != null ? wire : portable(driver, options);
    }

    /**
     * The portable probe through a driver: what {@link StoreDriver#probe(ProbeOptions)} does unless a
     * driver measures its store at the wire itself. Options the driver does not declare are refused
     * before sending and reported {@link ProbeFinding.Verdict#UNSUPPORTED}; the report's matching
     * profile is the driver's name when every probed capability it declares was measured.
     *
     * @param driver the driver; it stays open
     * @param options scratch prefix, racers, rounds and request budget
     * @return the report
     */
    public static ProbeReport portable(StoreDriver driver, ProbeOptions options) {
        ProbeEngine engine = new ProbeEngine(Objects.requireNonNull(options, "options"));
        return engine.run(new DriverWire(Objects.requireNonNull(driver, "driver"), engine.budget()), new DriverChecks(driver));
    }
}
