package io.leasehold.test.lease;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One event of a lease history, stamped by the process itself ({@link System#nanoTime()} unless the
 * history was given another clock). Lease ids appear only as a short digest: they are credentials.
 *
 * <p>Thread-safety: immutable.
 */
public final class LeaseEvent {
    /** What happened. */
    public enum Type {
        /** An acquire request is about to be sent. */
        ACQUIRE_SENT,
        /** The acquire succeeded: a new tenure (lease id digest, fencing token, duration). */
        ACQUIRE_ACKNOWLEDGED,
        /** The acquire was refused (someone else holds the lease). */
        ACQUIRE_REFUSED,
        /** The acquire's outcome is unknown: the lease may have been granted under the proposed id. */
        ACQUIRE_UNKNOWN,
        /** The holder computed its own safe deadline: it will not act as holder after this time. */
        BELIEVED_HELD_UNTIL,
        /** A renewal is about to be sent. */
        RENEW_SENT,
        /** The renewal succeeded (with the token the store reported, if any). */
        RENEW_OK,
        /** The renewal failed. */
        RENEW_FAILED,
        /** The keeper reported the lease lost to the holder. */
        LOSS_REPORTED,
        /** A release is about to be sent; the holder stops acting as holder. */
        RELEASE_SENT,
        /** The release completed. */
        RELEASE_DONE,
        /** A write guarded by the tenure's fencing token is about to be sent. */
        WRITE_SENT,
        /** The store accepted the guarded write. */
        WRITE_ACCEPTED,
        /** The store refused the guarded write because its token is stale. */
        WRITE_REFUSED_STALE,
        /** The store refused the guarded write for another reason. */
        WRITE_REFUSED,
        /** The guarded write's outcome is unknown. */
        WRITE_UNKNOWN,
        /** The holder noticed that a stale write was accepted after one of its own (and handled it). */
        STALE_WRITE_DETECTED,
        /** The process stopped (crashed, was killed, or finished) without necessarily releasing. */
        STOPPED
    }

    private final long sequence;
    private final Type type;
    private final String process;
    private final String key;
    private final int tenure;
    private final boolean finalAcquire;
    private final long time;
    private final String leaseIdDigest;
    private final Long token;
    private final Duration duration;
    private final String writeId;
    private final String detail;

    LeaseEvent(long sequence, Type type, String process, String key, int tenure, boolean finalAcquire, long time, String leaseIdDigest,
            Long token, Duration duration, String writeId, String detail) {
        this.sequence = sequence;
        this.type = type;
        this.process = process;
        this.key = key;
        this.tenure = tenure;
        this.finalAcquire = finalAcquire;
        this.time = time;
        this.leaseIdDigest = leaseIdDigest;
        this.token = token;
        this.duration = duration;
        this.writeId = writeId;
        this.detail = detail;
    }

    /**
     * What happened.
     *
     * @return never null
     */
    public Type type() {
        return type;
    }

    /**
     * The process that recorded the event.
     *
     * @return never null
     */
    public String process() {
        return process;
    }

    /**
     * The leased key.
     *
     * @return never null
     */
    public String key() {
        return key;
    }

    /**
     * The acquire attempt (and, once acknowledged, tenure) the event belongs to: a number unique in
     * the history, or 0 for {@link Type#STOPPED}.
     *
     * @return the number
     */
    public int tenure() {
        return tenure;
    }

    /**
     * Whether the attempt is the final acquire of the "nothing is stuck" check.
     *
     * @return true for events of a final acquire attempt
     */
    public boolean finalAcquire() {
        return finalAcquire;
    }

    /**
     * When it happened, by the recording process's clock.
     *
     * @return a {@link System#nanoTime()} stamp (or the history's clock)
     */
    public long time() {
        return time;
    }

    /**
     * The lease id's digest (the first 12 hex digits of its SHA-256), for acknowledged and unknown
     * acquires.
     *
     * @return the digest, or empty
     */
    public Optional<String> leaseIdDigest() {
        return Optional.ofNullable(leaseIdDigest);
    }

    /**
     * The fencing token: granted (acknowledged), reported (renewal) or carried (guarded write).
     *
     * @return the token, or empty if none
     */
    public OptionalLong fencingToken() {
        return token == null ? OptionalLong.empty() : OptionalLong.of(token);
    }

    /**
     * The lease duration requested (acquire sent) or granted (acknowledged).
     *
     * @return the duration, or empty for an infinite lease or other events
     */
    public Optional<Duration> duration() {
        return Optional.ofNullable(duration);
    }

    /**
     * The guarded write's id, or the stale write's id for {@link Type#STALE_WRITE_DETECTED}.
     *
     * @return the id, or empty
     */
    public Optional<String> writeId() {
        return Optional.ofNullable(writeId);
    }

    /**
     * A note (a failure's reason, a refusal's reason, a deadline), never a secret.
     *
     * @return the note, or empty
     */
    public Optional<String> detail() {
        return Optional.ofNullable(detail);
    }

    long sequence() {
        return sequence;
    }

    Long rawToken() {
        return token;
    }

    Duration rawDuration() {
        return duration;
    }

    String rawWriteId() {
        return writeId;
    }

    String rawDetail() {
        return detail;
    }

    /** {@link #toString()} with the believed-held deadline on the report's clock (milliseconds since {@code origin}). */
    String describe(long origin) {
        if (type != Type.BELIEVED_HELD_UNTIL) {
            return toString();
        }
        return process + ' ' + key + " #" + tenure + ' ' + type + " (" + String.format(java.util.Locale.ROOT, "%.3f",
                (Long.parseLong(detail) - origin) / 1e6) + " ms)";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LeaseEvent && sequence == ((LeaseEvent) o).sequence && type == ((LeaseEvent) o).type
                && time == ((LeaseEvent) o).time && process.equals(((LeaseEvent) o).process);
    }

    @Override
    public int hashCode() {
        return Objects.hash(sequence, type, time, process);
    }

    /**
     * The event as one line, e.g. {@code p2 lock #4 ACQUIRE_ACKNOWLEDGED id=3fa8c1d2e4b6 token=7 duration=PT15S}.
     *
     * @return never null
     */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(process).append(' ').append(key).append(" #").append(tenure).append(' ').append(type);
        if (leaseIdDigest != null) {
            out.append(" id=").append(leaseIdDigest);
        }
        if (token != null) {
            out.append(" token=").append(token);
        }
        if (duration != null) {
            out.append(" duration=").append(duration);
        }
        if (writeId != null) {
            out.append(" write=").append(writeId);
        }
        if (detail != null) {
            out.append(" (").append(detail).append(')');
        }
        return out.toString();
    }
}
