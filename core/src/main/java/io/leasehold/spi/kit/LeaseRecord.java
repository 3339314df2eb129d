package io.leasehold.spi.kit;

import io.leasehold.spi.LeaseGrant;
import io.leasehold.core.LeaseHeldException;
import io.leasehold.core.LeaseLostException;
import io.leasehold.core.LeaseMismatchException;
import io.leasehold.core.lease.LeaseState;
import io.leasehold.core.lease.LeaseStatus;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The lease of one object as a driver that holds data itself (memory, file) stores it, and Azure
 * Blob's lease state machine over it, so that such drivers share one exact implementation of the
 * {@link io.leasehold.spi.LeaseDriver} obligations. A driver keeps the record with the object, and runs each
 * transition and each guarded write's check in the same atomic step as the object change.
 *
 * <h2>States</h2>
 * A record is stored as {@link LeaseState#LEASED}, {@link LeaseState#BREAKING} or
 * {@link LeaseState#BROKEN}; no record ({@code null}) is {@link LeaseState#AVAILABLE}. At a given
 * instant a finite lease past its expiry is {@link LeaseState#EXPIRED} and a break past its end is
 * {@link LeaseState#BROKEN} ({@link #state(Instant)}), so nothing has to run when time passes.
 *
 * <h2>Refusals (Azure error &rarr; portable exception)</h2>
 * <ul>
 *   <li>{@code LeaseAlreadyPresent}, {@code LeaseIsBreakingAndCannotBeAcquired}, {@code LeaseIdMissing}
 *       &rarr; {@link LeaseHeldException}</li>
 *   <li>{@code LeaseIdMismatchWithLeaseOperation}, {@code LeaseIdMismatchWithBlobOperation}
 *       &rarr; {@link LeaseMismatchException}</li>
 *   <li>{@code LeaseIsBrokenAndCannotBeRenewed}, {@code LeaseIsBreakingAndCannotBeChanged},
 *       {@code LeaseNotPresentWithLeaseOperation}, {@code LeaseNotPresentWithBlobOperation}
 *       &rarr; {@link LeaseLostException}</li>
 * </ul>
 *
 * <p>Thread-safety: immutable; the static transitions are pure functions.
 */
public final class LeaseRecord {
    private final LeaseState stored;
    private final String id;
    private final Duration duration;
    private final Instant acquiredAt;
    private final Instant expiresAt;
    private final Instant breakAt;
    private final long fencingToken;

    private LeaseRecord(LeaseState stored, String id, Duration duration, Instant acquiredAt, Instant expiresAt,
            Instant breakAt, long fencingToken) {
        this.stored = stored;
        this.id = id;
        this.duration = duration;
        this.acquiredAt = acquiredAt;
        this.expiresAt = expiresAt;
        this.breakAt = breakAt;
        this.fencingToken = fencingToken;
    }

    /**
     * The hex SHA-256 of a lease id: what a record kept in a shared store holds instead of the id,
     * so reading the record never reveals an id that would let the reader act as the holder.
     *
     * @param leaseId the lease id
     * @return 64 lowercase hexadecimal digits
     */
    public static String idDigest(String leaseId) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(leaseId.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    /**
     * Rebuilds a stored record (e.g. read back from disk), checking that its fields fit its state.
     *
     * @param stored {@link LeaseState#LEASED}, {@link LeaseState#BREAKING} or {@link LeaseState#BROKEN}
     * @param id the lease id
     * @param duration the duration of a LEASED record, null if infinite (ignored otherwise)
     * @param acquiredAt when the lease was last acquired or renewed
     * @param breakAt when a BREAKING record's break ends (ignored otherwise)
     * @param fencingToken the holder's fencing token
     * @return the record
     * @throws IllegalArgumentException if the fields do not fit the state
     */
    public static LeaseRecord of(LeaseState stored, String id, @Nullable Duration duration, Instant acquiredAt, Instant breakAt,
            long fencingToken) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(acquiredAt, "acquiredAt");
        switch (Objects.requireNonNull(stored, "stored")) {
            case LEASED:
                return leased(id, duration, acquiredAt, fencingToken);
            case BREAKING:
                return new LeaseRecord(LeaseState.BREAKING, id, null, acquiredAt, null,
                        Objects.requireNonNull(breakAt, "breakAt"), fencingToken);
            case BROKEN:
                return new LeaseRecord(LeaseState.BROKEN, id, null, acquiredAt, null, null, fencingToken);
            default:
                throw new IllegalArgumentException("a stored lease is LEASED, BREAKING or BROKEN, not " + stored);
        }
    }

    private static LeaseRecord leased(String id, Duration duration, Instant now, long fencingToken) {
        return new LeaseRecord(LeaseState.LEASED, id, duration, now, duration == null ? null : now.plus(duration),
                null, fencingToken);
    }

    // ---------------------------------------------------------------- fields

    /**
     * The state as stored: LEASED, BREAKING or BROKEN.
     *
     * @return the stored state
     */
    public LeaseState storedState() {
        return stored;
    }

    /**
     * The state at an instant: a LEASED record past its expiry is EXPIRED, a BREAKING one past its
     * break BROKEN.
     *
     * @param now the instant
     * @return the state
     */
    public LeaseState state(Instant now) {
        if (stored == LeaseState.LEASED && expiresAt != null && !now.isBefore(expiresAt)) {
            return LeaseState.EXPIRED;
        }
        if (stored == LeaseState.BREAKING && !now.isBefore(breakAt)) {
            return LeaseState.BROKEN;
        }
        return stored;
    }

    /**
     * The lease id.
     *
     * @return the id; a secret
     */
    public String id() {
        return id;
    }

    /**
     * The duration of a LEASED record.
     *
     * @return the duration, or empty if infinite or not LEASED
     */
    public Optional<Duration> duration() {
        return Optional.ofNullable(duration);
    }

    /**
     * When the lease was last acquired or renewed.
     *
     * @return the instant
     */
    public Instant acquiredAt() {
        return acquiredAt;
    }

    /**
     * When a finite LEASED record expires.
     *
     * @return the instant, or empty
     */
    public Optional<Instant> expiresAt() {
        return Optional.ofNullable(expiresAt);
    }

    /**
     * When a BREAKING record's break ends.
     *
     * @return the instant, or empty
     */
    public Optional<Instant> breakAt() {
        return Optional.ofNullable(breakAt);
    }

    /**
     * The holder's fencing token.
     *
     * @return the token
     */
    public long fencingToken() {
        return fencingToken;
    }

    /**
     * The lease as a driver returns it.
     *
     * @return the grant
     */
    public LeaseGrant toGrant() {
        return LeaseGrant.of(id, duration, fencingToken);
    }

    // ---------------------------------------------------------------- transitions

    /**
     * The state of an object's lease record at an instant.
     *
     * @param record the record, or null
     * @param now the instant
     * @return AVAILABLE for null, else {@link #state(Instant)}
     */
    public static LeaseState stateOf(@Nullable LeaseRecord record, Instant now) {
        return record == null ? LeaseState.AVAILABLE : record.state(now);
    }

    /**
     * Acquire: available, expired or broken &rarr; leased under the proposed id with a new fencing
     * token; leased by the same id &rarr; renewed with the new duration, same token.
     *
     * @param key the key (for exceptions)
     * @param current the record, or null
     * @param duration the duration, or null for infinite
     * @param proposedId the id
     * @param now the instant
     * @param nextFencingToken called once for a new holder; must return a larger value than any
     *     token handed out for this key before
     * @return the new record
     * @throws LeaseHeldException if leased by another id, or breaking
     */
    public static LeaseRecord acquire(String key, @Nullable LeaseRecord current, @Nullable Duration duration, String proposedId, Instant now,
            LongSupplier nextFencingToken) {
        Objects.requireNonNull(proposedId, "proposedId");
        switch (stateOf(current, now)) {
            case LEASED:
                if (!proposedId.equals(current.id)) {
                    throw new LeaseHeldException(key, "the lease is held by someone else", null);
                }
                return leased(proposedId, duration, now, current.fencingToken);
            case BREAKING:
                throw new LeaseHeldException(key, "the lease is breaking and cannot be acquired", null);
            default:
                return leased(proposedId, duration, now, nextFencingToken.getAsLong());
        }
    }

    /**
     * Renew: leased or expired (and not taken over or written since) &rarr; leased again for its
     * duration.
     *
     * @param key the key
     * @param current the record, or null
     * @param leaseId the caller's id
     * @param now the instant
     * @return the new record
     * @throws LeaseMismatchException if no lease or another id is current
     * @throws LeaseLostException if the lease is breaking or broken
     */
    public static LeaseRecord renew(String key, @Nullable LeaseRecord current, String leaseId, Instant now) {
        LeaseState state = stateOf(current, now);
        if (state == LeaseState.AVAILABLE || !leaseId.equals(current.id)) {
            throw mismatch(key, leaseId);
        }
        if (state == LeaseState.LEASED || state == LeaseState.EXPIRED) {
            return leased(current.id, current.duration, now, current.fencingToken);
        }
        throw new LeaseLostException(key, "the lease is " + state.name().toLowerCase(Locale.ROOT)
                + " and cannot be renewed", null);
    }

    /**
     * Release: any lease of the caller's id &rarr; available.
     *
     * @param key the key
     * @param current the record, or null
     * @param leaseId the caller's id
     * @param now the instant
     * @return null (available)
     * @throws LeaseMismatchException if no lease or another id is current
     */
    public static @Nullable LeaseRecord release(String key, @Nullable LeaseRecord current, String leaseId, Instant now) {
        if (stateOf(current, now) == LeaseState.AVAILABLE || !leaseId.equals(current.id)) {
            throw mismatch(key, leaseId);
        }
        return null;
    }

    /**
     * Break: ends the lease after a period (never later than a finite lease would end, never later
     * than a break already under way); 0 breaks at once; null lets a finite lease run out and breaks
     * an infinite one at once. Expired and broken leases become broken.
     *
     * @param key the key
     * @param current the record, or null
     * @param breakPeriod 0 to 60 s, or null
     * @param now the instant
     * @return the new record; {@link #breakRemaining} tells the caller how long it lasts
     * @throws LeaseLostException if there is no lease to break
     */
    public static LeaseRecord breakLease(String key, @Nullable LeaseRecord current, @Nullable Duration breakPeriod, Instant now) {
        LeaseState state = stateOf(current, now);
        Instant until;
        switch (state) {
            case AVAILABLE:
                throw new LeaseLostException(key, "there is no lease to break", null);
            case EXPIRED:
            case BROKEN:
                return current.broken();
            case BREAKING:
                until = breakPeriod == null ? current.breakAt : earlier(current.breakAt, now.plus(breakPeriod));
                break;
            default:
                if (current.expiresAt == null) {
                    until = breakPeriod == null ? now : now.plus(breakPeriod);
                } else {
                    until = breakPeriod == null ? current.expiresAt : earlier(current.expiresAt, now.plus(breakPeriod));
                }
                break;
        }
        if (!until.isAfter(now)) {
            return current.broken();
        }
        return new LeaseRecord(LeaseState.BREAKING, current.id, null, current.acquiredAt, null, until, current.fencingToken);
    }

    /**
     * How long until a broken-off lease can be acquired again.
     *
     * @param record the record after {@link #breakLease}
     * @param now the instant
     * @return the remaining break time, zero if broken
     */
    public static Duration breakRemaining(LeaseRecord record, Instant now) {
        return stateOf(record, now) == LeaseState.BREAKING ? Duration.between(now, record.breakAt) : Duration.ZERO;
    }

    /**
     * Change: a leased record under {@code leaseId} (or already under {@code proposedId}, so a
     * repeated change succeeds) &rarr; the same lease under {@code proposedId}, expiry unchanged.
     *
     * @param key the key
     * @param current the record, or null
     * @param leaseId the current id
     * @param proposedId the new id
     * @param now the instant
     * @return the new record
     * @throws LeaseMismatchException if neither id is current
     * @throws LeaseLostException if the lease is breaking, broken, expired or absent
     */
    public static LeaseRecord change(String key, @Nullable LeaseRecord current, String leaseId, String proposedId, Instant now) {
        LeaseState state = stateOf(current, now);
        switch (state) {
            case LEASED:
                if (!leaseId.equals(current.id) && !proposedId.equals(current.id)) {
                    throw mismatch(key, leaseId);
                }
                return new LeaseRecord(LeaseState.LEASED, proposedId, current.duration, current.acquiredAt,
                        current.expiresAt, null, current.fencingToken);
            case BREAKING:
                if (!leaseId.equals(current.id)) {
                    throw mismatch(key, leaseId);
                }
                throw new LeaseLostException(key, "the lease is breaking and cannot be changed", null);
            default:
                throw new LeaseLostException(key, "no lease is held (state " + state + ")", null);
        }
    }

    /**
     * Checks a write or delete against the object's lease: a held or breaking lease needs its id;
     * an id where no lease is held is refused.
     *
     * @param key the key
     * @param current the record, or null (also for an absent object)
     * @param leaseId the id the write carries, or null
     * @param now the instant
     * @return the record the written object keeps: the held one, or null (a write clears an expired
     *     or broken lease, so its holder can no longer renew it)
     * @throws LeaseHeldException if the object is leased and no id was given
     * @throws LeaseMismatchException if another id is current
     * @throws LeaseLostException if an id was given but no lease is held
     */
    public static @Nullable LeaseRecord checkWrite(String key, @Nullable LeaseRecord current, @Nullable String leaseId, Instant now) {
        LeaseState state = stateOf(current, now);
        if (state == LeaseState.LEASED || state == LeaseState.BREAKING) {
            if (leaseId == null) {
                throw new LeaseHeldException(key, "the object is leased and no lease id was given", null);
            }
            if (!leaseId.equals(current.id)) {
                throw mismatch(key, leaseId);
            }
            return current;
        }
        if (leaseId != null) {
            throw new LeaseLostException(key, "a lease id was given but no lease is held on the object (state "
                    + state + ")", null);
        }
        return null;
    }

    /**
     * Checks a read that carries a lease id: it must be the held lease's.
     *
     * @param key the key
     * @param current the record, or null
     * @param leaseId the id the read carries
     * @param now the instant
     * @throws LeaseMismatchException if another id is current
     * @throws LeaseLostException if no lease is held
     */
    public static void checkRead(String key, @Nullable LeaseRecord current, String leaseId, Instant now) {
        LeaseState state = stateOf(current, now);
        if (state != LeaseState.LEASED && state != LeaseState.BREAKING) {
            throw new LeaseLostException(key, "a lease id was given but no lease is held on the object (state "
                    + state + ")", null);
        }
        if (!leaseId.equals(current.id)) {
            throw mismatch(key, leaseId);
        }
    }

    /**
     * The status callers see.
     *
     * @param current the record, or null
     * @param now the instant
     * @return the state, whether infinite, and the remaining time of a held finite lease or a break
     */
    public static LeaseStatus status(@Nullable LeaseRecord current, Instant now) {
        LeaseState state = stateOf(current, now);
        switch (state) {
            case LEASED:
                return new LeaseStatus(state, current.expiresAt == null,
                        current.expiresAt == null ? null : Duration.between(now, current.expiresAt));
            case BREAKING:
                return new LeaseStatus(state, false, Duration.between(now, current.breakAt));
            default:
                return new LeaseStatus(state, false, null);
        }
    }

    // ---------------------------------------------------------------- helpers

    private LeaseRecord broken() {
        return stored == LeaseState.BROKEN ? this
                : new LeaseRecord(LeaseState.BROKEN, id, null, acquiredAt, null, null, fencingToken);
    }

    private static Instant earlier(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static LeaseMismatchException mismatch(String key, String leaseId) {
        return new LeaseMismatchException(key, "lease id " + Redact.leaseId(leaseId) + " is not the object's current lease", null);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof LeaseRecord)) {
            return false;
        }
        LeaseRecord r = (LeaseRecord) o;
        return stored == r.stored && id.equals(r.id) && Objects.equals(duration, r.duration)
                && acquiredAt.equals(r.acquiredAt) && Objects.equals(expiresAt, r.expiresAt)
                && Objects.equals(breakAt, r.breakAt) && fencingToken == r.fencingToken;
    }

    @Override
    public int hashCode() {
        return Objects.hash(stored, id, duration, acquiredAt, expiresAt, breakAt, fencingToken);
    }

    @Override
    public String toString() {
        return "LeaseRecord{" + stored + ", id=" + Redact.leaseId(id) + ", duration="
                + (duration == null ? "-" : duration) + ", fencingToken=" + fencingToken + "}";
    }
}
