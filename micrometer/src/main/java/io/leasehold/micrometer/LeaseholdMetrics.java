package io.leasehold.micrometer;

import io.leasehold.core.ErrorCode;
import io.leasehold.core.lease.Lease;
import io.leasehold.core.ObjectStoreException;
import io.leasehold.core.StoreObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * Records what an {@link io.leasehold.core.ObjectStore} does as Micrometer meters, and its operations
 * as Micrometer {@link Observation}s when an {@link ObservationRegistry} is given (so a tracing bridge
 * such as OpenTelemetry gets one span per operation):
 *
 * <pre>{@code
 * ObjectStore store = ObjectStore.builder()
 *         .uri("azure://orders")
 *         .observer(LeaseholdMetrics.builder(meterRegistry).observationRegistry(observationRegistry).build())
 *         .build();
 * }</pre>
 *
 * <h2>Meters</h2>
 * Every meter has the tag {@code driver} (e.g. {@code s3}) plus the {@link Builder#tags extra tags}.
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>Name</th><th>Type</th><th>Tags</th><th>What</th></tr>
 *   <tr><td>{@value #OPERATION}</td><td>timer (or observation)</td><td>operation, outcome</td>
 *       <td>each put/get/head/delete/update and lease operation; outcome {@code OK} or the
 *       {@link ErrorCode} name</td></tr>
 *   <tr><td>{@value #ATTEMPTS}</td><td>distribution summary</td><td>operation, outcome</td>
 *       <td>attempts per operation (for {@code update}: read-modify-write attempts)</td></tr>
 *   <tr><td>{@value #RETRIES}</td><td>counter</td><td>operation, cause</td>
 *       <td>re-sends by the retry layer</td></tr>
 *   <tr><td>{@value #SETTLEMENTS}</td><td>counter</td><td>operation, verdict</td>
 *       <td>writes whose outcome was unknown, by how reading back settled them</td></tr>
 *   <tr><td>{@value #CONFLICTS}</td><td>counter</td><td>cause</td>
 *       <td>update attempts that lost a race or failed and re-read</td></tr>
 *   <tr><td>{@value #RENEWALS}</td><td>counter</td><td></td><td>keeper renewals</td></tr>
 *   <tr><td>{@value #RENEWAL_FAILURES}</td><td>counter</td><td>kind (transient, definitive), cause</td>
 *       <td>keeper renewal failures</td></tr>
 *   <tr><td>{@value #LOSSES}</td><td>counter</td><td>cause</td><td>leases a keeper lost</td></tr>
 *   <tr><td>{@value #TIME_LEFT}</td><td>distribution summary, seconds</td><td>event (renewal, release)</td>
 *       <td>how long a finite lease had left when it was renewed or released</td></tr>
 * </table>
 * Keys never become tags (unbounded cardinality); with {@link Builder#keyInObservations(boolean)} they
 * are added to observations as a high-cardinality value (spans only, not metrics).
 *
 * <h2>Cost</h2>
 * Meters are created once per tag combination and cached; recording an operation costs one timer
 * sample and one summary update (or one observation).
 *
 * <p>Thread-safety: safe for concurrent use; share one instance per store (or per set of stores with
 * the same extra tags).
 */
public final class LeaseholdMetrics implements StoreObserver {
    /** Timer and observation name of every operation. */
    public static final String OPERATION = "leasehold.operation";
    /** Attempts per operation. */
    public static final String ATTEMPTS = "leasehold.operation.attempts";
    /** Re-sends by the retry layer. */
    public static final String RETRIES = "leasehold.retries";
    /** Settlements of writes whose outcome was unknown. */
    public static final String SETTLEMENTS = "leasehold.settlements";
    /** Update conflicts. */
    public static final String CONFLICTS = "leasehold.update.conflicts";
    /** Keeper renewals. */
    public static final String RENEWALS = "leasehold.lease.renewals";
    /** Keeper renewal failures. */
    public static final String RENEWAL_FAILURES = "leasehold.lease.renewal.failures";
    /** Leases lost by keepers. */
    public static final String LOSSES = "leasehold.lease.losses";
    /** Time left on a lease at renewal or release. */
    public static final String TIME_LEFT = "leasehold.lease.time.left";

    private static final String OK = "OK";

    private final MeterRegistry registry;
    private final ObservationRegistry observations;
    private final Tags extraTags;
    private final boolean keyInObservations;
    private final ConcurrentMap<String, Timer> timers = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, DistributionSummary> attempts = new ConcurrentHashMap<>();

    private LeaseholdMetrics(Builder b) {
        this.registry = b.registry;
        this.observations = b.observations;
        this.extraTags = b.tags;
        this.keyInObservations = b.keyInObservations;
    }

    /**
     * Starts a builder.
     *
     * @param registry where meters go
     * @return the builder
     */
    public static Builder builder(MeterRegistry registry) {
        return new Builder(Objects.requireNonNull(registry, "registry"));
    }

    // ---------------------------------------------------------------- operations

    @Override
    public Scope operationStarted(String driver, Operation operation, String key) {
        if (observations != null && !observations.isNoop()) {
            return observed(driver, operation, key);
        }
        long start = registry.config().clock().monotonicTime();
        return (outcome, attemptCount, failure) -> {
            String result = outcome == null ? OK : outcome.name();
            timer(driver, operation, result).record(registry.config().clock().monotonicTime() - start,
                    TimeUnit.NANOSECONDS);
            attemptSummary(driver, operation, result).record(attemptCount);
        };
    }

    private Scope observed(String driver, Operation operation, String key) {
        Observation observation = Observation.createNotStarted(OPERATION, observations)
                .contextualName("leasehold " + operation.tagValue())
                .lowCardinalityKeyValue("driver", driver)
                .lowCardinalityKeyValue("operation", operation.tagValue());
        for (Tag tag : extraTags) {
            observation.lowCardinalityKeyValue(tag.getKey(), tag.getValue());
        }
        if (keyInObservations && key != null) {
            observation.highCardinalityKeyValue("key", key);
        }
        observation.start();
        Observation.Scope opened = observation.openScope();
        return (outcome, attemptCount, failure) -> {
            String result = outcome == null ? OK : outcome.name();
            observation.lowCardinalityKeyValue("outcome", result);
            observation.highCardinalityKeyValue("attempts", Integer.toString(attemptCount));
            if (failure != null) {
                observation.error(failure);
            }
            opened.close();
            observation.stop();
            attemptSummary(driver, operation, result).record(attemptCount);
        };
    }

    private Timer timer(String driver, Operation operation, String outcome) {
        return timers.computeIfAbsent(driver + '/' + operation.tagValue() + '/' + outcome,
                k -> Timer.builder(OPERATION)
                        .description("Leasehold operations, from call to result, retries included")
                        .tags(extraTags).tag("driver", driver).tag("operation", operation.tagValue())
                        .tag("outcome", outcome)
                        .register(registry));
    }

    private DistributionSummary attemptSummary(String driver, Operation operation, String outcome) {
        return attempts.computeIfAbsent(driver + '/' + operation.tagValue() + '/' + outcome,
                k -> DistributionSummary.builder(ATTEMPTS)
                        .description("Attempts per operation (read-modify-write attempts for update)")
                        .tags(extraTags).tag("driver", driver).tag("operation", operation.tagValue())
                        .tag("outcome", outcome)
                        .register(registry));
    }

    // ---------------------------------------------------------------- failure paths

    @Override
    public void retryScheduled(String driver, Operation operation, String key, ObjectStoreException cause,
                               int attempt, Duration wait) {
        counter(RETRIES, "Re-sends by the retry layer", driver, "operation",
                operation == null ? "unknown" : operation.tagValue(), "cause", cause.code().name()).increment();
        if (observations != null) {
            Observation current = observations.getCurrentObservation();
            if (current != null) {
                current.event(Observation.Event.of("leasehold.retry", "retry after " + cause.code()));
            }
        }
    }

    @Override
    public void writeSettled(String driver, Operation operation, String key, Verdict verdict) {
        counter(SETTLEMENTS, "Writes whose outcome was unknown, by how reading back settled them", driver,
                "operation", operation.tagValue(), "verdict", verdict.name()).increment();
    }

    @Override
    public void updateConflict(String driver, String key, int attempt, ObjectStoreException cause) {
        counter(CONFLICTS, "Update attempts that lost a race or failed and re-read", driver,
                "cause", cause.code().name()).increment();
    }

    // ---------------------------------------------------------------- leases

    @Override
    public void leaseRenewed(String driver, Lease lease, Duration timeLeft) {
        counter(RENEWALS, "Lease renewals by keepers", driver).increment();
        if (timeLeft != null) {
            timeLeft(driver, "renewal").record(seconds(timeLeft));
        }
    }

    @Override
    public void leaseRenewalFailed(String driver, Lease lease, ObjectStoreException cause, boolean definitive,
                                   Duration safeTimeLeft) {
        counter(RENEWAL_FAILURES, "Lease renewal failures of keepers", driver,
                "kind", definitive ? "definitive" : "transient", "cause", cause.code().name()).increment();
    }

    @Override
    public void leaseLost(String driver, Lease lease, ObjectStoreException cause) {
        counter(LOSSES, "Leases lost by keepers", driver, "cause", cause.code().name()).increment();
    }

    @Override
    public void leaseReleased(String driver, Lease lease, Duration timeLeft) {
        if (timeLeft != null) {
            timeLeft(driver, "release").record(seconds(timeLeft));
        }
    }

    private DistributionSummary timeLeft(String driver, String event) {
        return DistributionSummary.builder(TIME_LEFT)
                .description("Time a finite lease had left when renewed or released")
                .baseUnit("seconds")
                .tags(extraTags).tag("driver", driver).tag("event", event)
                .register(registry);
    }

    private Counter counter(String name, String description, String driver, String... tagPairs) {
        return Counter.builder(name).description(description).tags(extraTags).tag("driver", driver)
                .tags(tagPairs).register(registry);
    }

    private static double seconds(Duration d) {
        return Math.max(0, d.toNanos()) / 1e9;
    }

    @Override
    public String toString() {
        return "LeaseholdMetrics{" + registry.getClass().getSimpleName().toLowerCase(Locale.ROOT)
                + (observations == null ? "" : ", observations") + "}";
    }

    /**
     * Configures {@link LeaseholdMetrics}.
     *
     * <p>Thread-safety: not thread-safe; build on one thread.
     */
    public static final class Builder {
        private final MeterRegistry registry;
        private ObservationRegistry observations;
        private Tags tags = Tags.empty();
        private boolean keyInObservations;

        private Builder(MeterRegistry registry) {
            this.registry = registry;
        }

        /**
         * Records operations as observations in this registry instead of as plain timers; its meter
         * handler (Spring Boot installs one) then produces the {@value #OPERATION} timer, and a
         * tracing handler one span per operation. A no-op registry is ignored.
         *
         * @param observations the observation registry, or null for plain timers
         * @return this builder
         */
        public Builder observationRegistry(ObservationRegistry observations) {
            this.observations = observations;
            return this;
        }

        /**
         * Tags added to every meter, e.g. {@code store=orders} to tell two stores of one driver apart.
         * Keep them few and bounded.
         *
         * @param tags the tags
         * @return this builder
         */
        public Builder tags(Iterable<Tag> tags) {
            this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
            return this;
        }

        /**
         * Adds the key to observations as a high-cardinality value (it reaches trace spans, never
         * metric tags). Off by default: keys may be personal data.
         *
         * @param enabled whether to add the key
         * @return this builder
         */
        public Builder keyInObservations(boolean enabled) {
            this.keyInObservations = enabled;
            return this;
        }

        /**
         * Builds the observer.
         *
         * @return the observer, for {@link io.leasehold.core.ObjectStore.Builder#observer}
         */
        public LeaseholdMetrics build() {
            return new LeaseholdMetrics(this);
        }
    }
}
