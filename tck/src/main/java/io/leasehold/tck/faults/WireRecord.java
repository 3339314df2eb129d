package io.leasehold.tck.faults;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link FaultProxy} saw and did for one request: what the client sent (method, path, query,
 * conditional headers, user metadata, write id, body hash), whether it reached the server and what
 * the server answered, the fault applied, and what the client was told.
 *
 * <p>"Landed" means a whole-object write ({@link WireRequest#isObjectWrite()}) that was forwarded and
 * answered 2xx by the server: on S3 and Azure a 2xx PutObject / Put Blob is applied.
 *
 * <p>Thread-safety: immutable.
 */
public final class WireRecord {
    /** What the client was sent (recorded just before sending; {@link #CLIENT_GONE} if sending failed). */
    public enum Delivery {
        /** The server's own answer, relayed. */
        RELAYED,
        /**
         * An error answer made up by the proxy ({@link Fault.Kind#ERROR_AFTER_APPLY},
         * {@link Fault.Kind#GATEWAY_ERROR_AFTER_APPLY}, {@link Fault.Kind#REJECT_BEFORE_APPLY}).
         */
        SYNTHESIZED,
        /** The connection was closed without an answer. */
        CLOSED,
        /** The connection was reset. */
        RESET,
        /** The client went away (or the answer could not be written). */
        CLIENT_GONE
    }

    /** {@link #upstreamStatus()} of a request that was not forwarded. */
    public static final int NOT_FORWARDED = -1;
    /** {@link #upstreamStatus()} of a request that was forwarded but got no complete answer. */
    public static final int NO_ANSWER = 0;

    private final long sequence;
    private final String method;
    private final String path;
    private final String query;
    private final boolean objectWrite;
    private final Map<String, String> conditions;
    private final Map<String, String> userMetadata;
    private final String writeId;
    private final String bodySha256;
    private final long bodyLength;
    private final int upstreamStatus;
    private final String upstreamETag;
    private final Fault fault;
    private final Delivery delivery;
    private final int clientStatus;

    private WireRecord(Builder b) {
        this.sequence = b.sequence;
        this.method = Objects.requireNonNull(b.method, "method");
        this.path = Objects.requireNonNull(b.path, "path");
        this.query = b.query;
        this.objectWrite = b.objectWrite;
        this.conditions = Collections.unmodifiableMap(new LinkedHashMap<>(b.conditions));
        this.userMetadata = Collections.unmodifiableMap(new LinkedHashMap<>(b.userMetadata));
        this.writeId = b.writeId;
        this.bodySha256 = b.bodySha256;
        this.bodyLength = b.bodyLength;
        this.upstreamStatus = b.upstreamStatus;
        this.upstreamETag = b.upstreamETag;
        this.fault = Objects.requireNonNull(b.fault, "fault");
        this.delivery = Objects.requireNonNull(b.delivery, "delivery");
        this.clientStatus = b.clientStatus;
    }

    static Builder builder() {
        return new Builder();
    }

    /**
     * Arrival order at the proxy, from 1. Conditional writes on one key apply in this order.
     *
     * @return the sequence number
     */
    public long sequence() {
        return sequence;
    }

    /**
     * The method.
     *
     * @return e.g. {@code PUT}
     */
    public String method() {
        return method;
    }

    /**
     * The raw path.
     *
     * @return e.g. {@code /leasehold/key}
     */
    public String path() {
        return path;
    }

    /**
     * The raw query without {@code ?}.
     *
     * @return the query, or null
     */
    public String query() {
        return query;
    }

    /**
     * Whether it was a whole-object write (S3 PutObject, Azure Put Blob).
     *
     * @return true for such a PUT
     */
    public boolean isObjectWrite() {
        return objectWrite;
    }

    /**
     * The conditional headers sent: {@code If-Match}, {@code If-None-Match}, {@code If-Modified-Since},
     * {@code If-Unmodified-Since}, under those names.
     *
     * @return an unmodifiable map
     */
    public Map<String, String> conditions() {
        return conditions;
    }

    /**
     * User metadata sent ({@code x-amz-meta-*}, {@code x-ms-meta-*}), names lower-cased without the prefix.
     *
     * @return an unmodifiable map
     */
    public Map<String, String> userMetadata() {
        return userMetadata;
    }

    /**
     * The library's write id ({@value WireRecorder#WRITE_ID_METADATA} metadata), if the request carried one.
     *
     * @return the id, or null
     */
    public String writeId() {
        return writeId;
    }

    /**
     * SHA-256 of the request body's content (chunk framing removed), lower-case hex.
     *
     * @return the hash (of zero bytes when there was no body)
     */
    public String bodySha256() {
        return bodySha256;
    }

    /**
     * Length of the body's content.
     *
     * @return bytes
     */
    public long bodyLength() {
        return bodyLength;
    }

    /**
     * Whether the request reached the server.
     *
     * @return true if forwarded
     */
    public boolean forwarded() {
        return upstreamStatus != NOT_FORWARDED;
    }

    /**
     * The server's status.
     *
     * @return the status; {@link #NOT_FORWARDED} or {@link #NO_ANSWER}
     */
    public int upstreamStatus() {
        return upstreamStatus;
    }

    /**
     * The ETag the server answered with.
     *
     * @return the header value, or null
     */
    public String upstreamETag() {
        return upstreamETag;
    }

    /**
     * The fault the plan chose.
     *
     * @return never null
     */
    public Fault fault() {
        return fault;
    }

    /**
     * What the client received.
     *
     * @return never null
     */
    public Delivery delivery() {
        return delivery;
    }

    /**
     * The status the client received.
     *
     * @return the status, or -1 if it received none
     */
    public int clientStatus() {
        return clientStatus;
    }

    /**
     * Whether this was a whole-object write the server applied (forwarded, answered 2xx).
     *
     * @return true if it landed
     */
    public boolean landed() {
        return objectWrite && upstreamStatus >= 200 && upstreamStatus < 300;
    }

    /**
     * Whether this was a whole-object write that was forwarded but got no complete answer from the
     * server: whether it landed is unknown even to the recorder.
     *
     * @return true if its landing is unknown
     */
    public boolean landingUnknown() {
        return objectWrite && upstreamStatus == NO_ANSWER;
    }

    @Override
    public String toString() {
        return "#" + sequence + " " + method + " " + path + (query == null ? "" : "?" + query)
                + (conditions.isEmpty() ? "" : " " + conditions) + (writeId == null ? "" : " w=" + writeId)
                + " body=" + (bodySha256.length() > 12 ? bodySha256.substring(0, 12) : bodySha256)
                + " upstream=" + upstreamStatus + " fault=" + fault + " client=" + delivery
                + (clientStatus < 0 ? "" : "(" + clientStatus + ")");
    }

    /** Builds a record; used by the proxy and by tests in this package. Not thread-safe. */
    static final class Builder {
        private long sequence;
        private String method;
        private String path;
        private String query;
        private boolean objectWrite;
        private final Map<String, String> conditions = new LinkedHashMap<>();
        private final Map<String, String> userMetadata = new LinkedHashMap<>();
        private String writeId;
        private String bodySha256 = "";
        private long bodyLength;
        private int upstreamStatus = NOT_FORWARDED;
        private String upstreamETag;
        private Fault fault = Fault.none();
        private Delivery delivery = Delivery.CLIENT_GONE;
        private int clientStatus = -1;

        Builder sequence(long v) {
            sequence = v;
            return this;
        }

        Builder request(String m, String p, String q, boolean write) {
            method = m;
            path = p;
            query = q;
            objectWrite = write;
            return this;
        }

        Builder condition(String name, String value) {
            conditions.put(name, value);
            return this;
        }

        Builder metadata(String name, String value) {
            userMetadata.put(name, value);
            return this;
        }

        Builder writeId(String v) {
            writeId = v;
            return this;
        }

        Builder body(String sha256, long length) {
            bodySha256 = sha256;
            bodyLength = length;
            return this;
        }

        Builder upstream(int status, String etag) {
            upstreamStatus = status;
            upstreamETag = etag;
            return this;
        }

        Builder fault(Fault v) {
            fault = v;
            return this;
        }

        Builder delivered(Delivery d, int status) {
            delivery = d;
            clientStatus = status;
            return this;
        }

        WireRecord build() {
            return new WireRecord(this);
        }
    }
}
