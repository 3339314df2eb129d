package io.leasehold.test.history;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** Renders operations as a short timeline for reports. */
final class Timeline {
    static final int MAX_LINES = 40;

    private Timeline() {
    }

    /**
     * One line per operation, ordered by invocation, times relative to the first invocation.
     * Operations of unknown outcome end in "…": they may take effect at any time after invocation.
     */
    static String render(List<Operation> ops, String indent) {
        if (ops.isEmpty()) {
            return indent + "(no operations)";
        }
        long t0 = ops.get(0).invokedAt();
        long span = 0;
        int processWidth = 1;
        int callWidth = 1;
        for (Operation op : ops) {
            span = Math.max(span, (op.isCompleted() ? op.rawCompletedAt() : op.invokedAt()) - t0);
            processWidth = Math.max(processWidth, op.process().length());
            callWidth = Math.min(48, Math.max(callWidth, op.call().toString().length()));
        }
        long unit = span < 10_000L ? 1 : span < 10_000_000L ? 1_000 : 1_000_000;
        String unitName = unit == 1 ? "ns" : unit == 1_000 ? "µs" : "ms";
        int timeWidth = Math.max(2, time(span, unit).length());
        StringBuilder out = new StringBuilder();
        out.append(indent).append("times in ").append(unitName).append(" after the first invocation; … = outcome unknown, may take effect any time later");
        int lines = 0;
        for (Operation op : ops) {
            if (lines++ == MAX_LINES) {
                out.append('\n').append(indent).append("… ").append(ops.size() - MAX_LINES).append(" more operations");
                break;
            }
            boolean open = op.response().kind() == Response.Kind.UNKNOWN;
            String end = open ? "…" : time(op.rawCompletedAt() - t0, unit);
            out.append('\n').append(indent)
                    .append(pad(op.process(), processWidth, false)).append("  [")
                    .append(pad(time(op.invokedAt() - t0, unit), timeWidth, true)).append(" .. ")
                    .append(pad(end, timeWidth, true)).append("]  ")
                    .append(pad(op.call().toString(), callWidth, false)).append("  -> ").append(op.response());
        }
        return out.toString();
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
            from = Math.min(from, op.invokedAt());
            to = Math.max(to, end(op));
        }
        java.util.Set<Operation> in = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        in.addAll(shown);
        int count = 0;
        for (Operation op : all) {
            if (!in.contains(op) && op.response().kind() != Response.Kind.FAILED && op.invokedAt() <= to && end(op) >= from) {
                count++;
            }
        }
        return count;
    }

    private static long end(Operation op) {
        return op.response().kind() == Response.Kind.UNKNOWN ? Long.MAX_VALUE : op.rawCompletedAt();
    }

    private static String time(long nanos, long unit) {
        return unit == 1 ? Long.toString(nanos) : String.format(Locale.ROOT, "%.1f", nanos / (double) unit);
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
