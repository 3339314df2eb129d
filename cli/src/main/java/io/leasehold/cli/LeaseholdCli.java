package io.leasehold.cli;

import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code leasehold} command line: conditional put, get, head and delete, listing, conditional
 * copy and rename on any store URI, and the concurrent counter demo.
 *
 * <h2>Exit codes</h2>
 * See {@link ExitCodes}: 0 ok, 2 bad usage or invalid argument, 3 precondition failed or already
 * exists, 4 not modified, 5 key not found, 6 lease conflict, 7 transient failure or outcome unknown,
 * 8 probe: read-modify-write unsafe, 9 the store does not exist, 1 anything else. Errors are one
 * line on stderr: {@code error: CODE: message}, with a hint after {@code ; } where another option
 * is the fix.
 *
 * <h2>Help text</h2>
 * Usage help is 80 columns wide. Each description element is one paragraph that
 * picocli wraps; the first is the command's summary in its parent's list, one complete sentence.
 * picocli may break a line after a {@code :} or {@code /}, so text holding URIs or paths is kept
 * in elements short enough never to wrap (see {@code --store}); {@code HelpTextTest} checks it.
 *
 * <h2>Adding a command</h2>
 * Write a class extending {@link StoreCommand} with picocli annotations and list it in
 * {@code subcommands} below; store opening, JSON output and error-to-exit-code mapping are shared.
 *
 * <p>Thread-safety: one instance serves one invocation; not for concurrent use.
 */
@Command(name = "leasehold",
        mixinStandardHelpOptions = true,
        scope = CommandLine.ScopeType.INHERIT,
        versionProvider = LeaseholdCli.Version.class,
        description = "Conditional writes and conflict-aware updates on object stores.",
        subcommands = {
            PutCommand.class,
            GetCommand.class,
            HeadCommand.class,
            DeleteCommand.class,
            ListCommand.class,
            CopyCommand.class,
            MoveCommand.class,
            LeaseCommand.class,
            DemoCommand.class,
            ProbeCommand.class,
            CommandLine.HelpCommand.class
        },
        footer = {"",
            "Exit codes:",
            "  0 ok                                 5 key not found",
            "  1 other failure                      6 lease conflict",
            "  2 bad usage (nothing was sent)       7 transient failure or outcome unknown",
            "  3 precondition failed or exists      8 probe: read-modify-write is unsafe",
            "  4 not modified                       9 the store does not exist"})
public final class LeaseholdCli implements Callable<Integer> {
    /** Columns of the usage help. */
    static final int USAGE_WIDTH = 80;

    /** slf4j-simple's level property; the bundled simplelogger.properties sets it to off. */
    private static final String SDK_LOG_LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";

    private final InputStream stdin;
    private final PrintStream stdout;
    private final PrintWriter out;
    private final PrintWriter err;
    private boolean stderrTerminal;

    @Spec
    private CommandSpec spec;

    /**
     * Creates the root command over the given streams.
     *
     * @param stdin where {@code --file -} reads from
     * @param stdout where results and object bodies go
     * @param stderr where errors and notes go
     */
    public LeaseholdCli(InputStream stdin, PrintStream stdout, PrintStream stderr) {
        this.stdin = Objects.requireNonNull(stdin, "stdin");
        this.stdout = Objects.requireNonNull(stdout, "stdout");
        this.out = new PrintWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8), true);
        this.err = new PrintWriter(new OutputStreamWriter(Objects.requireNonNull(stderr, "stderr"),
                StandardCharsets.UTF_8), true);
    }

    /**
     * Runs the command line and exits the JVM with its exit code.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        if (System.getenv("LEASEHOLD_DEBUG") != null && System.getProperty(SDK_LOG_LEVEL) == null) {
            System.setProperty(SDK_LOG_LEVEL, "debug");
        }
        CommandLine cl = commandLine(System.in, System.out, System.err);
        ((LeaseholdCli) cl.getCommand()).stderrTerminal = Progress.stderrIsTerminal();
        System.exit(cl.execute(args));
    }

    /**
     * A configured picocli command line over the given streams: run it with
     * {@link CommandLine#execute(String...)}, which returns the exit code. Tests use this to run
     * commands in-process.
     *
     * @param stdin standard input
     * @param stdout standard output
     * @param stderr standard error
     * @return the command line
     */
    public static CommandLine commandLine(InputStream stdin, PrintStream stdout, PrintStream stderr) {
        LeaseholdCli root = new LeaseholdCli(stdin, stdout, stderr);
        CommandLine cl = new CommandLine(root);
        cl.setOut(root.out);
        cl.setErr(root.err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setUsageHelpWidth(USAGE_WIDTH);
        cl.registerConverter(Integer.class, LeaseholdCli::wholeNumber);
        cl.registerConverter(Integer.TYPE, LeaseholdCli::wholeNumber);
        cl.setParameterExceptionHandler(ExitCodes::onUsageError);
        cl.setExecutionExceptionHandler(ExitCodes::onExecutionError);
        return cl;
    }

    private static Integer wholeNumber(String value) {
        try {
            return Integer.valueOf(value.strip());
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a whole number");
        }
    }

    /** Without a subcommand: show usage on stderr; that is bad usage. */
    @Override
    public Integer call() {
        spec.commandLine().usage(err);
        return ExitCodes.USAGE;
    }

    InputStream stdin() {
        return stdin;
    }

    PrintStream stdout() {
        return stdout;
    }

    PrintWriter out() {
        return out;
    }

    PrintWriter err() {
        return err;
    }

    /** Whether this process's stderr is a terminal (only when run from {@link #main}). */
    boolean stderrTerminal() {
        return stderrTerminal;
    }

    /** Reports the version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = LeaseholdCli.class.getPackage().getImplementationVersion();
            return new String[] {"leasehold " + (v == null ? "(development build)" : v)};
        }
    }
}
