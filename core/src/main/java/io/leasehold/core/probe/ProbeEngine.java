package io.leasehold.core.probe;

import io.leasehold.spi.ProbePlugin;
import io.leasehold.spi.ProbeWire;
import java.util.Objects;

/**
 * The endpoint probe: one engine for every store, over a {@link ProbeWire} (put, get, head and
 * delete with raw conditions) and a {@link ProbePlugin} (what only one protocol has). The engine
 * owns the portable checks, the groups they run in, the request budget, the races, the cleanup and
 * the report; a driver's {@link io.leasehold.spi.StoreDriver#probe} runs it with its own wire and
 * plug-in, and {@link StoreProbe#portable} runs it through any driver.
 *
 * <pre>{@code
 * ProbeEngine engine = new ProbeEngine(options);
 * ProbeWire wire = new MyWire(client, engine.budget());   // spends one request per request sent
 * ProbeReport report = engine.run(wire, new MyPlugin());
 * }</pre>
 *
 * <h2>The portable checks</h2>
 * Bytes read back equal bytes written (with each of the wire's transfer settings until one keeps
 * them; the first, unconditional put also tells an endpoint that cannot be probed at all);
 * create-if-absent; the ETag on an identical rewrite; If-Match with a quoted and a bare ETag, a
 * stale ETag and a missing key; races of {@link ProbeOptions#racers()} concurrent creates and
 * If-Match puts over {@link ProbeOptions#rounds()} rounds, each judged to have exactly one winner
 * whose bytes are stored; replace-if-present ({@code If-Match: *}); put date conditions; the read
 * conditions on get and head; a metadata name with {@code _}; a conditional delete with a stale
 * ETag, a delete of a missing key and a race of conditional deletes. A group of checks that no
 * longer fits the budget is reported skipped; its capabilities are not declared.
 *
 * <h2>The lost-race code rule</h2>
 * Some servers answer the loser of an If-Match race with a 5xx instead of 412 (Ceph RGW 16:
 * {@code 500 UnknownError}, the errno of its cancelled atomic head write). A driver may then read
 * that code, on a conditional put, as "lost the race, not applied". A wrong code there turns real
 * failures into silent lost writes, so the engine learns a code only from consistent evidence:
 * <ul>
 *   <li>only from rounds of the If-Match race that proved no loser landed (one winner, whose bytes
 *       are the ones stored), and only if no loser got a 5xx in any other round;</li>
 *   <li>the same code from losers in at least {@value #LOST_RACE_MIN_ROUNDS} rounds, and no other
 *       5xx code in any round;</li>
 *   <li>never a generic code ({@code InternalError}, {@code ServiceUnavailable}, {@code SlowDown},
 *       Azure's {@code ServerBusy} and {@code OperationTimedOut}, this library's own codes) nor a
 *       5xx without a code: AWS documents that a request answered {@code InternalError} may have
 *       been applied;</li>
 *   <li>never when puts returned version ids: a store-specific code proves "not applied" only on a
 *       bucket without versions (on a versioned RGW bucket, {@code UnknownError} can also come
 *       after the new version was written).</li>
 * </ul>
 * A plug-in may adopt a code from a matching built-in profile when the race gave too few samples
 * ({@link ProbeRun#adoptLostRaceCode}); the same rule refuses a generic code, a versioned bucket,
 * and a code any 5xx answer of the race contradicts. The report's finding
 * {@value #LOST_RACE} shows the evidence and the outcome.
 *
 * <p>Thread-safety: one engine runs one probe; {@link #budget()} is safe for concurrent use.
 */
public final class ProbeEngine {
    /** Create-if-absent: a second create on a present key must be refused. */
    public static final String CREATE = "create-if-absent (If-None-Match: *)";
    /** Whether rewriting identical bytes changes the ETag. */
    public static final String REWRITE = "ETag on identical rewrite";
    /** If-Match with a quoted ETag: a stale one refused, the current one applied. */
    public static final String IF_MATCH_QUOTED = "If-Match, quoted ETag";
    /** If-Match with a bare ETag. */
    public static final String IF_MATCH_UNQUOTED = "If-Match, unquoted ETag";
    /** If-Match with the ETag of an older version of the object. */
    public static final String IF_MATCH_STALE = "If-Match, stale ETag";
    /** If-Match on a key that does not exist. */
    public static final String IF_MATCH_MISSING = "If-Match on a missing key";
    /** The race of concurrent creates (the finding adds the number of racers). */
    public static final String CREATE_RACE = "create race";
    /** The race of concurrent If-Match puts. */
    public static final String IF_MATCH_RACE = "If-Match race";
    /** The race of concurrent conditional deletes. */
    public static final String DELETE_RACE = "delete race";
    /** Replace-if-present with {@code If-Match: *}. */
    public static final String REPLACE_IF_PRESENT = "replace-if-present (If-Match: *)";
    /** A get with {@code If-Match: *} (some servers refuse it; their drivers emulate it). */
    public static final String GET_IF_MATCH_ANY = "get If-Match: *";
    /** A get with {@code If-None-Match: *}. */
    public static final String GET_IF_NONE_MATCH_ANY = "get If-None-Match: *";
    /** A metadata name with an underscore. */
    public static final String METADATA = "metadata name with '_'";
    /** A delete with the ETag of an older version. */
    public static final String DELETE_STALE = "delete If-Match, stale ETag";
    /** A delete of a key that was never written. */
    public static final String DELETE_MISSING = "delete of a missing key";
    /** How lost If-Match races were answered, and the lost-race code in force. */
    public static final String LOST_RACE = "lost If-Match race answered with 5xx";
    /** In how many rounds the same lost-race code must be seen before it is learned. */
    public static final int LOST_RACE_MIN_ROUNDS = 3;

    private final ProbeOptions options;
    private final ProbeBudget budget;
    private boolean ran;

    /**
     * An engine for one probe run.
     *
     * @param options scratch prefix, racers, rounds and request budget
     */
    public ProbeEngine(ProbeOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.budget = new ProbeBudget(options.requestBudget());
    }

    /**
     * The budget the wire of this run must spend from.
     *
     * @return the budget
     */
    public ProbeBudget budget() {
        return budget;
    }

    /**
     * Runs the probe: the portable checks and the plug-in's, then the cleanup and the report.
     *
     * @param wire the requests, spending from {@link #budget()}
     * @param plugin the protocol's additions
     * @return the report
     * @throws io.leasehold.core.ObjectStoreException if the endpoint cannot be probed at all (see
     *     {@link ProbeWire#unreachable}); failures of single checks are findings, not exceptions
     * @throws IllegalStateException if this engine already ran
     */
    public ProbeReport run(ProbeWire wire, ProbePlugin plugin) {
        synchronized (this) {
            if (ran) {
                throw new IllegalStateException("a probe engine runs once");
            }
            ran = true;
        }
        return new EngineRun(options, budget, Objects.requireNonNull(wire, "wire"), Objects.requireNonNull(plugin, "plugin"))
                .run();
    }
}
