package io.leasehold.bench.contention;

/**
 * The two requests a hand-written read/If-Match loop makes, over one store's own API: what an
 * application writes without Leasehold. Implementations throw on any failure (a lost race included);
 * the caller's retry decides what to do.
 */
interface Cas {
    /** The current content and its ETag, or null if the key is absent. */
    Current read(String key);

    /** Writes {@code content} if the object is still at {@code etag} (create-if-absent when null). */
    void write(String key, byte[] content, String etag);

    /** Requests sent so far through this client (SDK retries included). */
    long requests();

    /** A read: content and ETag. */
    final class Current {
        final byte[] content;
        final String etag;

        Current(byte[] content, String etag) {
            this.content = content;
            this.etag = etag;
        }
    }
}
