package io.leasehold.bench.contention;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one cell (store, mode, strategy, writers) measured, in one process or merged over several.
 * Public fields so that a child JVM can hand it to its parent as one JSON line.
 */
public final class CellResult {
    /** Successful updates that completed inside the measured window. */
    public long successes;
    /** Successful updates over the whole run (warm-up and tail included): for the counter check. */
    public long successesTotal;
    /** Updates that ended with OutcomeUnknownException (whole run): may or may not have landed. */
    public long unknownTotal;
    /** Updates that ended with OutcomeUnknownException inside the window. */
    public long unknown;
    /** Other failed updates inside the window (retries exhausted, errors), by exception type. */
    public Map<String, Long> failures = new LinkedHashMap<>();
    /** Attempts (reads) of the updates that completed inside the window, successful or not. */
    public long attempts;
    /** Requests on the wire (driver calls for memory/file) during the window. */
    public long requests;
    /** Length of the window in seconds. */
    public double seconds;
    /** Latency in microseconds of each successful update inside the window. */
    public long[] latencyMicros = new long[0];

    /** Adds another process's result for the same cell and window. */
    void merge(CellResult other) {
        successes += other.successes;
        successesTotal += other.successesTotal;
        unknownTotal += other.unknownTotal;
        unknown += other.unknown;
        other.failures.forEach((k, v) -> failures.merge(k, v, Long::sum));
        attempts += other.attempts;
        requests += other.requests;
        seconds = Math.max(seconds, other.seconds);
        long[] all = Arrays.copyOf(latencyMicros, latencyMicros.length + other.latencyMicros.length);
        System.arraycopy(other.latencyMicros, 0, all, latencyMicros.length, other.latencyMicros.length);
        latencyMicros = all;
    }

    /** @return failed updates inside the window, OutcomeUnknown excluded */
    public long failed() {
        return failures.values().stream().mapToLong(Long::longValue).sum();
    }

    /** @return successful updates per second */
    public double goodput() {
        return seconds <= 0 ? 0 : successes / seconds;
    }

    /** @return attempts per successful update */
    public double attemptsPerSuccess() {
        return successes == 0 ? Double.NaN : (double) attempts / successes;
    }

    /** @return requests per successful update */
    public double requestsPerSuccess() {
        return successes == 0 ? Double.NaN : (double) requests / successes;
    }

    /**
     * @param q a quantile in [0, 1]
     * @return the latency at that quantile in milliseconds, NaN without successes
     */
    public double latencyMillis(double q) {
        if (latencyMicros.length == 0) {
            return Double.NaN;
        }
        long[] sorted = latencyMicros.clone();
        Arrays.sort(sorted);
        int i = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
        return sorted[i] / 1000.0;
    }
}
