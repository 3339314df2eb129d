package io.leasehold.spi;

import io.leasehold.core.AccessDeniedException;
import io.leasehold.core.ErrorCode;
import io.leasehold.core.ObjectStoreException;
import io.leasehold.core.TransientException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The few requests the endpoint probe ({@link io.leasehold.core.probe.ProbeEngine}) sends: put, get, head and delete of one
 * key with raw conditions, answered with a status, an ETag, an error code and the headers a check
 * needs. Conditions are header values as text, so a wire that speaks HTTP can send forms a driver
 * would refuse (quoted and unquoted ETags, {@code If-Match: *}, {@code If-None-Match: ""}, dates);
 * a wire over a driver maps each form to the driver's options, or answers {@link Answer#notSent}.
 *
 * <p>Every request a wire sends, including any a single call needs more than once, MUST first be
 * spent from the {@link io.leasehold.core.probe.ProbeBudget} the engine created for the run; when it is spent the budget
 * throws, and the wire lets that exception propagate. Failures of the store are answers (a status
 * and code), never exceptions.
 *
 * <p>Thread-safety: implementations must allow concurrent calls (the probe races writers).
 */
public interface ProbeWire {
    /**
     * What is probed, printable, without credentials, e.g. {@code s3 bucket b at http://127.0.0.1:7480}.
     *
     * @return the description
     */
    String target();

    /**
     * The transfer settings this wire can send bytes with, most permissive first (e.g. the S3 SDK's
     * checksum and chunked-signing settings). The probe keeps the first with which bytes come back
     * as written. Empty (the default) for a wire with a single, unnamed setting.
     *
     * @return the settings' labels
     */
    default List<String> transferSettings() {
        return List.of();
    }

    /**
     * Switches every later request to one of {@link #transferSettings()}.
     *
     * @param index the setting's index in {@link #transferSettings()}
     */
    default void useTransferSetting(int index) {
    }

    /**
     * Whether reads are asked to be strong, so that a read that returned older bytes counts against
     * the store rather than against the request.
     *
     * @return true (the default) if reads ask for the latest write
     */
    default boolean offersStrongReads() {
        return true;
    }

    /**
     * Explains how this wire's current transfer setting can alter bytes, from what was read back
     * (e.g. framing the server stored as content); appended to the finding.
     *
     * @param read the bytes read back, which differ from those written
     * @return a short explanation starting with a space, or empty (the default)
     */
    default String explainAltered(byte[] read) {
        return "";
    }

    /**
     * Writes an object.
     *
     * @param key the key (under the wire's own prefix, if any)
     * @param content the bytes
     * @param conditions the conditions, as header values
     * @param metadata user metadata to send, names as given
     * @return the answer: status 200 with the ETag (and version id, if any) when written
     */
    Answer put(String key, byte[] content, Conditions conditions, Map<String, String> metadata);

    /**
     * Reads an object with its bytes.
     *
     * @param key the key
     * @param conditions the conditions, as header values
     * @return the answer: 200 with ETag, last-modified time and body; 304; 412; 404
     */
    Answer get(String key, Conditions conditions);

    /**
     * Reads an object's metadata.
     *
     * @param key the key
     * @param conditions the conditions, as header values
     * @return the answer: 200 with ETag, last-modified time and user metadata; 304; 412; 404
     */
    Answer head(String key, Conditions conditions);

    /**
     * Deletes an object.
     *
     * @param key the key
     * @param conditions the conditions ({@code If-Match} only), as header values
     * @return the answer: a 2xx status when deleted (or reported deleted)
     */
    Answer delete(String key, Conditions conditions);

    /**
     * Removes what the probe wrote. The default deletes each key; a wire over a store that keeps
     * versions overrides it to delete every version under {@code folder}.
     *
     * @param folder the scratch folder every key is under
     * @param keys the keys the probe wrote (or tried to write)
     * @param versionsSeen whether any put returned a version id
     */
    default void removeScratch(String folder, Collection<String> keys, boolean versionsSeen) {
        for (String key : keys) {
            delete(key, Conditions.NONE);
        }
    }

    /**
     * Judges the probe's first, unconditional put: whether the endpoint cannot be probed at all.
     * The default gives up on no answer, 401, 403 and 404 (no such bucket or container).
     *
     * @param first the answer to the first put
     * @return the exception to end the probe with, or null to go on
     */
    default @Nullable ObjectStoreException unreachable(Answer first) {
        if (first.status() == Answer.NO_ANSWER) {
            return new TransientException(ErrorCode.TRANSIENT, null, "probe: no answer from " + target() + " ("
                    + first.errorCode().orElse("?") + ")", null);
        }
        if (first.status() == 401 || first.status() == 403) {
            return new AccessDeniedException(null, "probe: the first put to " + target() + " answered " + first, null);
        }
        if (first.status() == 404) {
            return new ObjectStoreException(ErrorCode.NOT_FOUND, null, "probe: the first put to " + target()
                    + " answered " + first, null);
        }
        return null;
    }

