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
     * ({@link io.leasehold.core.internal.lease.EmulatedLeases}): same semantics, but writes that do not carry the lease
     * cannot be refused by the store (the lease is advisory for them), a lease's expiry is known only
     * after watching it for its duration, and a lease-guarded delete needs {@link #DELETE_IF_MATCH}.
     */
    EMULATED_LEASES,
    /** Leases carry fencing tokens that strictly increase across holders. */
    FENCING_TOKENS,
    /**
     * While a lease is held on an object, a write or delete that does not carry the lease id is
     * refused with {@link LeaseHeldException}: by the store itself with {@link #NATIVE_LEASES}, and
     * on {@link #EMULATED_LEASES} when the store was opened with {@code enforceLeases=true} (one
     * lease record read before every write without a lease id; a lease acquired between that read
     * and the write landing is not seen, and the holder's next guarded overwrite then fails).
     */
    ENFORCED_LEASES,
    /** Rewriting identical bytes yields a new ETag (false on S3, whose ETags are content hashes). */
    ETAG_CHANGES_ON_IDENTICAL_REWRITE,
    /**
     * A put larger than one part streams with bounded memory: parts are staged in the store (S3
     * multipart upload, Azure blocks) or in a temporary file (file store) and committed at the end.
     * Without it such a put is buffered in memory, at most about 2 GiB.
     */
    STREAMING_PUT,
    /**
     * A put larger than one part honours the same mode and conditions as a single put (create,
     * If-Match, replace), evaluated atomically when the parts are committed (S3
     * CompleteMultipartUpload with {@code If-None-Match}/{@code If-Match}, Azure Put Block List with
     * conditions). Without it such a put is refused with {@link NotSupportedException} before any
     * part is uploaded, unless it is an unconditional overwrite.
     */
    CONDITIONAL_MULTIPART_COMMIT,
    /**
     * Byte ranges of an object can be read with {@code If-Match} pinned to a version, so streaming
     * gets read in ranges with bounded memory and resume after a dropped connection. Without it a
     * streaming get reads the object in one request, in memory.
     */
    RANGED_READS,
    /**
     * Keys can be listed by prefix, page by page, with a delimiter and continuation tokens
     * ({@link ObjectStore#list}, {@link ObjectStore#listPage}).
     */
    LIST,
    /**
     * The store copies an object itself, without its bytes passing through the client, pinned to
     * the source version read first: S3 CopyObject with {@code x-amz-copy-source-if-match}, Azure
     * Copy Blob From URL with {@code x-ms-source-if-match}, the embedded stores natively. Without it
     * {@link ObjectStore#copy} reads the source and writes the target through the client (a pinned,
     * streamed read and a conditional put). Declared together with {@link #COPY_SOURCE_IF_MATCH}.
     */
    SERVER_SIDE_COPY,
    /**
     * A server-side copy honours If-Match on its source, so the copy is of exactly the version read
     * first (RGW 16.2 ignores the standard header names: not declared there).
     */
    COPY_SOURCE_IF_MATCH,
    /**
     * A server-side copy honours create-if-absent on its target ({@link PutMode#create()},
     * {@code If-None-Match: *}), evaluated atomically. Without it a copy with that mode is made
     * through the client with a create-if-absent put ({@link #PUT_IF_ABSENT}), or refused.
     */
    COPY_IF_ABSENT,
    /**
     * A server-side copy honours If-Match on its target ({@link PutMode#update(ObjectVersion)}),
     * evaluated atomically. Without it such a copy is made through the client with an If-Match put
     * ({@link #PUT_IF_MATCH}), or refused.
     */
    COPY_IF_MATCH,
    /**
     * A server-side copy honours replace-if-present on its target ({@link PutMode#replace()}).
     * Without it such a copy is made through the client ({@link #PUT_IF_PRESENT}), or refused.
     */
    COPY_IF_PRESENT
}
