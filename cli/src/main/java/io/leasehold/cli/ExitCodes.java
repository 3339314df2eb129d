package io.leasehold.cli;

import io.leasehold.core.ErrorCode;
import io.leasehold.core.LeaseException;
import io.leasehold.core.ObjectStoreException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The CLI's exit codes and the one place that maps failures to them and prints the error line.
 *
 * <p>Thread-safety: stateless.
 */
public final class ExitCodes {
    /** Success. */
    public static final int OK = 0;
    /** Anything not covered below (access denied, unclassified store failure, I/O on --out...). */
    public static final int OTHER = 1;
    /** Bad usage, an invalid argument, or an option the store cannot honour: nothing was sent. */
    public static final int USAGE = 2;
    /** A condition failed: precondition failed (an update lost) or already exists (a create lost). */
    public static final int PRECONDITION_FAILED = 3;
    /** Get/head: If-None-Match or If-Modified-Since said the caller's copy is current. */
    public static final int NOT_MODIFIED = 4;
    /** The key does not exist (in a store that does). */
    public static final int NOT_FOUND = 5;
    /** A lease refused the operation (held by someone else, mismatched or lost). */
    public static final int LEASE_CONFLICT = 6;
    /** A transient failure persisted through retries, or a write's outcome is unknown. */
    public static final int TRANSIENT = 7;
    /** {@code probe}: read-modify-write is not safe on the store (conditional writes ignored or not atomic). */
    public static final int UNSAFE_STORE = 8;
    /**
     * The store itself does not exist: a NOT_FOUND that names no key, such as a {@code file://}
     * directory that is not there (a mistyped path), so scripts can tell it from a missing key.
     */
    public static final int STORE_NOT_FOUND = 9;

    private ExitCodes() {
    }

    /**
     * The exit code for a failure.
     *
     * @param t the failure
     * @return the exit code
     */
    public static int of(Throwable t) {
        if (t instanceof LeaseException) {
            return LEASE_CONFLICT;
        }
        if (!(t instanceof ObjectStoreException)) {
            return OTHER;
        }
        ObjectStoreException e = (ObjectStoreException) t;
        return isStoreNotFound(e) ? STORE_NOT_FOUND : of(e.code());
    }

    /**
     * Whether a failure says the store itself (directory, bucket) does not exist: NOT_FOUND naming no key.
     *
     * @param e the failure
     * @return true for a missing store
     */
    static boolean isStoreNotFound(ObjectStoreException e) {
        return e.code() == ErrorCode.NOT_FOUND && e.key().isEmpty();
    }

    /**
     * The exit code for a portable error code ({@link #NOT_FOUND} for {@code NOT_FOUND}: a failure
     * tells a missing store apart, see {@link #of(Throwable)}).
     *
     * @param code the code
     * @return the exit code
     */
    public static int of(ErrorCode code) {
        switch (code) {
            case INVALID_ARGUMENT:
            case NOT_SUPPORTED:
                return USAGE;
            case PRECONDITION_FAILED:
            case ALREADY_EXISTS:
                return PRECONDITION_FAILED;
            case NOT_FOUND:
                return NOT_FOUND;
            case LEASE_HELD:
            case LEASE_MISMATCH:
            case LEASE_LOST:
            case STALE_WRITE:
                return LEASE_CONFLICT;
            case CONFLICT:
            case THROTTLED:
            case TRANSIENT:
            case OUTCOME_UNKNOWN:
                return TRANSIENT;
            default:
                return OTHER;
        }
    }

    /**
     * Prints the one-line error for a failure: {@code error: CODE: message}. Messages of
     * {@link ObjectStoreException}s carry no secrets by contract; for anything else only the
     * exception type and a one-line message are shown. A stack trace is printed only when the
     * environment variable {@code LEASEHOLD_DEBUG} is set.
     *
     * @param err where to print
     * @param t the failure
     */
    public static void printError(PrintWriter err, Throwable t) {
        printError(err, t, null);
    }

