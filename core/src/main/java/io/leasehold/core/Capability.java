package io.leasehold.core;

/**
 * One thing a driver can do. Ask {@link Capabilities#supports(Capability)} instead of guessing;
 * an option that needs a missing capability fails with {@link NotSupportedException} before
 * anything is sent.
 *
 * <p>Thread-safety: enum constants are immutable.
 */
public enum Capability {
    /** Put with {@link PutMode#create()} (If-None-Match: *). */
    PUT_IF_ABSENT,
    /** Put with {@link PutMode#update(ObjectVersion)} (If-Match: etag). */
    PUT_IF_MATCH,
    /** Put with {@link PutMode#replace()} (only if the key exists). */
    PUT_IF_PRESENT,
    /** Put with an If-Modified-Since condition. */
    PUT_IF_MODIFIED_SINCE,
    /** Put with an If-Unmodified-Since condition. */
    PUT_IF_UNMODIFIED_SINCE,
    /** Get/head with If-Match. */
    GET_IF_MATCH,
    /** Get/head with If-None-Match. */
    GET_IF_NONE_MATCH,
    /** Get/head with If-Modified-Since. */
    GET_IF_MODIFIED_SINCE,
    /** Get/head with If-Unmodified-Since. */
    GET_IF_UNMODIFIED_SINCE,
    /** Delete with If-Match evaluated atomically by the store. */
    DELETE_IF_MATCH,
    /** {@link ReadConsistency#STRONG} reads are available (natively or because the store is always strong). */
    STRONG_READS,
    /** Versions carry a store version id. */
    VERSION_IDS,
    /** User metadata is stored and returned. */
    USER_METADATA,
    /** Leases (acquire, renew, release, break, change) and lease-guarded writes. */
    LEASES,
    /** Leases are enforced by the store itself rather than emulated by the library. */
    NATIVE_LEASES,
    /**
     * Leases are emulated by the library with a lease record written by conditional requests
     * ({@link io.leasehold.spi.EmulatedLeases}): same semantics, but writes that do not carry the lease
     * cannot be refused by the store (the lease is advisory for them), a lease's expiry is known only
     * after watching it for its duration, and a lease-guarded delete needs {@link #DELETE_IF_MATCH}.
     */
    EMULATED_LEASES,
    /** Leases carry fencing tokens that strictly increase across holders. */
    FENCING_TOKENS,
    /** Rewriting identical bytes yields a new ETag (false on S3, whose ETags are content hashes). */
    ETAG_CHANGES_ON_IDENTICAL_REWRITE
}
