package io.leasehold.core;

/**
 * How fresh a read must be.
 *
 * <ul>
 *   <li>memory, file, AWS S3, Azure Blob: always strong (read-after-write); both levels behave the same.</li>
 *   <li>Tigris: {@link #STRONG} adds {@code X-Tigris-Consistent: true} so the read is served by the
 *       bucket's leader region.</li>
 * </ul>
 *
 * <p>Thread-safety: enum constants are immutable.
 */
public enum ReadConsistency {
    /** The store's default; may be served by a replica that lags. */
    EVENTUAL,
    /** Read-after-write for writes acknowledged anywhere; costs latency on stores with replicas. */
    STRONG
}
