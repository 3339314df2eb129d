package io.leasehold.tck.history;

import io.leasehold.core.ObjectStore;
import io.leasehold.tck.faults.ErrorDialect;
import io.leasehold.tck.faults.FaultPlan;
import io.leasehold.tck.faults.FaultProxy;
import io.leasehold.tck.faults.WireRecorder;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A {@link HistoryWorkload} on a real server through a {@link FaultProxy}: this JVM's processes and
 * optionally child JVMs' (all through the same proxy, so the wire audit sees every write), faults
 * from {@link HistoryFaults#plan}, then the faults are turned off and the run is checked with
 * {@link HistoryCheck}, wire records included.
 *
 * <p>Thread-safety: the builder is not thread-safe; {@link #run} runs one history at a time.
 */
public final class ProxiedHistoryRun {
    private final URI upstream;
    private final ErrorDialect dialect;
    private final String name;
    private HistoryWorkload workload;
    private Function<URI, ObjectStore> open;
    private Boolean uniqueEtags;
    private Class<?> childMain;
    private int children;
    private Function<URI, Map<String, String>> childEnvironment = proxy -> Map.of();
    private Path workDir;
    private Function<Long, FaultPlan> plans = HistoryFaults::plan;

    private ProxiedHistoryRun(URI upstream, ErrorDialect dialect, String name) {
        this.upstream = upstream;
        this.dialect = dialect;
        this.name = name;
    }

    /**
     * A run against a server.
     *
     * @param upstream the server's base URI
     * @param dialect how it words errors (for the proxy's made-up store errors)
     * @param name the store's name in reports, e.g. {@code ceph-rgw}
     * @return the run; set the workload and how to open a store, then {@link #run}
     */
    public static ProxiedHistoryRun against(URI upstream, ErrorDialect dialect, String name) {
        return new ProxiedHistoryRun(Objects.requireNonNull(upstream, "upstream"), Objects.requireNonNull(dialect, "dialect"),
                Objects.requireNonNull(name, "name"));
    }

    /**
     * The workload this JVM runs (children run the same with their own process prefix and seed).
     *
     * @param workload the workload
     * @return this run
     */
    public ProxiedHistoryRun workload(HistoryWorkload workload) {
        this.workload = Objects.requireNonNull(workload, "workload");
        return this;
    }

    /**
     * How to open a store whose client talks to the proxy; every store opened must see the same
     * bucket or container as the clean store passed to {@link #run}.
     *
     * @param open from the proxy's endpoint to a new store (closed by the run)
     * @return this run
     */
    public ProxiedHistoryRun storeThrough(Function<URI, ObjectStore> open) {
        this.open = Objects.requireNonNull(open, "open");
        return this;
    }

    /**
     * Whether the server's ETags name one write (Azure) or hash the content (S3, Ceph RGW).
     *
     * @param unique true for unique ETags (by default, what the clean store's capabilities say)
     * @return this run
     */
    public ProxiedHistoryRun uniqueEtags(boolean unique) {
        this.uniqueEtags = unique;
        return this;
    }

    /**
     * Child JVMs that run their share through the same proxy.
     *
     * @param main their main class (calls {@link HistoryWorkers#child(String[])})
     * @param count how many
     * @param environment from the proxy's endpoint to the children's extra environment
     * @param dir an existing directory for their parts and output
     * @return this run
     */
    public ProxiedHistoryRun children(Class<?> main, int count, Function<URI, Map<String, String>> environment, Path dir) {
        this.childMain = Objects.requireNonNull(main, "main");
        this.children = count;
        this.childEnvironment = Objects.requireNonNull(environment, "environment");
        this.workDir = Objects.requireNonNull(dir, "dir");
        return this;
    }

    /**
     * The fault plans (default {@link HistoryFaults#plan}).
     *
     * @param plans from a seed to a fresh plan
     * @return this run
     */
    public ProxiedHistoryRun plans(Function<Long, FaultPlan> plans) {
        this.plans = Objects.requireNonNull(plans, "plans");
        return this;
    }

    /**
     * Runs the workload with faults on, turns them off, and checks.
     *
     * @param clean a store on the same data that does not go through the proxy (for the final reads)
     * @return the report
     * @throws IllegalStateException if a child JVM fails
     */
    public HistoryReport run(ObjectStore clean) {
        Objects.requireNonNull(workload, "workload");
        Objects.requireNonNull(open, "storeThrough");
        WireRecorder recorder = new WireRecorder();
        List<HistoryPart> parts = new ArrayList<>();
        try (FaultProxy proxy = FaultProxy.builder(upstream).dialect(dialect).recorder(recorder).start()) {
            HistoryWorkers workers = children == 0 ? null
                    : HistoryWorkers.start(workDir, childMain, workload, children, childEnvironment.apply(proxy.endpoint()));
            try (ObjectStore store = open.apply(proxy.endpoint())) {
                proxy.plan(plans.apply(workload.seed()));
                if (workers != null) {
                    workers.release();
                }
                parts.add(workload.run(store));
                if (workers != null) {
                    parts.addAll(workers.await(Duration.ofHours(2)));
                }
            } finally {
                proxy.plan(FaultPlan.none());
                if (workers != null) {
                    workers.close();
                }
            }
        }
        HistoryCheck check = HistoryCheck.of(HistoryPart.merge(parts), workload, name).wire(recorder.records());
        if (uniqueEtags != null) {
            check.uniqueEtags(uniqueEtags);
        }
        return check.check(clean);
    }
}