    /**
     * Prints the one-line error for a failure, followed by a hint of what to do about it.
     *
     * @param err where to print
     * @param t the failure
     * @param hint what to do, e.g. {@code add --create to create it}; null for none
     */
    static void printError(PrintWriter err, Throwable t, String hint) {
        if (t instanceof ObjectStoreException) {
            String message = t.getMessage();
            printError(err, ((ObjectStoreException) t).code().name(), hint == null ? message : message + "; " + hint);
        } else {
            String message = t.getMessage() == null ? t.getClass().getSimpleName()
                    : t.getClass().getSimpleName() + ": " + t.getMessage();
            printError(err, ErrorCode.UNKNOWN.name(), message);
        }
        if (System.getenv("LEASEHOLD_DEBUG") != null) {
            t.printStackTrace(err);
        }
        err.flush();
    }

    /**
     * Prints {@code error: CODE: message} on one line.
     *
     * @param err where to print
     * @param code the code, e.g. {@code NOT_FOUND}
     * @param message the message; line breaks are flattened
     */
    public static void printError(PrintWriter err, String code, String message) {
        err.println("error: " + code + ": " + oneLine(message));
        err.flush();
    }

    static int onUsageError(ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        printError(cl.getErr(), ErrorCode.INVALID_ARGUMENT.name(),
                usageMessage(e) + " (see '" + cl.getCommandSpec().qualifiedName() + " --help')");
        return USAGE;
    }

    /**
     * A picocli parse failure in the CLI's own style: the option first as it is typed
     * ({@code --writers: 'many' is not a whole number}), unknown commands and options with what
     * exists, and none of picocli's own prefixes ({@code Error: }) or doubled words.
     */
    static String usageMessage(ParameterException e) {
        if (e instanceof UnmatchedArgumentException) {
            return unmatched((UnmatchedArgumentException) e);
        }
        ArgSpec arg = e.getArgSpec();
        if (e.getCause() instanceof TypeConversionException && arg instanceof OptionSpec) {
            return ((OptionSpec) arg).longestName() + ": " + e.getCause().getMessage();
        }
        String m = e.getMessage() == null ? "invalid usage" : e.getMessage().strip();
        if (m.startsWith("Unknown subcommand '")) {
            // picocli's help command, naming a command that does not exist
            String name = m.substring("Unknown subcommand '".length()).replaceFirst("'\\.?$", "");
            return "unknown command '" + name + "'; commands: " + commands(e.getCommandLine());
        }
        if (m.regionMatches(true, 0, "Error: ", 0, 7)) {
            m = m.substring(7);
        }
        m = m.replace("option option", "option");
        if (m.endsWith(".")) {
            m = m.substring(0, m.length() - 1);
        }
        return lowerFirst(m);
    }

    private static String unmatched(UnmatchedArgumentException e) {
        CommandLine cl = e.getCommandLine();
        List<String> unmatched = e.getUnmatched();
        String first = unmatched.isEmpty() ? "" : unmatched.get(0);
        List<String> suggestions = e.getSuggestions();
        String didYouMean = suggestions.isEmpty() ? "" : "; did you mean " + String.join(" or ", suggestions) + "?";
        if (first.startsWith("-")) {
            return "unknown option '" + first + "'" + didYouMean;
        }
        if (!cl.getSubcommands().isEmpty() && cl.getCommandSpec().positionalParameters().isEmpty()) {
            // The list is short, and picocli's closest match for a command can be far off.
            return "unknown command '" + first + "'; commands: " + commands(cl);
        }
        return "unexpected argument '" + first + "'";
    }

    private static String commands(CommandLine cl) {
        return String.join(", ", cl.getSubcommands().keySet());
    }

    private static String lowerFirst(String s) {
        if (s.length() > 1 && Character.isUpperCase(s.charAt(0)) && Character.isLowerCase(s.charAt(1))) {
            return s.substring(0, 1).toLowerCase(Locale.ROOT) + s.substring(1);
        }
        return s;
    }

    static int onExecutionError(Exception e, CommandLine cl, ParseResult parsed) {
        Object command = cl.getCommand();
        String hint = command instanceof StoreCommand && e instanceof ObjectStoreException
                ? ((StoreCommand) command).hint((ObjectStoreException) e) : null;
        printError(cl.getErr(), e, hint);
        return of(e);
    }

    private static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(c == '\r' || c == '\n' ? ' ' : Character.isISOControl(c) ? '?' : c);
        }
        return b.toString().trim();
    }
}
