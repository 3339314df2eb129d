package io.leasehold.core.transfer;

/**
 * Told how far a streaming put or get has come, e.g. to draw a progress line.
 *
 * <p>Thread-safety: a put calls it from its upload threads, one call at a time (the calls are
 * serialised); a get calls it from the reading thread. Keep it fast: transfers wait for it.
 */
@FunctionalInterface
public interface TransferListener {
    /**
     * Bytes moved so far. For a put: bytes whose parts the store has accepted (a part counts once
     * it is uploaded); for a get: bytes handed to the caller. Starts again from 0 when a download
     * restarts on a replaced object.
     *
     * @param transferred bytes so far
     * @param total the object's size, or -1 when a put's length is unknown
     */
    void onProgress(long transferred, long total);
}
