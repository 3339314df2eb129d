package io.leasehold.bench.contention;

import com.azure.storage.blob.BlobContainerClientBuilder;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leasehold.core.GetResult;
import io.leasehold.core.ObjectStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The contention harness: writers in {1, 4, 16, 32} increment one counter, as threads in one JVM and
 * spread over several JVMs, on memory, file, Azurite and Ceph RGW, with Leasehold's {@code update}
 * against the loops an application would write on the raw SDKs ({@link Strategy}).
 *
 * <pre>
 * java -cp … io.leasehold.bench.contention.ContentionMain [--stores memory,file,azurite,rgw]
 *     [--writers 1,4,16,32] [--modes threads,processes] [--strategies leasehold,r4j-default,exponential]
 *     [--warmup-ms 2000] [--window-ms 8000] [--processes 4] [--azurite-home azure-adapter/azurite]
 * </pre>
 * RGW comes from {@code LEASEHOLD_RGW_ENDPOINT}, {@code LEASEHOLD_RGW_ACCESS_KEY},
 * {@code LEASEHOLD_RGW_SECRET_KEY} (bucket {@code leasehold}); without them the RGW rows are skipped.
 * Azurite is started on a free loopback port and stopped at the end. Every loop is bounded in time.
 */
public final class ContentionMain {
    private ContentionMain() {
    }

    /** One measured cell. */
    public static final class Row {
        /** Store name. */
        public String store;
        /** threads or processes. */
        public String mode;
        /** Strategy name. */
        public String strategy;
        /** Writers. */
        public int writers;
        /** What was measured. */
        public CellResult result;
        /** The counter's value after the cell. */
        public long finalCounter;
        /** Why the cell could not run, or null. */
        public String error;

        /** @return final counter minus successful updates: 0, or up to the unknown outcomes, is correct */
        public long drift() {
            return finalCounter - result.successesTotal;
        }

        /** @return whether the counter is consistent with what the writers were told */
        public boolean counterConsistent() {
            return drift() >= 0 && drift() <= result.unknownTotal;
        }
    }

    /** The harness's settings. */
    public static final class Settings {
        List<String> stores = List.of("memory", "file", "azurite", "rgw");
        List<Integer> writers = List.of(1, 4, 16, 32);
        List<String> modes = List.of("threads", "processes");
        List<String> strategies = Strategy.DEFAULTS;
        long warmupMillis = 2000;
        long windowMillis = 8000;
        int processes = 4;
        Path azuriteHome = Path.of("azure-adapter/azurite");

        /**
         * Parses command-line options.
         *
         * @param args the options
         * @return the settings
         */
        public static Settings parse(String[] args) {
            Settings s = new Settings();
            for (int i = 0; i < args.length; i++) {
                String v = i + 1 < args.length ? args[i + 1] : "";
                switch (args[i]) {
                    case "--stores": s.stores = List.of(v.split(",")); i++; break;
                    case "--writers": s.writers = Arrays.stream(v.split(",")).map(Integer::valueOf).collect(Collectors.toList()); i++; break;
                    case "--modes": s.modes = List.of(v.split(",")); i++; break;
                    case "--strategies": s.strategies = List.of(v.split(",")); i++; break;
                    case "--warmup-ms": s.warmupMillis = Long.parseLong(v); i++; break;
                    case "--window-ms": s.windowMillis = Long.parseLong(v); i++; break;
                    case "--processes": s.processes = Integer.parseInt(v); i++; break;
                    case "--azurite-home": s.azuriteHome = Path.of(v); i++; break;
                    default:
                        // options of the report runner pass through
                        break;
                }
            }
            return s;
        }

        /** @return a one-line description for the report */
        public String describe() {
            return "writers " + writers + ", warm-up " + warmupMillis + " ms, window " + windowMillis + " ms, "
                    + processes + " JVMs in processes mode, strategies " + strategies;
        }
    }

    /**
     * Runs the harness and prints the tables.
     *
     * @param args see the class documentation
     * @throws Exception on a failure outside a cell
     */
    public static void main(String[] args) throws Exception {
        List<Row> rows = run(Settings.parse(args), System.out::println);
        System.out.println(markdown(rows));
    }

