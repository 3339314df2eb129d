package io.leasehold.tck.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A fault-injecting HTTP/1.1 reverse proxy on 127.0.0.1 in front of one upstream server (RGW,
 * Azurite, …): clients talk to {@link #endpoint()}, the proxy forwards to the upstream, and a
 * {@link FaultPlan} decides per request whether to lose the answer, replace it with an error, reject
 * the request, reset the connection or delay it ({@link Fault}). Every request is logged in a
 * {@link WireRecorder}.
 *
 * <pre>{@code
 * WireRecorder recorder = new WireRecorder();
 * try (FaultProxy proxy = FaultProxy.builder(rgwEndpoint).dialect(ErrorDialect.S3)
 *         .plan(plan).recorder(recorder).start()) {
 *     // point the client at proxy.endpoint()
 * }
 * }</pre>
 *
 * <h2>HTTP handling</h2>
 * Client connections are kept alive. Request bodies framed by Content-Length or
 * {@code Transfer-Encoding: chunked} (trailers included) are read whole and forwarded in the same
 * framing, byte for byte, so signatures over headers and payload stay valid; the SDK's
 * {@code aws-chunked} content encoding passes through as body bytes. {@code Expect: 100-continue} is
 * answered by the proxy itself ({@code 100 Continue}) and not forwarded. Each request gets a fresh
 * upstream connection, closed with a reset (SO_LINGER 0) once the answer is read, so long runs leave
 * no TIME_WAIT sockets behind; answers to HEAD, 1xx, 204 and 304 have no body; interim 1xx answers
 * from the upstream are skipped.
 *
 * <p>If the upstream fails mid-answer, the record says {@link WireRecord#NO_ANSWER} and the client's
 * connection is reset: the proxy never re-sends a request.
 *
 * <p>Thread-safety: safe for concurrent use; one thread per client connection. {@link #plan(FaultPlan)}
 * may be swapped at any time (requests already decided keep their fault).
 */
public final class FaultProxy implements AutoCloseable {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration UPSTREAM_READ_TIMEOUT = Duration.ofSeconds(120);

    private final InetSocketAddress upstream;
    private final ErrorDialect dialect;
    private final WireRecorder recorder;
    private final AtomicReference<FaultPlan> plan;
    private final ServerSocket server;
    private final ExecutorService connections;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile boolean closed;

    private FaultProxy(Builder b) throws IOException {
        this.upstream = b.upstream;
        this.dialect = b.dialect;
        this.recorder = b.recorder;
        this.plan = new AtomicReference<>(b.plan);
        this.server = new ServerSocket();
        this.server.setReuseAddress(true);
        this.server.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), b.port), 256);
        AtomicInteger n = new AtomicInteger();
        this.connections = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fault-proxy-" + server.getLocalPort() + "-conn-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.acceptor = new Thread(this::acceptLoop, "fault-proxy-" + server.getLocalPort() + "-accept");
        this.acceptor.setDaemon(true);
        this.acceptor.start();
    }

    /**
     * A builder for a proxy in front of {@code upstream}.
     *
     * @param upstream the server's base URI, e.g. {@code http://127.0.0.1:28778} (only scheme http,
     *     host and port are used)
     * @return the builder
     */
    public static Builder builder(URI upstream) {
        Objects.requireNonNull(upstream, "upstream");
        if (!"http".equalsIgnoreCase(upstream.getScheme()) || upstream.getHost() == null) {
            throw new IllegalArgumentException("upstream must be an http://host:port URI: " + upstream);
        }
        int port = upstream.getPort() == -1 ? 80 : upstream.getPort();
        return new Builder(new InetSocketAddress(upstream.getHost(), port));
    }

    /**
     * The proxy's base URI, {@code http://127.0.0.1:PORT}.
     *
     * @return the URI
     */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /**
     * The address the proxy listens on.
     *
     * @return 127.0.0.1 and its port
     */
    public InetSocketAddress address() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    /**
     * The port.
     *
     * @return the port
     */
    public int port() {
        return server.getLocalPort();
    }

    /**
     * The recorder.
     *
     * @return never null
     */
    public WireRecorder recorder() {
        return recorder;
    }

    /**
     * The current plan.
     *
     * @return never null
     */
    public FaultPlan plan() {
        return plan.get();
    }

    /**
     * Replaces the plan for requests decided from now on.
     *
     * @param newPlan the plan, e.g. {@link FaultPlan#none()} for a clean read-back
     */
    public void plan(FaultPlan newPlan) {
        plan.set(Objects.requireNonNull(newPlan, "newPlan"));
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                continue;
            }
            open.add(client);
            try {
                connections.execute(() -> {
                    try {
                        new ProxyConnection(this, client).serve();
                    } finally {
                        open.remove(client);
                        closeQuietly(client);
                    }
                });
            } catch (RuntimeException rejected) {
                open.remove(client);
                closeQuietly(client);
            }
        }
    }

    InetSocketAddress upstream() {
        return upstream;
    }

    ErrorDialect dialect() {
        return dialect;
    }

    boolean isClosed() {
        return closed;
    }

    /** A fresh upstream connection. */
    Socket connectUpstream() throws IOException {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(upstream, (int) CONNECT_TIMEOUT.toMillis());
            s.setSoTimeout((int) UPSTREAM_READ_TIMEOUT.toMillis());
            return s;
        } catch (IOException e) {
            closeQuietly(s);
            throw e;
        }
    }

    /** Closes with a TCP reset instead of an orderly close. */
    static void reset(Socket s) {
        try {
            s.setSoLinger(true, 0);
        } catch (SocketException e) {
            // already closed
        }
        closeQuietly(s);
    }

    static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // nothing left to do
        }
    }

    /** Stops accepting, closes every client connection and stops the connection threads. */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        for (Socket s : open) {
            closeQuietly(s);
        }
        connections.shutdownNow();
        try {
            acceptor.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "FaultProxy{" + endpoint() + " -> " + upstream.getHostString() + ":" + upstream.getPort() + "}";
    }

    /**
     * Builds and starts a {@link FaultProxy}. Not thread-safe.
     */
    public static final class Builder {
        private final InetSocketAddress upstream;
        private ErrorDialect dialect = ErrorDialect.PLAIN;
        private FaultPlan plan = FaultPlan.none();
        private WireRecorder recorder;
        private int port;

        private Builder(InetSocketAddress upstream) {
            this.upstream = upstream;
        }

        /**
         * How made-up error answers are worded.
         *
         * @param dialect S3, Azure or plain (the default)
         * @return this builder
         */
        public Builder dialect(ErrorDialect dialect) {
            this.dialect = Objects.requireNonNull(dialect, "dialect");
            return this;
        }

        /**
         * The initial plan.
         *
         * @param plan the plan (default: none)
         * @return this builder
         */
        public Builder plan(FaultPlan plan) {
            this.plan = Objects.requireNonNull(plan, "plan");
            return this;
        }

        /**
         * Where to record requests.
         *
         * @param recorder the recorder (default: a new one)
         * @return this builder
         */
        public Builder recorder(WireRecorder recorder) {
            this.recorder = Objects.requireNonNull(recorder, "recorder");
            return this;
        }

        /**
         * The port on 127.0.0.1.
         *
         * @param port the port, or 0 (the default) for a free one
         * @return this builder
         */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /**
         * Binds 127.0.0.1 and starts accepting.
         *
         * @return the running proxy
         * @throws UncheckedIOException if the port cannot be bound
         */
        public FaultProxy start() {
            if (recorder == null) {
                recorder = new WireRecorder();
            }
            try {
                return new FaultProxy(this);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot bind the fault proxy on 127.0.0.1:" + port, e);
            }
        }
    }
}
