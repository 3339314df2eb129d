/**
 * Record what concurrent clients did to a store and check it for linearizability: no lost update,
 * no doubled update, no stale read, even when answers were lost.
 *
 * <h2>In short</h2>
 * <ol>
 *   <li>Record: {@link io.leasehold.test.history.History#invoke} before each call, then complete the
 *       returned {@link io.leasehold.test.history.History.Op} with how it ended: ok (with the
 *       answer), refused (the store's definite "no"), failed (certainly no effect) or unknown (may or
 *       may not have taken effect).</li>
 *   <li>Check: {@link io.leasehold.test.history.Checker#check} against a
 *       {@link io.leasehold.test.history.Model}: {@link io.leasehold.test.history.Models#counter()},
 *       {@link io.leasehold.test.history.Models#register(boolean)}, or your own.</li>
 *   <li>Read the verdict: OK, ANOMALY with a minimal offending core printed as a timeline, or
 *       INCONCLUSIVE when the search budget ran out (never reported as OK).</li>
 * </ol>
 *
 * <h2>Mapping Leasehold's answers</h2>
 * {@code ObjectNotFoundException} is refused {@link io.leasehold.test.history.Response#NOT_FOUND},
 * {@code PreconditionFailedException} refused
 * {@link io.leasehold.test.history.Response#PRECONDITION_FAILED},
 * {@code ObjectAlreadyExistsException} refused
 * {@link io.leasehold.test.history.Response#ALREADY_EXISTS}, {@code OutcomeUnknownException} (and
 * timeouts, resets) unknown, and a failure known not to have been applied (invalid argument, a
 * transient error before sending) failed. When in doubt, record unknown: it is always sound, only
 * weaker.
 *
 * <h2>Several JVMs</h2>
 * Stamps are {@link java.lang.System#nanoTime()}: comparable across the JVMs of one Linux machine.
 * Each JVM writes its part with {@link io.leasehold.test.history.History#writeTo(java.nio.file.Path)};
 * the parent reads and {@linkplain io.leasehold.test.history.History#merge merges} them.
 */
package io.leasehold.test.history;
