package io.leasehold.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leasehold.bench.contention.ContentionMain;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the dated benchmark report {@code bench/results/YYYY-MM-DD-MACHINE.md}: the machine and its
 * load, the JMH tables (read from the JSON JMH wrote) and the contention tables (measured now).
 * {@code bench/run.sh} runs JMH and then this.
 *
 * <pre>
 * java -cp … io.leasehold.bench.ReportMain --jmh-json FILE --out DIR [--machine NAME] [--jmh-args TEXT]
 *     [--skip-contention] [contention options, see ContentionMain]
 * </pre>
 */
public final class ReportMain {
    private ReportMain() {
    }

    /**
     * Entry point.
     *
     * @param args see the class documentation
     * @throws Exception if a step fails
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i], args[i + 1]);
        }
        Path out = Path.of(opts.getOrDefault("--out", "bench/results"));
        String machine = opts.getOrDefault("--machine", hostname());
        String loadBefore = loadAverage();
        StringBuilder md = new StringBuilder();
        md.append("# Benchmark report ").append(LocalDate.now(ZoneOffset.UTC)).append(" — ").append(machine).append("\n\n");
        md.append(environment(loadBefore)).append('\n');
        if (opts.containsKey("--jmh-json")) {
            md.append("## Per-operation overhead (JMH, stub transport)\n\n");
            md.append("JMH options: `").append(opts.getOrDefault("--jmh-args", "(see run.sh)")).append("`, GC profiler."
                    + " Every path talks to the same in-process stub transport (no network, no server): S3 through an"
                    + " `SdkHttpClient`, Azure through an azure-core `HttpClient`, serving a 1 KiB object with Leasehold's"
                    + " bookkeeping metadata. Time is average wall time per operation on one thread (± is JMH's 99.9%"
                    + " interval); allocation (KB/op) is the GC profiler's `gc.alloc.rate.norm` and, unlike time, hardly"
                    + " depends on the machine's load.\n\n");
            md.append(PATHS).append('\n');
            md.append(jmhTables(Path.of(opts.get("--jmh-json"))));
            if (opts.containsKey("--jmh-before")) {
                md.append("\n### Before and after the overhead fixes\n\n").append(BEFORE_AFTER)
                        .append(beforeAfter(Path.of(opts.get("--jmh-before")), Path.of(opts.get("--jmh-json"))));
            }
        }
        if (opts.containsKey("--probe")) {
            int[] n = java.util.Arrays.stream(opts.get("--probe").split(",")).mapToInt(Integer::parseInt).toArray();
            md.append("\n## Per-operation overhead by thread counters (count-based warm-up)\n\n").append(String.format(Locale.ROOT,
                    "`OverheadProbe`: one JVM per driver and path, every operation warmed up %d times, then %d rounds of %d"
                    + " operations; the median round's thread CPU time and allocated bytes per operation. Thread CPU time is"
                    + " not inflated by waiting for a core, so on a shared machine it is the better time figure; same stub"
                    + " transports and paths as JMH.%n", n[0], n[2], n[1]));
            md.append(OverheadProbe.runAll(n[0], n[1], n[2]));
        }
        if (!opts.containsKey("--skip-contention")) {
            ContentionMain.Settings settings = ContentionMain.Settings.parse(args);
            md.append("\n## Contention: writers on one key\n\n");
            md.append("Settings: ").append(settings.describe()).append(". ").append(CONTENTION_NOTES).append('\n');
            List<ContentionMain.Row> rows = ContentionMain.run(settings, System.out::println);
            md.append(ContentionMain.markdown(rows));
        }
        md.append("\nLoad average (1, 5, 15 min) at the start: ").append(loadBefore).append("; at the end: ")
                .append(loadAverage()).append(".\n");
        Files.createDirectories(out);
        Path file = out.resolve(LocalDate.now(ZoneOffset.UTC) + "-" + machine + ".md");
        Files.writeString(file, md.toString(), StandardCharsets.UTF_8);
        System.out.println("report written to " + file);
    }

    static final String PATHS = "Paths: **raw** — the SDK called directly over a client built with the SDK's defaults"
            + " (what an application writes); **raw+bookkeeping** — the same with the two metadata entries Leasehold"
            + " adds to every write (write id and a 12-token history), which prices those headers inside the SDK"
            + " apart from the library's code; **leasehold** — `ObjectStore` over a client the driver builds;"
            + " **leasehold-caller** — `ObjectStore` over the raw path's own client, passed in by the caller;"
            + " **leasehold-caller-configured** (S3) — over a caller's client whose builder went through"
            + " `S3Driver.configureClient`. Δ columns are against **raw**.\n";

    static final String BEFORE_AFTER = "What Leasehold adds over the raw SDK (Δ against the **raw** path of the same run),"
            + " measured on the commit before the fixes in aws-adapter, azure-adapter and core and after them. Allocation"
            + " is the reliable column; time on this shared machine is not (see the load).\n\n";

    /**
     * Δ against raw, before and after: one row per operation and Leasehold path.
     *
     * @param before JMH JSON of the earlier run
     * @param after JMH JSON of the later run
     * @return Markdown
     * @throws IOException if a file cannot be read
     */
    static String beforeAfter(Path before, Path after) throws IOException {
        Map<String, Map<String, Map<String, Score>>> b = scores(before);
        Map<String, Map<String, Map<String, Score>>> a = scores(after);
        StringBuilder md = new StringBuilder("| benchmark | operation | path | Δ KB before | Δ KB after | Δ µs before | Δ µs after |\n"
                + "|---|---|---|---:|---:|---:|---:|\n");
        for (var cls : a.entrySet()) {
            for (var op : cls.getValue().entrySet()) {
                Map<String, Score> was = b.getOrDefault(cls.getKey(), Map.of()).getOrDefault(op.getKey(), Map.of());
                Score rawNow = op.getValue().get("raw");
                Score rawWas = was.get("raw");
                for (var p : op.getValue().entrySet()) {
                    if (!p.getKey().startsWith("leasehold") || rawNow == null) {
                        continue;
                    }
                    Score old = was.get(p.getKey());
                    md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %+.1f | %s | %+.1f |%n", cls.getKey(), op.getKey(),
                            p.getKey(),
                            old == null || rawWas == null ? "–" : String.format(Locale.ROOT, "%+.1f", (old.bytes - rawWas.bytes) / 1024),
                            (p.getValue().bytes - rawNow.bytes) / 1024,
                            old == null || rawWas == null ? "–" : String.format(Locale.ROOT, "%+.1f", old.micros - rawWas.micros),
                            p.getValue().micros - rawNow.micros));
                }
            }
        }
        return md.toString();
    }

    static final String CONTENTION_NOTES = "Each writer increments one decimal counter in a loop. **leasehold** is"
            + " `ObjectStore.update` with default options (whatever the core on the class path defaults to: since issue 9,"
            + " coalescing of concurrent updates in one store and a backoff sized to the contention observed on the key);"
            + " **leasehold-nocoalesce** is the same with `UpdateOptions.Builder.coalesce(false)`; **r4j-default**"
            + " is the read/If-Match loop on the store's own SDK with Resilience4j `RetryConfig.ofDefaults()` (3 attempts,"
            + " 500 ms fixed wait, any exception retried); **exponential** is the same loop with exponential backoff"
            + " without jitter (10 ms doubling to 1 s, 10 attempts). Memory and file have no SDK: their naive loops use"
            + " `ObjectStore.get` and a conditional `put`. goodput = successful updates completed in the window per"
            + " second; × = goodput relative to the 1-writer goodput of the same strategy, store and mode; attempts ="
            + " reads per success; requests = requests on the wire (driver calls on memory/file) per success; latency"
            + " = one successful update, retries included; failed = updates that gave up (retries exhausted) in the"
            + " window; unknown = `OutcomeUnknownException`s (never hidden: each may or may not have landed); counter ="
            + " the final value against the successes writers were told of (ok when equal, or higher by at most the"
            + " unknown outcomes).\n";

    private static String environment(String load) {
        StringBuilder b = new StringBuilder();
        b.append("- When: ").append(ZonedDateTime.now(ZoneOffset.UTC).withNano(0)).append('\n');
        b.append("- CPU: ").append(cpuModel()).append(", ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores available to the JVM\n");
        b.append("- Memory: ").append(memory()).append('\n');
        b.append("- JDK: ").append(System.getProperty("java.vm.name")).append(' ').append(System.getProperty("java.version"))
                .append("; OS: ").append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.version")).append('\n');
        b.append("- Load average at the start (1, 5, 15 min): ").append(load)
                .append(" — other sessions share these cores; times are noisy, allocations are not\n");
        return b.toString();
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }

    private static String memory() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal")) {
                    long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return String.format(Locale.ROOT, "%.0f GiB", kb / 1024.0 / 1024.0);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return "unknown";
    }

    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + ", " + parts[1] + ", " + parts[2];
        } catch (IOException | RuntimeException e) {
            return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    private static String hostname() {
        String h = System.getenv("HOSTNAME");
        if (h == null || h.isBlank()) {
            try {
                h = java.net.InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                h = "machine";
            }
        }
        return h.replaceAll("[^A-Za-z0-9-]", "-");
    }

    /** One benchmark's result. */
    static final class Score {
        final double micros;
        final double error;
        final double bytes;

        Score(double micros, double error, double bytes) {
            this.micros = micros;
            this.error = error;
            this.bytes = bytes;
        }
    }

    /**
     * The JMH tables: one per benchmark class, an operation per row, a path per column group.
     *
     * @param json the file JMH wrote with {@code -rf json}
     * @return Markdown
     * @throws IOException if the file cannot be read
     */
    static String jmhTables(Path json) throws IOException {
        Map<String, Map<String, Map<String, Score>>> byClass = scores(json);
        return tables(byClass);
    }

    /** Scores by benchmark class, operation and path. */
    static Map<String, Map<String, Map<String, Score>>> scores(Path json) throws IOException {
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        Map<String, Map<String, Map<String, Score>>> byClass = new LinkedHashMap<>();
        for (JsonNode r : root) {
            String[] name = r.get("benchmark").asText().split("\\.");
            String cls = name[name.length - 2];
            String op = name[name.length - 1];
            String path = r.path("params").path("path").asText("");
            double bytes = Double.NaN;
            for (var e : r.path("secondaryMetrics").properties()) {
                if (e.getKey().endsWith("gc.alloc.rate.norm")) {
                    bytes = e.getValue().get("score").asDouble();
                }
            }
            JsonNode pm = r.get("primaryMetric");
            byClass.computeIfAbsent(cls, k -> new LinkedHashMap<>()).computeIfAbsent(op, k -> new LinkedHashMap<>())
                    .put(path, new Score(pm.get("score").asDouble(), pm.get("scoreError").asDouble(), bytes));
        }
        return byClass;
    }

    private static String tables(Map<String, Map<String, Map<String, Score>>> byClass) {
        StringBuilder md = new StringBuilder();
        for (var c : byClass.entrySet()) {
            md.append("\n### ").append(title(c.getKey())).append("\n\n");
            List<String> paths = new ArrayList<>();
            c.getValue().values().forEach(m -> m.keySet().forEach(p -> {
                if (!paths.contains(p)) {
                    paths.add(p);
                }
            }));
            md.append("| operation |");
            for (String p : paths) {
                md.append(' ').append(p).append(" µs/op | KB/op |");
                if (!p.equals("raw")) {
                    md.append(" Δ µs | Δ KB |");
                }
            }
            md.append("\n|---|");
            for (String p : paths) {
                md.append("---:|---:|");
                if (!p.equals("raw")) {
                    md.append("---:|---:|");
                }
            }
            md.append('\n');
            for (var op : c.getValue().entrySet()) {
                Score raw = op.getValue().get("raw");
                md.append("| ").append(op.getKey()).append(" |");
                for (String p : paths) {
                    Score s = op.getValue().get(p);
                    if (s == null) {
                        md.append(" | |");
                        if (!p.equals("raw")) {
                            md.append(" | |");
                        }
                        continue;
                    }
                    md.append(String.format(Locale.ROOT, " %.1f ± %.1f | %.1f |", s.micros, s.error, s.bytes / 1024));
                    if (!p.equals("raw")) {
                        md.append(raw == null ? " | |" : String.format(Locale.ROOT, " %+.1f | %+.1f |",
                                s.micros - raw.micros, (s.bytes - raw.bytes) / 1024));
                    }
                }
                md.append('\n');
            }
        }
        return md.toString();
    }

    private static String title(String cls) {
        switch (cls) {
            case "S3Bench":
                return "S3 driver (AWS SDK v2 2.41.8, profile aws) over a stub `SdkHttpClient`";
            case "AzureBench":
                return "Azure Blob driver (azure-storage-blob 12.36.0) over a stub azure-core `HttpClient`";
            case "MemoryBench":
                return "The facade alone: memory driver called directly (raw) vs through `ObjectStore`";
            default:
                return cls;
        }
    }
}
