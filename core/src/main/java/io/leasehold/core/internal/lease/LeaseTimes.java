package io.leasehold.core.internal.lease;

import io.leasehold.core.lease.Lease;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * The monotonic side of a {@link Lease}: the {@link System#nanoTime()} just before the request that
 * won or last renewed it was sent, kept inside the value where callers cannot set it (they see only
 * the wall-clock {@link Lease#acquiredAt()}, which is for display). Every lease timing decision
 * (keepers, safe deadlines) uses this stamp, so a wall-clock step changes nothing. A lease built by
 * a caller carries no stamp. Not part of the API.
 *
 * <p>Thread-safety: safe for concurrent use.
 */
public final class LeaseTimes {
    /** What {@link Lease} lends this class (installed once, by {@link Lease}'s initialiser). */
    public interface Access {
        /**
         * A lease value with its monotonic stamp.
         *
         * @param key the key
         * @param id the lease id
         * @param duration the duration, or null for infinite
         * @param acquiredAt the wall-clock time, for display
         * @param fencingToken the token, or null
         * @param sentNanos the monotonic stamp
         * @return the lease
         */
        Lease stamped(String key, String id, Duration duration, Instant acquiredAt, Long fencingToken, long sentNanos);

        /**
         * The monotonic stamp of a lease.
         *
         * @param lease the lease
         * @return the stamp, or empty for a lease a caller built
         */
        OptionalLong sentNanos(Lease lease);
    }

    private static volatile Access access;

    private LeaseTimes() {
    }

    /**
     * Installs the access; called once by {@link Lease}.
     *
     * @param lent the access
     * @throws IllegalStateException if already installed
     */
    public static synchronized void install(Access lent) {
        if (access != null) {
            throw new IllegalStateException("installed already");
        }
        access = lent;
    }

    private static Access access() {
        Access a = access;
        if (a == null) {
            try {
                Class.forName(Lease.class.getName(), true, Lease.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            a = access;
        }
        return a;
    }

    /**
     * A lease value stamped with the monotonic time its winning request was sent.
     *
     * @param key the key
     * @param id the lease id
     * @param duration the duration, or null for infinite
     * @param acquiredAt the wall-clock time, for display
     * @param fencingToken the token, or null
     * @param sentNanos {@link System#nanoTime()} just before the request was sent
     * @return the lease
     */
    public static Lease stamped(String key, String id, Duration duration, Instant acquiredAt, Long fencingToken,
                                long sentNanos) {
        return access().stamped(key, id, duration, acquiredAt, fencingToken, sentNanos);
    }

    /**
     * The monotonic stamp of a lease this library made.
     *
     * @param lease the lease
     * @return the stamp, or empty for a lease built by a caller
     */
    public static OptionalLong sentNanos(Lease lease) {
        return access().sentNanos(lease);
    }
}
