package io.leasehold.tck.history;

import io.leasehold.test.history.History;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What one run of a {@link HistoryWorkload} recorded, in one JVM or merged from several: the
 * counter and register histories (for {@link io.leasehold.test.history.Checker}), every mutating
 * call with the evidence that recognises its writes on the wire (for the wire audit), the write ids
 * the library reported for puts and those reads saw, the faults a {@link HistoryWorkload.FaultHook}
 * injected, and problems noticed while running (an exception outside the library's hierarchy, a
 * result without a write id).
 *
 * <p>A child JVM {@linkplain #writeTo writes} its part to a directory; the parent
 * {@linkplain #read reads} the parts and {@linkplain #merge merges} them with its own.
 *
 * <p>Thread-safety: safe for concurrent use while recording; read it after the run.
 */
public final class HistoryPart {
    private final History counters;
    private final History registers;
    private final ConcurrentLinkedQueue<MutationCall> calls = new ConcurrentLinkedQueue<>();
    /** Write tag of a put → the library's write id for it. */
    private final Map<String, String> reportedWriteIds = new ConcurrentHashMap<>();
    /** {tag, library write id} pairs that reads returned. */
    private final ConcurrentLinkedQueue<String[]> observedWriteIds = new ConcurrentLinkedQueue<>();
    private final Map<String, Long> injectedFaults = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    private volatile Duration elapsed = Duration.ZERO;

    private HistoryPart(History counters, History registers) {
        this.counters = counters;
        this.registers = registers;
    }

    static HistoryPart empty() {
        return new HistoryPart(History.create(), History.create());
    }

    /**
     * The operations on counter keys (calls of {@link io.leasehold.test.history.Counter}).
     *
     * @return the history; further operations may be recorded in it
     */
    public History counters() {
        return counters;
    }

    /**
     * The operations on register keys (calls of {@link io.leasehold.test.history.Register}).
     *
     * @return the history; further operations may be recorded in it
     */
    public History registers() {
        return registers;
    }

    /**
     * Operations recorded in both histories.
     *
     * @return the count
     */
    public int operations() {
        return counters.size() + registers.size();
    }

    /**
     * How long the workload ran (the longest of the merged parts).
     *
     * @return the wall time
     */
    public Duration elapsed() {
        return elapsed;
    }

    /**
     * Faults a {@link HistoryWorkload.FaultHook} reported injecting, by name (summed over merged parts).
     *
     * @return a sorted copy
     */
    public Map<String, Long> injectedFaults() {
        return new TreeMap<>(injectedFaults);
    }

    /**
     * What went wrong outside what the checker and the audit judge: exceptions the library should
     * never throw, results without a write id, a worker that did not finish.
     *
     * @return a copy, empty when nothing went wrong
     */
    public List<String> problems() {
        return new ArrayList<>(problems);
    }

    // ---------------------------------------------------------------- recording (package-private)

    void call(MutationCall call) {
        calls.add(call);
    }

    List<MutationCall> calls() {
        return new ArrayList<>(calls);
    }

    void reportedWriteId(String tag, String writeId) {
        String before = reportedWriteIds.putIfAbsent(tag, writeId);
        if (before != null && !before.equals(writeId)) {
            problem("the put tagged " + tag + " was reported with two write ids, " + before + " and " + writeId);
        }
    }

    Map<String, String> reportedWriteIds() {
        return Map.copyOf(reportedWriteIds);
    }

    void observedWriteId(String tag, String writeId) {
        observedWriteIds.add(new String[] {tag, writeId});
    }

    List<String[]> observedWriteIds() {
        return new ArrayList<>(observedWriteIds);
    }

    /**
     * Counts an injected fault (for {@link HistoryWorkload.FaultHook}s).
     *
     * @param name e.g. {@code put: lands, response lost}
     */
    public void countFault(String name) {
        injectedFaults.merge(name, 1L, Long::sum);
    }

    void problem(String text) {
        problems.add(text);
    }

    void elapsed(Duration d) {
        elapsed = d;
    }

    // ---------------------------------------------------------------- files

    /**
     * Writes this part to {@code dir}: {@code NAME.counters}, {@code NAME.registers} (the history line
     * format) and {@code NAME.calls}.
     *
     * @param dir an existing directory
     * @param name the part's name, e.g. the worker's id
     * @throws UncheckedIOException if writing fails
     */
    public void writeTo(Path dir, String name) {
        counters.writeTo(dir.resolve(name + ".counters"));
        registers.writeTo(dir.resolve(name + ".registers"));
        try (BufferedWriter out = Files.newBufferedWriter(dir.resolve(name + ".calls"), StandardCharsets.UTF_8)) {
            out.write("elapsed " + elapsed.toNanos() + "\n");
            for (MutationCall c : calls) {
                out.write(c.line());
                out.write('\n');
            }
            for (Map.Entry<String, String> e : reportedWriteIds.entrySet()) {
                out.write("reported " + MutationCall.enc(e.getKey()) + " " + MutationCall.enc(e.getValue()) + "\n");
            }
            for (String[] o : observedWriteIds) {
                out.write("observed " + MutationCall.enc(o[0]) + " " + MutationCall.enc(o[1]) + "\n");
            }
            for (Map.Entry<String, Long> e : injectedFaults.entrySet()) {
                out.write("fault " + MutationCall.enc(e.getKey()) + " " + e.getValue() + "\n");
            }
            for (String p : problems) {
                out.write("problem " + MutationCall.enc(p) + "\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads a part written by {@link #writeTo}.
     *
     * @param dir the directory
     * @param name the part's name
     * @return the part
     * @throws UncheckedIOException if reading fails
     * @throws IllegalArgumentException if a file is not in its format
     */
    public static HistoryPart read(Path dir, String name) {
        HistoryPart part = new HistoryPart(History.read(dir.resolve(name + ".counters")),
                History.read(dir.resolve(name + ".registers")));
        List<String> lines;
        try {
            lines = Files.readAllLines(dir.resolve(name + ".calls"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String line : lines) {
            String[] w = line.split(" ");
            switch (w[0]) {
                case "elapsed":
                    part.elapsed = Duration.ofNanos(Long.parseLong(w[1]));
                    break;
                case "call":
                    part.calls.add(MutationCall.parse(line));
                    break;
                case "reported":
                    part.reportedWriteIds.put(MutationCall.dec(w[1]), MutationCall.dec(w[2]));
                    break;
                case "observed":
                    part.observedWriteIds.add(new String[] {MutationCall.dec(w[1]), MutationCall.dec(w[2])});
                    break;
                case "fault":
                    part.injectedFaults.merge(MutationCall.dec(w[1]), Long.parseLong(w[2]), Long::sum);
                    break;
                case "problem":
                    part.problems.add(MutationCall.dec(w[1]));
                    break;
                default:
                    throw new IllegalArgumentException("unexpected line in " + name + ".calls: " + line);
            }
        }
        return part;
    }

    /**
     * One part holding all of these (e.g. the parent's and its child JVMs'); processes must have
     * names unique across the parts.
     *
     * @param parts the parts
     * @return the merged part
     */
    public static HistoryPart merge(Collection<HistoryPart> parts) {
        List<History> counters = new ArrayList<>();
        List<History> registers = new ArrayList<>();
        for (HistoryPart p : parts) {
            counters.add(p.counters);
            registers.add(p.registers);
        }
        HistoryPart merged = new HistoryPart(History.merge(counters), History.merge(registers));
        for (HistoryPart p : parts) {
            merged.calls.addAll(p.calls);
            p.reportedWriteIds.forEach(merged::reportedWriteId);
            merged.observedWriteIds.addAll(p.observedWriteIds);
            p.injectedFaults.forEach((k, v) -> merged.injectedFaults.merge(k, v, Long::sum));
            merged.problems.addAll(p.problems);
            if (p.elapsed.compareTo(merged.elapsed) > 0) {
                merged.elapsed = p.elapsed;
            }
        }
        return merged;
    }
}
