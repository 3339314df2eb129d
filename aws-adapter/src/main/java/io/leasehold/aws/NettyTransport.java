package io.leasehold.aws;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;

/**
 * The Netty HTTP client of the asynchronous S3 client the driver builds. Kept in a class of its own,
 * loaded only when {@code software.amazon.awssdk:netty-nio-client} (an optional dependency) is on the
 * class path ({@link S3Connection#NETTY_PRESENT}).
 *
 * <p>The event loops (the SDK's, named {@code aws-java-sdk-NettyEventLoop-…}) are created here and shut
 * down by {@link #close()} without waiting: a client that owns its event loops waits out Netty's
 * two-second quiet period when it is closed, which would make closing a store take that long.
 *
 * <p>Thread-safety: safe for concurrent use.
 */
final class NettyTransport implements AutoCloseable {
    private final SdkEventLoopGroup eventLoops = SdkEventLoopGroup.builder().build();

    /**
     * Netty's client with the driver's settings: connect timeout, the request timeout as read and write
     * timeout, and at most {@code maxConnections} connections (requests beyond wait for one, without a
     * thread, up to Netty's acquire timeout).
     */
    SdkAsyncHttpClient.Builder<?> builder(Duration connectTimeout, Duration requestTimeout, int maxConnections) {
        return NettyNioAsyncHttpClient.builder()
                .eventLoopGroup(eventLoops)
                .connectionTimeout(connectTimeout)
                .readTimeout(requestTimeout)
                .writeTimeout(requestTimeout)
                .maxConcurrency(maxConnections);
    }

    /** Lets the event loops end once their work is done (daemon threads; nothing waits for them). */
    @Override
    public void close() {
        eventLoops.eventLoopGroup().shutdownGracefully(0, 5, TimeUnit.SECONDS);
    }
}
