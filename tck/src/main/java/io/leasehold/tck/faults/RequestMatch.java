package io.leasehold.tck.faults;

import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which requests a {@link FaultPlan} rule applies to: by method, path, query or header presence,
 * combined with {@link #and}, {@link #or} and {@link #negate}.
 *
 * <pre>{@code
 * // conditional whole-object writes only: S3 PutObject / Azure Put Blob carrying If-Match
 * RequestMatch casWrites = RequestMatch.objectWrites().and(RequestMatch.header("If-Match"));
 * }</pre>
 *
 * <p>Thread-safety: implementations must be stateless or thread-safe; the factories here are.
 */
@FunctionalInterface
public interface RequestMatch {
    /**
     * Whether the rule applies to this request.
     *
     * @param request the request
     * @return true if it applies
     */
    boolean test(WireRequest request);

    /**
     * Both.
     *
     * @param other the other match
     * @return a match that holds when this and {@code other} hold
     */
    default RequestMatch and(RequestMatch other) {
        Objects.requireNonNull(other, "other");
        return r -> test(r) && other.test(r);
    }

    /**
     * Either.
     *
     * @param other the other match
     * @return a match that holds when this or {@code other} holds
     */
    default RequestMatch or(RequestMatch other) {
        Objects.requireNonNull(other, "other");
        return r -> test(r) || other.test(r);
    }

    /**
     * The opposite.
     *
     * @return a match that holds when this does not
     */
    default RequestMatch negate() {
        return r -> !test(r);
    }

    /**
     * Every request.
     *
     * @return the match
     */
    static RequestMatch any() {
        return r -> true;
    }

    /**
     * Requests with one of these methods.
     *
     * @param methods e.g. {@code "PUT"}
     * @return the match
     */
    static RequestMatch method(String... methods) {
        Set<String> set = Set.of(methods);
        return r -> set.contains(r.method());
    }

    /**
     * Requests whose raw path matches a regular expression (anywhere, as {@code Matcher.find}).
     *
     * @param regex the expression
     * @return the match
     */
    static RequestMatch path(String regex) {
        Pattern p = Pattern.compile(regex);
        return r -> p.matcher(r.path()).find();
    }

    /**
     * Requests whose raw query matches a regular expression (anywhere); never one without a query.
     *
     * @param regex the expression
     * @return the match
     */
    static RequestMatch query(String regex) {
        Pattern p = Pattern.compile(regex);
        return r -> r.query().map(q -> p.matcher(q).find()).orElse(false);
    }

    /**
     * Requests carrying a header.
     *
     * @param name the header name, any case
     * @return the match
     */
    static RequestMatch header(String name) {
        Objects.requireNonNull(name, "name");
        return r -> r.hasHeader(name);
    }

    /**
     * Requests carrying a user metadata entry ({@code x-amz-meta-NAME} or {@code x-ms-meta-NAME}) with
     * exactly this value, e.g. a test's per-call tag.
     *
     * @param name the metadata name, any case
     * @param value the value
     * @return the match
     */
    static RequestMatch metadata(String name, String value) {
        Objects.requireNonNull(value, "value");
        return r -> value.equals(r.header("x-amz-meta-" + name).orElse(null))
                || value.equals(r.header("x-ms-meta-" + name).orElse(null));
    }

    /**
     * Whole-object writes ({@link WireRequest#isObjectWrite()}).
     *
     * @return the match
     */
    static RequestMatch objectWrites() {
        return WireRequest::isObjectWrite;
    }

    /**
     * GET and HEAD requests.
     *
     * @return the match
     */
    static RequestMatch reads() {
        return method("GET", "HEAD");
    }
}