    /**
     * Conditions as header values; each absent unless set.
     *
     * <p>Thread-safety: immutable.
     */
    final class Conditions {
        /** No condition. */
        public static final Conditions NONE = new Conditions(null, null, null, null);

        private final String ifMatch;
        private final String ifNoneMatch;
        private final String ifModifiedSince;
        private final String ifUnmodifiedSince;

        private Conditions(String ifMatch, String ifNoneMatch, String ifModifiedSince, String ifUnmodifiedSince) {
            this.ifMatch = ifMatch;
            this.ifNoneMatch = ifNoneMatch;
            this.ifModifiedSince = ifModifiedSince;
            this.ifUnmodifiedSince = ifUnmodifiedSince;
        }

        /**
         * These conditions with {@code If-Match} set.
         *
         * @param value the header value as sent, e.g. {@code "abc"} with quotes, {@code abc} or {@code *}
         * @return the new conditions
         */
        public Conditions ifMatch(String value) {
            return new Conditions(value, ifNoneMatch, ifModifiedSince, ifUnmodifiedSince);
        }

        /**
         * These conditions with {@code If-None-Match} set.
         *
         * @param value the header value as sent
         * @return the new conditions
         */
        public Conditions ifNoneMatch(String value) {
            return new Conditions(ifMatch, value, ifModifiedSince, ifUnmodifiedSince);
        }

        /**
         * These conditions with {@code If-Modified-Since} set.
         *
         * @param httpDate the header value as sent (an IMF-fixdate)
         * @return the new conditions
         */
        public Conditions ifModifiedSince(String httpDate) {
            return new Conditions(ifMatch, ifNoneMatch, httpDate, ifUnmodifiedSince);
        }

        /**
         * These conditions with {@code If-Unmodified-Since} set.
         *
         * @param httpDate the header value as sent (an IMF-fixdate)
         * @return the new conditions
         */
        public Conditions ifUnmodifiedSince(String httpDate) {
            return new Conditions(ifMatch, ifNoneMatch, ifModifiedSince, httpDate);
        }

        /**
         * The {@code If-Match} value.
         *
         * @return the value, or empty
         */
        public Optional<String> ifMatch() {
            return Optional.ofNullable(ifMatch);
        }

        /**
         * The {@code If-None-Match} value.
         *
         * @return the value, or empty
         */
        public Optional<String> ifNoneMatch() {
            return Optional.ofNullable(ifNoneMatch);
        }

        /**
         * The {@code If-Modified-Since} value.
         *
         * @return the value, or empty
         */
        public Optional<String> ifModifiedSince() {
            return Optional.ofNullable(ifModifiedSince);
        }

        /**
         * The {@code If-Unmodified-Since} value.
         *
         * @return the value, or empty
         */
        public Optional<String> ifUnmodifiedSince() {
            return Optional.ofNullable(ifUnmodifiedSince);
        }

        /**
         * The conditions as header lines.
         *
         * @return the set headers by name, e.g. {@code {If-Match="abc"}}
         */
        public Map<String, String> headers() {
            Map<String, String> h = new TreeMap<>();
            ifMatch().ifPresent(v -> h.put("If-Match", v));
            ifNoneMatch().ifPresent(v -> h.put("If-None-Match", v));
            ifModifiedSince().ifPresent(v -> h.put("If-Modified-Since", v));
            ifUnmodifiedSince().ifPresent(v -> h.put("If-Unmodified-Since", v));
            return h;
        }

        @Override
        public String toString() {
            return headers().toString();
        }
    }

    /**
     * The answer to one request: an HTTP status (or {@link #NO_ANSWER}, {@link #NOT_SENT}), the
     * store's error code, and what the checks read from a success.
     *
     * <p>Thread-safety: immutable (the body array is not copied: do not change it).
     */
    final class Answer {
        /** The status of a request that got no HTTP answer (connection refused, timeout). */
        public static final int NO_ANSWER = -1;
        /** The status of a request the wire did not send: the driver offers no such form. */
        public static final int NOT_SENT = 0;

        private final int status;
        private final String errorCode;
        private final String etag;
        private final String versionId;
        private final Instant lastModified;
        private final byte[] body;
        private final Map<String, String> metadata;

        private Answer(int status, String errorCode, String etag, String versionId, Instant lastModified, byte[] body,
                       Map<String, String> metadata) {
            this.status = status;
            this.errorCode = errorCode;
            this.etag = etag;
            this.versionId = versionId;
            this.lastModified = lastModified;
            this.body = body;
            this.metadata = metadata;
        }

