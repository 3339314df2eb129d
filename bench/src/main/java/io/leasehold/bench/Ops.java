package io.leasehold.bench;

/**
 * The four operations every benchmark measures, done one way (raw SDK, or Leasehold over some client).
 * Each returns what the call returned, so that JMH keeps it alive.
 */
public interface Ops extends AutoCloseable {
    /** @return the result of an unconditional put */
    Object put();

    /** @return the result of a put conditioned on the current ETag (If-Match) */
    Object putIfMatch();

    /** @return the result of a plain get with content */
    Object get();

    /** @return the result of a get answered "not modified" (If-None-Match on the current ETag) */
    Object getIfNoneMatch();

    /** @return the result of a read, a change of one byte, and a write conditioned on the version read */
    Object update();

    @Override
    void close();
}