    /**
     * Runs every cell.
     *
     * @param s settings
     * @param progress receives a line per cell
     * @return the rows
     * @throws Exception on a failure outside a cell
     */
    public static List<Row> run(Settings s, java.util.function.Consumer<String> progress) throws Exception {
        List<Row> rows = new ArrayList<>();
        String runId = Long.toString(System.currentTimeMillis(), 36);
        AzuriteProcess azurite = null;
        Path fileDir = Files.createTempDirectory("leasehold-contention-");
        try {
            for (String storeName : s.stores) {
                String spec;
                switch (storeName) {
                    case "memory":
                        spec = "memory";
                        break;
                    case "file":
                        spec = "file|" + fileDir;
                        break;
                    case "azurite":
                        if (azurite == null) {
                            azurite = AzuriteProcess.start(s.azuriteHome.toAbsolutePath());
                        }
                        String container = "contention-" + runId;
                        new BlobContainerClientBuilder().endpoint(azurite.endpoint()).containerName(container)
                                .credential(new StorageSharedKeyCredential("devstoreaccount1",
                                        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="))
                                .buildClient().createIfNotExists();
                        spec = "azurite|" + azurite.endpoint() + "|" + container;
                        break;
                    case "rgw":
                        String endpoint = System.getenv("LEASEHOLD_RGW_ENDPOINT");
                        if (endpoint == null || endpoint.isBlank()) {
                            progress.accept("rgw: LEASEHOLD_RGW_ENDPOINT not set, skipped");
                            Row skipped = new Row();
                            skipped.store = "rgw";
                            skipped.error = "LEASEHOLD_RGW_ENDPOINT not set";
                            rows.add(skipped);
                            continue;
                        }
                        spec = "rgw|" + endpoint.trim() + "|leasehold|LEASEHOLD_RGW_ACCESS_KEY|LEASEHOLD_RGW_SECRET_KEY";
                        break;
                    default:
                        throw new IllegalArgumentException("unknown store " + storeName);
                }
                Target target = new Target(spec);
                for (String mode : s.modes) {
                    if (mode.equals("processes") && !target.sharedAcrossProcesses()) {
                        continue;
                    }
                    for (int writers : s.writers) {
                        for (String strategy : s.strategies) {
                            String key = "contention/" + runId + "/" + storeName + "/" + mode + "/" + strategy + "/" + writers;
                            Row row = new Row();
                            row.store = storeName;
                            row.mode = mode;
                            row.strategy = strategy;
                            row.writers = writers;
                            try {
                                reset(target, key);
                                row.result = mode.equals("threads")
                                        ? Cell.run(target, strategy, writers, key, System.currentTimeMillis() + 200,
                                                s.warmupMillis, s.windowMillis)
                                        : processes(target, strategy, writers, key, s);
                                row.finalCounter = counter(target, key);
                            } catch (Exception e) {
                                row.error = e.getClass().getSimpleName() + ": " + e.getMessage();
                            }
                            rows.add(row);
                            progress.accept(line(row));
                        }
                    }
                }
            }
        } finally {
            if (azurite != null) {
                azurite.close();
            }
            deleteTree(fileDir);
        }
        return rows;
    }

    private static void reset(Target target, String key) {
        Target.Counted<ObjectStore> store = target.leasehold();
        try {
            store.value.put(key, "0".getBytes(StandardCharsets.US_ASCII));
        } finally {
            store.value.close();
        }
    }

    private static long counter(Target target, String key) {
        Target.Counted<ObjectStore> store = target.leasehold();
        try {
            GetResult r = store.value.get(key);
            return Long.parseLong(new String(r.content(), StandardCharsets.US_ASCII).trim());
        } finally {
            store.value.close();
        }
    }

    /** Runs a cell over several JVMs: the writers spread evenly, one JVM for a single writer. */
    private static CellResult processes(Target target, String strategy, int writers, String key, Settings s)
            throws IOException, InterruptedException {
        int jvms = Math.min(s.processes, writers);
        List<Process> children = new ArrayList<>();
        List<BufferedReader> outputs = new ArrayList<>();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        try {
            for (int i = 0; i < jvms; i++) {
                int threads = writers / jvms + (i < writers % jvms ? 1 : 0);
                ProcessBuilder pb = new ProcessBuilder(java, "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                        "-cp", System.getProperty("java.class.path"),
                        "-Dorg.slf4j.simpleLogger.defaultLogLevel=error",
                        ContentionWorker.class.getName(), target.spec, strategy, Integer.toString(threads), key,
                        Long.toString(s.warmupMillis), Long.toString(s.windowMillis));
                pb.redirectError(ProcessBuilder.Redirect.INHERIT);
                Process p = pb.start();
                children.add(p);
                outputs.add(new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
            }
            for (BufferedReader out : outputs) {
                String line;
                while ((line = out.readLine()) != null && !line.equals("READY")) {
                    // skip anything a library printed
                }
                if (line == null) {
                    throw new IllegalStateException("a worker JVM exited before it was ready");
                }
            }
            long start = System.currentTimeMillis() + 300;
            for (Process p : children) {
                OutputStream in = p.getOutputStream();
                in.write(("GO " + start + "\n").getBytes(StandardCharsets.UTF_8));
                in.flush();
            }
            CellResult merged = new CellResult();
            ObjectMapper json = new ObjectMapper();
            for (BufferedReader out : outputs) {
                String line;
                CellResult part = null;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith("RESULT ")) {
                        part = json.readValue(line.substring(7), CellResult.class);
                    }
                }
                if (part == null) {
                    throw new IllegalStateException("a worker JVM ended without a result");
                }
                merged.merge(part);
            }
            for (Process p : children) {
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
            return merged;
        } finally {
            for (Process p : children) {
                if (p.isAlive()) {
                    p.destroyForcibly();
                }
            }
        }
    }

    static String line(Row r) {
        if (r.error != null) {
            return String.format(Locale.ROOT, "%-8s %-9s %-20s %3d  ERROR %s", r.store, r.mode, r.strategy, r.writers, r.error);
        }
        CellResult c = r.result;
        return String.format(Locale.ROOT, "%-8s %-9s %-20s %3d  %8.1f/s  att %.2f  req %.2f  p50 %.1f ms  p99 %.1f ms"
                        + "  failed %d  unknown %d  counter %s",
                r.store, r.mode, r.strategy, r.writers, c.goodput(), c.attemptsPerSuccess(), c.requestsPerSuccess(),
                c.latencyMillis(0.5), c.latencyMillis(0.99), c.failed(), c.unknown,
                r.counterConsistent() ? "ok" : "DRIFT " + r.drift());
    }

    /**
     * The contention tables in Markdown: one per store and mode.
     *
     * @param rows the measured rows
     * @return Markdown
     */
    public static String markdown(List<Row> rows) {
        StringBuilder md = new StringBuilder();
        Map<String, List<Row>> groups = new LinkedHashMap<>();
        for (Row r : rows) {
            if (r.error != null && r.mode == null) {
                md.append("- ").append(r.store).append(": not measured (").append(r.error).append(")\n");
                continue;
            }
            groups.computeIfAbsent(r.store + " — " + (r.mode.equals("threads") ? "threads in one JVM" : "spread over JVMs"),
                    k -> new ArrayList<>()).add(r);
        }
        for (Map.Entry<String, List<Row>> g : groups.entrySet()) {
            md.append("\n#### ").append(g.getKey()).append("\n\n");
            md.append("| writers | strategy | goodput/s | × | attempts/success | requests/success | p50 ms | p99 ms |"
                    + " failed | unknown | counter |\n");
            md.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
            for (Row r : g.getValue()) {
                if (r.error != null) {
                    md.append(String.format(Locale.ROOT, "| %d | %s | error: %s |||||||||\n", r.writers, r.strategy, r.error));
                    continue;
                }
                CellResult c = r.result;
                Row base = g.getValue().stream().filter(b -> b.writers == 1 && b.strategy.equals(r.strategy) && b.error == null)
                        .findFirst().orElse(null);
                String times = base == null || base.result.goodput() == 0 ? "–"
                        : String.format(Locale.ROOT, "%.2f×", c.goodput() / base.result.goodput());
                String failed = c.failed() == 0 ? "0" : c.failed() + " " + c.failures.keySet();
                md.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s | %s | %s | %s | %s | %d | %s |\n",
                        r.writers, r.strategy, num(c.goodput()), times, num(c.attemptsPerSuccess()),
                        num(c.requestsPerSuccess()), num(c.latencyMillis(0.5)), num(c.latencyMillis(0.99)), failed,
                        c.unknown, r.counterConsistent() ? "ok"
                                : "**drift " + r.drift() + "** (" + (r.drift() > 0 ? "applied but reported failed, or applied twice"
                                : "lost updates") + ")"));
            }
        }
        return md.toString();
    }

    private static String num(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** @return a fresh id for keys */
    static String id() {
        return UUID.randomUUID().toString();
    }
}
