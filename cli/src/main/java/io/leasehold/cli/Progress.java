package io.leasehold.cli;

import io.leasehold.core.transfer.TransferListener;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The progress line of {@code put --file} and {@code get --out}: rewritten in place on stderr
 * ({@code \r}) at most five times a second, ended with a newline by {@link #done()}.
 *
 * <p>Thread-safety: {@link #onProgress} may be called from several transfer threads (calls are
 * serialised).
 */
final class Progress implements TransferListener {
    private static final long REDRAW_NANOS = 200_000_000L;

    private final PrintWriter err;
    private final String label;
    private final long started = System.nanoTime();
    private long lastDrawn;
    private long transferred;
    private long total = -1;
    private boolean drawn;

    Progress(PrintWriter err, String label) {
        this.err = err;
        this.label = label;
    }

    /**
     * Whether standard error is a terminal. Java tells that only for stdin and stdout together
     * ({@link System#console()}); on Linux the link of file descriptor 2 tells it for stderr alone.
     *
     * @return true if progress should be drawn by default
     */
    static boolean stderrIsTerminal() {
        try {
            Path fd2 = Path.of("/proc/self/fd/2");
            if (Files.isSymbolicLink(fd2)) {
                String target = Files.readSymbolicLink(fd2).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            }
        } catch (java.io.IOException | UnsupportedOperationException | SecurityException e) {
            // fall through
        }
        return System.console() != null;
    }

    @Override
    public synchronized void onProgress(long transferred, long total) {
        this.transferred = transferred;
        this.total = total;
        long now = System.nanoTime();
        if (now - lastDrawn >= REDRAW_NANOS) {
            lastDrawn = now;
            draw(now);
        }
    }

    /** Draws the final state and ends the line (if anything was drawn). */
    synchronized void done() {
        draw(System.nanoTime());
        err.print('\n');
        err.flush();
    }

    private void draw(long now) {
        double seconds = Math.max(1e-3, (now - started) / 1e9);
        StringBuilder line = new StringBuilder("\r").append(label).append(": ").append(size(transferred));
        if (total >= 0) {
            line.append(" of ").append(size(total));
            if (total > 0) {
                line.append(String.format(Locale.ROOT, " (%d%%)", transferred * 100 / total));
            }
        }
        line.append(", ").append(size((long) (transferred / seconds))).append("/s   ");
        err.print(line);
        err.flush();
        drawn = true;
    }

    boolean drawn() {
        return drawn;
    }

    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