        /**
         * An answer with a status and no error code.
         *
         * @param status the HTTP status
         * @return the answer
         */
        public static Answer of(int status) {
            return new Answer(status, null, null, null, null, null, Map.of());
        }

        /**
         * A failure answer.
         *
         * @param status the HTTP status
         * @param errorCode the store's error code, or null if it sent none
         * @return the answer
         */
        public static Answer error(int status, @Nullable String errorCode) {
            return new Answer(status, errorCode, null, null, null, null, Map.of());
        }

        /**
         * A request that got no HTTP answer.
         *
         * @param why what happened instead, e.g. an exception's simple name
         * @return the answer, status {@link #NO_ANSWER}
         */
        public static Answer noAnswer(String why) {
            return error(NO_ANSWER, why);
        }

        /**
         * A request the wire did not send, because the driver offers no such form.
         *
         * @param why what was refused, e.g. {@code NOT_SUPPORTED}
         * @return the answer, status {@link #NOT_SENT}
         */
        public static Answer notSent(String why) {
            return error(NOT_SENT, why);
        }

        /**
         * This answer with an ETag.
         *
         * @param value the ETag as the store returned it (quoted or not), or null
         * @return the new answer
         */
        public Answer withEtag(@Nullable String value) {
            return new Answer(status, errorCode, value, versionId, lastModified, body, metadata);
        }

        /**
         * This answer with a version id.
         *
         * @param value the version id as the store returned it, or null
         * @return the new answer
         */
        public Answer withVersionId(@Nullable String value) {
            return new Answer(status, errorCode, etag, value, lastModified, body, metadata);
        }

        /**
         * This answer with a last-modified time.
         *
         * @param value the time, or null
         * @return the new answer
         */
        public Answer withLastModified(@Nullable Instant value) {
            return new Answer(status, errorCode, etag, versionId, value, body, metadata);
        }

        /**
         * This answer with a body.
         *
         * @param value the bytes read, or null
         * @return the new answer
         */
        public Answer withBody(byte @Nullable [] value) {
            return new Answer(status, errorCode, etag, versionId, lastModified, value, metadata);
        }

        /**
         * This answer with user metadata.
         *
         * @param value the metadata as the store returned it (names as returned)
         * @return the new answer
         */
        public Answer withMetadata(Map<String, String> value) {
            return new Answer(status, errorCode, etag, versionId, lastModified, body,
                    Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(value, "metadata"))));
        }

        /**
         * The HTTP status, {@link #NO_ANSWER} or {@link #NOT_SENT}.
         *
         * @return the status
         */
        public int status() {
            return status;
        }

        /**
         * Whether the status is 2xx.
         *
         * @return true on success
         */
        public boolean succeeded() {
            return status / 100 == 2;
        }

        /**
         * Whether the wire refused to send the request ({@link #NOT_SENT}).
         *
         * @return true if nothing was sent
         */
        public boolean notSent() {
            return status == NOT_SENT;
        }

        /**
         * The store's error code.
         *
         * @return the code, or empty
         */
        public Optional<String> errorCode() {
            return Optional.ofNullable(errorCode);
        }

        /**
         * The ETag as returned.
         *
         * @return the ETag, or null
         */
        public @Nullable String etag() {
            return etag;
        }

        /**
         * The ETag's opaque value: without quotes and without a weak prefix.
         *
         * @return the value, or null if the answer has no ETag
         */
        public @Nullable String opaqueEtag() {
            if (etag == null) {
                return null;
            }
            String e = etag.startsWith("W/") ? etag.substring(2) : etag;
            return e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"") ? e.substring(1, e.length() - 1) : e;
        }

        /**
         * The version id as returned.
         *
         * @return the version id, or null
         */
        public @Nullable String versionId() {
            return versionId;
        }

        /**
         * The last-modified time.
         *
         * @return the time, or null
         */
        public @Nullable Instant lastModified() {
            return lastModified;
        }

        /**
         * The body read.
         *
         * @return the bytes, or null
         */
        public byte @Nullable [] body() {
            return body;
        }

        /**
         * The user metadata returned.
         *
         * @return an unmodifiable map, names as returned
         */
        public Map<String, String> metadata() {
            return metadata;
        }

        /**
         * Whether the body equals some bytes.
         *
         * @param expected the bytes
         * @return true if the body is exactly those bytes
         */
        public boolean bodyEquals(byte[] expected) {
            return body != null && Arrays.equals(body, expected);
        }

        /**
         * Status and error code, e.g. {@code 412 PreconditionFailed}, {@code no answer (SdkClientException)}.
         *
         * @return the text
         */
        @Override
        public String toString() {
            if (status == NO_ANSWER) {
                return "no answer (" + errorCode + ")";
            }
            if (status == NOT_SENT) {
                return "not sent (" + errorCode + ")";
            }
            return status + (errorCode == null ? "" : " " + errorCode);
        }
    }
}
