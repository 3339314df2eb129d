package io.leasehold.azure;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;

/**
 * A download body (a {@link Flux} of buffers) as a blocking {@link InputStream} with bounded
 * memory: one buffer is requested at a time, the next only once the reader has consumed the last.
 * A failure of the body, or no buffer for {@code stall}, surfaces as an {@link IOException} from
 * {@code read}, which the facade answers by resuming the range.
 *
 * <p>Thread-safety: one reader thread; the publisher delivers on its own threads.
 */
final class FluxInputStream extends InputStream {
    private static final Object END = new Object();

    private final BlockingQueue<Object> delivered = new LinkedBlockingQueue<>();
    private final Subscriber subscriber = new Subscriber();
    private final Closeable response;
    private final Duration stall;
    private ByteBuffer current;
    private boolean ended;
    private boolean closed;

    FluxInputStream(Flux<ByteBuffer> body, Closeable response, Duration stall) {
        this.response = response;
        this.stall = stall;
        body.subscribe(subscriber);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
        if (len == 0) {
            return 0;
        }
        while (current == null || !current.hasRemaining()) {
            if (ended) {
                return -1;
            }
            if (current != null) {
                current = null;
                subscriber.next();
            }
            Object next;
            try {
                next = delivered.poll(stall.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while waiting for the download");
            }
            if (next == null) {
                ended = true;
                subscriber.cancel();
                throw new IOException("no bytes from Azure for " + stall.toSeconds() + " s");
            }
            if (next == END) {
                ended = true;
                return -1;
            }
            if (next instanceof Throwable) {
                ended = true;
                throw next instanceof IOException ? (IOException) next : new IOException("the download failed", (Throwable) next);
            }
            current = (ByteBuffer) next;
        }
        int n = Math.min(len, current.remaining());
        current.get(b, off, n);
        return n;
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        subscriber.cancel();
        response.close();
    }

    /** Requests one buffer at a time. */
    private final class Subscriber extends BaseSubscriber<ByteBuffer> {
        @Override
        protected void hookOnSubscribe(Subscription subscription) {
            subscription.request(1);
        }

        @Override
        protected void hookOnNext(ByteBuffer value) {
            delivered.add(value);
        }

        @Override
        protected void hookOnComplete() {
            delivered.add(END);
        }

        @Override
        protected void hookOnError(Throwable throwable) {
            delivered.add(throwable);
        }

        void next() {
            request(1);
        }
    }
}
