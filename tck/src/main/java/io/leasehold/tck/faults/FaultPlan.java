package io.leasehold.tck.faults;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Decides, per request, which {@link Fault} {@link FaultProxy} applies: an ordered list of rules,
 * each limited to the requests a {@link RequestMatch} selects.
 *
 * <h2>Rules</h2>
 * <ul>
 *   <li>{@link Builder#random}: a seeded draw per matching request, with a probability per fault
 *       (the rest pass through to later rules).</li>
 *   <li>{@link Builder#everyNth}: the n-th, 2n-th, … matching request gets the fault.</li>
 *   <li>{@link Builder#oneShot} at build time, or {@link #enqueue} while running: the next matching
 *       request gets the fault, once. Queued faults are consulted before all other rules, in the
 *       order they were queued.</li>
 *   <li>{@link Builder#rule}: your own {@link Rule}.</li>
 * </ul>
 * The first rule with an opinion decides; a request no rule decides gets {@link Fault#none()}.
 * Rules only see requests that earlier rules left undecided (so "every 3rd" counts those).
 *
 * <pre>{@code
 * FaultPlan plan = FaultPlan.builder(42)
 *         .random(RequestMatch.objectWrites(),
 *                 FaultPlan.weighted(0.05, Fault.loseResponse()),
 *                 FaultPlan.weighted(0.05, Fault.errorAfterApply(500)))
 *         .everyNth(RequestMatch.reads(), 20, Fault.rejectBeforeApply(503))
 *         .build();
 * }</pre>
 *
 * <h2>Determinism</h2>
 * With one seed, the sequence of decisions is always the same; which request gets which decision
 * follows the order in which requests reach the plan, which is only fixed when they arrive one at a
 * time.
 *
 * <p>Thread-safety: safe for concurrent use; decisions are serialised.
 */
public final class FaultPlan {
    /** A rule of a plan. */
    @FunctionalInterface
    public interface Rule {
        /**
         * The fault for this request, or null to leave the decision to later rules. Called under the
         * plan's lock, one request at a time.
         *
         * @param request the request
         * @param random the plan's seeded random source
         * @return the fault, or null
         */
        Fault choose(WireRequest request, Random random);
    }

    /** A fault and the probability a {@link Builder#random} rule gives it. */
    public static final class Weighted {
        private final double probability;
        private final Fault fault;

        private Weighted(double probability, Fault fault) {
            if (!(probability >= 0 && probability <= 1)) {
                throw new IllegalArgumentException("probability must be in [0, 1]: " + probability);
            }
            this.probability = probability;
            this.fault = Objects.requireNonNull(fault, "fault");
        }

        /**
         * The probability.
         *
         * @return in [0, 1]
         */
        public double probability() {
            return probability;
        }

        /**
         * The fault.
         *
         * @return never null
         */
        public Fault fault() {
            return fault;
        }

        @Override
        public String toString() {
            return fault + "@" + probability;
        }
    }

    private static final FaultPlan NONE = builder(0).build();

    private final List<Rule> rules;
    private final Random random;
    private final Deque<Queued> queue = new ArrayDeque<>();
    private final AtomicLong decided = new AtomicLong();
    private final AtomicLong faulted = new AtomicLong();

    private FaultPlan(Builder b) {
        List<Rule> made = new ArrayList<>();
        for (Supplier<Rule> factory : b.rules) {
            made.add(factory.get());
        }
        this.rules = Collections.unmodifiableList(made);
        this.random = new Random(b.seed);
        this.queue.addAll(b.oneShots);
    }

    /**
     * A plan that never injects anything.
     *
     * @return a shared plan
     */
    public static FaultPlan none() {
        return NONE;
    }

    /**
     * A new builder.
     *
     * @param seed the seed of the plan's random source
     * @return the builder
     */
    public static Builder builder(long seed) {
        return new Builder(seed);
    }

    /**
     * A fault with a probability, for {@link Builder#random}.
     *
     * @param probability in [0, 1]
     * @param fault the fault
     * @return the pair
     */
    public static Weighted weighted(double probability, Fault fault) {
        return new Weighted(probability, fault);
    }

    /**
     * Decides the fault for a request.
     *
     * @param request the request
     * @return the fault; {@link Fault#none()} when no rule has an opinion
     */
    public Fault decide(WireRequest request) {
        Fault fault = decideLocked(request);
        decided.incrementAndGet();
        if (fault.isFault()) {
            faulted.incrementAndGet();
        }
        return fault;
    }

    private synchronized Fault decideLocked(WireRequest request) {
        for (Iterator<Queued> it = queue.iterator(); it.hasNext(); ) {
            Queued q = it.next();
            if (q.match.test(request)) {
                it.remove();
                return q.fault;
            }
        }
        for (Rule rule : rules) {
            Fault f = rule.choose(request, random);
            if (f != null) {
                return f;
            }
        }
        return Fault.none();
    }

    /**
     * Gives the next request that {@code match} selects this fault, once (before all rules).
     *
     * @param match which request
     * @param fault the fault
     */
    public synchronized void enqueue(RequestMatch match, Fault fault) {
        queue.add(new Queued(Objects.requireNonNull(match, "match"), Objects.requireNonNull(fault, "fault")));
    }

    /**
     * How many queued one-shot faults are still waiting for their request.
     *
     * @return the count
     */
    public synchronized int pending() {
        return queue.size();
    }

    /**
     * Requests decided so far.
     *
     * @return the count
     */
    public long decisions() {
        return decided.get();
    }

    /**
     * Decisions that were a fault or a delay.
     *
     * @return the count
     */
    public long faults() {
        return faulted.get();
    }

    private static final class Queued {
        final RequestMatch match;
        final Fault fault;

        Queued(RequestMatch match, Fault fault) {
            this.match = match;
            this.fault = fault;
        }
    }

    /**
     * Builds a {@link FaultPlan}. Not thread-safe.
     */
    public static final class Builder {
        private final long seed;
        /** Factories, so that every plan built gets rules with fresh state (counters). */
        private final List<Supplier<Rule>> rules = new ArrayList<>();
        private final List<Queued> oneShots = new ArrayList<>();

        private Builder(long seed) {
            this.seed = seed;
        }

        /**
         * Adds a custom rule (the same instance in every plan this builder builds).
         *
         * @param rule the rule
         * @return this builder
         */
        public Builder rule(Rule rule) {
            Objects.requireNonNull(rule, "rule");
            rules.add(() -> rule);
            return this;
        }

        /**
         * Every request {@code match} selects gets this fault.
         *
         * @param match which requests
         * @param fault the fault
         * @return this builder
         */
        public Builder always(RequestMatch match, Fault fault) {
            Objects.requireNonNull(match, "match");
            Objects.requireNonNull(fault, "fault");
            return rule((r, random) -> match.test(r) ? fault : null);
        }

        /**
         * One seeded draw per matching request: fault i with probability p_i, else no opinion.
         *
         * @param match which requests
         * @param choices the faults and their probabilities (summing to at most 1)
         * @return this builder
         */
        public Builder random(RequestMatch match, Weighted... choices) {
            Objects.requireNonNull(match, "match");
            List<Weighted> list = List.of(choices);
            double total = list.stream().mapToDouble(Weighted::probability).sum();
            if (total > 1.0 + 1e-9) {
                throw new IllegalArgumentException("probabilities add up to " + total + " > 1");
            }
            return rule((r, random) -> {
                if (!match.test(r)) {
                    return null;
                }
                double u = random.nextDouble();
                double cumulative = 0;
                for (Weighted w : list) {
                    cumulative += w.probability();
                    if (u < cumulative) {
                        return w.fault();
                    }
                }
                return null;
            });
        }

        /**
         * The n-th, 2n-th, … request that {@code match} selects (among those reaching this rule) gets
         * the fault.
         *
         * @param match which requests
         * @param n the period, at least 1
         * @param fault the fault
         * @return this builder
         */
        public Builder everyNth(RequestMatch match, int n, Fault fault) {
            Objects.requireNonNull(match, "match");
            Objects.requireNonNull(fault, "fault");
            if (n < 1) {
                throw new IllegalArgumentException("n must be at least 1");
            }
            rules.add(() -> {
                long[] seen = {0};
                return (r, random) -> match.test(r) && ++seen[0] % n == 0 ? fault : null;
            });
            return this;
        }

        /**
         * Queues faults for the next requests {@code match} selects, one each, in order.
         *
         * @param match which requests
         * @param faults the faults
         * @return this builder
         */
        public Builder oneShot(RequestMatch match, Fault... faults) {
            Objects.requireNonNull(match, "match");
            for (Fault f : faults) {
                oneShots.add(new Queued(match, Objects.requireNonNull(f, "fault")));
            }
            return this;
        }

        /**
         * Builds the plan.
         *
         * @return a new plan (its own random source and counters)
         */
        public FaultPlan build() {
            return new FaultPlan(this);
        }
    }
}
