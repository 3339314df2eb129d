package io.leasehold.test.history;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** Renders operations as a short timeline for reports. */
final class Timeline {
    static final int MAX_LINES = 24;

    private Timeline() {
    }

    /**
     * One line per operation, ordered by invocation, times relative to the first invocation.
     * Operations of unknown outcome end in "…": they may take effect at any time after invocation.
     */
    static String render(List<Operation> ops, String indent) {
        return render(ops, List.of(), indent);
    }

    /** As {@link #render(List, String)}, then {@code context} (operations cut away that the core reads) on the same clock. */
    static String render(List<Operation> ops, List<Operation> context, String indent) {
        if (ops.isEmpty()) {
            return indent + "(no operations)";
        }
        long t0 = ops.get(0).invokedAt();
        List<Operation> all = new java.util.ArrayList<>(ops);
        all.addAll(context);
        long span = 0;
        int processWidth = 1;
        int callWidth = 1;
        for (Operation op : all) {
            span = Math.max(span, Math.abs((op.isCompleted() ? op.rawCompletedAt() : op.invokedAt()) - t0));
            processWidth = Math.max(processWidth, op.process().length());
            callWidth = Math.min(48, Math.max(callWidth, op.call().toString().length()));
        }
        long unit = span < 10_000L ? 1 : span < 10_000_000L ? 1_000 : 1_000_000;
        String unitName = unit == 1 ? "ns" : unit == 1_000 ? "µs" : "ms";
        int timeWidth = Math.max(2, time(context.isEmpty() ? span : -span, unit).length());
        StringBuilder out = new StringBuilder();
        out.append(indent).append("times in ").append(unitName).append(" after the first invocation; … = outcome unknown, may take effect any time later");
        int lines = 0;
        for (Operation op : ops) {
            if (lines++ == MAX_LINES) {
                out.append('\n').append(indent).append("… ").append(ops.size() - MAX_LINES).append(" more operations");
                break;
            }
            line(out, indent, op, t0, unit, processWidth, timeWidth, callWidth);
        }
        if (!context.isEmpty()) {
            out.append('\n').append(indent).append("writes read above but cut away (they completed before the window began):");
            for (Operation op : context) {
                line(out, indent, op, t0, unit, processWidth, timeWidth, callWidth);
            }
        }
        return out.toString();
    }

    private static void line(StringBuilder out, String indent, Operation op, long t0, long unit, int processWidth, int timeWidth,
            int callWidth) {
        boolean open = op.response().kind() == Response.Kind.UNKNOWN && op.response().relaxation == 0;
        String end = open ? "…" : time(op.rawCompletedAt() - t0, unit);
        out.append('\n').append(indent)
                .append(pad(op.process(), processWidth, false)).append("  [")
                .append(pad(time(op.invokedAt() - t0, unit), timeWidth, true)).append(" .. ")
                .append(pad(end, timeWidth, true)).append("]  ")
                .append(pad(op.call().toString(), callWidth, false)).append("  -> ").append(op.response());
    }

    /**
     * Operations of {@code all} not in {@code shown} whose interval overlaps the interval the shown
     * ones span (an unknown outcome's interval never ends).
     */
    static int overlapping(List<Operation> all, List<Operation> shown) {
        if (shown.isEmpty()) {
            return 0;
        }
        long from = Long.MAX_VALUE;
        long to = Long.MIN_VALUE;
        for (Operation op : shown) {
            if (op.response().kind() != Response.Kind.UNKNOWN || op.response().relaxation != 0) {
                from = Math.min(from, op.invokedAt());
                to = Math.max(to, op.rawCompletedAt());
            }
        }
        // Shown operations may be relaxed copies: match them by who called what when.
        java.util.Set<String> in = new java.util.HashSet<>();
        for (Operation op : shown) {
            in.add(op.process() + '\u0000' + op.invokedAt() + '\u0000' + op.call());
        }
        int count = 0;
        for (Operation op : all) {
            if (!in.contains(op.process() + '\u0000' + op.invokedAt() + '\u0000' + op.call())
                    && op.response().kind() != Response.Kind.FAILED && op.invokedAt() <= to && end(op) >= from) {
                count++;
            }
        }
        return count;
    }

    private static long end(Operation op) {
        return op.response().kind() == Response.Kind.UNKNOWN && op.response().relaxation == 0 ? Long.MAX_VALUE : op.rawCompletedAt();
    }

    private static String time(long nanos, long unit) {
        return unit == 1 ? Long.toString(nanos) : String.format(Locale.ROOT, "%.1f", nanos / (double) unit);
    }

    /**
     * Like {@link #render}, but the context of a shrunk core is summarised: writes made optional by
     * the shrinker, and (when many) operations of unknown outcome invoked before the first answered
     * one (a counter's core keeps every earlier lost increment: any of them may explain the rest).
     */
    static String renderCore(List<Operation> ops, List<Operation> context, String indent) {
        long firstAnswered = Long.MAX_VALUE;
        for (Operation op : ops) {
            if (op.response().kind() != Response.Kind.UNKNOWN) {
                firstAnswered = Math.min(firstAnswered, op.invokedAt());
            }
        }
        List<Operation> optional = new java.util.ArrayList<>();
        List<Operation> earlier = new java.util.ArrayList<>();
        List<Operation> shown = new java.util.ArrayList<>();
        for (Operation op : ops) {
            if (op.response().relaxation != 0) {
                optional.add(op);
            } else if (op.response().kind() == Response.Kind.UNKNOWN && op.invokedAt() < firstAnswered) {
                earlier.add(op);
            } else {
                shown.add(op);
            }
        }
        if (earlier.size() <= 3) {
            shown.addAll(earlier);
            shown.sort(java.util.Comparator.comparingLong(Operation::invokedAt));
            earlier.clear();
        }
        StringBuilder out = new StringBuilder(render(shown, context, indent));
        if (!optional.isEmpty()) {
            out.append('\n').append(summary(indent, optional, " answered writes in this window, each of which may or may not have taken effect:"));
        }
        if (!earlier.isEmpty()) {
            out.append('\n').append(summary(indent, earlier, " operations of unknown outcome invoked earlier, any of which may take effect here:"));
        }
        return out.toString();
    }

    private static String summary(String indent, List<Operation> ops, String what) {
        java.util.Map<String, Integer> calls = new java.util.TreeMap<>();
        for (Operation op : ops) {
            calls.merge(op.call().name(), 1, Integer::sum);
        }
        StringBuilder line = new StringBuilder(indent).append("+ ").append(ops.size()).append(what);
        int listed = 0;
        for (java.util.Map.Entry<String, Integer> e : calls.entrySet()) {
            if (listed++ == 6) {
                line.append(" …");
                break;
            }
            line.append(listed == 1 ? " " : ", ").append(e.getKey()).append(" ×").append(e.getValue());
        }
        return line.toString();
    }

    static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.2f s", d.toNanos() / 1e9);
    }

    static String quote(String key) {
        return "\"" + key.replace("\"", "\\\"") + "\"";
    }

    private static String pad(String text, int width, boolean right) {
        if (text.length() >= width) {
            return text;
        }
        String spaces = " ".repeat(width - text.length());
        return right ? spaces + text : text + spaces;
    }
}
