package io.leasehold.cli;

import io.leasehold.core.InvalidArgumentException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one duration syntax of every CLI option: a whole number and a unit, {@code 500ms},
 * {@code 15s}, {@code 1m} or {@code 1h}, or {@code infinite} where the option allows it. Errors
 * name the option as typed, state its range, and say what to write instead of a bare number or an
 * ISO-8601 duration; they are raised before the store is opened, so nothing is sent.
 *
 * <p>Thread-safety: stateless.
 */
final class Durations {
    /** {@code lease acquire --duration}: 15s to 60s in whole seconds, or infinite. */
    static final Range LEASE = new Range("a lease lasts 15s to 60s in whole seconds, or infinite", "30s",
            Duration.ofSeconds(15), Duration.ofSeconds(60), true, true);
    /** {@code lease break --period}: 0s to 60s in whole seconds. */
    static final Range BREAK_PERIOD = new Range("a break period is 0s to 60s in whole seconds", "10s",
            Duration.ZERO, Duration.ofSeconds(60), true, false);
    /** {@code lease acquire --wait}: 0s to 24h. */
    static final Range WAIT = new Range("a wait is 0s to 24h", "500ms or 30s", Duration.ZERO, Duration.ofHours(24),
            false, false);

    private static final Pattern AMOUNT = Pattern.compile("(-?\\d{1,9})(ms|s|m|h)");
    private static final Pattern BARE_NUMBER = Pattern.compile("-?\\d+");

    private Durations() {
    }

    /**
     * What an option accepts.
     *
     * @param describe the accepted range in words, for errors
     * @param example what to write, for errors
     * @param min the shortest accepted
     * @param max the longest accepted
     * @param wholeSeconds whether only whole seconds are accepted
     * @param infinite whether {@code infinite} is accepted
     */
    record Range(String describe, String example, Duration min, Duration max, boolean wholeSeconds, boolean infinite) {
    }

    /**
     * Parses an option's duration.
     *
     * @param option the option as typed, e.g. {@code --duration}
     * @param text the value
     * @param range what the option accepts
     * @return the duration, or null for {@code infinite}
     * @throws InvalidArgumentException naming the option if the text is not a duration in range
     */
    static Duration parse(String option, String text, Range range) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.equals("infinite")) {
            if (range.infinite()) {
                return null;
            }
            throw new InvalidArgumentException(option, "'infinite' is not allowed here; " + range.describe());
        }
        Matcher m = AMOUNT.matcher(t);
        if (!m.matches()) {
            throw new InvalidArgumentException(option, notADuration(text, t, range));
        }
        long n = Long.parseLong(m.group(1));
        Duration d;
        switch (m.group(2)) {
            case "ms":
                d = Duration.ofMillis(n);
                break;
            case "s":
                d = Duration.ofSeconds(n);
                break;
            case "m":
                d = Duration.ofMinutes(n);
                break;
            default:
                d = Duration.ofHours(n);
                break;
        }
        if (d.compareTo(range.min()) < 0 || d.compareTo(range.max()) > 0) {
            throw new InvalidArgumentException(option, t + " is out of range; " + range.describe());
        }
        if (range.wholeSeconds() && d.getNano() != 0) {
            throw new InvalidArgumentException(option, t + " is not whole seconds; " + range.describe());
        }
        return d;
    }

    /** The error for text that is not of the form NUMBER UNIT, saying what to write instead. */
    private static String notADuration(String text, String lower, Range range) {
        if (BARE_NUMBER.matcher(lower).matches()) {
            return "'" + text + "' has no unit; write " + lower + "s (units: ms, s, m, h)";
        }
        try {
            Duration iso = Duration.parse(text.strip());
            String written = format(iso);
            if (written != null) {
                return "'" + text + "' is ISO-8601; write " + written;
            }
        } catch (DateTimeParseException notIso) {
            // not ISO-8601 either: explain the syntax below
        }
        return "'" + text + "' is not a duration; write e.g. " + range.example() + " (" + range.describe() + ")";
    }

    /**
     * A duration in this syntax, in the largest unit that states it exactly.
     *
     * @param d the duration
     * @return e.g. {@code 30s}, {@code 2m}, {@code 1500ms}; null if negative or not whole milliseconds
     */
    static String format(Duration d) {
        if (d.isNegative() || d.getNano() % 1_000_000 != 0) {
            return null;
        }
        long ms = d.toMillis();
        if (ms != 0 && ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms != 0 && ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }
}
