package io.leasehold.tck.faults;

import io.leasehold.core.ObjectStore;
import java.net.URI;

/**
 * A real server that {@link FaultWorkloads} runs against through a {@link FaultProxy}: where it is,
 * how it words errors, and how to open a store whose driver talks to the proxy instead. Each adapter's
 * test implements it (Ceph RGW, Azurite, …).
 *
 * <p>Thread-safety: {@link #openThrough} may be called from the test thread only; the stores it returns
 * must be thread-safe (every {@link ObjectStore} is).
 */
public interface FaultTarget {
    /**
     * A short name for reports, e.g. {@code ceph-rgw}.
     *
     * @return the name
     */
    String name();

    /**
     * The server's base URI; the proxy forwards to its host and port.
     *
     * @return e.g. {@code http://127.0.0.1:28778}
     */
    URI upstream();

    /**
     * How the server words its errors.
     *
     * @return the dialect
     */
    ErrorDialect dialect();

    /**
     * Opens a store on a fresh or shared bucket/container whose client sends every request to the proxy.
     *
     * @param proxyEndpoint {@code http://127.0.0.1:PORT} of the proxy
     * @return a new store; the workload closes it
     */
    ObjectStore openThrough(URI proxyEndpoint);
}
