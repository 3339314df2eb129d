package io.leasehold.bench;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * CPU time and allocation per operation measured by the thread's own counters, after a warm-up
 * counted in operations rather than seconds: on a shared machine a thread that gets little CPU makes
 * few calls in a time-boxed JMH warm-up and may still run interpreted code when measuring, while
 * thread CPU time is not inflated by waiting for a core. A complement to the JMH results, not a
 * replacement. One JVM per driver and path ({@link #main} with one path), so that paths do not share
 * JIT profiles.
 *
 * <pre>
 * java -cp … io.leasehold.bench.OverheadProbe DRIVER PATH [warm-up ops] [measured ops] [rounds]
 * </pre>
 * prints one line per operation: {@code PROBE driver path op cpuNanosPerOp bytesPerOp wallNanosPerOp}
 * (medians over the rounds).
 */
public final class OverheadProbe {
    private OverheadProbe() {
    }

    /**
     * Entry point.
     *
     * @param args driver ({@code s3}, {@code azure}, {@code memory}), path, warm-up ops, measured ops, rounds
     */
    public static void main(String[] args) {
        String driver = args[0];
        String path = args[1];
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
        int measured = args.length > 3 ? Integer.parseInt(args[3]) : 2_000;
        int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 5;
        Fixture fixture = Fixture.of(Fixture.DEFAULT_SIZE);
        Ops ops;
        switch (driver) {
            case "s3":
                ops = StubClients.s3(path, fixture);
                break;
            case "azure":
                ops = StubClients.azure(path, fixture);
                break;
            default:
                ops = StubClients.memory(path, fixture);
        }
        Map<String, Supplier<Object>> operations = new LinkedHashMap<>();
        operations.put("put", ops::put);
        if (!driver.equals("memory")) {
            operations.put("putIfMatch", ops::putIfMatch);
        }
        operations.put("get", ops::get);
        if (!driver.equals("memory")) {
            operations.put("getIfNoneMatch", ops::getIfNoneMatch);
        }
        operations.put("update", ops::update);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().getId();
        Object sink = null;
        // warm every operation first, so that each is measured with the others' code compiled too
        for (Supplier<Object> op : operations.values()) {
            for (int i = 0; i < warmup; i++) {
                sink = op.get();
            }
        }
        for (Map.Entry<String, Supplier<Object>> op : operations.entrySet()) {
            List<double[]> samples = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                long cpu0 = threads.getCurrentThreadCpuTime();
                long bytes0 = threads.getThreadAllocatedBytes(self);
                long wall0 = System.nanoTime();
                for (int i = 0; i < measured; i++) {
                    sink = op.getValue().get();
                }
                long wall = System.nanoTime() - wall0;
                long bytes = threads.getThreadAllocatedBytes(self) - bytes0;
                long cpu = threads.getCurrentThreadCpuTime() - cpu0;
                samples.add(new double[] {(double) cpu / measured, (double) bytes / measured, (double) wall / measured});
            }
            System.out.println(String.format(Locale.ROOT, "PROBE %s %s %s %.0f %.0f %.0f", driver, path, op.getKey(),
                    median(samples, 0), median(samples, 1), median(samples, 2)));
        }
        if (sink == null) {
            System.out.println("(no result)");
        }
        ops.close();
    }

    private static double median(List<double[]> samples, int column) {
        double[] v = samples.stream().mapToDouble(s -> s[column]).toArray();
        Arrays.sort(v);
        return v[v.length / 2];
    }

    /**
     * Runs every driver and path in its own JVM and renders the table.
     *
     * @param warmup warm-up operations per operation kind
     * @param measured measured operations per round
     * @param rounds rounds (the median is reported)
     * @return Markdown
     * @throws Exception if a JVM fails
     */
    static String runAll(int warmup, int measured, int rounds) throws Exception {
        Map<String, List<String>> paths = new LinkedHashMap<>();
        paths.put("s3", List.of(StubClients.RAW, StubClients.RAW_BOOKKEEPING, StubClients.LEASEHOLD,
                StubClients.LEASEHOLD_CALLER, StubClients.LEASEHOLD_CALLER_CONFIGURED));
        paths.put("azure", List.of(StubClients.RAW, StubClients.RAW_BOOKKEEPING, StubClients.LEASEHOLD,
                StubClients.LEASEHOLD_CALLER));
        paths.put("memory", List.of(StubClients.RAW, StubClients.LEASEHOLD));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // driver -> op -> path -> {cpu, bytes, wall}
        Map<String, Map<String, Map<String, double[]>>> results = new LinkedHashMap<>();
        for (var d : paths.entrySet()) {
            for (String path : d.getValue()) {
                Process p = new ProcessBuilder(java, "-Xms1g", "-Xmx1g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=error",
                        "-cp", System.getProperty("java.class.path"), OverheadProbe.class.getName(), d.getKey(), path,
                        Integer.toString(warmup), Integer.toString(measured), Integer.toString(rounds))
                        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (p.waitFor() != 0) {
                    throw new IllegalStateException("probe " + d.getKey() + " " + path + " failed");
                }
                for (String line : out.split("\n")) {
                    if (line.startsWith("PROBE ")) {
                        String[] f = line.split(" ");
                        results.computeIfAbsent(f[1], k -> new LinkedHashMap<>()).computeIfAbsent(f[3], k -> new LinkedHashMap<>())
                                .put(f[2], new double[] {Double.parseDouble(f[4]), Double.parseDouble(f[5]), Double.parseDouble(f[6])});
                    }
                }
                System.out.println("probe " + d.getKey() + " " + path + " done");
            }
        }
        StringBuilder md = new StringBuilder();
        for (var d : results.entrySet()) {
            List<String> ps = paths.get(d.getKey());
            md.append("\n#### ").append(d.getKey()).append(" — thread CPU µs/op and KB/op (Δ against raw)\n\n| operation |");
            for (String p : ps) {
                md.append(' ').append(p).append(" CPU µs | KB |");
            }
            md.append("\n|---|");
            md.append("---:|---:|".repeat(ps.size())).append('\n');
            for (var op : d.getValue().entrySet()) {
                double[] raw = op.getValue().get(StubClients.RAW);
                md.append("| ").append(op.getKey()).append(" |");
                for (String p : ps) {
                    double[] v = op.getValue().get(p);
                    if (v == null) {
                        md.append(" | |");
                    } else if (p.equals(StubClients.RAW) || raw == null) {
                        md.append(String.format(Locale.ROOT, " %.1f | %.1f |", v[0] / 1000, v[1] / 1024));
                    } else {
                        md.append(String.format(Locale.ROOT, " %.1f (%+.1f) | %.1f (%+.1f) |", v[0] / 1000,
                                (v[0] - raw[0]) / 1000, v[1] / 1024, (v[1] - raw[1]) / 1024));
                    }
                }
                md.append('\n');
            }
        }
        return md.toString();
    }
}
